import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { FindingView } from '../../shared/api/findings';
import { LabView } from '../../shared/api/labs';
import { eventually, fileFinding, ok } from '../gateway/support';
import { sharedChromium } from '../dashboard/support';
import {
  acceptedCase,
  assertNoViolations,
  screenshot,
  UNSIGNED_POLICY,
  personWithoutScript,
  recordAct,
  withWorkbench,
  type Workbench,
} from './support';

const MINUTE_MS = 60_000;

/**
 * Issue 37: the chair's trusted partners and the clearinghouse's steps on findings, in forms alone (JavaScript
 * off, under a policy without signatures): the chair designates a lab a trusted partner against the policy's
 * proposal and revokes it; NSA, of the clearinghouse, validates a finding and discloses it, while CAISI, which
 * is not, has neither the list nor a step to take. axe-core finds nothing on any page.
 */
describe('the workbench: trusted partners and clearinghouse findings (issue 37)', function () {
  this.timeout(3 * MINUTE_MS);
  let browser: Browser;

  before(async () => {
    browser = await sharedChromium();
  });

  const person = (wb: Workbench, login: string) => personWithoutScript(wb, browser, login);
  const act = recordAct;

  it('the chair designates a trusted partner against the policy’s proposal, then revokes it, in forms alone', async () => {
    await withWorkbench(
      async (wb) => {
        const id = await acceptedCase(wb);
        const labId = id.split(':')[0];
        const chair = await person(wb, 'chair');
        await eventually(
          async () => {
            await chair.goto(`${wb.origin}/workbench/labs`);
            return chair.locator('#labs a', { hasText: labId }).count();
          },
          (n) => n === 1,
          `${labId} listed`,
        );
        await assertNoViolations(chair, 'the labs page');
        await chair.locator('#labs a', { hasText: labId }).click();
        // One case, not completed: the policy proposes against, and says why.
        assert.match(await chair.locator('#proposal').innerText(), /not eligible/);
        assert.match(await chair.locator('#unmet').innerText(), /review/i);
        await assertNoViolations(chair, 'a lab’s page');
        await screenshot(chair, 'lab');

        // A reason left out is refused beside its field, and nothing is recorded.
        await chair.getByRole('link', { name: 'Designate a trusted partner' }).click();
        await chair.getByRole('button', { name: 'Review what will be recorded' }).click();
        await chair.locator('#error-reason').waitFor();
        await assertNoViolations(chair, 'the designation refused');
        await chair.goto(`${wb.origin}/workbench/labs/${labId}`);

        await act(chair, 'Designate a trusted partner', (p) =>
          p.getByLabel('Reason (the lab is told)').fill('A long record of kept commitments elsewhere.'),
        );
        const designated = ok(await wb.call(wb.parties.ops, 'GET', `/v1/labs/${labId}`), LabView);
        assert.equal(designated.status, 'TRUSTED_PARTNER');
        const by = designated.timeline.at(-1)?.by;
        assert.equal(by?.kind === 'PERSON' && by.subject, 'chair', 'the record names the chair');
        assert.match(await chair.locator('#summary').innerText(), /trusted partner/);
        // Designated, the only act left is the revocation.
        assert.equal(await chair.getByRole('link', { name: 'Designate a trusted partner' }).count(), 0);
        await act(chair, 'Revoke the trusted partnership', (p) =>
          p.getByLabel('Reason (the lab is told)').fill('A commitment was broken.'),
        );
        const revoked = ok(await wb.call(wb.parties.ops, 'GET', `/v1/labs/${labId}`), LabView);
        assert.deepEqual(
          revoked.statusHistory.map((h) => [h.status, h.eligible]),
          [
            ['TRUSTED_PARTNER', false],
            ['PARTICIPANT', false],
          ],
        );
        // An agency has no such page.
        const nsa = await person(wb, 'nsa');
        const res = await nsa.goto(`${wb.origin}/workbench/labs/${labId}`);
        assert.equal(res?.status(), 404);
      },
      { policyInForce: UNSIGNED_POLICY.id },
    );
  });

  it('NSA, of the clearinghouse, validates a finding and discloses it; CAISI has neither the list nor a step', async () => {
    await withWorkbench(
      async (wb) => {
        const id = await acceptedCase(wb);
        const findingId = await fileFinding(wb, wb.parties.CAISI, {
          caseId: id,
          title: 'prompt-injection path to tool use',
          tlp: 'AMBER',
        });
        const nsa = await person(wb, 'nsa');
        await eventually(
          async () => {
            await nsa.goto(`${wb.origin}/workbench/findings`);
            return nsa.locator('#findings a', { hasText: findingId }).count();
          },
          (n) => n === 1,
          `${findingId} listed`,
        );
        await assertNoViolations(nsa, 'the findings page');
        await nsa.locator('#findings a', { hasText: findingId }).click();
        assert.match(await nsa.locator('#detail').innerText(), /prompt-injection path to tool use/);
        await assertNoViolations(nsa, 'a finding’s page');
        await act(nsa, 'Validate the finding', (p) =>
          p.getByLabel('Note (sealed) (optional)').fill('Reproduced in the range.'),
        );
        await screenshot(nsa, 'finding');
        // Read as the clearinghouse reads it: operations staff see the acting role only.
        const validated = ok(await wb.call(wb.parties.NSA, 'GET', `/v1/findings/${findingId}`), FindingView);
        assert.equal(validated.state, 'VALIDATED');
        const by = validated.timeline.find((e) => e.type === 'FINDING_VALIDATED')?.by;
        assert.equal(
          by?.kind === 'PERSON' && by.subject,
          'nsa',
          `the record names the reviewer: ${JSON.stringify(validated.timeline)}`,
        );
        await act(nsa, 'Disclose the finding', async () => undefined);
        const disclosed = ok(await wb.call(wb.parties.ops, 'GET', `/v1/findings/${findingId}`), FindingView);
        assert.equal(disclosed.state, 'DISCLOSED');
        assert.match(await nsa.locator('#yours-title + p').innerText(), /Nothing is yours to do/);

        // CAISI filed it and reads it, but the list and the steps are the clearinghouse's.
        const caisi = await person(wb, 'caisi');
        assert.equal((await caisi.goto(`${wb.origin}/workbench/findings`))?.status(), 404);
        await caisi.goto(`${wb.origin}/workbench/findings/${findingId}`);
        assert.match(await caisi.locator('#summary').innerText(), /disclosed/);
        assert.equal(await caisi.getByRole('link', { name: 'Validate the finding' }).count(), 0);
        const step = await caisi.goto(`${wb.origin}/workbench/findings/${findingId}/acts/validateFinding`);
        assert.equal(step?.status(), 200, 'the form opens: the API judges, and refuses it');
        await caisi.getByRole('button', { name: 'Review what will be recorded' }).click();
        await caisi.getByRole('button', { name: 'Record it' }).click();
        await caisi.locator('#error-summary').waitFor();
        await assertNoViolations(caisi, 'a step refused');
      },
      { policyInForce: UNSIGNED_POLICY.id },
    );
  });
});
