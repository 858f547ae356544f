import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import type { ActedBy } from '../../../../shared/domain/acted-by';
import { MESSAGES as M } from '../../../../shared/domain/review/messages';
import type { SignedAct } from '../../../../shared/domain/signed-act';
import { buildStatement, publicJwkOf, signStatement } from '../../../../shared/node/act-statement';
import { KeyedDigests } from '../../../../shared/node/digest';
import { TEST_NOTE_RING } from '../../../helpers/sealing';
import { accepted, day, LAB, refuses, send } from './cases';

const NSA_SYSTEM = {
  kind: 'SYSTEM',
  keyId: 'key_nsa00001',
  holder: 'NSA review desk',
} as const satisfies ActedBy;
const CASE = 'acme:sub-1';
const NOTE = `sealed:v2:n1:${'A'.repeat(60)}`;
const digests = new KeyedDigests(TEST_NOTE_RING);
const pair = generateKeyPairSync('ed25519');

/** A signed act as the gateway passes it on: the statement of `fields` for `message`, signed by NSA's system. */
async function signedAct(
  message: 'recordDecision' | 'requestExtension' | 'requestInformation',
  fields: Record<string, unknown>,
  over: { record?: string; by?: ActedBy } = {},
): Promise<SignedAct> {
  const { text } = buildStatement(
    { record: over.record ?? CASE, message, fields, principal: 'agency:NSA', by: over.by ?? NSA_SYSTEM },
    digests,
    day(1).toISOString(),
  );
  const { jwk, id } = await publicJwkOf(pair.publicKey);
  return {
    statement: text,
    proof: {
      kind: 'JWS',
      jws: await signStatement(text, pair.privateKey, id),
      key: {
        id,
        jwk,
        apiKeyId: NSA_SYSTEM.keyId,
        holder: NSA_SYSTEM.holder,
        registeredAt: day(0).toISOString(),
      },
    },
  };
}

const mitigated = (note?: string) => ({
  kind: 'CONCERNS_MITIGATED',
  summary: 'mitigated',
  commitments: ['keep the refusal layer on'],
  ...(note === undefined ? {} : { restrictedNote: note }),
});

/**
 * Issue 36, part 2: the case checks a signed act's statement against the message itself, so a signature the
 * gateway never saw (sent by whoever holds the payload keys: a worker host) cannot stand for another act.
 */
describe('signed acts, as the case checks them', () => {
  it('records the signed statement on the act it made, and refuses one for another case, message, sender or content', async () => {
    const signed = await signedAct('recordDecision', { decision: mitigated('the plain note') });
    const msg = { actor: 'agency:NSA', by: NSA_SYSTEM, decision: mitigated(NOTE), signed };

    // Another case's statement, another message's, another sender's, another content, a note not committed to.
    const otherCase = await signedAct(
      'recordDecision',
      { decision: mitigated('the plain note') },
      { record: 'acme:sub-2' },
    );
    const otherMessage = await signedAct('requestExtension', { days: 3, reason: 'more time' });
    const otherSender = await signedAct(
      'recordDecision',
      { decision: mitigated('the plain note') },
      { by: { ...NSA_SYSTEM, keyId: 'key_nsa00002' } },
    );
    const noNote = await signedAct('recordDecision', { decision: mitigated() });
    const c = accepted();
    for (const [, bad] of [
      ['another case', { ...msg, signed: otherCase }],
      ['another message', { ...msg, signed: otherMessage }],
      ['another sender', { ...msg, signed: otherSender }],
      ['another kind', { ...msg, decision: { ...mitigated(NOTE), kind: 'CONCERNS_UNRESOLVED' } }],
      ['a note the statement does not commit to', { ...msg, signed: noNote }],
      ['a statement that is not JSON', { ...msg, signed: { ...signed, statement: `${signed.statement} x` } }],
    ] as const) {
      refuses(M.recordDecision, c, day(1), bad, 'SIGNATURE_INVALID');
    }
    // A message that is never signed carries no signature at all.
    refuses(M.withdraw, c, day(1), { actor: 'lab:acme', reason: 'not yet', signed }, 'VALIDATION_FAILED');

    send(M.recordDecision, c, day(1), msg);
    const made = c.timeline.filter((e) => e.signed !== undefined);
    assert.deepEqual(
      made.map((e) => [e.type, e.actor, e.by, e.signed]),
      [['DECISION_RECORDED', 'agency:NSA', NSA_SYSTEM, signed]],
    );

    // A signature applies once: the same signed information request, sent again under another update.
    const asking = { questions: ['what changed in the refusal layer?'] };
    const twice = accepted();
    const askedOnce = {
      actor: 'agency:NSA',
      by: NSA_SYSTEM,
      ...asking,
      signed: await signedAct('requestInformation', asking),
    };
    send(M.requestInformation, twice, day(1), askedOnce);
    // (The open request would refuse a second one anyway: answer it first, so only the signature can.)
    const request = twice.informationRequests[0];
    send(M.answerInformationRequest, twice, day(2), {
      actor: LAB,
      requestId: request.id,
      answer: 'the layer',
    });
    refuses(M.requestInformation, twice, day(2), askedOnce, 'SIGNATURE_INVALID');
    const fresh = { ...askedOnce, signed: await signedAct('requestInformation', asking) };
    send(M.requestInformation, twice, day(2), fresh);
  });
});
