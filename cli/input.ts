import { readFileSync } from 'node:fs';
import { UsageError } from './errors';

/** A file's text, or standard input's for `-`. */
export function readText(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file === '-' ? 'standard input' : file}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** A JSON object from a file (or `-`); its fields are checked by the API, which names each problem. */
export function readJsonObject(file: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(readText(file));
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(`${file} is not JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new UsageError(`${file} must hold one JSON object`);
  }
  return json as Record<string, unknown>;
}
