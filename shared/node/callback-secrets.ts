import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const SecretsFile = z.record(z.string().min(1), z.array(z.string().min(16)).min(1).max(2));

/**
 * The product's secret store for lab callback secrets, to begin with a JSON file: `{ "<labId>": ["<secret>"] }`,
 * two secrets while one is rotated out. Secrets stay here and in the delivery activity, never in history.
 */
export class CallbackSecrets {
  private constructor(private readonly byLab: Map<string, string[]>) {}

  static fromFile(file: string): CallbackSecrets {
    if (!existsSync(file)) return new CallbackSecrets(new Map());
    const parsed = SecretsFile.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success)
      throw new Error(
        `${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    return new CallbackSecrets(new Map(Object.entries(parsed.data)));
  }

  static of(entries: Record<string, string[]>): CallbackSecrets {
    return new CallbackSecrets(new Map(Object.entries(SecretsFile.parse(entries))));
  }

  secretsFor(labId: string): string[] {
    return this.byLab.get(labId) ?? [];
  }
}

/**
 * Development only: makes sure the development lab has a callback secret, creating the file when missing.
 * Returns the secret when it was just created, so the caller can show it once.
 */
export function ensureDevelopmentSecret(file: string, labId: string): string | undefined {
  if (existsSync(file)) return undefined;
  const secret = randomBytes(24).toString('base64url');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify({ [labId]: [secret] }, null, 2)}\n`, { mode: 0o600 });
  return secret;
}
