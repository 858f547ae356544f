/* global document, window, fetch, FormData, URLSearchParams, TextEncoder, DOMParser, setInterval, btoa */
// The workbench's enhancements. Every task works without this script; with it, an act the policy has people
// sign is signed with a passkey (which only a script can ask for), a passkey can be registered, and the lists
// and the case refresh themselves while nobody is typing.
(() => {
  'use strict';
  const webauthn = window.SimpleWebAuthnBrowser;

  const base64url = (bytes) =>
    btoa(String.fromCharCode(...bytes))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');

  /** POSTs a form's fields (its CSRF token among them) and answers the JSON reply, or throws its error. */
  async function postForm(url, form, extra = {}) {
    const body = new URLSearchParams(new FormData(form));
    for (const [k, v] of Object.entries(extra)) body.set(k, v);
    const res = await fetch(url, { method: 'POST', body, credentials: 'same-origin' });
    const json = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(json.error || `the workbench answered ${res.status}`);
    return json;
  }

  function setHidden(form, name, value) {
    let input = form.querySelector(`input[name="${name}"]`);
    if (!input) {
      input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      form.appendChild(input);
    }
    input.value = value;
  }

  // Signing an act: the statement for exactly these values, signed by the passkey, then the form as usual.
  const confirm = document.getElementById('act-confirm');
  if (confirm && confirm.dataset.mustSign === 'true') {
    const status = document.getElementById('sign-status');
    let sending = false;
    confirm.addEventListener('submit', async (e) => {
      if (e.submitter && e.submitter.id === 'change') return;
      if (confirm.querySelector('input[name="_actPasskey"]')) return; // signed: on its way
      e.preventDefault();
      if (sending) return;
      if (!webauthn || !webauthn.browserSupportsWebAuthn()) {
        status.textContent = 'This browser cannot sign with a passkey.';
        return;
      }
      sending = true;
      status.textContent = 'Asking your authenticator to sign…';
      try {
        const prepared = await postForm(confirm.dataset.statement, confirm);
        if (!prepared.passkey || prepared.passkey.allowCredentials.length === 0) {
          status.textContent = 'Register a passkey first (Passkeys, in the menu): acts are signed with it.';
          sending = false;
          return;
        }
        const assertion = await webauthn.startAuthentication({ optionsJSON: prepared.passkey });
        setHidden(confirm, '_actStatement', prepared.reference);
        setHidden(confirm, '_actPasskey', base64url(new TextEncoder().encode(JSON.stringify(assertion))));
        status.textContent = 'Signed. Recording…';
        confirm.submit();
      } catch (err) {
        status.textContent = `Not recorded: ${err.message}`;
        sending = false;
      }
    });
  }

  // Registering a passkey on this device.
  const register = document.getElementById('register-passkey');
  if (register) {
    register.hidden = false;
    const status = document.getElementById('passkey-status');
    register.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (!webauthn || !webauthn.browserSupportsWebAuthn()) {
        status.textContent = 'This browser cannot create a passkey.';
        return;
      }
      try {
        const options = await postForm(register.dataset.options, register);
        const created = await webauthn.startRegistration({ optionsJSON: options });
        await postForm(register.action, register, { response: JSON.stringify(created) });
        status.textContent = 'Passkey registered.';
        window.location.reload();
      } catch (err) {
        status.textContent = `Not registered: ${err.message}`;
      }
    });
  }

  // Live enough: the region refreshes every 20 seconds while the page is in view and nobody is typing in it.
  const live = document.getElementById('live');
  if (live && live.dataset.live) {
    setInterval(async () => {
      if (document.hidden || live.contains(document.activeElement)) return;
      try {
        const res = await fetch(window.location.href, { credentials: 'same-origin' });
        if (!res.ok) return;
        const next = new DOMParser().parseFromString(await res.text(), 'text/html').getElementById('live');
        if (next && next.innerHTML !== live.innerHTML) live.innerHTML = next.innerHTML;
      } catch {
        // The next tick tries again.
      }
    }, 20_000);
  }
})();
