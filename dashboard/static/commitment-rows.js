/* global document */
// Rows of commitments, as the commitments page and a case's page list them.
import { el, fmtRelative, fmtWashington, human } from './common.js';

/** One commitment as a list shows it (also on a case's page). */
export function commitmentRow(k) {
  return el(
    'tr',
    {},
    el('th', { scope: 'row' }, el('code', { text: k.commitmentId })),
    el(
      'td',
      {},
      k.caseId ? el('a', { href: `/dashboard/cases/${encodeURIComponent(k.caseId)}`, text: k.caseId }) : '—',
    ),
    el('td', { text: k.owner ?? '—' }),
    el('td', { text: human(k.state ?? '') || '—' }),
    el(
      'td',
      {},
      k.nextDeadline
        ? el('time', {
            datetime: k.nextDeadline,
            title: fmtWashington(k.nextDeadline),
            text: `${fmtRelative(k.nextDeadline)} (${k.nextParty ?? '—'})`,
          })
        : '—',
    ),
    el('td', { text: k.flags.length === 0 ? '—' : k.flags.map(human).join(', ') }),
  );
}

/** Fills a table's body with commitments, or "None.", and its heading's count. */
export function fillCommitments(id, items) {
  const body = document.querySelector(`#${id} tbody`);
  body.replaceChildren(
    ...(items.length === 0
      ? [el('tr', {}, el('td', { colspan: 6, className: 'empty', text: 'None.' }))]
      : items.map(commitmentRow)),
  );
  const count = document.getElementById(`${id}-count`);
  if (count !== null) count.textContent = String(items.length);
}
