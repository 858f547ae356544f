import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  IdempotentHeaders,
  LapseParams,
  messageBody,
  NoQuery,
  OpsCaseQuery,
} from '../../shared/api/requests';
import {
  CaseCounts,
  CaseSummary,
  ClosureReport,
  FanOutReport,
  GovernmentView,
  page,
} from '../../shared/api/responses';
import {
  declareClosureUpdate,
  endLapseUpdate,
  startLapseUpdate,
} from '../../shared/domain/government/messages';
import { MESSAGES } from '../../shared/domain/review/messages';
import { SA } from '../../shared/domain/search-attributes';
import { allow, callerOfRequest } from '../auth';
import { casesWhere, countCases, listCases, literal } from '../visibility';
import { Flag, OPEN_STAGES } from '../../shared/domain/review/state';
import { actionRoute } from './action';
import { bearer, problems, type RouteContext } from './context';

const tags = ['ops'];
const onRequest = allow('ops');

/** A case still under review: its workflow runs and its stage is not CLOSED (it may still be sending callbacks). */
const OPEN = `ExecutionStatus = 'Running' AND ${SA.stage.name} != 'CLOSED'`;
const NOT_OPEN = `ExecutionStatus != 'Running' OR ${SA.stage.name} = 'CLOSED'`;

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
    eq(SA.flags.name, q.flag),
    q.open === undefined ? undefined : q.open ? OPEN : `(${NOT_OPEN})`,
  );
}

/**
 * What operations staff do: watch every case; record the government's funding lapses and closures, which
 * reach every open case; redeliver a case's callbacks.
 */
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
          response: { 200: page(CaseSummary), ...problems('FORBIDDEN', 'CURSOR_NOT_VALID') },
        },
      },
      async (req) =>
        listCases(ctx.temporal, opsWhere(req.query), req.query.pageSize, req.query.cursor, ctx.callTimeoutMs),
    );

    app.get(
      '/ops/counts',
      {
        onRequest,
        schema: {
          tags,
          security: bearer,
          summary: 'How many open cases are in each stage and carry each flag',
          description:
            'Counted by visibility (one count query each, whatever the number of cases), so eventually ' +
            'consistent like the lists.',
          querystring: NoQuery,
          response: { 200: CaseCounts, ...problems('FORBIDDEN') },
        },
      },
      async () => {
        const count = (clause: string) =>
          countCases(ctx.temporal, casesWhere(OPEN, clause), ctx.callTimeoutMs);
        const [open, stages, flags] = await Promise.all([
          countCases(ctx.temporal, casesWhere(OPEN), ctx.callTimeoutMs),
          Promise.all(OPEN_STAGES.map((st) => count(`${SA.stage.name} = ${literal(st)}`))),
          Promise.all(Flag.options.map((f) => count(`${SA.flags.name} = ${literal(f)}`))),
        ]);
        return {
          asOf: new Date().toISOString(),
          open,
          stages: Object.fromEntries(OPEN_STAGES.map((st, i) => [st, stages[i]])),
          flags: Object.fromEntries(Flag.options.map((f, i) => [f, flags[i]])),
        } as CaseCounts;
      },
    );

    app.get(
      '/ops/government',
      {
        onRequest,
        schema: {
          tags,
          security: bearer,
          summary: 'Funding lapses and closures of federal offices recorded so far',
          querystring: NoQuery,
          response: { 200: GovernmentView, ...problems('FORBIDDEN') },
        },
      },
      async () => ctx.government.state(),
    );

    app.post(
      '/ops/funding-lapses',
      {
        onRequest,
        schema: {
          tags,
          security: bearer,
          summary: "Start a funding lapse: toll every open case's government clocks",
          description:
            'Records the lapse once as government state (a case accepted during it starts tolled), then sends ' +
            '`tollClocks` to every open, accepted case and reports each result; windows keep running. A lapse ' +
            'started when no case is open is still recorded. Repeating it with the same `lapseId` reaches cases ' +
            'that became visible since; when it would change nothing it is refused (409 FUNDING_LAPSE_ACTIVE). ' +
            'With an `Idempotency-Key`, asking again answers with the first result. Operations staff start at ' +
            'most 2 new lapses and send a lapse or closure again at most 20 times in 30 days (policy version 7; ' +
            'else 422 MESSAGE_BUDGET_EXHAUSTED).',
          headers: IdempotentHeaders,
          body: messageBody(MESSAGES.tollClocks),
          response: {
            200: FanOutReport,
            ...problems(
              'FORBIDDEN',
              'FUNDING_LAPSE_ACTIVE',
              'FUNDING_LAPSE_ENDED',
              'MESSAGE_BUDGET_EXHAUSTED',
            ),
          },
        },
      },
      async (req) => {
        const { lapseId, reason } = req.body;
        const caller = callerOfRequest(req);
        const payload = { actor: caller.principal, lapseId, reason };
        const result = await ctx.government.send(
          startLapseUpdate,
          payload,
          req.headers['idempotency-key'],
          caller.by,
        );
        return { lapseId, change: result.change, ...result.cases };
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
            'Records the end once, then sends `resumeClocks` to every open, accepted case. A lapse that is not ' +
            'active, or whose end reaches no case still tolled by it, is refused (409 FUNDING_LAPSE_NOT_ACTIVE).',
          headers: IdempotentHeaders,
          params: LapseParams,
          response: {
            200: FanOutReport,
            ...problems('FORBIDDEN', 'FUNDING_LAPSE_NOT_ACTIVE', 'MESSAGE_BUDGET_EXHAUSTED'),
          },
        },
      },
      async (req) => {
        const { lapseId } = req.params;
        const caller = callerOfRequest(req);
        const payload = { actor: caller.principal, lapseId };
        const result = await ctx.government.send(
          endLapseUpdate,
          payload,
          req.headers['idempotency-key'],
          caller.by,
        );
        return { lapseId, change: result.change, ...result.cases };
      },
    );

    app.post(
      '/ops/closures',
      {
        onRequest,
        schema: {
          tags,
          security: bearer,
          summary: 'Declare a closure of federal offices (an executive order, OPM)',
          description:
            'Records the closure once as government state, then sends `declareClosure` to every open, accepted ' +
            'case: its dates stop being business days, so government deadlines falling on them move to the ' +
            'next business day. Cases accepted later take it into account from the start. Dates are Washington ' +
            'dates, today or later. Operations staff declare at most 10 new closures in 30 days (policy version ' +
            '7; else 422 MESSAGE_BUDGET_EXHAUSTED).',
          headers: IdempotentHeaders,
          body: messageBody(MESSAGES.declareClosure),
          response: {
            200: ClosureReport,
            ...problems(
              'FORBIDDEN',
              'CLOSURE_ALREADY_DECLARED',
              'CLOSURE_IN_THE_PAST',
              'MESSAGE_BUDGET_EXHAUSTED',
            ),
          },
        },
      },
      async (req) => {
        const { closureId, dates, reason } = req.body;
        const caller = callerOfRequest(req);
        const payload = { actor: caller.principal, closureId, dates, reason };
        const result = await ctx.government.send(
          declareClosureUpdate,
          payload,
          req.headers['idempotency-key'],
          caller.by,
        );
        return { closureId, change: result.change, ...result.cases };
      },
    );

    actionRoute(app, ctx, {
      url: '/submissions/:caseId/callbacks/redeliver',
      message: MESSAGES.redeliverCallbacks,
      // Operations staff redeliver any case's callbacks; a lab its own cases' (issue 38).
      tags: [...tags, 'lab'],
    });
  };
