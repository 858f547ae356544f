import { z } from 'zod';
import { REQUEST_EXAMPLES } from './examples';

/** The principals people are enrolled as (issue 38): a lab's people and an operator's; agencies map by claim. */
export const EnrolledPrincipal = z
  .string()
  .regex(/^(lab|operator):[A-Za-z0-9_.-]{1,64}$/, 'people are enrolled as lab:<id> or operator:<id>');

/** The person, as the identity provider names them: its issuer and the subject it gives them. */
const Who = { issuer: z.url().max(500), subject: z.string().min(1).max(255) };

/**
 * One person enrolled by an administrator: an identity provider with no claim that names a lab (Login.gov has
 * none) signs them in, and this says whom they act for. A lab's person is a filer, or one of its security
 * contacts (who read every clearinghouse finding about the lab's models in full, as a security contact's key
 * does).
 */
export const EnrolledPerson = z
  .object({
    ...Who,
    principal: EnrolledPrincipal,
    name: z.string().max(200).optional(),
    securityContact: z.boolean().optional(),
    enrolledAt: z.iso.datetime(),
    enrolledBy: z.string().max(300).optional(),
    removedAt: z.iso.datetime().optional(),
    removedBy: z.string().max(300).optional(),
  })
  .meta({ id: 'EnrolledPerson' });
export type EnrolledPerson = z.infer<typeof EnrolledPerson>;

export const EnrolPersonRequest = z
  .strictObject({
    ...Who,
    principal: EnrolledPrincipal,
    name: z.string().min(1).max(200).optional(),
    securityContact: z.boolean().optional(),
  })
  .meta({ id: 'EnrolPersonRequest', examples: [REQUEST_EXAMPLES.enrolPerson] });
export type EnrolPersonRequest = z.infer<typeof EnrolPersonRequest>;

export const RemovePersonRequest = z
  .strictObject({ ...Who, principal: EnrolledPrincipal })
  .meta({ id: 'RemovePersonRequest', examples: [REQUEST_EXAMPLES.removePerson] });
export type RemovePersonRequest = z.infer<typeof RemovePersonRequest>;

export const PeopleList = z.object({ items: z.array(EnrolledPerson) }).meta({ id: 'PeopleList' });
