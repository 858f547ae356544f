import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { PasskeyList, PasskeyView } from '../../shared/api/passkeys';
import { SigningKeyRegistry } from '../../shared/api/admin';
import { Receipt } from '../../shared/api/responses';
import { canonicalText } from '../../shared/node/act-statement';
import { writeRecord, entriesOf } from '../../shared/node/permanent-record';
import { checkSignedActs } from '../../shared/node/record-acts';
import { testRecordSigner } from '../helpers/activities';
import { noteErrorAsserted } from '../helpers/ledger';
import { assertProblem, decision, exportedRecord, file, ok, readGov, untilStage } from '../gateway/support';
import { assertAccessible, sharedChromium, withLiveGateway } from './support';
import { virtualAuthenticator } from '../helpers/chromium';

const MINUTE_MS = 60_000;
const RESTRICTED = 'exploit chain reproduced in the range';

/** Signs a person in through the development identity provider from the page they are on. */
async function signInAs(page: Page, login: string): Promise<void> {
  await page.getByRole('button', { name: 'Sign in with your identity provider' }).click();
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.locator('button[type="submit"]').click();
  const consent = page.getByRole('button', { name: /continue/i });
  if (await consent.isVisible().catch(() => false)) await consent.click();
}

/**
 * Issue 36: a person signs the acts that decide with a passkey. In Chromium with a virtual authenticator, an NSA
 * reviewer signed in through the development identity provider registers a passkey, records a decision after a
 * confirmation of exactly what will be recorded, and the permanent record's check of that act holds offline;
 * the same decision unsigned (policy 8), or with its assertion moved onto a changed body, is refused.
 */
describe('passkeys in headless Chromium (issue 36)', function () {
  this.timeout(3 * MINUTE_MS);
  let browser: Browser;

  before(async () => {
    browser = await sharedChromium();
  });

  it('registers a reviewer’s passkey, signs a decision with it, and the record verifies; unsigned or moved it is refused', async () => {
    await withLiveGateway(async (gw) => {
      const { lab, ops, chair } = gw.parties;
      const id = await file(gw);
      await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
      // A passkey is bound to a domain: the pages are reached at localhost, not at an address.
      const origin = gw.baseUrl.replace('127.0.0.1', 'localhost');
      const context = await browser.newContext();
      try {
        const page = await context.newPage();
        const errors: string[] = [];
        page.on('pageerror', (e) => errors.push(e.message));
        const cdp = await context.newCDPSession(page);
        const authenticatorId = await virtualAuthenticator(cdp);

        await page.goto(`${origin}/dashboard/passkeys`);
        await signInAs(page, 'nsa');
        await page.locator('#whoami', { hasText: 'Signed in as agency:NSA (signed in as nsa)' }).waitFor();
        assert.equal(new URL(page.url()).pathname, '/dashboard/passkeys', 'back on the page that asked');
        await page.getByRole('button', { name: 'Register a passkey on this device' }).click();
        await page.getByText('Passkey registered.').waitFor();
        await assertAccessible(page, 'the passkeys page');
        const token = String(await page.evaluate("sessionStorage.getItem('frontier-review.ops-key')"));
        const [passkey] = ok(await gw.call(token, 'GET', '/v1/passkeys'), PasskeyList).items;
        assert.equal(passkey.principal, 'agency:NSA');
        const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
        assert.equal(credentials.length, 1, 'the authenticator made one credential');
        // A system's key cannot register a passkey: it signs with its own key.
        assertProblem(
          await gw.call(gw.parties.NSA, 'POST', '/v1/passkeys/registration-options', {}),
          403,
          'PASSKEYS_ARE_FOR_PEOPLE',
        );

        // Policy 8: the same decision, made by the person without a signature, is refused and changes nothing.
        const body = decision('CONCERNS_UNRESOLVED', {
          summary: 'Cyber-offense uplift remains unresolved.',
          restrictedNote: RESTRICTED,
        });
        const before = await readGov(gw, chair, id);
        assertProblem(
          await gw.call(token, 'POST', `/v1/submissions/${id}/decisions`, body),
          422,
          'SIGNATURE_REQUIRED',
        );
        noteErrorAsserted('SIGNATURE_REQUIRED');
        assert.deepEqual((await readGov(gw, chair, id)).timeline, before.timeline);

        // The confirmation page says what will be recorded, in words and Washington time, before anything is.
        const sent: Record<string, string>[] = [];
        page.on('request', (r) => {
          if (decodeURIComponent(r.url()).endsWith(`/v1/submissions/${id}/decisions`)) sent.push(r.headers());
        });
        // First an extension, from the same page: every act a reviewer signs has its form there.
        await page.goto(`${origin}/dashboard/sign?act=requestExtension&case=${id}`);
        await page.locator('#whoami', { hasText: 'agency:NSA' }).waitFor();
        await page.getByLabel('Days').fill('3');
        await page.getByLabel('Reason').fill('one more evaluation');
        await page.getByRole('button', { name: 'Review what will be recorded' }).click();
        // The facts are drawn once the gateway answers with the statement: wait for them to show.
        const extensionFacts = page.locator('#confirm-facts');
        await extensionFacts.waitFor();
        const extension = await extensionFacts.innerText();
        for (const words of ['Extend your deadline', 'Days\n3', 'one more evaluation']) {
          assert.ok(extension.includes(words), `${words} in ${extension}`);
        }
        await page.getByRole('button', { name: 'Sign with your passkey and record' }).click();
        await page.locator('#done-text', { hasText: 'Extend your deadline: on' }).waitFor();

        await page.goto(`${origin}/dashboard/sign?case=${id}`);
        await page.locator('#whoami', { hasText: 'agency:NSA' }).waitFor();
        await page.getByLabel('Decision').selectOption('CONCERNS_UNRESOLVED');
        await page.getByLabel('Summary (the lab reads it)').fill('Cyber-offense uplift remains unresolved.');
        await page.getByLabel('Restricted note (government only; sealed)').fill(RESTRICTED);
        await page.getByRole('button', { name: 'Review what will be recorded' }).click();
        const facts = page.locator('#confirm-facts');
        await facts.waitFor();
        const shown = await facts.innerText();
        for (const words of ['NSA reviewer', 'agency:NSA', 'Concerns unresolved', id, 'sealed']) {
          assert.ok(shown.includes(words), `${words} in ${shown}`);
        }
        assert.match(shown, /Signed at\s+\w{3} \d{1,2} \w{3} \d{4}, \d{1,2}:\d{2}:\d{2} [ap]\.m\. ET/);
        assert.ok(!shown.includes(RESTRICTED), 'the restricted note is not repeated');
        assert.ok(!(await page.locator('#statement').innerText()).includes(RESTRICTED));
        await assertAccessible(page, 'the confirmation page');
        await page.getByRole('button', { name: 'Sign with your passkey and record' }).click();
        await page.locator('#done-text', { hasText: 'is recorded, signed with your passkey' }).waitFor();
        assert.deepEqual(errors, []);

        // The case keeps the act with the person, the statement and the assertion.
        const signedActs = (await readGov(gw, chair, id)).timeline.filter(
          (e) => e.signed?.proof.kind === 'PASSKEY',
        );
        assert.deepEqual(
          signedActs.map((e) => e.type),
          ['CLOCK_EXTENDED', 'DECISION_RECORDED'],
        );
        const act = signedActs[1];
        assert.ok(act?.signed, 'the decision is recorded, signed');
        assert.equal(act.by?.kind === 'PERSON' && act.by.subject, 'nsa');
        assert.equal(act.signed.proof.kind === 'PASSKEY' && act.signed.proof.credential.id, passkey.id);

        // The assertion, moved onto a changed body (one byte of the summary), is refused; nothing is recorded.
        const headers = sent[sent.length - 1];
        const moved = decision('CONCERNS_UNRESOLVED', {
          summary: 'Cyber-offense uplift remains unresolveD.',
          restrictedNote: RESTRICTED,
        });
        const after = await readGov(gw, chair, id);
        const refusal = assertProblem(
          await gw.call(token, 'POST', `/v1/submissions/${id}/decisions`, moved, {
            'act-statement': headers['act-statement'],
            'act-passkey': headers['act-passkey'],
          }),
          422,
          'SIGNATURE_INVALID',
        );
        assert.match(refusal.detail ?? '', /passkey signature does not hold/);
        assert.deepEqual((await readGov(gw, chair, id)).timeline, after.timeline);

        // Revoked, the passkey signs nothing more; what it signed stays checkable.
        ok(await gw.call(token, 'POST', `/v1/passkeys/${passkey.id}/revocation`, {}), PasskeyView);

        // The permanent record: the act verifies offline against the registry, and a changed byte fails it.
        ok(await gw.call(lab, 'POST', `/v1/submissions/${id}/withdrawal`, { reason: 'not yet' }), Receipt);
        const { text } = await exportedRecord(gw, id);
        const registry = ok(await gw.call(ops, 'GET', '/v1/records/signing-keys'), SigningKeyRegistry);
        assert.deepEqual(
          registry.passkeys?.map((p) => [p.id, p.subject, p.principal, p.revokedAt !== undefined]),
          [[passkey.id, 'nsa', 'agency:NSA', true]],
        );
        const checks = await checkSignedActs(text, registry);
        assert.deepEqual(
          checks.map((c) => [c.message, c.principal, c.signer, c.keyId, c.problem]),
          [
            ['requestExtension', 'agency:NSA', 'NSA reviewer', passkey.id, undefined],
            ['recordDecision', 'agency:NSA', 'NSA reviewer', passkey.id, undefined],
          ],
        );
        // Someone who runs the platform changes the decision in the record and signs the record again: the
        // chain holds, the act does not.
        const forged = writeRecord(
          entriesOf(text).map((e) => {
            if (e.kind !== 'TIMELINE' || e.signed === undefined) return e;
            const signed = e.signed as { statement: string };
            const statement = JSON.parse(signed.statement) as { fields: { decision?: { kind: string } } };
            if (statement.fields.decision === undefined) return e;
            statement.fields.decision.kind = 'NO_CONCERNS';
            return { ...e, signed: { ...e.signed, statement: canonicalText(statement) } };
          }),
          testRecordSigner.signingKey,
          testRecordSigner.publicKey,
        );
        const [extensionCheck, check] = await checkSignedActs(forged, registry);
        assert.equal(extensionCheck.problem, undefined, 'the other act still holds');
        assert.equal(check.line, checks[1].line);
        assert.match(check.problem ?? '', /passkey signature does not hold/);
      } finally {
        await context.close();
      }
    });
  });

  it('says plainly, with JavaScript off, that signing needs it', async () => {
    await withLiveGateway(async (gw) => {
      const context = await browser.newContext({ javaScriptEnabled: false });
      try {
        const page = await context.newPage();
        for (const path of ['/dashboard/passkeys', '/dashboard/sign']) {
          await page.goto(`${gw.baseUrl.replace('127.0.0.1', 'localhost')}${path}`);
          const text = await page.locator('main').innerText();
          assert.match(text, /Signing with a passkey needs JavaScript/, path);
        }
      } finally {
        await context.close();
      }
    });
  });
});
