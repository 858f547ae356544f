import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Summary } from './stats';

export const MB = 1024 * 1024;
export const mb = (bytes: number | undefined): number | undefined =>
  bytes === undefined ? undefined : Math.round((bytes / MB) * 10) / 10;

export type Cell = string | number | undefined;

const show = (v: Cell): string => {
  if (v === undefined) return '—';
  if (typeof v === 'number')
    return Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 3 : 1).replace(/\.?0+$/, '');
  return v;
};

/** A plain-text table: the first row is the header. */
export function table(rows: Cell[][]): string {
  const text = rows.map((r) => r.map(show));
  const widths = text[0].map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(text[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...text.slice(1).map(line)].join('\n');
}

/** review ÷ baseline, two decimals; undefined when either side is missing. */
export const ratio = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined || b === undefined || b === 0 ? undefined : Math.round((a / b) * 100) / 100;

export const pct = (s: Summary | undefined, k: 'p50' | 'p95' | 'p99'): number | undefined => s?.[k];

export function writeJson(file: string, data: unknown): string {
  const abs = path.resolve(file);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, `${JSON.stringify(data, null, 2)}\n`);
  return abs;
}
