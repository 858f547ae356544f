import pino from 'pino';
import { createActivities } from '../../activities';
import type { PolicyRegistry } from '../../shared/domain/policy-registry';
import { loadConfig } from '../../shared/node/config';

/** The product's real activities, with test settings; pass a registry to control the policies in force. */
export function createTestActivities(opts: { policies?: PolicyRegistry } = {}) {
  return createActivities({
    config: loadConfig({ NODE_ENV: 'test' }),
    logger: pino({ level: 'silent' }),
    policies: opts.policies,
  });
}
