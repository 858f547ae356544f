import type { z } from 'zod';
import type { LabCaseView, CaseView } from '../shared/api/responses';
import type { Projection } from '../shared/domain/projection';
import type { SignedActName } from '../shared/domain/signed-act';
import { AMERICA_NEW_YORK_2025C } from '../shared/domain/washington/zone-america-new-york-2025c';
import { instantOf, IsoDate } from '../shared/domain/washington/zone';

/**
 * What every act's form is made of: its fields, the act itself, and how the values typed become the API's body.
 * The government's acts (./acts.ts) and the lab's (./lab-acts.ts) are both written in these terms.
 */

export type FormValues = Record<string, string | string[] | undefined>;

/** A case as the person signed in reads it: the government's view, or the lab's. */
export type AnyCase = CaseView | LabCaseView;

export interface Choice {
  value: string;
  label: string;
}

export interface Field {
  name: string;
  label: string;
  hint?: string;
  /** `washington-time`: a date and time of day in Washington, sent to the API as the instant it names. */
  kind: 'select' | 'text' | 'textarea' | 'number' | 'lines' | 'washington-time';
  options?: readonly Choice[];
  /** A select's options read from the case as it stands (the lab's open questions, its open offers). */
  choices?(c: AnyCase): Choice[];
  required?: boolean;
  /** The API's body paths this field answers for: a refusal at one of them is shown beside it. */
  paths: readonly string[];
}

/**
 * What an act is taken on: a review case, a lab's record (the chair's trusted partners), a clearinghouse finding,
 * a commitment of a determination, an operator's early-access grant.
 */
export type Subject = 'case' | 'lab' | 'finding' | 'commitment' | 'grant';

/** The roles whose people take acts in the browser. */
export type ActRole = 'agency' | 'chair' | 'lab' | 'operator';

export interface Act {
  /** The message it sends: an act that decides is one a policy may have people sign. */
  name:
    | SignedActName
    | 'nominateOperator'
    | 'supplement'
    | 'rejectFinding'
    | 'remediateFinding'
    | 'answerInformationRequest'
    | 'amendReleaseDate'
    | 'respondToExtensionOffer'
    | 'withdraw'
    | 'reportRelease'
    | 'changeCallbackEndpoint'
    | 'redeliverCallbacks'
    | 'attestCommitment'
    | 'extendRemediation'
    | 'approveGrant'
    | 'declineGrant'
    | 'revokeGrant'
    | 'reportGrantUse';
  title: string;
  subject: Subject;
  /**
   * Who may take it: an agency (NSA alone for the designation), the chair, the lab (on its own cases,
   * commitments and grants), an operator (its own grants); a grant's revocation is the lab's and the operator's.
   */
  role: ActRole | readonly ActRole[];
  only?: string;
  /**
   * The API route, under the subject's own (/v1/submissions/{caseId}/, /v1/labs/{labId}/, /v1/findings/{findingId}/).
   * A `{field}` in it is that field of the body, taken out of the body sent (as the API's own paths do).
   */
  path: string;
  fields: readonly Field[];
  body(values: FormValues, caller: { id?: string }): Record<string, unknown>;
  /** The API's own shape for the body: the form is checked by it before anything is shown or sent. */
  schema(): z.ZodType;
  /** What the page says the act will do, in words. */
  effect: string;
  /** The what-if projection to show which deadlines move, when the act moves any. */
  projection?(
    values: FormValues,
    caller: { principal: string },
    now: number,
    c?: AnyCase,
  ): Projection | undefined;
}

/** Whether a caller of this role (and id) may take the act: the page offers it, and its form opens. */
export const takes = (act: Act, caller: { role: string; id?: string }): boolean =>
  (typeof act.role === 'string'
    ? act.role === caller.role
    : (act.role as readonly string[]).includes(caller.role)) &&
  (act.only === undefined || act.only === caller.id);

/** The route and body an act sends: each `{field}` of its path filled from the body, and left out of it. */
export function routeOf(
  act: Act,
  body: Record<string, unknown>,
): { path: string; body: Record<string, unknown> } {
  const rest = { ...body };
  const path = act.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    const value = rest[name];
    delete rest[name];
    return encodeURIComponent(typeof value === 'string' && value !== '' ? value : '-');
  });
  return { path, body: rest };
}

/** The act's fields as this case offers them: each select whose options the case gives, with them. */
export const fieldsOf = (act: Act, c: AnyCase | undefined): Field[] =>
  act.fields.map((f) => (f.choices === undefined || c === undefined ? f : { ...f, options: f.choices(c) }));

export const one = (v: string | string[] | undefined): string =>
  (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
export const lines = (v: string | string[] | undefined): string[] =>
  one(v)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
export const optional = (v: string): string | undefined => (v === '' ? undefined : v);
/** An optional note: left out when nothing was typed. */
export const noteOf = (v: string | string[] | undefined): { note?: string } => {
  const note = optional(one(v));
  return note === undefined ? {} : { note };
};
/** A number as typed: what is not one is sent as the text, so the API names the field. */
export const numberOf = (v: string): number | string | undefined => {
  if (v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : v;
};

/**
 * A Washington date and time as a browser's `datetime-local` sends it (`2027-03-01T17:00`), as the instant it
 * names; anything else is sent as typed, so the API refuses it beside the field.
 */
export function washingtonInstant(v: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})$/.exec(v);
  if (m === null || !IsoDate.safeParse(m[1]).success) return v;
  const [hours, minutes] = [Number(m[2]), Number(m[3])];
  if (hours > 23 || minutes > 59) return v;
  try {
    return new Date(instantOf(AMERICA_NEW_YORK_2025C, m[1], hours * 60 + minutes)).toISOString();
  } catch {
    // Outside the zone table's years: the API names the field.
    return v;
  }
}

/** An instant as a `datetime-local` value in Washington (`2027-03-01T17:00`), to fill a form with it. */
export function washingtonLocal(at: string | number): string {
  const parts = Object.fromEntries(LOCAL.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour === '24' ? '00' : parts.hour}:${parts.minute}`;
}
const LOCAL = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
