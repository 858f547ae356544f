import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { Principal } from '../domain/principal';

/**
 * The gateway's API keys: random bearer tokens, each mapped to one principal. Only a key's SHA-256 is stored.
 * A plain hash is enough here because a key carries 256 random bits: nothing can be guessed from it, so the
 * slow, salted hashes that protect low-entropy passwords would add cost and no safety.
 */
export const ApiKeyRecord = z.object({
  /** A short public handle for logs and revocation; not a secret. */
  id: z.string().regex(/^key_[A-Za-z0-9]{8,32}$/),
  principal: Principal,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  label: z.string().max(200).optional(),
  createdAt: z.iso.datetime(),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecord>;

export const ApiKeyFile = z.object({ version: z.literal(1), keys: z.array(ApiKeyRecord) });
export type ApiKeyFile = z.infer<typeof ApiKeyFile>;

/** Keys begin with a fixed prefix so secret scanners and humans recognise them. */
const KEY_PREFIX = 'frk_';

export const hashApiKey = (key: string): string => createHash('sha256').update(key, 'utf8').digest('hex');

/** Looks up the principal behind a presented key. */
export class ApiKeys {
  private readonly byHash: Map<string, ApiKeyRecord>;

  constructor(records: readonly ApiKeyRecord[]) {
    this.byHash = new Map(records.map((r) => [r.sha256, r]));
  }

  /** The key's record, or undefined for an unknown key. */
  find(presented: string): ApiKeyRecord | undefined {
    return this.byHash.get(hashApiKey(presented));
  }

  get size(): number {
    return this.byHash.size;
  }
}

/** A new key for a principal: the plaintext (shown once) and the record to store. */
export function newApiKey(principal: Principal, label?: string): { key: string; record: ApiKeyRecord } {
  const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const record = ApiKeyRecord.parse({
    id: `key_${randomBytes(9)
      .toString('base64url')
      .replace(/[^A-Za-z0-9]/g, 'x')}`,
    principal,
    sha256: hashApiKey(key),
    label,
    createdAt: new Date().toISOString(),
  });
  return { key, record };
}

export async function readApiKeyFile(file: string): Promise<ApiKeyFile> {
  const raw = await readFile(file, 'utf8');
  const parsed = ApiKeyFile.safeParse(JSON.parse(raw));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`API key file ${file} is not valid: ${problems}`);
  }
  return parsed.data;
}

/** Writes the file readable by its owner only, atomically (a crash never leaves half a file). */
export async function writeApiKeyFile(file: string, content: ApiKeyFile): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(ApiKeyFile.parse(content), null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/** Adds keys for the given principals to the file (creating it) and returns their plaintexts, once. */
export async function addApiKeys(
  file: string,
  principals: readonly { principal: Principal; label?: string }[],
): Promise<{ principal: Principal; key: string; id: string }[]> {
  const current = existsSync(file) ? await readApiKeyFile(file) : { version: 1 as const, keys: [] };
  const created = principals.map((p) => newApiKey(p.principal, p.label));
  await writeApiKeyFile(file, { version: 1, keys: [...current.keys, ...created.map((c) => c.record)] });
  return created.map((c) => ({ principal: c.record.principal, key: c.key, id: c.record.id }));
}

/** Development principals: a sample lab, each default agency, the chair and operations staff. */
export const DEVELOPMENT_PRINCIPALS: readonly Principal[] = [
  'lab:sample-lab',
  ...['NSA', 'CISA', 'DOW', 'CAISI', 'DOE', 'TREASURY'].map((a) => `agency:${a}`),
  'chair',
  'ops',
];

export interface LoadedApiKeys {
  keys: ApiKeys;
  /** Plaintext keys created by this call (development keys on a first start); empty otherwise. */
  created: { principal: Principal; key: string; id: string }[];
}

/**
 * Loads the key file. When it does not exist and `createDevelopmentKeys` is set (the embedded default),
 * it first creates one key per development principal; otherwise a missing file is an error that says how
 * to create keys.
 */
export async function loadApiKeys(file: string, createDevelopmentKeys: boolean): Promise<LoadedApiKeys> {
  let created: LoadedApiKeys['created'] = [];
  if (!existsSync(file)) {
    if (!createDevelopmentKeys) {
      throw new Error(
        `API key file ${file} does not exist: create keys with \`npx frontier-review admin keys add <principal>\``,
      );
    }
    created = await addApiKeys(
      file,
      DEVELOPMENT_PRINCIPALS.map((principal) => ({ principal, label: 'development key' })),
    );
  }
  const content = await readApiKeyFile(file);
  return { keys: new ApiKeys(content.keys), created };
}
