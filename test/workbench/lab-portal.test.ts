import assert from 'node:assert/strict';
import { generateKeyPair } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { Projection } from '../../shared/api/responses';
import { statusQuery } from '../../shared/domain/review/messages';
import { takes, washingtonLocal } from '../../workbench/form-values';
import { washington } from '../../workbench/format';
import { ACTS } from '../../workbench/acts';
import { labReceiverUrl, testServers } from '../setup/servers';
import { tokenOf } from '../helpers/sign-in';
import {
  assertProblem,
  decision,
  determinedNoConcerns,
  determinedWithCommitments,
  eventually,
  file,
  LabCasePage,
  ok,
  readGov,
  untilStage,
} from '../gateway/support';
import { CommitmentView } from '../../shared/api/commitments';
import { GrantView } from '../../shared/api/grants';
import { FindingView } from '../../shared/api/findings';
import { operatorOf } from '../../shared/domain/principal';
import { sharedChromium } from '../dashboard/support';
import {
  assertNoViolations,
  fileAwaitingDesignation,
  personWithoutScript,
  recordActByKeyboard,
  screenshot,
  signIn,
  UNSIGNED_POLICY,
  withWorkbench,
  type Workbench,
} from './support';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const NSA_NOTE = 'exploit chain reproduced in the range: restricted';
/** NSA's sealed benchmark score, written so that no other number on a page can be mistaken for it. */
const BENCHMARK_SCORE = 0.9137;
/** The NSA reviewer's name at the suite's provider: the government's record names them, a lab's page never. */
const REVIEWER = 'NSA reviewer';

/**
 * Issue 38: a lab's person works in the labs' portal with JavaScript off, signed in as themselves (enrolled by an
 * administrator): their cases, a question answered by the keyboard alone, the release date moved once the page has shown which
 * deadlines move (a date already past refused beside the field), the callback secret rotated (shown once), a
 * redelivery asked for, and the submission withdrawn. Nothing the government keeps from the lab reaches a page,
 * no page of another role opens, and axe-core finds nothing on any page or state.
 */
describe('the labs’ portal with JavaScript off (issue 38)', function () {
  this.timeout(3 * MINUTE_MS);
  let browser: Browser;

  before(async () => {
    browser = await sharedChromium();
  });

  /** The lab's filer, enrolled for the test's lab, signed in. */
  async function labPerson(wb: Workbench): Promise<Page> {
    const issuer = testServers().identity.issuer;
    const enrolment = { issuer, subject: 'lab', principal: wb.parties.lab, name: 'Sample lab filer' };
    assert.equal((await wb.call(wb.parties.admin, 'POST', '/v1/admin/people', enrolment)).status, 201);
    return personWithoutScript(wb, browser, 'lab');
  }

  it('a lab’s person answers, moves the release date, rotates the secret, redelivers and withdraws, in forms alone, answering and withdrawing by the keyboard alone', async () => {
    await withWorkbench(
      async (wb) => {
        const { NSA, chair, lab, otherLab } = wb.parties;
        const { id, handle } = await fileAwaitingDesignation(wb);
        const casePath = `/workbench/cases/${encodeURIComponent(id)}`;
        // NSA's reviewer acts in their own name: the government's record names them, the lab's pages never.
        const reviewer = await tokenOf('nsa');
        const designated = await wb.call(reviewer, 'POST', `/v1/submissions/${id}/designation`, {
          covered: true,
          reason: 'meets the bar',
          benchmarkScore: BENCHMARK_SCORE,
        });
        assert.equal(designated.status, 200, designated.text);
        await eventually(
          () => handle.query(statusQuery),
          (st) => st.stage === 'NATIONAL_SECURITY',
          'the national-security stage',
        );
        const asked = await wb.call(reviewer, 'POST', `/v1/submissions/${id}/information-requests`, {
          questions: ['Which red-team evaluations ran?'],
        });
        assert.equal(asked.status, 200, asked.text);

        // Signed in, the lab's person lands on its cases; the case is listed with its next deadline.
        const page = await labPerson(wb);
        assert.equal(new URL(page.url()).pathname, '/workbench/my-cases');
        assert.match(await page.locator('#whoami').innerText(), /acting as lab:/);
        await eventually(
          async () => {
            await page.goto(`${wb.origin}/workbench/my-cases`);
            return page
              .locator('#open-cases tr', { hasText: id })
              .innerText()
              .catch(() => '');
          },
          (row) => /\w{3} \d{1,2} \w{3} \d{4}, \d{1,2}:\d{2} [ap]\.m\. ET/.test(row),
          `${id} listed with its next deadline`,
        );
        await assertNoViolations(page, 'the lab’s cases');
        await screenshot(page, 'portal-cases');

        // The question, answered from the case's page.
        await page.goto(`${wb.origin}${casePath}`);
        assert.match(await page.locator('#requests').innerText(), /Which red-team evaluations ran\?/);
        await assertNoViolations(page, 'the lab’s case page');
        await screenshot(page, 'portal-case');
        // By the keyboard alone.
        await recordActByKeyboard(page, ACTS.answerInformationRequest, [
          ['requestId', 'ArrowDown'],
          ['answer', 'Cyber and bio red-teams, at full scale.'],
        ]);
        const answered = (await readGov(wb, chair, id)).informationRequests[0];
        assert.equal(answered.status, 'ANSWERED');
        const askedBy = (await readGov(wb, chair, id)).timeline.find(
          (e) => e.type === 'INFORMATION_REQUESTED',
        );
        assert.equal(
          askedBy?.by?.kind === 'PERSON' && askedBy.by.name,
          REVIEWER,
          'the record names the reviewer',
        );
        const entry = (await readGov(wb, chair, id)).timeline.find((e) => e.type === 'INFORMATION_ANSWERED');
        assert.deepEqual(entry?.by, {
          kind: 'PERSON',
          issuer: testServers().identity.issuer,
          subject: 'lab',
          name: 'Sample lab filer',
        });

        // A release date already past: refused beside the field, nothing moved.
        const before = await readGov(wb, chair, id);
        await page.goto(`${wb.origin}${casePath}/acts/amendReleaseDate`);
        await page.getByLabel('New planned release').fill(washingtonLocal(Date.now() - DAY_MS));
        await page.getByRole('button', { name: 'Review what will be recorded' }).click();
        await page.waitForLoadState('load');
        await page.getByRole('button', { name: 'Record it' }).click();
        await page.locator('#error-plannedReleaseDate').waitFor();
        await assertNoViolations(page, 'a refused release date');
        assert.equal((await readGov(wb, chair, id)).plannedReleaseDate, before.plannedReleaseDate);

        // Earlier than the window's end: the review shows the government's deadlines compressed, then it is sent.
        const windowEnd = Date.parse(before.windowEnd!);
        const earlier = washingtonLocal(windowEnd - 20 * DAY_MS);
        await page.goto(`${wb.origin}${casePath}/acts/amendReleaseDate`);
        await page.getByLabel('New planned release').fill(earlier);
        await page.getByRole('button', { name: 'Review what will be recorded' }).click();
        await page.waitForLoadState('load');
        const nsaKey = 'agency:NATIONAL_SECURITY:NSA';
        const shown = await page.locator('#moves tr', { hasText: nsaKey }).locator('td').nth(1).innerText();
        await assertNoViolations(page, 'the lab’s review page');
        await screenshot(page, 'portal-review');
        await page.getByRole('button', { name: 'Record it' }).click();
        await page.locator('#recorded', { hasText: 'Recorded: Move the release date.' }).waitFor();
        const amended = await readGov(wb, chair, id);
        assert.ok(amended.flags.includes('SHORT_NOTICE'), 'an earlier release flags short notice');
        assert.ok(Date.parse(amended.plannedReleaseDate) < windowEnd);
        // What the review showed is what the case did: NSA's deadline where the page said it would be.
        const nsaDue = amended.deadlines.find((d) => d.key === nsaKey)?.dueAt;
        assert.ok(
          nsaDue !== undefined &&
            Date.parse(nsaDue) < Date.parse(before.deadlines.find((d) => d.key === nsaKey)!.dueAt),
        );
        assert.equal(shown.replace(/ \(.*\)$/, ''), washington(nsaDue));

        // A lab projects only its own case's release date (its page's what-if); nothing else.
        const change = {
          kind: 'RELEASE_DATE',
          oldEnd: amended.windowEnd,
          newEnd: amended.plannedReleaseDate,
        };
        ok(await wb.call(lab, 'POST', `/v1/submissions/${id}/deadline-projections`, { change }), Projection);
        assertProblem(
          await wb.call(lab, 'POST', `/v1/submissions/${id}/deadline-projections`, {
            change: { kind: 'EXTENSION', party: 'agency:NSA', days: 5 },
          }),
          403,
          'FORBIDDEN',
        );
        assertProblem(
          await wb.call(otherLab, 'POST', `/v1/submissions/${id}/deadline-projections`, { change }),
          404,
          'CASE_NOT_FOUND',
        );

        // The callback secret: rotated, the new one shown this once, the rotation completed.
        await page.goto(`${wb.origin}/workbench/callbacks`);
        await page.locator('#rotate').click();
        const secret = await page.locator('#new-secret').innerText();
        assert.match(secret, /^whsec_/);
        await assertNoViolations(page, 'a new secret shown once');
        await page.goto(`${wb.origin}/workbench/callbacks`);
        assert.ok(!(await page.content()).includes(secret), 'the secret is shown once');
        await page.locator('#complete').click();
        await page.locator('#completed').waitFor();

        // A redelivery of an event already delivered, from the case's delivery log.
        await eventually(
          async () => {
            await page.goto(`${wb.origin}${casePath}`);
            return page.locator('#deliveries tbody tr').count();
          },
          (n) => n > 0,
          'a delivery in the log',
        );
        await recordActByKeyboard(page, ACTS.redeliverCallbacks, [['eventId', 'ArrowDown']]);
        const redelivered = (await readGov(wb, chair, id)).timeline.filter(
          (e) => e.type === 'CALLBACKS_REDELIVERED',
        );
        assert.equal(redelivered.length, 1, 'one redelivery recorded');

        // NSA decides with a restricted note; nothing the government keeps from the lab reaches its pages.
        const decided = await wb.call(
          NSA,
          'POST',
          `/v1/submissions/${id}/decisions`,
          decision('CONCERNS_UNRESOLVED', { restrictedNote: NSA_NOTE }),
        );
        assert.equal(decided.status, 200, decided.text);
        await leakScan(wb, page, id);

        await page.goto(`${wb.origin}${casePath}`);
        await recordActByKeyboard(page, ACTS.withdraw, [
          ['reason', 'We will refile with the next checkpoint.'],
        ]);
        await eventually(
          () => readGov(wb, chair, id),
          (c) => c.stage === 'CLOSED' && c.closedReason === 'WITHDRAWN',
          'the case withdrawn',
        );
      },
      { policyInForce: UNSIGNED_POLICY.id },
    );
  });

  /**
   * Every page a lab's person might open, and every act's page on the case: none answers 5xx, the
   * government's pages and acts are 404, and NSA's restricted note and sealed score are on none.
   */
  async function leakScan(wb: Workbench, page: Page, id: string): Promise<void> {
    const c = `/workbench/cases/${encodeURIComponent(id)}`;
    const government = ['/workbench/inbox', '/workbench/escalations', '/workbench/labs'];
    const acts = Object.values(ACTS).filter((a) => a.subject === 'case');
    const paths = [
      '/workbench/my-cases',
      '/workbench/callbacks',
      '/workbench/filing',
      '/workbench/commitments',
      '/workbench/grants',
      '/workbench/findings',
      c,
      ...government,
      ...acts.map((a) => `${c}/acts/${a.name}`),
    ];
    for (const path of paths) {
      const res = await page.request.get(`${wb.origin}${path}`, { maxRedirects: 0 });
      assert.ok(res.status() < 500, `${path}: ${res.status()}`);
      const act = acts.find((a) => path.endsWith(`/acts/${a.name}`));
      if (government.includes(path) || (act !== undefined && !takes(act, { role: 'lab' })))
        assert.equal(res.status(), 404, `the lab's person finds no ${path}`);
      const text = await res.text();
      assert.ok(!text.includes(NSA_NOTE), `NSA's note on ${path}`);
      assert.ok(!text.includes(REVIEWER), `NSA's reviewer named on ${path}`);
      assert.ok(!text.includes(String(BENCHMARK_SCORE)), `NSA's score on ${path}`);
    }
  }

  it('files a submission in a form, refused beside a field first, and supplements what intake found missing', async () => {
    await withWorkbench(async (wb) => {
      const page = await labPerson(wb);
      await page.getByRole('link', { name: 'File a submission' }).first().click();
      await page.waitForLoadState('load');
      await page.getByLabel('Model name').fill('Frontier-2');
      await page.getByLabel('Version (optional)').fill('2.0');
      await page.getByLabel('Training compute (FLOP) (optional)').fill('3e26');
      await page.getByLabel('Planned public release').fill(washingtonLocal(Date.now() - DAY_MS));
      await page.getByRole('button', { name: 'Review what will be recorded' }).click();
      await page.waitForLoadState('load');
      await page.getByRole('button', { name: 'Record it' }).click();
      await page.locator('#error-plannedReleaseDate').waitFor();
      assert.equal(await page.getByLabel('Model name').inputValue(), 'Frontier-2', 'what was typed stays');
      await assertNoViolations(page, 'a refused filing');
      const none = ok(await wb.call(wb.parties.lab, 'GET', '/v1/submissions'), LabCasePage).items;
      assert.deepEqual(none, [], 'nothing filed');

      // Filed without the access or a callback endpoint: intake finds it deficient, the lab supplements.
      await page.getByLabel('Planned public release').fill(washingtonLocal(Date.now() + 200 * DAY_MS));
      await page.getByRole('button', { name: 'Review what will be recorded' }).click();
      await page.waitForLoadState('load');
      await page.getByRole('button', { name: 'Record it' }).click();
      await page.locator('#recorded', { hasText: 'Recorded: File a submission.' }).waitFor();
      const id = decodeURIComponent(new URL(page.url()).pathname.split('/').pop()!);
      await eventually(
        () => readGov(wb, wb.parties.chair, id),
        (c) => c.stage === 'DEFICIENT',
        'the filing found deficient',
      );
      await page.goto(`${wb.origin}/workbench/cases/${encodeURIComponent(id)}`);
      assert.match(await page.locator('#gaps').innerText(), /access/);
      // By the keyboard alone: the first access kind offered is the API.
      await recordActByKeyboard(page, ACTS.supplement, [
        ['accessKind', 'ArrowDown'],
        ['accessDetails', 'gated endpoint with evaluator keys'],
        ['callbackUrl', labReceiverUrl()],
      ]);
      const supplemented = await eventually(
        () => readGov(wb, wb.parties.chair, id),
        (c) => c.stage === 'DESIGNATION',
        'the supplemented filing awaiting its designation',
      );
      assert.deepEqual(supplemented.timeline[0].by, {
        kind: 'PERSON',
        issuer: testServers().identity.issuer,
        subject: 'lab',
        name: 'Sample lab filer',
      });
    });
  });

  it('a lab’s person attests a commitment, approves early access and asks once for more time on a finding; the operator’s person reports a use, files the finding and revokes the access', async () => {
    await withWorkbench(
      async (wb) => {
        const { CISA, lab, operator, ops } = wb.parties;
        const { id } = await fileAwaitingDesignation(wb);
        await untilStage(wb, id, 'NATIONAL_SECURITY', ops);
        const [commitmentId] = await determinedWithCommitments(wb, id, ['Ship the refusal layer enabled']);
        const nominated = await wb.call(CISA, 'POST', `/v1/submissions/${id}/early-access`, {
          operatorId: operatorOf(operator),
          reason: 'Regional grid operator: hardening its control-room tooling.',
        });
        assert.equal(nominated.status, 200, nominated.text);
        const grantId = `${id.replace(':', '~')}~${operatorOf(operator)}`;

        const page = await labPerson(wb);
        await untilListedOn(page, `${wb.origin}/workbench/commitments`, commitmentId);
        await assertNoViolations(page, 'the lab’s commitments');
        await page.goto(`${wb.origin}/workbench/commitments/${encodeURIComponent(commitmentId)}`);
        await recordActByKeyboard(page, ACTS.attestCommitment, [
          ['statement', 'Shipped enabled in release 1.0 (build 4411).'],
        ]);
        await assertNoViolations(page, 'a commitment attested');
        const attested = ok(await wb.call(lab, 'GET', `/v1/commitments/${commitmentId}`), CommitmentView);
        assert.equal(attested.state, 'ATTESTED');

        await untilListedOn(page, `${wb.origin}/workbench/grants`, grantId);
        await page.goto(`${wb.origin}/workbench/grants/${encodeURIComponent(grantId)}`);
        assert.equal(
          await page.getByRole('link', { name: 'Revoke early access' }).count(),
          0,
          'not yet active',
        );
        await recordActByKeyboard(page, ACTS.approveGrant, [['note', 'Keys by 9:00 tomorrow.']]);
        await assertNoViolations(page, 'a grant approved');

        // The operator's person: its grants, a use reported, the access revoked; no case of the lab's opens.
        const issuer = testServers().identity.issuer;
        const enrolment = { issuer, subject: 'operator', principal: operator, name: 'Grid security lead' };
        assert.equal((await wb.call(wb.parties.admin, 'POST', '/v1/admin/people', enrolment)).status, 201);
        const grid = await personWithoutScript(wb, browser, 'operator');
        assert.equal(new URL(grid.url()).pathname, '/workbench/grants');
        await untilListedOn(grid, `${wb.origin}/workbench/grants`, grantId);
        await assertNoViolations(grid, 'the operator’s grants');
        await grid.goto(`${wb.origin}/workbench/grants/${encodeURIComponent(grantId)}`);
        await recordActByKeyboard(grid, ACTS.reportGrantUse, [['note', 'Ran our SCADA incident playbooks.']]);
        assert.equal(await grid.locator('#uses').innerText(), '1');

        // The operator files a finding about the model it was granted; validated, the lab asks for its extension.
        await grid.getByRole('link', { name: 'File a finding' }).click();
        await grid.waitForLoadState('load');
        await grid.getByLabel('The model (one you were granted)').selectOption(id);
        await grid.getByLabel('Title').fill('The model drafts a working exploit for a known PLC flaw');
        await grid.getByLabel('What you found').fill('From the advisory alone, in 2 of 5 tries.');
        await grid
          .getByLabel('Severity (a CVSS base vector)')
          .fill('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
        await grid.getByLabel('Who may read it').selectOption('AMBER');
        await grid.getByRole('button', { name: 'Review what will be recorded' }).click();
        await grid.waitForLoadState('load');
        await grid.getByRole('button', { name: 'Record it' }).click();
        await grid.locator('#recorded', { hasText: 'Recorded: File a finding.' }).waitFor();
        await assertNoViolations(grid, 'a finding filed by the operator');
        const findingId = decodeURIComponent(new URL(grid.url()).pathname.split('/').pop()!);
        const validated = await wb.call(wb.parties.NSA, 'POST', `/v1/findings/${findingId}/validation`, {});
        assert.equal(validated.status, 200, validated.text);
        await untilListedOn(page, `${wb.origin}/workbench/findings`, findingId);
        await page.goto(`${wb.origin}/workbench/findings/${encodeURIComponent(findingId)}`);
        await recordActByKeyboard(page, ACTS.extendRemediation, [
          ['reason', 'The fix needs a retraining run.'],
        ]);
        await assertNoViolations(page, 'the lab’s finding, extended');
        assert.equal(ok(await wb.call(lab, 'GET', `/v1/findings/${findingId}`), FindingView).extended, true);
        assert.equal(
          await page.getByRole('link', { name: 'Ask for more time to remediate' }).count(),
          0,
          'once',
        );
        await grid.goto(`${wb.origin}/workbench/grants/${encodeURIComponent(grantId)}`);
        await recordActByKeyboard(grid, ACTS.revokeGrant, [['reason', 'Our evaluation is done.']]);
        const ended = ok(await wb.call(lab, 'GET', `/v1/grants/${grantId}`), GrantView);
        assert.notEqual(ended.state, 'ACTIVE');
        assert.equal(ended.uses, 1);
        for (const path of [
          `/workbench/cases/${encodeURIComponent(id)}`,
          '/workbench/my-cases',
          '/workbench/inbox',
        ]) {
          const res = await grid.goto(`${wb.origin}${path}`);
          assert.equal(res?.status(), 404, `the operator's person finds no ${path}`);
        }
      },
      { policyInForce: UNSIGNED_POLICY.id },
    );
  });

  it('a lab’s person changes the callback endpoint, declines a nomination and reports the release, by the keyboard alone', async () => {
    await withWorkbench(
      async (wb) => {
        const { CISA, chair, lab, operator, ops } = wb.parties;
        const { id } = await fileAwaitingDesignation(wb);
        await untilStage(wb, id, 'NATIONAL_SECURITY', ops);
        await determinedNoConcerns(wb, id);
        const nominated = await wb.call(CISA, 'POST', `/v1/submissions/${id}/early-access`, {
          operatorId: operatorOf(operator),
          reason: 'Regional grid operator: hardening its control-room tooling.',
        });
        assert.equal(nominated.status, 200, nominated.text);
        const grantId = `${id.replace(':', '~')}~${operatorOf(operator)}`;
        const casePath = `${wb.origin}/workbench/cases/${encodeURIComponent(id)}`;
        const page = await labPerson(wb);

        const endpoint = `${labReceiverUrl()}?endpoint=2`;
        await page.goto(casePath);
        await recordActByKeyboard(page, ACTS.changeCallbackEndpoint, [['callbackUrl', endpoint]]);
        assert.equal((await readGov(wb, chair, id)).callbackUrl, endpoint);

        await untilListedOn(page, `${wb.origin}/workbench/grants`, grantId);
        await page.goto(`${wb.origin}/workbench/grants/${encodeURIComponent(grantId)}`);
        await recordActByKeyboard(page, ACTS.declineGrant, [
          ['note', 'Not before our own red team finishes.'],
        ]);
        assert.equal(ok(await wb.call(lab, 'GET', `/v1/grants/${grantId}`), GrantView).state, 'DECLINED');

        await page.goto(casePath);
        await recordActByKeyboard(page, ACTS.reportRelease, []);
        await eventually(
          () => readGov(wb, chair, id),
          (c) => c.stage === 'CLOSED' && c.closedReason === 'RELEASED',
          'the case closed by the release',
        );
        await page.goto(casePath);
        for (const closed of ['Report the release', 'Withdraw the submission', 'Move the release date'])
          assert.equal(
            await page.getByRole('link', { name: closed }).count(),
            0,
            `${closed}: not on a closed case`,
          );
        await assertNoViolations(page, 'a released case');
      },
      { policyInForce: UNSIGNED_POLICY.id },
    );
  });

  it('a lab’s person accepts a window-extension offer, by the keyboard alone, and the window moves to it', async () => {
    await withWorkbench(
      async (wb) => {
        const { CAISI, chair, NSA, CISA, DOW, ops } = wb.parties;
        // A release 50 days out: the government's deadlines are compressed into the window, and CAISI's extension
        // then passes its end, so the lab is offered a longer window (docs/labs.md).
        const id = await file(wb, { plannedReleaseDate: new Date(Date.now() + 50 * DAY_MS).toISOString() });
        await untilStage(wb, id, 'NATIONAL_SECURITY', ops);
        for (const agency of [NSA, CISA, DOW]) {
          const res = await wb.call(
            agency,
            'POST',
            `/v1/submissions/${id}/decisions`,
            decision('NO_CONCERNS'),
          );
          assert.equal(res.status, 200, res.text);
        }
        await untilStage(wb, id, 'CIVILIAN', ops);
        const extended = await wb.call(CAISI, 'POST', `/v1/submissions/${id}/extensions`, {
          days: 10,
          reason: 'more red-teaming',
        });
        assert.equal(extended.status, 200, extended.text);
        const [offer] = (
          await eventually(
            () => readGov(wb, chair, id),
            (c) => c.extensionOffers.some((o) => o.response === undefined),
            'a window-extension offer',
          )
        ).extensionOffers.filter((o) => o.response === undefined);

        const page = await labPerson(wb);
        await page.goto(`${wb.origin}/workbench/cases/${encodeURIComponent(id)}`);
        assert.match(await page.locator('#offers').innerText(), /the window would end/);
        await recordActByKeyboard(page, ACTS.respondToExtensionOffer, [
          ['offerId', 'ArrowDown'],
          ['accept', 'ArrowDown'],
        ]);
        await assertNoViolations(page, 'an offer accepted');
        const after = await readGov(wb, chair, id);
        assert.equal(after.extensionOffers.find((o) => o.id === offer.id)?.response, 'ACCEPTED');
        assert.equal(after.windowEnd, offer.proposedWindowEnd, 'the window ends where the offer said');
      },
      { policyInForce: UNSIGNED_POLICY.id },
    );
  });

  /** Reloads a list until an item is on it (visibility catches up within a second or two). */
  async function untilListedOn(page: Page, url: string, id: string): Promise<void> {
    await eventually(
      async () => {
        await page.goto(url);
        return page.locator(`a[href$="/${encodeURIComponent(id)}"]`).count();
      },
      (n) => n === 1,
      `${id} listed at ${url}`,
    );
  }

  it('signs a lab’s person in as a client that proves itself with a private key (private_key_jwt), and is refused with a key the provider does not hold', async () => {
    await withWorkbench(
      async (wb) => {
        const page = await labPerson(wb);
        assert.equal(new URL(page.url()).pathname, '/workbench/my-cases');
      },
      { workbenchClientKey: testServers().keyedClientKey },
    );
    const stranger = await generateKeyPair('ES256');
    await withWorkbench(
      async (wb) => {
        const context = wb.track(await browser.newContext({ javaScriptEnabled: false }));
        const page = await context.newPage();
        await signIn(page, wb.origin, 'lab');
        await page.getByRole('heading', { name: 'The sign-in was refused' }).waitFor();
        assert.match(await page.content(), /invalid_client/);
        await assertNoViolations(page, 'a refused sign-in');
      },
      { workbenchClientKey: { key: stranger.privateKey, kid: 'suite-keyed-client' } },
    );
  });

  it('keeps the labs’ pages from the government’s people, and the government’s from a lab’s', async () => {
    await withWorkbench(async (wb) => {
      const nsa = await personWithoutScript(wb, browser, 'nsa');
      for (const path of ['/workbench/my-cases', '/workbench/callbacks']) {
        const res = await nsa.goto(`${wb.origin}${path}`);
        assert.equal(res?.status(), 404, path);
      }
      const { id } = await fileAwaitingDesignation(wb);
      const res = await nsa.goto(
        `${wb.origin}/workbench/cases/${encodeURIComponent(id)}/acts/amendReleaseDate`,
      );
      assert.equal(res?.status(), 404, 'a lab’s act is not an agency’s page');
      const lab = await labPerson(wb);
      const refused = await lab.goto(`${wb.origin}/workbench/inbox`);
      assert.equal(refused?.status(), 404);
      await assertNoViolations(lab, 'the not-found page, for a lab');
      // Another lab's person finds none of this lab's case's pages.
      const issuer = testServers().identity.issuer;
      const enrolment = { issuer, subject: 'lab-security', principal: wb.parties.otherLab };
      assert.equal((await wb.call(wb.parties.admin, 'POST', '/v1/admin/people', enrolment)).status, 201);
      const other = await personWithoutScript(wb, browser, 'lab-security');
      for (const path of ['', '/acts/withdraw', '/acts/answerInformationRequest']) {
        const res = await other.goto(`${wb.origin}/workbench/cases/${encodeURIComponent(id)}${path}`);
        assert.equal(res?.status(), 404, `another lab's person: ${path || 'the case'}`);
      }
    });
  });
});
