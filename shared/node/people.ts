import { z } from 'zod';
import { EnrolledPerson } from '../api/people';
import { OwnerFileStore } from './owner-file';

/**
 * The people administrators enrol (issue 38): a person signed in through an identity provider whose claims name
 * no lab (Login.gov's do not) acts for the lab or operator enrolled here. A local file beside the API keys
 * (PEOPLE_FILE), changed under a lock and written atomically, read again when it changes, so an enrolment or a
 * removal holds from the gateway's next request. A removal is kept with who removed the person and when.
 */
const PeopleFile = z.strictObject({ version: z.literal(1), people: z.array(EnrolledPerson) });

/** A refused change of an enrolment: the code the API answers with. */
export class EnrolmentError extends Error {
  constructor(
    readonly code: 'PERSON_ALREADY_ENROLLED' | 'PERSON_NOT_ENROLLED',
    message: string,
  ) {
    super(message);
  }
}

/** One person acting for one principal. */
export interface Enrolment {
  issuer: string;
  subject: string;
  principal: string;
}

const same = (p: EnrolledPerson, e: Enrolment): boolean =>
  p.issuer === e.issuer && p.subject === e.subject && p.principal === e.principal;
const active = (p: EnrolledPerson): boolean => p.removedAt === undefined;

export class People {
  private readonly store: OwnerFileStore<EnrolledPerson>;

  private constructor(readonly file: string) {
    this.store = new OwnerFileStore(file, 'people', PeopleFile, 'people');
  }

  /** Opens the store, creating an empty one when its file does not exist yet. */
  static open(file: string): People {
    return new People(file);
  }

  /** Every enrolment ever made, removed ones too. */
  list(): EnrolledPerson[] {
    return this.store.list();
  }

  /** What one person is enrolled as now. */
  of(issuer: string, subject: string): EnrolledPerson[] {
    return this.list().filter((p) => active(p) && p.issuer === issuer && p.subject === subject);
  }

  /** Enrols a person for a principal; one active enrolment per person and principal. */
  enrol(
    person: Enrolment & { name?: string; securityContact?: boolean },
    by: string,
  ): Promise<EnrolledPerson> {
    return this.store.change((all) => {
      if (all.some((p) => active(p) && same(p, person))) {
        throw new EnrolmentError(
          'PERSON_ALREADY_ENROLLED',
          `${person.subject} at ${person.issuer} is already enrolled as ${person.principal}`,
        );
      }
      const record = EnrolledPerson.parse({
        ...person,
        ...(person.securityContact === true ? { securityContact: true } : { securityContact: undefined }),
        enrolledAt: new Date().toISOString(),
        enrolledBy: by,
      });
      return { all: [...all, record], result: record };
    });
  }

  /** Ends a person's enrolment for a principal (kept, marked removed). */
  remove(person: Enrolment, by: string): Promise<EnrolledPerson> {
    return this.store.change((all) => {
      const found = all.find((p) => active(p) && same(p, person));
      if (found === undefined) {
        throw new EnrolmentError(
          'PERSON_NOT_ENROLLED',
          `${person.subject} at ${person.issuer} is not enrolled as ${person.principal}`,
        );
      }
      const removed = { ...found, removedAt: new Date().toISOString(), removedBy: by };
      return { all: all.map((p) => (p === found ? removed : p)), result: removed };
    });
  }
}
