import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { LapseParams, messageBody, OpsCaseQuery } from '../../shared/api/requests';
import { CaseSummary, FanOutReport, type FanOutResult, page } from '../../shared/api/responses';
import { MESSAGES } from '../../shared/domain/review/messages';
import { SA } from '../../shared/domain/search-attributes';
import { allow, callerOfRequest } from '../auth';
import { fanOut } from '../fan-out';
import { casesWhere, listCases, literal } from '../visibility';
import { actionRoute } from './action';
import { bearer, problems, type RouteContext } from './context';

const tags = ['ops'];
const onRequest = allow('ops');

/** The visibility query for operations' filters; each filter is one search attribute. */
function opsWhere(q: OpsCaseQuery): string {
  const bool = (name: string, v: boolean | undefined) => (v === undefined ? undefined : `${name} = ${v}`);
  const eq = (name: string, v: string | undefined) =>
    v === undefined ? undefined : `${name} = ${literal(v)}`;
  return casesWhere(
    eq(SA.stage.name, q.stage),
    eq(SA.lab.name, q.lab),
    eq(SA.policy.name, q.policy),
    bool(SA.atRisk.name, q.atRisk),
    bool(SA.overdue.name, q.overdue),
    eq(SA.outcome.name, q.outcome),
    bool(SA.callbackFailing.name, q.callbackFailing),
    q.nextDeadlineBefore === undefined
      ? undefined
      : `${SA.nextDeadline.name} < ${literal(q.nextDeadlineBefore)}`,
  );
}

const report = (lapseId: string, results: FanOutResult[]) => ({
  lapseId,
  matched: results.length,
  applied: results.filter((r) => r.outcome === 'APPLIED').length,
  rejected: results.filter((r) => r.outcome === 'REJECTED').length,
  unavailable: results.filter((r) => r.outcome === 'UNAVAILABLE').length,
  results,
});

/** What operations staff do: watch every case, and toll or resume every clock in a funding lapse. */
export const opsRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/ops/cases',
      {
        onRequest,
        schema: {
          tags,
          security: bearer,
          summary: 'List and filter every case, newest first',
          description:
            'Filters combine with AND. From visibility, so eventually consistent; read a case for its truth. ' +
            'Page with `cursor` = the previous page’s `nextCursor`.',
          querystring: OpsCaseQuery,
          response: { 200: page(CaseSummary), ...problems('FORBIDDEN') },
        },
      },
      async (req) =>
        listCases(ctx.temporal, opsWhere(req.query), req.query.pageSize, req.query.cursor, ctx.callTimeoutMs),
    );

    app.post(
      '/ops/funding-lapses',
      {
        onRequest,
        schema: {
          tags,
          security: bearer,
          summary: "Funding lapse: toll every open case's government clocks",
          description:
            'Sends `tollClocks` to every open, accepted case and reports each result; windows keep running. ' +
            'Repeating the request with the same `lapseId` applies it once per case and reaches cases that ' +
            'became visible since.',
          body: messageBody(MESSAGES.tollClocks),
          response: { 200: FanOutReport, ...problems('FORBIDDEN') },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const { lapseId, reason } = req.body;
        const payload = { actor: caller.principal, lapseId, reason };
        return report(lapseId, await fanOut(ctx, caller, MESSAGES.tollClocks, payload, `lapse:${lapseId}`));
      },
    );

    app.post(
      '/ops/funding-lapses/:lapseId/resume',
      {
        onRequest,
        schema: {
          tags,
          security: bearer,
          summary: "End a funding lapse: resume every open case's government clocks",
          description:
            'Sends `resumeClocks` to every open, accepted case; cases the lapse did not toll are reported as ' +
            'REJECTED with FUNDING_LAPSE_NOT_ACTIVE.',
          params: LapseParams,
          response: { 200: FanOutReport, ...problems('FORBIDDEN') },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const { lapseId } = req.params;
        const payload = { actor: caller.principal, lapseId };
        return report(
          lapseId,
          await fanOut(ctx, caller, MESSAGES.resumeClocks, payload, `resume:${lapseId}`),
        );
      },
    );

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/callbacks/redeliver',
      message: MESSAGES.redeliverCallbacks,
      tags,
    });
  };
