import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { LabListItem, LabView } from '../../shared/api/labs';
import { WorkbenchError } from '../errors';
import { actsFor } from '../acts';
import { recordedTitle } from './case';
import type { PageContext } from '../context';
import { SUBJECTS, statusWords } from '../subjects';

/**
 * The chair's trusted partners: every lab with a record, its status and the policy's proposal, and a lab's
 * record with the designation or the revocation the chair may make (docs/review-process.md "Trusted
 * partners"). What a lab's page shows is the API's answer to the chair, nothing else.
 */
const LABS_LIMIT = 500;

/** The act the lab's status allows: a participant may be designated, a partner revoked. */
const offered = (status: LabView['status']): string =>
  status === 'TRUSTED_PARTNER' ? 'revokeTrustedPartner' : 'designateTrustedPartner';

const chairOnly = (ctx: PageContext, req: FastifyRequest): void => {
  if (ctx.caller(req).role !== 'chair') throw new WorkbenchError(404, 'No such page');
};

export const labPages =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    app.get('/labs', async (req, reply) => {
      chairOnly(ctx, req);
      const { items, more } = await ctx.api(req).readAll('/labs', LabListItem, LABS_LIMIT);
      const rows = items.sort((a, b) => a.labId.localeCompare(b.labId));
      const html = await ctx.render(req, reply, 'labs', {
        title: 'Labs and trusted partners',
        rows,
        more,
        limit: LABS_LIMIT,
        statusWords,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });

    app.get('/labs/:labId', async (req: FastifyRequest<{ Params: { labId: string } }>, reply) => {
      chairOnly(ctx, req);
      const ref = SUBJECTS.lab.refOf(req.params.labId);
      const lab = await ctx.api(req).read(`/labs/${encodeURIComponent(ref)}`, LabView);
      const acts = actsFor(ctx.caller(req), 'lab').filter((a) => a.name === offered(lab.status));
      const recorded = (req.query as { recorded?: unknown }).recorded;
      const html = await ctx.render(req, reply, 'lab', {
        title: `Lab ${lab.labId}`,
        lab,
        acts,
        statusWords,
        recordedTitle: recordedTitle(recorded),
        script: true,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });
  };
