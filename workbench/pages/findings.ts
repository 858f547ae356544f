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
 * allows the agency, with the clearinghouse's steps the finding's state allows. A lab's people (issue 38) list
 * the open findings about its models, read each as its TLP allows the lab, and ask for the one extension. The API judges who may take a
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
      const caller = ctx.caller(req);
      const lab = caller.role === 'lab';
      if (!lab && !ofClearinghouse(caller)) throw new WorkbenchError(404, 'No such page');
      // A lab lists the open findings about its own models (the API's answer to it).
      const { items, more } = await ctx
        .api(req)
        .readAll('/findings?open=true', FindingListItem, FINDINGS_LIMIT);
      const rows = items.sort(
        (a, b) =>
          (a.nextDeadline ?? '9999').localeCompare(b.nextDeadline ?? '9999') ||
          a.findingId.localeCompare(b.findingId),
      );
      const html = await ctx.render(req, reply, 'findings', {
        title: lab ? 'Open findings about your models' : 'Open clearinghouse findings',
        lab,
        rows,
        more,
        limit: FINDINGS_LIMIT,
        script: true,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });

    app.get('/findings/:findingId', async (req: FastifyRequest<{ Params: { findingId: string } }>, reply) => {
      const caller = ctx.caller(req);
      // A lab's people read the findings about its models, an operator's the ones it filed (as the API answers).
      if (caller.role !== 'lab' && caller.role !== 'operator') agencyOnly(ctx, req);
      const ref = SUBJECTS.finding.refOf(req.params.findingId);
      const f = await ctx.api(req).read(`/findings/${encodeURIComponent(ref)}`, FindingView);
      const acts =
        caller.role === 'lab'
          ? actsFor(caller, 'finding').filter(
              (a) => f.state === 'VALIDATED' && !f.extended && a.name === 'extendRemediation',
            )
          : ofClearinghouse(caller)
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
