import { z } from 'zod';
import { IsoDate } from '../washington/zone';
import { DecisionKind, Outcome } from '../decisions';
import { IntakeGap } from '../submission';

/**
 * Every event a case records, declared once: who may know of it and, for the lab's events, the payload its
 * status callback carries. The timeline, the lab's view, the callback courier and the README's event table
 * (scripts/render-docs.ts) all follow this declaration.
 *
 * Audiences (domain.md section 2): `lab` events are told to the lab (a status callback and its timeline) and
 * seen by everyone in government; `government` events are seen by the agencies, the chair and operations
 * staff; `operations` events by operations staff and the chair.
 */
export type Audience = 'lab' | 'government' | 'operations';

interface LabEventSpec<S extends z.ZodRawShape> {
  audience: 'lab';
  when: string;
  payload: z.ZodObject<S>;
  /** What the lab reads in its timeline, when the government's summary says more than the lab may know. */
  labSummary?: (payload: z.infer<z.ZodObject<S>>) => string;
}
interface InternalEventSpec {
  audience: 'government' | 'operations';
  when: string;
}

/**
 * A lab event's payload schema is built on first use: the workflow records events by their audience and never
 * parses a payload, so it does not build them for every cached workflow.
 */
const lab = <S extends z.ZodRawShape>(
  when: string,
  shape: () => S,
  labSummary?: (payload: z.infer<z.ZodObject<S>>) => string,
): LabEventSpec<S> => {
  let payload: z.ZodObject<S> | undefined;
  return {
    audience: 'lab',
    when,
    labSummary,
    get payload() {
      return (payload ??= z.object(shape()));
    },
  };
};
const internal = (audience: InternalEventSpec['audience'], when: string): InternalEventSpec => ({
  audience,
  when,
});

const instant = z.iso.datetime();
const Deadlines = z.lazy(() =>
  z.object({
    windowEnd: instant,
    nationalSecurityReview: instant,
    civilianReview: instant,
    determination: instant,
  }),
);
const LapseToll = () => ({ reason: z.literal('FUNDING_LAPSE'), lapseId: z.string() });
const OfferAnswer = () => ({ offerId: z.string(), accepted: z.boolean(), windowEnd: instant });

export const EVENTS = {
  RECEIVED: lab('the filing arrives', () => ({
    receivedAt: instant,
    model: z.object({ name: z.string(), version: z.string().optional() }),
    previousSubmissionId: z.string().optional(),
  })),
  DEFICIENT: lab('intake finds the filing incomplete', () => ({
    gaps: z.array(IntakeGap),
    problems: z.array(z.string()),
    supplementDue: instant,
  })),
  SUPPLEMENTED: lab('the lab supplements a deficient filing', () => ({ fields: z.array(z.string()) })),
  DESIGNATION_PENDING: lab(
    "intake's screen proposes; the designating agency (NSA) designates by `dueAt`, or the proposal stands",
    () => ({
      agency: z.string(),
      dueAt: instant,
      proposal: z.object({ covered: z.boolean(), reason: z.string() }),
    }),
  ),
  DESIGNATED: lab(
    'the designating agency designates the model covered or not (`AGENCY`), or was silent (`PROPOSAL_STANDS`)',
    () => ({
      agency: z.string(),
      covered: z.boolean(),
      reason: z.string(),
      source: z.enum(['AGENCY', 'PROPOSAL_STANDS']),
    }),
  ),
  NOT_COVERED: lab(
    'the screen (rules 3: the designation) finds the model not covered; the case closes',
    () => ({
      reason: z.string(),
    }),
  ),
  INSUFFICIENT_NOTICE: lab('the planned release leaves no window (or less than the minimum notice)', () => ({
    reason: z.string(),
  })),
  ACCEPTED: lab('acceptance: day 0, the pinned policy and every deadline', () => ({
    acceptedAt: instant,
    policy: z.object({ id: z.string(), version: z.int() }),
    shortNotice: z.boolean(),
    deadlines: Deadlines,
  })),
  STAGE_OPENED: lab('a review stage opens', () => ({ stage: z.string(), dueAt: instant })),
  STAGE_CLOSED: lab('a review stage closes', () => ({
    stage: z.string(),
    /** Rules 2: it closed this long after its own deadline, and every later deadline moved by as much. */
    lateByMs: z.int().positive().optional(),
    deadlines: Deadlines.optional(),
  })),
  INFORMATION_REQUESTED: lab('an agency asks the lab a question; its own deadline is tolled', () => ({
    requestId: z.string(),
    agency: z.string(),
    questions: z.array(z.string()),
    answerDueAt: instant,
    tolledDeadline: z.string(),
  })),
  INFORMATION_ANSWERED: lab("the lab answers; the agency's clock resumes", () => ({
    requestId: z.string(),
    agency: z.string(),
    resumedDeadline: z.string(),
    newDueAt: instant,
  })),
  INFORMATION_OVERDUE: lab("the lab's answer is late", () => ({ requestId: z.string(), agency: z.string() })),
  CLOCK_EXTENDED: lab(
    'an agency extends its own deadline',
    () => ({ agency: z.string(), stage: z.string(), days: z.int(), newDueAt: instant }),
    // The agency's reason for more time is internal: the lab learns the fact and the new due time.
    (p) => `${p.agency} extended its ${p.stage} deadline by ${p.days} day(s)`,
  ),
  WINDOW_AT_RISK: lab('government deadlines need the window longer: an extension is offered', () => ({
    offerId: z.string(),
    windowEnd: instant,
    proposedWindowEnd: instant,
  })),
  WINDOW_EXTENDED: lab('the lab accepts the extension', OfferAnswer),
  EXTENSION_DECLINED: lab('the lab declines the extension', OfferAnswer),
  CLOCK_TOLLED: lab(
    'operations staff toll the government clocks (funding lapse)',
    LapseToll,
    () => 'government clocks tolled by a funding lapse',
  ),
  CLOCK_RESUMED: lab(
    "the government clocks resume (a funding lapse ends), or the tolling cap restarts an agency's clock",
    () => ({
      reason: z.enum(['FUNDING_LAPSE', 'TOLL_CAP']),
      lapseId: z.string().optional(),
      requestId: z.string().optional(),
      agency: z.string().optional(),
      newDueAt: instant.optional(),
    }),
  ),
  CLOSURE_DECLARED: lab(
    'operations staff declare a closure of federal offices: deadlines falling on it move to the next business day',
    () => ({
      closureId: z.string(),
      dates: z.array(IsoDate),
      /** Every case accepted: the window's end and the government's deadlines as they now stand. */
      deadlines: Deadlines.optional(),
      /** Rules 7, a case waiting for its designation: the designating agency's deadline as it now stands. */
      designationDueAt: instant.optional(),
    }),
  ),
  DEADLINE_MOVED: lab(
    'a closure moves a deadline the lab must meet (its answer to an information request): its new due time',
    () => ({
      requestId: z.string(),
      agency: z.string(),
      dueAt: instant,
      previousDueAt: instant,
      reason: z.enum(['CLOSURE']),
      closureId: z.string(),
    }),
  ),
  RELEASE_DATE_AMENDED: lab('the lab moves its planned release', () => ({
    plannedReleaseDate: instant,
    shortNotice: z.boolean().optional(),
    deadlines: Deadlines.optional(),
  })),
  ESCALATED: lab(
    'conflicting positions go to the chair (the fact only)',
    () => ({}),
    () => 'escalated to the review chair',
  ),
  DETERMINATION_ISSUED: lab('the determination is issued', () => ({
    outcome: Outcome,
    rationale: z.string(),
    commitments: z.array(z.string()),
    agencySummaries: z.array(z.object({ agency: z.string(), kind: DecisionKind, summary: z.string() })),
  })),
  WINDOW_ENDED: lab('the pre-release window ends: the lab is release-eligible', () => ({
    releaseEligible: z.literal(true),
    outcome: Outcome.optional(),
  })),
  WITHDRAWN: lab('the lab withdraws', () => ({ reason: z.string().optional() })),
  RELEASE_REPORTED: lab('the lab reports its public release', () => ({
    releasedAt: instant,
    early: z.boolean(),
  })),
  CALLBACK_ENDPOINT_CHANGED: lab('the lab changes its callback endpoint', () => ({
    callbackUrl: z.string(),
  })),
  CLOSED: lab('the case closes', () => ({ reason: z.string(), outcome: Outcome.optional() })),
  DECISION_RECORDED: internal('government', 'an agency records its decision'),
  EARLY_ACCESS_NOMINATED: internal(
    'government',
    'the nominating agency (CISA) nominates an operator for early access (rules 6; the grant tells the lab)',
  ),
  NO_RESPONSE: internal('government', 'an agency is silent at its deadline'),
  CALLBACKS_REDELIVERED: internal('operations', "operations staff or the lab redeliver the lab's callbacks"),
} as const;

type Declared = typeof EVENTS;
export type EventType = keyof Declared;
export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];
export const EventType = z.enum(EVENT_TYPES as [EventType, ...EventType[]]);

/** The events the lab is told about. */
export type LabEventType = {
  [K in EventType]: Declared[K]['audience'] extends 'lab' ? K : never;
}[EventType];
export const LAB_EVENT_TYPES = EVENT_TYPES.filter((t) => EVENTS[t].audience === 'lab') as LabEventType[];
export const LabEventType = z.enum(LAB_EVENT_TYPES as [LabEventType, ...LabEventType[]]);

export type EventPayload<T extends LabEventType> = z.infer<Declared[T]['payload']>;

export const audienceOf = (type: EventType): Audience => EVENTS[type].audience;
