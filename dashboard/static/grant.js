/* global document, window */
// One early-access grant for operations staff (issue 14, part 4): the operator, who nominated it and why, what
// the operator sees of the model, its state and dates, and its timeline, read on the API (GET /v1/grants/{id}).
import { api, ApiError, autoRefresh, el, fmtRelative, fmtWashington, human, withSession } from './common.js';

const id = decodeURIComponent(
  window.location.pathname.replace(/^\/dashboard\/grants\//, '').replace(/\/$/, ''),
);
const grantUrl = `/v1/grants/${encodeURIComponent(id)}`;

const text = (v) => el('td', { text: v === undefined || v === null || v === '' ? '—' : v });
const time = (iso) => el('td', {}, iso ? el('time', { datetime: iso, text: fmtWashington(iso) }) : '—');
/** A time for a fact: absolute, with how far away it is while the grant is open. */
const when = (iso, open) =>
  iso ? [el('time', { datetime: iso, text: fmtWashington(iso) }), open ? ` (${fmtRelative(iso)})` : ''] : '—';

/** Fills a table's body with rows, or "None." across its columns. */
function fill(tableId, columns, rows) {
  document
    .querySelector(`#${tableId} tbody`)
    .replaceChildren(
      ...(rows.length === 0
        ? [el('tr', {}, el('td', { colspan: columns, className: 'empty', text: 'None.' }))]
        : rows),
    );
}

const facts = (dlId, pairs) =>
  document
    .getElementById(dlId)
    .replaceChildren(...pairs.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));

function caseClosing(c) {
  if (!c) return 'the case is open';
  return [
    `${human(c.reason)}, `,
    el('time', { datetime: c.at, text: fmtWashington(c.at) }),
    ...(c.releasedAt
      ? ['; released ', el('time', { datetime: c.releasedAt, text: fmtWashington(c.releasedAt) })]
      : []),
  ];
}

function render(v) {
  const open = v.closedAt === undefined;
  document.getElementById('grant-title').textContent = `Grant ${v.grantId}`;
  document.title = `${v.grantId} · frontier-review operations`;
  facts('summary', [
    ['Operator', v.operator],
    ['Case', el('a', { href: `/dashboard/cases/${encodeURIComponent(v.caseId)}`, text: v.caseId })],
    ['Lab', v.labId],
    ['Nominated by', v.nominatedBy],
    ['Reason', v.reason],
    ['Nominated', when(v.nominatedAt, false)],
    ['State', v.endReason ? `${human(v.state)} (${human(v.endReason)})` : human(v.state)],
    ["Lab's answer due", when(v.answerDue, v.state === 'NOMINATED')],
    ['Approved', v.approvedAt ? when(v.approvedAt, false) : 'not approved'],
    ['Access ends', when(v.endsAt, open)],
    ['Uses reported', String(v.uses)],
    ['Case closing', caseClosing(v.caseClosed)],
    ['Closed', v.closedAt ? when(v.closedAt, false) : 'open'],
    ['Policy', `${v.policy.id} v${v.policy.version}`],
    [
      'Callbacks',
      `${v.callbacks.pending} pending, ${v.callbacks.delivered} delivered, ${v.callbacks.failed} failed`,
    ],
  ]);
  facts('model', [
    ['Model', `${v.model.name} ${v.model.version}`],
    ['Outcome', human(v.model.outcome)],
    ['Summary', v.model.summary],
  ]);
  fill(
    'grant-timeline',
    5,
    v.timeline.map((t) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row', text: String(t.seq) }),
        time(t.at),
        text(t.actor),
        text(human(t.type)),
        text(t.note),
      ),
    ),
  );
}

async function load() {
  const error = document.getElementById('load-error');
  try {
    render(await api('GET', grantUrl));
    error.textContent = '';
    document.getElementById('status').textContent = `Updated ${fmtWashington(new Date().toISOString())}`;
  } catch (err) {
    error.textContent =
      err instanceof ApiError && err.status === 404
        ? `No record of grant ${id}.`
        : `Could not load the grant: ${err.message}`;
  }
}

withSession(() => {
  const refresh = autoRefresh(load);
  document.getElementById('refresh').addEventListener('click', () => void refresh());
});
