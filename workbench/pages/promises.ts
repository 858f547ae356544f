import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { CommitmentListItem, CommitmentView } from '../../shared/api/commitments';
import { GrantListItem, GrantView } from '../../shared/api/grants';
import { WorkbenchError } from '../errors';
import { actsFor } from '../acts';
import type { PageContext } from '../context';
import { SUBJECTS } from '../subjects';
import { recordedTitle } from './case';

/**
 * The lab's commitments and the early-access grants on its models, and an operator's own grants (issue 38):
 * a list of each, newest first, and one at a time with its timeline and the acts its state allows. What each
 * role may read is the API's answer; the API judges every act.
 */
const LIST_LIMIT = 500;

/** The acts each state allows, by whom (docs/review-process.md "Commitments" and "Early access"). */
const COMMITMENT_ACTS: Readonly<Record<string, readonly string[]>> = {
  OPEN: ['attestCommitment'],
  OVERDUE: ['attestCommitment'],
};
const GRANT_ACTS: Readonly<Record<string, readonly string[]>> = {
  NOMINATED: ['approveGrant', 'declineGrant', 'revokeGrant'],
  ACTIVE: ['revokeGrant', 'reportGrantUse'],
};
/** The lab revokes an ACTIVE grant only (a nomination it declines); the operator either. */
const offeredOnGrant = (act: string, state: string, role: string): boolean =>
  (GRANT_ACTS[state] ?? []).includes(act) && !(act === 'revokeGrant' && role === 'lab' && state !== 'ACTIVE');

export const promisePages =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    const only = (req: FastifyRequest, ...roles: string[]) => {
      if (!roles.includes(ctx.caller(req).role)) throw new WorkbenchError(404, 'No such page');
    };
    const html = (reply: { type(t: string): { send(b: string): unknown } }, body: string) =>
      reply.type('text/html; charset=utf-8').send(body);

    app.get('/commitments', async (req, reply) => {
      only(req, 'lab');
      const { items, more } = await ctx.api(req).readAll('/commitments', CommitmentListItem, LIST_LIMIT);
      return html(
        reply,
        await ctx.render(req, reply, 'commitments', {
          title: 'Your commitments',
          items,
          more,
          limit: LIST_LIMIT,
        }),
      );
    });

    app.get(
      '/commitments/:ref',
      async (
        req: FastifyRequest<{ Params: { ref: string }; Querystring: { recorded?: unknown } }>,
        reply,
      ) => {
        only(req, 'lab');
        const subject = SUBJECTS.commitment;
        const ref = subject.refOf(req.params.ref);
        const c = await ctx.api(req).read(subject.api(ref), CommitmentView);
        const acts = actsFor(ctx.caller(req), 'commitment').filter((a) =>
          (COMMITMENT_ACTS[c.state] ?? []).includes(a.name),
        );
        return html(
          reply,
          await ctx.render(req, reply, 'promise', {
            title: `Commitment ${c.commitmentId}`,
            kind: 'commitment',
            base: subject.page(ref),
            c,
            acts,
            recordedTitle: recordedTitle(req.query.recorded),
          }),
        );
      },
    );

    app.get('/grants', async (req, reply) => {
      only(req, 'lab', 'operator');
      const { items, more } = await ctx.api(req).readAll('/grants', GrantListItem, LIST_LIMIT);
      return html(
        reply,
        await ctx.render(req, reply, 'grants', {
          title: 'Early-access grants',
          items,
          more,
          limit: LIST_LIMIT,
          role: ctx.caller(req).role,
        }),
      );
    });

    app.get(
      '/grants/:ref',
      async (
        req: FastifyRequest<{ Params: { ref: string }; Querystring: { recorded?: unknown } }>,
        reply,
      ) => {
        only(req, 'lab', 'operator');
        const subject = SUBJECTS.grant;
        const ref = subject.refOf(req.params.ref);
        const g = await ctx.api(req).read(subject.api(ref), GrantView);
        const caller = ctx.caller(req);
        const acts = actsFor(caller, 'grant').filter((a) => offeredOnGrant(a.name, g.state, caller.role));
        return html(
          reply,
          await ctx.render(req, reply, 'promise', {
            title: `Grant ${g.grantId}`,
            kind: 'grant',
            base: subject.page(ref),
            g,
            acts,
            recordedTitle: recordedTitle(req.query.recorded),
          }),
        );
      },
    );
  };
