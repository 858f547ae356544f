import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { assertProblem, ok, readGov } from '../gateway/support';
import { SessionsEnded } from '../../shared/api/admin';
import { testServers } from '../setup/servers';
import { sharedChromium } from '../dashboard/support';
import { signIn, UNSIGNED_POLICY, withWorkbench, type Workbench, fileAwaitingDesignation } from './support';

const MINUTE_MS = 60_000;

/**
 * Issue 37, part 1: sessions on the server. The cookie holds only an id (HttpOnly, SameSite); signing out ends
 * the session at once, and so does idleness; every form needs its CSRF token; a person with two roles chooses
 * one and the act records it; an API key (a lab's, an agency's) opens no page.
 */
describe('the workbench’s sessions (issue 37)', function () {
  this.timeout(3 * MINUTE_MS);
  let browser: Browser;

  before(async () => {
    browser = await sharedChromium();
  });

  const context = async (wb: Workbench) => wb.track(await browser.newContext({ javaScriptEnabled: false }));

  it('ends a session at sign-out, refuses a form without its token, and opens no page for an API key', async () => {
    await withWorkbench(async (wb) => {
      const ctx = await context(wb);
      const page = await ctx.newPage();
      await signIn(page, wb.origin, 'nsa');
      const [cookie] = (await ctx.cookies()).filter((c) => c.name === 'frontier-review-workbench');
      assert.ok(cookie, 'a session cookie');
      assert.equal(cookie.httpOnly, true);
      assert.equal(cookie.sameSite, 'Lax');
      assert.ok(!cookie.value.includes('wbs_'), 'the cookie carries an id, never the session’s credential');

      // A form sent without its CSRF token (another site's form) is refused and does nothing.
      const forged = await page.request.post(`${wb.origin}/workbench/sign-out`, {
        form: {},
        maxRedirects: 0,
      });
      assert.equal(forged.status(), 403);
      assert.equal((await page.goto(`${wb.origin}/workbench/inbox`))?.status(), 200, 'still signed in');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'You are signed out' }).waitFor();
      // The old cookie, replayed: the session is gone on the server.
      const replay = await context(wb);
      await replay.addCookies([cookie]);
      const again = await replay.request.get(`${wb.origin}/workbench/inbox`, { maxRedirects: 0 });
      assert.equal(again.status(), 303);
      assert.match(again.headers().location ?? '', /^\/workbench\/sign-in\?returnTo=/);

      // An API key opens no page: the workbench knows only its own sessions.
      for (const key of [wb.keys[wb.parties.lab], wb.keys[wb.parties.NSA]]) {
        const res = await replay.request.get(`${wb.origin}/workbench/inbox`, {
          headers: { authorization: `Bearer ${key}` },
          maxRedirects: 0,
        });
        assert.equal(res.status(), 303, 'sent to sign in');
      }
    });
  });

  it('ends every session of a person an administrator names, at once; no one else may', async () => {
    await withWorkbench(async (wb) => {
      const ctx = await context(wb);
      const page = await ctx.newPage();
      await signIn(page, wb.origin, 'treasury');
      const person = { issuer: testServers().identity.issuer, subject: 'treasury' };
      for (const party of [wb.parties.TREASURY, wb.parties.ops, wb.parties.chair]) {
        assertProblem(
          await wb.call(party, 'POST', '/v1/admin/sessions/revocation', person),
          403,
          'FORBIDDEN',
        );
      }
      assert.equal(
        (await page.request.get(`${wb.origin}/workbench/inbox`, { maxRedirects: 0 })).status(),
        200,
      );
      const ended = ok(
        await wb.call(wb.parties.admin, 'POST', '/v1/admin/sessions/revocation', person),
        SessionsEnded,
      );
      assert.equal(ended.ended, 1);
      const after = await page.request.get(`${wb.origin}/workbench/inbox`, { maxRedirects: 0 });
      assert.equal(after.status(), 303, 'the next page is the sign-in');
      assertProblem(
        await wb.call(wb.parties.admin, 'POST', '/v1/admin/sessions/revocation', { ...person, extra: 1 }),
        400,
        'VALIDATION_FAILED',
      );
    });
  });

  it('ends an idle session', async () => {
    await withWorkbench(
      async (wb) => {
        const ctx = await context(wb);
        const page = await ctx.newPage();
        await signIn(page, wb.origin, 'caisi');
        await new Promise((r) => setTimeout(r, 2_500));
        const res = await page.request.get(`${wb.origin}/workbench/inbox`, { maxRedirects: 0 });
        assert.equal(res.status(), 303, 'idle past its limit: signed out');
      },
      { workbenchIdleMs: 2_000 },
    );
  });

  it('lets a person with two roles choose one, switch, and records the one chosen', async () => {
    await withWorkbench(
      async (wb) => {
        const { id } = await fileAwaitingDesignation(wb);
        const ctx = await context(wb);
        const page = await ctx.newPage();
        await signIn(page, wb.origin, 'nsa-chair');
        await page.getByRole('heading', { name: 'Choose whom you act as' }).waitFor();
        await page.locator('label', { hasText: /^chair$/ }).click();
        await page.getByRole('button', { name: 'Continue' }).click();
        assert.match(await page.locator('#whoami').innerText(), /acting as chair/);
        assert.equal(new URL(page.url()).pathname, '/workbench/escalations');
        // As the chair the designation is not theirs to make.
        const refused = await page.goto(
          `${wb.origin}/workbench/cases/${encodeURIComponent(id)}/acts/designateCoverage`,
        );
        assert.equal(refused?.status(), 404);

        await page.goto(`${wb.origin}/workbench/principal`);
        await page.locator('label', { hasText: /^agency:NSA$/ }).click();
        await page.getByRole('button', { name: 'Continue' }).click();
        assert.match(await page.locator('#whoami').innerText(), /acting as agency:NSA/);
        await page.goto(`${wb.origin}/workbench/cases/${encodeURIComponent(id)}/acts/designateCoverage`);
        await page.getByLabel('Designation').selectOption('true');
        await page.getByLabel('Reason').fill('meets the bar');
        await page.getByRole('button', { name: 'Review what will be recorded' }).click();
        await page.getByRole('button', { name: 'Record it' }).click();
        await page.locator('#recorded').waitFor();
        const entry = (await readGov(wb, wb.parties.chair, id)).timeline.find((e) => e.type === 'DESIGNATED');
        assert.equal(entry?.actor, 'agency:NSA', 'recorded as the principal chosen');
        assert.equal(entry?.by?.kind === 'PERSON' && entry.by.subject, 'nsa-chair', 'by the person');
      },
      { policyInForce: UNSIGNED_POLICY.id },
    );
  });
});
