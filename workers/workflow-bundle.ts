import type { BundleOptions } from '@temporalio/worker';

/**
 * How every worker of the product bundles its workflows. The bundle's modules are evaluated once per cached
 * workflow (the SDK's reusable V8 context keeps a module cache per workflow), except the preloaded ones, which
 * are evaluated once per worker, shared, and deep-frozen by the SDK:
 * - zod (through ../workflows/preload.ts), which would otherwise cost every cached workflow about 0.5 MB;
 * - the pinned calendar tables, plain read-only data: Washington's time-zone transitions and the federal
 *   holidays (about 30 KB each workflow would otherwise hold).
 * Measured with `npm run bench:memory`. A module that exports zod schemas cannot be shared: zod completes a
 * schema's internals on its first parse, which a frozen schema refuses.
 */
export const PRELOAD_MODULES: readonly string[] = [
  require.resolve('../workflows/preload'),
  require.resolve('../shared/domain/washington/zone-america-new-york-2025c'),
  require.resolve('../shared/domain/washington/federal-holidays'),
];

/** The bundler's options for the workflows at `workflowsPath` (the product's, or a test's or the bench's superset). */
export const bundleOptions = (
  workflowsPath: string = require.resolve('../workflows'),
): Pick<BundleOptions, 'workflowsPath' | 'preloadModules'> => ({
  workflowsPath,
  preloadModules: [...PRELOAD_MODULES],
});
