import assert from 'node:assert/strict';
import { DEFAULT_POLICY } from '../../../../shared/domain/policy-presets';
import { markDeficient } from '../../../../shared/domain/review/intake';
import { MESSAGES } from '../../../../shared/domain/review/messages';
import { iso } from '../../../../shared/domain/time';
import { accepted, day, LAB, nationalSecurityDone, received, refuses, send } from './cases';

const M = MESSAGES;

describe('lab messages', () => {
  describe('supplement', () => {
    it('is refused unless the filing is deficient, as NOT_DEFICIENT', () => {
      refuses(
        M.supplement,
        accepted(),
        day(1),
        { actor: LAB, fields: { callbackUrl: 'https://x.example/h' } },
        'NOT_DEFICIENT',
      );
    });

    it('adds the fields to the filing and sends it back to intake', () => {
      const c = received({ access: undefined });
      markDeficient(c, ['access'], [], DEFAULT_POLICY, day(0));
      const access = { kind: 'WEIGHTS' as const, details: 'in a SCIF' };
      const receipt = send(M.supplement, c, day(6), { actor: LAB, fields: { access } });
      assert.equal(c.stage, 'INTAKE');
      assert.deepEqual(c.submission.access, access);
      assert.deepEqual(c.timeline.at(-1), {
        seq: receipt.seq,
        at: iso(day(6)),
        actor: LAB,
        type: 'SUPPLEMENTED',
        summary: 'supplemented access',
      });
    });
  });

  describe('answerInformationRequest', () => {
    it('is refused for a request that is not open, as INFORMATION_REQUEST_NOT_OPEN', () => {
      refuses(
        M.answerInformationRequest,
        accepted(),
        day(1),
        { actor: LAB, requestId: 'NSA-1', answer: 'x' },
        'INFORMATION_REQUEST_NOT_OPEN',
      );
    });

    it("answers the request and moves only the asking agency's deadline by the time it was open", () => {
      const c = accepted();
      send(M.requestInformation, c, day(1), { actor: 'agency:NSA', questions: ['Which evals?'] });
      send(M.answerInformationRequest, c, day(3), { actor: LAB, requestId: 'NSA-1', answer: 'All.' });
      const [r] = c.informationRequests;
      assert.deepEqual([r.status, r.answer, r.answeredAt], ['ANSWERED', 'All.', iso(day(3))]);
      assert.deepEqual(c.deadlines['agency:NATIONAL_SECURITY:NSA'].tolls, [
        { id: 'NSA-1', who: 'agency:NSA', reason: 'INFORMATION_REQUEST', from: iso(day(1)), to: iso(day(3)) },
      ]);
      assert.deepEqual(c.deadlines['agency:NATIONAL_SECURITY:CISA'].tolls, []);
      refuses(
        M.answerInformationRequest,
        c,
        day(4),
        { actor: LAB, requestId: 'NSA-1', answer: 'again' },
        'INFORMATION_REQUEST_NOT_OPEN',
      );
    });
  });

  describe('amendReleaseDate', () => {
    it('is refused for a date already past, as RELEASE_DATE_INVALID', () => {
      refuses(
        M.amendReleaseDate,
        accepted(),
        day(10),
        { actor: LAB, plannedReleaseDate: iso(day(9)) },
        'RELEASE_DATE_INVALID',
      );
    });

    it("is refused inside the policy's minimum notice, as RELEASE_DATE_INVALID", () => {
      const c = accepted();
      c.policy = { ...c.policy!, minimumNoticeDays: 30 };
      refuses(
        M.amendReleaseDate,
        c,
        day(10),
        { actor: LAB, plannedReleaseDate: iso(day(20)) },
        'RELEASE_DATE_INVALID',
      );
    });

    it('ends the window at an earlier release, flags SHORT_NOTICE and compresses the open government deadlines', () => {
      const c = accepted();
      send(M.amendReleaseDate, c, day(10), { actor: LAB, plannedReleaseDate: iso(day(50)) });
      assert.equal(c.deadlines.window.baseDue, iso(day(50)));
      assert.equal(c.shortNotice, true);
      // Day 45 keeps its share of the time left: 10 + 35 * (40 / 80).
      assert.equal(c.deadlines['stage:NATIONAL_SECURITY'].baseDue, iso(day(27.5)));
      assert.equal(c.deadlines['stage:NATIONAL_SECURITY'].capAt, iso(day(50)));
    });

    it('grows the window back to its natural end, not beyond, when the release moves later again', () => {
      const c = accepted();
      send(M.amendReleaseDate, c, day(10), { actor: LAB, plannedReleaseDate: iso(day(50)) });
      send(M.amendReleaseDate, c, day(11), { actor: LAB, plannedReleaseDate: iso(day(200)) });
      assert.equal(c.deadlines.window.baseDue, iso(day(90)));
      assert.equal(c.deadlines.determination.capAt, iso(day(90)));
    });
  });

  describe('respondToExtensionOffer', () => {
    it('is refused without an open offer, as NO_EXTENSION_OFFER', () => {
      refuses(
        M.respondToExtensionOffer,
        accepted(),
        day(1),
        { actor: LAB, offerId: 'offer-1', accept: true },
        'NO_EXTENSION_OFFER',
      );
    });

    it('moves the window to the end the offer proposed when the lab consents', () => {
      // CAISI's day-75 deadline, compressed into a 50-day window (day 41.7), extended by 10 days, passes day 50.
      const c = accepted({ plannedReleaseDate: iso(day(50)) });
      nationalSecurityDone(c, M.recordDecision, day(2));
      send(M.requestExtension, c, day(3), { actor: 'agency:CAISI', days: 10, reason: 'more time' });
      const [offer] = c.extensionOffers;
      assert.ok(offer !== undefined, 'the window is at risk and an extension is offered');
      send(M.respondToExtensionOffer, c, day(3), { actor: LAB, offerId: offer.id, accept: true });
      assert.equal(c.deadlines.window.baseDue, offer.proposedWindowEnd);
      assert.equal(c.extensionOffers[0].response, 'ACCEPTED');
      refuses(
        M.respondToExtensionOffer,
        c,
        day(4),
        { actor: LAB, offerId: offer.id, accept: false },
        'NO_EXTENSION_OFFER',
      );
    });
  });

  describe('withdraw', () => {
    it('closes the case as WITHDRAWN with the reason on the record', () => {
      const c = accepted();
      send(M.withdraw, c, day(10), { actor: LAB, reason: 'not ready' });
      assert.deepEqual([c.stage, c.closedReason, c.closedAt], ['CLOSED', 'WITHDRAWN', iso(day(10))]);
      assert.deepEqual(c.labEvents.at(-2)?.payload, { reason: 'not ready' });
    });
  });

  describe('reportRelease', () => {
    it('is refused for a release in the future, as RELEASE_DATE_INVALID', () => {
      refuses(
        M.reportRelease,
        accepted(),
        day(10),
        { actor: LAB, releasedAt: iso(day(11)) },
        'RELEASE_DATE_INVALID',
      );
    });

    it('closes the case as RELEASED, early, with REVIEW_INCOMPLETE when no determination was issued', () => {
      const c = accepted();
      send(M.reportRelease, c, day(10), { actor: LAB });
      assert.deepEqual(c.release, { releasedAt: iso(day(10)), reportedAt: iso(day(10)), early: true });
      assert.deepEqual([c.closedReason, c.determination?.outcome], ['RELEASED', 'REVIEW_INCOMPLETE']);
    });
  });

  describe('changeCallbackEndpoint', () => {
    it('is refused for the endpoint already in use, as NO_CHANGE', () => {
      const c = accepted();
      refuses(
        M.changeCallbackEndpoint,
        c,
        day(1),
        { actor: LAB, callbackUrl: c.submission.callbackUrl! },
        'NO_CHANGE',
      );
    });

    it('sends what is pending, starting with a failing event, to the new endpoint', () => {
      const c = accepted();
      c.callbacks.blockedOn = c.labEvents[0].id;
      send(M.changeCallbackEndpoint, c, day(1), { actor: LAB, callbackUrl: 'https://new.acme.example/hook' });
      assert.equal(c.submission.callbackUrl, 'https://new.acme.example/hook');
      assert.equal(c.callbacks.blockedOn, undefined);
      assert.equal(c.callbacks.endpointChanges, 1);
      assert.equal(c.labEvents.at(-1)?.type, 'CALLBACK_ENDPOINT_CHANGED');
    });

    it('is accepted after the case closed, while callbacks are still undelivered', () => {
      const c = accepted();
      send(M.withdraw, c, day(1), { actor: LAB });
      send(M.changeCallbackEndpoint, c, day(2), { actor: LAB, callbackUrl: 'https://new.acme.example/hook' });
      assert.equal(c.submission.callbackUrl, 'https://new.acme.example/hook');
    });
  });

  describe('budgets and no-ops (policy version 2)', () => {
    it('refuses an amendment to the date already planned, as NO_CHANGE', () => {
      const c = accepted();
      refuses(
        M.amendReleaseDate,
        c,
        day(1),
        { actor: LAB, plannedReleaseDate: c.submission.plannedReleaseDate },
        'NO_CHANGE',
      );
    });

    it('refuses a supplement that changes no field, as NO_CHANGE', () => {
      const c = received({ access: undefined });
      markDeficient(c, ['access'], [], DEFAULT_POLICY, day(0));
      refuses(
        M.supplement,
        c,
        day(1),
        { actor: LAB, fields: { model: { name: 'Frontier-1' } } },
        'NO_CHANGE',
      );
    });

    it('refuses the 21st amendment from the lab, as MESSAGE_BUDGET_EXHAUSTED', () => {
      const c = accepted();
      for (let i = 1; i <= 20; i++) {
        send(M.amendReleaseDate, c, day(1), { actor: LAB, plannedReleaseDate: iso(day(200 + i)) });
      }
      refuses(
        M.amendReleaseDate,
        c,
        day(1),
        { actor: LAB, plannedReleaseDate: iso(day(300)) },
        'MESSAGE_BUDGET_EXHAUSTED',
      );
    });

    it('refuses the 11th endpoint change, alternating or not, as MESSAGE_BUDGET_EXHAUSTED', () => {
      const c = accepted();
      for (let i = 1; i <= 10; i++) {
        send(M.changeCallbackEndpoint, c, day(1), {
          actor: LAB,
          callbackUrl: `https://h${i % 2}.acme.example/hook`,
        });
      }
      refuses(
        M.changeCallbackEndpoint,
        c,
        day(1),
        { actor: LAB, callbackUrl: 'https://h1.acme.example/hook' },
        'MESSAGE_BUDGET_EXHAUSTED',
      );
    });

    it('bounds supplements to a deficient filing by the policy intake found', () => {
      const c = received({ access: undefined, callbackUrl: undefined });
      for (let i = 1; i <= 10; i++) {
        markDeficient(c, ['callbackUrl'], [], DEFAULT_POLICY, day(0));
        send(M.supplement, c, day(1), {
          actor: LAB,
          fields: { callbackUrl: `https://h${i}.acme.example/hook` },
        });
      }
      markDeficient(c, ['callbackUrl'], [], DEFAULT_POLICY, day(0));
      refuses(
        M.supplement,
        c,
        day(1),
        { actor: LAB, fields: { callbackUrl: 'https://h99.acme.example/hook' } },
        'MESSAGE_BUDGET_EXHAUSTED',
      );
    });

    it('sets no budget for a case pinned to policy version 1', () => {
      const c = accepted();
      c.policy = { ...c.policy!, version: 1, budgets: undefined };
      for (let i = 1; i <= 25; i++) {
        send(M.amendReleaseDate, c, day(1), { actor: LAB, plannedReleaseDate: iso(day(200 + i)) });
      }
      assert.equal(c.timeline.filter((e) => e.type === 'RELEASE_DATE_AMENDED').length, 25);
    });
  });
});
