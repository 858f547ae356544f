import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';
import { governmentBanner, USWDS_DIST } from '../shared/node/design-system';
import { Flag, OPEN_STAGES } from '../shared/domain/review/state';
import { DAY_MS } from '../shared/domain/time';

/**
 * The operations dashboard: public page shells and static assets, no front-end build step. Every datum comes
 * from the authenticated JSON API, called by the page with the key the operator pasted into the sign-in form
 * (kept in the tab's sessionStorage); nothing secret is ever rendered into a page.
 */
export interface DashboardOptions {
  /** Base URL of the Temporal Web UI, e.g. http://127.0.0.1:8233; without it the case page has no link. */
  temporalUiUrl?: string;
  /** The Temporal namespace of the review workflows, for the Web UI link. */
  namespace: string;
  /** People's sign-in: the identity provider the page signs in with (authorization code with PKCE). */
  signIn?: { issuer: string; clientId: string; audience: string };
}

const STATIC_DIR = path.join(__dirname, 'static');
/** Where the dashboard's pages load the U.S. Web Design System from (the same files as the workbench's). */
const USWDS_ASSETS = '/dashboard/assets/uswds';
const ASSETS: Record<string, string> = {
  'dashboard.css': 'text/css; charset=utf-8',
  'common.js': 'text/javascript; charset=utf-8',
  'overview.js': 'text/javascript; charset=utf-8',
  'case.js': 'text/javascript; charset=utf-8',
  'findings.js': 'text/javascript; charset=utf-8',
  'commitments.js': 'text/javascript; charset=utf-8',
  'commitment-rows.js': 'text/javascript; charset=utf-8',
  'labs.js': 'text/javascript; charset=utf-8',
  'lab.js': 'text/javascript; charset=utf-8',
  'grants.js': 'text/javascript; charset=utf-8',
  'grant.js': 'text/javascript; charset=utf-8',
  'passkeys.js': 'text/javascript; charset=utf-8',
  'sign.js': 'text/javascript; charset=utf-8',
};

/** `@simplewebauthn/browser`'s own bundle, served from this origin as `webauthn.js` (no CDN). */
const WEBAUTHN_BUNDLE = path.resolve(
  path.dirname(require.resolve('@simplewebauthn/browser')),
  '..',
  'dist',
  'bundle',
  'index.umd.min.js',
);

/** What a page that must sign says when JavaScript is off: a passkey is asked for by script only. */
const NEEDS_SCRIPT = `
      <noscript>
        <p class="error">Signing with a passkey needs JavaScript: your browser asks your authenticator to sign only
        when a script asks it to. Turn JavaScript on for this page to register a passkey or sign an act.</p>
      </noscript>`;

const PASSKEYS = `${NEEDS_SCRIPT}
      <div id="app" hidden>
        <h1>Your passkeys</h1>
        <p>
          Reviewers and the chair sign the acts that decide (a decision, a designation, an extension, an information
          request, a resolution) with a passkey: your device signs exactly what will be recorded, after you unlock it
          with your PIN, fingerprint or face. Register one passkey per device you sign from.
        </p>
        <p><button type="button" id="register">Register a passkey on this device</button></p>
        <p id="status" role="status" aria-live="polite"></p>
        <p id="load-error" class="error" role="alert"></p>
        <table id="passkeys" class="grid">
          <caption>Passkeys registered to you</caption>
          <thead>
            <tr>
              <th scope="col">Passkey</th><th scope="col">Acting as</th><th scope="col">Registered</th>
              <th scope="col">State</th><th scope="col"><span class="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
      </div>`;

const SIGN = `${NEEDS_SCRIPT}
      <div id="app" hidden>
        <h1>Sign an act</h1>
        <form id="act-form" novalidate>
          <p>
            <label for="act">What you do</label>
            <select id="act" name="act"></select>
          </p>
          <p>
            <label for="record-id" id="record-label">Case</label>
            <input id="record-id" name="record" required autocomplete="off" spellcheck="false" />
          </p>
          <fieldset id="act-fields" class="fields"><legend class="visually-hidden">The act</legend></fieldset>
          <p><button type="submit">Review what will be recorded</button></p>
          <p id="form-error" class="error" role="alert"></p>
        </form>
        <section id="confirm" class="panel" aria-labelledby="confirm-title" hidden>
          <h2 id="confirm-title" tabindex="-1">What will be recorded</h2>
          <dl id="confirm-facts" class="facts"></dl>
          <details>
            <summary>The exact statement your passkey signs</summary>
            <pre id="statement"></pre>
          </details>
          <p>
            <button type="button" id="sign">Sign with your passkey and record</button>
            <button type="button" id="change">Change it</button>
          </p>
          <p id="sign-error" class="error" role="alert"></p>
        </section>
        <section id="done" class="panel" aria-labelledby="done-title" hidden>
          <h2 id="done-title" tabindex="-1">Recorded</h2>
          <p id="done-text"></p>
        </section>
      </div>`;

/**
 * Scripts and styles only from this origin, no inline code, no framing, no referrer leaking case ids; the
 * page talks to this origin and, for sign-in, to the identity provider's.
 */
const securityHeaders = (providerOrigin: string | undefined) => ({
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
    `connect-src 'self'${providerOrigin === undefined ? '' : ` ${providerOrigin}`}; ` +
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
});

const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Only an absolute http(s) URL is linked; anything else means no link. */
function uiBase(url: string | undefined): string {
  if (url === undefined) return '';
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href.replace(/\/+$/, '') : '';
  } catch {
    return '';
  }
}

const SIGN_IN = `
    <section id="signin" class="panel" aria-labelledby="signin-title" hidden>
      <h1 id="signin-title">Sign in</h1>
      <p id="provider-signin" hidden>
        <button type="button" id="provider-button">Sign in with your identity provider</button>
        <span class="hint">Operations staff sign in as themselves; the page keeps only a short-lived token.</span>
      </p>
      <form id="signin-form" novalidate>
        <label for="api-key">Operations API key</label>
        <input id="api-key" name="api-key" type="password" autocomplete="off" spellcheck="false" required
          aria-describedby="signin-help signin-error" />
        <button type="submit">Sign in</button>
        <p id="signin-help" class="hint">
          Paste an <code>ops</code> key. It stays in this browser tab only (sessionStorage) and is sent to the API
          as a bearer token; closing the tab forgets it.
        </p>
        <p id="signin-error" class="error" role="alert"></p>
      </form>
    </section>`;

function page(
  opts: DashboardOptions,
  title: string,
  script: string,
  main: string,
  classic: readonly string[] = [],
): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <meta name="referrer" content="no-referrer" />
    <title>${escapeHtml(title)} · frontier-review operations</title>
    <link rel="stylesheet" href="${USWDS_ASSETS}/css/uswds.min.css" />
    <link rel="stylesheet" href="/dashboard/assets/dashboard.css" />
${classic.map((c) => `    <script src="/dashboard/assets/${c}"></script>\n`).join('')}    <script type="module" src="/dashboard/assets/${script}"></script>
  </head>
  <body data-temporal-ui="${escapeHtml(uiBase(opts.temporalUiUrl))}" data-namespace="${escapeHtml(opts.namespace)}"
    data-signin="${escapeHtml(opts.signIn === undefined ? '' : JSON.stringify(opts.signIn))}">
    <a class="usa-skipnav" href="#main">Skip to main content</a>
${governmentBanner(USWDS_ASSETS)}
    <header class="top">
      <p class="brand"><a href="/dashboard">frontier-review · operations</a></p>
      <nav aria-label="Dashboard">
        <ul>
          <li><a href="/dashboard">Open cases</a></li>
          <li><a href="/dashboard/findings">Findings</a></li>
          <li><a href="/dashboard/commitments">Commitments</a></li>
          <li><a href="/dashboard/labs">Labs</a></li>
          <li><a href="/dashboard/grants">Early access</a></li>
          <li><a href="/dashboard/passkeys">Passkeys</a></li>
          <li><a href="/docs">API reference</a></li>
        </ul>
      </nav>
      <div id="session" class="session" hidden>
        <span id="whoami"></span>
        <button type="button" id="signout" class="usa-button usa-button--outline usa-button--inverse">Sign out</button>
      </div>
    </header>
    <main id="main" tabindex="-1">
${SIGN_IN}
${main}
    </main>
  </body>
</html>
`;
}

const OVERVIEW = `
      <div id="app" hidden>
        <h1>Open cases</h1>
        <section aria-labelledby="counts-title" class="counts">
          <h2 id="counts-title" class="visually-hidden">Counts</h2>
          <div>
            <h3>By stage</h3>
            <ul id="stage-counts" class="chips"></ul>
          </div>
          <div>
            <h3>By flag</h3>
            <ul id="flag-counts" class="chips"></ul>
          </div>
        </section>
        <form id="filters" class="filters" role="search" aria-label="Filter cases">
          <label for="filter-stage">Stage</label>
          <select id="filter-stage" name="stage"><option value="">All stages</option></select>
          <label for="filter-flag">Flag</label>
          <select id="filter-flag" name="flag"><option value="">Any flag</option></select>
          <label for="filter-text">Lab, model or case id</label>
          <input id="filter-text" name="q" type="search" autocomplete="off" />
          <button type="reset">Clear filters</button>
        </form>
        <div class="statusbar">
          <p id="status" role="status" aria-live="polite">Loading…</p>
          <button type="button" id="refresh">Refresh now</button>
        </div>
        <p id="load-error" class="error" role="alert"></p>
        <table id="cases" class="grid">
          <caption id="cases-caption">Open cases</caption>
          <thead>
            <tr>
              <th scope="col" data-sort="caseId">Case</th>
              <th scope="col" data-sort="labId">Lab</th>
              <th scope="col" data-sort="model">Model</th>
              <th scope="col" data-sort="stage">Stage</th>
              <th scope="col" data-sort="policy">Policy</th>
              <th scope="col" data-sort="daysLeft">Days left in window</th>
              <th scope="col" data-sort="nextDeadline">Next deadline</th>
              <th scope="col" data-sort="whose">Whose</th>
              <th scope="col" data-sort="flags">Flags</th>
            </tr>
          </thead>
          <tbody></tbody>
        </table>
        <p class="more"><button type="button" id="more" hidden>Load more cases</button></p>
      </div>`;

/** One list of commitments: its heading counts what commitment-rows.js fills in. */
const commitmentsTable = (id: string, caption: string): string => `
        <section aria-labelledby="${id}-title" class="panel">
          <h2 id="${id}-title">${caption} (<span id="${id}-count">…</span>)</h2>
          <table id="${id}" class="grid">
            <caption class="visually-hidden">${caption}</caption>
            <thead>
              <tr>
                <th scope="col">Commitment</th><th scope="col">Case</th><th scope="col">Owner</th>
                <th scope="col">State</th><th scope="col">Next deadline (whose)</th><th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>`;

const CASE = `
      <div id="app" hidden>
        <p class="crumbs"><a href="/dashboard">← Open cases</a></p>
        <h1 id="case-title">Case</h1>
        <p id="load-error" class="error" role="alert"></p>
        <div class="statusbar">
          <p id="status" role="status" aria-live="polite">Loading…</p>
          <button type="button" id="refresh">Refresh now</button>
        </div>
        <section aria-labelledby="summary-title" class="panel">
          <h2 id="summary-title">Summary</h2>
          <dl id="summary" class="facts"></dl>
        </section>
        <section aria-labelledby="deadlines-title" class="panel">
          <h2 id="deadlines-title">Deadlines</h2>
          <div id="deadline-chart" class="chart"></div>
          <table id="deadlines" class="grid">
            <caption>Every deadline with its ledger of tolled intervals and extensions</caption>
            <thead>
              <tr>
                <th scope="col">Deadline</th><th scope="col">Whose</th><th scope="col">Starts</th>
                <th scope="col">Base due</th><th scope="col">Due now</th><th scope="col">Urgency</th>
                <th scope="col">Ledger</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>
        <section aria-labelledby="agencies-title" class="panel">
          <h2 id="agencies-title">Agencies</h2>
          <table id="agencies" class="grid">
            <caption>Each agency's state and decision</caption>
            <thead>
              <tr>
                <th scope="col">Agency</th><th scope="col">Stage</th><th scope="col">Required</th>
                <th scope="col">State</th><th scope="col">Due</th><th scope="col">Urgency</th>
                <th scope="col">Decision</th><th scope="col">Extensions used</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>
        <section aria-labelledby="timeline-title" class="panel">
          <h2 id="timeline-title">Timeline</h2>
          <table id="timeline" class="grid">
            <caption>Every event, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th><th scope="col">Time</th><th scope="col">Actor</th>
                <th scope="col">Event</th><th scope="col">Summary</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>
        <section aria-labelledby="findings-title" class="panel">
          <h2 id="findings-title">Open clearinghouse findings</h2>
          <div id="case-findings"></div>
        </section>
${commitmentsTable('case-commitments', 'Commitments of the determination')}
        <section aria-labelledby="requests-title" class="panel">
          <h2 id="requests-title">Information requests</h2>
          <div id="requests"></div>
        </section>
        <section aria-labelledby="callbacks-title" class="panel">
          <h2 id="callbacks-title">Callback deliveries</h2>
          <p id="callback-summary"></p>
          <table id="callbacks" class="grid">
            <caption>Delivery attempts that settled, newest last</caption>
            <thead>
              <tr>
                <th scope="col">Event</th><th scope="col">Status</th><th scope="col">At</th>
                <th scope="col">Attempts</th><th scope="col">HTTP</th><th scope="col">Error</th>
                <th scope="col">Endpoint</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>
        <section aria-labelledby="record-title" class="panel">
          <h2 id="record-title">Permanent record</h2>
          <p id="record-status">Written when the case completes, after its last callbacks.</p>
          <button type="button" id="record-download" hidden>Download the signed record (.jsonl)</button>
        </section>
        <section aria-labelledby="actions-title" class="panel">
          <h2 id="actions-title">Operations actions</h2>
          <div class="actions">
            <form id="redeliver-form" aria-labelledby="redeliver-title">
              <h3 id="redeliver-title">Redeliver callbacks</h3>
              <label for="redeliver-event">Event id (optional: empty sends everything from the failing event on)</label>
              <input id="redeliver-event" name="eventId" type="text" autocomplete="off" />
              <button type="submit">Redeliver</button>
              <p id="redeliver-result" role="status" aria-live="polite"></p>
            </form>
            <form id="whatif-form" aria-labelledby="whatif-title">
              <h3 id="whatif-title">What-if projection</h3>
              <label for="whatif-kind">Change</label>
              <select id="whatif-kind" name="kind">
                <option value="EXTENSION">An extension of one party's deadline</option>
                <option value="TOLL">A funding lapse (toll every government deadline)</option>
                <option value="RELEASE_DATE">The lab moves its release date</option>
              </select>
              <div data-kind="EXTENSION">
                <label for="whatif-party">Party</label>
                <input id="whatif-party" name="party" type="text" value="agency:NSA" autocomplete="off" />
                <label for="whatif-days">Days</label>
                <input id="whatif-days" name="days" type="number" min="1" step="1" value="10" />
              </div>
              <div data-kind="TOLL" hidden>
                <label for="whatif-from">From</label>
                <input id="whatif-from" name="from" type="datetime-local" />
                <label for="whatif-to">To</label>
                <input id="whatif-to" name="to" type="datetime-local" />
              </div>
              <div data-kind="RELEASE_DATE" hidden>
                <label for="whatif-release">New release date</label>
                <input id="whatif-release" name="newEnd" type="datetime-local" />
              </div>
              <button type="submit">Project</button>
              <p id="whatif-error" class="error" role="alert"></p>
              <table id="whatif" class="grid" hidden>
                <caption>Projected deadlines (nothing is changed)</caption>
                <thead>
                  <tr>
                    <th scope="col">Deadline</th><th scope="col">Whose</th><th scope="col">Due now</th>
                    <th scope="col">Projected</th><th scope="col">Shift</th>
                  </tr>
                </thead>
                <tbody></tbody>
              </table>
            </form>
          </div>
        </section>
      </div>`;

/** One list of findings on the findings page: its heading counts what findings.js fills in. */
const findingsTable = (id: string, caption: string): string => `
        <section aria-labelledby="${id}-title" class="panel">
          <h2 id="${id}-title">${caption} (<span id="${id}-count">…</span>)</h2>
          <table id="${id}" class="grid">
            <caption class="visually-hidden">${caption}</caption>
            <thead>
              <tr>
                <th scope="col">Finding</th><th scope="col">Lab</th><th scope="col">Case</th>
                <th scope="col">State</th><th scope="col">Next deadline</th><th scope="col">Flags</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>`;

const FINDINGS = `
      <div id="app" hidden>
        <h1>Clearinghouse findings</h1>
        <div class="statusbar">
          <p id="status" role="status" aria-live="polite">Loading…</p>
          <button type="button" id="refresh">Refresh now</button>
        </div>
        <p id="load-error" class="error" role="alert"></p>
${findingsTable('validation-overdue', 'Validations overdue')}
${findingsTable('remediation-overdue', 'Remediations overdue')}
${findingsTable('open-findings', 'Open findings')}
      </div>`;

const COMMITMENTS = `
      <div id="app" hidden>
        <h1>Commitments</h1>
        <div class="statusbar">
          <p id="status" role="status" aria-live="polite">Loading…</p>
          <button type="button" id="refresh">Refresh now</button>
        </div>
        <p id="load-error" class="error" role="alert"></p>
${commitmentsTable('commitments-overdue', 'Overdue: past due, not attested')}
${commitmentsTable('commitments-attested', 'Attested, waiting for the owner')}
${commitmentsTable('commitments-open', 'Open commitments')}
      </div>`;

/** One list of labs on the labs page: its heading counts what labs.js fills in. */
const labsTable = (id: string, caption: string): string => `
        <section aria-labelledby="${id}-title" class="panel">
          <h2 id="${id}-title">${caption} (<span id="${id}-count">…</span>)</h2>
          <table id="${id}" class="grid">
            <caption class="visually-hidden">${caption}</caption>
            <thead>
              <tr><th scope="col">Lab</th><th scope="col">Status</th><th scope="col">Record since</th></tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>`;

const LABS = `
      <div id="app" hidden>
        <h1>Labs</h1>
        <div class="statusbar">
          <p id="status" role="status" aria-live="polite">Loading…</p>
          <button type="button" id="refresh">Refresh now</button>
        </div>
        <p id="load-error" class="error" role="alert"></p>
${labsTable('labs-trusted', 'Trusted partners')}
${labsTable('labs-all', 'Every lab with a record')}
      </div>`;

const LAB = `
      <div id="app" hidden>
        <p class="crumbs"><a href="/dashboard/labs">← Labs</a></p>
        <h1 id="lab-title">Lab</h1>
        <p id="load-error" class="error" role="alert"></p>
        <div class="statusbar">
          <p id="status" role="status" aria-live="polite">Loading…</p>
          <button type="button" id="refresh">Refresh now</button>
        </div>
        <section aria-labelledby="summary-title" class="panel">
          <h2 id="summary-title">Status</h2>
          <dl id="summary" class="facts"></dl>
        </section>
        <section aria-labelledby="proposal-title" class="panel">
          <h2 id="proposal-title">The policy's proposal</h2>
          <p class="hint">The policy in force proposes; the review chair decides.</p>
          <dl id="proposal" class="facts"></dl>
          <h3 id="unmet-title">Rules not met</h3>
          <ul id="unmet" aria-labelledby="unmet-title"></ul>
        </section>
        <section aria-labelledby="history-title" class="panel">
          <h2 id="history-title">Status history</h2>
          <table id="history" class="grid">
            <caption>Every designation and revocation, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th><th scope="col">Status</th><th scope="col">By</th>
                <th scope="col">Reason</th><th scope="col">Proposal then</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>
        <section aria-labelledby="lab-cases-title" class="panel">
          <h2 id="lab-cases-title">Cases (<span id="lab-cases-count">…</span>)</h2>
          <table id="lab-cases" class="grid">
            <caption class="visually-hidden">The lab's accepted cases</caption>
            <thead>
              <tr>
                <th scope="col">Case</th><th scope="col">Accepted</th><th scope="col">Policy</th>
                <th scope="col">Status at acceptance</th><th scope="col">Outcome</th><th scope="col">Closed</th>
                <th scope="col">Released</th><th scope="col">Early release</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>
        <section aria-labelledby="lab-commitments-title" class="panel">
          <h2 id="lab-commitments-title">Commitments</h2>
          <p id="commitment-counts"></p>
          <table id="lab-commitments" class="grid">
            <caption class="visually-hidden">The lab's commitments by their last standing</caption>
            <thead>
              <tr>
                <th scope="col">Commitment</th><th scope="col">Case</th><th scope="col">Owner</th>
                <th scope="col">Standing</th><th scope="col">Since</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>
        <section aria-labelledby="lab-timeline-title" class="panel">
          <h2 id="lab-timeline-title">Timeline</h2>
          <table id="lab-timeline" class="grid">
            <caption>Every event of the lab's record, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th><th scope="col">Time</th><th scope="col">Actor</th>
                <th scope="col">Event</th><th scope="col">About</th><th scope="col">Note</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>
      </div>`;

/** One list of grants on the grants page: its heading counts what grants.js fills in. */
const grantsTable = (id: string, caption: string): string => `
        <section aria-labelledby="${id}-title" class="panel">
          <h2 id="${id}-title">${caption} (<span id="${id}-count">…</span>)</h2>
          <table id="${id}" class="grid">
            <caption class="visually-hidden">${caption}</caption>
            <thead>
              <tr>
                <th scope="col">Grant</th><th scope="col">Case</th><th scope="col">Operator</th>
                <th scope="col">State</th><th scope="col">Next deadline (whose)</th><th scope="col">Nominated</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>`;

const GRANTS = `
      <div id="app" hidden>
        <h1>Early-access grants</h1>
        <div class="statusbar">
          <p id="status" role="status" aria-live="polite">Loading…</p>
          <button type="button" id="refresh">Refresh now</button>
        </div>
        <p id="load-error" class="error" role="alert"></p>
${grantsTable('grants-nominated', "Nominated, waiting for the lab's answer")}
${grantsTable('grants-active', 'Active')}
${grantsTable('grants-all', 'Every grant')}
      </div>`;

const GRANT = `
      <div id="app" hidden>
        <p class="crumbs"><a href="/dashboard/grants">← Early-access grants</a></p>
        <h1 id="grant-title">Grant</h1>
        <p id="load-error" class="error" role="alert"></p>
        <div class="statusbar">
          <p id="status" role="status" aria-live="polite">Loading…</p>
          <button type="button" id="refresh">Refresh now</button>
        </div>
        <section aria-labelledby="summary-title" class="panel">
          <h2 id="summary-title">Grant</h2>
          <dl id="summary" class="facts"></dl>
        </section>
        <section aria-labelledby="model-title" class="panel">
          <h2 id="model-title">The model</h2>
          <p class="hint">What the operator sees of the model: the determination's unclassified summary.</p>
          <dl id="model" class="facts"></dl>
        </section>
        <section aria-labelledby="grant-timeline-title" class="panel">
          <h2 id="grant-timeline-title">Timeline</h2>
          <table id="grant-timeline" class="grid">
            <caption>Every event of the grant, oldest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th><th scope="col">Time</th><th scope="col">Actor</th>
                <th scope="col">Event</th><th scope="col">Note</th>
              </tr>
            </thead>
            <tbody></tbody>
          </table>
        </section>
      </div>`;

/** The open stages, the flags and a day's length, from shared/domain, so the pages never keep a copy that could drift. */
const DOMAIN_JS = [
  `export const STAGES = ${JSON.stringify(OPEN_STAGES)};`,
  `export const FLAGS = ${JSON.stringify(Flag.options)};`,
  `export const DAY_MS = ${DAY_MS};`,
  '',
].join('\n');

/**
 * Registers GET /dashboard, /dashboard/cases/:caseId, /dashboard/findings, /dashboard/commitments,
 * /dashboard/labs, /dashboard/labs/:labId, /dashboard/grants, /dashboard/grants/:grantId, people's pages
 * /dashboard/passkeys and /dashboard/sign (issue 36), and assets.
 */
export const dashboardRoutes =
  (opts: DashboardOptions): FastifyPluginAsync =>
  async (app) => {
    const assets = new Map(
      Object.entries(ASSETS).map(([name, type]) => [
        name,
        { type, body: readFileSync(path.join(STATIC_DIR, name)) },
      ]),
    );
    assets.set('domain.js', { type: 'text/javascript; charset=utf-8', body: Buffer.from(DOMAIN_JS) });
    assets.set('webauthn.js', {
      type: 'text/javascript; charset=utf-8',
      body: readFileSync(WEBAUTHN_BUNDLE),
    });
    const overview = page(opts, 'Open cases', 'overview.js', OVERVIEW);
    const casePage = page(opts, 'Case', 'case.js', CASE);
    const findingsPage = page(opts, 'Findings', 'findings.js', FINDINGS);
    const commitmentsPage = page(opts, 'Commitments', 'commitments.js', COMMITMENTS);
    const labsPage = page(opts, 'Labs', 'labs.js', LABS);
    const labPage = page(opts, 'Lab', 'lab.js', LAB);
    const grantsPage = page(opts, 'Early-access grants', 'grants.js', GRANTS);
    const grantPage = page(opts, 'Grant', 'grant.js', GRANT);
    const passkeysPage = page(opts, 'Your passkeys', 'passkeys.js', PASSKEYS, ['webauthn.js']);
    const signPage = page(opts, 'Sign an act', 'sign.js', SIGN, ['webauthn.js']);
    const headers = securityHeaders(
      opts.signIn === undefined ? undefined : new URL(opts.signIn.issuer).origin,
    );
    const html = (reply: FastifyReply, body: string) =>
      reply
        .headers({ ...headers, 'cache-control': 'no-store' })
        .type('text/html; charset=utf-8')
        .send(body);
    const hide = { schema: { hide: true } };

    app.get('/dashboard', hide, async (_req, reply) => html(reply, overview));
    app.get('/dashboard/', hide, async (req, reply) => {
      const query = req.url.indexOf('?');
      return reply.redirect(`/dashboard${query === -1 ? '' : req.url.slice(query)}`);
    });
    app.get('/dashboard/cases/:caseId', hide, async (_req, reply) => html(reply, casePage));
    app.get('/dashboard/findings', hide, async (_req, reply) => html(reply, findingsPage));
    app.get('/dashboard/commitments', hide, async (_req, reply) => html(reply, commitmentsPage));
    app.get('/dashboard/labs', hide, async (_req, reply) => html(reply, labsPage));
    app.get('/dashboard/labs/:labId', hide, async (_req, reply) => html(reply, labPage));
    app.get('/dashboard/grants', hide, async (_req, reply) => html(reply, grantsPage));
    app.get('/dashboard/grants/:grantId', hide, async (_req, reply) => html(reply, grantPage));
    app.get('/dashboard/passkeys', hide, async (_req, reply) => html(reply, passkeysPage));
    app.get('/dashboard/sign', hide, async (_req, reply) => html(reply, signPage));
    await app.register(fastifyStatic, {
      root: USWDS_DIST,
      prefix: `${USWDS_ASSETS}/`,
      decorateReply: false,
      index: false,
      schemaHide: true,
    });
    app.get<{ Params: { name: string } }>('/dashboard/assets/:name', hide, async (req, reply) => {
      const asset = assets.get(req.params.name);
      if (asset === undefined) return reply.callNotFound();
      return reply
        .headers({ ...headers, 'cache-control': 'no-cache' })
        .type(asset.type)
        .send(asset.body);
    });
  };
