import assert from 'node:assert/strict';
import { uniqueId, withTimeSkippingWorker } from '../helpers/workers';

const DAY_MS = 86_400_000;

describe('the time-skipping test server', () => {
  it('completes a workflow that sleeps 90 days, with 90 days of workflow time elapsed', async () => {
    const result = await withTimeSkippingWorker({}, ({ client, taskQueue }) =>
      client.workflow.execute('sleeper', {
        taskQueue,
        workflowId: uniqueId('sleeper'),
        args: [{ duration: '90 days' }],
      }),
    );
    assert.ok(result.elapsedMs >= 90 * DAY_MS, `elapsed ${result.elapsedMs} ms of workflow time`);
    assert.ok(result.elapsedMs < 91 * DAY_MS, `elapsed ${result.elapsedMs} ms of workflow time`);
  });
});
