import assert from 'node:assert/strict';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Policy } from '../../shared/domain/policy';
import type { ClientKey } from '../../shared/node/client-key';
import { DEFAULT_POLICY, POLICY_PRESETS } from '../../shared/domain/policy-presets';
import { PolicyRegistry } from '../../shared/domain/policy-registry';
import { eventually, file, untilLabRecord, withGateway, type Gateway } from '../gateway/support';
import { statusQuery } from '../../shared/domain/review/messages';
import { reviewWorkflowId } from '../../shared/domain/review/workflow';
import { SCREENSHOTS } from '../dashboard/support';

export { virtualAuthenticator } from '../helpers/chromium';

/**
 * The workbench's tests: a listening gateway, people signed in through the suite's identity provider in
 * Chromium, axe-core on every page and state.
 */

/** The default policy without signatures: the acts a person takes with JavaScript off (signing needs it). */
export const UNSIGNED_POLICY: Policy = (() => {
  const { signatures: _signatures, ...rest } = DEFAULT_POLICY;
  return { ...rest, id: 'workbench-unsigned', version: 1, title: 'Test policy: no signatures' };
})();

export interface Workbench extends Gateway {
  /** The gateway at localhost (passkeys need a domain name), e.g. http://localhost:41234. */
  origin: string;
  /** A browser context of this gateway's, closed before the gateway is (so no kept-alive connection holds it). */
  track(context: BrowserContext): BrowserContext;
}

export async function withWorkbench(
  fn: (wb: Workbench) => Promise<void>,
  opts: { policyInForce?: string; workbenchIdleMs?: number; workbenchClientKey?: ClientKey } = {},
): Promise<void> {
  const run = async (gw: Gateway & { baseUrl?: string }) => {
    const opened: BrowserContext[] = [];
    const track = (context: BrowserContext) => {
      opened.push(context);
      return context;
    };
    try {
      await fn({ ...gw, origin: gw.baseUrl!.replace('127.0.0.1', 'localhost'), track });
    } finally {
      await Promise.all(opened.map((c) => c.close()));
    }
  };
  await withGateway(run, {
    policies: new PolicyRegistry([...POLICY_PRESETS, UNSIGNED_POLICY]),
    ...(opts.policyInForce === undefined ? {} : { policyInForce: opts.policyInForce }),
    ...(opts.workbenchIdleMs === undefined ? {} : { workbenchIdleMs: opts.workbenchIdleMs }),
    ...(opts.workbenchClientKey === undefined ? {} : { workbenchClientKey: opts.workbenchClientKey }),
    listen: true,
  });
}

/** Signs a person in: the workbench sends the browser to the provider, which sends it back signed in. */
export async function signIn(page: Page, origin: string, login: string, start = '/workbench'): Promise<void> {
  await page.goto(`${origin}${start}`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  const consent = page.getByRole('button', { name: /continue/i });
  await page.waitForURL((u) => u.pathname.startsWith('/workbench') || /interaction/.test(u.pathname));
  if (!new URL(page.url()).pathname.startsWith('/workbench')) await consent.click();
  await page.waitForURL((u) => u.pathname.startsWith('/workbench'));
}

/** A script-enabled page per browser, where axe-core looks at what a script-less page shows. */
const checkers = new WeakMap<Browser, Promise<Page>>();

/**
 * axe-core finds nothing on the page as it stands (every impact, not only the serious ones). axe runs as a
 * script, so a page without scripts is shown again, as it is, in a page of the same origin that has them.
 */
export async function assertNoViolations(page: Page, what: string): Promise<void> {
  const browser = page.context().browser()!;
  if (!checkers.has(browser))
    checkers.set(
      browser,
      browser.newContext().then((c) => c.newPage()),
    );
  const checker = await checkers.get(browser)!;
  const url = page.url();
  const html = await page.content();
  await checker.route(url, (route) => route.fulfill({ body: html, contentType: 'text/html; charset=utf-8' }));
  try {
    await checker.goto(url);
    const { violations } = await new AxeBuilder({ page: checker }).analyze();
    assert.deepEqual(
      violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary ?? ''} ${n.html}`),
      })),
      [],
      `${what}: accessibility violations`,
    );
  } finally {
    await checker.unroute(url);
  }
}

/** A screenshot kept with the suite's results, to be looked at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `workbench-${name}.png`), fullPage: true });
}

/** Files a case as the lab and waits until it awaits NSA's designation; its id and workflow handle. */
export async function fileAwaitingDesignation(wb: Gateway) {
  const id = await file(wb);
  const handle = wb.client.workflow.getHandle(reviewWorkflowId(id));
  await eventually(
    () => handle.query(statusQuery),
    (s) => s.stage === 'DESIGNATION',
    `case ${id} awaiting its designation`,
  );
  return { id, handle };
}

/** A case accepted (NSA designated it covered, with its key), so its lab has a record; the case's id. */
export async function acceptedCase(wb: Gateway): Promise<string> {
  const { id } = await fileAwaitingDesignation(wb);
  const body = { covered: true, reason: 'covered' };
  const res = await wb.call(wb.parties.NSA, 'POST', `/v1/submissions/${id}/designation`, body);
  assert.equal(res.status, 200, res.text);
  await untilLabRecord(wb, id);
  return id;
}

/** A person's own browser with JavaScript off, signed in. */
export async function personWithoutScript(wb: Workbench, browser: Browser, login: string): Promise<Page> {
  const context = wb.track(await browser.newContext({ javaScriptEnabled: false }));
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await signIn(page, wb.origin, login);
  return page;
}

/** From the page of what an act is taken on: the act's form, filled, its review, and the act recorded. */
export async function recordAct(page: Page, title: string, fill: (p: Page) => Promise<void>): Promise<void> {
  // A click that navigates returns once the new page commits, before its fonts load; a click made while they
  // swap in can land beside the button as the layout shifts (a run lost a review that way). Each page is
  // loaded whole before it is used.
  await page.getByRole('link', { name: title }).click();
  await page.waitForLoadState('load');
  await fill(page);
  await page.getByRole('button', { name: 'Review what will be recorded' }).click();
  await page.locator('#review-facts').waitFor();
  await page.waitForLoadState('load');
  await page.getByRole('button', { name: 'Record it' }).click();
  await page.locator('#recorded', { hasText: `Recorded: ${title}.` }).waitFor();
}

/** Presses Tab until the element with this id has the focus: the keyboard, as a person without a mouse. */
export async function tabTo(page: Page, id: string): Promise<void> {
  for (let i = 0; i < 80; i += 1) {
    if ((await page.evaluate('document.activeElement && document.activeElement.id')) === id) return;
    await page.keyboard.press('Tab');
  }
  assert.fail(`Tab never reached #${id}`);
}

/**
 * An act by the keyboard alone, from the page it is taken on: Tab to the act and Enter, Tab to each field and
 * type (a select typed `ArrowDown`: the key, which picks its first choice), Tab to the review and Enter, Tab to "Record it" and Enter.
 */
export async function recordActByKeyboard(
  page: Page,
  act: { name: string; title: string },
  fields: readonly (readonly [field: string, typed: string])[],
): Promise<void> {
  await tabTo(page, `act-${act.name}`);
  await page.keyboard.press('Enter');
  await page.locator('#review').waitFor();
  await page.waitForLoadState('load');
  for (const [field, typed] of fields) {
    await tabTo(page, `field-${field}`);
    if (typed === 'ArrowDown') await page.keyboard.press('ArrowDown');
    else await page.keyboard.type(typed);
  }
  await tabTo(page, 'review');
  await page.keyboard.press('Enter');
  await page.locator('#review-facts').waitFor();
  await page.waitForLoadState('load');
  await tabTo(page, 'record');
  await page.keyboard.press('Enter');
  await page.locator('#recorded', { hasText: `Recorded: ${act.title}.` }).waitFor();
}
