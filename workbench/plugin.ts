import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifySession from '@fastify/session';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type {
  FastifyError,
  FastifyInstance,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
} from 'fastify';
import { Api } from './api';
import type { PageContext, WorkbenchOptions } from './context';
import { WorkbenchError } from './errors';
import { isoOf, timeLeft, washington } from './format';
import { PeopleSignIn } from './sign-in';
import type { WorkbenchSession } from './sessions';
import { accountPages } from './pages/account';
import { inboxPage } from './pages/inbox';
import { casePage } from './pages/case';
import { actPages } from './pages/acts';
import { escalationsPage } from './pages/escalations';
import { passkeyPages } from './pages/passkeys';
import { labPages } from './pages/labs';
import { myCasesPage } from './pages/my-cases';
import { callbackPages } from './pages/callbacks';
import { filingPages } from './pages/filing';
import { promisePages } from './pages/promises';
import { agencyOf } from '../shared/domain/principal';
import { findingPages, ofClearinghouse } from './pages/findings';
import { governmentBanner, USWDS_DIST } from '../shared/node/design-system';

/**
 * The workbench: server-rendered pages for the people who decide (agency reviewers and the chair), and the
 * labs' portal on the same foundations (issue 38), a room of its own beside the API's routes. Every task works with JavaScript off; a script enhances the pages (live
 * refresh, signing with a passkey, which needs it). Styled with the U.S. Web Design System, served from here.
 */
const VIEWS = path.join(__dirname, 'views');
const ASSETS = path.join(__dirname, 'static');
const WEBAUTHN = path.resolve(
  path.dirname(require.resolve('@simplewebauthn/browser')),
  '..',
  'dist',
  'bundle',
);

/** Scripts, styles, fonts and images from this origin only; forms post here only; never framed. */
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
  "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The roles the pages serve: the people who decide (agencies, the chair) and the labs' people (their portal,
 * issue 38) and the operators' people (their grants); anyone else signed in finds no page here (404, as for a case not theirs).
 */
const ROLES = new Set(['agency', 'chair', 'lab', 'operator']);

export const workbenchRoutes =
  (opts: WorkbenchOptions): FastifyPluginAsync =>
  async (app) => {
    const secure = opts.publicUrl === undefined ? 'auto' : new URL(opts.publicUrl).protocol === 'https:';
    const signIn = opts.signIn && new PeopleSignIn(opts.signIn);
    // Every route here is a page, not part of the API's reference.
    app.addHook('onRoute', (route) => {
      route.schema = { ...route.schema, hide: true };
    });
    await app.register(fastifyCookie);
    await app.register(fastifySession, {
      secret: opts.sessionSecret,
      store: opts.sessions,
      // The `__Host-` prefix binds it to this origin over HTTPS, path /, no Domain.
      cookieName: secure === true ? '__Host-frontier-review' : 'frontier-review-workbench',
      // Lax: the identity provider's redirect back is a top-level navigation from its site.
      cookie: { path: '/', httpOnly: true, secure, sameSite: 'lax', maxAge: opts.idleMs },
      rolling: true,
      saveUninitialized: false,
    });
    await app.register(fastifyCsrf, {
      sessionPlugin: '@fastify/session',
      getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf,
    });
    await app.register(fastifyFormbody, { bodyLimit: 64 * 1024 });
    await app.register(fastifyView, {
      engine: { eta: new Eta({ autoEscape: true, autoTrim: false }) },
      root: VIEWS,
      production: true,
      defaultContext: { washington, timeLeft, isoOf, banner: governmentBanner('/workbench/assets/uswds') },
    });
    await app.register(fastifyStatic, {
      root: USWDS_DIST,
      prefix: '/assets/uswds/',
      decorateReply: false,
      index: false,
    });
    await app.register(fastifyStatic, {
      root: ASSETS,
      prefix: '/assets/app/',
      decorateReply: false,
      index: false,
    });
    await app.register(fastifyStatic, {
      root: WEBAUTHN,
      prefix: '/assets/webauthn/',
      decorateReply: false,
      index: false,
      allowedPath: (p) => p === '/index.umd.min.js',
    });
    app.addHook('onSend', async (_req, reply) => {
      void reply.headers({
        'content-security-policy': CSP,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'x-frame-options': 'DENY',
        'cache-control': 'no-store',
      });
    });

    const sessionOf = (req: FastifyRequest): WorkbenchSession | undefined => req.session.workbench;
    const ctx: PageContext = {
      opts,
      origin: (req) => (opts.publicUrl ?? `${req.protocol}://${req.host}`).replace(/\/+$/, ''),
      api: (req) => new Api(app, sessionOf(req)!.token, req),
      caller: (req) => opts.sessions.callerOf(sessionOf(req)!.token)!,
      now: Date.now,
      render: async (req, reply, view, data) => {
        const wb = sessionOf(req);
        const csrf = wb === undefined ? '' : reply.generateCsrf();
        const body = await reply.viewAsync(`${view}.eta`, { ...data, csrf, now: ctx.now() });
        return reply.viewAsync('layout.eta', {
          title: data.title,
          body,
          csrf,
          person: wb?.person,
          principal: wb?.principal,
          principals: wb?.principals ?? [],
          role: wb?.principal === undefined ? undefined : wb.principal.split(':')[0],
          // The clearinghouse's agencies get its findings' list in their navigation.
          clearinghouse: ofClearinghouse({ role: 'agency', id: agencyOf(wb?.principal ?? '') }),
          script: data.script === true,
        });
      },
    };

    /** Signed in, as one principal of the roles the workbench serves; else to sign-in, the choice, or 404. */
    const signedIn = async (req: FastifyRequest, reply: FastifyReply) => {
      const wb = sessionOf(req);
      if (wb === undefined || opts.sessions.callerOf(wb.token) === undefined) {
        if (wb === undefined && req.method === 'GET') {
          return reply.redirect(`/workbench/sign-in?returnTo=${encodeURIComponent(req.url)}`, 303);
        }
        if (wb?.principal === undefined && wb !== undefined)
          return reply.redirect('/workbench/principal', 303);
        throw new WorkbenchError(401, 'You are not signed in', 'sign in again and send it once more');
      }
      if (!ROLES.has(ctx.caller(req).role)) throw new WorkbenchError(404, 'No such page');
    };

    app.setErrorHandler(async (err: FastifyError | WorkbenchError, req, reply) => {
      const known = err instanceof WorkbenchError;
      const csrf = (err as FastifyError).code?.startsWith('FST_CSRF') === true;
      const status = known ? err.status : csrf ? 403 : (err.statusCode ?? 500);
      if (status >= 500 && !known) req.log.error({ err }, 'workbench page failed');
      const title = known
        ? err.title
        : csrf
          ? 'This form has expired'
          : status < 500
            ? 'The request is not valid'
            : 'Something went wrong on our side';
      const detail = known
        ? err.detail
        : csrf
          ? 'reload the page and send the form again'
          : status < 500
            ? err.message
            : `quote request ${req.id} to operations staff`;
      return reply
        .status(status)
        .type('text/html; charset=utf-8')
        .send(await ctx.render(req, reply, 'error', { title, detail, status }));
    });
    app.setNotFoundHandler(async (req, reply) =>
      reply
        .status(404)
        .type('text/html; charset=utf-8')
        .send(await ctx.render(req, reply, 'error', { title: 'No such page', status: 404 })),
    );

    await app.register(accountPages(ctx, signIn));
    await app.register(async (pages: FastifyInstance) => {
      pages.addHook('preHandler', signedIn);
      await pages.register(inboxPage(ctx));
      await pages.register(casePage(ctx));
      await pages.register(actPages(ctx));
      await pages.register(escalationsPage(ctx));
      await pages.register(labPages(ctx));
      await pages.register(findingPages(ctx));
      await pages.register(passkeyPages(ctx));
      await pages.register(myCasesPage(ctx));
      await pages.register(callbackPages(ctx));
      await pages.register(filingPages(ctx));
      await pages.register(promisePages(ctx));
    });
  };
