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
