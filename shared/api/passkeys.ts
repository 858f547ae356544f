import { z } from 'zod';
import { REQUEST_EXAMPLES } from './examples';

/**
 * The wire shapes of people's passkeys (issue 36): WebAuthn's JSON forms of a registration and an assertion,
 * as `@simplewebauthn/browser` sends them, and a person's own list. One schema each, for the gateway's routes,
 * the pages that call them and the act's `Act-Passkey` header.
 */
const B64 = z
  .string()
  .regex(/^[A-Za-z0-9_-]*$/, 'base64url')
  .max(8_000);
/**
 * A credential's id, base64url, at most 250 characters (187 bytes): WebAuthn allows 1023 bytes, platform
 * authenticators and security keys make 16 to 64; a longer one is refused at registration (VALIDATION_FAILED).
 */
export const CredentialId = z
  .string()
  .regex(/^[A-Za-z0-9_-]+$/, 'base64url')
  .max(250);

/** What `startRegistration()` answers: the new credential and its attestation. */
export const PasskeyRegistration = z
  .object({
    id: CredentialId,
    rawId: CredentialId,
    type: z.literal('public-key'),
    response: z.object({
      clientDataJSON: B64,
      attestationObject: B64,
      transports: z.array(z.string().max(32)).max(8).optional(),
    }),
    clientExtensionResults: z.record(z.string(), z.unknown()),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  })
  .meta({ id: 'PasskeyRegistration', examples: [REQUEST_EXAMPLES.registerPasskey] });

/** What `startAuthentication()` answers: the assertion over an act's statement. */
export const PasskeyAssertion = z.object({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: B64,
    authenticatorData: B64,
    signature: B64,
    userHandle: B64.optional(),
  }),
  clientExtensionResults: z.record(z.string(), z.unknown()),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
});
export type PasskeyAssertion = z.infer<typeof PasskeyAssertion>;

/** A person's passkey as they see it: never the public key's bytes, which only the record needs. */
export const PasskeyView = z
  .object({
    id: CredentialId,
    principal: z.string(),
    registeredAt: z.iso.datetime(),
    revokedAt: z.iso.datetime().optional(),
  })
  .meta({ id: 'Passkey' });
export const PasskeyList = z.object({ items: z.array(PasskeyView) }).meta({ id: 'PasskeyList' });

/** Every person's passkey, as administrators see them: whose it is, and who revoked it. */
export const RegisteredPasskey = PasskeyView.extend({
  issuer: z.string(),
  subject: z.string(),
  name: z.string().optional(),
  revokedBy: z.string().optional(),
}).meta({ id: 'RegisteredPasskey' });
export const RegisteredPasskeyList = z
  .object({ items: z.array(RegisteredPasskey) })
  .meta({ id: 'RegisteredPasskeyList' });
export const PasskeyParams = z.strictObject({ passkeyId: CredentialId });
export const NoPasskeyBody = z.strictObject({}).meta({ examples: [{}] });

/**
 * The options `startRegistration()` and `startAuthentication()` take, as the gateway writes them: opaque to
 * the page, which passes them on.
 */
export const PasskeyCreationOptions = z
  .object({ challenge: z.string(), rp: z.object({ id: z.string(), name: z.string() }) })
  .catchall(z.unknown())
  .meta({ id: 'PasskeyCreationOptions' });
export const PasskeyRequestOptions = z
  .object({
    challenge: z.string(),
    rpId: z.string(),
    allowCredentials: z.array(
      z.object({
        id: CredentialId,
        type: z.literal('public-key'),
        transports: z.array(z.string()).optional(),
      }),
    ),
    userVerification: z.literal('required'),
    timeout: z.int(),
  })
  .meta({ id: 'PasskeyRequestOptions' });
