/**
 * Plain-text output: aligned tables and label/value blocks, times in UTC. Text from the API (model names,
 * summaries, reasons) is written by other parties, so control characters are shown escaped, never sent to
 * the terminal.
 */

export type Cell = string | number | boolean | undefined | null;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** One line of text: whitespace runs become one space, control characters are escaped. */
export function clean(value: Cell): string {
  if (value === undefined || value === null || value === '') return '-';
  return String(value)
    .replace(/[\t\n\r]+/g, ' ')
    .replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Long free text cut to `max` characters with an ellipsis; --json has it whole. */
export const cut = (value: Cell, max: number): string => {
  const s = clean(value);
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
};

/** Columns aligned by two spaces, a header row in capitals; "(none)" for no rows. */
export function table(headers: string[], rows: Cell[][]): string {
  if (rows.length === 0) return '(none)\n';
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((r) => r.map(clean))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => c + ' '.repeat(widths[i] - [...c].length))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
    .concat('\n');
}

/** `label  value` lines with the values aligned; undefined values are left out. */
export function fields(pairs: [string, Cell][]): string {
  const shown = pairs.filter(([, v]) => v !== undefined);
  const width = Math.max(...shown.map(([k]) => k.length));
  return shown.map(([k, v]) => `${k.padEnd(width)}  ${clean(v)}`.trimEnd()).join('\n') + '\n';
}

/** An instant as `2027-01-11 10:00Z`: UTC, to the minute (the JSON has it to the millisecond). */
export function when(iso: string | undefined): string | undefined {
  if (iso === undefined) return undefined;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')}Z`;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A span as `44d 23h`, `5h 2m` or `12m`. */
export function span(ms: number): string {
  const a = Math.abs(ms);
  if (a >= DAY) return `${Math.floor(a / DAY)}d ${Math.floor((a % DAY) / HOUR)}h`;
  if (a >= HOUR) return `${Math.floor(a / HOUR)}h ${Math.floor((a % HOUR) / MINUTE)}m`;
  return `${Math.floor(a / MINUTE)}m`;
}

/** How far `iso` is from `now` (the case's own `asOf`, so the text follows from the answer alone). */
export function relative(iso: string, now: string): string {
  const ms = Date.parse(iso) - Date.parse(now);
  if (Math.abs(ms) < MINUTE) return 'now';
  return ms > 0 ? `in ${span(ms)}` : `${span(ms)} ago`;
}

export const list = (xs: readonly string[] | undefined): string | undefined =>
  xs === undefined || xs.length === 0 ? undefined : xs.join(', ');

/** A section heading between blocks. */
export const heading = (title: string): string => `\n${title}\n`;
