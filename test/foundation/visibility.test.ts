import assert from 'node:assert/strict';
import type { Client } from '@temporalio/client';
import { SA } from '../../shared/domain/search-attributes';
import { waitFor } from '../helpers/wait';
import { uniqueId, withDevServerWorker } from '../helpers/workers';

/** Visibility is eventually consistent: poll the list query, bounded, until it returns what we expect. */
function listUntil(client: Client, query: string, expected: number): Promise<string[]> {
  return waitFor(
    async () => {
      const ids: string[] = [];
      for await (const wf of client.workflow.list({ query })) ids.push(wf.workflowId);
      return ids;
    },
    (ids) => ids.length >= expected,
    `${query} listing ${expected}`,
  );
}

describe('the dev server', () => {
  it('finds a running workflow by the product search attribute ReviewLab in a List query', async () => {
    const labId = uniqueId('lab');
    await withDevServerWorker({}, async ({ client, taskQueue }) => {
      const handle = await client.workflow.start('taggedWithLab', {
        taskQueue,
        workflowId: uniqueId('tagged'),
        args: [{ labId }],
      });
      const ids = await listUntil(client, `${SA.lab.name} = '${labId}'`, 1);
      assert.deepEqual(ids, [handle.workflowId]);
      await handle.terminate('test done');
    });
  });
});
