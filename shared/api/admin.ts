import { z } from 'zod';
import { REQUEST_EXAMPLES } from './examples';
import { Principal } from '../domain/principal';
import { ed25519Jwk } from '../domain/signed-act';
import { Id } from '../domain/submission';

/** A principal of the review, or `admin`, who manages keys and reads the access log. */
export const KeyPrincipal = z.union([Principal, z.literal('admin')]);
export type KeyPrincipal = z.infer<typeof KeyPrincipal>;

/** A key's public handle, for logs, the access log and revocation; not a secret. */
export const KeyId = z.string().regex(/^key_[A-Za-z0-9]{8,32}$/);

/** An API key as administrators see it: never the key, never its hash. */
export const KeyView = z
  .object({
    id: KeyId,
    principal: KeyPrincipal,
    holder: z.string(),
    state: z.enum(['ACTIVE', 'EXPIRED', 'REVOKED']),
    createdAt: z.iso.datetime(),
    createdBy: z.string().optional(),
    expiresAt: z.iso.datetime().optional(),
    revokedAt: z.iso.datetime().optional(),
    revokedBy: z.string().optional(),
    replaces: KeyId.optional(),
    /** Held by one of a lab's named security contacts (clearinghouse findings in full detail). */
    securityContact: z.boolean().optional(),
    /** The Ed25519 keys the system holding this key signs its acts with (issue 36). */
    signingKeys: z
      .array(
        z.object({
          id: z.string(),
          jwk: ed25519Jwk(),
          registeredAt: z.iso.datetime(),
          registeredBy: z.string().optional(),
          revokedAt: z.iso.datetime().optional(),
          revokedBy: z.string().optional(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'ApiKey' });
export type KeyView = z.infer<typeof KeyView>;

/** A key just issued: the plaintext is shown this once. */
export const IssuedKey = KeyView.extend({ key: z.string() }).meta({ id: 'IssuedApiKey' });
export const RotatedKey = IssuedKey.extend({ previous: KeyView }).meta({ id: 'RotatedApiKey' });

const Holder = z.string().trim().min(1).max(200).regex(/\S/, 'a name, not only spaces');
const FutureInstant = z.iso.datetime();

export const IssueKeyRequest = z
  .strictObject({
    principal: KeyPrincipal,
    /** Who holds it: a named person, team or service account. */
    holder: Holder,
    expiresAt: FutureInstant.optional(),
    /**
     * For a lab key: its holder is one of the lab's named security contacts, who read every clearinghouse
     * finding about the lab's models in full, whatever its TLP.
     */
    securityContact: z.boolean().optional(),
  })
  .meta({ examples: [REQUEST_EXAMPLES.issueKey] });
export const RotateKeyRequest = z
  .strictObject({
    /** How long the old key stays valid beside the new one (default 24 hours, at most 30 days). */
    overlapHours: z.int().min(0).max(720).default(24),
  })
  .meta({ examples: [REQUEST_EXAMPLES.rotateKey] });
export const ExpiryRequest = z
  .strictObject({ expiresAt: FutureInstant })
  .meta({ examples: [REQUEST_EXAMPLES.setExpiry] });
export const RevocationRequest = z.strictObject({}).meta({ examples: [REQUEST_EXAMPLES.revokeKey] });
export const KeyParams = z.strictObject({ keyId: KeyId });

/** One person, as the identity provider names them: every workbench session of theirs ends at once. */
export const SessionRevocation = z
  .strictObject({ issuer: z.url().max(500), subject: z.string().min(1).max(255) })
  .meta({ id: 'SessionRevocation', examples: [REQUEST_EXAMPLES.endSessions] });
export const SessionsEnded = z
  .object({ ended: z.int().nonnegative() })
  .meta({ id: 'SessionsEnded', description: 'How many of the person’s workbench sessions ended.' });

export const AddLabRequest = z
  .strictObject({
    labId: Id,
    holder: Holder,
    expiresAt: FutureInstant.optional(),
  })
  .meta({ examples: [REQUEST_EXAMPLES.addLab] });
/** A lab just added: its first key and its callback secret, each shown this once. */
export const LabAdded = z
  .object({ labId: z.string(), key: IssuedKey, callbackSecret: z.string() })
  .meta({ id: 'LabAdded' });

export const KeyList = z.object({ items: z.array(KeyView) }).meta({ id: 'ApiKeyList' });

/** An Ed25519 public key for a system to sign its acts with (issue 36), as a JWK. */
export const RegisterSigningKeyRequest = z
  .strictObject({
    publicKey: z.strictObject({
      kty: z.literal('OKP'),
      crv: z.literal('Ed25519', { error: 'an Ed25519 key (crv Ed25519)' }),
      x: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'the 32-byte public key, base64url'),
    }),
  })
  .meta({ examples: [REQUEST_EXAMPLES.registerSigningKey] });
export const SigningKeyParams = z.strictObject({ signingKeyId: z.string().regex(/^[A-Za-z0-9_-]{43}$/) });

/**
 * The deployment's registered signing keys (issue 36), as `record verify` checks signed acts against them: a
 * signature counts only with a key registered for that API key before the act and not revoked by then.
 */
export const SigningKeyRegistry = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        jwk: ed25519Jwk(),
        apiKeyId: z.string(),
        principal: z.string(),
        holder: z.string(),
        registeredAt: z.iso.datetime(),
        revokedAt: z.iso.datetime().optional(),
      }),
    ),
    /** People's passkeys (their COSE public keys), and the relying party they are bound to. */
    passkeys: z
      .array(
        z.object({
          id: z.string(),
          publicKey: z.string(),
          issuer: z.string(),
          subject: z.string(),
          principal: z.string(),
          registeredAt: z.iso.datetime(),
          revokedAt: z.iso.datetime().optional(),
        }),
      )
      .optional(),
    relyingParty: z.object({ id: z.string(), origins: z.array(z.string()) }).optional(),
  })
  .meta({ id: 'SigningKeyRegistry' });
export type SigningKeyRegistry = z.infer<typeof SigningKeyRegistry>;
