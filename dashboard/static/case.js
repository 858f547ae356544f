/* global document, window, URL, Blob */
import {
  api,
  apiText,
  ApiError,
  autoRefresh,
  DAY_MS,
  daysLeft,
  deadlineLabel,
  el,
  flagBadge,
  fmtDuration,
  fmtRelative,
  fmtWashington,
  human,
  partyLabel,
  withSession,
} from './common.js';
import { fillCommitments } from './commitment-rows.js';

const id = decodeURIComponent(
  window.location.pathname.replace(/^\/dashboard\/cases\//, '').replace(/\/$/, ''),
);
const caseUrl = `/v1/submissions/${encodeURIComponent(id)}`;
let current;

const text = (v) => el('td', { text: v === undefined || v === null || v === '' ? '—' : v });

function temporalLink(caseId) {
  const base = document.body.dataset.temporalUi;
  if (!base) return undefined;
  const ns = encodeURIComponent(document.body.dataset.namespace || 'default');
  return `${base}/namespaces/${ns}/workflows/${encodeURIComponent(`review-${caseId}`)}`;
}

/** The screen's proposal and the designating agency's call; operations staff see only that a score exists. */
function designationText(d) {
  const way = (covered) => (covered ? 'covered' : 'not covered');
  if (!d.decision) {
    return `${d.agency} designates by ${fmtWashington(d.dueAt)} (${fmtRelative(d.dueAt)}); the screen proposes ${way(d.proposal.covered)}`;
  }
  const by = d.decision.source === 'AGENCY' ? `by ${d.agency}` : `(${d.agency} silent: the proposal stood)`;
  const score =
    d.benchmarkScore !== undefined
      ? `; benchmark score ${d.benchmarkScore}`
      : d.benchmarkScoreWithheld
        ? '; benchmark score on record (restricted)'
        : '';
  return `${way(d.decision.covered)} ${by}, ${fmtWashington(d.decision.at)}: ${d.decision.reason}${score}`;
}

function renderSummary(c) {
  document.getElementById('case-title').textContent = `${c.model.name} ${c.model.version} — case ${c.caseId}`;
  document.title = `${c.caseId} · frontier-review operations`;
  const left = daysLeft(c.windowEnd);
  const facts = [
    ['Case', c.caseId],
    ['Lab', c.labId],
    ['Model', `${c.model.name} ${c.model.version}`],
    ['Stage', human(c.stage) + (c.closedReason ? ` (${human(c.closedReason)})` : '')],
    ['Policy', c.policy ? `${c.policy.id} v${c.policy.version}` : `${c.requestedPolicyId} (requested)`],
    ['Received', fmtWashington(c.receivedAt)],
    ['Accepted (day 0)', fmtWashington(c.acceptedAt)],
    ['Planned release', fmtWashington(c.plannedReleaseDate)],
    [
      'Window ends',
      c.windowEnd
        ? `${fmtWashington(c.windowEnd)} (${left.toFixed(1)} days left, ${fmtRelative(c.windowEnd)})`
        : '—',
    ],
    [
      'Next deadline',
      c.nextDeadline
        ? `${deadlineLabel(c.nextDeadline.key)}, owed by ${partyLabel(c.nextDeadline.party)}: ` +
          `${fmtWashington(c.nextDeadline.dueAt)} (${fmtRelative(c.nextDeadline.dueAt)})`
        : '—',
    ],
    ['Flags', c.flags.length ? c.flags.map(flagBadge) : 'none'],
  ];
  if (c.designation) facts.push(['Designation', designationText(c.designation)]);
  if (c.escalation) {
    facts.push([
      'Escalation',
      `escalated ${fmtWashington(c.escalation.at)}` +
        (c.escalation.resolvedAt ? `, resolved ${fmtWashington(c.escalation.resolvedAt)}` : ', unresolved'),
    ]);
  }
  if (c.determination) {
    facts.push([
      'Determination',
      `${human(c.determination.outcome)} (${fmtWashington(c.determination.issuedAt)})`,
    ]);
  }
  const link = temporalLink(c.caseId);
  if (link) {
    facts.push([
      'Workflow',
      el('a', { href: link, rel: 'noopener noreferrer', text: 'Open in the Temporal Web UI' }),
    ]);
  }
  document
    .getElementById('summary')
    .replaceChildren(...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', {}, v)]));
}

/** Every deadline on one time axis, against the window (inline SVG; the table below holds the same data). */
function renderChart(c) {
  const now = new Date(c.asOf).getTime();
  const ds = c.deadlines;
  const holder = document.getElementById('deadline-chart');
  if (ds.length === 0) {
    holder.replaceChildren(
      el('p', { className: 'muted', text: 'No deadlines yet: the case is not accepted.' }),
    );
    return;
  }
  const times = ds.flatMap((d) => [d.startsAt, d.dueAt, d.baseDue]).map((t) => new Date(t).getTime());
  if (c.windowEnd) times.push(new Date(c.windowEnd).getTime());
  times.push(now);
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const span = Math.max(t1 - t0, 1);
  const W = 960;
  const LEFT = 230;
  const RIGHT = 20;
  const ROW = 26;
  const TOP = 34;
  const H = TOP + ds.length * ROW + 30;
  const x = (t) => LEFT + ((new Date(t).getTime() - t0) / span) * (W - LEFT - RIGHT);
  const svg = el('svg', {
    svg: true,
    viewBox: `0 0 ${W} ${H}`,
    width: '100%',
    role: 'img',
    'aria-labelledby': 'chart-title chart-desc',
    className: 'timeaxis',
  });
  svg.append(
    el('title', { svg: true, id: 'chart-title', text: 'Deadlines on a time axis' }),
    el('desc', {
      svg: true,
      id: 'chart-desc',
      text:
        'One bar per deadline from its start to its due time, coloured by urgency; hatched spans are tolled ' +
        'intervals, a tick marks the base due time before extensions; vertical lines mark now and the window end.',
    }),
    el(
      'defs',
      { svg: true },
      el(
        'pattern',
        {
          svg: true,
          id: 'hatch',
          width: 6,
          height: 6,
          patternUnits: 'userSpaceOnUse',
          patternTransform: 'rotate(45)',
        },
        el('rect', { svg: true, width: 6, height: 6, fill: '#fff' }),
        el('line', { svg: true, x1: 0, y1: 0, x2: 0, y2: 6, stroke: '#444', 'stroke-width': 3 }),
      ),
    ),
  );
  // Axis with five ticks.
  for (let i = 0; i <= 4; i++) {
    const t = t0 + (span * i) / 4;
    const xi = x(t);
    svg.append(
      el('line', { svg: true, x1: xi, x2: xi, y1: TOP - 6, y2: H - 24, className: 'grid-line' }),
      el('text', {
        svg: true,
        x: xi,
        y: H - 8,
        'text-anchor': i === 0 ? 'start' : i === 4 ? 'end' : 'middle',
        className: 'tick',
        text:
          span < 2 * DAY_MS
            ? fmtWashington(new Date(t).toISOString()).slice(11)
            : fmtWashington(new Date(t).toISOString()).slice(0, 10),
      }),
    );
  }
  ds.forEach((d, i) => {
    const y = TOP + i * ROW;
    const g = el('g', { svg: true, className: `deadline urgency-${d.urgency}` });
    g.append(
      el('text', { svg: true, x: 6, y: y + 16, className: 'row-label', text: deadlineLabel(d.key) }),
      el(
        'rect',
        {
          svg: true,
          x: x(d.startsAt),
          y: y + 4,
          width: Math.max(2, x(d.dueAt) - x(d.startsAt)),
          height: ROW - 10,
          rx: 3,
          className: 'bar',
        },
        el('title', {
          svg: true,
          text: `${deadlineLabel(d.key)} (${partyLabel(d.party)}): ${fmtWashington(d.startsAt)} → ${fmtWashington(d.dueAt)}, ${human(d.urgency)}`,
        }),
      ),
    );
    for (const t of d.tolls) {
      const end = t.to || c.asOf;
      g.append(
        el(
          'rect',
          {
            svg: true,
            x: x(t.from),
            y: y + 4,
            width: Math.max(2, x(end) - x(t.from)),
            height: ROW - 10,
            fill: 'url(#hatch)',
            className: 'toll',
          },
          el('title', {
            svg: true,
            text: `tolled (${human(t.reason)}) ${fmtWashington(t.from)} → ${t.to ? fmtWashington(t.to) : 'still tolled'}`,
          }),
        ),
      );
    }
    if (d.extensions.length > 0 || d.baseDue !== d.dueAt) {
      const bx = x(d.baseDue);
      g.append(
        el(
          'line',
          { svg: true, x1: bx, x2: bx, y1: y + 1, y2: y + ROW - 3, className: 'base-due' },
          el('title', { svg: true, text: `base due ${fmtWashington(d.baseDue)}` }),
        ),
      );
    }
    if (d.metAt) {
      g.append(
        el(
          'circle',
          { svg: true, cx: x(d.metAt), cy: y + ROW / 2 - 1, r: 5, className: 'met' },
          el('title', { svg: true, text: `met ${fmtWashington(d.metAt)}` }),
        ),
      );
    }
    svg.append(g);
  });
  const marker = (t, cls, label, anchor) => {
    const xi = x(t);
    svg.append(
      el('line', { svg: true, x1: xi, x2: xi, y1: TOP - 8, y2: H - 24, className: cls }),
      el('text', {
        svg: true,
        x: xi,
        y: TOP - 14,
        'text-anchor': anchor,
        className: `${cls}-label`,
        text: label,
      }),
    );
  };
  if (c.windowEnd) marker(c.windowEnd, 'window-end', 'window end', 'end');
  marker(c.asOf, 'now', 'now', 'middle');
  const legend = el(
    'ul',
    { className: 'legend', 'aria-label': 'Legend' },
    ...['ON_TRACK', 'AT_RISK', 'OVERDUE', 'PAUSED', 'MET'].map((u) =>
      el('li', {}, el('span', { className: `swatch urgency-${u}`, 'aria-hidden': 'true' }), human(u)),
    ),
    el('li', {}, el('span', { className: 'swatch toll', 'aria-hidden': 'true' }), 'tolled'),
    el(
      'li',
      {},
      el('span', { className: 'swatch base', 'aria-hidden': 'true' }),
      'base due (before extensions)',
    ),
  );
  holder.replaceChildren(svg, legend);
}

function ledger(d) {
  const items = [
    ...d.tolls.map((t) =>
      el('li', {
        text: `tolled by ${t.who} (${human(t.reason)}): ${fmtWashington(t.from)} → ${t.to ? fmtWashington(t.to) : 'still tolled'}`,
      }),
    ),
    ...d.extensions.map((e) =>
      el('li', { text: `extended ${e.days} d by ${partyLabel(e.who)} at ${fmtWashington(e.at)}` }),
    ),
  ];
  if (d.capAt)
    items.push(el('li', { className: 'muted', text: `capped at the window end ${fmtWashington(d.capAt)}` }));
  if (d.metAt) items.push(el('li', { text: `met ${fmtWashington(d.metAt)}` }));
  return items.length
    ? el('ul', { className: 'ledger' }, items)
    : el('span', { className: 'muted', text: 'no tolls or extensions' });
}

function renderDeadlines(c) {
  renderChart(c);
  document
    .querySelector('#deadlines tbody')
    .replaceChildren(
      ...c.deadlines.map((d) =>
        el(
          'tr',
          { 'data-deadline': d.key },
          el('th', { scope: 'row', text: deadlineLabel(d.key) }),
          text(partyLabel(d.party)),
          text(fmtWashington(d.startsAt)),
          text(fmtWashington(d.baseDue)),
          el(
            'td',
            {},
            fmtWashington(d.dueAt),
            el('br'),
            el('small', { text: fmtRelative(d.dueAt, new Date(c.asOf).getTime()) }),
          ),
          el('td', {}, el('span', { className: `urgency urgency-${d.urgency}`, text: human(d.urgency) })),
          el('td', {}, ledger(d)),
        ),
      ),
    );
}

function renderAgencies(c) {
  document.querySelector('#agencies tbody').replaceChildren(
    ...c.agencies.map((a) => {
      const dec = a.decision;
      // Restricted notes are withheld by the API for operations; none is ever shown here.
      const decision = dec
        ? [
            el('strong', { text: human(dec.kind) }),
            ` — ${dec.summary} (${fmtWashington(dec.recordedAt)})`,
            dec.restrictedNoteWithheld
              ? el('span', { className: 'muted', text: ' · a restricted note exists (withheld)' })
              : '',
          ]
        : '—';
      return el(
        'tr',
        {},
        el('th', { scope: 'row', text: a.agency }),
        text(human(a.stage)),
        text(a.required ? 'yes' : 'no'),
        text(human(a.state)),
        text(fmtWashington(a.dueAt)),
        el('td', {}, el('span', { className: `urgency urgency-${a.urgency}`, text: human(a.urgency) })),
        el('td', {}, decision),
        el('td', { className: 'num', text: a.extensionsUsed }),
      );
    }),
  );
}

function renderTimeline(c) {
  document
    .querySelector('#timeline tbody')
    .replaceChildren(
      ...c.timeline.map((e) =>
        el(
          'tr',
          {},
          text(e.seq),
          text(fmtWashington(e.at)),
          text(e.actor),
          el('td', {}, el('code', { text: e.type })),
          text(e.summary),
        ),
      ),
    );
}

/** The clearinghouse's open findings about the case's model (their detail follows each one's TLP, on the API). */
function renderFindings(c) {
  const holder = document.getElementById('case-findings');
  const findings = c.openFindings ?? [];
  if (findings.length === 0) {
    holder.replaceChildren(el('p', { className: 'muted', text: 'None.' }));
    return;
  }
  holder.replaceChildren(
    el(
      'table',
      { className: 'grid' },
      el('caption', { text: 'Findings not yet rejected, remediated or disclosed' }),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ['Finding', 'State', 'Next deadline', 'Flags'].map((h) => el('th', { scope: 'col', text: h })),
        ),
      ),
      el(
        'tbody',
        {},
        findings.map((f) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row' }, el('code', { text: f.findingId })),
            el('td', { text: human(f.state) }),
            el('td', { text: f.nextDeadline ? fmtWashington(f.nextDeadline) : '—' }),
            el('td', {}, f.flags.length === 0 ? '—' : f.flags.map(flagBadge)),
          ),
        ),
      ),
    ),
  );
}

/** The commitments of the case's determination, each tracked on its own (from the API's list). */
async function renderCommitments() {
  try {
    const page = await api('GET', `/v1/commitments?caseId=${encodeURIComponent(id)}&pageSize=100`);
    fillCommitments('case-commitments', page.items);
  } catch (err) {
    document.getElementById('case-commitments-count').textContent = `could not load: ${err.message}`;
  }
}

function renderRequests(c) {
  const holder = document.getElementById('requests');
  if (c.informationRequests.length === 0) {
    holder.replaceChildren(el('p', { className: 'muted', text: 'None.' }));
    return;
  }
  holder.replaceChildren(
    el(
      'table',
      { className: 'grid' },
      el('caption', { text: 'Questions agencies asked the lab' }),
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...['Request', 'Agency', 'Asked', 'Answer due', 'Status', 'Questions'].map((h) =>
            el('th', { scope: 'col', text: h }),
          ),
        ),
      ),
      el(
        'tbody',
        {},
        ...c.informationRequests.map((r) =>
          el(
            'tr',
            {},
            el('th', { scope: 'row', text: r.id }),
            text(r.agency),
            text(fmtWashington(r.askedAt)),
            text(fmtWashington(r.dueAt)),
            text(human(r.status) + (r.overdueNoticeAt ? ' (overdue)' : '')),
            el(
              'td',
              {},
              el(
                'ul',
                {},
                r.questions.map((q) => el('li', { text: q })),
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

function renderCallbacks(c) {
  const cb = c.callbacks;
  const failing = cb.failing
    ? ` Failing: event ${cb.failing.eventId} since ${fmtWashington(cb.failing.at)} (${cb.failing.error}).`
    : '';
  document.getElementById('callback-summary').textContent =
    `Endpoint ${cb.endpoint || '—'}: ${cb.events} events, ${cb.delivered} delivered, ${cb.pending} pending.${failing}`;
  const body = document.querySelector('#callbacks tbody');
  body.replaceChildren(
    ...cb.deliveries.map((d) =>
      el(
        'tr',
        {},
        el('th', { scope: 'row', text: d.eventId }),
        el('td', {}, el('span', { className: `status status-${d.status}`, text: human(d.status) })),
        text(fmtWashington(d.at)),
        text(d.attempts),
        text(d.httpStatus),
        text(d.error),
        text(d.endpoint),
      ),
    ),
  );
  if (cb.deliveries.length === 0)
    body.append(
      el('tr', {}, el('td', { colspan: 7, className: 'empty', text: 'No deliveries settled yet.' })),
    );
}

/** A closed case's record: the button fetches it with the session's key and saves it as a file. */
function renderRecord(c) {
  const status = document.getElementById('record-status');
  const button = document.getElementById('record-download');
  if (c.stage !== 'CLOSED') {
    status.textContent = 'Written when the case completes, after its last callbacks.';
    button.hidden = true;
    return;
  }
  status.textContent =
    'Signed JSON Lines; check it offline with `frontier-review record verify FILE`. ' +
    'Restricted notes stay sealed in it.';
  button.hidden = false;
}

async function downloadRecord() {
  const status = document.getElementById('record-status');
  try {
    const text = await apiText(`${caseUrl}/record`, 'application/jsonl');
    const link = el('a', {
      href: URL.createObjectURL(new Blob([text], { type: 'application/jsonl' })),
      download: `${id.replace(/[^A-Za-z0-9_.-]/g, '_')}.jsonl`,
    });
    document.body.append(link);
    link.click();
    link.remove();
    status.textContent = `Downloaded: ${text.trimEnd().split('\n').length} lines.`;
  } catch (err) {
    status.textContent =
      err instanceof ApiError && err.code === 'RECORD_NOT_FOUND'
        ? 'Not written yet: the case is still sending its last callbacks.'
        : `Could not download it: ${err.message}`;
  }
}

async function load() {
  const error = document.getElementById('load-error');
  try {
    current = await api('GET', caseUrl);
    error.textContent = '';
    renderSummary(current);
    renderDeadlines(current);
    renderAgencies(current);
    renderTimeline(current);
    renderFindings(current);
    void renderCommitments();
    renderRequests(current);
    renderCallbacks(current);
    renderRecord(current);
    document.getElementById('status').textContent = `As of ${fmtWashington(current.asOf)} · refreshes itself`;
  } catch (err) {
    error.textContent =
      err instanceof ApiError && err.status === 404
        ? `No case ${id}.`
        : `Could not load the case: ${err.message}`;
  }
}

const isoOf = (local) => (local ? new Date(local).toISOString() : undefined);

function setupActions(refresh) {
  document.getElementById('record-download').addEventListener('click', () => void downloadRecord());
  document.getElementById('redeliver-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const out = document.getElementById('redeliver-result');
    const eventId = document.getElementById('redeliver-event').value.trim();
    out.textContent = 'Sending…';
    try {
      const r = await api('POST', `${caseUrl}/callbacks/redeliver`, eventId ? { eventId } : {});
      out.textContent = `Redelivery recorded as timeline entry #${r.seq} at ${fmtWashington(r.at)}.`;
      void refresh();
    } catch (err) {
      out.textContent = `Refused: ${err.code ? `${err.code}: ` : ''}${err.message}`;
    }
  });

  const kind = document.getElementById('whatif-kind');
  const showKind = () => {
    for (const div of document.querySelectorAll('#whatif-form [data-kind]'))
      div.hidden = div.dataset.kind !== kind.value;
  };
  kind.addEventListener('change', showKind);
  showKind();
  document.getElementById('whatif-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const err = document.getElementById('whatif-error');
    const table = document.getElementById('whatif');
    err.textContent = '';
    let change;
    const v = (name) => document.getElementById(name).value;
    if (kind.value === 'EXTENSION')
      change = { kind: 'EXTENSION', party: v('whatif-party').trim(), days: Number(v('whatif-days')) };
    else if (kind.value === 'TOLL')
      change = {
        kind: 'TOLL',
        parties: 'ALL_GOVERNMENT',
        from: isoOf(v('whatif-from')),
        to: isoOf(v('whatif-to')),
        reason: 'FUNDING_LAPSE',
      };
    else
      change = {
        kind: 'RELEASE_DATE',
        oldEnd: current && current.windowEnd,
        newEnd: isoOf(v('whatif-release')),
      };
    try {
      const { deadlines } = await api('POST', `${caseUrl}/deadline-projections`, { change });
      table
        .querySelector('tbody')
        .replaceChildren(
          ...deadlines.map((d) =>
            el(
              'tr',
              { className: d.shiftMs !== 0 ? 'changed' : undefined },
              el('th', { scope: 'row', text: deadlineLabel(d.key) }),
              text(partyLabel(d.party)),
              text(fmtWashington(d.before)),
              text(fmtWashington(d.dueAt)),
              text(d.shiftMs === 0 ? 'unchanged' : fmtDuration(d.shiftMs)),
            ),
          ),
        );
      table.hidden = false;
    } catch (e2) {
      table.hidden = true;
      err.textContent = `Refused: ${e2.code ? `${e2.code}: ` : ''}${e2.message}`;
    }
  });
}

withSession(() => {
  const refresh = autoRefresh(load);
  document.getElementById('refresh').addEventListener('click', () => void refresh());
  setupActions(refresh);
});
