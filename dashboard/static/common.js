/* global document, window, sessionStorage, fetch, URLSearchParams, setTimeout, clearTimeout, crypto, TextEncoder, btoa, URL */
// Shared by the dashboard's pages: the operator's key (this tab only), API calls, and small DOM helpers.
// Every value from the API is written with textContent or attributes, never as HTML.

import { DAY_MS, FLAGS, STAGES } from './domain.js';
const KEY = 'frontier-review.ops-key';
const PENDING = 'frontier-review.sign-in';

/**
 * Sign-in through the identity provider (OpenID Connect, authorization code with PKCE): the page sends the
 * person to the provider with a one-time challenge, and exchanges the code that comes back for a short-lived
 * access token, kept in this tab like a pasted key. No client secret exists: the dashboard is a public client.
 */
const provider = () => {
  const raw = document.body.dataset.signin;
  return raw ? JSON.parse(raw) : undefined;
};
const redirectUri = () => `${window.location.origin}/dashboard`;
const base64url = (bytes) =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

async function discover(issuer) {
  const res = await fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`, {
    credentials: 'omit',
  });
  if (!res.ok) throw new Error(`the identity provider answered ${res.status}`);
  return res.json();
}

async function startProviderSignIn() {
  const p = provider();
  const meta = await discover(p.issuer);
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
  const state = base64url(crypto.getRandomValues(new Uint8Array(16)));
  const returnTo = window.location.pathname + window.location.search;
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo }));
  const query = new URLSearchParams({
    client_id: p.clientId,
    response_type: 'code',
    redirect_uri: redirectUri(),
    scope: 'openid profile api',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    resource: p.audience,
  });
  window.location.assign(`${meta.authorization_endpoint}?${query}`);
}

/** Back from the provider with a code: exchange it (once) for an access token; true when signed in. */
async function finishProviderSignIn() {
  const params = new URLSearchParams(window.location.search);
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  if (!params.has('state') || pending === null) return false;
  sessionStorage.removeItem(PENDING);
  if (params.get('state') !== pending.state) throw new Error('the sign-in answer does not match the request');
  if (params.has('error')) throw new Error(params.get('error_description') || params.get('error'));
  const p = provider();
  const meta = await discover(p.issuer);
  const res = await fetch(meta.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    credentials: 'omit',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code') || '',
      redirect_uri: redirectUri(),
      client_id: p.clientId,
      code_verifier: pending.verifier,
      resource: p.audience,
    }),
  });
  const body = await res.json();
  if (!res.ok || !body.access_token)
    throw new Error(body.error_description || body.error || `HTTP ${res.status}`);
  sessionStorage.setItem(KEY, body.access_token);
  const returnTo = pending.returnTo || '/dashboard';
  // Signed in from another page (the provider returns to /dashboard): back to it, with the token in this tab.
  if (new URL(returnTo, window.location.origin).pathname !== window.location.pathname) {
    window.location.replace(returnTo);
    return new Promise(() => {});
  }
  window.history.replaceState(null, '', returnTo);
  return true;
}

export function el(tag, attrs = {}, ...children) {
  const ns = attrs.svg ? 'http://www.w3.org/2000/svg' : undefined;
  const node = ns ? document.createElementNS(ns, tag) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'svg' || v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = String(v);
    else if (k === 'className') node.setAttribute('class', v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
  return node;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || `HTTP ${status}`);
    this.status = status;
    this.code = problem && problem.code;
  }
}

export const getKey = () => sessionStorage.getItem(KEY);
export { base64url };

/** A call to the JSON API with the operator's key (and any other headers); a 401 signs out. */
export async function api(method, url, body, extraHeaders = {}) {
  const headers = { ...extraHeaders, authorization: `Bearer ${getKey()}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
    credentials: 'omit',
  });
  const text = await res.text();
  const json = text === '' ? undefined : JSON.parse(text);
  if (res.status === 401) {
    sessionStorage.removeItem(KEY);
    showSignIn('Your key was not accepted; sign in again.');
  }
  if (!res.ok) throw new ApiError(res.status, json);
  return json;
}

/** A document the API serves as it is (a permanent record), as text; a refusal throws as api() does. */
export async function apiText(url, accept) {
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${getKey()}`, accept: `${accept}, application/problem+json` },
    cache: 'no-store',
    credentials: 'omit',
  });
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, text === '' ? undefined : JSON.parse(text));
  return text;
}

function showSignIn(message) {
  document.getElementById('signin').hidden = false;
  document.getElementById('app').hidden = true;
  document.getElementById('session').hidden = true;
  document.getElementById('signin-error').textContent = message || '';
  document.getElementById('api-key').focus();
}

/**
 * Runs `start(me)` once a valid key of one of `roles` is known (operations staff's, unless a page for people
 * says otherwise): from this tab's sessionStorage, or from the sign-in form.
 */
export function withSession(start, roles = ['ops']) {
  const form = document.getElementById('signin-form');
  const begin = async () => {
    try {
      const me = await api('GET', '/v1/me');
      if (!roles.includes(me.role)) {
        sessionStorage.removeItem(KEY);
        showSignIn(
          roles.includes('ops')
            ? `That key belongs to ${me.principal}; the dashboard needs an ops key.`
            : `You are signed in as ${me.principal}; this page is for reviewers and the chair.`,
        );
        return;
      }
      document.getElementById('signin').hidden = true;
      document.getElementById('app').hidden = false;
      document.getElementById('session').hidden = false;
      const credential = me.keyId.startsWith('oidc:')
        ? `signed in as ${me.keyId.slice(5)}`
        : `key ${me.keyId}`;
      document.getElementById('whoami').textContent = `Signed in as ${me.principal} (${credential})`;
      start(me);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) showSignIn(`Could not sign in: ${err.message}`);
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const input = document.getElementById('api-key');
    const key = input.value.trim();
    input.value = '';
    if (key === '') {
      showSignIn('Paste an API key first.');
      return;
    }
    sessionStorage.setItem(KEY, key);
    void begin();
  });
  document.getElementById('signout').addEventListener('click', () => {
    sessionStorage.removeItem(KEY);
    window.location.reload();
  });
  if (provider() !== undefined) {
    document.getElementById('provider-signin').hidden = false;
    document.getElementById('provider-button').addEventListener('click', () => {
      startProviderSignIn().catch((err) =>
        showSignIn(`Could not reach the identity provider: ${err.message}`),
      );
    });
  }
  finishProviderSignIn().then(
    () => (getKey() ? begin() : showSignIn()),
    (err) => showSignIn(`Sign-in failed: ${err.message}`),
  );
}

/** Seconds between automatic refreshes: ?refresh=N (at least 2), else 15. */
export function refreshSeconds() {
  const n = Number(new URLSearchParams(window.location.search).get('refresh'));
  return Number.isFinite(n) && n >= 2 ? n : 15;
}

/** Calls `load` now and every few seconds while the tab is visible; returns a function to load at once. */
export function autoRefresh(load) {
  let timer;
  let running = false;
  const run = async () => {
    clearTimeout(timer);
    if (!running) {
      running = true;
      try {
        await load();
      } finally {
        running = false;
      }
    }
    timer = setTimeout(() => {
      if (document.visibilityState === 'visible') void run();
      else timer = setTimeout(run, 1000);
    }, refreshSeconds() * 1000);
  };
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void run();
  });
  void run();
  return run;
}

const WASHINGTON = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

/**
 * Every time the dashboard shows, in Washington, in words: "Mon 7 Dec 2026, 12:34:56 p.m. ET" (EST and EDT are
 * both ET), as the workbench shows it; every deadline of the process falls at 5 p.m. there.
 */
export function fmtWashington(iso) {
  if (!iso) return '—';
  const p = Object.fromEntries(WASHINGTON.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
  const ampm = p.dayPeriod === 'AM' ? 'a.m.' : 'p.m.';
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute}:${p.second} ${ampm} ET`;
}

/** A signed duration in words: "in 3 d 4 h", "2 min ago". */
export function fmtRelative(iso, now = Date.now()) {
  if (!iso) return '';
  const ms = new Date(iso).getTime() - now;
  const a = Math.abs(ms);
  let s;
  if (a >= DAY_MS) s = `${Math.floor(a / DAY_MS)} d ${Math.floor((a % DAY_MS) / 3_600_000)} h`;
  else if (a >= 3_600_000) s = `${Math.floor(a / 3_600_000)} h ${Math.floor((a % 3_600_000) / 60_000)} min`;
  else if (a >= 60_000) s = `${Math.floor(a / 60_000)} min ${Math.floor((a % 60_000) / 1000)} s`;
  else s = `${Math.floor(a / 1000)} s`;
  return ms >= 0 ? `in ${s}` : `${s} ago`;
}

export function fmtDuration(ms) {
  const sign = ms < 0 ? '−' : '+';
  const a = Math.abs(ms);
  if (a >= DAY_MS) return `${sign}${(a / DAY_MS).toFixed(1)} d`;
  if (a >= 3_600_000) return `${sign}${(a / 3_600_000).toFixed(1)} h`;
  return `${sign}${Math.round(a / 60_000)} min`;
}

/** Fractional days left, to one decimal (negative when passed). */
export function daysLeft(iso, now = Date.now()) {
  if (!iso) return undefined;
  return (new Date(iso).getTime() - now) / DAY_MS;
}

// Stage and flag names come from the product's own schemas, served as /dashboard/assets/domain.js.
export { STAGES, FLAGS, DAY_MS };
export const human = (s) => (s ? s.replace(/_/g, ' ').toLowerCase() : '—');

export function flagBadge(flag) {
  return el('span', { className: `flag flag-${flag}`, text: flag.replace(/_/g, ' ') });
}

/** 'agency:NATIONAL_SECURITY:NSA' → 'NSA (national security)'; 'stage:CIVILIAN' → 'civilian stage'. */
export function deadlineLabel(key) {
  const [kind, a, b] = key.split(':');
  if (kind === 'agency') return `${b} (${human(a)})`;
  if (kind === 'stage') return `${human(a)} stage`;
  if (kind === 'information') return `information answer ${a}`;
  return human(key);
}

/** 'agency:NSA' → 'NSA'. */
export const partyLabel = (p) => (p ? p.replace(/^agency:/, '') : '—');
