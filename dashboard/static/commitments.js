/* global document */
// Commitments for operations staff: the overdue ones (past due, not attested), those waiting for their owner,
// then every open one. From the API's lists (visibility); each commitment is read on the API.
import { api, autoRefresh, fmtWashington, withSession } from './common.js';
import { fillCommitments } from './commitment-rows.js';

const QUERIES = {
  overdue: '/v1/commitments?overdue=true&pageSize=100',
  attested: '/v1/commitments?state=ATTESTED&pageSize=100',
  open: '/v1/commitments?open=true&pageSize=100',
};

withSession(() => {
  const status = document.getElementById('status');
  const error = document.getElementById('load-error');
  const load = async () => {
    try {
      const [overdue, attested, open] = await Promise.all(Object.values(QUERIES).map((q) => api('GET', q)));
      fillCommitments('commitments-overdue', overdue.items);
      fillCommitments('commitments-attested', attested.items);
      fillCommitments('commitments-open', open.items);
      error.textContent = '';
      status.textContent = `Updated ${fmtWashington(new Date().toISOString())}`;
    } catch (err) {
      error.textContent = `Could not load the commitments: ${err.message}`;
    }
  };
  const now = autoRefresh(load);
  document.getElementById('refresh').addEventListener('click', () => void now());
});
