/* global document, window, URLSearchParams, TextEncoder, crypto */
// A reviewer's or the chair's act that decides, signed with their passkey (issue 36): a form for the act, then a
// confirmation of exactly what will be recorded (in words, Washington time, and the statement's own text), then
// the passkey's signature over that statement, sent with the act. Nothing is recorded until the passkey signs.

import { api, base64url, el, fmtWashington, human, withSession } from './common.js';

const webauthn = globalThis.SimpleWebAuthnBrowser;
const $ = (id) => document.getElementById(id);

/** Where each kind of record is, and what the form calls it. */
const RECORDS = {
  case: { label: 'Case', base: '/v1/submissions/' },
  lab: { label: 'Lab', base: '/v1/labs/' },
  finding: { label: 'Finding', base: '/v1/findings/' },
};

const lines = (name, label, required = false) => ({ name, label, kind: 'lines', required });
const text = (name, label, required = true) => ({ name, label, kind: 'textarea', required });
const choice = (name, label, options) => ({ name, label, kind: 'select', options });
const COMMITMENTS = lines('commitments', 'Commitments the lab must keep (one per line)');

/** Each act a person signs: who makes it, on which record, its route, and its form's fields. */
const ACTS = {
  recordDecision: {
    role: 'agency',
    title: 'Record your decision',
    record: 'case',
    path: 'decisions',
    nest: 'decision',
    fields: [
      choice('kind', 'Decision', [
        ['NO_CONCERNS', 'No concerns'],
        ['CONCERNS_MITIGATED', 'Concerns mitigated (needs commitments)'],
        ['CONCERNS_UNRESOLVED', 'Concerns unresolved'],
        ['UNABLE_TO_ASSESS', 'Unable to assess'],
      ]),
      text('summary', 'Summary (the lab reads it)'),
      text('restrictedNote', 'Restricted note (government only; sealed)', false),
      COMMITMENTS,
    ],
  },
  requestExtension: {
    role: 'agency',
    title: 'Extend your deadline',
    record: 'case',
    path: 'extensions',
    fields: [{ name: 'days', label: 'Days', kind: 'integer', required: true }, text('reason', 'Reason')],
  },
  requestInformation: {
    role: 'agency',
    title: 'Ask the lab for information',
    record: 'case',
    path: 'information-requests',
    fields: [lines('questions', 'Questions (one per line)', true)],
  },
  designateCoverage: {
    role: 'agency',
    title: 'Designate whether the model is covered',
    record: 'case',
    path: 'designation',
    fields: [
      choice('covered', 'Covered', [
        ['true', 'Covered'],
        ['false', 'Not covered'],
      ]),
      text('reason', 'Reason'),
      { name: 'benchmarkScore', label: 'Benchmark score, 0 to 1 (sealed)', kind: 'number', required: false },
    ],
  },
  validateFinding: {
    role: 'agency',
    title: 'Validate a finding',
    record: 'finding',
    path: 'validation',
    fields: [text('note', 'Note (sealed)', false)],
  },
  discloseFinding: {
    role: 'agency',
    title: 'Disclose a finding',
    record: 'finding',
    path: 'disclosure',
    fields: [text('note', 'Note (sealed)', false)],
  },
  resolveEscalation: {
    role: 'chair',
    title: 'Resolve an escalation',
    record: 'case',
    path: 'escalation/resolution',
    fields: [
      choice('outcome', 'Outcome', [
        ['NO_CONCERNS_IDENTIFIED', 'No concerns identified'],
        ['PROCEED_WITH_COMMITMENTS', 'Proceed with commitments'],
        ['DEFERRAL_RECOMMENDED', 'Deferral recommended'],
        ['INSUFFICIENT_ACCESS', 'Insufficient access'],
      ]),
      text('rationale', 'Rationale'),
      COMMITMENTS,
    ],
  },
  designateTrustedPartner: {
    role: 'chair',
    title: 'Designate a lab a trusted partner',
    record: 'lab',
    path: 'designation',
    fields: [text('reason', 'Reason')],
  },
  revokeTrustedPartner: {
    role: 'chair',
    title: 'Revoke a lab’s trusted-partner status',
    record: 'lab',
    path: 'revocation',
    fields: [text('reason', 'Reason')],
  },
};

/** 'CONCERNS_UNRESOLVED' → 'Concerns unresolved'. */
const sentence = (s) => {
  const words = human(s);
  return words.charAt(0).toUpperCase() + words.slice(1);
};

/** The form's inputs for an act, each with its label. */
function drawFields(act) {
  $('act-fields').replaceChildren(
    el('legend', { className: 'visually-hidden', text: act.title }),
    ...act.fields.map((f) => {
      const id = `field-${f.name}`;
      const input =
        f.kind === 'select'
          ? el(
              'select',
              { id, name: f.name },
              ...f.options.map(([v, t]) => el('option', { value: v, text: t })),
            )
          : f.kind === 'textarea' || f.kind === 'lines'
            ? el('textarea', { id, name: f.name, rows: 3, required: f.required })
            : el('input', {
                id,
                name: f.name,
                type: 'number',
                step: f.kind === 'integer' ? '1' : 'any',
                required: f.required,
              });
      return el('p', {}, el('label', { for: id, text: f.label }), input);
    }),
  );
}

/** The act's body as the API takes it, from the form. */
function bodyOf(act, form) {
  const data = new globalThis.FormData(form);
  const fields = {};
  for (const f of act.fields) {
    const raw = String(data.get(f.name) || '').trim();
    if (raw === '') continue;
    if (f.kind === 'lines') {
      const items = raw
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      if (items.length > 0) fields[f.name] = items;
    } else if (f.kind === 'integer' || f.kind === 'number') fields[f.name] = Number(raw);
    else if (f.name === 'covered') fields[f.name] = raw === 'true';
    else fields[f.name] = raw;
  }
  return act.nest ? { [act.nest]: fields } : fields;
}

/** A statement's field in words: a commitment is a sealed value, never its text. */
function inWords(key, value) {
  if (typeof value === 'string' && value.startsWith('hmac:')) {
    return 'sealed: the record keeps it sealed, and your signature covers a commitment to it, not its text';
  }
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join('; ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (key === 'kind' || key === 'outcome') return sentence(value);
  return String(value);
}

/** The statement in plain words: who, as whom, on which record, what, and when (Washington time). */
function describe(act, statement, prepared, recordId) {
  const by = statement.by;
  const fields = act.nest ? statement.fields[act.nest] : statement.fields;
  const labels = Object.fromEntries(act.fields.map((f) => [f.name, f.label]));
  const facts = [
    [
      'Who signs',
      by.kind === 'PERSON' ? `${by.name || by.subject} (${by.subject} at ${by.issuer})` : by.keyId,
    ],
    ['Acting as', statement.principal],
    [RECORDS[act.record].label, recordId],
    ['What', act.title],
    ...act.fields.map((f) => [
      labels[f.name],
      fields[f.name] === undefined ? 'none' : inWords(f.name, fields[f.name]),
    ]),
    ['Signed at', fmtWashington(statement.at)],
    ['Sign before', fmtWashington(prepared.signBefore)],
  ];
  $('confirm-facts').replaceChildren(
    ...facts.flatMap(([k, v]) => [el('dt', { text: k }), el('dd', { text: v })]),
  );
  $('statement').textContent = prepared.statement;
}

withSession(
  (me) => {
    const form = $('act-form');
    const params = new URLSearchParams(window.location.search);
    const mine = Object.entries(ACTS).filter(([, a]) => a.role === me.role);
    $('act').replaceChildren(...mine.map(([name, a]) => el('option', { value: name, text: a.title })));
    const wanted = params.get('act');
    if (wanted && mine.some(([name]) => name === wanted)) $('act').value = wanted;
    const current = () => ACTS[$('act').value];
    const show = () => {
      const act = current();
      $('record-label').textContent = RECORDS[act.record].label;
      $('record-id').value = params.get(act.record) || '';
      drawFields(act);
    };
    $('act').addEventListener('change', show);
    show();

    let pending;
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      $('form-error').textContent = '';
      const message = $('act').value;
      const act = ACTS[message];
      const recordId = $('record-id').value.trim();
      if (recordId === '') {
        $('form-error').textContent = `Name the ${RECORDS[act.record].label.toLowerCase()}.`;
        return;
      }
      const base = `${RECORDS[act.record].base}${encodeURIComponent(recordId)}`;
      const body = bodyOf(act, form);
      try {
        const prepared = await api('POST', `${base}/statements`, { message, body });
        if (!prepared.passkey || prepared.passkey.allowCredentials.length === 0) {
          $('form-error').textContent =
            'Register a passkey first (Passkeys, in the menu): acts are signed with it.';
          return;
        }
        pending = { act, url: `${base}/${act.path}`, recordId, body, prepared };
        describe(act, JSON.parse(prepared.statement), prepared, recordId);
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
        await api('POST', pending.url, pending.body, {
          'act-statement': pending.prepared.reference,
          'act-passkey': base64url(new TextEncoder().encode(JSON.stringify(assertion))),
          'idempotency-key': base64url(crypto.getRandomValues(new Uint8Array(16))),
        });
        $('confirm').hidden = true;
        $('done').hidden = false;
        $('done-text').textContent =
          `${pending.act.title}: on ${pending.recordId} it is recorded, signed with your passkey.`;
        $('done-title').focus();
      } catch (err) {
        $('sign-error').textContent = `Not recorded: ${err.message}`;
      }
    });
  },
  ['agency', 'chair'],
);
