import type { PolicyRegistry } from '../domain/policy-registry';
import type { Config } from './config';

/**
 * The policy every new filing falls under (POLICY_IN_FORCE), checked at start-up against the policies the
 * workers know: a deployment configured with an unknown one refuses to start rather than fail each intake.
 */
export function policyInForce(
  policies: PolicyRegistry,
  config: Pick<Config, 'POLICY_IN_FORCE'>,
): () => string {
  const id = config.POLICY_IN_FORCE;
  if (policies.inForce(id) === undefined) {
    throw new Error(`POLICY_IN_FORCE=${id} names no policy the workers know (${policies.ids().join(', ')})`);
  }
  return () => id;
}
