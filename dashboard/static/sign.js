/* global document, window, URLSearchParams, TextEncoder, crypto */
// A reviewer records a decision, signed with their passkey (issue 36): the form, then a confirmation of exactly
// what will be recorded (in words, Washington time, and the statement's own text), then the passkey's signature
// over that statement, sent with the decision. Nothing is recorded until the passkey signs.

import { api, base64url, el, fmtWashington, human, withSession } from './common.js';

const webauthn = globalThis.SimpleWebAuthnBrowser;
const $ = (id) => document.getElementById(id);

/** The decision the form describes, as the API's body. */
function decisionOf(form) {
  const data = new globalThis.FormData(form);
  const text = (name) => String(data.get(name) || '').trim();
  const commitments = text('commitments')
    .split('\n')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  return {
    caseId: text('case'),
    body: {
      decision: {
        kind: text('kind'),
        summary: text('summary'),
        ...(text('restrictedNote') === '' ? {} : { restrictedNote: text('restrictedNote') }),
        ...(commitments.length === 0 ? {} : { commitments }),
      },
    },
  };
}

/** 'CONCERNS_UNRESOLVED' → 'Concerns unresolved'. */
const sentence = (s) => {
  const words = human(s);
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The statement in plain words: who, as whom, on which case, what, and when (Washington time). */
function describe(statement, prepared, caseId) {
  const by = statement.by;
  const d = statement.fields.decision;
  const facts = [
    [
      'Who signs',
      by.kind === 'PERSON' ? `${by.name || by.subject} (${by.subject} at ${by.issuer})` : by.keyId,
    ],
    ['Acting as', statement.principal],
    ['Case', caseId],
    ['Decision', sentence(d.kind)],
    ['Summary the lab reads', d.summary],
    [
      'Restricted note',
      d.restrictedNote === undefined
        ? 'none'
        : 'sealed: the record keeps it sealed, and your signature covers a commitment to it, not its text',
    ],
    ['Commitments', d.commitments && d.commitments.length > 0 ? d.commitments.join('; ') : 'none'],
    ['Signed at', fmtWashington(statement.at)],
    ['Sign before', fmtWashington(prepared.signBefore)],
  ];
  $('confirm-facts').replaceChildren(
    ...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]),
  );
  $('statement').textContent = prepared.statement;
}

withSession(() => {
  const form = $('act-form');
  const caseParam = new URLSearchParams(window.location.search).get('case');
  if (caseParam) $('case-id').value = caseParam;
  let pending;
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    $('form-error').textContent = '';
    const { caseId, body } = decisionOf(form);
    if (caseId === '') {
      $('form-error').textContent = 'Name the case.';
      return;
    }
    try {
      const prepared = await api('POST', `/v1/submissions/${encodeURIComponent(caseId)}/statements`, {
        message: 'recordDecision',
        body,
      });
      if (!prepared.passkey || prepared.passkey.allowCredentials.length === 0) {
        $('form-error').textContent =
          'Register a passkey first (Passkeys, in the menu): acts are signed with it.';
        return;
      }
      pending = { caseId, body, prepared };
      describe(JSON.parse(prepared.statement), prepared, caseId);
      form.hidden = true;
      $('confirm').hidden = false;
      $('confirm-title').focus();
    } catch (err) {
      $('form-error').textContent = err.message;
    }
  });
  $('change').addEventListener('click', () => {
    pending = undefined;
    $('confirm').hidden = true;
    form.hidden = false;
  });
  $('sign').addEventListener('click', async () => {
    $('sign-error').textContent = '';
    if (!webauthn || !webauthn.browserSupportsWebAuthn()) {
      $('sign-error').textContent = 'This browser cannot sign with a passkey.';
      return;
    }
    try {
      const assertion = await webauthn.startAuthentication({ optionsJSON: pending.prepared.passkey });
      const receipt = await api(
        'POST',
        `/v1/submissions/${encodeURIComponent(pending.caseId)}/decisions`,
        pending.body,
        {
          'act-statement': pending.prepared.encoded,
          'act-passkey': base64url(new TextEncoder().encode(JSON.stringify(assertion))),
          'idempotency-key': base64url(crypto.getRandomValues(new Uint8Array(16))),
        },
      );
      $('confirm').hidden = true;
      $('done').hidden = false;
      $('done-text').textContent =
        `Your decision on ${pending.caseId} is recorded, signed with your passkey` +
        (receipt && receipt.stage ? `; the case is now in ${human(receipt.stage)}.` : '.');
      $('done-title').focus();
    } catch (err) {
      $('sign-error').textContent = `Not recorded: ${err.message}`;
    }
  });
}, ['agency', 'chair']);
