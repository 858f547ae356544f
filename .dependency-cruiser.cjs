/**
 * The layering of the project, checked on every `npm test` (`npm run lint:deps`). Type-only imports count:
 * a cycle or a wrong-way dependency through `import type` is still a design problem.
 *
 *   shared/domain   sandbox-safe domain: imports nothing of the project outside itself
 *   shared/api      HTTP wire types: shared/domain only
 *   shared/node     Node-only plumbing: shared/domain and shared/api only
 *   workflows       the sandbox: shared/domain, and activity types
 *   activities      the world: shared/*
 *   gateway         HTTP: shared/*, the dashboard it mounts, the workflow types it starts
 *   dashboard, cli  clients of the API: shared/* only
 *   workers         process entry points: anything but tests and the bench
 *   drills          the chaos run and the upgrade drill: like workers; only tests import them
 *   cluster         the cluster profile (PostgreSQL, Temporal services, the product): like workers; only tests
 *                   import it
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'Files that import each other in a loop, type imports included.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-is-self-contained',
      severity: 'error',
      comment: 'shared/domain runs in the workflow sandbox and everywhere else: it imports only itself.',
      from: { path: '^shared/domain/' },
      to: {
        path: '^(shared/(api|node)|workflows|activities|gateway|dashboard|workbench|cli|workers|bench|scripts|test)/',
      },
    },
    {
      name: 'api-is-wire-types',
      severity: 'error',
      from: { path: '^shared/api/' },
      to: { path: '^(shared/node|workflows|activities|gateway|dashboard|workbench|cli|workers|bench|scripts|test)/' },
    },
    {
      name: 'node-plumbing-below-the-apps',
      severity: 'error',
      from: { path: '^shared/node/' },
      to: { path: '^(workflows|activities|gateway|dashboard|workbench|cli|workers|bench|scripts|test)/' },
    },
    {
      name: 'workflows-are-sandboxed',
      severity: 'error',
      comment: 'Workflows import shared/domain and activity types only (eslint checks the type-only part).',
      from: { path: '^workflows/' },
      to: { path: '^(shared/(api|node)|gateway|dashboard|workbench|cli|workers|bench|scripts|test)/' },
    },
    {
      name: 'activities-touch-the-world-only',
      severity: 'error',
      from: { path: '^activities/' },
      to: { path: '^(workflows|gateway|dashboard|workbench|cli|workers|bench|scripts|test)/' },
    },
    {
      name: 'clients-depend-on-shared-only',
      severity: 'error',
      comment:
        'The CLI and the dashboard are clients of the API: they never import the gateway or each other.',
      from: { path: '^(cli|dashboard)/' },
      to: { path: '^(gateway|workers|workflows|activities|bench|scripts|test)/' },
    },
    {
      name: 'cli-and-dashboard-apart',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^dashboard/' },
    },
    {
      name: 'dashboard-and-cli-apart',
      severity: 'error',
      from: { path: '^dashboard/' },
      to: { path: '^cli/' },
    },
    {
      name: 'workbench-is-the-gateways-room',
      severity: 'error',
      comment:
        'The workbench is server-rendered by the gateway: it uses the gateway and shared code, never an entry point or a client.',
      from: { path: '^workbench/' },
      to: { path: '^(cli|dashboard|workers|workflows|activities|bench|scripts|test)/' },
    },
    {
      name: 'gateway-below-the-entry-points',
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^(cli|workers|activities|bench|scripts|test)/' },
    },
    {
      name: 'only-tests-import-the-drills-and-the-cluster-profile',
      severity: 'error',
      from: { pathNot: '^(test|drills|cluster)/' },
      to: { path: '^(drills|cluster)/' },
    },
    {
      name: 'nothing-imports-tests-or-the-bench',
      severity: 'error',
      from: { pathNot: '^(test|bench)/' },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|test/fixtures/bundles|dist|\\.tools|\\.data)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    moduleSystems: ['cjs', 'es6'],
  },
};
