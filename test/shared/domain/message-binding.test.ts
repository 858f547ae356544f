import assert from 'node:assert/strict';
import type { WorkflowSignalInput, WorkflowStartUpdateInput } from '@temporalio/client';
import {
  BOUND_TO,
  bindingProblem,
  withBinding,
  withoutBinding,
} from '../../../shared/domain/message-binding';
import { UNSEALED } from '../../../shared/domain/sealed';
import { bindMessages } from '../../../shared/node/message-binding';

const HERE = { workflowId: 'grant-acme~case~grid', message: 'approveGrant', updateId: 'u-1' };

describe('message binding: every update and signal names where it was sent (issue 34)', () => {
  it('finds nothing wrong with a message bound to the very place it arrived at', () => {
    assert.equal(bindingProblem(withBinding({ actor: 'lab:acme' }, HERE), HERE), undefined);
  });

  it('names what is wrong with a message bound elsewhere, or not at all', () => {
    const sent = withBinding({ actor: 'lab:acme', note: 'welcome' }, HERE);
    const cases: [string, unknown, typeof HERE, RegExp][] = [
      ['another grant', sent, { ...HERE, workflowId: 'grant-acme~other~grid' }, /another workflow/],
      [
        'sent as a decline',
        sent,
        { ...HERE, message: 'declineGrant' },
        /sent as approveGrant, not declineGrant/,
      ],
      ['again, under a new update id', sent, { ...HERE, updateId: 'u-2' }, /another update \(u-1\)/],
      ['sealed before this release', { actor: 'lab:acme' }, HERE, /names no workflow/],
      ['a malformed binding', { actor: 'lab:acme', [BOUND_TO]: 'grant' }, HERE, /malformed/],
    ];
    for (const [what, payload, arrived, problem] of cases) {
      assert.match(bindingProblem(payload, arrived) ?? 'nothing', problem, what);
    }
  });

  it('drops the binding for the handlers, and leaves markers and other values as they are', () => {
    const sent = withBinding({ actor: 'ops', lapseId: 'l1' }, HERE);
    assert.deepEqual(withoutBinding(sent), { actor: 'ops', lapseId: 'l1' });
    const marker = { [UNSEALED]: { reason: 'PLAINTEXT', original: sent } };
    assert.equal(withoutBinding(marker), marker);
    assert.equal(withBinding('text', HERE), 'text');
  });

  it('is added by the product’s clients to every update (with an update id) and signal', async () => {
    let seen: WorkflowStartUpdateInput | undefined;
    await bindMessages.startUpdate!(
      {
        updateName: 'recordDecision',
        args: [{ actor: 'agency:NSA' }],
        workflowExecution: { workflowId: 'review-acme:s1' },
        headers: {},
        options: { waitForStage: 'ACCEPTED' },
      } as unknown as WorkflowStartUpdateInput,
      async (input) => {
        seen = input;
        return undefined as never;
      },
    );
    const updateId = seen?.options.updateId;
    assert.ok(updateId !== undefined && updateId.length > 0);
    assert.deepEqual(seen?.args, [
      {
        actor: 'agency:NSA',
        [BOUND_TO]: { workflowId: 'review-acme:s1', message: 'recordDecision', updateId },
      },
    ]);

    let signalled: WorkflowSignalInput | undefined;
    await bindMessages.signal!(
      {
        signalName: 'caseClosed',
        args: [{ reason: 'WITHDRAWN' }],
        workflowExecution: { workflowId: 'grant-g1' },
        headers: {},
      },
      async (input) => {
        signalled = input;
      },
    );
    assert.deepEqual(signalled?.args, [
      { reason: 'WITHDRAWN', [BOUND_TO]: { workflowId: 'grant-g1', message: 'caseClosed' } },
    ]);
  });
});
