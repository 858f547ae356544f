import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as M from '../../shared/domain/messages';
import { allow, callerOfRequest } from '../auth';
import { fanOut } from '../fan-out';
import {
  CaseParams,
  CaseSummary,
  FanOutReport,
  type FanOutResult,
  LapseParams,
  OpsCaseQuery,
  page,
  RedeliverCallbacksBody,
  TollClocksBody,
} from '../schemas';
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
    eq('ReviewStage', q.stage),
    eq('ReviewLab', q.lab),
    eq('ReviewPolicy', q.policy),
    bool('ReviewAtRisk', q.atRisk),
    bool('ReviewOverdue', q.overdue),
    eq('ReviewOutcome', q.outcome),
    bool('ReviewCallbackFailing', q.callbackFailing),
    q.nextDeadlineBefore === undefined ? undefined : `ReviewNextDeadline < ${literal(q.nextDeadlineBefore)}`,
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
          body: TollClocksBody,
          response: { 200: FanOutReport, ...problems('FORBIDDEN') },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const { lapseId, reason } = req.body;
        const payload = { actor: caller.principal, lapseId, reason };
        return report(lapseId, await fanOut(ctx, caller, M.tollClocksUpdate, payload, `lapse:${lapseId}`));
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
        return report(lapseId, await fanOut(ctx, caller, M.resumeClocksUpdate, payload, `resume:${lapseId}`));
      },
    );

    actionRoute(app, ctx, {
      url: '/submissions/:submissionId/callbacks/redeliver',
      roles: ['ops'],
      tags,
      summary: "Redeliver a case's status callbacks",
      description:
        'Without `eventId`: everything pending from the failing event on. With one: that event again (receivers ' +
        'de-duplicate by event id).',
      params: CaseParams,
      body: RedeliverCallbacksBody,
      update: M.redeliverCallbacksUpdate,
      errors: ['NOTHING_TO_REDELIVER', 'CALLBACK_EVENT_NOT_FOUND'],
      payload: (actor, _p, body) => ({ actor, ...body }),
    });
  };
