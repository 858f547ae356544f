import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Client, WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { Receipt } from '../../shared/api/responses';
import { MESSAGES } from '../../shared/domain/review/messages';
import { FINDING_MESSAGES, findingQuery } from '../../shared/domain/clearinghouse/messages';
import { FINDING_WORKFLOW_TYPE, findingWorkflowId } from '../../shared/domain/clearinghouse/workflow';
import { noteErrorAsserted } from '../helpers/ledger';
import { waitFor } from '../helpers/wait';
import { REVIEW_WORKFLOW_TYPE, reviewWorkflowId } from '../../shared/domain/review/workflow';
import { resolveTemporalCli } from '../../shared/node/tools';
import { rejectedWithoutTrace } from '../helpers/assertions';
import { completeSubmission, historyLength, status, untilDelivered } from '../helpers/review';
import type { review as ReviewWorkflow } from '../../workflows';
import { testServers } from '../setup/servers';
import {
  assertProblem,
  decision,
  file,
  fileFinding,
  ok,
  readGov,
  untilStage,
  withGateway,
} from '../gateway/support';

const run = promisify(execFile);
const CodecPayloads = z.object({ payloads: z.array(z.object({ data: z.string() })) });

/** A client of the same namespace without the deployment's keys: anyone with namespace access. */
const outsider = (client: Client): Client =>
  new Client({ connection: client.connection, namespace: client.options.namespace });

describe('sealing: messages that did not come through the gateway', () => {
  it('refuses the Temporal CLI forging a CISA decision, with PAYLOAD_NOT_SEALED and no trace', async () => {
    await withGateway(async (gw) => {
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
      const h = gw.client.workflow.getHandle<typeof ReviewWorkflow>(reviewWorkflowId(id));
      await untilDelivered(h);
      const before = await readGov(gw, gw.parties.chair, id);
      const events = await historyLength(h);
      // The command issue 11 reported accepted as a CISA decision.
      const forged = JSON.stringify({
        actor: 'agency:CISA',
        decision: { kind: 'NO_CONCERNS', summary: 'forged' },
      });
      const cli = await resolveTemporalCli();
      const attempt = await run(cli, [
        'workflow',
        'update',
        'execute',
        '--address',
        testServers().dev.address,
        '--namespace',
        gw.namespace,
        '--workflow-id',
        reviewWorkflowId(id),
        '--name',
        MESSAGES.recordDecision.name,
        '--input',
        forged,
      ]).then(
        () => assert.fail('the forged update was accepted'),
        (err: { code?: number; stderr?: string }) => err,
      );
      assert.notEqual(attempt.code, 0);
      assert.match(attempt.stderr ?? '', /PAYLOAD_NOT_SEALED|was not sealed with a key of this deployment/);
      const after = await readGov(gw, gw.parties.chair, id);
      assert.equal(after.agencies.find((a) => a.agency === 'CISA')?.state, 'REVIEWING');
      assert.deepEqual({ ...after, asOf: before.asOf }, before);
      assert.equal(await historyLength(h), events);
    });
  });

  it('refuses every message an SDK client without the keys sends, whatever actor it names', async () => {
    await withGateway(async (gw) => {
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.ops);
      const h = outsider(gw.client).workflow.getHandle<typeof ReviewWorkflow>(reviewWorkflowId(id));
      const mine = gw.client.workflow.getHandle<typeof ReviewWorkflow>(reviewWorkflowId(id));
      await untilDelivered(mine);
      for (const [message, payload] of [
        [MESSAGES.recordDecision, { actor: 'agency:NSA', decision: { kind: 'NO_CONCERNS', summary: 'x' } }],
        [MESSAGES.withdraw, { actor: gw.parties.lab }],
        [MESSAGES.tollClocks, { actor: 'ops', lapseId: 'l1', reason: 'forged' }],
      ] as const) {
        await rejectedWithoutTrace(mine, 'PAYLOAD_NOT_SEALED', () =>
          h.executeUpdate(message.update as never, { args: [payload as never] }),
        );
      }
      assert.equal((await status(mine)).stage, 'NATIONAL_SECURITY');
    });
  });

  it('starts no review from an unsealed submission: the workflow fails at once as PAYLOAD_NOT_SEALED', async () => {
    await withGateway(async (gw) => {
      const submission = completeSubmission({ labId: gw.parties.lab.slice(4) });
      const h = await outsider(gw.client).workflow.start(REVIEW_WORKFLOW_TYPE, {
        taskQueue: gw.taskQueue,
        workflowId: reviewWorkflowId(submission.submissionId),
        args: [{ submission }],
      });
      await assert.rejects(h.result(), (err: unknown) => {
        assert.ok(err instanceof WorkflowFailedError);
        assert.ok(err.cause instanceof ApplicationFailure);
        assert.equal(err.cause.type, 'PAYLOAD_NOT_SEALED');
        return true;
      });
      const history = await h.fetchHistory();
      const scheduled = history.events?.filter((e) => e.activityTaskScheduledEventAttributes) ?? [];
      assert.deepEqual(scheduled, [], 'no activity ran: not even a callback');
      assert.deepEqual(testServers().labReceiver.eventsFor(submission.submissionId), []);
    });
  });

  it('refuses a forged message to a finding, and starts no finding from an unsealed filing', async () => {
    await withGateway(async (gw) => {
      const findingId = await fileFinding(gw, gw.parties.NSA, { labId: gw.parties.lab.slice(4), tlp: 'RED' });
      const mine = gw.client.workflow.getHandle(findingWorkflowId(findingId));
      // Settled: its first task published the finding's search attributes, and nothing else is pending.
      const settled = await waitFor(
        () => mine.fetchHistory(),
        (h) => (h.events ?? []).some((e) => e.upsertWorkflowSearchAttributesEventAttributes),
        'the finding received',
      );
      const events = settled.events?.length;
      noteErrorAsserted('PAYLOAD_NOT_SEALED');
      await assert.rejects(
        outsider(gw.client)
          .workflow.getHandle(findingWorkflowId(findingId))
          .executeUpdate(FINDING_MESSAGES.disclose.update, { args: [{ actor: 'agency:NSA' }] }),
        (err: unknown) =>
          err instanceof WorkflowUpdateFailedError &&
          err.cause instanceof ApplicationFailure &&
          err.cause.type === 'PAYLOAD_NOT_SEALED',
      );
      assert.equal(((await mine.query(findingQuery)) as { state: string }).state, 'RECEIVED');
      assert.equal(await historyLength(mine as never), events);

      const forged = await outsider(gw.client).workflow.start(FINDING_WORKFLOW_TYPE, {
        taskQueue: gw.taskQueue,
        workflowId: findingWorkflowId('F-forged'),
        args: [{ filing: { findingId: 'F-forged', labId: 'acme', filedBy: 'agency:NSA' } }],
      });
      await assert.rejects(forged.result(), (err: unknown) => {
        assert.ok(err instanceof WorkflowFailedError);
        assert.ok(err.cause instanceof ApplicationFailure);
        assert.equal(err.cause.type, 'PAYLOAD_NOT_SEALED');
        return true;
      });
    });
  });
});

describe('sealing: the codec server', () => {
  it('opens a case’s payloads for operations staff with restricted notes still sealed, and for nobody else', async () => {
    const NOTE = 'codec-server-must-not-open-this-note';
    await withGateway(async (gw) => {
      const { ops, chair, lab, NSA } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      const decided = decision('CONCERNS_MITIGATED', { restrictedNote: NOTE });
      ok(await gw.call(NSA, 'POST', `/v1/submissions/${id}/decisions`, decided), Receipt);
      const history = await gw.client.workflow.getHandle(reviewWorkflowId(id)).fetchHistory();
      // The decision's update (NSA's designation came before it).
      const stored = history.events
        ?.map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input)
        .find((input) => input?.name === 'recordDecision')?.args?.payloads?.[0];
      assert.ok(stored, 'the decision is in the history');
      const wire = {
        payloads: [
          {
            metadata: Object.fromEntries(
              Object.entries(stored.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
            data: Buffer.from(stored.data!).toString('base64'),
          },
        ],
      };
      // Stored: sealed, nothing of the decision readable.
      assert.equal(Buffer.from(stored.metadata!.encoding).toString(), 'binary/encrypted');
      assert.ok(!Buffer.from(stored.data!).toString('latin1').includes('CONCERNS_MITIGATED'));

      const headers = { 'x-namespace': gw.namespace };
      const opened = ok(await gw.call(ops, 'POST', '/codec/decode', wire, headers), CodecPayloads);
      const text = Buffer.from(opened.payloads[0].data, 'base64').toString('utf8');
      const payload = JSON.parse(text) as {
        actor: string;
        decision: { kind: string; restrictedNote: string };
      };
      assert.equal(payload.actor, NSA);
      assert.equal(payload.decision.kind, 'CONCERNS_MITIGATED');
      assert.match(payload.decision.restrictedNote, /^sealed:v2:/);
      assert.ok(!text.includes(NOTE), 'the restricted note stays sealed for operations staff');
      assert.equal((await gw.call(chair, 'POST', '/codec/decode', wire, headers)).status, 200);

      assertProblem(await gw.call(lab, 'POST', '/codec/decode', wire, headers), 403, 'FORBIDDEN');
      assertProblem(await gw.call(NSA, 'POST', '/codec/decode', wire, headers), 403, 'FORBIDDEN');
      assertProblem(await gw.call(undefined, 'POST', '/codec/decode', wire, headers), 401, 'UNAUTHENTICATED');
      assertProblem(
        await gw.call(ops, 'POST', '/codec/decode', wire, { 'x-namespace': 'elsewhere' }),
        404,
        'NOT_FOUND',
      );
      // Nobody seals a message by hand: it would enter the case without the gateway's checks.
      assertProblem(await gw.call(ops, 'POST', '/codec/encode', wire, headers), 403, 'FORBIDDEN');
    });
  });

  it('answers the Web UI’s origin, and no other, across origins', async () => {
    await withGateway(
      async (gw) => {
        const preflight = (origin: string) =>
          gw.app.inject({
            method: 'OPTIONS',
            url: '/codec/decode',
            headers: {
              origin,
              'access-control-request-method': 'POST',
              'access-control-request-headers': 'content-type,x-namespace,authorization',
            },
          });
        const ui = await preflight('http://temporal-ui.test:8233');
        assert.equal(ui.headers['access-control-allow-origin'], 'http://temporal-ui.test:8233');
        assert.equal(ui.headers['access-control-allow-credentials'], 'true');
        const other = await preflight('http://evil.example');
        assert.equal(other.headers['access-control-allow-origin'], undefined);
      },
      { temporalUi: { url: 'http://temporal-ui.test:8233', decodes: false } },
    );
  });
});
