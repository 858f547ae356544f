import { readdirSync } from 'node:fs';
import path from 'node:path';
import { seededRandom, shuffled } from './shuffle';

/**
 * Prints every test file of the suite, one a line, in the order the seed gives (scripts/test.sh runs them in
 * that order). Usage: tsx scripts/test-files.ts <seed>
 */
const root = path.resolve(__dirname, '..');

function testFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'fixtures' ? [] : testFiles(rel);
    return e.name.endsWith('.test.ts') ? [rel] : [];
  });
}

const seed = Number(process.argv[2]);
if (!Number.isSafeInteger(seed)) throw new Error('usage: test-files.ts <seed: a whole number>');
process.stdout.write(`${shuffled(testFiles('test').sort(), seededRandom(seed)).join('\n')}\n`);
