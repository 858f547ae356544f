import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../shared/node/tools';

/**
 * What every cached workflow pays for: the SDK evaluates the workflow bundle's modules once per workflow (except
 * the preloaded ones, see workers/workflow-bundle.ts), so the schemas those modules build at load are held once
 * per cached case. The wire shapes the workflow only produces (the status, the deadline ledger, the events'
 * payloads, the policy, the fan-out's answer) are types to it, and the ones it parses (the filing, each
 * message's body) are built on their first parse. Loaded in a fresh process, as a workflow's module cache
 * starts empty.
 */
const PROBE = `
let built = 0;
globalThis.__zod_globalConfig = { postProcessor: () => { built += 1; } };
require('zod').z.string();
built = 0;
require('./workflows');
const root = process.cwd() + '/';
const modules = Object.keys(require.cache).filter((f) => f.startsWith(root) && !f.includes('/node_modules/'));
process.stdout.write(JSON.stringify({ built, modules: modules.map((f) => f.slice(root.length)) }));
`;

/** Modules of wire shapes the workflow produces or never parses: types only, from the workflow's side. */
const NOT_IN_A_WORKFLOW = [
  'shared/domain/review/status.ts',
  'shared/domain/review/state.ts',
  'shared/domain/deadline-ledger.ts',
  'shared/domain/policy.ts',
  'shared/domain/policy-presets.ts',
  'shared/domain/government/fan-out.ts',
];

/**
 * 48 when this was written: 806 before the wire shapes were split from the rules, 228 before the messages'
 * bodies and the shapes the workflow rarely parses (the filing's among them) were built on first use.
 */
const SCHEMA_BUDGET = 60;

describe('workflow bundle: what each cached workflow builds at load', function () {
  this.timeout(60_000);
  let probe: { built: number; modules: string[] };

  before(() => {
    const out = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', PROBE], {
      cwd: PROJECT_ROOT,
      encoding: 'utf8',
    });
    probe = JSON.parse(out) as typeof probe;
  });

  it('loads the review and government workflows (the probe sees the bundle)', () => {
    assert.ok(probe.modules.includes(path.join('workflows', 'review', 'index.ts')), probe.modules.join('\n'));
    assert.ok(probe.modules.includes(path.join('workflows', 'government', 'index.ts')));
  });

  it('does not load the modules of shapes it only produces', () => {
    const loaded = NOT_IN_A_WORKFLOW.filter((m) => probe.modules.includes(m));
    assert.deepEqual(loaded, [], `imported at run time by the workflow bundle: ${loaded.join(', ')}`);
  });

  it('does not load the HTTP API, the Node plumbing or the activities', () => {
    const outside = probe.modules.filter((m) => /^(shared\/(api|node)|activities|gateway)\//.test(m));
    assert.deepEqual(outside, []);
  });

  it(`builds at most ${SCHEMA_BUDGET} schemas when its modules load`, () => {
    assert.ok(probe.built > 0, 'the probe counted no schema: the zod hook is not seen');
    assert.ok(probe.built <= SCHEMA_BUDGET, `${probe.built} schemas built at load`);
  });
});
