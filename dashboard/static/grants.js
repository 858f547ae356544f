/* global document */
// Early-access grants for operations staff (issue 14, part 4): those waiting for the lab's answer, the active
// ones, then every grant. From the API's lists (visibility), followed page by page; each grant is read on the
// API (grant.js).
import { api, autoRefresh, el, fmtRelative, fmtWashington, human, withSession } from './common.js';

const QUERIES = {
  nominated: '/v1/grants?state=NOMINATED&pageSize=100',
  active: '/v1/grants?state=ACTIVE&pageSize=100',
  all: '/v1/grants?pageSize=100',
};

/** Every grant a list holds, following its cursors to the end. */
async function everyGrant(url) {
  const items = [];
  let cursor;
  do {
    const p = await api('GET', cursor === undefined ? url : `${url}&cursor=${encodeURIComponent(cursor)}`);
    items.push(...p.items);
    cursor = p.nextCursor;
  } while (cursor !== undefined);
  return items;
}

function row(g) {
  return el(
    'tr',
    { 'data-grant': g.grantId },
    el(
      'th',
      { scope: 'row' },
      el(
        'a',
        { href: `/dashboard/grants/${encodeURIComponent(g.grantId)}` },
        el('code', { text: g.grantId }),
      ),
    ),
    el(
      'td',
      {},
      g.caseId ? el('a', { href: `/dashboard/cases/${encodeURIComponent(g.caseId)}`, text: g.caseId }) : '—',
    ),
    el('td', { text: g.operator ?? '—' }),
    el('td', { text: human(g.state ?? '') || '—' }),
    el(
      'td',
      {},
      g.nextDeadline
        ? el('time', {
            datetime: g.nextDeadline,
            title: fmtWashington(g.nextDeadline),
            text: `${fmtRelative(g.nextDeadline)} (${g.nextParty ?? '—'})`,
          })
        : '—',
    ),
    el('td', {}, el('time', { datetime: g.nominatedAt, text: fmtWashington(g.nominatedAt) })),
  );
}

function fill(id, items) {
  const body = document.querySelector(`#${id} tbody`);
  body.replaceChildren(
    ...(items.length === 0
      ? [el('tr', {}, el('td', { colspan: 6, className: 'empty', text: 'None.' }))]
      : items.map(row)),
  );
  document.getElementById(`${id}-count`).textContent = String(items.length);
}

withSession(() => {
  const status = document.getElementById('status');
  const error = document.getElementById('load-error');
  const load = async () => {
    try {
      const [nominated, active, all] = await Promise.all(Object.values(QUERIES).map(everyGrant));
      fill('grants-nominated', nominated);
      fill('grants-active', active);
      fill('grants-all', all);
      error.textContent = '';
      status.textContent = `Updated ${fmtWashington(new Date().toISOString())}`;
    } catch (err) {
      error.textContent = `Could not load the grants: ${err.message}`;
    }
  };
  const now = autoRefresh(load);
  document.getElementById('refresh').addEventListener('click', () => void now());
});
