/* global document */
// The clearinghouse's findings for operations staff: what is overdue (validations, remediations), then every
// open finding. From the API's lists (visibility); a finding's detail follows its TLP, read on the API.
import { api, autoRefresh, el, fmtRelative, fmtWashington, flagBadge, human, withSession } from './common.js';

const QUERIES = {
  validation: '/v1/findings?state=RECEIVED&flag=VALIDATION_OVERDUE&pageSize=100',
  remediation: '/v1/findings?state=VALIDATED&flag=REMEDIATION_OVERDUE&pageSize=100',
  open: '/v1/findings?open=true&pageSize=100',
};

function row(f) {
  return el(
    'tr',
    {},
    el('th', { scope: 'row' }, el('code', { text: f.findingId })),
    el('td', { text: f.labId ?? '—' }),
    el(
      'td',
      {},
      f.caseId ? el('a', { href: `/dashboard/cases/${encodeURIComponent(f.caseId)}`, text: f.caseId }) : '—',
    ),
    el('td', { text: human(f.state) }),
    el(
      'td',
      {},
      f.nextDeadline
        ? el('time', {
            datetime: f.nextDeadline,
            title: fmtWashington(f.nextDeadline),
            text: fmtRelative(f.nextDeadline),
          })
        : '—',
    ),
    el('td', {}, f.flags.length === 0 ? '—' : f.flags.map(flagBadge)),
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
      const [validation, remediation, open] = await Promise.all(
        Object.values(QUERIES).map((q) => api('GET', q)),
      );
      fill('validation-overdue', validation.items);
      fill('remediation-overdue', remediation.items);
      fill('open-findings', open.items);
      error.textContent = '';
      status.textContent = `Updated ${fmtWashington(new Date().toISOString())}`;
    } catch (err) {
      error.textContent = `Could not load the findings: ${err.message}`;
    }
  };
  const now = autoRefresh(load);
  document.getElementById('refresh').addEventListener('click', () => void now());
});
