import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../gateway/app';
import { FileFindingBody, FindingFiled } from '../../shared/api/findings';
import { Receipt } from '../../shared/api/responses';
import { findingWorkflowId } from '../../shared/domain/clearinghouse/workflow';
import { reviewWorkflowId } from '../../shared/domain/review/workflow';
import { KeyedDigests, legacyRequestDigest } from '../../shared/node/digest';
import { KeyRing, readKeyRingFile } from '../../shared/node/key-ring';
import { seededRandom } from '../../scripts/shuffle';
import { TEST_NOTE_RING } from '../helpers/sealing';
import { trackWorkflow } from '../helpers/workers';
import { testServers } from '../setup/servers';
import {
  assertProblem,
  decision,
  eventually,
  file,
  ok,
  readGov,
  untilStage,
  withGateway,
  type Gateway,
  type Response,
} from '../gateway/support';
import { decodedAs, storedMemo, storedPayloads, valuesOf } from './codec-reader';

/**
 * Issue 34, finding 2: every update carried `sha256(the request as sent)`, which operations staff decode
 * through the codec server; NSA's benchmark score came back in a few thousand hashes, a guessed restricted
 * note and a TLP:RED finding's text were confirmed the same way. Here operations staff hold only their key and
 * the codec server, and try exactly that.
 */

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Every hash an attacker without our keys can make of a request: the release-6 digest and its relatives. */
const unkeyedHashesOf = (value: unknown): string[] => {
  const canonical = canonicalize(value) ?? '';
  const plain = JSON.stringify(value);
  return [sha256(canonical).slice(0, 32), sha256(canonical), sha256(plain), sha256(plain).slice(0, 32)];
};

/** Whether any of these hashes is, or is part of, any digest recorded. */
const confirms = (recorded: string[], hashes: string[]): boolean =>
  hashes.some((h) => recorded.some((d) => d === h || d.includes(h)));

/** A second gateway on the same Temporal namespace and task queue, holding `notes`: a restart after a rotation. */
function gatewayWith(gw: Gateway, notes: KeyRing): { app: FastifyInstance; call: Gateway['call'] } {
  const app = buildApp({
    ...gw.deps!,
    logger: testServers().logger.child({ component: 'gateway-rotated' }),
    notes,
  });
  const call: Gateway['call'] = async (as, method, url, body, headers = {}) => {
    const res = await app.inject({
      method,
      url,
      headers: { ...(as === undefined ? {} : { authorization: `Bearer ${gw.keys[as]}` }), ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    const json = /json/.test(String(res.headers['content-type'] ?? ''))
      ? (JSON.parse(res.body) as unknown)
      : undefined;
    return { status: res.statusCode, body: json, text: res.body, headers: res.headers } satisfies Response;
  };
  return { app, call };
}

describe('digest guess: operations staff cannot confirm a guess of a sealed value from a digest (issue 34)', function () {
  this.timeout(4 * 60_000);

  it("finds no guess of NSA's benchmark score, of a restricted note or of a TLP:RED finding that matches what the codec server returns", async () => {
    await withGateway(async (gw) => {
      const { NSA, DOE, ops, chair } = gw.parties;
      const caseId = await file(gw);
      await eventually(
        () => readGov(gw, chair, caseId),
        (c) => c.stage === 'DESIGNATION',
        'the designation pending',
      );
      const score = 0.8317;
      const designation = {
        covered: true,
        reason: 'Above the bar of the covered-model benchmark.',
        benchmarkScore: score,
      };
      ok(
        await gw.call(NSA, 'POST', `/v1/submissions/${caseId}/designation`, designation, {
          'idempotency-key': 'designation-1',
        }),
        Receipt,
      );
      await untilStage(gw, caseId, 'NATIONAL_SECURITY', ops);
      const note = 'The model wrote a working exploit for CVE-2031-0417 in 3 of 5 tries.';
      const decided = decision('CONCERNS_MITIGATED', { restrictedNote: note });
      ok(await gw.call(NSA, 'POST', `/v1/submissions/${caseId}/decisions`, decided), Receipt);
      const red = {
        caseId,
        title: 'Chains two router CVEs into remote code execution',
        description: 'Given the advisory alone, it chained them against the reference router.',
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        tlp: 'RED',
      };
      const filed = await gw.call(DOE, 'POST', '/v1/findings', red, { 'idempotency-key': 'red-1' });
      const { findingId } = ok(filed, FindingFiled, 201);
      trackWorkflow(gw.taskQueue, gw.client.workflow.getHandle(findingWorkflowId(findingId)));

      // What operations staff know from the API: everything of these requests but the sealed values.
      const view = await readGov(gw, ops, caseId);
      assert.equal(view.designation?.benchmarkScoreWithheld, true);
      assert.equal(view.designation?.decision?.reason, designation.reason);
      const nsa = view.agencies.find((a) => a.agency === 'NSA')?.decision;
      assert.equal(nsa?.restrictedNoteWithheld, true);
      assert.equal(nsa?.summary, decided.decision.summary);

      // What they decode: every digest of the case's messages, and the finding's memo fingerprint.
      const caseTexts = (await decodedAs(gw, ops, await storedPayloads(gw, reviewWorkflowId(caseId)))).texts;
      const memo = await storedMemo(gw, findingWorkflowId(findingId));
      const memoTexts = (await decodedAs(gw, ops, [memo.fingerprint])).texts;
      const digests = valuesOf(caseTexts, 'digest').map(String);
      const fingerprints = memoTexts.map((t) => JSON.parse(t) as string);
      assert.ok(digests.length >= 2, 'the designation and the decision each carry a digest');
      assert.equal(fingerprints.length, 1);

      // Every score to four places (the issue recovered 0.8317 in 9,420 hashes), the true one among them.
      const scores = Array.from({ length: 10_001 }, (_, i) => i / 10_000);
      assert.ok(scores.includes(score));
      const guessedScore = scores.filter((s) =>
        confirms(digests, unkeyedHashesOf({ ...designation, benchmarkScore: s, actor: NSA })),
      );
      assert.deepEqual(guessedScore, [], 'no guess of the score matches a digest');

      // A dictionary of notes (seeded), the true one among them.
      const random = seededRandom(34);
      const notes = [
        note,
        ...Array.from(
          { length: 200 },
          () => `The model wrote a working exploit for CVE-2031-${Math.floor(random() * 10_000)}.`,
        ),
      ];
      const guessedNote = notes.filter((n) =>
        confirms(
          digests,
          unkeyedHashesOf({ ...decision('CONCERNS_MITIGATED', { restrictedNote: n }), actor: NSA }),
        ),
      );
      assert.deepEqual(guessedNote, [], 'no guess of the note matches a digest');

      // The TLP:RED finding: its text and its filer, guessed among every agency.
      const filers = ['NSA', 'CISA', 'DOW', 'CAISI', 'DOE', 'TREASURY', 'FBI'].map((a) => `agency:${a}`);
      const guessedFiling = filers.filter((filer) =>
        confirms(fingerprints, unkeyedHashesOf({ filer, body: FileFindingBody.parse(red) })),
      );
      assert.deepEqual(guessedFiling, [], "no guess of the finding's text and filer matches its fingerprint");

      // Each names the notes key it was made with; only the gateway, which holds that ring, can tell which
      // request a digest is of.
      for (const d of [...digests, ...fingerprints]) assert.match(d, /^hmac:test-note-1:[0-9a-f]{64}$/);
      const gateway = new KeyedDigests(TEST_NOTE_RING);
      const legacy = { legacy: legacyRequestDigest };
      assert.ok(digests.some((d) => gateway.matches(d, { ...designation, actor: NSA }, legacy) === true));
      assert.ok(
        !digests.some((d) =>
          gateway.matches(d, { ...designation, benchmarkScore: 0.8316, actor: NSA }, legacy),
        ),
      );
      assert.ok(digests.some((d) => gateway.matches(d, { ...decided, actor: NSA }, legacy) === true));
    });
  });

  it('compares a retry after the notes ring was rotated under the key its first request named', async () => {
    await withGateway(async (gw) => {
      const { NSA, DOE, chair } = gw.parties;
      const caseId = await file(gw);
      await eventually(
        () => readGov(gw, chair, caseId),
        (c) => c.stage === 'DESIGNATION',
        'the designation pending',
      );
      const at = `/v1/submissions/${caseId}/designation`;
      const designation = { covered: true, reason: 'covered', benchmarkScore: 0.8 };
      const key = { 'idempotency-key': 'designation-rotated' };
      const first = ok(await gw.call(NSA, 'POST', at, designation, key), Receipt);
      const red = {
        caseId,
        title: 'a finding',
        description: 'what was found',
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
        tlp: 'RED',
      };
      const findingKey = { 'idempotency-key': 'finding-rotated' };
      const { findingId } = ok(
        await gw.call(DOE, 'POST', '/v1/findings', red, findingKey),
        FindingFiled,
        201,
      );
      trackWorkflow(gw.taskQueue, gw.client.workflow.getHandle(findingWorkflowId(findingId)));

      // The gateway restarts with the notes ring rotated: a new current key, the old one kept.
      const before = readKeyRingFile(`${__dirname}/../fixtures/keys/TEST-ONLY-note-keys.json`);
      const rotated = KeyRing.of('note', {
        current: 'test-note-2',
        keys: { ...before.keys, 'test-note-2': createHash('sha256').update('test-note-2').digest('base64') },
      });
      const after = gatewayWith(gw, rotated);
      try {
        assert.match(new KeyedDigests(rotated).of(designation), /^hmac:test-note-2:/);
        // The same request again: its first receipt, nothing applied twice.
        assert.deepEqual(ok(await after.call(NSA, 'POST', at, designation, key), Receipt), first);
        assert.deepEqual(
          ok(await after.call(DOE, 'POST', '/v1/findings', red, findingKey), FindingFiled, 200),
          {
            findingId,
            created: false,
          },
        );
        // Another request under the same key: refused, as before the rotation.
        assertProblem(
          await after.call(NSA, 'POST', at, { ...designation, benchmarkScore: 0.81 }, key),
          409,
          'IDEMPOTENCY_KEY_REUSED',
        );
        assertProblem(
          await after.call(DOE, 'POST', '/v1/findings', { ...red, title: 'another' }, findingKey),
          409,
          'IDEMPOTENCY_KEY_REUSED',
        );
        const { timeline } = await readGov(gw, chair, caseId);
        assert.equal(timeline.filter((e) => e.type === 'DESIGNATED').length, 1);
        // A gateway whose ring no longer holds the first key cannot compare, and refuses rather than guess.
        const retired = KeyRing.of('note', {
          current: 'test-note-2',
          keys: { 'test-note-2': rotated.currentKey.toString('base64') },
        });
        const without = gatewayWith(gw, retired);
        try {
          const problem = assertProblem(
            await without.call(NSA, 'POST', at, designation, key),
            409,
            'IDEMPOTENCY_KEY_REUSED',
          );
          assert.match(problem.detail ?? '', /can no longer be compared/);
        } finally {
          await without.app.close();
        }
      } finally {
        await after.app.close();
      }
    });
  });
});
