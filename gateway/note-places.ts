import type { Client } from '@temporalio/client';
import type { FindingRecord } from '../shared/domain/clearinghouse/finding';
import type { ReviewStatus } from '../shared/domain/review/status';
import type { KeyRing } from '../shared/node/key-ring';
import { NoteOpener, noteVersion } from '../shared/node/note-seal';

/**
 * The fields the gateway seals notes for (shared/node/note-seal.ts): each seal opens only at its own.
 *
 *   a case      designation.benchmarkScore (NSA's), decision.restrictedNote:<agency> (each agency's own)
 *   a finding   its title, description, filer, CVSS vector and version, and its timeline (every note and
 *               reason of its messages, which the same readers read)
 */
export const BENCHMARK_SCORE_FIELD = 'designation.benchmarkScore';
export const restrictedNoteField = (agency: string): string => `decision.restrictedNote:${agency}`;
export const FINDING_FIELDS = {
  title: 'finding.title',
  description: 'finding.description',
  filedBy: 'finding.filedBy',
  cvssVector: 'finding.cvssVector',
  cvssVersion: 'finding.cvssVersion',
  timeline: 'finding.timeline',
} as const;

/** The seals a case's status may hold. */
export const sealsOfCase = (s: ReviewStatus): (string | undefined)[] => [
  s.designation?.benchmarkScore,
  ...s.agencies.map((a) => a.decision?.restrictedNote),
];

/** The seals a finding may hold. */
export const sealsOfFinding = (r: FindingRecord): (string | undefined)[] => [
  r.filing.detail.title,
  r.filing.detail.description,
  r.filing.filedBy,
  r.filing.detail.severity.vector,
  r.filing.detail.severity.version,
  ...r.events.map((e) => e.note),
  ...r.events.map((e) => e.actor),
];

/** Records whose answer is kept: the start of a workflow's first run never changes. */
const KEPT = 10_000;

/**
 * Which records may still hold v1 restricted notes (shared/node/note-seal.ts), and the openers of their notes.
 *
 * A v1 seal (releases 1 to 6) names no record or field, so wherever it is read it would open: a worker host,
 * which can make a workflow say anything, could copy one into a record a reader it chooses may read (issue 34,
 * finding 3). So a v1 seal opens only in a record the Temporal server started (its first run, as the server
 * recorded it, which no worker can change) before `v1Before`, the moment this release was deployed
 * (NOTE_SEALS_V1_BEFORE); in a record started later, and in a record read from the permanent record once
 * Temporal no longer holds it, a v1 seal stays withheld. Without `v1Before`, no v1 seal opens.
 */
export class NotePlaces {
  private readonly started = new Map<string, boolean>();

  constructor(
    private readonly deps: {
      temporal: Client;
      notes: KeyRing;
      v1Before?: Date;
      within: <T>(fn: () => Promise<T>) => Promise<T>;
    },
  ) {}

  /** The opener of a record's notes; `seals` are the notes it holds (the server is asked only for a v1 one). */
  async opener(workflowId: string, seals: readonly (string | undefined)[]): Promise<NoteOpener> {
    const hasV1 = seals.some((s) => s !== undefined && noteVersion(s) === 'v1');
    const v1 = hasV1 && (await this.predates(workflowId));
    return new NoteOpener(this.deps.notes, workflowId, v1);
  }

  private async predates(workflowId: string): Promise<boolean> {
    const before = this.deps.v1Before;
    if (before === undefined) return false;
    const known = this.started.get(workflowId);
    if (known !== undefined) return known;
    const answer = await this.firstRunStartedBefore(workflowId, before.getTime());
    // Unknown (Temporal did not answer, or no longer holds the record): withheld now, asked again next time.
    if (answer === undefined) return false;
    if (this.started.size >= KEPT) this.started.delete(this.started.keys().next().value!);
    this.started.set(workflowId, answer);
    return answer;
  }

  private async firstRunStartedBefore(workflowId: string, before: number): Promise<boolean | undefined> {
    try {
      const current = await this.deps.within(() =>
        this.deps.temporal.workflow.getHandle(workflowId).describe(),
      );
      if (current.startTime.getTime() < before) return true;
      const first = current.raw.workflowExecutionInfo?.firstRunId;
      if (first === undefined || first === null || first === '' || first === current.runId) return false;
      const firstRun = await this.deps.within(() =>
        this.deps.temporal.workflow.getHandle(workflowId, first).describe(),
      );
      return firstRun.startTime.getTime() < before;
    } catch {
      // Gone from Temporal (read from the permanent record), or its first run is: nothing says it predates.
      return undefined;
    }
  }
}
