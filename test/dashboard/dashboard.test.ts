import { DEFAULT_POLICY_ID } from '../../shared/domain/policy-names';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  decision,
  designatedCovered,
  determinedNoConcerns,
  determinedWithCommitments,
  eventually,
  file,
  fileFinding,
  readGov,
  untilListed,
  untilStage,
  exportedRecord,
} from '../gateway/support';
import { operatorOf } from '../../shared/domain/principal';
import { verifyRecord } from '../../shared/node/permanent-record';
import { testRecordSigner } from '../helpers/activities';
import {
  assertAccessible,
  sharedChromium,
  QUICK_RISK_POLICY,
  SCREENSHOTS,
  TEMPORAL_UI,
  withLiveGateway,
} from './support';

const MINUTE_MS = 60_000;
const RESTRICTED = 'restricted-note-that-must-never-reach-ops';

/** Fails the test on any error thrown by the page's own scripts. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/** The case ids of the overview's rows, in order. */
async function rowIds(page: Page): Promise<(string | null)[]> {
  const rows = await page.locator('#cases tbody tr[data-case]').all();
  return Promise.all(rows.map((r) => r.getAttribute('data-case')));
}

/** Waits until the overview shows exactly these rows (a filter lists again from the server). */
async function rowsBecome(page: Page, ids: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const shown = await rowIds(page);
    if (JSON.stringify(shown) === JSON.stringify(ids)) return;
    if (Date.now() > deadline) assert.deepEqual(shown, ids);
    await page.waitForTimeout(100);
  }
}

describe('dashboard in headless Chromium', function () {
  this.timeout(3 * MINUTE_MS);
  let browser: Browser;

  before(async () => {
    browser = await sharedChromium();
  });

  it('shows the at-risk case with its flag, filters, and draws the case with its timeline and deadlines', async () => {
    await withLiveGateway(async (gw) => {
      const { ops, NSA, CISA, DOW } = gw.parties;
      const labId = gw.parties.lab.slice(4);

      // A release 10 minutes away: SHORT_NOTICE, and under the quick-risk policy AT_RISK within seconds.
      gw.usePolicy(QUICK_RISK_POLICY.id);
      const risky = await file(gw, {
        model: { name: 'Hurry-1', version: '0.9', trainingComputeFlop: 3e26 },
        plannedReleaseDate: new Date(Date.now() + 10 * MINUTE_MS).toISOString(),
      });
      await designatedCovered(gw, risky);
      gw.usePolicy(DEFAULT_POLICY_ID);
      // An ordinary case that moves on to civilian review, with a restricted national-security note.
      const calm = await file(gw, { model: { name: 'Steady-2', version: '2.0', trainingComputeFlop: 3e26 } });
      await untilStage(gw, calm, 'NATIONAL_SECURITY', ops);
      for (const agency of [NSA, CISA, DOW]) {
        const extra = agency === NSA ? { restrictedNote: RESTRICTED } : {};
        const res = await gw.call(
          agency,
          'POST',
          `/v1/submissions/${calm}/decisions`,
          decision('NO_CONCERNS', extra),
        );
        assert.equal(res.status, 200, res.text);
      }
      await untilStage(gw, calm, 'CIVILIAN', ops);
      await untilListed(gw, ops, `/v1/ops/cases?lab=${labId}&stage=CIVILIAN`, (p) => p.items.length === 1);

      // The page shells carry no key and no case data: everything comes through the authenticated API.
      const shell = await gw.call(undefined, 'GET', '/dashboard');
      assert.equal(shell.status, 200);
      assert.match(String(shell.headers['content-security-policy']), /script-src 'self'/);
      for (const key of Object.values(gw.keys)) assert.ok(!shell.text.includes(key));
      assert.equal((await gw.call(undefined, 'GET', '/v1/ops/cases')).status, 401);

      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        // The overview reads lists only: no case is read for its row (issue 13).
        const caseReads: string[] = [];
        page.on('request', (r) => {
          if (/\/v1\/submissions\/[^/?]+$/.test(new URL(r.url()).pathname)) caseReads.push(r.url());
        });

        // Sign in with the ops key, refreshing every 2 s. The test's namespace holds only its two cases.
        await page.goto(`${gw.baseUrl}/dashboard?refresh=2`);
        await page.getByLabel('Operations API key').waitFor();
        await assertAccessible(page, 'sign-in form');
        await page.getByLabel('Operations API key').fill(gw.keys[ops]);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        await page.getByRole('heading', { name: 'Open cases' }).waitFor();

        // The at-risk case is listed with its flag (the workflow raises it about 3 s after acceptance).
        const riskyRow = page.locator(`#cases tr[data-case="${risky}"]`);
        await riskyRow.locator('.flag-AT_RISK').waitFor({ timeout: MINUTE_MS });
        await riskyRow.locator('.flag-SHORT_NOTICE').waitFor();
        await page.locator(`#cases tr[data-case="${calm}"]`).waitFor();
        await riskyRow.getByText('Hurry-1 0.9').waitFor(); // the model, from the list
        assert.deepEqual((await rowIds(page)).sort(), [risky, calm].sort());
        const riskyText = await riskyRow.innerText();
        assert.match(riskyText, /national security/);
        assert.match(riskyText, /dashboard-quick-risk/);
        assert.match(riskyText, /NSA|CISA|DOW/, 'whose the next deadline is');
        assert.deepEqual(caseReads, [], 'the overview read no case for its rows');
        const atRiskChip = page.locator('#flag-counts button[data-value="AT_RISK"] .chip-count');
        assert.equal(await atRiskChip.innerText(), '1');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'overview.png'), fullPage: true });
        await assertAccessible(page, 'overview');

        // Filtering narrows the list: by flag, then by stage.
        await page.getByLabel('Flag').selectOption('AT_RISK');
        await rowsBecome(page, [risky]);
        await page.getByLabel('Flag').selectOption('');
        await page.getByLabel('Stage').selectOption('CIVILIAN');
        await rowsBecome(page, [calm]);
        // The caption counts every open case, and what the filters show.
        assert.equal(await page.locator('#cases caption').innerText(), 'Open cases: 1 of 2 shown (filtered)');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'overview-filtered.png'), fullPage: true });
        await page.getByRole('button', { name: 'Clear filters' }).click();
        await page.getByLabel('Lab, model or case id').fill(labId);
        await page.getByLabel('Stage').selectOption('NATIONAL_SECURITY');
        await rowsBecome(page, [risky]);

        // The case page: summary, deadlines on a time axis with their ledger, agencies, the timeline.
        await riskyRow.getByRole('link', { name: risky }).click();
        await page.waitForURL(`**/dashboard/cases/${risky}`);
        await page.locator('#timeline tbody tr').first().waitFor();
        const timeline = await page.locator('#timeline tbody').innerText();
        for (const event of ['RECEIVED', 'ACCEPTED', 'STAGE_OPENED'])
          assert.match(timeline, new RegExp(event));
        assert.match(timeline, /system/, 'each event shows its actor');
        const view = await readGov(gw, ops, risky);
        assert.equal(await page.locator('#timeline tbody tr').count(), view.timeline.length);
        assert.equal(await page.locator('#deadlines tbody tr').count(), view.deadlines.length);
        const stageRow = page.locator('#deadlines tr[data-deadline="stage:NATIONAL_SECURITY"]');
        assert.match(await stageRow.innerText(), /at risk/);
        assert.equal(await page.locator('svg.timeaxis g.deadline').count(), view.deadlines.length);
        await page.locator('svg.timeaxis .window-end').waitFor({ state: 'attached' });
        const summary = await page.locator('#summary').innerText();
        assert.match(summary, /AT RISK/);
        assert.match(summary, /SHORT NOTICE/);
        assert.equal(
          await page.getByRole('link', { name: 'Open in the Temporal Web UI' }).getAttribute('href'),
          `${TEMPORAL_UI}/namespaces/${gw.namespace}/workflows/${encodeURIComponent(`review-${risky}`)}`,
        );
        assert.equal(await page.locator('#agencies tbody tr').count(), view.agencies.length);

        // The what-if projection: NSA's deadline extended by one day, nothing changed.
        await page.getByLabel('Party').fill('agency:NSA');
        await page.getByLabel('Days').fill('1');
        await page.getByRole('button', { name: 'Project' }).click();
        await page.locator('#whatif tbody tr.changed').first().waitFor();
        await page.screenshot({ path: path.join(SCREENSHOTS, 'case-at-risk.png'), fullPage: true });
        await assertAccessible(page, 'case page');

        // Redelivery: the API's answer (a receipt, or its refusal with the code) is shown.
        await page.getByRole('button', { name: 'Redeliver' }).click();
        // Its endpoint does not resolve, so its first callback is still being retried: nothing has failed yet.
        const redelivered = page.locator('#redeliver-result', { hasText: /Refused|recorded/ });
        await redelivered.waitFor();
        assert.equal(await redelivered.innerText(), 'Refused: NOTHING_TO_REDELIVER: no callback is failing');

        // The other case: decisions shown, the restricted note only as "withheld", never its text.
        await page.goto(`${gw.baseUrl}/dashboard/cases/${calm}`);
        await page.locator('#agencies tbody tr', { hasText: 'withheld' }).waitFor();
        assert.ok(!(await page.content()).includes(RESTRICTED));
        await page.screenshot({ path: path.join(SCREENSHOTS, 'case-civilian.png'), fullPage: true });
        // Open: no record to download yet.
        assert.equal(await page.getByRole('button', { name: /Download the signed record/ }).isHidden(), true);

        // Withdrawn, the case closes and writes its permanent record; the page downloads it as signed.
        const withdrawn = await gw.call(gw.parties.lab, 'POST', `/v1/submissions/${calm}/withdrawal`, {});
        assert.equal(withdrawn.status, 200, withdrawn.text);
        await exportedRecord(gw, calm);
        await page.reload();
        const downloadButton = page.getByRole('button', { name: /Download the signed record/ });
        await downloadButton.waitFor();
        const [download] = await Promise.all([page.waitForEvent('download'), downloadButton.click()]);
        const saved = readFileSync(await download.path(), 'utf8');
        assert.equal(verifyRecord(saved, testRecordSigner.publicKey).ok, true);
        await page.locator('#record-status', { hasText: /^Downloaded: \d+ lines\.$/ }).waitFor();

        // No key in the page or its URL; the key lives only in this tab's sessionStorage.
        const html = await page.content();
        for (const key of Object.values(gw.keys)) {
          assert.ok(!html.includes(key));
          assert.ok(!page.url().includes(key));
        }
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });

  it('counts every open case with count queries and pages through the list without a cap', async () => {
    await withLiveGateway(async (gw) => {
      const { ops } = gw.parties;
      const labId = gw.parties.lab.slice(4);
      const ids = [await file(gw), await file(gw), await file(gw)];
      for (const id of ids) await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      await untilListed(gw, ops, `/v1/ops/cases?lab=${labId}`, (p) => p.items.length === 3);

      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        // Two rows a page: the counts still say three, and "Load more" brings the third.
        await page.goto(`${gw.baseUrl}/dashboard?pageSize=2&refresh=60`);
        await page.getByLabel('Operations API key').fill(gw.keys[ops]);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        const stageChip = page.locator('#stage-counts button[data-value="NATIONAL_SECURITY"] .chip-count');
        await page.locator('#stage-counts .chip-count', { hasText: '3' }).waitFor();
        assert.equal(await stageChip.innerText(), '3');
        await page.locator('#cases tbody tr[data-case]').nth(1).waitFor();
        assert.equal((await rowIds(page)).length, 2);
        assert.equal(await page.locator('#cases caption').innerText(), 'Open cases: 2 of 3 shown');
        await page.getByRole('button', { name: 'Load more cases' }).click();
        await page.locator('#cases tbody tr[data-case]').nth(2).waitFor();
        assert.deepEqual((await rowIds(page)).sort(), [...ids].sort());
        assert.equal(await page.locator('#cases caption').innerText(), 'Open cases: 3');
        assert.ok(await page.locator('#more').isHidden());
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });

  it('lists the open clearinghouse findings, and a case page shows those about its model', async () => {
    await withLiveGateway(async (gw) => {
      const { ops, NSA } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      const findingId = await fileFinding(gw, NSA, {
        caseId: id,
        title: 'finding-title-that-ops-must-not-read',
      });
      await eventually(
        () => gw.call(ops, 'GET', '/v1/findings?open=true'),
        (r) => JSON.stringify(r.body).includes(findingId),
        'the finding listed',
      );

      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        await page.goto(`${gw.baseUrl}/dashboard/findings?refresh=60`);
        await page.getByLabel('Operations API key').fill(gw.keys[ops]);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        const row = page.locator('#open-findings tbody tr', { hasText: findingId });
        await row.waitFor();
        assert.match(await row.innerText(), /received/);
        assert.equal(await page.locator('#validation-overdue-count').innerText(), '0');
        await assertAccessible(page, 'findings');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'findings.png'), fullPage: true });

        await page.goto(`${gw.baseUrl}/dashboard/cases/${encodeURIComponent(id)}?refresh=60`);
        await page.locator('#case-findings tbody tr', { hasText: findingId }).waitFor();
        assert.ok(!(await page.content()).includes('finding-title-that-ops-must-not-read'));
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });

  it('lists commitments (overdue, attested, open), and a case page shows those of its determination', async () => {
    await withLiveGateway(async (gw) => {
      const { ops, lab } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      const [open, attested] = await determinedWithCommitments(gw, id, ['keep the refusals', 'stage it']);
      const res = await gw.call(lab, 'POST', `/v1/commitments/${attested}/attestation`, {
        statement: 'done',
      });
      assert.equal(res.status, 200, res.text);
      await eventually(
        () => gw.call(ops, 'GET', '/v1/commitments?state=ATTESTED'),
        (r) => JSON.stringify(r.body).includes(attested),
        'the attestation listed',
      );

      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        await page.goto(`${gw.baseUrl}/dashboard/commitments?refresh=60`);
        await page.getByLabel('Operations API key').fill(gw.keys[ops]);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        const waiting = page.locator('#commitments-attested tbody tr', { hasText: attested });
        await waiting.waitFor();
        assert.match(await waiting.innerText(), /agency:NSA/);
        await page.locator('#commitments-open tbody tr', { hasText: open }).waitFor();
        assert.equal(await page.locator('#commitments-overdue-count').innerText(), '0');
        await assertAccessible(page, 'commitments');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'commitments.png'), fullPage: true });

        await page.goto(`${gw.baseUrl}/dashboard/cases/${encodeURIComponent(id)}?refresh=60`);
        await page.locator('#case-commitments tbody tr', { hasText: open }).waitFor();
        assert.equal(await page.locator('#case-commitments-count').innerText(), '2');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });

  it("lists labs by status, and a lab's page shows its status, the policy's proposal, history and cases", async () => {
    await withLiveGateway(async (gw) => {
      const { ops, chair, lab } = gw.parties;
      const labId = lab.slice('lab:'.length);
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      await eventually(
        () => gw.call(ops, 'GET', `/v1/labs/${labId}`),
        (r) => r.status === 200 && JSON.stringify(r.body).includes(id),
        "the lab's record holding its case",
      );
      const reason = 'designated by the dashboard test';
      const res = await gw.call(chair, 'POST', `/v1/labs/${labId}/designation`, { reason });
      assert.equal(res.status, 200, res.text);
      await eventually(
        () => gw.call(ops, 'GET', '/v1/labs?status=TRUSTED_PARTNER'),
        (r) => JSON.stringify(r.body).includes(labId),
        'the trusted partner listed',
      );

      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        await page.goto(`${gw.baseUrl}/dashboard/labs?refresh=60`);
        await page.getByLabel('Operations API key').fill(gw.keys[ops]);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        const trusted = page.locator('#labs-trusted tbody tr', { hasText: labId });
        await trusted.waitFor();
        assert.match(await trusted.innerText(), /trusted partner/);
        await page.locator('#labs-all tbody tr', { hasText: labId }).waitFor();
        assert.equal(await page.locator('#labs-trusted-count').innerText(), '1');
        await assertAccessible(page, 'labs');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'labs.png'), fullPage: true });

        await trusted.getByRole('link', { name: labId }).click();
        await page.waitForURL(`${gw.baseUrl}/dashboard/labs/${encodeURIComponent(labId)}`);
        const change = page.locator('#history tbody tr', { hasText: reason });
        await change.waitFor();
        assert.match(
          await change.innerText(),
          /trusted partner\s+chair\s+designated by the dashboard test\s+not eligible/,
        );
        assert.match(await page.locator('#summary').innerText(), /Status\s+trusted partner/);
        assert.match(await page.locator('#proposal').innerText(), /Proposal\s+not eligible/);
        assert.match(await page.locator('#unmet').innerText(), /completed reviews/);
        const accepted = page.locator('#lab-cases tbody tr', { hasText: id });
        assert.match(await accepted.innerText(), /participant\s+—\s+open/);
        assert.equal(
          await page.locator('#commitment-counts').innerText(),
          '0 kept, 0 broken, 0 overdue, 0 pending',
        );
        await assertAccessible(page, 'lab');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'lab.png'), fullPage: true });
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });

  it("lists early-access grants by state, and a grant's page shows its operator, model summary, dates and timeline", async () => {
    await withLiveGateway(async (gw) => {
      const { ops, lab, CISA, operator } = gw.parties;
      const operatorId = operatorOf(operator)!;
      const id = await file(gw, { model: { name: 'Grid-1', version: '1.2', trainingComputeFlop: 3e26 } });
      await untilStage(gw, id, 'NATIONAL_SECURITY', ops);
      const determined = await determinedNoConcerns(gw, id);
      const reason = 'Regional grid operator: <b>hardening</b> its control-room tooling.';
      const nominated = await gw.call(CISA, 'POST', `/v1/submissions/${id}/early-access`, {
        operatorId,
        reason,
      });
      assert.equal(nominated.status, 200, nominated.text);
      const grantId = `${id.replace(':', '~')}~${operatorId}`;
      await eventually(
        () => gw.call(ops, 'GET', `/v1/grants/${grantId}`),
        (r) => r.status === 200,
        'the grant started',
      );
      await eventually(
        () => gw.call(ops, 'GET', '/v1/grants?state=NOMINATED'),
        (r) => JSON.stringify(r.body).includes(grantId),
        'the nominated grant listed',
      );

      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        await page.goto(`${gw.baseUrl}/dashboard/grants?refresh=60`);
        await page.getByLabel('Operations API key').fill(gw.keys[ops]);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        const waiting = page.locator(`#grants-nominated tbody tr[data-grant="${grantId}"]`);
        await waiting.waitFor();
        assert.match(
          await waiting.innerText(),
          new RegExp(
            `${id}\\s+${operator}\\s+nominated\\s+in .+ \\(lab\\)\\s+[A-Z][a-z]{2} \\d{1,2} [A-Z][a-z]{2} \\d{4}, .+ ET`,
          ),
        );
        assert.equal(
          await waiting.getByRole('link', { name: id }).getAttribute('href'),
          `/dashboard/cases/${encodeURIComponent(id)}`,
        );
        await page.locator(`#grants-all tbody tr[data-grant="${grantId}"]`).waitFor();
        assert.equal(await page.locator('#grants-nominated-count').innerText(), '1');
        assert.equal(await page.locator('#grants-active-count').innerText(), '0');
        assert.equal(await page.locator('#grants-all-count').innerText(), '1');
        assert.equal(
          await page
            .getByRole('navigation', { name: 'Dashboard' })
            .getByRole('link', { name: 'Early access' })
            .getAttribute('href'),
          '/dashboard/grants',
        );
        await assertAccessible(page, 'grants');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'grants.png'), fullPage: true });

        // The grant's page, nominated: who, why (as text, never as markup), the model's summary, the lab's answer due.
        await waiting.getByRole('link', { name: grantId }).click();
        await page.waitForURL(`${gw.baseUrl}/dashboard/grants/${grantId}`);
        await page.locator('#grant-timeline tbody tr', { hasText: 'grant nominated' }).waitFor();
        assert.equal(await page.locator('#grant-title').innerText(), `Grant ${grantId}`);
        const summary = await page.locator('#summary').innerText();
        assert.match(summary, new RegExp(`Operator\\s+${operator}`));
        assert.match(summary, /Nominated by\s+agency:CISA/);
        assert.equal(await page.locator('#summary dd', { hasText: 'hardening' }).innerText(), reason);
        assert.equal(await page.locator('#summary b').count(), 0, 'the reason is text, not markup');
        assert.match(summary, /State\s+nominated\n/);
        assert.match(
          summary,
          /Lab's answer due\s+[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}, \d{1,2}:\d\d:\d\d [ap]\.m\. ET \(in /,
        );
        assert.match(summary, /Approved\s+not approved/);
        assert.match(summary, /Access ends\s+—/);
        assert.match(summary, /Uses reported\s+0/);
        assert.match(summary, /Case closing\s+the case is open/);
        assert.equal(
          await page.locator('#summary').getByRole('link', { name: id }).getAttribute('href'),
          `/dashboard/cases/${encodeURIComponent(id)}`,
        );
        const model = await page.locator('#model').innerText();
        assert.match(model, /Model\s+Grid-1 1\.2/);
        assert.match(model, /Outcome\s+no concerns identified/);
        assert.ok(model.includes(determined.determination!.rationale), model);
        assert.match(
          await page.locator('#grant-timeline tbody').innerText(),
          /1\s+[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}, .+ ET\s+agency:CISA\s+grant nominated/,
        );
        await assertAccessible(page, 'grant');
        await page.screenshot({ path: path.join(SCREENSHOTS, 'grant-nominated.png'), fullPage: true });

        // The lab approves and the operator reports a use: the page shows it active, when it ends, and the notes.
        const approved = await gw.call(lab, 'POST', `/v1/grants/${grantId}/approval`, {
          note: 'Welcome aboard.',
        });
        assert.equal(approved.status, 200, approved.text);
        const used = await gw.call(operator, 'POST', `/v1/grants/${grantId}/uses`, {
          note: 'Ran our SCADA playbooks.',
        });
        assert.equal(used.status, 200, used.text);
        await page.getByRole('button', { name: 'Refresh now' }).click();
        const use = page.locator('#grant-timeline tbody tr', { hasText: 'Ran our SCADA playbooks.' });
        await use.waitFor();
        assert.match(await use.innerText(), new RegExp(`${operator}\\s+grant use reported`));
        const approval = page.locator('#grant-timeline tbody tr', { hasText: 'Welcome aboard.' });
        assert.match(await approval.innerText(), new RegExp(`${lab}\\s+grant approved`));
        const active = await page.locator('#summary').innerText();
        assert.match(active, /State\s+active\n/);
        assert.match(active, /Approved\s+[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}, .+ ET/);
        assert.match(
          active,
          /Access ends\s+[A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2} \d{4}, \d{1,2}:\d\d:\d\d [ap]\.m\. ET \(in /,
        );
        assert.match(active, /Uses reported\s+1/);
        await page.screenshot({ path: path.join(SCREENSHOTS, 'grant-active.png'), fullPage: true });

        // Listed as active now, its next deadline its access's end, the operator's.
        await eventually(
          () => gw.call(ops, 'GET', '/v1/grants?state=ACTIVE'),
          (r) => JSON.stringify(r.body).includes(grantId),
          'the active grant listed',
        );
        await page.goto(`${gw.baseUrl}/dashboard/grants?refresh=60`);
        const activeRow = page.locator(`#grants-active tbody tr[data-grant="${grantId}"]`);
        await activeRow.waitFor();
        assert.match(await activeRow.innerText(), new RegExp(`active\\s+in .+ \\(${operator}\\)`));
        assert.equal(await page.locator('#grants-nominated-count').innerText(), '0');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });

  it('keeps the sort column and direction in the URL, so a reload shows the same order', async () => {
    await withLiveGateway(async (gw) => {
      const { ops } = gw.parties;
      const labId = gw.parties.lab.slice(4);
      const alpha = await file(gw, { model: { name: 'Alpha-1', version: '1.0', trainingComputeFlop: 3e26 } });
      const beta = await file(gw, { model: { name: 'Beta-1', version: '1.0', trainingComputeFlop: 3e26 } });
      await untilListed(gw, ops, `/v1/ops/cases?lab=${labId}`, (p) => p.items.length === 2);

      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        await page.goto(`${gw.baseUrl}/dashboard?q=${labId}&refresh=2`);
        await page.getByLabel('Operations API key').fill(gw.keys[ops]);
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        // The model column is filled in once each case has been read.
        const modelsShown = async () => {
          await page.locator('#cases tbody td', { hasText: 'Alpha-1 1.0' }).waitFor();
          await page.locator('#cases tbody td', { hasText: 'Beta-1 1.0' }).waitFor();
        };
        await modelsShown();

        const modelHeader = page.locator('#cases th[data-sort="model"]');
        await modelHeader.getByRole('button').click();
        assert.deepEqual(await rowIds(page), [alpha, beta]);
        await modelHeader.getByRole('button').click();
        assert.deepEqual(await rowIds(page), [beta, alpha]);
        const query = new URL(page.url()).searchParams;
        assert.deepEqual(
          { sort: query.get('sort'), dir: query.get('dir'), q: query.get('q') },
          { sort: 'model', dir: 'desc', q: labId },
        );

        await page.reload();
        await modelsShown();
        assert.deepEqual(await rowIds(page), [beta, alpha]);
        assert.equal(await modelHeader.getAttribute('aria-sort'), 'descending');
        assert.equal(await page.getByLabel('Lab, model or case id').inputValue(), labId);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
  it('serves the API page sandboxed under a strict policy: it renders, and cannot read the dashboard’s storage', async () => {
    await withLiveGateway(async (gw) => {
      const context = await browser.newContext();
      try {
        // The dashboard keeps the operations key in this origin's sessionStorage.
        const dashboard = await context.newPage();
        await dashboard.goto(`${gw.baseUrl}/dashboard`);
        await dashboard.evaluate("sessionStorage.setItem('probe', 'ops key')");

        const page = await context.newPage();
        const errors = watchErrors(page);
        const res = await page.goto(`${gw.baseUrl}/docs/`);
        const csp = String(res?.headers()['content-security-policy']);
        for (const directive of [
          "script-src 'self'",
          "frame-ancestors 'none'",
          'sandbox allow-scripts allow-popups',
        ]) {
          assert.ok(csp.includes(directive), `${directive} in ${csp}`);
        }
        await page.getByText('frontier-review API').first().waitFor();
        await page.getByText('/v1/submissions/{caseId}').first().waitFor();
        const storage = await page.evaluate(
          "(() => { try { return sessionStorage.getItem('probe') ?? 'empty'; } catch (e) { return e.name; } })()",
        );
        assert.equal(storage, 'SecurityError', 'the API page runs in an opaque origin of its own');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
  it('signs operations staff in through the identity provider (code flow with PKCE), and refuses other roles', async () => {
    await withLiveGateway(async (gw) => {
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const errors = watchErrors(page);
        const signInAs = async (login: string) => {
          await page.goto(`${gw.baseUrl}/dashboard`);
          await page.getByRole('button', { name: 'Sign in with your identity provider' }).click();
          // The provider's own pages: sign in, then consent (only on the first sign-in of a session).
          await page.locator('input[name="login"]').fill(login);
          await page.locator('input[name="password"]').fill('any password');
          await page.locator('button[type="submit"]').click();
          const consent = page.getByRole('button', { name: /continue/i });
          if (await consent.isVisible().catch(() => false)) await consent.click();
        };
        await signInAs('ops');
        await page.locator('#whoami', { hasText: 'Signed in as ops (signed in as ops)' }).waitFor();
        assert.equal(new URL(page.url()).search, '', 'the code is gone from the address bar');
        const token = await page.evaluate("sessionStorage.getItem('frontier-review.ops-key')");
        assert.match(String(token), /^[\w-]+\.[\w-]+\.[\w-]+$/, 'the tab keeps a short-lived access token');

        await page.getByRole('button', { name: 'Sign out' }).click();
        await context.clearCookies();
        await signInAs('nsa');
        await page
          .locator('#signin-error', {
            hasText: 'That key belongs to agency:NSA; the dashboard needs an ops key.',
          })
          .waitFor();
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
});
