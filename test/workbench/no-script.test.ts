import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { statusQuery } from '../../shared/domain/review/messages';
import { noteErrorAsserted } from '../helpers/ledger';
import { ACTS } from '../../workbench/acts';
import { CasePage, decision, eventually, ok, readGov } from '../gateway/support';
import { sharedChromium } from '../dashboard/support';
import {
  assertNoViolations,
  screenshot,
  signIn,
  UNSIGNED_POLICY,
  withWorkbench,
  type Workbench,
  fileAwaitingDesignation,
  personWithoutScript,
  recordAct,
} from './support';

const MINUTE_MS = 60_000;
const NSA_NOTE = 'exploit chain reproduced in the range: restricted';
/** NSA's sealed benchmark score, written so that no other number on a page can be mistaken for it. */
const BENCHMARK_SCORE = 0.9137;

/**
 * Issue 37: the people who decide do all their work in forms, with JavaScript off, signed in as themselves (a
 * policy without signatures: signing with a passkey needs a script). An NSA reviewer designates the model and
 * records a restricted concern; CAISI asks the lab a question (the page shows which deadline moves first), is
 * refused an over-long extension beside the field, and decides; the chair resolves the escalation. No other
 * role's restricted text reaches a page, and axe-core finds nothing on any page or state.
 */
describe('the workbench with JavaScript off (issue 37)', function () {
  this.timeout(3 * MINUTE_MS);
  let browser: Browser;

  before(async () => {
    browser = await sharedChromium();
  });

  const person = (wb: Workbench, login: string) => personWithoutScript(wb, browser, login);

  /** Reloads a list until a case is on it (visibility catches up within a second or two). */
  async function untilListed(page: Page, url: string, caseId: string): Promise<void> {
    await eventually(
      async () => {
        await page.goto(url);
        return page.locator(`a[href="/workbench/cases/${encodeURIComponent(caseId)}"]`).count();
      },
      (n) => n === 1,
      `${caseId} listed at ${url}`,
    );
  }

  /** An act from the case's page. */
  async function act(page: Page, caseId: string, title: string, fill: (p: Page) => Promise<void>) {
    await page.goto(`${new URL(page.url()).origin}/workbench/cases/${encodeURIComponent(caseId)}`);
    await recordAct(page, title, fill);
  }

  it('an NSA reviewer designates and decides, CAISI asks and decides, the chair resolves, each in forms alone', async () => {
    await withWorkbench(
      async (wb) => {
        const { chair } = wb.parties;
        const { id, handle } = await fileAwaitingDesignation(wb);

        // NSA: the inbox lists the case it must designate, with its deadline in Washington time.
        const nsa = await person(wb, 'nsa');
        await untilListed(nsa, `${wb.origin}/workbench/inbox`, id);
        const row = nsa.locator('#inbox tr', { hasText: id });
        assert.match(await row.innerText(), /\w{3} \d{1,2} \w{3} \d{4}, \d{1,2}:\d{2} [ap]\.m\. ET/);
        assert.match(await row.innerText(), /business days? left|due today/);
        assert.match(await nsa.locator('#whoami').innerText(), /NSA reviewer \(nsa\), acting as agency:NSA/);
        // The inbox sorts by the agency's own deadline, which the case keeps in its memo for lists.
        const listed = ok(
          await wb.call(wb.parties.NSA, 'GET', '/v1/agency/cases?pageSize=100'),
          CasePage,
        ).items;
        const due = (await readGov(wb, chair, id)).designation?.dueAt;
        assert.deepEqual(listed.find((c) => c.caseId === id)?.awaitingDue, { NSA: due });
        await assertNoViolations(nsa, 'the inbox');
        await screenshot(nsa, 'inbox');

        await act(nsa, id, 'Designate the model', async (p) => {
          await p.getByLabel('Designation').selectOption('true');
          await p.getByLabel('Reason').fill('meets the bar on our benchmark');
          await p
            .getByLabel('Benchmark score (0 to 1; sealed, the lab never sees it) (optional)')
            .fill(String(BENCHMARK_SCORE));
        });
        await eventually(
          () => handle.query(statusQuery),
          (s) => s.stage === 'NATIONAL_SECURITY',
          'the national-security stage',
        );

        // The decision form refuses what the API refuses, beside the field, and records nothing.
        await nsa.goto(`${wb.origin}/workbench/cases/${encodeURIComponent(id)}/acts/recordDecision`);
        await nsa.getByLabel('Decision').selectOption('CONCERNS_MITIGATED');
        await nsa.getByLabel('Summary (the lab reads it)').fill('mitigated, they say');
        await nsa.getByRole('button', { name: 'Review what will be recorded' }).click();
        await nsa.waitForLoadState('load');
        await nsa.locator('#error-summary').waitFor();
        assert.match(await nsa.locator('#error-commitments').innerText(), /commitment/i);
        await assertNoViolations(nsa, 'a form with a refusal');
        await screenshot(nsa, 'form-refused');

        await act(nsa, id, 'Record your decision', async (p) => {
          await p.getByLabel('Decision').selectOption('CONCERNS_UNRESOLVED');
          await p.getByLabel('Summary (the lab reads it)').fill('Cyber-offense uplift remains unresolved.');
          await p.getByLabel('Restricted note (government only; sealed) (optional)').fill(NSA_NOTE);
        });
        assert.match(await nsa.locator('#positions').innerText(), new RegExp(NSA_NOTE));
        await assertNoViolations(nsa, 'the case page');
        await screenshot(nsa, 'case-nsa');
        const recorded = (await readGov(wb, chair, id)).timeline.find((e) => e.type === 'DECISION_RECORDED');
        assert.equal(
          recorded?.by?.kind === 'PERSON' && recorded.by.subject,
          'nsa',
          'the record names the person',
        );

        for (const agency of ['CISA', 'DOW'] as const) {
          const res = await wb.call(
            wb.parties[agency],
            'POST',
            `/v1/submissions/${id}/decisions`,
            decision('NO_CONCERNS'),
          );
          assert.equal(res.status, 200, res.text);
        }
        await eventually(
          () => handle.query(statusQuery),
          (s) => s.stage === 'CIVILIAN',
          'the civilian stage',
        );

        // CAISI: sees no restricted note of another stage; asks the lab, having seen which deadline moves.
        const caisi = await person(wb, 'caisi');
        await untilListed(caisi, `${wb.origin}/workbench/inbox`, id);
        await caisi.goto(`${wb.origin}/workbench/cases/${encodeURIComponent(id)}`);
        assert.ok(!(await caisi.content()).includes(NSA_NOTE), 'NSA’s restricted note stays from CAISI');
        await caisi.getByRole('link', { name: 'Ask the lab' }).click();
        await caisi.getByLabel('Questions (one per line)').fill('Which evals ran?\nAt what scale?');
        await caisi.getByRole('button', { name: 'Review what will be recorded' }).click();
        await caisi.waitForLoadState('load');
        const moves = await caisi.locator('#moves').innerText();
        assert.match(moves, /CAISI/, 'the review shows CAISI’s deadline moving');
        await assertNoViolations(caisi, 'the review page');
        await screenshot(caisi, 'review');
        // Sent twice (a reload, a double click): recorded once, by its idempotency key.
        const form = caisi.locator('#act-confirm');
        const fields: Record<string, string> = {};
        for (const input of await form.locator('input[type="hidden"]').all()) {
          fields[(await input.getAttribute('name')) ?? ''] = (await input.getAttribute('value')) ?? '';
        }
        await caisi.getByRole('button', { name: 'Record it' }).click();
        await caisi.locator('#recorded').waitFor();
        const again = await caisi.request.post(
          `${wb.origin}/workbench/cases/${encodeURIComponent(id)}/acts/requestInformation`,
          {
            form: fields,
            maxRedirects: 0,
          },
        );
        assert.equal(again.status(), 303, 'the second sending answers as the first');
        const asked = (await readGov(wb, chair, id)).informationRequests.filter((r) => r.agency === 'CAISI');
        assert.equal(asked.length, 1, 'one question recorded');

        // An extension longer than the policy allows: refused beside the days, nothing recorded.
        await caisi.goto(`${wb.origin}/workbench/cases/${encodeURIComponent(id)}/acts/requestExtension`);
        await caisi.getByLabel('Days').fill('300');
        await caisi.getByLabel('Reason').fill('a long look');
        await caisi.getByRole('button', { name: 'Review what will be recorded' }).click();
        await caisi.waitForLoadState('load');
        await caisi.getByRole('button', { name: 'Record it' }).click();
        await caisi.locator('#error-days').waitFor();
        assert.match(await caisi.locator('#error-days').innerText(), /longer than the policy allows/);
        noteErrorAsserted('EXTENSION_TOO_LONG');
        assert.equal(await caisi.getByLabel('Days').inputValue(), '300', 'what was typed stays');

        await act(caisi, id, 'Record your decision', async (p) => {
          await p.getByLabel('Decision').selectOption('NO_CONCERNS');
          await p.getByLabel('Summary (the lab reads it)').fill('Nothing further.');
        });
        for (const agency of ['DOE', 'TREASURY'] as const) {
          const res = await wb.call(
            wb.parties[agency],
            'POST',
            `/v1/submissions/${id}/decisions`,
            decision('NO_CONCERNS'),
          );
          assert.equal(res.status, 200, res.text);
        }

        // The chair: the escalation desk lists it; the case shows every position; the resolution closes it.
        const chairPage = await person(wb, 'chair');
        await untilListed(chairPage, `${wb.origin}/workbench/escalations`, id);
        await assertNoViolations(chairPage, 'the escalation desk');
        await chairPage.goto(`${wb.origin}/workbench/cases/${encodeURIComponent(id)}`);
        const positions = await chairPage.locator('#positions').innerText();
        for (const agency of ['NSA', 'CISA', 'DOW', 'CAISI', 'DOE', 'TREASURY'])
          assert.match(positions, new RegExp(agency));
        assert.match(positions, new RegExp(NSA_NOTE), 'the chair reads every restricted note');
        await act(chairPage, id, 'Resolve the escalation', async (p) => {
          await p.getByLabel('Outcome').selectOption('DEFERRAL_RECOMMENDED');
          await p.getByLabel('Rationale').fill('The unresolved uplift outweighs the rest.');
        });
        await screenshot(chairPage, 'resolved');
        const determined = await eventually(
          () => handle.query(statusQuery),
          (s) => s.determination !== undefined,
          'the determination',
        );
        assert.equal(determined.determination?.outcome, 'DEFERRAL_RECOMMENDED');

        await leakScan(wb, id);
      },
      { policyInForce: UNSIGNED_POLICY.id },
    );
  });

  /**
   * Every page of the workbench, opened by every kind of person on the case the test decided: none answers 5xx;
   * operations staff and a person with no role open none of the case's pages; NSA's restricted note and its
   * sealed benchmark score reach the national-security agencies and the chair (docs/reviewers.md "What is
   * sealed from whom"), never a civilian agency, on any page.
   */
  async function leakScan(wb: Workbench, id: string): Promise<void> {
    const c = `/workbench/cases/${encodeURIComponent(id)}`;
    const pages = [
      '/workbench',
      '/workbench/inbox',
      '/workbench/escalations',
      '/workbench/labs',
      `/workbench/labs/${encodeURIComponent(id.split(':')[0])}`,
      '/workbench/findings',
      '/workbench/passkeys',
      '/workbench/principal',
      '/workbench/my-cases',
      '/workbench/callbacks',
      '/workbench/filing',
      '/workbench/commitments',
      '/workbench/grants',
      c,
      ...Object.keys(ACTS).map((act) => `${c}/acts/${act}`),
    ];
    const secrets = { note: NSA_NOTE, score: String(BENCHMARK_SCORE) };
    const sees: Record<string, boolean | undefined> = {
      nsa: true,
      cisa: true,
      dow: true,
      chair: true,
      caisi: false,
      doe: false,
      treasury: false,
      ops: false,
      nobody: false,
    };
    for (const [login, reads] of Object.entries(sees)) {
      const page = await person(wb, login);
      const shown = new Set<string>();
      for (const path of pages) {
        const res = await page.request.get(`${wb.origin}${path}`, { maxRedirects: 0 });
        assert.ok(res.status() < 500, `${login} ${path}: ${res.status()}`);
        const anyRole = !['/workbench', '/workbench/principal', '/workbench/passkeys'].includes(path);
        // Operations staff find no such page; a person with no role holds no session and is sent to sign in.
        if (login === 'ops' && anyRole) assert.equal(res.status(), 404, `${login} ${path}`);
        if (login === 'nobody' && anyRole) {
          assert.equal(res.status(), 303, `${login} ${path}`);
          assert.match(res.headers().location ?? '', /^\/workbench\/sign-in\?/, `${login} ${path}`);
        }
        const text = await res.text();
        for (const [name, secret] of Object.entries(secrets)) if (text.includes(secret)) shown.add(name);
      }
      assert.deepEqual(
        [...shown].sort(),
        reads ? ['note', 'score'] : [],
        `${login} reads NSA's note and score on the case page: ${reads}`,
      );
    }
  }

  it('has no page for a person without an agency or the chair: operations staff find 404, a person with no role is told so', async () => {
    await withWorkbench(async (wb) => {
      const ops = await person(wb, 'ops');
      for (const path of ['/workbench/inbox', '/workbench/escalations', '/workbench/cases/acme:nothing']) {
        const res = await ops.goto(`${wb.origin}${path}`);
        assert.equal(res?.status(), 404, path);
      }
      await assertNoViolations(ops, 'the not-found page');
      const context = wb.track(await browser.newContext({ javaScriptEnabled: false }));
      const nobody = await context.newPage();
      await signIn(nobody, wb.origin, 'nobody');
      await nobody.getByRole('heading', { name: 'You are signed in, but have no role here' }).waitFor();
    });
  });
});
