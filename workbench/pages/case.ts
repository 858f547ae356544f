import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { AnyCaseView } from '../../shared/api/responses';
import type { AnyCase } from '../form-values';
import { CaseRef } from '../../shared/api/requests';
import { WorkbenchError } from '../errors';
import { ACTS, actsFor } from '../acts';
import { FILING, FINDING_FILING } from '../filing';
import type { PageContext } from '../context';

/**
 * One case, as the person's role may see it: exactly the API's view of it (the view policy, unchanged), laid
 * out for deciding: the filing, where it stands, every deadline with its ledger, the positions the role may
 * see, open questions, open findings, the timeline, and the acts this person may take now.
 */

/** A case reference from a path, refused as the API refuses it (400) before anything is read. */
export function caseRefOf(raw: string): string {
  const ref = CaseRef.safeParse(raw);
  if (!ref.success)
    throw new WorkbenchError(400, 'That is not a case id', 'a case id is <labId>:<submissionId>');
  return ref.data;
}

/**
 * A case as the person signed in reads it: a lab's people the lab's view, everyone else the government's. The
 * API answers each role its own; a view of the other kind never reaches a page (404, as for a case not theirs).
 */
export async function readCase(ctx: PageContext, req: FastifyRequest, ref: string): Promise<AnyCase> {
  // An operator reads its grants, never a case (the API's 403): no such page.
  if (ctx.caller(req).role === 'operator') throw new WorkbenchError(404, 'No such case');
  const view = await ctx.api(req).read(`/submissions/${encodeURIComponent(ref)}`, AnyCaseView);
  if ((view.view === 'lab') !== (ctx.caller(req).role === 'lab'))
    throw new WorkbenchError(404, 'No such case');
  return view;
}

/**
 * Whether the case page offers an act now: the designation while it is pending, an agency's acts while its
 * own slot in the open stage is undecided, the resolution while an escalation is open, a nomination for early access by the policy's nominating agency
 * once the case is in PRE_RELEASE. The API stays the judge
 * (a form reached otherwise is refused with the reason); the page only leaves out what cannot apply.
 */
function offered(
  act: string,
  c: AnyCase,
  mine: { decision?: unknown } | undefined,
  nominates: boolean,
): boolean {
  if (act === 'nominateOperator') return nominates && c.stage === 'PRE_RELEASE';
  if (act === 'designateCoverage') return c.stage === 'DESIGNATION' && c.designation?.decision === undefined;
  if (act === 'resolveEscalation') return c.escalation !== undefined && c.escalation.resolvedAt === undefined;
  const open = c.stage !== 'CLOSED';
  if (act === 'supplement') return c.stage === 'DEFICIENT';
  // The lab's: a question or an offer while one is open; the release date until the release is reported; the
  // callback endpoint while callbacks remain to be delivered.
  if (act === 'answerInformationRequest') return c.informationRequests.some((r) => r.status === 'OPEN');
  if (act === 'respondToExtensionOffer') return c.extensionOffers.some((o) => o.response === undefined);
  if (act === 'amendReleaseDate') return open && c.release === undefined;
  if (act === 'withdraw' || act === 'reportRelease') return open;
  if (act === 'changeCallbackEndpoint') return open || c.callbacks.pending > 0;
  if (act === 'redeliverCallbacks')
    return c.callbacks.deliveries.length > 0 || c.callbacks.failing !== undefined;
  return mine !== undefined && mine.decision === undefined;
}

/** The agency that nominates operators for early access under the case's pinned policy (the presets: CISA). */
const nominator = (ctx: PageContext, c: AnyCase): string | undefined =>
  c.policy === undefined
    ? undefined
    : ctx.opts.policies.version(c.policy.id, c.policy.version)?.earlyAccess?.nominator;

/** Whose a deadline is, in words. */
export const partyName = (party: string): string =>
  party === 'lab' ? 'the lab' : party === 'government' ? 'the government' : party.replace(/^agency:/, '');

/** The act a redirect says was recorded, by its title (nothing else from the address is shown). */
export const recordedTitle = (name: unknown): string | undefined =>
  name === FILING.name
    ? FILING.title
    : name === FINDING_FILING.name
      ? FINDING_FILING.title
      : typeof name === 'string' && Object.hasOwn(ACTS, name)
        ? ACTS[name].title
        : undefined;

export const casePage =
  (ctx: PageContext): FastifyPluginAsync =>
  async (app) => {
    app.get('/cases/:caseId', async (req: FastifyRequest<{ Params: { caseId: string } }>, reply) => {
      const ref = caseRefOf(req.params.caseId);
      const view = await readCase(ctx, req, ref);
      const caller = ctx.caller(req);
      const mine =
        view.view === 'lab'
          ? undefined
          : view.agencies.find((a) => a.agency === caller.id && a.stage === view.stage);
      const html = await ctx.render(req, reply, view.view === 'lab' ? 'lab-case' : 'case', {
        title: `Case ${view.caseId}`,
        c: view,
        caller,
        mine,
        acts: actsFor(caller).filter((a) => offered(a.name, view, mine, nominator(ctx, view) === caller.id)),
        partyName,
        openRequests: view.informationRequests.filter((r) => r.status === 'OPEN'),
        openOffers: view.extensionOffers.filter((o) => o.response === undefined),
        openDeadlines: view.deadlines.filter((d) => d.metAt === undefined),
        recordedTitle: recordedTitle((req.query as { recorded?: unknown }).recorded),
        script: true,
      });
      return reply.type('text/html; charset=utf-8').send(html);
    });
  };
