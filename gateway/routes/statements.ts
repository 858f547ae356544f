import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CaseParams, PrepareStatementBody } from '../../shared/api/requests';
import { FindingParams } from '../../shared/api/findings';
import { LabParams } from '../../shared/api/labs';
import { StatementToSign } from '../../shared/api/responses';
import { REQUEST_EXAMPLES } from '../../shared/api/examples';
import type { Role } from '../../shared/domain/principal';
import type { SignedActName } from '../../shared/domain/signed-act';
import { STATEMENT_LIFETIME_MS, statementReference } from '../../shared/node/act-statement';
import { allow, callerOfRequest, type Caller } from '../auth';
import { ApiError } from '../problem';
import type { ZodApp } from './action';
import { bearer, problems, type RouteContext } from './context';

/** The acts of one kind of record that are signed, who signs them, and how a path names the record. */
interface SignedRecordActs {
  url: string;
  tags: string[];
  params: z.ZodObject;
  example: { message: SignedActName; body: object };
  acts: { message: SignedActName; roles: readonly Role[] }[];
  /** The record the path names, as this caller may name it: a case id, a finding id, a lab id. */
  record: (caller: Caller, params: Record<string, string>) => Promise<string>;
}

/**
 * Issue 36: the statement of an act that is signed, written by the gateway for its signer (an agency's or the
 * chair's system, the CLI): the canonical text with the restricted fields as commitments only the gateway can
 * make, dated now, with a fresh nonce. The signer signs its bytes and sends the act within five minutes with the
 * statement and the signature in its headers (docs/reviewers.md "Signing your acts"). Nothing is recorded.
 */
function statementRoute(app: ZodApp, ctx: RouteContext, of: SignedRecordActs): void {
  const names = of.acts.map((a) => a.message);
  const roles = [...new Set(of.acts.flatMap((a) => a.roles))];
  // One body per act: the act's message and its route's own body, so a body the act would refuse never passes.
  const bodyOf = (message: SignedActName): z.ZodObject => {
    const body = ctx.signing.bodies.get(message);
    if (body === undefined)
      throw new Error(`no route sends ${message}: register its routes before the statements`);
    return body as z.ZodObject;
  };
  const request = PrepareStatementBody(
    of.acts.map((a) => z.strictObject({ message: z.literal(a.message), body: bodyOf(a.message) })),
    of.example,
  );
  app.post(
    of.url,
    {
      onRequest: allow(...roles),
      schema: {
        tags: of.tags,
        security: bearer,
        summary: 'Write the statement of an act to sign (nothing is recorded)',
        description:
          `For ${names.join(', ')}. The statement says exactly what the act will do: the record, the message, its ` +
          'fields (a restricted note or the benchmark score only as a salted commitment), the moment, the principal ' +
          'and who acts. A system signs its bytes with the Ed25519 key registered for its API key (a JWS with ' +
          '`b64: false`, payload detached) and sends the act within five minutes with `Act-Statement: <reference>` ' +
          '(or the whole statement, `encoded`, up to 11,000 characters) and `Act-Signature: <jws>`. A person signs ' +
          'with a passkey: pass `passkey` to `startAuthentication()` and send the act with `Act-Statement: ' +
          '<reference>` and `Act-Passkey: <base64url of the assertion JSON>`.',
        params: of.params,
        body: request,
        response: {
          200: StatementToSign,
          ...problems(
            'FORBIDDEN',
            'CASE_NOT_FOUND',
            'CASE_ID_AMBIGUOUS',
            'FINDING_NOT_FOUND',
            'LAB_NOT_FOUND',
          ),
        },
      },
    },
    async (req) => {
      const caller = callerOfRequest(req);
      const { message, body } = req.body as { message: SignedActName; body: Record<string, unknown> };
      const act = of.acts.find((a) => a.message === message)!;
      if (!act.roles.includes(caller.role as Role)) {
        throw new ApiError('FORBIDDEN', `${message} is sent by: ${act.roles.join(', ')}`);
      }
      const record = await of.record(caller, req.params as Record<string, string>);
      const { text, statement } = ctx.signing.prepare({
        record,
        message,
        fields: body,
        principal: caller.principal,
        by: caller.by,
      });
      const passkeys = ctx.signing.passkeys;
      return {
        statement: text,
        encoded: Buffer.from(text, 'utf8').toString('base64url'),
        reference: statementReference(statement),
        signBefore: new Date(Date.parse(statement.at) + STATEMENT_LIFETIME_MS).toISOString(),
        ...(caller.by.kind === 'PERSON' && passkeys !== undefined
          ? { passkey: passkeys.requestOptions(caller.by, text) }
          : {}),
      };
    },
  );
}

export const statementRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const agency = ['agency'] as const;
    statementRoute(app, ctx, {
      url: '/submissions/:caseId/statements',
      tags: ['agency', 'chair'],
      params: CaseParams,
      example: REQUEST_EXAMPLES.prepareStatement,
      acts: [
        { message: 'designateCoverage', roles: agency },
        { message: 'recordDecision', roles: agency },
        { message: 'requestExtension', roles: agency },
        { message: 'requestInformation', roles: agency },
        { message: 'resolveEscalation', roles: ['chair'] },
      ],
      record: (caller, p) => ctx.cases.resolve(caller, p.caseId),
    });
    statementRoute(app, ctx, {
      url: '/findings/:findingId/statements',
      tags: ['findings'],
      params: FindingParams,
      example: REQUEST_EXAMPLES.prepareFindingStatement,
      acts: [
        { message: 'validateFinding', roles: agency },
        { message: 'discloseFinding', roles: agency },
      ],
      // The finding as this caller may know of it: one it may not is "not found" before anything is written.
      record: async (caller, p) => (await ctx.findings.view(caller, p.findingId)).findingId,
    });
    statementRoute(app, ctx, {
      url: '/labs/:labId/statements',
      tags: ['labs'],
      params: LabParams,
      example: REQUEST_EXAMPLES.prepareLabStatement,
      acts: [
        { message: 'designateTrustedPartner', roles: ['chair'] },
        { message: 'revokeTrustedPartner', roles: ['chair'] },
      ],
      record: async (caller, p) => (await ctx.labs.view(caller, p.labId)).labId,
    });
  };
