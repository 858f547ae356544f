import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { NoQuery } from '../../shared/api/requests';
import { EnrolledPerson, EnrolPersonRequest, PeopleList, RemovePersonRequest } from '../../shared/api/people';
import { labOf } from '../../shared/domain/principal';
import { allow, callerOfRequest } from '../auth';
import { storeChange } from '../problem';
import { describeAdmin, refuseLabWithoutSecret } from './admin';
import { bearer, problems, type RouteContext } from './context';

const tags = ['admin'];

/**
 * The labs' and operators' people (issue 38): an identity provider such as Login.gov names no lab, so an
 * administrator enrols each person (issuer and subject) for the lab or operator they act for, a lab's person
 * as a filer or one of its security contacts. The enrolment holds from the next request; a removal ends the
 * person's sessions at once. Each change is in the access log.
 */
export const peopleRoutes =
  (ctx: RouteContext): FastifyPluginAsyncZod =>
  async (app) => {
    const admin = allow('admin');
    const subjectOf = (p: { issuer: string; subject: string }) => `${p.issuer} ${p.subject}`;

    app.get(
      '/admin/people',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary: "The labs' and operators' people, enrolled and removed",
          querystring: NoQuery,
          response: { 200: PeopleList, ...problems('FORBIDDEN') },
        },
      },
      async () => ({ items: ctx.people.list() }),
    );

    app.post(
      '/admin/people',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Enrol a person for a lab or an operator: signed in, they act as it',
          description:
            'The person is named as the identity provider names them (issuer and subject: Login.gov gives each ' +
            'person a subject of its own). A lab must have been added (its callback secret exists).',
          body: EnrolPersonRequest,
          response: {
            201: EnrolledPerson,
            ...problems('FORBIDDEN', 'PERSON_ALREADY_ENROLLED', 'LAB_CALLBACK_SECRET_MISSING'),
          },
        },
      },
      async (req, reply) => {
        const caller = callerOfRequest(req);
        const lab = labOf(req.body.principal);
        if (lab !== undefined) refuseLabWithoutSecret(ctx.callbackSecretsFile, lab);
        const enrolled = await storeChange(() => ctx.people.enrol(req.body, describeAdmin(caller)));
        await ctx.accessLog.record(req, caller, 'PERSON_ENROLLED', { subject: subjectOf(req.body) });
        return reply.code(201).send(enrolled);
      },
    );

    app.post(
      '/admin/people/removal',
      {
        onRequest: admin,
        schema: {
          tags,
          security: bearer,
          summary: 'Remove a person from a lab or an operator: refused from the next request, sessions ended',
          body: RemovePersonRequest,
          response: { 200: EnrolledPerson, ...problems('FORBIDDEN', 'PERSON_NOT_ENROLLED') },
        },
      },
      async (req) => {
        const caller = callerOfRequest(req);
        const removed = await storeChange(() => ctx.people.remove(req.body, describeAdmin(caller)));
        ctx.sessions?.endPerson(req.body.issuer, req.body.subject);
        await ctx.accessLog.record(req, caller, 'PERSON_REMOVED', { subject: subjectOf(req.body) });
        return removed;
      },
    );
  };
