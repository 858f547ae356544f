import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { DesignateCoverageRequest, PageQuery, RecordDecisionRequest } from '../../shared/api/requests';
import { sealNote } from '../../shared/node/note-seal';
import { CaseSummary, page } from '../../shared/api/responses';
import { MESSAGES } from '../../shared/domain/review/messages';
import { SA } from '../../shared/domain/search-attributes';
import { allow, callerOfRequest, type Caller } from '../auth';
import { BENCHMARK_SCORE_FIELD, restrictedNoteField } from '../note-places';
import { reviewWorkflowId } from '../../shared/domain/review/workflow';
import { casesWhere, listCases, literal } from '../visibility';
import { actionRoute } from './action';
import { bearer, problems, type RouteContext } from './context';

const tags = ['agency'];
const roles = ['agency' as const];

/** What a reviewing agency does, each only on its own slot in the stage open now. */
export const agencyRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/agency/cases',
      {
        onRequest: allow(...roles),
        schema: {
          tags,
          security: bearer,
          summary: 'List the open cases awaiting this agency',
          description:
            "Open cases whose open stage still waits for this agency's decision, or for its designation.",
          querystring: PageQuery,
          response: { 200: page(CaseSummary), ...problems('FORBIDDEN', 'CURSOR_NOT_VALID') },
        },
      },
      async (req) => {
        const where = casesWhere(
          "ExecutionStatus = 'Running'",
          `${SA.awaiting.name} = ${literal(callerOfRequest(req).id!)}`,
        );
        return listCases(ctx.temporal, where, req.query.pageSize, req.query.cursor, ctx.callTimeoutMs);
      },
    );

    actionRoute(app, ctx, {
      url: '/submissions/:caseId/designation',
      message: MESSAGES.designateCoverage,
      tags,
      // The benchmark's score is NSA's restricted field: only its seal ever reaches Temporal.
      request: {
        body: DesignateCoverageRequest,
        toMessage: (
          { benchmarkScore, ...call }: z.infer<typeof DesignateCoverageRequest>,
          { caseId }: { caseId: string },
        ) => ({
          ...call,
          ...(benchmarkScore === undefined
            ? {}
            : {
                benchmarkScore: sealNote(ctx.notes, String(benchmarkScore), {
                  record: reviewWorkflowId(caseId),
                  field: BENCHMARK_SCORE_FIELD,
                }),
              }),
        }),
      },
    });
    actionRoute(app, ctx, {
      url: '/submissions/:caseId/decisions',
      message: MESSAGES.recordDecision,
      tags,
      // The agency writes its restricted note in plain text; only its seal ever reaches Temporal.
      request: {
        body: RecordDecisionRequest,
        // Sealed for this case and this agency's decision: it opens nowhere else (../note-places.ts).
        toMessage: (
          { decision }: z.infer<typeof RecordDecisionRequest>,
          { caseId, caller }: { caseId: string; caller: Caller },
        ) => ({
          decision: {
            ...decision,
            restrictedNote:
              decision.restrictedNote &&
              sealNote(ctx.notes, decision.restrictedNote, {
                record: reviewWorkflowId(caseId),
                field: restrictedNoteField(caller.id ?? ''),
              }),
          },
        }),
      },
      accepted: (p) => ctx.metrics?.decisions.inc({ kind: p.decision.kind }),
    });
    actionRoute(app, ctx, {
      url: '/submissions/:caseId/information-requests',
      message: MESSAGES.requestInformation,
      tags,
    });
    actionRoute(app, ctx, {
      url: '/submissions/:caseId/extensions',
      message: MESSAGES.requestExtension,
      tags,
    });
    // Issue 14, part 4: the grant it starts is read and answered under /grants.
    actionRoute(app, ctx, {
      url: '/submissions/:caseId/early-access',
      message: MESSAGES.nominateOperator,
      tags: [...tags, 'early access'],
    });
  };
