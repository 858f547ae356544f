import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { seededRandom, shuffled } from './shuffle';

/**
 * Prints every test file of the suite, one a line, in the order the seed gives (scripts/test.sh runs them in
 * that order, three at a time, each starting as one ends). Usage: tsx scripts/test-files.ts <seed>
 *
 * The seed shuffles the long files (LONG_MS or more in test/setup/file-weights.tsv, a measured run's file
 * times) among themselves and the rest among themselves; the long ones are then spread over the first half of
 * the order, one every few short ones. A long file that happened to start last would otherwise run alone at the
 * end while the other workers sit idle (a seed's run took up to two minutes longer that way). A file the table
 * does not know counts as short. `npm run test:weights` refreshes the table from the last run.
 */
const root = path.resolve(__dirname, '..');
export const WEIGHTS = path.join(root, 'test', 'setup', 'file-weights.tsv');
const LONG_MS = 30_000;

function testFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : testFiles(rel);
    return e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

/** Each file's measured time, from `<ms>\t<file>` lines. */
function weights(): Map<string, number> {
  if (!existsSync(WEIGHTS)) return new Map();
  return new Map(
    readFileSync(WEIGHTS, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => {
        const [ms, file] = l.split('\t');
        return [file, Number(ms)] as const;
      }),
  );
}

/** The long files, each followed by its share of the short ones, until the long are placed; then the rest. */
export function ordered(files: readonly string[], seed: number, weightOf: Map<string, number>): string[] {
  const random = seededRandom(seed);
  const all = shuffled([...files].sort(), random);
  const long = all.filter((f) => (weightOf.get(f) ?? 0) >= LONG_MS);
  const short = all.filter((f) => (weightOf.get(f) ?? 0) < LONG_MS);
  // Half the short files go between the long ones, so the last long file starts about half-way through.
  const between = long.length === 0 ? 0 : Math.floor(short.length / 2 / long.length);
  const out: string[] = [];
  for (const f of long) out.push(f, ...short.splice(0, between));
  return [...out, ...short];
}

if (require.main === module) {
  const seed = Number(process.argv[2]);
  if (!Number.isSafeInteger(seed)) throw new Error('usage: test-files.ts <seed: a whole number>');
  process.stdout.write(`${ordered(testFiles('test'), seed, weights()).join('\n')}\n`);
}
