import assert from 'node:assert/strict';
import { AccessLogPage } from '../../shared/api/access-log';
import { FindingView } from '../../shared/api/findings';
import { EnrolledPerson, PeopleList } from '../../shared/api/people';
import { AnyCaseView, CaseView, Me, SubmissionCreated } from '../../shared/api/responses';
import { tokenOf } from '../helpers/sign-in';
import { testServers } from '../setup/servers';
import { assertProblem, fileFinding, filing, ok, untilStage, withGateway } from './support';

const TITLE = 'a red finding about the model';

describe("gateway: the labs' and operators' people, enrolled by administrators (issue 38)", () => {
  it('a person enrolled for a lab acts for it in their own name, a security contact reads what one may, and a removal holds at once', async () => {
    await withGateway(async (gw) => {
      const { lab, operator, admin, ops, NSA } = gw.parties;
      const issuer = testServers().identity.issuer;
      const [filer, contact, gridPerson] = await Promise.all(
        ['lab', 'lab-security', 'operator'].map((login) => tokenOf(login)),
      );
      const enrol = (body: Record<string, unknown>) => gw.call(admin, 'POST', '/v1/admin/people', body);
      // Signed in, but the provider names no lab: no role here until an administrator enrols them.
      assertProblem(await gw.call(filer, 'GET', '/v1/me'), 401, 'UNAUTHENTICATED');

      const enrolled = ok(
        await enrol({ issuer, subject: 'lab', principal: lab, name: 'Sample lab filer' }),
        EnrolledPerson,
        201,
      );
      assert.deepEqual([enrolled.principal, enrolled.securityContact], [lab, undefined]);
      assertProblem(await enrol({ issuer, subject: 'lab', principal: lab }), 409, 'PERSON_ALREADY_ENROLLED');
      assertProblem(
        await enrol({ issuer, subject: 'lab', principal: 'lab:never-added' }),
        409,
        'LAB_CALLBACK_SECRET_MISSING',
      );
      ok(
        await enrol({ issuer, subject: 'lab-security', principal: lab, securityContact: true }),
        EnrolledPerson,
        201,
      );
      ok(await enrol({ issuer, subject: 'operator', principal: operator }), EnrolledPerson, 201);
      assert.equal(ok(await gw.call(filer, 'GET', '/v1/me'), Me).principal, lab);
      assert.equal(ok(await gw.call(gridPerson, 'GET', '/v1/me'), Me).principal, operator);

      // The lab's person files; the government's view of the case names them, the lab's names no one.
      const { caseId } = ok(
        await gw.call(filer, 'POST', '/v1/submissions', filing()),
        SubmissionCreated,
        201,
      );
      await untilStage(gw, caseId, 'NATIONAL_SECURITY', ops);
      const forOps = ok(await gw.call(ops, 'GET', `/v1/submissions/${caseId}`), CaseView);
      assert.deepEqual(forOps.timeline[0].by, {
        kind: 'PERSON',
        issuer,
        subject: 'lab',
        name: 'Sample lab filer',
      });
      const forLab = ok(await gw.call(filer, 'GET', `/v1/submissions/${caseId}`), AnyCaseView);
      assert.equal(forLab.view, 'lab');

      // A TLP:RED finding about the model: the filer sees that it exists; the security contact reads it.
      const findingId = await fileFinding(gw, NSA, { caseId, title: TITLE, tlp: 'RED' });
      const seenByFiler = ok(await gw.call(filer, 'GET', `/v1/findings/${findingId}`), FindingView);
      assert.equal(seenByFiler.detailWithheld, true);
      assert.ok(!JSON.stringify(seenByFiler).includes(TITLE));
      const seenByContact = ok(await gw.call(contact, 'GET', `/v1/findings/${findingId}`), FindingView);
      assert.equal(seenByContact.detail?.title, TITLE);

      const listed = ok(await gw.call(admin, 'GET', '/v1/admin/people'), PeopleList).items;
      assert.deepEqual(
        listed.map((p) => [p.subject, p.principal, p.securityContact === true]),
        [
          ['lab', lab, false],
          ['lab-security', lab, true],
          ['operator', operator, false],
        ],
      );

      const removal = { issuer, subject: 'lab', principal: lab };
      const removed = ok(await gw.call(admin, 'POST', '/v1/admin/people/removal', removal), EnrolledPerson);
      assert.ok(removed.removedAt !== undefined && removed.removedBy?.startsWith('admin: '));
      assertProblem(await gw.call(filer, 'GET', '/v1/me'), 401, 'UNAUTHENTICATED');
      assertProblem(
        await gw.call(admin, 'POST', '/v1/admin/people/removal', removal),
        404,
        'PERSON_NOT_ENROLLED',
      );
      assertProblem(await gw.call(ops, 'POST', '/v1/admin/people', removal), 403, 'FORBIDDEN');

      const log = ok(await gw.call(admin, 'GET', '/v1/access-log?pageSize=50'), AccessLogPage).items;
      assert.deepEqual(
        log
          .filter((e) => e.action.startsWith('PERSON_'))
          .map((e) => [e.action, e.subject])
          .reverse(),
        [
          ['PERSON_ENROLLED', `${issuer} lab`],
          ['PERSON_ENROLLED', `${issuer} lab-security`],
          ['PERSON_ENROLLED', `${issuer} operator`],
          ['PERSON_REMOVED', `${issuer} lab`],
        ],
      );
    });
  });
});
