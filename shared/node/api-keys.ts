import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { KeyId, KeyPrincipal } from '../api/admin';
import { Principal } from '../domain/principal';
import { ed25519Jwk, KEY_THUMBPRINT } from '../domain/signed-act';
import { fileVersion, underLock, writeOwnerFile } from './owner-file';

/**
 * The deployment's API keys: random bearer tokens for machines (labs, scripts, service accounts), each held by
 * a named holder and mapped to one principal, or to `admin`, who manages keys. Only a key's SHA-256 is stored:
 * a key carries 256 random bits, so nothing can be guessed from its hash, and the slow salted hashes that
 * protect low-entropy passwords would add cost and no safety.
 *
 * The store is a local file (API_KEYS_FILE), not Temporal: authentication must not go down with Temporal, and
 * a query per request would be billed. Every change (issue, rotate, expire, revoke) is written atomically under
 * a lock, by the API or by the CLI on the same host; a gateway sees it on its next request, because it checks
 * the file's identity before each lookup and reads it again when it changed. No restart.
 */

export { KeyId, KeyPrincipal } from '../api/admin';

/**
 * An Ed25519 public key an administrator registered for a system's API key (issue 36): the system signs the
 * acts that decide with it (shared/node/act-statement.ts). Its id is its RFC 7638 thumbprint, the `kid` of
 * its signatures. A revoked key signs nothing from then on; what it signed before stays checkable.
 */
export const SigningKeyRecord = z.object({
  id: z.string().regex(KEY_THUMBPRINT),
  jwk: ed25519Jwk(),
  registeredAt: z.iso.datetime(),
  registeredBy: z.string().max(300).optional(),
  revokedAt: z.iso.datetime().optional(),
  revokedBy: z.string().max(300).optional(),
});
export type SigningKeyRecord = z.infer<typeof SigningKeyRecord>;

export const ApiKeyRecord = z.object({
  /** A short public handle for logs, the access log and revocation; not a secret. */
  id: KeyId,
  principal: KeyPrincipal,
  /** Who holds the key: a named person, team or service account. */
  holder: z.string().min(1).max(200),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  createdAt: z.iso.datetime(),
  createdBy: z.string().max(300).optional(),
  /** After this instant the key is refused. */
  expiresAt: z.iso.datetime().optional(),
  revokedAt: z.iso.datetime().optional(),
  revokedBy: z.string().max(300).optional(),
  /** The key this one replaced in a rotation. */
  replaces: KeyId.optional(),
  /**
   * A lab key held by one of the lab's named security contacts: it reads the detail of every clearinghouse
   * finding about the lab's models, whatever its TLP (shared/domain/clearinghouse/access.ts).
   */
  securityContact: z.boolean().optional(),
  /** The keys the system that holds this key signs its acts with; a rotation carries them to the new key. */
  signingKeys: z.array(SigningKeyRecord).optional(),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecord>;

/** Release 1's file: no holder (a label at most), no expiry, no revocation. */
const RecordV1 = z.object({
  id: KeyId,
  principal: Principal,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  label: z.string().max(200).optional(),
  createdAt: z.iso.datetime(),
});
const FileV1 = z.object({ version: z.literal(1), keys: z.array(RecordV1) });
export const ApiKeyFile = z.object({ version: z.literal(2), keys: z.array(ApiKeyRecord) });
export type ApiKeyFile = z.infer<typeof ApiKeyFile>;

/** The principals whose systems sign acts (shared/domain/signed-act.ts): agencies and the chair. */
const SIGNING_PRINCIPALS = /^(agency:|chair$)/;

/** Keys begin with a fixed prefix so secret scanners and humans recognise them. */
const KEY_PREFIX = 'frk_';

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** Why a presented key is refused, or the record it stands for. */
export type KeyLookup =
  { ok: true; record: ApiKeyRecord } | { ok: false; reason: 'UNKNOWN' | 'EXPIRED' | 'REVOKED' };

export const isActive = (r: ApiKeyRecord, now: number): boolean =>
  r.revokedAt === undefined && (r.expiresAt === undefined || Date.parse(r.expiresAt) > now);

/** A new key: the plaintext (shown once) and the record to store. */
export function newApiKey(
  principal: KeyPrincipal,
  holder: string,
  extra: Partial<Pick<ApiKeyRecord, 'createdBy' | 'expiresAt' | 'replaces' | 'securityContact'>> = {},
): { key: string; record: ApiKeyRecord } {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = ApiKeyRecord.parse({
    id: `key_${randomBytes(9)
      .toString('base64url')
      .replace(/[^A-Za-z0-9]/g, 'x')}`,
    principal,
    holder,
    sha256: hashApiKey(key),
    createdAt: new Date().toISOString(),
    ...extra,
  });
  return { key, record };
}

function parseFile(file: string, text: string): ApiKeyFile {
  const json = JSON.parse(text) as unknown;
  const v1 = FileV1.safeParse(json);
  if (v1.success) {
    return {
      version: 2,
      keys: v1.data.keys.map(({ label, ...r }) => ({ ...r, holder: label ?? 'unnamed (release 1 key)' })),
    };
  }
  const parsed = ApiKeyFile.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`API key file ${file} is not valid: ${problems}`);
  }
  return parsed.data;
}

/** Writes the file readable by its owner only, atomically (a crash never leaves half a file). */
const writeFile = (file: string, content: ApiKeyFile): void =>
  writeOwnerFile(file, ApiKeyFile.parse(content));

/** A refusal of a key change: the code the API answers with. */
export class KeyChangeError extends Error {
  constructor(
    readonly code:
      | 'KEY_NOT_FOUND'
      | 'KEY_NOT_ACTIVE'
      | 'EXPIRY_IN_THE_PAST'
      | 'SIGNING_KEY_NOT_ALLOWED'
      | 'SIGNING_KEY_ALREADY_REGISTERED'
      | 'SIGNING_KEY_NOT_FOUND',
    message: string,
  ) {
    super(message);
  }
}

/** The key store of one deployment, read from its file and kept current. */
export class ApiKeys {
  private byHash = new Map<string, ApiKeyRecord>();
  private records: ApiKeyRecord[] = [];
  private version = '';

  private constructor(readonly file: string) {}

  /** Opens an existing store; a missing file is an error naming the command that creates it. */
  static open(file: string): ApiKeys {
    if (!existsSync(file)) {
      throw new Error(
        `API keys: no file at ${file}; create the first administrator key with ` +
          '`npx frontier-review admin bootstrap` (or set API_KEYS_FILE)',
      );
    }
    const store = new ApiKeys(file);
    store.refresh();
    return store;
  }

  /** Creates the store with these keys when its file does not exist yet, then opens it. */
  static async create(file: string, keys: readonly ApiKeyRecord[]): Promise<ApiKeys> {
    mkdirSync(path.dirname(file), { recursive: true });
    if (!existsSync(file)) writeFile(file, { version: 2, keys: [...keys] });
    return ApiKeys.open(file);
  }

  /** Reads the file again if it changed since the last read. Cheap (one stat): it runs before every lookup. */
  refresh(): void {
    const version = fileVersion(this.file);
    if (version === this.version) return;
    const content = parseFile(this.file, readFileSync(this.file, 'utf8'));
    this.records = content.keys;
    this.byHash = new Map(content.keys.map((r) => [r.sha256, r]));
    this.version = version;
  }

  /** The record behind a presented key, as the file says now. */
  lookup(presented: string, now = Date.now()): KeyLookup {
    this.refresh();
    const record = this.byHash.get(hashApiKey(presented));
    if (record === undefined) return { ok: false, reason: 'UNKNOWN' };
    if (record.revokedAt !== undefined) return { ok: false, reason: 'REVOKED' };
    if (!isActive(record, now)) return { ok: false, reason: 'EXPIRED' };
    return { ok: true, record };
  }

  /** An active key's record, or undefined. */
  find(presented: string): ApiKeyRecord | undefined {
    const found = this.lookup(presented);
    return found.ok ? found.record : undefined;
  }

  list(): ApiKeyRecord[] {
    this.refresh();
    return [...this.records];
  }

  get size(): number {
    return this.list().length;
  }

  /** Changes the file under its lock: reads it, applies `change`, writes it; answers what `change` answers. */
  private async change<T>(change: (keys: ApiKeyRecord[]) => { keys: ApiKeyRecord[]; result: T }): Promise<T> {
    return underLock(this.file, () => {
      const current = parseFile(this.file, readFileSync(this.file, 'utf8'));
      const { keys, result } = change(current.keys);
      writeFile(this.file, { version: 2, keys });
      this.refresh();
      return result;
    });
  }

  private static target(keys: ApiKeyRecord[], id: string, now: number): ApiKeyRecord {
    const record = keys.find((k) => k.id === id);
    if (record === undefined) throw new KeyChangeError('KEY_NOT_FOUND', `no API key ${id}`);
    if (!isActive(record, now)) {
      throw new KeyChangeError(
        'KEY_NOT_ACTIVE',
        `API key ${id} is already ${record.revokedAt ? 'revoked' : 'expired'}`,
      );
    }
    return record;
  }

  /** Stores a key made elsewhere (the bootstrap). */
  add(record: ApiKeyRecord): Promise<void> {
    return this.change((keys) => ({ keys: [...keys, record], result: undefined }));
  }

  /** Issues a key; the plaintext is in the answer and nowhere else. */
  issue(
    principal: KeyPrincipal,
    holder: string,
    by: string,
    expiresAt?: string,
    securityContact?: boolean,
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    if (expiresAt !== undefined && Date.parse(expiresAt) <= Date.now()) {
      return Promise.reject(new KeyChangeError('EXPIRY_IN_THE_PAST', `${expiresAt} has passed`));
    }
    return this.change((keys) => {
      const created = newApiKey(principal, holder, {
        createdBy: by,
        expiresAt,
        ...(securityContact === true ? { securityContact } : {}),
      });
      return { keys: [...keys, created.record], result: created };
    });
  }

  /**
   * Rotates a key: a new key for the same principal and holder, and the old one stays valid for `overlapMs`
   * (or until its own expiry, if sooner), so clients switch over with no refused request.
   */
  rotate(
    id: string,
    by: string,
    overlapMs: number,
  ): Promise<{ key: string; record: ApiKeyRecord; previous: ApiKeyRecord }> {
    return this.change((keys) => {
      const now = Date.now();
      const old = ApiKeys.target(keys, id, now);
      const created = newApiKey(old.principal, old.holder, {
        createdBy: by,
        replaces: old.id,
        expiresAt: old.expiresAt,
        ...(old.securityContact === true ? { securityContact: true } : {}),
        // The same system: it goes on signing with the keys registered for it.
        ...(old.signingKeys === undefined ? {} : { signingKeys: old.signingKeys }),
      });
      const until = Math.min(
        now + overlapMs,
        old.expiresAt === undefined ? Infinity : Date.parse(old.expiresAt),
      );
      const previous = { ...old, expiresAt: new Date(until).toISOString() };
      return {
        keys: [...keys.map((k) => (k.id === id ? previous : k)), created.record],
        result: { ...created, previous },
      };
    });
  }

  /** Sets when a key expires (earlier or later); an expired or revoked key stays so. */
  expire(id: string, at: string): Promise<ApiKeyRecord> {
    return this.change((keys) => {
      const now = Date.now();
      const old = ApiKeys.target(keys, id, now);
      if (Date.parse(at) < now)
        throw new KeyChangeError('EXPIRY_IN_THE_PAST', `${at} has passed; revoke the key instead`);
      const changed = { ...old, expiresAt: at };
      return { keys: keys.map((k) => (k.id === id ? changed : k)), result: changed };
    });
  }

  /**
   * Registers an Ed25519 public key for the system that holds an active API key (an agency's or the chair's:
   * the principals whose acts are signed). The same key twice, for any API key, is refused.
   */
  registerSigningKey(
    apiKeyId: string,
    key: Pick<SigningKeyRecord, 'id' | 'jwk'>,
    by: string,
  ): Promise<ApiKeyRecord> {
    return this.change((keys) => {
      const old = ApiKeys.target(keys, apiKeyId, Date.now());
      if (!SIGNING_PRINCIPALS.test(old.principal)) {
        throw new KeyChangeError(
          'SIGNING_KEY_NOT_ALLOWED',
          `${old.principal} makes no act that is signed: only agencies' and the chair's systems sign`,
        );
      }
      const holder = keys.find((k) => k.signingKeys?.some((s) => s.id === key.id));
      if (holder !== undefined) {
        throw new KeyChangeError(
          'SIGNING_KEY_ALREADY_REGISTERED',
          `signing key ${key.id} is registered for ${holder.id}`,
        );
      }
      const record = SigningKeyRecord.parse({
        ...key,
        registeredAt: new Date().toISOString(),
        registeredBy: by,
      });
      const changed = { ...old, signingKeys: [...(old.signingKeys ?? []), record] };
      return { keys: keys.map((k) => (k.id === apiKeyId ? changed : k)), result: changed };
    });
  }

  /** Revokes a signing key on every API key that carries it (a rotation carried it on): it signs nothing more. */
  revokeSigningKey(signingKeyId: string, by: string): Promise<ApiKeyRecord[]> {
    return this.change((keys) => {
      const holders = keys.filter((k) => k.signingKeys?.some((s) => s.id === signingKeyId));
      if (holders.length === 0)
        throw new KeyChangeError('SIGNING_KEY_NOT_FOUND', `no signing key ${signingKeyId}`);
      if (holders.every((k) => k.signingKeys!.find((s) => s.id === signingKeyId)!.revokedAt !== undefined)) {
        throw new KeyChangeError('KEY_NOT_ACTIVE', `signing key ${signingKeyId} is already revoked`);
      }
      const revokedAt = new Date().toISOString();
      const revoke = (k: ApiKeyRecord): ApiKeyRecord => ({
        ...k,
        signingKeys: k.signingKeys?.map((s) =>
          s.id === signingKeyId && s.revokedAt === undefined ? { ...s, revokedAt, revokedBy: by } : s,
        ),
      });
      const changed = keys.map((k) => (holders.includes(k) ? revoke(k) : k));
      return { keys: changed, result: changed.filter((k) => holders.some((h) => h.id === k.id)) };
    });
  }

  /** The signing key `kid` registered for an API key, as the file says now (revoked or not). */
  signingKey(apiKeyId: string, kid: string): { apiKey: ApiKeyRecord; key: SigningKeyRecord } | undefined {
    this.refresh();
    const apiKey = this.records.find((r) => r.id === apiKeyId);
    const key = apiKey?.signingKeys?.find((s) => s.id === kid);
    return apiKey === undefined || key === undefined ? undefined : { apiKey, key };
  }

  /** Revokes a key: refused from the next request on, by every gateway that reads this file. */
  revoke(id: string, by: string): Promise<ApiKeyRecord> {
    return this.change((keys) => {
      const old = ApiKeys.target(keys, id, Date.now());
      const changed = { ...old, revokedAt: new Date().toISOString(), revokedBy: by };
      return { keys: keys.map((k) => (k.id === id ? changed : k)), result: changed };
    });
  }
}

/**
 * Development principals: a sample lab, each default agency, a sample early-access operator, the chair,
 * operations staff and an administrator.
 */
export const DEVELOPMENT_PRINCIPALS: readonly KeyPrincipal[] = [
  'lab:sample-lab',
  ...['NSA', 'CISA', 'DOW', 'CAISI', 'DOE', 'TREASURY'].map((a) => `agency:${a}`),
  'operator:sample-grid',
  'chair',
  'ops',
  'admin',
];

export interface LoadedApiKeys {
  keys: ApiKeys;
  /** Plaintext keys created by this call (development keys on a first start); empty otherwise. */
  created: { principal: KeyPrincipal; key: string; id: string }[];
}

/**
 * Opens the key store. When it does not exist and `createDevelopmentKeys` is set (the embedded default), it
 * is first created with one key per development principal; otherwise a missing store is an error that names
 * the bootstrap command.
 */
export async function loadApiKeys(file: string, createDevelopmentKeys: boolean): Promise<LoadedApiKeys> {
  if (existsSync(file) || !createDevelopmentKeys) return { keys: ApiKeys.open(file), created: [] };
  const created = DEVELOPMENT_PRINCIPALS.map((p) =>
    newApiKey(p, 'development key', { createdBy: 'npm start' }),
  );
  const keys = await ApiKeys.create(
    file,
    created.map((c) => c.record),
  );
  return {
    keys,
    created: created.map((c) => ({ principal: c.record.principal, key: c.key, id: c.record.id })),
  };
}

/**
 * The first administrator key of a deployment, written to `out` (mode 0600) and never printed: the one way in
 * before any key exists. Refused when the store already has an active administrator key.
 */
export async function bootstrapAdmin(file: string, out: string, holder: string): Promise<{ id: string }> {
  if (
    existsSync(file) &&
    ApiKeys.open(file)
      .list()
      .some((k) => k.principal === 'admin' && isActive(k, Date.now()))
  ) {
    throw new Error(
      `API keys: ${file} already has an active administrator key; issue more with \`frontier-review keys issue admin\``,
    );
  }
  if (existsSync(out))
    throw new Error(`${out} exists; choose another --out, the bootstrap never overwrites a key file`);
  // The key file first: a key that was stored but never written out would lock the bootstrap for good.
  const { key, record } = newApiKey('admin', holder, { createdBy: 'bootstrap' });
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${key}\n`, { mode: 0o600, flag: 'wx' });
  const store = existsSync(file) ? ApiKeys.open(file) : await ApiKeys.create(file, []);
  await store.add(record);
  return { id: record.id };
}
