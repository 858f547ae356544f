import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import {
  NoPasskeyBody,
  PasskeyCreationOptions,
  PasskeyList,
  PasskeyParams,
  PasskeyRegistration,
  PasskeyView,
  RegisteredPasskey,
  RegisteredPasskeyList,
} from '../../shared/api/passkeys';
import type { ActedBy } from '../../shared/domain/acted-by';
import type { PasskeyRecord } from '../../shared/node/passkeys';
import { allow, callerOfRequest, type Caller } from '../auth';
import { ApiError, storeChange } from '../problem';
import { describeAdmin } from './admin';
import { bearer, problems, type RouteContext } from './context';

const tags = ['passkeys'];

/** The person behind a caller, or PASSKEYS_ARE_FOR_PEOPLE: an API key is a system's, which signs with its key. */
const personOf = (caller: Caller): Extract<ActedBy, { kind: 'PERSON' }> => {
  if (caller.by.kind !== 'PERSON') {
    throw new ApiError(
      'PASSKEYS_ARE_FOR_PEOPLE',
      'sign in through the identity provider to register a passkey; a system registers an Ed25519 key with an administrator',
    );
  }
  return caller.by;
};

const view = (p: PasskeyRecord): z.infer<typeof PasskeyView> => ({
  id: p.id,
  principal: p.principal,
  registeredAt: p.registeredAt,
  ...(p.revokedAt === undefined ? {} : { revokedAt: p.revokedAt }),
});

const adminView = (p: PasskeyRecord): z.infer<typeof RegisteredPasskey> => ({
  ...view(p),
  issuer: p.issuer,
  subject: p.subject,
  ...(p.name === undefined ? {} : { name: p.name }),
  ...(p.revokedBy === undefined ? {} : { revokedBy: p.revokedBy }),
});

/**
 * Issue 36: a person's own passkeys. A reviewer or the chair, signed in through the identity provider, registers
 * a passkey once (the dashboard's page /dashboard/passkeys runs the ceremony), and signs each act that is signed
 * with it; they list and revoke their own. Nothing here reaches Temporal.
 */
export const passkeyRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const ceremonies = ctx.signing.passkeys;
    if (ceremonies === undefined) return;
    const people = allow('agency', 'chair');

    app.post(
      '/passkeys/registration-options',
      {
        onRequest: people,
        schema: {
          tags,
          security: bearer,
          summary: 'Begin registering a passkey: the options your browser creates it with',
          description:
            'For a person signed in through the identity provider. Pass the answer to `startRegistration()` ' +
            '(`@simplewebauthn/browser`) and send what it returns to POST /passkeys within five minutes.',
          body: NoPasskeyBody,
          response: { 200: PasskeyCreationOptions, ...problems('FORBIDDEN', 'PASSKEYS_ARE_FOR_PEOPLE') },
        },
      },
      async (req) => ceremonies.registrationOptions(personOf(callerOfRequest(req))) as never,
    );

    app.post(
      '/passkeys',
      {
        onRequest: people,
        schema: {
          tags,
          security: bearer,
          summary: 'Register the passkey your browser created',
          description:
            'The authenticator must verify the person (a PIN or a biometric): acts are signed by a person, not a ' +
            'device left unlocked. The passkey is registered to your issuer and subject, as the principal you act as.',
          body: PasskeyRegistration,
          response: {
            201: PasskeyView,
            ...problems(
              'FORBIDDEN',
              'PASSKEYS_ARE_FOR_PEOPLE',
              'PASSKEY_REGISTRATION_INVALID',
              'PASSKEY_ALREADY_REGISTERED',
            ),
          },
        },
      },
      async (req, reply) => {
        const caller = callerOfRequest(req);
        const record = await ceremonies.register(personOf(caller), caller.principal, req.body);
        await ctx.accessLog.record(req, caller, 'PASSKEY_REGISTERED', { subject: record.id });
        return reply.code(201).send(view(record));
      },
    );

    app.get(
      '/passkeys',
      {
        onRequest: people,
        schema: {
          tags,
          security: bearer,
          summary: 'Your passkeys, revoked ones too',
          response: { 200: PasskeyList, ...problems('FORBIDDEN', 'PASSKEYS_ARE_FOR_PEOPLE') },
        },
      },
      async (req) => ({
        items: ceremonies.store.of(personOf(callerOfRequest(req))).map(view),
      }),
    );

    app.post(
      '/passkeys/:passkeyId/revocation',
      {
        onRequest: people,
        schema: {
          tags,
          security: bearer,
          summary: 'Revoke a passkey of yours: acts it signs are refused from now on',
          description:
            'What it signed before stays checkable: the record keeps each public key beside its acts.',
          params: PasskeyParams,
          body: NoPasskeyBody,
          response: {
            200: PasskeyView,
            ...problems('FORBIDDEN', 'PASSKEYS_ARE_FOR_PEOPLE', 'PASSKEY_NOT_FOUND', 'KEY_NOT_ACTIVE'),
          },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const person = personOf(caller);
        const revoked = await storeChange(() =>
          ceremonies.store.revoke(
            req.params.passkeyId,
            `${person.name ?? person.subject} (${person.issuer})`,
            person,
          ),
        );
        await ctx.accessLog.record(req, caller, 'PASSKEY_REVOKED', { subject: revoked.id });
        return view(revoked);
      },
    );

    // Administrators: every person's passkeys, and revoking one when its owner cannot (a person who left).
    const admin = allow('admin');
    app.get(
      '/admin/passkeys',
      {
        onRequest: admin,
        schema: {
          tags: ['admin'],
          security: bearer,
          summary: "Every person's passkeys, revoked ones too",
          response: { 200: RegisteredPasskeyList, ...problems('FORBIDDEN') },
        },
      },
      async () => ({ items: ceremonies.store.list().map(adminView) }),
    );
    app.post(
      '/admin/passkeys/:passkeyId/revocation',
      {
        onRequest: admin,
        schema: {
          tags: ['admin'],
          security: bearer,
          summary: "Revoke a person's passkey: acts it signs are refused from now on",
          description:
            'For a person who left, or a device lost when its owner cannot revoke it. What it signed stays ' +
            'checkable; the revocation names the administrator who made it.',
          params: PasskeyParams,
          body: NoPasskeyBody,
          response: {
            200: RegisteredPasskey,
            ...problems('FORBIDDEN', 'PASSKEY_NOT_FOUND', 'KEY_NOT_ACTIVE'),
          },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const revoked = await storeChange(() =>
          ceremonies.store.revoke(req.params.passkeyId, describeAdmin(caller)),
        );
        await ctx.accessLog.record(req, caller, 'PASSKEY_REVOKED', { subject: revoked.id });
        return adminView(revoked);
      },
    );
  };
