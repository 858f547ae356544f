import { generateKeyPairSync } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { keyIdOf } from '../../shared/node/permanent-record';
import type { RecordSigner } from '../../shared/node/record-keys';
import { FileRecordStore } from '../../shared/node/record-store';
import { claimRunDir } from '../setup/run-dirs';
import { createActivities } from '../../activities';
import { PolicyRegistry } from '../../shared/domain/policy-registry';
import { loadConfig } from '../../shared/node/config';
import { TEST_CALLBACK_SECRET } from './lab-receiver';
import type { LabFact } from '../../shared/domain/labs/facts';

/** The test run's record store (a folder of its own) and signing key: tests read closed cases' records here. */
export const testRecords = new FileRecordStore(path.join(claimRunDir('frontier-review-records'), 'records'));
const pair = generateKeyPairSync('ed25519');
export const testRecordSigner: RecordSigner = {
  signingKey: pair.privateKey,
  publicKey: pair.publicKey,
  keyId: keyIdOf(pair.publicKey),
};

/**
 * The product's real activities, with test settings: callbacks signed with the test labs' secret and allowed
 * to loopback receivers. Pass a registry to control the policies in force.
 */
export function createTestActivities(
  opts: {
    policies?: PolicyRegistry;
    callbackSecrets?: { secretsFor(labId: string): string[] };
    /** How long a fan-out lets the list of open cases catch up before its second pass (the product's 2 s). */
    visibilitySettleMs?: number;
  } = {},
) {
  return createActivities({
    visibilitySettleMs: opts.visibilitySettleMs,
    config: loadConfig({ NODE_ENV: 'test', CALLBACK_TIMEOUT_MS: '2000' }),
    logger: pino({ level: 'silent' }),
    policies: opts.policies ?? new PolicyRegistry(),
    // Every test lab signs with the one test secret; labs that must fail say so with `secrets`.
    callbackSecrets: opts.callbackSecrets ?? { secretsFor: () => [TEST_CALLBACK_SECRET] },
    records: testRecords,
    recordSigner: testRecordSigner,
  });
}

/**
 * Test activities whose reports of `kind` to the lab's record do not get through until `release()`: with
 * `hold`, the first report waits (the activity runs on, and the time-skipping server holds its clock meanwhile);
 * with `fail`, every attempt fails (the record cannot be reached, and the review's activity retries while the
 * clock runs). `reached` resolves at the first such report.
 */
export function blockedLabReports(kind: LabFact['kind'], how: 'hold' | 'fail') {
  let reporting!: () => void;
  const reached = new Promise<void>((r) => (reporting = r));
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let open = false;
  void released.then(() => (open = true));
  let first = true;
  const real = createTestActivities();
  const activities = {
    ...real,
    async reportToLab(input: { labId: string; fact: LabFact }): Promise<void> {
      if (input.fact.kind === kind && !open) {
        reporting();
        if (how === 'fail') throw new Error("the lab's record cannot be reached");
        if (first) {
          first = false;
          await released;
        }
      }
      return real.reportToLab(input);
    },
  };
  return { activities, reached, release };
}
