import { proofKeyId } from '../../shared/domain/signed-act';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import pino from 'pino';
import { Receipt } from '../../shared/api/responses';
import { reviewWorkflowId } from '../../shared/domain/review/workflow';
import { runCli } from '../cli/support';
import { testLogs } from '../setup/test-logger';
import { testServers } from '../setup/servers';
import { uniqueId } from '../helpers/workers';
import { decision, eventually, file, ok, readGov, untilStage, withGateway } from '../gateway/support';
import { registeredKey, signed } from '../gateway/signing';

/**
 * Issue 11's leak scan: a restricted note with a marker no other test writes, then every place the system
 * keeps or shows anything, searched for the marker. It may appear only in what an entitled reader gets: the
 * national-security stage's agencies and the chair (domain.md section 2).
 */
describe('leak scan: a restricted note appears only where its readers are entitled to it', function () {
  this.timeout(180_000);

  it('is sealed in history, on disk, in logs, callbacks, metrics and the codec server, and shown only to its readers', async () => {
    const marker = `LEAKMARKER-${uniqueId('note')}`;
    const gatewayLog: string[] = [];
    const logger = pino({ level: 'trace' }, { write: (line: string) => void gatewayLog.push(line) });
    await withGateway(
      async (gw) => {
        const { lab, otherLab, NSA, CISA, DOW, CAISI, DOE, TREASURY, FBI, chair, ops } = gw.parties;
        const id = await file(gw);
        await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
        const decided = decision('CONCERNS_MITIGATED', { restrictedNote: `the note ${marker}` });
        // Signed by NSA's system (issue 36): the signed statement, kept in the history and shown to the
        // government, holds the note only as a commitment.
        const nsaKey = await registeredKey(gw, NSA);
        const signedBy = await signed(gw, NSA, id, 'recordDecision', decided, nsaKey.privateKey);
        ok(await gw.call(NSA, 'POST', `/v1/submissions/${id}/decisions`, decided, signedBy), Receipt);
        assert.ok(
          (await readGov(gw, chair, id)).timeline.some(
            (e) => (e.signed && proofKeyId(e.signed.proof)) === nsaKey.id,
          ),
          'the decision was recorded signed',
        );
        for (const agency of [CISA, DOW]) {
          ok(
            await gw.call(agency, 'POST', `/v1/submissions/${id}/decisions`, decision('NO_CONCERNS')),
            Receipt,
          );
        }
        await untilStage(gw, id, 'CIVILIAN', ops);
        await eventually(
          () => readGov(gw, chair, id),
          (v) => v.callbacks.pending === 0,
          'callbacks delivered',
        );
        const has = (text: string) => text.includes(marker);

        // The API and the CLI, as every role.
        await gw.app.listen({ port: 0, host: '127.0.0.1' });
        const api = `http://127.0.0.1:${(gw.app.server.address() as { port: number }).port}`;
        const entitled = new Set([NSA, CISA, DOW, chair]);
        for (const who of [lab, otherLab, NSA, CISA, DOW, CAISI, DOE, TREASURY, FBI, chair, ops]) {
          const res = await gw.call(who, 'GET', `/v1/submissions/${id}`);
          assert.equal(has(res.text), entitled.has(who), `API to ${who}: ${res.status}`);
          const cli = await runCli(['cases', 'show', id, '--json'], {
            FRONTIER_REVIEW_API: api,
            FRONTIER_REVIEW_API_KEY: gw.keys[who],
          });
          assert.equal(has(cli.stdout + cli.stderr), entitled.has(who), `CLI to ${who}: exit ${cli.code}`);
        }

        // What Temporal keeps: the history as stored (read without the keys), and the server's files.
        const outsider = new Client({ connection: gw.client.connection, namespace: gw.namespace });
        const raw = historyToJSON(await outsider.workflow.getHandle(reviewWorkflowId(id)).fetchHistory());
        assert.ok(!has(raw), 'the history as stored');
        assert.ok(!raw.includes('CONCERNS_MITIGATED'), 'nothing of the decision is readable in the history');
        const dir = path.dirname(testServers().devDbFile);
        for (const f of readdirSync(dir)) {
          assert.ok(!readFileSync(path.join(dir, f)).includes(marker), `the dev server's ${f}`);
        }
        // Through the codec server operations staff read the payloads, with the note still sealed.
        const stored = (await outsider.workflow.getHandle(reviewWorkflowId(id)).fetchHistory()).events ?? [];
        const payloads = stored.flatMap((e) => {
          const p =
            e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads ?? [];
          return p.map((x) => ({
            metadata: Object.fromEntries(
              Object.entries(x.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
            ),
            data: Buffer.from(x.data ?? new Uint8Array()).toString('base64'),
          }));
        });
        const opened = await gw.call(
          ops,
          'POST',
          '/codec/decode',
          { payloads },
          { 'x-namespace': gw.namespace },
        );
        assert.equal(opened.status, 200);
        const openedText = (opened.body as { payloads: { data: string }[] }).payloads
          .map((p) => Buffer.from(p.data, 'base64').toString('utf8'))
          .join('\n');
        assert.ok(openedText.includes('CONCERNS_MITIGATED'), 'operations staff read the decision');
        assert.ok(!has(openedText), 'but not the note, through the codec server');

        // Callbacks, metrics and every log line.
        assert.ok(!has(JSON.stringify(testServers().labReceiver.eventsFor(id))), 'callbacks');
        assert.ok(!has((await gw.call(ops, 'GET', '/metrics')).text), 'metrics');
        assert.ok(gatewayLog.length > 0);
        assert.ok(!gatewayLog.some(has), "the gateway's log");
        for (const log of testLogs()) {
          assert.ok(!has(log.text), `the worker's, the SDK's and the Temporal server's log (${log.name})`);
        }
      },
      { logger },
    );
  });
});
