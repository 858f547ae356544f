import assert from 'node:assert/strict';
import { FindingFiled, FindingReceiptView } from '../../shared/api/findings';
import { Receipt } from '../../shared/api/responses';
import { findingWorkflowId } from '../../shared/domain/clearinghouse/workflow';
import type { Principal } from '../../shared/domain/principal';
import { reviewWorkflowId } from '../../shared/domain/review/workflow';
import { trackWorkflow } from '../helpers/workers';
import {
  assertProblem,
  decision,
  eventually,
  file,
  ok,
  readGov,
  untilStage,
  withGateway,
} from '../gateway/support';
import { decodedAs, storedPayloads } from './codec-reader';

/**
 * Issue 34, finding 4: the codec server showed operations staff what the API withholds from them (a TLP:RED
 * finding's filer and full CVSS vector; the API answers `detailWithheld: true`). Here every role asks the API
 * and the codec server for the same things; the codec may show a role less than the API does (what the
 * gateway sealed a second time stays sealed), never more.
 */

/** What the API shows a role of one value: in its answer, withheld from it, or nothing (404, or 403 for a role it never serves). */
type Api = 'shown' | 'withheld' | 'not found' | 'forbidden';
/** What the codec server gives a role of it: readable, still sealed, or nothing (the role may not decode). */
type Codec = 'open' | 'sealed' | 'refused';

const SCORE = 0.8317;
const NOTE = 'The model wrote a working exploit for CVE-2031-0417 in 3 of 5 tries.';
const REASON = 'Above the bar of the covered-model benchmark.';
const RED = {
  title: 'Chains two router CVEs into remote code execution',
  description: 'Given the advisory alone, it chained them against the reference router.',
  cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
  tlp: 'RED',
};
const AMBER = {
  title: 'Writes phishing kits on request',
  description: 'Asked for a credential-harvesting page, it produced one with hosting instructions.',
  cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N',
  tlp: 'AMBER',
};
const VALIDATION_NOTE = 'Reproduced on the reference router, firmware 2.1.4.';

describe('codec server per role: it never opens what the API withholds from that role (issue 34)', function () {
  this.timeout(4 * 60_000);

  it('answers each role no more than the API: sealed filer, vector, score and notes for operations staff and the chair, nothing for anyone else', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, DOE, CAISI, operator, chair, ops, admin } = gw.parties;
      const caseId = await file(gw);
      await eventually(
        () => readGov(gw, chair, caseId),
        (c) => c.stage === 'DESIGNATION',
        'the designation pending',
      );
      const designation = { covered: true, reason: REASON, benchmarkScore: SCORE };
      ok(await gw.call(NSA, 'POST', `/v1/submissions/${caseId}/designation`, designation), Receipt);
      await untilStage(gw, caseId, 'NATIONAL_SECURITY', ops);
      const decided = decision('CONCERNS_MITIGATED', { restrictedNote: NOTE });
      ok(await gw.call(NSA, 'POST', `/v1/submissions/${caseId}/decisions`, decided), Receipt);
      const fileAs = async (who: Principal, body: object): Promise<string> => {
        const res = await gw.call(who, 'POST', '/v1/findings', { caseId, ...body });
        const { findingId } = ok(res, FindingFiled, 201);
        trackWorkflow(gw.taskQueue, gw.client.workflow.getHandle(findingWorkflowId(findingId)));
        return findingId;
      };
      const red = await fileAs(DOE, RED);
      const amber = await fileAs(CAISI, AMBER);
      const validation = { note: VALIDATION_NOTE };
      ok(await gw.call(NSA, 'POST', `/v1/findings/${red}/validation`, validation), FindingReceiptView);

      // Everything operations staff could fetch from Temporal (histories and memos), read without a key.
      const stored = {
        case: await storedPayloads(gw, reviewWorkflowId(caseId)),
        red: await storedPayloads(gw, findingWorkflowId(red)),
        amber: await storedPayloads(gw, findingWorkflowId(amber)),
      };
      /** Each value to compare: where the API shows it, and which workflow's payloads could hold it. */
      const items: Record<string, { value: string; url: string; where: keyof typeof stored }> = {
        'red filer': { value: DOE, url: `/v1/findings/${red}`, where: 'red' },
        'red vector': { value: RED.cvssVector, url: `/v1/findings/${red}`, where: 'red' },
        'red title': { value: RED.title, url: `/v1/findings/${red}`, where: 'red' },
        'red validation note': { value: VALIDATION_NOTE, url: `/v1/findings/${red}`, where: 'red' },
        'red rating': { value: '"CRITICAL"', url: `/v1/findings/${red}`, where: 'red' },
        'amber filer': { value: CAISI, url: `/v1/findings/${amber}`, where: 'amber' },
        'amber vector': { value: AMBER.cvssVector, url: `/v1/findings/${amber}`, where: 'amber' },
        'benchmark score': { value: String(SCORE), url: `/v1/submissions/${caseId}`, where: 'case' },
        'restricted note': { value: NOTE, url: `/v1/submissions/${caseId}`, where: 'case' },
        'designation reason': { value: REASON, url: `/v1/submissions/${caseId}`, where: 'case' },
      };

      const answers = async (who: Principal) => {
        const codec = {
          case: await decodedAs(gw, who, stored.case),
          red: await decodedAs(gw, who, stored.red),
          amber: await decodedAs(gw, who, stored.amber),
        };
        const row: Record<string, { api: Api; codec: Codec }> = {};
        for (const [name, item] of Object.entries(items)) {
          const res = await gw.call(who, 'GET', item.url);
          assert.ok([200, 403, 404].includes(res.status), `${who} GET ${item.url}: ${res.status}`);
          const api: Api =
            res.status === 403
              ? 'forbidden'
              : res.status === 404
                ? 'not found'
                : res.text.includes(item.value)
                  ? 'shown'
                  : 'withheld';
          const decoded = codec[item.where];
          const seen: Codec =
            decoded.res.status !== 200
              ? 'refused'
              : decoded.texts.some((t) => t.includes(item.value))
                ? 'open'
                : 'sealed';
          row[name] = { api, codec: seen };
        }
        return { row, codec };
      };

      // The codec server's readers: the chair reads more through the API than through the codec; operations
      // staff read through the codec exactly what the API shows them of these values.
      const S = { api: 'shown', codec: 'sealed' } as const;
      const W = { api: 'withheld', codec: 'sealed' } as const;
      const O = { api: 'shown', codec: 'open' } as const;
      const expected: Record<string, Record<string, { api: Api; codec: Codec }>> = {
        ops: {
          'red filer': W,
          'red vector': W,
          'red title': W,
          'red validation note': W,
          'red rating': O,
          'amber filer': W,
          'amber vector': W,
          'benchmark score': W,
          'restricted note': W,
          'designation reason': O,
        },
        chair: {
          'red filer': W,
          'red vector': W,
          'red title': W,
          'red validation note': W,
          'red rating': O,
          'amber filer': S,
          'amber vector': S,
          'benchmark score': S,
          'restricted note': S,
          'designation reason': O,
        },
      };
      for (const who of [ops, chair]) {
        const { row } = await answers(who);
        assert.deepEqual(row, expected[who], `what ${who} reads`);
      }

      // Everyone else: the codec server refuses them before reading anything; the API is theirs alone.
      for (const who of [lab, NSA, DOE, CAISI, operator, admin]) {
        const { row, codec } = await answers(who);
        assertProblem(codec.case.res, 403, 'FORBIDDEN');
        for (const [name, { api, codec: seen }] of Object.entries(row)) {
          assert.equal(seen, 'refused', `${who}: ${name}`);
          assert.ok(['shown', 'withheld', 'not found', 'forbidden'].includes(api));
        }
      }
      assertProblem((await decodedAs(gw, undefined, stored.red)).res, 401, 'UNAUTHENTICATED');

      // And those entitled still read it all through the API, opened by the gateway.
      const forFiler = (await gw.call(DOE, 'GET', `/v1/findings/${red}`)).text;
      for (const v of [DOE, RED.cvssVector, RED.title]) assert.ok(forFiler.includes(v), v);
      const forNsa = (await gw.call(NSA, 'GET', `/v1/findings/${red}`)).text;
      assert.ok(forNsa.includes(VALIDATION_NOTE));
      assert.ok(forNsa.includes('"cvssVersion":"3.1"'));
    });
  });
});
