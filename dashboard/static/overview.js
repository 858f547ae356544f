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
  fmtWashington,
  human,
  partyLabel,
  refreshSeconds,
  STAGES,
} from './common.js';

// The counts come from visibility's count queries (GET /v1/ops/counts), whatever the number of cases. The table
// lists open cases newest first, filtered by stage and flag on the server, a page at a time: "Load more" follows
// the cursor for as long as there are cases, and a refresh reloads as many pages as are shown. The text filter
// and the sort apply to the cases loaded.
const DEFAULT_SORT = { key: 'nextDeadline', dir: 1 };
const ENRICH_CONCURRENCY = 4;

const state = {
  rows: [],
  counts: undefined,
  nextCursor: undefined,
  pages: 1,
  details: new Map(), // caseId -> { model, party, key, forDeadline } for release 1's rows
  sort: DEFAULT_SORT,
  filter: { stage: '', flag: '', q: '' },
  loadedAt: undefined,
};

/** Rows per page: 100, or ?pageSize=N (1 to 100). */
function pageSize() {
  const n = Number(new URLSearchParams(window.location.search).get('pageSize'));
  return Number.isInteger(n) && n >= 1 && n <= 100 ? n : 100;
}

function listPage(cursor) {
  const q = new URLSearchParams({ open: 'true', pageSize: String(pageSize()) });
  if (state.filter.stage) q.set('stage', state.filter.stage);
  if (state.filter.flag) q.set('flag', state.filter.flag);
  if (cursor) q.set('cursor', cursor);
  return api('GET', `/v1/ops/cases?${q}`);
}

/** The first `pages` pages of the list as the filters say; a case listed twice (it moved meanwhile) once. */
async function listPages(pages) {
  const byId = new Map();
  let cursor;
  for (let i = 0; i < pages; i++) {
    const page = await listPage(cursor);
    for (const r of page.items) byId.set(r.caseId, r);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return { rows: [...byId.values()], nextCursor: cursor };
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
  // Stage and flag are the list's own filters; a row a refresh has not yet replaced is held to them too.
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
  const counts = state.counts;
  const stages = document.getElementById('stage-counts');
  stages.replaceChildren(...STAGES.map((s) => chip(stages, 'stage', s, counts ? counts.stages[s] : '…')));
  const flags = document.getElementById('flag-counts');
  flags.replaceChildren(...FLAGS.map((f) => chip(flags, 'flag', f, counts ? counts.flags[f] : '…')));
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
                el('small', { text: fmtWashington(r.nextDeadline) }),
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
  const { stage, flag, q } = state.filter;
  const filtered = Boolean(stage || flag || q.trim());
  const open = state.counts ? state.counts.open : state.rows.length;
  document.getElementById('cases-caption').textContent =
    filtered || rows.length !== open
      ? `Open cases: ${rows.length} of ${open} shown${filtered ? ' (filtered)' : ''}`
      : `Open cases: ${rows.length}`;
  const more = document.getElementById('more');
  more.hidden = state.nextCursor === undefined;
  for (const th of document.querySelectorAll('#cases th[data-sort]')) {
    const active = th.dataset.sort === state.sort.key;
    th.setAttribute('aria-sort', active ? (state.sort.dir > 0 ? 'ascending' : 'descending') : 'none');
  }
}

function render() {
  renderCounts();
  renderTable();
  const open = state.counts ? state.counts.open : '…';
  document.getElementById('status').textContent =
    `${open} open cases · ${state.rows.length} loaded · updated ` +
    `${state.loadedAt ? fmtWashington(state.loadedAt) : '—'} · refreshes every ${refreshSeconds()} s`;
}

/** Shows what the load brought, then reads release 1's rows for what their list rows lack. */
async function loaded(work) {
  const error = document.getElementById('load-error');
  try {
    await work();
    state.loadedAt = new Date().toISOString();
    error.textContent = '';
    render();
    await enrich(state.rows);
    render();
  } catch (err) {
    error.textContent = `Could not load cases: ${err.message}`;
  }
}

// Bumped when the stage or flag filter changes: a load under way for the old ones loads again.
let wanted = 0;
let reload = () => undefined;

/** The counts, and as many pages of the list as are shown, for the filters as they are when it ends. */
const load = () =>
  loaded(async () => {
    for (;;) {
      const asked = wanted;
      const [counts, list] = await Promise.all([api('GET', '/v1/ops/counts'), listPages(state.pages)]);
      if (asked !== wanted) continue;
      state.counts = counts;
      state.rows = list.rows;
      state.nextCursor = list.nextCursor;
      return;
    }
  });

/** The next page, after the rows shown. */
const loadMore = () =>
  loaded(async () => {
    if (state.nextCursor === undefined) return;
    const asked = wanted;
    const page = await listPage(state.nextCursor);
    if (asked !== wanted) return; // the filters changed meanwhile: the list is being loaded again
    const known = new Set(state.rows.map((r) => r.caseId));
    state.rows.push(...page.items.filter((r) => !known.has(r.caseId)));
    state.nextCursor = page.nextCursor;
    state.pages += 1;
  });

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
  // Stage and flag filter the list on the server: the rows loaded are narrowed at once, then listed again.
  const relist = () => {
    wanted += 1;
    state.pages = 1;
    state.nextCursor = undefined;
    show();
    void reload();
  };
  stageSel.addEventListener('change', () => ((state.filter.stage = stageSel.value), relist()));
  flagSel.addEventListener('change', () => ((state.filter.flag = flagSel.value), relist()));
  text.addEventListener('input', () => ((state.filter.q = text.value), show()));
  document.getElementById('filters').addEventListener('reset', (e) => {
    e.preventDefault();
    state.filter = { stage: '', flag: '', q: '' };
    relist();
  });
  document.querySelector('.counts').addEventListener('click', (e) => {
    const b = e.target.closest('button[data-kind]');
    if (!b) return;
    const { kind, value } = b.dataset;
    state.filter[kind] = state.filter[kind] === value ? '' : value;
    relist();
  });
  document.getElementById('more').addEventListener('click', () => void loadMore());

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
  reload = refresh;
  document.getElementById('refresh').addEventListener('click', () => void refresh());
});
