import type { BundleOptions } from '@temporalio/worker';

/**
 * How every worker of the product bundles its workflows. The bundle's modules are evaluated once per cached
 * workflow (the SDK's reusable V8 context keeps a module cache per workflow), except the preloaded ones, which
 * are evaluated once per worker and shared: zod (through ../workflows/preload.ts), which would otherwise cost
 * every cached workflow about 0.6 MB (`npm run bench:memory`).
 */
export const PRELOAD_MODULES: readonly string[] = [require.resolve('../workflows/preload')];

/** The bundler's options for the workflows at `workflowsPath` (the product's, or a test's or the bench's superset). */
export const bundleOptions = (
  workflowsPath: string = require.resolve('../workflows'),
): Pick<BundleOptions, 'workflowsPath' | 'preloadModules'> => ({
  workflowsPath,
  preloadModules: [...PRELOAD_MODULES],
});
