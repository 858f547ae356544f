import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { allow, callerOfRequest } from '../auth';
import { ApiError } from '../problem';
import { CaseParams, NoQuery, ProjectDeadlinesBody } from '../../shared/api/requests';
import { AnyCaseView, Me, Projection } from '../../shared/api/responses';
import { reviewWorkflowId } from '../../shared/domain/review/workflow';
import { sealsOfCase } from '../note-places';
import { assertMayRead, viewFor } from '../views';
import { bearer, problems, type RouteContext } from './context';

/** Reads of one case, each caller's own view of it, and who the caller is. */
export const caseRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/me',
      {
        schema: {
          tags: ['all roles'],
          security: bearer,
          summary: 'The principal behind this API key',
          querystring: NoQuery,
          response: { 200: Me, ...problems() },
        },
      },
      async (req) => {
        const { principal, role, keyId } = callerOfRequest(req);
        return { principal, role, keyId };
      },
    );

    app.get(
      '/submissions/:caseId',
      {
        onRequest: allow('lab', 'agency', 'chair', 'ops'),
        schema: {
          tags: ['all roles'],
          security: bearer,
          summary: "Read one case, as the caller's role may see it",
          description:
            'Read from the workflow itself, so it is current. `view` says which view this is: a lab sees its own ' +
            'cases only (another lab’s is 404) and never restricted notes; an agency sees the cases whose rosters ' +
            'name it, with the restricted notes of its own stage; the chair sees everything; operations staff see ' +
            'everything but the content of restricted notes (`restrictedNoteWithheld`).',
          params: CaseParams,
          response: {
            200: AnyCaseView,
            ...problems('FORBIDDEN', 'CASE_NOT_FOUND', 'CASE_ID_AMBIGUOUS', 'ACCESS_LOG_UNAVAILABLE'),
          },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        // A lab's read of a case that is not its own is "not found" before any query (a billable action) runs.
        const caseId = await ctx.cases.resolve(caller, req.params.caseId);
        const [status, attempt, openFindings] = await Promise.all([
          ctx.cases.status(caseId),
          ctx.cases.callbackAttempt(caseId),
          ctx.findings.openOfCase(caseId),
        ]);
        // Each note opens only where it was sealed for: this case, its own field (../note-places.ts).
        const notes = await ctx.places.opener(reviewWorkflowId(caseId), sealsOfCase(status));
        const view = {
          ...viewFor(caller, caseId, status, notes, attempt),
          ...(openFindings.length > 0 ? { openFindings } : {}),
        };
        if (view.view === 'lab') return view;
        // A government read is recorded before it is answered, with the restricted notes it opened (NSA's
        // benchmark score among them).
        const { submissionId } = view;
        await ctx.accessLog.record(req, caller, 'CASE_READ', { caseId, submissionId });
        const opened =
          view.agencies.filter((a) => a.decision?.restrictedNote !== undefined).length +
          (view.designation?.benchmarkScore === undefined ? 0 : 1);
        if (opened > 0)
          await ctx.accessLog.record(req, caller, 'NOTES_OPENED', { caseId, submissionId, count: opened });
        return view;
      },
    );

    app.post(
      '/submissions/:caseId/deadline-projections',
      {
        onRequest: allow('ops', 'chair', 'agency', 'lab'),
        schema: {
          tags: ['ops'],
          security: bearer,
          summary: 'What-if: every deadline under a hypothetical change (changes nothing)',
          description:
            'Operations staff and the chair on any case; an agency on the cases it may read (another is 404), ' +
            'so its workbench shows which deadlines an act would move before it is taken; a lab on its own ' +
            'cases, a change of its release date only (its portal shows what a new date would move).',
          params: CaseParams,
          body: ProjectDeadlinesBody,
          response: {
            200: Projection,
            ...problems('FORBIDDEN', 'CASE_NOT_FOUND', 'CASE_ID_AMBIGUOUS', 'ACCESS_LOG_UNAVAILABLE'),
          },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const caseId = await ctx.cases.resolve(caller, req.params.caseId);
        // An agency or a lab projects only a case it may read, by the same rule as its reading of it; a lab
        // only the one change that is its own to make.
        if (caller.role === 'lab' && req.body.change.kind !== 'RELEASE_DATE')
          throw new ApiError('FORBIDDEN', 'a lab projects only a change of its own release date');
        if (caller.role === 'agency' || caller.role === 'lab')
          assertMayRead(caller, await ctx.cases.status(caseId));
        const deadlines = await ctx.cases.project(caseId, req.body);
        // The government's reads are logged, as its reading of the case is; a lab's of its own case are not.
        if (caller.role !== 'lab') await ctx.accessLog.record(req, caller, 'CASE_READ', { caseId });
        return { deadlines };
      },
    );
  };
