import assert from 'node:assert/strict';
import type { ActedBy } from '../../shared/domain/acted-by';
import { ClosureReport, FanOutReport, GovernmentView, Me, Receipt } from '../../shared/api/responses';
import { uniqueId } from '../helpers/workers';
import { FindingReceiptView, FindingView } from '../../shared/api/findings';
import { LabReceiptView, LabView } from '../../shared/api/labs';
import { DEV_PEOPLE } from '../../shared/node/dev-identity-provider';
import { tokenOf } from '../helpers/sign-in';
import { softwarePasskey } from './software-passkey';
import { testServers } from '../setup/servers';
import {
  decision,
  file,
  fileFinding,
  ok,
  readGov,
  untilLabRecord,
  untilStage,
  withGateway,
  type Gateway,
} from './support';

/** The key id behind a principal's API key in this gateway, as `/v1/me` names it. */
const keyIdOf = async (gw: Gateway, as: string): Promise<string> =>
  ok(await gw.call(as, 'GET', '/v1/me'), Me).keyId;

/**
 * Issue 36, part 1: every act names who made it, beside the principal it was made as: a person signed in by
 * the identity provider's issuer and subject and the name it gives, a system by its API key's id and holder.
 * The government and the record see it; the lab sees the agency only.
 */
describe('gateway: who acted, on every act (issue 36, part 1)', () => {
  it('records the reviewer signed in and the agency system with a key beside the principal; the lab sees neither', async () => {
    await withGateway(async (gw) => {
      const id = await file(gw);
      // NSA's designation on the way is its system's, with its API key.
      await untilStage(gw, id, 'NATIONAL_SECURITY', gw.parties.lab);
      // The reviewer signs with a passkey, as policy 8 asks of people.
      const nsaReviewer = await tokenOf('nsa');
      const passkey = await softwarePasskey(gw, nsaReviewer);
      const url = `/v1/submissions/${id}/decisions`;
      const headers = await passkey.sign(
        `/v1/submissions/${id}/statements`,
        'recordDecision',
        decision('NO_CONCERNS'),
      );
      ok(await gw.call(nsaReviewer, 'POST', url, decision('NO_CONCERNS'), headers), Receipt);
      ok(
        await gw.call(gw.parties.CISA, 'POST', `/v1/submissions/${id}/decisions`, decision('NO_CONCERNS')),
        Receipt,
      );

      const gov = await readGov(gw, gw.parties.chair, id);
      const acts = gov.timeline
        .filter((e) => ['DESIGNATED', 'DECISION_RECORDED'].includes(e.type))
        .map((e) => [e.type, e.actor, e.by]);
      const system = async (principal: string): Promise<ActedBy> => ({
        kind: 'SYSTEM',
        keyId: await keyIdOf(gw, principal),
        holder: `test ${principal}`,
      });
      assert.deepEqual(acts, [
        ['DESIGNATED', 'agency:NSA', await system(gw.parties.NSA)],
        [
          'DECISION_RECORDED',
          'agency:NSA',
          {
            kind: 'PERSON',
            issuer: testServers().identity.issuer,
            subject: 'nsa',
            name: DEV_PEOPLE.nsa.name,
          },
        ],
        ['DECISION_RECORDED', 'agency:CISA', await system(gw.parties.CISA)],
      ]);
      // The filing is the lab's first act: its key is named too.
      const filed = gov.timeline.find((e) => e.type === 'RECEIVED');
      assert.deepEqual([filed?.actor, filed?.by], [gw.parties.lab, await system(gw.parties.lab)]);
      // What the case did on its own in the same steps (the stage opening, the lab's events) names no one.
      const own = gov.timeline.filter((e) => e.actor === 'system');
      assert.ok(own.length > 0, 'the case recorded steps of its own');
      assert.deepEqual(
        own.filter((e) => e.by !== undefined),
        [],
      );

      // The lab's view and callbacks: the agency, never the reviewer or the system's key.
      const secrets = [
        DEV_PEOPLE.nsa.name,
        testServers().identity.issuer,
        await keyIdOf(gw, gw.parties.CISA),
        `test ${gw.parties.CISA}`,
      ];
      const labView = await gw.call(gw.parties.lab, 'GET', `/v1/submissions/${id}`);
      assert.equal(labView.status, 200, labView.text);
      const callbacks = JSON.stringify(testServers().labReceiver.labEventsFor(gov.caseId));
      for (const text of [labView.text, callbacks]) {
        // (The designation's `by` names the agency, a principal: no one's acted-by object.)
        assert.doesNotMatch(text, /"by":\{/);
        for (const secret of secrets) assert.ok(!text.includes(secret), `the lab reads ${secret}`);
      }
    });
  });

  it("names who started and ended a funding lapse and declared a closure, in the government's state and each case's timeline", async () => {
    await withGateway(async (gw) => {
      const { ops, lab } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      const opsKey: ActedBy = { kind: 'SYSTEM', keyId: await keyIdOf(gw, ops), holder: `test ${ops}` };
      const lapseId = uniqueId('lapse');
      ok(
        await gw.call(ops, 'POST', '/v1/ops/funding-lapses', { lapseId, reason: 'appropriations lapse' }),
        FanOutReport,
      );
      ok(await gw.call(ops, 'POST', `/v1/ops/funding-lapses/${lapseId}/resume`), FanOutReport);
      const closureId = uniqueId('closure');
      const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      ok(
        await gw.call(ops, 'POST', '/v1/ops/closures', { closureId, dates: [tomorrow], reason: 'snow' }),
        ClosureReport,
      );
      const g = GovernmentView.parse((await gw.call(ops, 'GET', '/v1/ops/government')).body);
      assert.deepEqual(
        [
          ...g.lapses.map((l) => [l.id, l.startedActedBy, l.endedActedBy]),
          ...g.closures.map((c) => [c.id, c.declaredActedBy]),
        ],
        [
          [lapseId, opsKey, opsKey],
          [closureId, opsKey],
        ],
      );
      const gov = await readGov(gw, gw.parties.chair, id);
      assert.deepEqual(
        gov.timeline
          .filter((e) => ['CLOCK_TOLLED', 'CLOCK_RESUMED', 'CLOSURE_DECLARED'].includes(e.type))
          .map((e) => [e.type, e.actor, e.by]),
        [
          ['CLOCK_TOLLED', ops, opsKey],
          ['CLOCK_RESUMED', ops, opsKey],
          ['CLOSURE_DECLARED', ops, opsKey],
        ],
      );
    });
  });

  it("shows who acted on labs' records and findings to the government, and never to the lab", async () => {
    await withGateway(async (gw) => {
      const { lab, chair, ops, NSA, TREASURY } = gw.parties;
      const labId = lab.slice('lab:'.length);
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      await untilLabRecord(gw, id);
      const system = async (principal: string): Promise<ActedBy> => ({
        kind: 'SYSTEM',
        keyId: await keyIdOf(gw, principal),
        holder: `test ${principal}`,
      });
      ok(
        await gw.call(chair, 'POST', `/v1/labs/${labId}/designation`, { reason: 'a long record' }),
        LabReceiptView,
      );
      const record = ok(await gw.call(ops, 'GET', `/v1/labs/${labId}`), LabView);
      assert.deepEqual(
        record.timeline.filter((e) => e.actor === chair).map((e) => [e.type, e.by]),
        [['TRUSTED_PARTNER_DESIGNATED', await system(chair)]],
      );

      // A finding NSA files about the case (TLP:CLEAR, so the lab reads its detail), validated by the clearinghouse.
      const filed = { findingId: await fileFinding(gw, NSA, { caseId: id, tlp: 'CLEAR' }) };
      ok(
        await gw.call(TREASURY, 'POST', `/v1/findings/${filed.findingId}/validation`, { note: 'reproduced' }),
        FindingReceiptView,
      );
      const finding = ok(await gw.call(ops, 'GET', `/v1/findings/${filed.findingId}`), FindingView);
      assert.deepEqual(
        finding.timeline.map((e) => [e.actor, e.by]),
        [
          // A finding's filer is restricted: sealed from whoever decodes payloads, so its filing names no one.
          [NSA, undefined],
          [TREASURY, await system(TREASURY)],
        ],
      );

      // The lab reads both, and in neither who acted.
      for (const url of [`/v1/labs/${labId}`, `/v1/findings/${filed.findingId}`]) {
        const seen = await gw.call(lab, 'GET', url);
        assert.equal(seen.status, 200, seen.text);
        assert.doesNotMatch(seen.text, /"by":\{/, url);
      }
    });
  });
});
