/* global document, window */
// One lab's record for operations staff: its trusted-partner status, the policy in force's proposal, the
// chair's decisions, its cases and its commitments, read on the API (GET /v1/labs/{labId}).
import { api, ApiError, autoRefresh, el, fmtWashington, human, withSession } from './common.js';

const id = decodeURIComponent(
  window.location.pathname.replace(/^\/dashboard\/labs\//, '').replace(/\/$/, ''),
);
const labUrl = `/v1/labs/${encodeURIComponent(id)}`;

const text = (v) => el('td', { text: v === undefined || v === null || v === '' ? '—' : v });
const time = (iso) => el('td', {}, iso ? el('time', { datetime: iso, text: fmtWashington(iso) }) : '—');
const caseLink = (caseId) =>
  el('a', { href: `/dashboard/cases/${encodeURIComponent(caseId)}`, text: caseId });
const proposal = (eligible) => (eligible ? 'eligible' : 'not eligible');

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

function render(v) {
  document.getElementById('lab-title').textContent = `Lab ${v.labId}`;
  document.title = `${v.labId} · frontier-review operations`;
  facts('summary', [
    ['Lab', v.labId],
    ['Status', human(v.status)],
    ['Since', v.since ? fmtWashington(v.since) : 'no designation yet'],
    [
      'Callbacks to the lab',
      `${v.callbacks.pending} pending, ${v.callbacks.delivered} delivered, ${v.callbacks.failed} failed`,
    ],
  ]);

  const e = v.eligibility;
  facts('proposal', [
    ['Proposal', proposal(e.eligible)],
    ['Completed reviews', String(e.completedReviews)],
    ['Early releases', String(e.earlyReleases)],
    ['Broken commitments', String(e.brokenCommitments)],
  ]);
  document
    .getElementById('unmet')
    .replaceChildren(
      ...(e.unmet.length === 0
        ? [el('li', { text: 'Every rule is met.' })]
        : e.unmet.map((u) => el('li', { text: u }))),
    );

  fill(
    'history',
    5,
    v.statusHistory.map((h) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, el('time', { datetime: h.at, text: fmtWashington(h.at) })),
        text(human(h.status)),
        text(h.by),
        text(h.reason),
        text(proposal(h.eligible)),
      ),
    ),
  );

  document.getElementById('lab-cases-count').textContent = String(v.cases.length);
  fill(
    'lab-cases',
    8,
    v.cases.map((c) =>
      el(
        'tr',
        { 'data-case': c.caseId },
        el('th', { scope: 'row' }, caseLink(c.caseId)),
        time(c.acceptedAt),
        text(`${c.policy.id} v${c.policy.version}`),
        text(human(c.statusAtAcceptance)),
        text(c.outcome ? human(c.outcome) : undefined),
        el(
          'td',
          {},
          c.closedAt
            ? [
                el('time', { datetime: c.closedAt, text: fmtWashington(c.closedAt) }),
                ` (${human(c.closedReason ?? '')})`,
              ]
            : 'open',
        ),
        time(c.releasedAt),
        text(c.earlyRelease === undefined ? undefined : c.earlyRelease ? 'yes' : 'no'),
      ),
    ),
  );

  const k = v.commitments;
  document.getElementById('commitment-counts').textContent =
    `${k.kept} kept, ${k.broken} broken, ${k.overdue} overdue, ${k.pending} pending`;
  fill(
    'lab-commitments',
    5,
    k.items.map((c) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row' }, el('code', { text: c.commitmentId })),
        el('td', {}, caseLink(c.caseId)),
        text(c.owner),
        text(human(c.standing)),
        time(c.at),
      ),
    ),
  );

  fill(
    'lab-timeline',
    6,
    v.timeline.map((t) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row', text: String(t.seq) }),
        time(t.at),
        text(t.actor),
        text(human(t.type)),
        text(t.subject),
        text(t.note),
      ),
    ),
  );
}

async function load() {
  const error = document.getElementById('load-error');
  try {
    render(await api('GET', labUrl));
    error.textContent = '';
    document.getElementById('status').textContent = `Updated ${fmtWashington(new Date().toISOString())}`;
  } catch (err) {
    error.textContent =
      err instanceof ApiError && err.status === 404
        ? `No record of lab ${id}.`
        : `Could not load the lab: ${err.message}`;
  }
}

withSession(() => {
  const refresh = autoRefresh(load);
  document.getElementById('refresh').addEventListener('click', () => void refresh());
});
