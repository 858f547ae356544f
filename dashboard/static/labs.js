/* global document */
// Labs' records for operations staff: the trusted partners, then every lab with a record. From the API's list
// (visibility), followed page by page; each lab's record is read on the API (lab.js).
import { api, autoRefresh, el, fmtWashington, human, withSession } from './common.js';

const QUERIES = {
  trusted: '/v1/labs?status=TRUSTED_PARTNER&pageSize=100',
  all: '/v1/labs?pageSize=100',
};

/** Every lab a list holds, following its cursors to the end. */
async function everyLab(url) {
  const items = [];
  let cursor;
  do {
    const p = await api('GET', cursor === undefined ? url : `${url}&cursor=${encodeURIComponent(cursor)}`);
    items.push(...p.items);
    cursor = p.nextCursor;
  } while (cursor !== undefined);
  return items;
}

function row(l) {
  return el(
    'tr',
    { 'data-lab': l.labId },
    el(
      'th',
      { scope: 'row' },
      el('a', { href: `/dashboard/labs/${encodeURIComponent(l.labId)}`, text: l.labId }),
    ),
    el('td', { text: human(l.status ?? '') || '—' }),
    el('td', {}, el('time', { datetime: l.since, text: fmtWashington(l.since) })),
  );
}

function fill(id, items) {
  const body = document.querySelector(`#${id} tbody`);
  body.replaceChildren(
    ...(items.length === 0
      ? [el('tr', {}, el('td', { colspan: 3, className: 'empty', text: 'None.' }))]
      : items.map(row)),
  );
  document.getElementById(`${id}-count`).textContent = String(items.length);
}

withSession(() => {
  const status = document.getElementById('status');
  const error = document.getElementById('load-error');
  const load = async () => {
    try {
      const [trusted, all] = await Promise.all(Object.values(QUERIES).map(everyLab));
      fill('labs-trusted', trusted);
      fill('labs-all', all);
      error.textContent = '';
      status.textContent = `Updated ${fmtWashington(new Date().toISOString())}`;
    } catch (err) {
      error.textContent = `Could not load the labs: ${err.message}`;
    }
  };
  const now = autoRefresh(load);
  document.getElementById('refresh').addEventListener('click', () => void now());
});
