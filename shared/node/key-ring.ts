import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeOwnerFile } from './owner-file';

/**
 * A ring of AES-256 keys: new data is sealed with the current key, and every key of the ring still opens what
 * it sealed, so a key is rotated by adding a new one and making it current, and retired (removed) only once
 * nothing sealed with it is still needed. Key ids travel with the data; the keys never leave this process.
 */
export const KeyRingFile = z.strictObject({
  current: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  keys: z.record(
    z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    z.string().refine((k) => Buffer.from(k, 'base64').length === 32, 'a base64 AES-256 key (32 bytes)'),
  ),
});
export type KeyRingFile = z.infer<typeof KeyRingFile>;

export class KeyRing {
  private constructor(
    readonly name: string,
    readonly current: string,
    private readonly keys: ReadonlyMap<string, Buffer>,
  ) {}

  static of(name: string, file: KeyRingFile): KeyRing {
    const parsed = KeyRingFile.parse(file);
    if (parsed.keys[parsed.current] === undefined) {
      throw new Error(`${name} key ring: the current key ${parsed.current} is not in the ring`);
    }
    const keys = new Map(Object.entries(parsed.keys).map(([id, k]) => [id, Buffer.from(k, 'base64')]));
    return new KeyRing(name, parsed.current, keys);
  }

  /** The key with this id, if the ring still holds it. */
  key(id: string): Buffer | undefined {
    return this.keys.get(id);
  }

  get currentKey(): Buffer {
    return this.keys.get(this.current)!;
  }

  ids(): string[] {
    return [...this.keys.keys()];
  }
}

/** A new ring of one random key, as the embedded default and `frontier-review admin encryption` make them. */
export const newKeyRingFile = (id = `k${Date.now().toString(36)}`): KeyRingFile => ({
  current: id,
  keys: { [id]: randomBytes(32).toString('base64') },
});

/** A ring with a new current key added: the old keys stay, so what they sealed still opens. */
export function rotated(file: KeyRingFile): KeyRingFile {
  const next = newKeyRingFile();
  return { current: next.current, keys: { ...file.keys, ...next.keys } };
}

export function readKeyRingFile(file: string): KeyRingFile {
  const parsed = KeyRingFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(`${file} is not a key ring: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  }
  return parsed.data;
}

export function writeKeyRingFile(file: string, content: KeyRingFile): void {
  writeOwnerFile(file, KeyRingFile.parse(content), 0o700);
}

/**
 * A ring from the environment (its JSON in `fromEnv`), else from its file. With `createIfMissing` (the embedded
 * default) a missing file is created with one new key; otherwise a missing ring is an error that says how to
 * make one.
 */
export function loadKeyRing(opts: {
  name: string;
  file: string;
  fromEnv?: string;
  createIfMissing: boolean;
}): { ring: KeyRing; created: boolean } {
  if (opts.fromEnv !== undefined)
    return { ring: KeyRing.of(opts.name, KeyRingFile.parse(JSON.parse(opts.fromEnv))), created: false };
  if (!existsSync(opts.file)) {
    if (!opts.createIfMissing) {
      throw new Error(
        `${opts.name} keys: no key ring at ${opts.file}; create one with \`npx frontier-review admin encryption init\``,
      );
    }
    writeKeyRingFile(opts.file, newKeyRingFile());
    return { ring: KeyRing.of(opts.name, readKeyRingFile(opts.file)), created: true };
  }
  return { ring: KeyRing.of(opts.name, readKeyRingFile(opts.file)), created: false };
}
