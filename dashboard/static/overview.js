/* global document, window, URLSearchParams */
import {
  api,
  withSession,
  autoRefresh,
  daysLeft,
  deadlineLabel,
  el,
  FLAGS,
  flagBadge,
  fmtRelative,
  fmtTime,
  human,
  partyLabel,
  refreshSeconds,
  STAGES,
} from './common.js';

// Open cases come from the ops list, one query per open stage (closed cases are never fetched), following
// cursors up to MAX_PAGES each. The list has no model name and no owner of the next deadline, so each case is
// read once and read again only when its next deadline moves.
const MAX_PAGES = 10;
const ENRICH_CONCURRENCY = 4;
const DEFAULT_SORT = { key: 'nextDeadline', dir: 1 };

const state = {
  rows: [],
  truncated: false,
  details: new Map(), // caseId -> { model, party, key, forDeadline }
  sort: DEFAULT_SORT,
  filter: { stage: '', flag: '', q: '' },
  loadedAt: undefined,
};

async function listStage(stage) {
  const items = [];
  let cursor;
  for (let i = 0; i < MAX_PAGES; i++) {
    const q = new URLSearchParams({ stage, pageSize: '100' });
    if (cursor) q.set('cursor', cursor);
    const page = await api('GET', `/v1/ops/cases?${q}`);
    items.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) return { items, truncated: false };
  }
  return { items, truncated: true };
}

// Lists name each case's model and whose its next deadline is; only a case opened before they did (release 1)
// is read once, for what its row lacks.
async function enrich(rows) {
  const todo = rows.filter((r) => {
    if (r.model !== undefined && (r.nextDeadlineParty !== undefined || !r.nextDeadline)) return false;
    const d = state.details.get(r.caseId);
    return d === undefined || d.forDeadline !== (r.nextDeadline ?? '');
  });
  const worker = async () => {
    for (let r = todo.shift(); r; r = todo.shift()) {
      try {
        const c = await api('GET', `/v1/submissions/${encodeURIComponent(r.caseId)}`);
        state.details.set(r.caseId, {
          model: `${c.model.name} ${c.model.version}`,
          party: c.nextDeadline && c.nextDeadline.party,
          key: c.nextDeadline && c.nextDeadline.key,
          forDeadline: r.nextDeadline ?? '',
        });
      } catch {
        // Left for the next refresh.
      }
    }
  };
  await Promise.all(Array.from({ length: ENRICH_CONCURRENCY }, worker));
}

function rowValue(r, key) {
  const d = state.details.get(r.caseId) || {};
  switch (key) {
    case 'model':
      return r.model || d.model || '';
    case 'whose':
      return r.nextDeadlineParty || d.party || r.awaiting.join(',');
    case 'daysLeft':
      return r.windowEnd ? new Date(r.windowEnd).getTime() : Infinity;
    case 'nextDeadline':
      return r.nextDeadline ? new Date(r.nextDeadline).getTime() : Infinity;
    case 'stage':
      return STAGES.indexOf(r.stage);
    case 'flags':
      return -r.flags.length;
    default:
      return r[key] || '';
  }
}

function visibleRows() {
  const { stage, flag, q } = state.filter;
  const needle = q.trim().toLowerCase();
  const rows = state.rows.filter((r) => {
    if (stage && r.stage !== stage) return false;
    if (flag && !r.flags.includes(flag)) return false;
    if (needle) {
      const d = state.details.get(r.caseId) || {};
      const hay = `${r.caseId} ${r.labId || ''} ${r.model || d.model || ''}`.toLowerCase();
      if (!hay.includes(needle)) return false;
    }
    return true;
  });
  const { key, dir } = state.sort;
  return rows.sort((a, b) => {
    const x = rowValue(a, key);
    const y = rowValue(b, key);
    return (x < y ? -1 : x > y ? 1 : 0) * dir || a.caseId.localeCompare(b.caseId);
  });
}

function renderCounts() {
  const chip = (list, kind, value, count) => {
    const pressed = state.filter[kind] === value;
    const label = kind === 'stage' ? human(value) : value.replace(/_/g, ' ');
    return el(
      'li',
      {},
      el(
        'button',
        {
          type: 'button',
          className: `chip${kind === 'flag' ? ` flag-${value}` : ''}`,
          'aria-pressed': String(pressed),
          'data-kind': kind,
          'data-value': value,
          title: pressed ? 'Show every case' : `Show only ${label}`,
        },
        el('span', { className: 'chip-label', text: label }),
        el('span', { className: 'chip-count', text: count }),
      ),
    );
  };
  const stages = document.getElementById('stage-counts');
  stages.replaceChildren(
    ...STAGES.map((s) => chip(stages, 'stage', s, state.rows.filter((r) => r.stage === s).length)),
  );
  const flags = document.getElementById('flag-counts');
  const present = FLAGS.map((f) => [f, state.rows.filter((r) => r.flags.includes(f)).length]);
  flags.replaceChildren(...present.map(([f, n]) => chip(flags, 'flag', f, n)));
}

function renderTable() {
  const now = Date.now();
  const rows = visibleRows();
  const body = document.querySelector('#cases tbody');
  body.replaceChildren(
    ...rows.map((r) => {
      const d = state.details.get(r.caseId) || {};
      const left = daysLeft(r.windowEnd, now);
      const awaiting = r.awaiting.length > 0 ? `awaiting ${r.awaiting.join(', ')}` : '';
      // The list names whose the deadline is; a case read for its row (release 1) also names which deadline.
      const party = r.nextDeadlineParty || d.party;
      const which = !r.nextDeadlineParty && d.key ? `: ${deadlineLabel(d.key)}` : '';
      const whose = party
        ? `${partyLabel(party)}${which}${awaiting ? ` (${awaiting})` : ''}`
        : awaiting || '—';
      return el(
        'tr',
        { 'data-case': r.caseId, className: r.flags.includes('OVERDUE') ? 'row-overdue' : undefined },
        el(
          'th',
          { scope: 'row' },
          el('a', {
            href: `/dashboard/cases/${encodeURIComponent(r.caseId).replace(/%3A/g, ':')}`,
            text: r.caseId,
          }),
        ),
        el('td', { text: r.labId || '—' }),
        el('td', { text: r.model || d.model || '…' }),
        el('td', { text: human(r.stage) }),
        el('td', { text: r.policy || '—' }),
        el(
          'td',
          { className: 'num' },
          left === undefined ? '—' : left.toFixed(1),
          left !== undefined && Math.abs(left) < 1
            ? [el('br'), el('small', { text: fmtRelative(r.windowEnd, now) })]
            : '',
        ),
        el(
          'td',
          {},
          r.nextDeadline
            ? [
                el('span', { text: fmtRelative(r.nextDeadline, now) }),
                el('br'),
                el('small', { text: fmtTime(r.nextDeadline) }),
              ]
            : '—',
        ),
        el('td', { text: whose }),
        el(
          'td',
          {},
          el(
            'div',
            { className: 'flags' },
            r.flags.length ? r.flags.map(flagBadge) : el('span', { className: 'muted', text: 'none' }),
          ),
        ),
      );
    }),
  );
  if (rows.length === 0) {
    body.append(el('tr', {}, el('td', { colspan: 9, className: 'empty', text: 'No open case matches.' })));
  }
  const filtered = rows.length !== state.rows.length;
  document.getElementById('cases-caption').textContent = filtered
    ? `Open cases: ${rows.length} of ${state.rows.length} shown (filtered)`
    : `Open cases: ${rows.length}`;
  for (const th of document.querySelectorAll('#cases th[data-sort]')) {
    const active = th.dataset.sort === state.sort.key;
    th.setAttribute('aria-sort', active ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
  }
}

function render() {
  renderCounts();
  renderTable();
  document.getElementById('status').textContent =
    `${state.rows.length} open cases · updated ${state.loadedAt ? fmtTime(state.loadedAt) : '—'} · ` +
    `refreshes every ${refreshSeconds()} s${state.truncated ? ' · list truncated: narrow it with filters' : ''}`;
}

async function load() {
  const error = document.getElementById('load-error');
  try {
    const lists = await Promise.all(STAGES.map(listStage));
    // One list per stage, read one after another: a case that moved on between two of them is in both.
    // Keep it once, in the later stage.
    const byId = new Map();
    for (const r of lists.flatMap((l) => l.items).filter((x) => x.running)) byId.set(r.caseId, r);
    state.rows = [...byId.values()];
    state.truncated = lists.some((l) => l.truncated);
    state.loadedAt = new Date().toISOString();
    error.textContent = '';
    render();
    await enrich(state.rows);
    render();
  } catch (err) {
    error.textContent = `Could not load cases: ${err.message}`;
  }
}

/** The filters and the sort live in the query string, so a reload or a shared link shows the same list. */
function syncUrl() {
  const q = new URLSearchParams(window.location.search);
  for (const k of ['stage', 'flag', 'q']) {
    if (state.filter[k]) q.set(k, state.filter[k]);
    else q.delete(k);
  }
  const { key, dir } = state.sort;
  if (key === DEFAULT_SORT.key && dir === DEFAULT_SORT.dir) {
    q.delete('sort');
    q.delete('dir');
  } else {
    q.set('sort', key);
    q.set('dir', dir > 0 ? 'asc' : 'desc');
  }
  const s = q.toString();
  window.history.replaceState(null, '', s ? `?${s}` : window.location.pathname);
}

function setupControls() {
  const stageSel = document.getElementById('filter-stage');
  stageSel.append(...STAGES.map((s) => el('option', { value: s, text: human(s) })));
  const flagSel = document.getElementById('filter-flag');
  flagSel.append(...FLAGS.map((f) => el('option', { value: f, text: f.replace(/_/g, ' ') })));
  const text = document.getElementById('filter-text');

  const params = new URLSearchParams(window.location.search);
  state.filter = {
    stage: params.get('stage') || '',
    flag: params.get('flag') || '',
    q: params.get('q') || '',
  };
  const sortable = [...document.querySelectorAll('#cases th[data-sort]')].map((th) => th.dataset.sort);
  state.sort = sortable.includes(params.get('sort'))
    ? { key: params.get('sort'), dir: params.get('dir') === 'desc' ? -1 : 1 }
    : DEFAULT_SORT;
  const show = () => {
    stageSel.value = state.filter.stage;
    flagSel.value = state.filter.flag;
    text.value = state.filter.q;
    syncUrl();
    render();
  };
  stageSel.addEventListener('change', () => ((state.filter.stage = stageSel.value), show()));
  flagSel.addEventListener('change', () => ((state.filter.flag = flagSel.value), show()));
  text.addEventListener('input', () => ((state.filter.q = text.value), show()));
  document.getElementById('filters').addEventListener('reset', (e) => {
    e.preventDefault();
    state.filter = { stage: '', flag: '', q: '' };
    show();
  });
  document.querySelector('.counts').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-kind]');
    if (!b) return;
    const { kind, value } = b.dataset;
    state.filter[kind] = state.filter[kind] === value ? '' : value;
    show();
  });

  // Sortable headers: a button in each header cell, so the keyboard can reach it.
  for (const th of document.querySelectorAll('#cases th[data-sort]')) {
    const label = th.textContent;
    const button = el('button', { type: 'button', className: 'sort', text: label });
    button.addEventListener('click', () => {
      const key = th.dataset.sort;
      state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
      syncUrl();
      renderTable();
    });
    th.replaceChildren(button);
  }
  show();
}

withSession(() => {
  setupControls();
  const refresh = autoRefresh(load);
  document.getElementById('refresh').addEventListener('click', () => void refresh());
});
