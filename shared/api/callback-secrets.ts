import { z } from 'zod';
import { REQUEST_EXAMPLES } from './examples';

/**
 * A lab's callback secrets as the lab sees them (issue 38): how many sign its callbacks now, never a secret.
 * Two while a rotation is under way: every callback then carries one signature per secret.
 */
export const CallbackSecretState = z
  .object({
    labId: z.string(),
    secrets: z.int().min(0).max(2),
    rotating: z.boolean(),
  })
  .meta({ id: 'CallbackSecretState' });
export type CallbackSecretState = z.infer<typeof CallbackSecretState>;

/** A rotation begun: the new secret, shown this once. */
export const CallbackSecretRotated = CallbackSecretState.extend({
  /** The new secret (`whsec_<base64>`); the secret in force signs beside it until the rotation completes. */
  secret: z.string().startsWith('whsec_'),
}).meta({ id: 'CallbackSecretRotated' });
export type CallbackSecretRotated = z.infer<typeof CallbackSecretRotated>;

/** A rotation and its completion take no fields: the lab is the caller's own. */
export const CallbackSecretRequest = z
  .strictObject({})
  .meta({ examples: [REQUEST_EXAMPLES.rotateCallbackSecret] });
