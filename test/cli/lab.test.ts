import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { Receipt, SubmissionCreated } from '../../shared/api/responses';
import { CallbackSecretRotated } from '../../shared/api/callback-secrets';
import { CallbackSecrets } from '../../shared/node/callback-secrets';
import { eventually, file, filing, ok, read, readGov, untilStage } from '../gateway/support';
import { dayDue, endOfDay } from '../helpers/washington';

/** The CLI's "in 3d 4h" for a due time, as it was when the CLI ran (an hour boundary may have passed since). */
function timeLeft(due: string | number): string {
  const hours = Math.floor((new Date(due).getTime() - Date.now()) / 3_600_000);
  const text = (h: number) => `${Math.floor(h / 24)}d ${h % 24}h`;
  return `(${text(hours)}|${text(hours + 1)})`;
}
import {
  cells,
  filingFile,
  jsonOf,
  openLiveApi,
  rowOf,
  scratch,
  shown,
  succeeded,
  receipt,
  refused,
  type LiveApi,
  exited,
} from './support';

/** The `label  value` block at the top of `cases show`, as a map. */
function summaryBlock(text: string): Record<string, string> {
  const [, block] = text.split('\n\n');
  const pairs = block.split('\n').map((l): [string, string] => {
    const [label, value] = l.split(/ {2,}(.*)/s);
    return [label, value];
  });
  return Object.fromEntries(pairs);
}

describe('cli: lab commands', () => {
  let api: LiveApi;
  // Each test has its own gateway, worker and namespace: what it lists and counts is what it made.
  beforeEach(async () => {
    api = await openLiveApi();
  });
  afterEach(async () => {
    await api.close();
  });

  it('files a submission from a JSON file, gets the same case on a retry, and reads its case', async () => {
    const { gw } = api;
    const { lab } = gw.parties;
    const { id, file: filingPath } = filingFile();
    const retryKey = `file-${id}`;
    const first = await api.as(lab, 'submit', '--file', filingPath, '--idempotency-key', retryKey);
    const caseId = `${lab.slice('lab:'.length)}:${id}`;
    assert.equal(succeeded(first), `Filed ${id}: a new case, ${caseId}\n`);
    const again = await api.as(lab, 'submit', '--file', filingPath, '--idempotency-key', retryKey, '--json');
    assert.deepEqual(jsonOf(again, SubmissionCreated), { caseId, submissionId: id, created: false });

    await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
    // Every callback so far reaches the lab's receiver, so the case stands still.
    await eventually(
      () => read(gw, lab, id),
      (v) => v.callbacks.pending === 0,
      'callbacks delivered',
    );
    const out = succeeded(await api.as(lab, 'cases', 'show', id));
    const view = await read(gw, lab, id);
    assert.equal(view.view, 'lab');

    assert.match(
      out.split('\n')[0],
      new RegExp(`^Case ${caseId} \\(lab view, as of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\dZ\\)$`),
    );
    const summary = summaryBlock(out);
    // The window ends at 24:00 in Washington on day 90 after acceptance, so 90 days and some hours from now.
    const accepted = Date.parse(view.timeline.find((e) => e.type === 'ACCEPTED')!.at);
    assert.equal(Date.parse(view.windowEnd!), endOfDay(accepted, 90));
    assert.match(
      summary['window end'],
      new RegExp(`^${shown(view.windowEnd!)} \\(in ${timeLeft(view.windowEnd!)}\\)$`),
    );
    // The national-security stage is due at 17:00 in Washington on day 45, or the next business day.
    const nsDue = dayDue(accepted, 45);
    assert.match(
      summary['next deadline'],
      new RegExp(
        `^stage:NATIONAL_SECURITY \\(government\\) ${shown(new Date(nsDue).toISOString())} \\(in ${timeLeft(nsDue)}\\)$`,
      ),
    );
    assert.match(summary.designation, /^covered by NSA .+: designated covered by the test$/);
    delete summary['window end'];
    delete summary['next deadline'];
    delete summary.designation;
    assert.deepEqual(summary, {
      lab: lab.slice(4),
      model: 'Frontier-1 1.0 (3e+26 FLOP)',
      stage: 'NATIONAL_SECURITY',
      policy: 'draft-2026-90d v8',
      flags: 'none',
      received: shown(view.receivedAt),
      accepted: shown(view.acceptedAt!),
      release: `planned ${shown(view.plannedReleaseDate)}`,
      screen: `covered: ${view.screen!.reason}`,
      callbacks: '5 of 5 delivered, 0 pending',
    });

    assert.deepEqual(rowOf(out, 'DEADLINE'), ['DEADLINE', 'PARTY', 'DUE', 'URGENCY', 'LEDGER']);
    // The designation's deadline was met before day 0; the review's are all ahead.
    for (const d of view.deadlines.filter((x) => x.key !== 'designation')) {
      const [key, party, due, urgency, ledger] = rowOf(out, d.key);
      assert.deepEqual([key, party, urgency, ledger], [d.key, d.party, 'ON_TRACK', '-']);
      assert.match(due, new RegExp(`^${shown(d.dueAt)} \\(in \\d+d \\d+h\\)$`));
    }
    // The lab's view of the agencies: who reviews when, never their positions.
    assert.deepEqual(rowOf(out, 'AGENCY'), ['AGENCY', 'STAGE', 'STATE', 'DUE']);
    assert.deepEqual(rowOf(out, 'CAISI').slice(0, 3), ['CAISI', 'CIVILIAN', 'NOT_OPEN']);
    assert.deepEqual(rowOf(out, 'SEQ'), ['SEQ', 'AT', 'ACTOR', 'TYPE', 'SUMMARY']);
    const timeline = out.slice(out.indexOf('\nTimeline ')).split('\n').slice(3, -1);
    assert.equal(
      out.split('\n').find((l) => l.startsWith('Timeline ')),
      `Timeline (${view.timeline.length} entries)`,
    );
    assert.deepEqual(
      timeline.map(cells),
      view.timeline.map((e) => [
        String(e.seq),
        shown(e.at),
        e.actor,
        e.type,
        e.summary.length <= 80 ? e.summary : `${e.summary.slice(0, 79)}…`,
      ]),
    );
  });

  it('rotates its callback secret, shows its state and completes the rotation, and redelivers only its own cases', async () => {
    const { gw } = api;
    const { lab, otherLab } = gw.parties;
    const labId = lab.slice('lab:'.length);
    const secretsBefore = CallbackSecrets.fromFile(gw.files.callbackSecretsFile).secretsFor(labId);
    assert.equal(
      succeeded(await api.as(lab, 'callback-secret', 'show')),
      `Callbacks of ${labId} are signed with one secret\n`,
    );
    refused(await api.as(lab, 'callback-secret', 'complete'), 409, 'CALLBACK_SECRET_NOT_ROTATING');
    const rotated = jsonOf(await api.as(lab, 'callback-secret', 'rotate', '--json'), CallbackSecretRotated);
    assert.deepEqual(CallbackSecrets.fromFile(gw.files.callbackSecretsFile).secretsFor(labId), [
      ...secretsBefore,
      rotated.secret,
    ]);
    assert.match(
      succeeded(await api.as(lab, 'callback-secret', 'show')),
      /^Callbacks of .+ are signed with two secrets: a rotation is under way\n$/,
    );
    assert.equal(
      succeeded(await api.as(lab, 'callback-secret', 'complete')),
      `Callbacks of ${labId} are signed with one secret\n`,
    );
    assert.deepEqual(CallbackSecrets.fromFile(gw.files.callbackSecretsFile).secretsFor(labId), [
      rotated.secret,
    ]);

    // The ops command `redeliver` is the lab's too, on its own cases only.
    const id = await file(gw);
    refused(await api.as(lab, 'redeliver', id), 409, 'NOTHING_TO_REDELIVER');
    refused(await api.as(otherLab, 'redeliver', id), 404, 'CASE_NOT_FOUND');
  });

  it('exits 1 when the API refuses a filing, with every problem in it', async () => {
    const bad = path.join(scratch, 'bad-filing.json');
    const { plannedReleaseDate: _dropped, ...rest } = filing();
    writeFileSync(bad, JSON.stringify({ ...rest, model: { name: '' } }));
    const run = await api.as(api.gw.parties.lab, 'submit', '--file', bad);
    exited(run, 1);
    assert.equal(run.stdout, '');
    const lines = run.stderr.split('\n');
    assert.equal(lines[0], 'error: 400 VALIDATION_FAILED: the request does not match the schema');
    assert.deepEqual(
      lines
        .slice(1, -2)
        .map((l) => l.replace(/: .*$/, ''))
        .sort(),
      ['  body /model/name', '  body /plannedReleaseDate'],
    );
    assert.match(lines.at(-2)!, /^ {2}request id: [0-9a-f-]{36}$/);
  });

  it('answers, amends and reports on its case, each a timeline entry, and is refused what the case does not allow', async () => {
    const { gw } = api;
    const { lab, NSA, ops } = gw.parties;
    const id = await file(gw);
    await untilStage(gw, id, 'NATIONAL_SECURITY', lab);
    ok(
      await gw.call(NSA, 'POST', `/v1/submissions/${id}/information-requests`, {
        questions: ['Which evals?'],
      }),
      Receipt,
    );
    const [request] = (await read(gw, lab, id)).informationRequests;

    const newRelease = new Date(
      Date.parse((await read(gw, lab, id)).plannedReleaseDate) + 86_400_000,
    ).toISOString();
    const [answered, amended, moved, supplemented, consented] = await Promise.all([
      api.as(lab, 'answer', id, request.id, 'The full cyber suite, at scale.'),
      api.as(lab, 'amend-release', id, newRelease),
      api.as(lab, 'callback-endpoint', id, 'https://callbacks.acme.example/v2'),
      api.as(lab, 'supplement', id, '--callback-url', 'https://callbacks.acme.example/v3'),
      api.as(lab, 'extension-offer', 'accept', id, 'offer-1'),
    ]);
    const seqs = {
      INFORMATION_ANSWERED: receipt(answered, `Answered request ${request.id} on ${id}`),
      RELEASE_DATE_AMENDED: receipt(amended, `Planned release of ${id} moved to ${newRelease}`),
      CALLBACK_ENDPOINT_CHANGED: receipt(
        moved,
        `Callbacks of ${id} now go to https://callbacks.acme.example/v2`,
      ),
    };
    refused(supplemented, 409, 'NOT_DEFICIENT');
    refused(consented, 409, 'NO_EXTENSION_OFFER');

    const released = await api.as(lab, 'report-release', id);
    const reported = receipt(released, `Reported the release of ${id}`);
    refused(await api.as(lab, 'withdraw', id, '--reason', 'too late'), 409, 'CASE_CLOSED');

    const view = await readGov(gw, ops, id);
    const typeOf = (seq: number) => view.timeline.find((e) => e.seq === seq)?.type;
    for (const [type, seq] of Object.entries(seqs)) assert.equal(typeOf(seq), type);
    assert.equal(typeOf(reported), 'RELEASE_REPORTED');
    assert.equal(view.plannedReleaseDate, newRelease);
    assert.equal(view.callbackUrl, 'https://callbacks.acme.example/v2');
    assert.equal(view.closedReason, 'RELEASED');
  });
});
