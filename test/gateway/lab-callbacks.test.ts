import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { AccessLogPage } from '../../shared/api/access-log';
import { CallbackSecretRotated, CallbackSecretState } from '../../shared/api/callback-secrets';
import { Receipt } from '../../shared/api/responses';
import { CallbackSecrets } from '../../shared/node/callback-secrets';
import { startScriptedReceiver } from '../helpers/scripted-receiver';
import { assertProblem, eventually, file, ok, readGov, withGateway, type Gateway } from './support';

/** The secrets the gateway's file holds for a lab, as the delivery activity reads them. */
const secretsOf = (gw: Gateway, labId: string): string[] =>
  CallbackSecrets.fromFile(gw.files.callbackSecretsFile).secretsFor(labId);

describe("gateway: a lab's own callbacks (issue 38)", () => {
  it('rotates its callback secret: both sign until it completes the rotation, each step in the access log', async () => {
    await withGateway(async (gw) => {
      const { lab, otherLab, admin } = gw.parties;
      const labId = lab.slice('lab:'.length);
      const otherId = otherLab.slice('lab:'.length);
      const [inForce] = secretsOf(gw, labId);
      const others = secretsOf(gw, otherId);
      const state = async () => ok(await gw.call(lab, 'GET', '/v1/callback-secret'), CallbackSecretState);
      assert.deepEqual(await state(), { labId, secrets: 1, rotating: false });
      assertProblem(
        await gw.call(lab, 'POST', '/v1/callback-secret/rotation/completion', {}),
        409,
        'CALLBACK_SECRET_NOT_ROTATING',
      );

      const first = ok(
        await gw.call(lab, 'POST', '/v1/callback-secret/rotation', {}),
        CallbackSecretRotated,
        201,
      );
      assert.deepEqual(secretsOf(gw, labId), [inForce, first.secret]);
      // A rotation whose answer was lost is rotated again: the new secret is replaced, the one in force stays.
      const second = ok(
        await gw.call(lab, 'POST', '/v1/callback-secret/rotation', {}),
        CallbackSecretRotated,
        201,
      );
      assert.notEqual(second.secret, first.secret);
      assert.deepEqual(secretsOf(gw, labId), [inForce, second.secret]);
      assert.deepEqual(await state(), { labId, secrets: 2, rotating: true });
      assert.deepEqual(secretsOf(gw, otherId), others, "another lab's secret is untouched");

      const completed = ok(
        await gw.call(lab, 'POST', '/v1/callback-secret/rotation/completion', {}),
        CallbackSecretState,
      );
      assert.deepEqual(completed, { labId, secrets: 1, rotating: false });
      assert.deepEqual(secretsOf(gw, labId), [second.secret]);
      assert.ok(!JSON.stringify(await state()).includes('whsec_'), 'the state never shows a secret');

      const log = ok(await gw.call(admin, 'GET', '/v1/access-log?pageSize=20'), AccessLogPage).items;
      assert.deepEqual(
        log
          .filter((e) => e.action.startsWith('CALLBACK_SECRET_'))
          .map((e) => [e.action, e.principal, e.subject])
          .reverse(),
        [
          ['CALLBACK_SECRET_ROTATED', lab, lab],
          ['CALLBACK_SECRET_ROTATED', lab, lab],
          ['CALLBACK_SECRET_ROTATION_COMPLETED', lab, lab],
        ],
      );

      // A lab whose secret an administrator never made is told so, and is not given one.
      const secrets = JSON.parse(readFileSync(gw.files.callbackSecretsFile, 'utf8')) as Record<
        string,
        string[]
      >;
      delete secrets[otherId];
      writeFileSync(gw.files.callbackSecretsFile, JSON.stringify(secrets));
      assertProblem(
        await gw.call(otherLab, 'POST', '/v1/callback-secret/rotation', {}),
        409,
        'LAB_CALLBACK_SECRET_MISSING',
      );
      assert.deepEqual(secretsOf(gw, otherId), []);
    });
  });

  it("redelivers its own case's failing callbacks once its endpoint answers, and never another lab's", async () => {
    let gone = true;
    const receiver = await startScriptedReceiver(() => (gone ? { status: 410 } : { status: 204 }));
    try {
      await withGateway(async (gw) => {
        const { lab, otherLab, ops, NSA } = gw.parties;
        const id = await file(gw, { callbackUrl: receiver.url });
        await eventually(
          () => readGov(gw, ops, id),
          (c) => c.callbacks.failing !== undefined,
          'the first callback failing',
        );
        const at = `/v1/submissions/${id}/callbacks/redeliver`;
        assertProblem(await gw.call(otherLab, 'POST', at, {}), 404, 'CASE_NOT_FOUND');
        assertProblem(await gw.call(NSA, 'POST', at, {}), 403, 'FORBIDDEN');
        gone = false;
        const receipt = ok(await gw.call(lab, 'POST', at, {}), Receipt);
        const delivered = await eventually(
          () => readGov(gw, ops, id),
          (c) => c.callbacks.pending === 0 && c.callbacks.failing === undefined,
          'the backlog delivered',
        );
        const entry = delivered.timeline.find((e) => e.seq === receipt.seq);
        assert.deepEqual([entry?.type, entry?.actor], ['CALLBACKS_REDELIVERED', lab]);
        assert.deepEqual(
          receiver.accepted(),
          delivered.callbacks.deliveries.filter((d) => d.status === 'DELIVERED').map((d) => d.eventId),
        );
      });
    } finally {
      await receiver.close();
    }
  });
});
