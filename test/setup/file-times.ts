import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * How long each test file took in a parallel run, hooks and servers included (mocha reports only its tests'
 * own durations): each worker appends `<ms>\t<file>` per file it ran, and the global teardown prints the
 * slowest, so the suite's time budget shows where it goes on every run, CI's included.
 */
const folder = (runDir: string): string => path.join(runDir, 'file-times');

export function recordFileTime(runDir: string, file: string, ms: number): void {
  mkdirSync(folder(runDir), { recursive: true });
  appendFileSync(path.join(folder(runDir), `${process.pid}.tsv`), `${ms}\t${file}\n`);
}

/** Every file's time in the run, slowest first. */
function fileTimes(runDir: string): { ms: number; file: string }[] {
  let names: string[];
  try {
    names = readdirSync(folder(runDir));
  } catch {
    return [];
  }
  return names
    .flatMap((name) => readFileSync(path.join(folder(runDir), name), 'utf8').split('\n'))
    .filter((line) => line !== '')
    .map((line) => {
      const [ms, file] = line.split('\t');
      return { ms: Number(ms), file: path.relative(process.cwd(), file ?? '') };
    })
    .sort((a, b) => b.ms - a.ms);
}

/**
 * The slowest files, for the end of the run's output; and every file's time in `table` (test-results/file-times.tsv
 * after `npm test`), to compare two runs file by file.
 */
export function slowestFiles(runDir: string, count: number, table?: string): string[] {
  const rows = fileTimes(runDir);
  // A run of one process (no parallel workers) records no file's time: the last parallel run's table stays.
  if (table !== undefined && rows.length > 0) {
    mkdirSync(path.dirname(table), { recursive: true });
    writeFileSync(table, rows.map((r) => `${r.ms}\t${r.file}\n`).join(''));
  }
  const total = rows.reduce((sum, r) => sum + r.ms, 0);
  return [
    `test files: ${rows.length}, ${(total / 1000).toFixed(0)} s in all (both workers); the slowest:`,
    ...rows.slice(0, count).map((r) => `  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${r.file}`),
  ];
}
