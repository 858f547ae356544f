import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { WorkbenchError } from '../errors';
import { newSessionToken } from '../sessions';
import type { PeopleSignIn } from '../sign-in';
import type { PageContext } from '../context';

/** Signing in and out, and choosing whom to act as: the pages anyone may reach. */

/** Where a sign-in may return: a workbench page of this origin, never another site. */
const ReturnTo = z
  .string()
  .max(1000)
  .regex(/^\/workbench(?:[/?][^\s\\]*)?$/)
  .refine((p) => !p.startsWith('//'))
  .catch('/workbench');

/** A person's home: the inbox for an agency, the escalation desk for the chair, its cases for a lab, its grants for an operator. */
export const homeOf = (principal: string | undefined): string =>
  principal === 'chair'
    ? '/workbench/escalations'
    : principal?.startsWith('lab:') === true
      ? '/workbench/my-cases'
      : principal?.startsWith('operator:') === true
        ? '/workbench/grants'
        : '/workbench/inbox';

const HOMES = new Set([
  '/workbench',
  '/workbench/inbox',
  '/workbench/escalations',
  '/workbench/my-cases',
  '/workbench/grants',
]);
/** Where to go once signed in as a principal: the page asked for, or, for any home page, this role's own. */
const landing = (returnTo: string, principal: string): string =>
  HOMES.has(returnTo) ? homeOf(principal) : returnTo;

export const accountPages =
  (ctx: PageContext, signIn: PeopleSignIn | undefined): FastifyPluginAsync =>
  async (app) => {
    const csrf = app.csrfProtection.bind(app);
    const redirectUri = (req: FastifyRequest) => `${ctx.origin(req)}/workbench/sign-in/callback`;
    const needSignIn = () => {
      if (signIn === undefined)
        throw new WorkbenchError(
          503,
          'Sign-in is not configured here',
          'an administrator sets OIDC_ISSUER and the workbench client (docs/administrators.md)',
        );
      return signIn;
    };

    app.get('/', async (req, reply) =>
      req.session.workbench === undefined
        ? reply.redirect('/workbench/sign-in?returnTo=%2Fworkbench', 303)
        : reply.redirect(homeOf(req.session.workbench?.principal), 303),
    );

    app.get('/sign-in', async (req: FastifyRequest<{ Querystring: { returnTo?: string } }>, reply) => {
      const started = await needSignIn().start(redirectUri(req));
      req.session.signIn = {
        verifier: started.verifier,
        state: started.state,
        returnTo: ReturnTo.parse(req.query.returnTo),
      };
      return reply.redirect(started.url, 303);
    });

    app.get('/sign-in/callback', async (req, reply) => {
      const pending = req.session.signIn;
      if (pending === undefined)
        throw new WorkbenchError(
          400,
          'This sign-in is not one this page started',
          'start again from the sign-in page',
        );
      const person = await needSignIn().finish(new URL(req.url, ctx.origin(req)), pending, redirectUri(req));
      if (person.principals.length === 0) {
        req.session.signIn = undefined;
        throw new WorkbenchError(
          403,
          'You are signed in, but have no role here',
          'ask your agency’s administrator to give you a reviewer’s role',
        );
      }
      // A new session id at sign-in, so an id planted before it is worth nothing after it.
      await req.session.regenerate();
      req.session.workbench = {
        person: person.by,
        principals: person.principals,
        ...(person.principals.length === 1 ? { principal: person.principals[0] } : {}),
        token: newSessionToken(),
        signedInAt: ctx.now(),
      };
      if (person.principals.length > 1)
        return reply.redirect(`/workbench/principal?returnTo=${encodeURIComponent(pending.returnTo)}`, 303);
      return reply.redirect(landing(pending.returnTo, person.principals[0]), 303);
    });

    app.get('/principal', async (req: FastifyRequest<{ Querystring: { returnTo?: string } }>, reply) => {
      const wb = req.session.workbench;
      if (wb === undefined) return reply.redirect('/workbench/sign-in', 303);
      return reply.type('text/html; charset=utf-8').send(
        await ctx.render(req, reply, 'principal', {
          title: 'Choose whom you act as',
          principals: wb.principals,
          current: wb.principal,
          returnTo: ReturnTo.parse(req.query.returnTo),
        }),
      );
    });

    app.post<{ Body: { principal?: string; returnTo?: string } }>(
      '/principal',
      { preHandler: csrf },
      async (req: FastifyRequest<{ Body: { principal?: string; returnTo?: string } }>, reply) => {
        const wb = req.session.workbench;
        if (wb === undefined) throw new WorkbenchError(401, 'You are not signed in');
        const chosen = req.body.principal;
        if (chosen === undefined || !wb.principals.includes(chosen))
          throw new WorkbenchError(400, 'Choose one of your roles', 'the role sent is not one of yours');
        // A new credential with the new principal: nothing taken as the one before is taken as this one.
        req.session.workbench = { ...wb, principal: chosen, token: newSessionToken() };
        const returnTo = ReturnTo.parse(req.body.returnTo);
        return reply.redirect(landing(returnTo, chosen), 303);
      },
    );

    app.post('/sign-out', { preHandler: csrf }, async (req, reply) => {
      await req.session.destroy();
      return reply.redirect('/workbench/signed-out', 303);
    });

    app.get('/signed-out', async (req, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .send(await ctx.render(req, reply, 'signed-out', { title: 'You are signed out' })),
    );
  };
