import type { Role } from '../shared/domain/principal';

/**
 * What each role may see of a case (domain.md section 2), declared once: the views (views.ts) follow it and the
 * CLI shows what the API answers. The authorization tests write their expectations out from the guides instead,
 * so that they check this declaration rather than repeat it.
 */
export interface ViewRules {
  /** Which cases the role reads at all; any other is "not found", whatever the reason. */
  cases: 'none' | 'own' | 'onRoster' | 'all';
  /** Restricted notes: read (opened), or only their existence. */
  restrictedNotes: 'never' | 'ownStage' | 'all' | 'existenceOnly';
  /** Each agency's position before the determination (which carries their unclassified summaries). */
  positions: boolean;
  /** Stage material (information requests, the lab's answers, extensions and their reasons). */
  stageMaterial: 'own' | 'ownStage' | 'all';
  /** Timeline entries: those told to the lab, or every entry. */
  timeline: 'labEvents' | 'government' | 'all';
  /** Callback failures: the category only, or the detail (addresses, errors). */
  callbackFailures: 'category' | 'detail';
  /** Operations' free-text reasons (a funding lapse's, a closure's). */
  operationsNotes: boolean;
  /**
   * Who acted on each act (issue 36): the person or system beside the principal, in a case's timeline and in the
   * histories of findings, commitments, grants and labs' records. The government side sees it; a lab or an
   * operator learns the agency, never who at the agency acted.
   */
  whoActed: boolean;
}

export const VIEW_POLICY: Readonly<Record<Role, ViewRules>> = {
  lab: {
    cases: 'own',
    restrictedNotes: 'never',
    positions: false,
    stageMaterial: 'own',
    timeline: 'labEvents',
    callbackFailures: 'category',
    operationsNotes: false,
    whoActed: false,
  },
  agency: {
    cases: 'onRoster',
    restrictedNotes: 'ownStage',
    positions: true,
    stageMaterial: 'ownStage',
    timeline: 'government',
    callbackFailures: 'category',
    operationsNotes: true,
    whoActed: true,
  },
  /** An early-access operator reads its own grants and the model's unclassified summary in them, no case. */
  operator: {
    cases: 'none',
    restrictedNotes: 'never',
    positions: false,
    stageMaterial: 'own',
    timeline: 'labEvents',
    callbackFailures: 'category',
    operationsNotes: false,
    whoActed: false,
  },
  chair: {
    cases: 'all',
    restrictedNotes: 'all',
    positions: true,
    stageMaterial: 'all',
    timeline: 'all',
    callbackFailures: 'detail',
    operationsNotes: true,
    whoActed: true,
  },
  ops: {
    cases: 'all',
    restrictedNotes: 'existenceOnly',
    positions: true,
    stageMaterial: 'all',
    timeline: 'all',
    callbackFailures: 'detail',
    operationsNotes: true,
    whoActed: true,
  },
};

/** Whether a caller's role sees who acted (administrators read no record). */
export const seesWhoActed = (role: Role | 'admin'): boolean => role !== 'admin' && VIEW_POLICY[role].whoActed;

/**
 * A record's history as a reader sees it: who acted on each entry, and the act's signature (issue 36), only for
 * a reader who sees who acted.
 */
export const actsAsSeen = <E extends { by?: unknown; signed?: unknown }>(
  events: readonly E[],
  sees: boolean,
): Omit<E, 'by' | 'signed'>[] =>
  events.map(({ by, signed, ...e }) =>
    sees ? { ...e, ...(by === undefined ? {} : { by }), ...(signed === undefined ? {} : { signed }) } : e,
  );
