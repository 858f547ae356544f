import { existsSync } from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AccessLogPage, AccessLogQuery, cursorOf, positionOf } from '../../shared/api/access-log';
import {
  AddLabRequest,
  ExpiryRequest,
  IssuedKey,
  IssueKeyRequest,
  KeyList,
  KeyParams,
  KeyView,
  LabAdded,
  RegisterSigningKeyRequest,
  RevocationRequest,
  SigningKeyParams,
  RotatedKey,
  RotateKeyRequest,
  SessionRevocation,
  SessionsEnded,
} from '../../shared/api/admin';
import { NoQuery } from '../../shared/api/requests';
import { isActive, type ApiKeyRecord } from '../../shared/node/api-keys';
import { calculateJwkThumbprint } from 'jose';
import { addLabSecret, CallbackSecrets } from '../../shared/node/callback-secrets';
import { allow, callerOfRequest, type Caller } from '../auth';
import { ApiError, storeChange } from '../problem';
import { bearer, problems, type RouteContext } from './context';

const tags = ['admin'];
const HOUR_MS = 3_600_000;

/** A key as administrators see it: its state now, never the key or its hash. */
export function keyView(r: ApiKeyRecord, now = Date.now()): KeyView {
  const { sha256: _hash, ...rest } = r;
  const state = r.revokedAt !== undefined ? 'REVOKED' : isActive(r, now) ? 'ACTIVE' : 'EXPIRED';
  return { ...rest, state };
}

/**
 * The administrator who made a key change, as the key store records it (issue 36, part 4): the person (name,
 * issuer and subject) or the system (its key id and holder), not only the principal `admin`.
 */
export function describeAdmin(caller: Caller): string {
  const { by } = caller;
  const who =
    by.kind === 'PERSON'
      ? `${by.name ?? by.subject} (${by.issuer} ${by.subject})`
      : `key ${by.keyId} held by ${by.holder}`;
  return `${caller.principal}: ${who}`.slice(0, 300);
}

/** A key change refused by the store, as its catalogue code. */

/** A lab key is issued only to a lab whose callbacks can be signed: else every callback of its cases fails. */
export function refuseLabWithoutSecret(secretsFile: string, labId: string): void {
  if (existsSync(secretsFile) && CallbackSecrets.fromFile(secretsFile).secretsFor(labId).length > 0) return;
  throw new ApiError(
    'LAB_CALLBACK_SECRET_MISSING',
    `lab ${labId} has no callback secret: add the lab with POST /v1/admin/labs (\`frontier-review labs add ` +
      `${labId}\`), or create its secret on the gateway host with \`npx frontier-review admin lab-secret ${labId}\``,
  );
}

/**
 * Administrators manage machine credentials (labs, scripts, service accounts) and read the access log; they
 * read no case. Every change takes effect on the next request to any gateway that reads the same key store,
 * and is itself in the access log.
 */
export const adminRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const admin = allow('admin');

    app.get(
      '/admin/keys',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Every API key: holder, principal, state (never the key)',
          querystring: NoQuery,
          response: { 200: KeyList, ...problems('FORBIDDEN') },
        },
      },
      async () => ({ items: ctx.keys.list().map((k) => keyView(k)) }),
    );

    app.post(
      '/admin/keys',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Issue an API key to a named holder, for any principal (shown once)',
          body: IssueKeyRequest,
          response: {
            201: IssuedKey,
            ...problems(
              'FORBIDDEN',
              'EXPIRY_IN_THE_PAST',
              'SECURITY_CONTACT_NOT_A_LAB',
              'LAB_CALLBACK_SECRET_MISSING',
            ),
          },
        },
      },
      async (req, reply) => {
        const caller = callerOfRequest(req);
        const { principal, holder, expiresAt, securityContact } = req.body;
        if (securityContact === true && !principal.startsWith('lab:')) {
          throw new ApiError('SECURITY_CONTACT_NOT_A_LAB', `${principal} is not a lab`);
        }
        if (principal.startsWith('lab:')) refuseLabWithoutSecret(ctx.callbackSecretsFile, principal.slice(4));
        const { key, record } = await storeChange(() =>
          ctx.keys.issue(principal, holder, describeAdmin(caller), expiresAt, securityContact),
        );
        await ctx.accessLog.record(req, caller, 'KEY_ISSUED', { subject: record.id });
        return reply.code(201).send({ ...keyView(record), key });
      },
    );

    app.post(
      '/admin/keys/:keyId/rotation',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Rotate a key: a new key now, the old one valid beside it for the overlap',
          params: KeyParams,
          body: RotateKeyRequest,
          response: { 201: RotatedKey, ...problems('FORBIDDEN', 'KEY_NOT_FOUND', 'KEY_NOT_ACTIVE') },
        },
      },
      async (req, reply) => {
        const caller = callerOfRequest(req);
        const overlapMs = req.body.overlapHours * HOUR_MS;
        const rotated = await storeChange(() =>
          ctx.keys.rotate(req.params.keyId, describeAdmin(caller), overlapMs),
        );
        await ctx.accessLog.record(req, caller, 'KEY_ROTATED', { subject: req.params.keyId });
        return reply
          .code(201)
          .send({ ...keyView(rotated.record), key: rotated.key, previous: keyView(rotated.previous) });
      },
    );

    app.post(
      '/admin/keys/:keyId/expiry',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Set when a key expires',
          params: KeyParams,
          body: ExpiryRequest,
          response: {
            200: KeyView,
            ...problems('FORBIDDEN', 'KEY_NOT_FOUND', 'KEY_NOT_ACTIVE', 'EXPIRY_IN_THE_PAST'),
          },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const changed = await storeChange(() => ctx.keys.expire(req.params.keyId, req.body.expiresAt));
        await ctx.accessLog.record(req, caller, 'KEY_EXPIRY_SET', { subject: req.params.keyId });
        return keyView(changed);
      },
    );

    app.post(
      '/admin/keys/:keyId/revocation',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Revoke a key: refused from the next request on, without a restart',
          params: KeyParams,
          body: RevocationRequest,
          response: { 200: KeyView, ...problems('FORBIDDEN', 'KEY_NOT_FOUND', 'KEY_NOT_ACTIVE') },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const changed = await storeChange(() => ctx.keys.revoke(req.params.keyId, describeAdmin(caller)));
        await ctx.accessLog.record(req, caller, 'KEY_REVOKED', { subject: req.params.keyId });
        return keyView(changed);
      },
    );

    app.post(
      '/admin/sessions/revocation',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary: 'End every workbench session of one person, at once (someone who left, a stolen laptop)',
          description:
            'The person is named as the identity provider names them (issuer and subject). Their next page is ' +
            'the sign-in; disable them at the identity provider too, or they can sign in again.',
          body: SessionRevocation,
          response: { 200: SessionsEnded, ...problems('FORBIDDEN') },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const ended = ctx.sessions?.endPerson(req.body.issuer, req.body.subject) ?? 0;
        await ctx.accessLog.record(req, caller, 'SESSIONS_ENDED', {
          subject: `${req.body.issuer} ${req.body.subject}`,
        });
        return { ended };
      },
    );

    app.post(
      '/admin/keys/:keyId/signing-keys',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary: "Register an Ed25519 public key the key's system signs its acts with",
          description:
            "Issue 36: an agency's or the chair's system signs the acts that decide with the private half (a JWS over " +
            'the statement POST /submissions/{caseId}/statements writes). The key id is its RFC 7638 thumbprint.',
          params: KeyParams,
          body: RegisterSigningKeyRequest,
          response: {
            201: KeyView,
            ...problems(
              'FORBIDDEN',
              'KEY_NOT_FOUND',
              'KEY_NOT_ACTIVE',
              'SIGNING_KEY_NOT_ALLOWED',
              'SIGNING_KEY_ALREADY_REGISTERED',
            ),
          },
        },
      },
      async (req, reply) => {
        const caller = callerOfRequest(req);
        const jwk = req.body.publicKey;
        const id = await calculateJwkThumbprint(jwk, 'sha256');
        const changed = await storeChange(() =>
          ctx.keys.registerSigningKey(req.params.keyId, { id, jwk }, describeAdmin(caller)),
        );
        await ctx.accessLog.record(req, caller, 'SIGNING_KEY_REGISTERED', {
          subject: `${req.params.keyId}/${id}`,
        });
        return reply.code(201).send(keyView(changed));
      },
    );

    app.post(
      '/admin/signing-keys/:signingKeyId/revocation',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary:
            'Revoke a signing key: acts it signs are refused from now on (what it signed before stays checkable)',
          params: SigningKeyParams,
          body: RevocationRequest,
          response: { 200: KeyList, ...problems('FORBIDDEN', 'SIGNING_KEY_NOT_FOUND', 'KEY_NOT_ACTIVE') },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const changed = await storeChange(() =>
          ctx.keys.revokeSigningKey(req.params.signingKeyId, describeAdmin(caller)),
        );
        await ctx.accessLog.record(req, caller, 'SIGNING_KEY_REVOKED', { subject: req.params.signingKeyId });
        return { items: changed.map((k) => keyView(k)) };
      },
    );

    app.post(
      '/admin/labs',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Add a lab: its first API key and its callback secret, each shown once',
          description:
            'The callback secret signs every status callback to the lab (docs/labs.md "Receive status callbacks"); ' +
            'the workers read it from CALLBACK_SECRETS_FILE on their next delivery, so the gateway and the workers ' +
            'must share it.',
          body: AddLabRequest,
          response: { 201: LabAdded, ...problems('FORBIDDEN', 'LAB_ALREADY_EXISTS', 'EXPIRY_IN_THE_PAST') },
        },
      },
      async (req, reply) => {
        const caller = callerOfRequest(req);
        const { labId, holder, expiresAt } = req.body;
        const callbackSecret = await addLabSecret(ctx.callbackSecretsFile, labId);
        if (callbackSecret === undefined) {
          throw new ApiError('LAB_ALREADY_EXISTS', `lab ${labId} already has a callback secret`);
        }
        const { key, record } = await storeChange(() =>
          ctx.keys.issue(`lab:${labId}`, holder, describeAdmin(caller), expiresAt),
        );
        await ctx.accessLog.record(req, caller, 'LAB_ADDED', { subject: `lab:${labId}` });
        return reply.code(201).send({ labId, key: { ...keyView(record), key }, callbackSecret });
      },
    );

    app.get(
      '/access-log',
      {
        onRequest: allow('admin', 'chair'),
        schema: {
          tags: ['admin', 'chair'],
          security: bearer,
          summary: 'Who read which case, opened which restricted note, changed which key (newest first)',
          description:
            'Every read of a case by a government principal, every restricted note opened, every payload decoded ' +
            'for a person, every key and lab change, and every read of this log. Page with `cursor` = the ' +
            'previous page’s `nextCursor`.',
          querystring: AccessLogQuery,
          response: { 200: AccessLogPage, ...problems('FORBIDDEN', 'ACCESS_LOG_UNAVAILABLE') },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const { pageSize, cursor, ...filter } = req.query;
        const page = await ctx.accessLog.query(
          filter,
          pageSize,
          cursor === undefined ? undefined : positionOf(cursor),
        );
        await ctx.accessLog.record(req, caller, 'ACCESS_LOG_READ', {
          caseId: filter.caseId,
          submissionId: filter.submissionId,
        });
        return { items: page.items, nextCursor: page.next === undefined ? undefined : cursorOf(page.next) };
      },
    );
  };
