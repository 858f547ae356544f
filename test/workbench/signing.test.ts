import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { statusQuery } from '../../shared/domain/review/messages';
import { decision, eventually, ok, readGov } from '../gateway/support';
import { LabView } from '../../shared/api/labs';
import { sharedChromium } from '../dashboard/support';
import {
  assertNoViolations,
  screenshot,
  signIn,
  virtualAuthenticator,
  withWorkbench,
  fileAwaitingDesignation,
  acceptedCase,
  tabTo,
  type Workbench,
} from './support';

const MINUTE_MS = 60_000;
const NOTE = 'uplift reproduced on the cyber range';

/**
 * A person's own browser with a virtual authenticator, signed in, a passkey registered on it; `errors` collects
 * the page's script errors, which the test expects to stay empty.
 */
async function personWithPasskey(
  wb: Workbench,
  browser: Browser,
  login: string,
): Promise<{ page: Page; errors: string[] }> {
  const context = wb.track(await browser.newContext());
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await virtualAuthenticator(await context.newCDPSession(page));
  await signIn(page, wb.origin, login, '/workbench/passkeys');
  await page.getByRole('button', { name: 'Register a passkey on this device' }).click();
  await page.locator('#passkeys td', { hasText: 'in force' }).waitFor();
  return { page, errors };
}

/**
 * Issue 37 with JavaScript on and policy 8 in force: an NSA reviewer registers a passkey on the workbench,
 * designates and then decides with the keyboard alone, each act signed with the passkey on its review page;
 * the case keeps the person and the passkey's proof. The case page refreshes itself when the case changes. The
 * chair signs a trusted partner's designation the same way: an act on a lab's record, whose statement the
 * API writes for the lab.
 */
describe('the workbench with JavaScript on: signed acts, the keyboard alone, live pages (issue 37)', function () {
  this.timeout(3 * MINUTE_MS);
  let browser: Browser;

  before(async () => {
    browser = await sharedChromium();
  });

  it('an NSA reviewer registers a passkey, then designates and decides by keyboard, each act signed', async () => {
    await withWorkbench(async (wb) => {
      const { chair } = wb.parties;
      const { id, handle } = await fileAwaitingDesignation(wb);
      {
        const { page, errors } = await personWithPasskey(wb, browser, 'nsa');
        await assertNoViolations(page, 'the passkeys page');

        // The designation, signed: the review page asks the authenticator, then records.
        await page.goto(`${wb.origin}/workbench/cases/${encodeURIComponent(id)}/acts/designateCoverage`);
        await page.getByLabel('Designation').selectOption('true');
        await page.getByLabel('Reason').fill('meets the bar');
        await page.getByRole('button', { name: 'Review what will be recorded' }).click();
        await page.waitForLoadState('load');
        await page.getByRole('button', { name: 'Sign with your passkey and record' }).click();
        await page.locator('#recorded', { hasText: 'Recorded: Designate the model.' }).waitFor();
        await eventually(
          () => handle.query(statusQuery),
          (s) => s.stage === 'NATIONAL_SECURITY',
          'accepted',
        );

        // The decision, by keyboard alone: Tab to each field, type, Enter.
        await page.goto(`${wb.origin}/workbench/cases/${encodeURIComponent(id)}/acts/recordDecision`);
        await tabTo(page, 'field-kind');
        await page.keyboard.type('Concerns unresolved');
        await tabTo(page, 'field-summary');
        await page.keyboard.type('Cyber-offense uplift remains unresolved.');
        await tabTo(page, 'field-restrictedNote');
        await page.keyboard.type(NOTE);
        await page.keyboard.press('Tab');
        await page.keyboard.press('Tab');
        await page.keyboard.press('Enter');
        await page.locator('#review-facts').waitFor();
        assert.match(await page.locator('#review-facts').innerText(), /Concerns unresolved/);
        await assertNoViolations(page, 'the review page, script on');
        await screenshot(page, 'sign');
        await tabTo(page, 'record');
        await page.keyboard.press('Enter');
        await page.locator('#recorded', { hasText: 'Recorded: Record your decision.' }).waitFor();
        assert.deepEqual(errors, []);

        const signed = (await readGov(wb, chair, id)).timeline.filter(
          (e) => e.signed?.proof.kind === 'PASSKEY',
        );
        assert.deepEqual(
          signed.map((e) => [e.type, e.by?.kind === 'PERSON' && e.by.subject]),
          [
            ['DESIGNATED', 'nsa'],
            ['DECISION_RECORDED', 'nsa'],
          ],
        );

        // Live enough: another agency's decision reaches the open page without a reload.
        await page.clock.install();
        await page.goto(`${wb.origin}/workbench/cases/${encodeURIComponent(id)}`);
        const res = await wb.call(
          wb.parties.CISA,
          'POST',
          `/v1/submissions/${id}/decisions`,
          decision('NO_CONCERNS'),
        );
        assert.equal(res.status, 200, res.text);
        await page.clock.fastForward(21_000);
        await page.locator('#positions', { hasText: 'NO_CONCERNS summary' }).waitFor();
      }
    });
  });

  it('the chair designates a trusted partner, signed with a passkey: a lab’s act, not a case’s', async () => {
    await withWorkbench(async (wb) => {
      const labId = (await acceptedCase(wb)).split(':')[0];
      const { page, errors } = await personWithPasskey(wb, browser, 'chair');

      await page.goto(`${wb.origin}/workbench/labs/${labId}/acts/designateTrustedPartner`);
      await page.getByLabel('Reason (the lab is told)').fill('Trusted on the record of its other filings.');
      await page.getByRole('button', { name: 'Review what will be recorded' }).click();
      await page.waitForLoadState('load');
      assert.match(await page.locator('#review-facts').innerText(), new RegExp(`Lab\\s+${labId}`));
      await page.getByRole('button', { name: 'Sign with your passkey and record' }).click();
      await page.locator('#recorded', { hasText: 'Recorded: Designate a trusted partner.' }).waitFor();
      assert.deepEqual(errors, []);

      const lab = ok(await wb.call(wb.parties.chair, 'GET', `/v1/labs/${labId}`), LabView);
      const designated = lab.timeline.filter((e) => e.signed?.proof.kind === 'PASSKEY');
      assert.deepEqual(
        designated.map((e) => [e.type, e.by?.kind === 'PERSON' && e.by.subject]),
        [['TRUSTED_PARTNER_DESIGNATED', 'chair']],
      );
    });
  });
});
