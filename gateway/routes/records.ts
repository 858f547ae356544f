import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ArchiveQuery, CaseParams, NoQuery } from '../../shared/api/requests';
import { ArchivedCases, RecordVerifyingKey, type ArchivedCase } from '../../shared/api/responses';
import { SigningKeyRegistry } from '../../shared/api/admin';
import { ApiError } from '../problem';
import { keyIdOf } from '../../shared/node/permanent-record';
import { allow, callerOfRequest } from '../auth';
import { bearer, PLATFORM_ERRORS, problems, problemsOnly, type RouteContext } from './context';

const RecordText = z.string().meta({
  description:
    'The record as stored: JSON Lines of canonical JSON (RFC 8785), each line with its `seq` and the SHA-256 of ' +
    "the line before (`prev`), an END line, then the Ed25519 signature over the last line's hash. Check it " +
    'with `frontier-review record verify FILE`.',
});

/** The first line of a record, as the archived-cases list shows it. */
function archivedCase(head: string): ArchivedCase {
  const c = JSON.parse(head) as Record<string, unknown>;
  return {
    caseId: String(c.caseId),
    submissionId: String(c.submissionId),
    labId: String(c.labId),
    closedAt: String(c.closedAt),
    closedReason: String(c.closedReason),
    ...(typeof c.outcome === 'string' ? { outcome: c.outcome } : {}),
  };
}

/**
 * The permanent record (docs/administrators.md "The permanent record"): a closed case's signed record, for
 * the chair and operations staff; the cases whose records are archived; and the public key that verifies
 * them.
 */
export const recordRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/records/signing-keys',
      {
        onRequest: allow('chair', 'ops', 'admin'),
        schema: {
          tags: ['ops', 'chair', 'admin'],
          security: bearer,
          summary:
            'Every signing key ever registered, revoked ones too: what signed acts are checked against',
          description:
            "Issue 36: `frontier-review record verify` checks each signed act's key against this list (a key " +
            'registered for that API key before the act, and not revoked by then), so an act signed with a key ' +
            'nobody registered does not verify. Save it beside an exported record to check offline.',
          querystring: NoQuery,
          response: { 200: SigningKeyRegistry, ...problems('FORBIDDEN') },
        },
      },
      async () => ({
        ...passkeyRegistry(ctx),
        items: ctx.keys.list().flatMap((k) =>
          (k.signingKeys ?? []).map((s) => ({
            id: s.id,
            jwk: s.jwk,
            apiKeyId: k.id,
            principal: k.principal,
            holder: k.holder,
            registeredAt: s.registeredAt,
            ...(s.revokedAt === undefined ? {} : { revokedAt: s.revokedAt }),
          })),
        ),
      }),
    );

    app.get(
      '/submissions/:caseId/record',
      {
        onRequest: allow('chair', 'ops'),
        schema: {
          tags: ['ops', 'chair'],
          security: bearer,
          summary: "A closed case's permanent record, as signed (application/jsonl)",
          description:
            'Written once, when the case completes after its last callbacks; readable after Temporal has deleted ' +
            "the case. Restricted notes stay sealed with the gateway's notes key. Every export is in the access log.",
          params: CaseParams,
          querystring: NoQuery,
          response: {
            200: RecordText,
            ...problems('FORBIDDEN', 'CASE_ID_AMBIGUOUS', 'RECORD_NOT_FOUND', 'ACCESS_LOG_UNAVAILABLE'),
          },
        },
      },
      async (req, reply) => {
        const caller = callerOfRequest(req);
        const caseId = await ctx.cases.resolve(caller, req.params.caseId).catch((err: unknown) => {
          if (err instanceof ApiError && err.code === 'CASE_NOT_FOUND') return req.params.caseId;
          throw err;
        });
        const text = await ctx.records?.get(caseId);
        if (text === undefined)
          throw new ApiError('RECORD_NOT_FOUND', `no permanent record of case ${caseId}`);
        await ctx.accessLog.record(req, caller, 'RECORD_EXPORTED', { caseId });
        return reply.type('application/jsonl; charset=utf-8').send(text);
      },
    );

    app.get(
      '/archive/cases',
      {
        onRequest: allow('chair', 'ops'),
        schema: {
          tags: ['ops', 'chair'],
          security: bearer,
          summary: 'Closed cases whose permanent records are archived, in case-id order',
          description:
            'Read from the archive, not from Temporal: a case stays here after retention deleted its workflow. ' +
            'Counts of open cases still come from Temporal (`GET /v1/ops/counts`).',
          querystring: ArchiveQuery,
          response: { 200: ArchivedCases, ...problems('FORBIDDEN') },
        },
      },
      async (req) => {
        const records = ctx.records;
        if (records === undefined) return { items: [] };
        const { caseIds, more } = await records.list({ after: req.query.after, limit: req.query.pageSize });
        const heads = await Promise.all(caseIds.map((id) => records.head(id)));
        const items = heads.flatMap((h) => (h === undefined ? [] : [archivedCase(h)]));
        return { items, ...(more && caseIds.length > 0 ? { nextAfter: caseIds[caseIds.length - 1] } : {}) };
      },
    );
  };

/** The verifying key is public: no API key is needed to check a record. */
export const recordKeyRoute =
  (ctx: Pick<RouteContext, 'recordVerifyingKey'>): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/v1/records/verifying-key',
      {
        schema: {
          tags: ['system'],
          summary: 'The public key that verifies every permanent record (no key)',
          security: [],
          response: { 200: RecordVerifyingKey, ...problemsOnly('NOT_FOUND', ...PLATFORM_ERRORS) },
        },
      },
      () => {
        const key = ctx.recordVerifyingKey;
        if (key === undefined) throw new ApiError('NOT_FOUND', 'this deployment has no record verifying key');
        return {
          alg: 'Ed25519' as const,
          keyId: keyIdOf(key),
          pem: key.export({ type: 'spki', format: 'pem' }).toString(),
        };
      },
    );
  };

/** People's passkeys, and the relying party they are bound to, as the registry lists them. */
const passkeyRegistry = (ctx: RouteContext) => {
  const ceremonies = ctx.signing.passkeys;
  if (ceremonies === undefined) return {};
  return {
    relyingParty: { id: ceremonies.rp.id, origins: [...ceremonies.rp.origins] },
    passkeys: ceremonies.store.list().map((p) => ({
      id: p.id,
      publicKey: p.publicKey,
      issuer: p.issuer,
      subject: p.subject,
      principal: p.principal,
      registeredAt: p.registeredAt,
      ...(p.revokedAt === undefined ? {} : { revokedAt: p.revokedAt }),
    })),
  };
};
