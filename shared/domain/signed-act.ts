import { z } from 'zod';
import { actedBy, type ActedBy } from './acted-by';

/**
 * Signed acts (issue 36, part 2). The acts that decide are signed by whoever makes them, over one canonical
 * statement (RFC 8785 JSON) of what the act does: the case, the message, its fields, the moment, the principal
 * and who acted. Anyone entitled checks it later without our code: the statement is the exact bytes signed,
 * kept with the signature and the public key in the case's timeline and permanent record.
 *
 * A restricted field (a decision's restricted note, the benchmark's score) enters the statement only as a
 * salted commitment, `hmac:<notes key id>:<hex>`: HMAC-SHA-256 of the statement's nonce, the field's place and
 * its value, under a key derived from the notes key ring (shared/node/act-statement.ts), so the salt is the
 * nonce with a key nobody outside the gateway holds. The statement and the record let nobody test a guess of
 * it; a holder of the notes key, who also opens the field's seal, can check it.
 *
 * Agencies' and the chair's systems sign with an Ed25519 key an administrator registered for their API key: a
 * detached JWS (RFC 7515 with an unencoded payload, RFC 7797) over the statement. People sign with a passkey
 * they registered after signing in: a WebAuthn assertion whose challenge is the statement's SHA-256. A signature that is sent is checked (the gateway checks the signature, the
 * workflow that the statement says what the message does); from policy 8 the policy says which acts must be
 * signed (`Signatures`), and an act that must be is refused unsigned (SIGNATURE_REQUIRED).
 *
 * Workflow-safe: zod and plain code only.
 */

/**
 * The messages whose statement a signer may sign, where each keeps its restricted fields, and the fields the
 * gateway adds to what the signer sent (the policy's proposal when the chair decides on a lab), which the
 * statement leaves out.
 */
export const SIGNED_ACTS = {
  // A case's.
  designateCoverage: { restricted: [['benchmarkScore']] },
  recordDecision: { restricted: [['decision', 'restrictedNote']] },
  requestExtension: { restricted: [] },
  requestInformation: { restricted: [] },
  resolveEscalation: { restricted: [] },
  // A lab's record: the chair's decisions on trusted-partner status.
  designateTrustedPartner: { restricted: [], added: ['eligible'] },
  revokeTrustedPartner: { restricted: [], added: ['eligible'] },
  // A finding's: the clearinghouse's validation and disclosure (every note of a finding is sealed).
  validateFinding: { restricted: [['note']] },
  discloseFinding: { restricted: [['note']] },
} as const satisfies Record<
  string,
  { restricted: readonly (readonly string[])[]; added?: readonly string[] }
>;
export type SignedActName = keyof typeof SIGNED_ACTS;

export const isSignedActName = (name: string): name is SignedActName => Object.hasOwn(SIGNED_ACTS, name);

/**
 * From policy version 8: which acts must be signed, by people (with a passkey) and by systems (with their
 * registered key). Policy 8's presets require every person's act that decides to be signed, and no system's yet:
 * an agency's system signs once an administrator has registered its key, and a later version can require it.
 */
const buildSignatures = () => {
  const acts = z.array(z.enum(Object.keys(SIGNED_ACTS) as [SignedActName, ...SignedActName[]]));
  return z.strictObject({ people: acts, systems: acts });
};
let signaturesSchema: ReturnType<typeof buildSignatures> | undefined;
/** Built on first use, as the policy's other later parts are: a cached workflow loads the policy's module. */
export const signaturesOf = (): ReturnType<typeof buildSignatures> =>
  (signaturesSchema ??= buildSignatures());
export type Signatures = z.infer<ReturnType<typeof buildSignatures>>;

/**
 * Whether an act must carry a signature under these rules: a person's act the policy lists for people, any
 * other (a system's, or one that names no one: sent past the gateway, which always names who acted) the
 * systems' list. Whoever sends past the gateway (a worker host with the payload keys) can name anyone or no one;
 * what stands against that is the signature itself, which they cannot make: `record verify` lists each act's
 * signer, and shows an act with none.
 */
export function signatureRequired(
  signatures: Signatures | undefined,
  name: string,
  by: ActedBy | undefined,
): boolean {
  if (signatures === undefined || !isSignedActName(name)) return false;
  return (by?.kind === 'PERSON' ? signatures.people : signatures.systems).includes(name);
}

/** The statement's version: what its fields mean. */
export const STATEMENT_VERSION = 1;

/** A restricted field's commitment in a statement. */
export const COMMITMENT = /^hmac:[A-Za-z0-9_-]{1,64}:[0-9a-f]{64}$/;

/** A statement's single-use nonce: 128 bits or more, base64url. */
export const NONCE = /^[A-Za-z0-9_-]{22,64}$/;

/** What is signed, parsed; the bytes signed are its canonical JSON text (SignedAct.statement). */
const buildStatementSchema = () =>
  z.strictObject({
    v: z.literal(STATEMENT_VERSION),
    /** The record the act is on, as the API names it: a case id, a finding id, a lab id. */
    record: z.string().min(1).max(200),
    message: z.string().min(1).max(64),
    fields: z.record(z.string(), z.unknown()),
    at: z.iso.datetime(),
    nonce: z.string().regex(NONCE),
    principal: z.string().min(1).max(100),
    by: actedBy(),
  });
let statementSchema: ReturnType<typeof buildStatementSchema> | undefined;
/** Built on first use, as ./acted-by.ts is: few cached cases ever read a signed act. */
export const statementOf = (): ReturnType<typeof buildStatementSchema> =>
  (statementSchema ??= buildStatementSchema());
export type Statement = z.infer<ReturnType<typeof buildStatementSchema>>;

/** An Ed25519 public key as a JWK, and its RFC 7638 thumbprint: one shape wherever a signing key is kept. */
export const ed25519Jwk = () =>
  z.strictObject({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
  });
export const KEY_THUMBPRINT = /^[A-Za-z0-9_-]{43}$/;

/** A registered public key as the record keeps it, beside the signature it checks. */
const buildKeyRef = () =>
  z.strictObject({
    /** The key's RFC 7638 thumbprint (SHA-256, base64url): the JWS's `kid`. */
    id: z.string().regex(KEY_THUMBPRINT),
    /** The Ed25519 public key as a JWK (kty OKP, crv Ed25519, x). */
    jwk: ed25519Jwk(),
    /** The API key it was registered for, its holder, and when and by whom it was registered. */
    apiKeyId: z.string().max(100),
    holder: z.string().max(200),
    registeredAt: z.iso.datetime(),
    registeredBy: z.string().max(300).optional(),
  });
export type SigningKeyRef = z.infer<ReturnType<typeof buildKeyRef>>;

/** Base64url, bounded: the parts of a WebAuthn assertion and a credential's public key. */
const b64url = (max: number) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .max(max);

/**
 * A person's passkey as the record keeps it beside the assertion it checks: the credential's id and COSE public
 * key, the person it was registered to (issuer and subject at the identity provider) and when.
 */
const buildPasskeyRef = () =>
  z.strictObject({
    id: b64url(250),
    /** The credential's public key, COSE (RFC 9052), base64url: what the authenticator's signature checks with. */
    publicKey: b64url(2_000),
    issuer: z.string().min(1).max(500),
    subject: z.string().min(1).max(255),
    registeredAt: z.iso.datetime(),
  });
export type PasskeyRef = z.infer<ReturnType<typeof buildPasskeyRef>>;

/** A signed act as the message carries it and the record keeps it: the statement's text and its proof. */
const buildSignedAct = () =>
  z.strictObject({
    statement: z.string().min(1).max(100_000),
    /** A system's JWS, or a person's passkey assertion over the statement's SHA-256. */
    proof: z.discriminatedUnion('kind', [
      z.strictObject({
        kind: z.literal('JWS'),
        /** Compact serialisation with a detached, unencoded payload: `<protected>..<signature>`. */
        jws: z
          .string()
          .regex(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/)
          .max(2_000),
        key: buildKeyRef(),
      }),
      /**
       * WebAuthn (Level 2): the authenticator signed its data and the SHA-256 of clientDataJSON, whose challenge
       * is the base64url SHA-256 of the statement's bytes (the statement holds the single-use nonce). Everything a
       * verifier needs is here: the relying party's id and the origin the browser reported, and the key.
       */
      z.strictObject({
        kind: z.literal('PASSKEY'),
        authenticatorData: b64url(4_000),
        clientDataJSON: b64url(4_000),
        signature: b64url(2_000),
        userHandle: b64url(200).optional(),
        rpId: z.string().min(1).max(253),
        origin: z.string().min(1).max(300),
        credential: buildPasskeyRef(),
      }),
    ]),
  });
let signedActSchema: ReturnType<typeof buildSignedAct> | undefined;
export const signedAct = (): ReturnType<typeof buildSignedAct> => (signedActSchema ??= buildSignedAct());
export type SignedAct = z.infer<ReturnType<typeof buildSignedAct>>;

/** The place a path names in a JSON value, or undefined. */
const at = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>(
    (v, k) =>
      typeof v === 'object' && v !== null && Object.hasOwn(v, k)
        ? (v as Record<string, unknown>)[k]
        : undefined,
    value,
  );

/** The value with the place a path names replaced (a copy; the place must exist). */
const replaced = (value: unknown, path: readonly string[], by: unknown): unknown => {
  if (path.length === 0) return by;
  const o = value as Record<string, unknown>;
  return { ...o, [path[0]]: replaced(o[path[0]], path.slice(1), by) };
};

/** Whether two JSON values are equal, whatever the order of their keys. */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bs = b as unknown[];
    return a.length === bs.length && a.every((x, i) => sameJson(x, bs[i]));
  }
  const ak = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const bk = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return (
    ak.length === bk.length &&
    ak.every((k) => sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** The fields of a statement for an act's fields: each restricted field present replaced by `commit(path, value)`. */
export function statementFields(
  name: SignedActName,
  fields: Record<string, unknown>,
  commit: (path: readonly string[], value: unknown) => string,
): Record<string, unknown> {
  let out: unknown = fields;
  for (const path of SIGNED_ACTS[name].restricted) {
    const value = at(out, path);
    if (value !== undefined) out = replaced(out, path, commit(path, value));
  }
  return out as Record<string, unknown>;
}

/** What a message says, as the workflow reads it, for comparing with its statement. */
export interface SignedMessage {
  name: string;
  /** The message's own fields (not actor, by, digest, signed). */
  fields: Record<string, unknown>;
  actor: string;
  by?: ActedBy;
}

/**
 * Why a signed act's statement does not say what its message does, or undefined when it does: it names this
 * record (one of `records`: a case has two names), this message, the principal and who acted, and the same fields, restricted ones
 * being commitments in the statement where the message carries them sealed. The workflow cannot check a
 * commitment or the signature (the notes key and the registered keys are the gateway's); the gateway checks
 * both before it sends, and `record verify` checks the signature again offline.
 */
export function statementProblem(
  signed: SignedAct,
  msg: SignedMessage,
  records: readonly string[],
): string | undefined {
  if (!isSignedActName(msg.name)) return `${msg.name} is not an act that is signed`;
  let parsed: Statement;
  try {
    const result = statementOf().safeParse(JSON.parse(signed.statement));
    if (!result.success) return 'the signed statement is not a statement of this release';
    parsed = result.data;
  } catch {
    return 'the signed statement is not JSON';
  }
  if (!records.includes(parsed.record))
    return `the statement was signed for another record (${parsed.record})`;
  if (parsed.message !== msg.name) return `the statement was signed for ${parsed.message}, not ${msg.name}`;
  if (parsed.principal !== msg.actor) return `the statement was signed as ${parsed.principal}`;
  if (msg.by === undefined || !sameJson(parsed.by, msg.by))
    return 'the statement names someone else as acting';
  const { proof } = signed;
  if (proof.kind === 'JWS' && proof.key.apiKeyId !== (msg.by.kind === 'SYSTEM' ? msg.by.keyId : undefined)) {
    return "the signing key is not registered for the sender's key";
  }
  if (
    proof.kind === 'PASSKEY' &&
    (msg.by.kind !== 'PERSON' ||
      proof.credential.issuer !== msg.by.issuer ||
      proof.credential.subject !== msg.by.subject)
  ) {
    return 'the passkey is not registered to the person acting';
  }
  let restrictedMismatch = false;
  const spec = SIGNED_ACTS[msg.name];
  const added: readonly string[] = 'added' in spec ? spec.added : [];
  const sent = Object.fromEntries(Object.entries(msg.fields).filter(([k]) => !added.includes(k)));
  const expected = statementFields(msg.name, sent, (path) => {
    const committed = at(parsed.fields, path);
    if (typeof committed !== 'string' || !COMMITMENT.test(committed)) restrictedMismatch = true;
    return committed as string;
  });
  if (restrictedMismatch) return 'a restricted field is not committed to in the statement';
  if (!sameJson(expected, parsed.fields)) return 'the statement does not say what the message does';
  return undefined;
}

/** The id of the key a proof was made with: a system key's thumbprint, or a passkey's credential id. */
export const proofKeyId = (proof: SignedAct['proof']): string =>
  proof.kind === 'JWS' ? proof.key.id : proof.credential.id;
