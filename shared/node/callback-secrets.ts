import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { newCallbackSecret } from './callback-signature';
import { fileVersion, underLock, writeOwnerFile } from './owner-file';

const SecretsFile = z.record(z.string().min(1), z.array(z.string().min(16)).min(1).max(2));
type SecretsFile = z.infer<typeof SecretsFile>;

function parse(file: string): SecretsFile {
  const parsed = SecretsFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

const write = (file: string, content: SecretsFile): void => writeOwnerFile(file, content);

/**
 * The product's secret store for lab callback secrets, a JSON file: `{ "<labId>": ["<secret>"] }`, two secrets
 * while one is rotated out. Secrets stay here and in the delivery activity, never in history. The file is read
 * again whenever it changed, so a lab added by an administrator gets its callbacks signed without a restart;
 * a missing file is an error for every lab, never an empty store.
 */
export class CallbackSecrets {
  private version = '';
  private byLab = new Map<string, string[]>();

  private constructor(
    private readonly file: string | undefined,
    entries: SecretsFile = {},
  ) {
    this.byLab = new Map(Object.entries(entries));
  }

  static fromFile(file: string): CallbackSecrets {
    return new CallbackSecrets(file);
  }

  static of(entries: Record<string, string[]>): CallbackSecrets {
    return new CallbackSecrets(undefined, SecretsFile.parse(entries));
  }

  secretsFor(labId: string): string[] {
    if (this.file !== undefined) this.refresh(this.file);
    return this.byLab.get(labId) ?? [];
  }

  private refresh(file: string): void {
    if (!existsSync(file)) {
      throw new Error(`no callback secrets file at ${file}: add the lab with \`frontier-review labs add\``);
    }
    const version = fileVersion(file);
    if (version === this.version) return;
    this.byLab = new Map(Object.entries(parse(file)));
    this.version = version;
  }
}

/**
 * Changes one lab's secrets under the file's lock: `change` gets them (undefined: none) and answers the lab's new
 * secrets (undefined: leave the file as it is) with its result.
 */
async function changeLab<T>(
  file: string,
  labId: string,
  change: (secrets: string[] | undefined) => { secrets?: string[]; result: T },
): Promise<T> {
  return underLock(file, () => {
    const current = parse(file);
    const { secrets, result } = change(current[labId]);
    if (secrets !== undefined) write(file, { ...current, [labId]: secrets });
    return result;
  });
}

/** A lab's new callback secret, added to the file under its lock; refused when the lab has one already. */
export async function addLabSecret(file: string, labId: string): Promise<string | undefined> {
  mkdirSync(path.dirname(file), { recursive: true });
  if (!existsSync(file)) write(file, {});
  return changeLab(file, labId, (had) => {
    if (had !== undefined) return { result: undefined };
    const secret = newCallbackSecret();
    return { secrets: [secret], result: secret };
  });
}

/**
 * Development only: makes sure the development lab has a callback secret, creating the file when missing.
 * Returns the secret when it was just created, so the caller can show it once.
 */
export function ensureDevelopmentSecret(file: string, labId: string): string | undefined {
  if (existsSync(file)) return undefined;
  const secret = newCallbackSecret();
  write(file, { [labId]: [secret] });
  return secret;
}

/** Where a lab's callback secrets stand: how many sign its callbacks, two while a rotation is under way. */
export interface LabSecretState {
  secrets: number;
  rotating: boolean;
}

export function labSecretState(file: string, labId: string): LabSecretState {
  const secrets = existsSync(file) ? CallbackSecrets.fromFile(file).secretsFor(labId).length : 0;
  return { secrets, rotating: secrets === 2 };
}

/**
 * A lab's own rotation (issue 38): a new secret beside the one in force, so callbacks are signed with both until
 * the lab completes the rotation. Rotating again before that replaces the new secret (one lost before it was
 * stored is replaced, not added to); the secret in force stays. Undefined when the lab has no secret at all
 * (an administrator adds the lab first).
 */
export async function rotateLabSecret(file: string, labId: string): Promise<string | undefined> {
  if (!existsSync(file)) return undefined;
  return changeLab(file, labId, (had) => {
    const inForce = had?.[0];
    if (inForce === undefined) return { result: undefined };
    const secret = newCallbackSecret();
    return { secrets: [inForce, secret], result: secret };
  });
}

/** Ends a lab's rotation: the old secret is retired and the new one alone signs. False when none is under way. */
export async function completeLabSecretRotation(file: string, labId: string): Promise<boolean> {
  if (!existsSync(file)) return false;
  return changeLab(file, labId, (had) =>
    had?.length === 2 ? { secrets: [had[1]], result: true } : { result: false },
  );
}
