/* global document */
// A person's passkeys (issue 36): register one on this device, see them, revoke one. The ceremony is the
// browser's (navigator.credentials through @simplewebauthn/browser); the gateway checks and keeps the public key.

import { api, el, fmtWashington, withSession } from './common.js';

const webauthn = globalThis.SimpleWebAuthnBrowser;
const status = (text) => (document.getElementById('status').textContent = text);
const failed = (text) => (document.getElementById('load-error').textContent = text);

async function load() {
  const { items } = await api('GET', '/v1/passkeys');
  const body = document.querySelector('#passkeys tbody');
  body.replaceChildren(
    ...items.map((p) =>
      el(
        'tr',
        {},
        el('td', {}, el('code', { text: `${p.id.slice(0, 12)}…` })),
        el('td', { text: p.principal }),
        el('td', { text: fmtWashington(p.registeredAt) }),
        el('td', { text: p.revokedAt ? `revoked ${fmtWashington(p.revokedAt)}` : 'in force' }),
        el(
          'td',
          {},
          p.revokedAt
            ? ''
            : el('button', {
                type: 'button',
                'data-revoke': p.id,
                text: 'Revoke',
                'aria-label': `Revoke passkey ${p.id.slice(0, 12)}`,
              }),
        ),
      ),
    ),
  );
  if (items.length === 0) body.append(el('tr', {}, el('td', { colspan: 5, text: 'No passkey yet.' })));
}

async function register() {
  failed('');
  if (!webauthn || !webauthn.browserSupportsWebAuthn()) {
    failed('This browser cannot make passkeys.');
    return;
  }
  status('Asking your device for a new passkey…');
  try {
    const optionsJSON = await api('POST', '/v1/passkeys/registration-options', {});
    const response = await webauthn.startRegistration({ optionsJSON });
    await api('POST', '/v1/passkeys', response);
    status('Passkey registered. You can sign acts with it now.');
    await load();
  } catch (err) {
    status('');
    failed(`The passkey was not registered: ${err.message}`);
  }
}

withSession(() => {
  document.getElementById('register').addEventListener('click', () => void register());
  document.getElementById('passkeys').addEventListener('click', async (e) => {
    const id = e.target instanceof globalThis.HTMLElement ? e.target.dataset.revoke : undefined;
    if (!id) return;
    try {
      await api('POST', `/v1/passkeys/${encodeURIComponent(id)}/revocation`, {});
      status('Passkey revoked: acts it signs are refused from now on.');
      await load();
    } catch (err) {
      failed(`Could not revoke: ${err.message}`);
    }
  });
  load().catch((err) => failed(`Could not load your passkeys: ${err.message}`));
}, ['agency', 'chair']);
