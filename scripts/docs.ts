import { z } from 'zod';
import { ERRORS } from '../shared/domain/errors';
import { EVENTS, type EventType } from '../shared/domain/review/events';
import { MESSAGES, type Message } from '../shared/domain/review/messages';

/**
 * The README's reference tables, rendered from the declarations they describe (events, messages, errors),
 * so the documentation cannot drift from the code: `npm run docs` rewrites them, and a test fails when the
 * README holds anything else.
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

export function renderMessageTable(): string {
  const rows = (Object.values(MESSAGES) as Message[]).map((m) => [
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

export const SECTIONS = { events: renderEventTable, messages: renderMessageTable, errors: renderErrorTable };

/** README text with every `<!-- name:begin -->…<!-- name:end -->` section rendered anew. */
export function renderReadme(readme: string): string {
  let text = readme;
  for (const [name, render] of Object.entries(SECTIONS)) {
    const begin = `<!-- ${name}:begin (npm run docs) -->`;
    const end = `<!-- ${name}:end -->`;
    const from = text.indexOf(begin);
    const to = text.indexOf(end);
    if (from < 0 || to < from) throw new Error(`README.md has no ${begin} … ${end} section`);
    text = `${text.slice(0, from + begin.length)}\n\n${render()}\n\n${text.slice(to)}`;
  }
  return text;
}
