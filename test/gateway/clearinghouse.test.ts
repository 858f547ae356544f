import assert from 'node:assert/strict';
import { IssuedKey } from '../../shared/api/admin';
import { AccessLogPage } from '../../shared/api/access-log';
import { FindingFiled, FindingListItem, FindingReceiptView, FindingView } from '../../shared/api/findings';
import { type ArchivedCase, ArchivedCases, page } from '../../shared/api/responses';
import { testRecords } from '../helpers/activities';
import { findingRecordId, findingWorkflowId } from '../../shared/domain/clearinghouse/workflow';
import { trackWorkflow } from '../helpers/workers';
import { assertProblem, eventually, file, ok, read, untilStage, withGateway, type Gateway } from './support';

const TITLE = 'Model chains two known CVEs into remote code execution';
const finding = (extra: Record<string, unknown> = {}) => ({
  title: TITLE,
  description: 'Asked for a proof of concept, it chained CVE-A and CVE-B against the reference router.',
  cvssVector: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N',
  tlp: 'AMBER',
  ...extra,
});
const FindingPage = page(FindingListItem);

/** Every archived case, page after page, as operations staff list them. */
async function everyArchivedCase(gw: Gateway): Promise<ArchivedCase[]> {
  const items: ArchivedCase[] = [];
  let after: string | undefined;
  do {
    const query = after === undefined ? '' : `&after=${encodeURIComponent(after)}`;
    const page = ok(
      await gw.call(gw.parties.ops, 'GET', `/v1/archive/cases?pageSize=100${query}`),
      ArchivedCases,
    );
    items.push(...page.items);
    after = page.nextAfter;
  } while (after !== undefined);
  return items;
}

describe('gateway: the clearinghouse’s findings (issue 15)', function () {
  this.timeout(4 * 60_000);

  async function fileFinding(gw: Gateway, caseId: string): Promise<string> {
    const res = await gw.call(gw.parties.NSA, 'POST', '/v1/findings', finding({ caseId }), {
      'idempotency-key': `finding-of-${caseId}`,
    });
    const { findingId } = ok(res, FindingFiled, 201);
    trackWorkflow(gw.taskQueue, gw.client.workflow.getHandle(findingWorkflowId(findingId)));
    assert.equal(res.headers.location, `/v1/findings/${findingId}`);
    return findingId;
  }

  it('files a finding on a case once, shows it on the case, to each reader at the detail its TLP allows, and takes it to remediated', async () => {
    await withGateway(async (gw) => {
      const { lab, NSA, CAISI, FBI, DOE, TREASURY, CISA, ops, admin, chair } = gw.parties;
      const caseId = await file(gw);
      await untilStage(gw, caseId, 'NATIONAL_SECURITY', lab);
      const findingId = await fileFinding(gw, caseId);

      // A retry with the same key finds the first finding; the same key with another filing is refused.
      const again = await gw.call(NSA, 'POST', '/v1/findings', finding({ caseId }), {
        'idempotency-key': `finding-of-${caseId}`,
      });
      assert.deepEqual(ok(again, FindingFiled, 200), { findingId, created: false });
      assertProblem(
        await gw.call(NSA, 'POST', '/v1/findings', finding({ caseId, tlp: 'RED' }), {
          'idempotency-key': `finding-of-${caseId}`,
        }),
        409,
        'IDEMPOTENCY_KEY_REUSED',
      );

      // AMBER: the agencies reviewing the model read it; the lab's ordinary key sees that it exists.
      const forCaisi = ok(await gw.call(CAISI, 'GET', `/v1/findings/${findingId}`), FindingView);
      assert.deepEqual(
        [forCaisi.detail?.title, forCaisi.state, forCaisi.severity.rating],
        [TITLE, 'RECEIVED', 'CRITICAL'],
      );
      const forLab = ok(await gw.call(lab, 'GET', `/v1/findings/${findingId}`), FindingView);
      assert.equal(forLab.detailWithheld, true);
      assert.ok(!JSON.stringify(forLab).includes(TITLE));
      assertProblem(await gw.call(FBI, 'GET', `/v1/findings/${findingId}`), 404, 'FINDING_NOT_FOUND');

      // The lab's named security contact reads it in full; the read is in the access log.
      const contact = ok(
        await gw.call(admin, 'POST', '/v1/admin/keys', {
          principal: lab,
          holder: 'acme security team',
          securityContact: true,
        }),
        IssuedKey,
        201,
      );
      assert.equal(contact.securityContact, true);
      assertProblem(
        await gw.call(admin, 'POST', '/v1/admin/keys', {
          principal: 'agency:NSA',
          holder: 'x',
          securityContact: true,
        }),
        422,
        'SECURITY_CONTACT_NOT_A_LAB',
      );
      const forContact = ok(await gw.call(contact.key, 'GET', `/v1/findings/${findingId}`), FindingView);
      assert.equal(forContact.detail?.title, TITLE);
      const log = ok(await gw.call(chair, 'GET', `/v1/access-log?pageSize=100`), AccessLogPage);
      assert.ok(
        log.items.some(
          (e) => e.action === 'FINDING_READ' && e.subject === findingId && e.keyId === contact.id,
        ),
      );

      // The case shows its open findings, to its lab and its reviewers.
      const shown = await eventually(
        () => read(gw, lab, caseId),
        (v) => (v.openFindings ?? []).some((f) => f.findingId === findingId),
        'the finding on the case',
      );
      assert.equal(shown.openFindings![0].state, 'RECEIVED');

      // Lists: operations staff and the clearinghouse see every finding, the lab its own; not another agency.
      const listed = await eventually(
        () => gw.call(ops, 'GET', `/v1/findings?caseId=${encodeURIComponent(caseId)}&open=true`),
        (r) => r.status === 200 && FindingPage.parse(r.body).items.length === 1,
        'the finding listed',
      );
      assert.equal(FindingPage.parse(listed.body).items[0].findingId, findingId);
      ok(await gw.call(TREASURY, 'GET', '/v1/findings'), FindingPage);
      assertProblem(await gw.call(DOE, 'GET', '/v1/findings'), 403, 'FORBIDDEN');

      // The path: validated by the clearinghouse, the lab's one extension, remediated.
      assertProblem(
        await gw.call(DOE, 'POST', `/v1/findings/${findingId}/validation`, {}),
        403,
        'NOT_ENTITLED',
      );
      const validated = ok(
        await gw.call(TREASURY, 'POST', `/v1/findings/${findingId}/validation`, { note: 'reproduced' }),
        FindingReceiptView,
      );
      assert.equal(validated.state, 'VALIDATED');
      // The note went to Temporal sealed; it is opened for a reader of the detail, and for nobody else.
      const noted = (v: { timeline: { type: string; note?: string }[] }) =>
        v.timeline.find((e) => e.type === 'FINDING_VALIDATED')?.note;
      assert.equal(
        noted(ok(await gw.call(CAISI, 'GET', `/v1/findings/${findingId}`), FindingView)),
        'reproduced',
      );
      assert.equal(noted(ok(await gw.call(lab, 'GET', `/v1/findings/${findingId}`), FindingView)), undefined);
      assertProblem(
        await gw.call(TREASURY, 'POST', `/v1/findings/${findingId}/rejection`, { reason: 'late' }),
        409,
        'FINDING_WRONG_STATE',
      );
      ok(
        await gw.call(lab, 'POST', `/v1/findings/${findingId}/extension`, { reason: 'retraining' }),
        FindingReceiptView,
      );
      assertProblem(
        await gw.call(lab, 'POST', `/v1/findings/${findingId}/extension`, { reason: 'again' }),
        422,
        'FINDING_EXTENSION_USED',
      );
      ok(await gw.call(CISA, 'POST', `/v1/findings/${findingId}/remediation`, {}), FindingReceiptView);
      const ended = await eventually(
        () => gw.call(ops, 'GET', `/v1/findings/${findingId}`),
        (r) => r.status === 200 && FindingView.parse(r.body).state === 'REMEDIATED',
        'remediated',
      );
      assert.ok(FindingView.parse(ended.body).closedAt !== undefined);
      await gw.client.workflow.getHandle(findingWorkflowId(findingId)).result();
      assertProblem(
        await gw.call(CISA, 'POST', `/v1/findings/${findingId}/disclosure`, {}),
        409,
        'FINDING_CLOSED',
      );
      // Its record is archived beside the cases', and the archived-cases list holds cases only. The finding's
      // case is still open and has no record of its own, so an item of that case could only be the finding's
      // record (whose head names the case it is about).
      assert.ok((await testRecords.get(findingRecordId(findingId))) !== undefined);
      assertProblem(await gw.call(ops, 'GET', `/v1/submissions/${caseId}/record`), 404, 'RECORD_NOT_FOUND');
      const archived = await everyArchivedCase(gw);
      assert.deepEqual(
        archived.filter((c) => c.caseId === caseId),
        [],
      );
      // A finished finding still answers (from its workflow, while Temporal keeps it).
      assert.equal(
        ok(await gw.call(ops, 'GET', `/v1/findings/${findingId}`), FindingView).state,
        'REMEDIATED',
      );
    });
  });

  it('refuses a filing it cannot take, with the reason, and starts nothing', async () => {
    await withGateway(async (gw) => {
      const { lab, otherLab, NSA, ops } = gw.parties;
      const labId = lab.slice(4);
      assertProblem(
        await gw.call(NSA, 'POST', '/v1/findings', finding({ labId, cvssVector: 'CVSS:3.1/AV:N/AC:L' })),
        422,
        'CVSS_VECTOR_INVALID',
      );
      assertProblem(
        await gw.call(
          NSA,
          'POST',
          '/v1/findings',
          finding({ labId, cvssVector: 'CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }),
        ),
        422,
        'CVSS_VECTOR_INVALID',
      );
      assertProblem(await gw.call(NSA, 'POST', '/v1/findings', finding()), 422, 'FINDING_SUBJECT_MISSING');
      assertProblem(
        await gw.call(NSA, 'POST', '/v1/findings', finding({ labId, callbackUrl: 'https://nsa.example/cb' })),
        422,
        'FINDING_CALLBACK_NOT_ALLOWED',
      );
      assertProblem(
        await gw.call(otherLab, 'POST', '/v1/findings', finding({ labId })),
        422,
        'FINDING_LAB_MISMATCH',
      );
      assertProblem(await gw.call(ops, 'POST', '/v1/findings', finding({ labId })), 403, 'FORBIDDEN');
      const none = ok(await gw.call(ops, 'GET', `/v1/findings?lab=${labId}`), FindingPage);
      assert.deepEqual(none.items, []);
    });
  });
});
