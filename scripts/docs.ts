import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ERRORS } from '../shared/domain/errors';
import { EVENTS, type EventType } from '../shared/domain/review/events';
import { MESSAGES, type Message } from '../shared/domain/review/messages';
import type { Role } from '../shared/domain/principal';

/**
 * The guides' reference tables, rendered from the declarations they describe (events, messages, errors), so
 * the documentation cannot drift from the code: `npm run docs` rewrites them, and a test fails when a guide
 * holds anything else. Each table lives in the guide of the reader who needs it, between
 * `<!-- name:begin (npm run docs) -->` and `<!-- name:end -->`; each name appears once across the files.
 */

const row = (cells: string[]): string => `| ${cells.join(' | ')} |`;
const table = (head: string[], rows: string[][]): string =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

/** A payload's fields: `name`, `name?` when optional, nested fields in parentheses. */
function fields(schema: z.ZodObject): string {
  const parts = Object.entries(schema.shape as Record<string, z.ZodType>).map(([name, field]) => {
    const optional = field.safeParse(undefined).success;
    const inner = unwrap(field);
    const nested = inner instanceof z.ZodObject ? ` (${fields(inner)})` : '';
    return `\`${name}${optional ? '?' : ''}\`${nested}`;
  });
  return parts.length === 0 ? 'nothing: the fact only' : parts.join(', ');
}

/** The schema inside optional, nullable and lazy wrappers (the domain builds rarely parsed shapes lazily). */
const unwrap = (t: z.ZodType): z.ZodType =>
  t instanceof z.ZodOptional || t instanceof z.ZodNullable || t instanceof z.ZodLazy
    ? unwrap(t.unwrap() as z.ZodType)
    : t;

export function renderEventTable(): string {
  const rows = (Object.keys(EVENTS) as EventType[]).map((type) => {
    const spec = EVENTS[type];
    const payload = 'payload' in spec ? fields(spec.payload) : '(not sent to the lab)';
    return [`\`${type}\``, spec.audience, spec.when, payload];
  });
  return table(['event `type`', 'audience', 'when', '`payload` (callback)'], rows);
}

/** The messages any of these roles sends: each guide shows its readers' own. */
export function renderMessageTable(roles: readonly Role[]): string {
  const rows = (Object.values(MESSAGES) as Message[])
    .filter((m) => m.senders.some((s) => roles.includes(s)))
    .map((m) => [
      `\`${m.name}\``,
      m.senders.join(', '),
      m.summary,
      m.rejects.map((c) => `\`${c}\``).join(', ') || '-',
    ]);
  return table(['message', 'sent by', 'what it does', 'refused with (besides the common codes)'], rows);
}

export function renderErrorTable(): string {
  const rows = Object.entries(ERRORS).map(([code, e]) => [`\`${code}\``, String(e.status), e.title]);
  return table(['code', 'HTTP status', 'meaning'], rows);
}

/** Every generated table by the name its markers carry. */
export const SECTIONS: Record<string, () => string> = {
  events: renderEventTable,
  'lab-messages': () => renderMessageTable(['lab']),
  'government-messages': () => renderMessageTable(['agency', 'chair']),
  'ops-messages': () => renderMessageTable(['ops']),
  errors: renderErrorTable,
};

const MARKER = /<!-- ([a-z-]+):begin \(npm run docs\) -->/g;

/** The names of the generated sections a file holds, in order. */
export const sectionsIn = (text: string): string[] => [...text.matchAll(MARKER)].map((m) => m[1]);

/** Markdown text with every `<!-- name:begin -->…<!-- name:end -->` section it holds rendered anew. */
export function renderSections(text: string, file = 'the file'): string {
  let out = text;
  for (const name of sectionsIn(text)) {
    const render = SECTIONS[name];
    if (render === undefined)
      throw new Error(`${file} has a generated section no declaration renders: ${name}`);
    const begin = `<!-- ${name}:begin (npm run docs) -->`;
    const end = `<!-- ${name}:end -->`;
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (to < from) throw new Error(`${file} has ${begin} without ${end} after it`);
    out = `${out.slice(0, from + begin.length)}\n\n${render()}\n\n${out.slice(to)}`;
  }
  return out;
}

export const ROOT = path.resolve(__dirname, '..');

/** The project's documentation: README.md and every Markdown file under docs/, as paths from the root. */
export function markdownFiles(root = ROOT): string[] {
  const under = (dir: string): string[] =>
    readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
      const rel = path.posix.join(dir, e.name);
      if (e.isDirectory()) return under(rel);
      return e.name.endsWith('.md') ? [rel] : [];
    });
  return ['README.md', ...under('docs')];
}

/**
 * Where each generated section lives: every name of SECTIONS exactly once across the files, or an error that
 * says which is missing or doubled.
 */
export function sectionHomes(root = ROOT): Map<string, string> {
  const homes = new Map<string, string>();
  for (const file of markdownFiles(root)) {
    for (const name of sectionsIn(readFileSync(path.join(root, file), 'utf8'))) {
      const earlier = homes.get(name);
      if (earlier !== undefined) throw new Error(`the ${name} table is in both ${earlier} and ${file}`);
      homes.set(name, file);
    }
  }
  const missing = Object.keys(SECTIONS).filter((name) => !homes.has(name));
  if (missing.length > 0) throw new Error(`no guide holds the generated tables: ${missing.join(', ')}`);
  return homes;
}
