import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { FindingListItem, FindingView } from '../../shared/api/findings';
import { WorkbenchError } from '../errors';
import { actsFor } from '../acts';
import { recordedTitle } from './case';
import type { PageContext } from '../context';
import { SUBJECTS } from '../subjects';
import { clearinghouseAgencies } from '../../shared/domain/clearinghouse/policy';

/**
 * Clearinghouse findings for an agency: the open findings it may list (every one for the clearinghouse's
 * agencies, the open findings of the cases it reviews for another), and one finding at the detail its TLP
 * allows the agency, with the clearinghouse's steps the finding's state allows. The API judges who may take a
 * step: an agency outside the clearinghouse sees the page and is refused, with the reason, if it tries.
 */
const FINDINGS_LIMIT = 500;

/** The clearinghouse's steps each state allows (docs/review-process.md "Clearinghouse findings"). */
const STEPS: Readonly<Record<FindingView['state'], readonly string[]>> = {
  RECEIVED: ['validateFinding', 'rejectFinding'],
  VALIDATED: ['remediateFinding', 'discloseFinding'],
  REJECTED: [],
  REMEDIATED: [],
  DISCLOSED: [],
};

const agencyOnly = (ctx: PageContext, req: FastifyRequest): void => {
  if (ctx.caller(req).role !== 'agency') throw new WorkbenchError(404, 'No such page');
};

/** Whether the caller is one of the clearinghouse's agencies (the list and the steps are theirs). */
export const ofClearinghouse = (caller: { role: string; id?: string }): boolean =>
  caller.role === 'agency' && clearinghouseAgencies().includes(caller.id ?? '');

export const findingPages =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    app.get('/findings', async (req, reply) => {
      if (!ofClearinghouse(ctx.caller(req))) throw new WorkbenchError(404, 'No such page');
      const { items, more } = await ctx
        .api(req)
        .readAll('/findings?open=true', FindingListItem, FINDINGS_LIMIT);
      const rows = items.sort(
        (a, b) =>
          (a.nextDeadline ?? '9999').localeCompare(b.nextDeadline ?? '9999') ||
          a.findingId.localeCompare(b.findingId),
      );
      const html = await ctx.render(req, reply, 'findings', {
        title: 'Open clearinghouse findings',
        rows,
        more,
        limit: FINDINGS_LIMIT,
        script: true,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });

    app.get('/findings/:findingId', async (req: FastifyRequest<{ Params: { findingId: string } }>, reply) => {
      agencyOnly(ctx, req);
      const ref = SUBJECTS.finding.refOf(req.params.findingId);
      const f = await ctx.api(req).read(`/findings/${encodeURIComponent(ref)}`, FindingView);
      const caller = ctx.caller(req);
      const acts = ofClearinghouse(caller)
        ? actsFor(caller, 'finding').filter((a) => STEPS[f.state].includes(a.name))
        : [];
      const recorded = (req.query as { recorded?: unknown }).recorded;
      const html = await ctx.render(req, reply, 'finding', {
        title: `Finding ${f.findingId}`,
        f,
        acts,
        recordedTitle: recordedTitle(recorded),
        script: true,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });
  };
