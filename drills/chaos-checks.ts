import type { Action, Ledger } from './ledger';
import type { FaultyReceiver } from './receiver';

/** What the chaos run found once the system settled. Every count under `problems` must be zero. */
export interface ChaosFigures {
  actions: {
    sent: number;
    accepted: number;
    refused: number;
    /** Still without a definitive answer after settling (a problem). */
    unknown: number;
    /** Requests asked again with the same Idempotency-Key (no connection, 5xx, 429 on the way). */
    retries: number;
    /** Answers of 500 itself, which is never a right answer (503 while Temporal is away is). */
    internalErrors: number;
    /** Cases an ops fan-out applied its message to. */
    fanOutApplied: number;
  };
  events: {
    sent: number;
    processed: number;
    /** Deliveries of an event id the receiver already had (at least once: expected under faults). */
    duplicatesDelivered: number;
    /** Times the receiver processed an event id it had processed before (must be 0). */
    duplicatesProcessed: number;
  };
  cases: { total: number; closed: number; open: number };
  /** The longest time an action on a case waited for a definitive answer. */
  longestStallMs: number;
  /** The actions that waited longest, and what they met on the way. */
  slowest: { kind: string; caseId: string; waitedMs: number; tries: number; lastRetry?: string }[];
  /** The longest time from an event to the lab's receiver processing it. */
  longestCallbackLagMs: number;
  /** Every ops fan-out request and what its report counted. */
  fanOuts: { kind: string; status?: number; code?: string; counts?: Record<string, unknown> }[];
  /** Every check that failed, with what it saw. */
  problems: string[];
}

export interface Entry {
  seq: number;
  at?: string;
  actor: string;
  type: string;
}

export interface CaseRead {
  stage: string;
  acceptedAt?: string;
  closedReason?: string;
  nextDeadline?: { dueAt: string };
  timeline: Entry[];
  callbacks: { events: number; pending: number };
}

interface Inputs {
  receiver: FaultyReceiver;
  ledger: Ledger;
  cases: string[];
  settleMs: number;
}

/**
 * Waits until every action has an answer and every case has delivered its callbacks and is closed or waits
 * for a deadline (an activity attempt a killed worker held is retried only after its timeout), then checks the
 * record.
 */
export async function checkSettled({ receiver, ledger, cases, settleMs }: Inputs): Promise<ChaosFigures> {
  const until = Date.now() + settleMs;
  await Promise.all(ledger.unresolved.map((a) => ledger.resolve(a)));
  let reads = new Map<string, CaseRead>();
  for (;;) {
    reads = await readAll(ledger, cases);
    const unsettled = cases.filter((id) => {
      const c = reads.get(id);
      return c === undefined || c.callbacks.pending > 0 || !(c.closedReason !== undefined || waits(c));
    });
    if (unsettled.length === 0 || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return judge(ledger.actions, receiver, cases, reads, ledger.internalReads);
}

async function readAll(ledger: Ledger, cases: string[]): Promise<Map<string, CaseRead>> {
  const out = new Map<string, CaseRead>();
  for (const id of cases) {
    const view = await ledger.read('chair', `/v1/submissions/${id}`);
    if (view !== undefined) out.set(id, view as unknown as CaseRead);
  }
  return out;
}

/** Whether an open case waits for a deadline still ahead (rather than for nothing). */
const waits = (c: CaseRead): boolean =>
  c.nextDeadline !== undefined && Date.parse(c.nextDeadline.dueAt) > Date.now();

const waited = (a: Action): number => (a.resolvedAt ?? Date.now()) - a.firstSentAt;

/** The figures and problems of a settled run: what was asked and answered, against what the cases recorded. */
export function judge(
  actions: Action[],
  receiver: Pick<FaultyReceiver, 'processed' | 'processedCount' | 'deliveries'>,
  cases: string[],
  reads: Map<string, CaseRead>,
  internalReads: string[] = [],
): ChaosFigures {
  const problems: string[] = [];
  const problem = (p: string) => problems.push(p);
  const unresolved = actions.filter((a) => a.status === undefined);
  const accepted = actions.filter((a) => a.status !== undefined && a.status < 300);
  const refused = actions.filter((a) => a.status !== undefined && a.status >= 400);
  for (const a of unresolved) problem(`no answer: ${a.kind} on ${a.caseId} (${a.retried.at(-1) ?? ''})`);

  // Every accepted action is in its case's timeline exactly once, where its receipt says; no refused one is.
  const messages = accepted.filter((a) => a.caseId !== '*' && a.kind !== 'file');
  for (const id of cases) {
    const c = reads.get(id);
    if (c === undefined) {
      problem(`${id}: could not be read after settling`);
      continue;
    }
    const mine = messages.filter((a) => a.caseId === id);
    const bySeq = new Map(c.timeline.map((e) => [e.seq, e]));
    for (const a of mine) {
      const entry = a.seq === undefined ? undefined : bySeq.get(a.seq);
      if (entry?.actor !== a.party) problem(`${id}: accepted ${a.kind} by ${a.party} is not at seq ${a.seq}`);
    }
    const receipted = new Set(mine.map((a) => a.seq));
    const drillActors = new Set(
      actions.filter((a) => a.caseId === id || a.caseId === '*').map((a) => a.party),
    );
    for (const e of c.timeline) {
      if (e.type === 'RECEIVED' || !drillActors.has(e.actor) || receipted.has(e.seq)) continue;
      if (e.actor === 'ops') continue; // fan-out entries: checked below
      problem(`${id}: ${e.type} by ${e.actor} (seq ${e.seq}) was applied without an accepted request`);
    }
    if (c.timeline.filter((e) => e.type === 'RECEIVED').length !== 1)
      problem(`${id}: not received exactly once`);
    if (new Set(mine.map((a) => a.seq)).size !== mine.length)
      problem(`${id}: two accepted actions share a receipt`);
    if (c.callbacks.pending > 0)
      problem(`${id}: ${c.callbacks.pending} callbacks still pending after settling`);
    if (c.closedReason === undefined && !waits(c)) problem(`${id}: open with no future wake-up (stuck)`);
  }
  const fanOutApplied = checkFanOuts(actions, reads, problem);

  // Every lab event reached the receiver, in order, without a gap, and was processed once.
  let sent = 0;
  let processed = 0;
  let lag = 0;
  for (const id of cases) {
    const c = reads.get(id);
    if (c === undefined) continue;
    sent += c.callbacks.events;
    const got = receiver.processed.get(id.slice(id.indexOf(':') + 1)) ?? [];
    processed += got.length;
    const sequences = got.map((p) => p.sequence);
    const expected = Array.from({ length: c.callbacks.events }, (_v, i) => i + 1);
    if (sequences.join(',') !== expected.join(',')) {
      problem(
        `${id}: receiver processed sequences [${sequences.join(',')}], expected 1..${c.callbacks.events}`,
      );
    }
    for (const p of got) lag = Math.max(lag, p.processedAt - Date.parse(p.occurredAt));
  }
  // Each commitment's events too: in order, from 1, without a gap (their workflows settle on their own).
  for (const [stream, got] of receiver.processed) {
    if (!stream.startsWith('commitment:')) continue;
    const sequences = got.map((p) => p.sequence);
    if (sequences.some((n, i) => n !== i + 1)) {
      problem(`${stream}: receiver processed sequences [${sequences.join(',')}], expected 1..n in order`);
    }
  }
  const overOne = (m: Map<string, number>) => [...m.values()].reduce((n, v) => n + Math.max(0, v - 1), 0);
  const duplicatesProcessed = overOne(receiver.processedCount);
  if (duplicatesProcessed > 0) problem(`${duplicatesProcessed} events were processed more than once`);

  const internalErrors =
    actions.flatMap((a) => a.retried).filter((r) => r.startsWith('500')).length +
    actions.filter((a) => a.status === 500).length +
    internalReads.length;
  if (internalErrors > 0) problem(`${internalErrors} answers were 500`);
  for (const path of new Set(internalReads)) problem(`a read of ${path} answered 500`);
  const closed = cases.filter((id) => reads.get(id)?.closedReason !== undefined).length;
  return {
    actions: {
      sent: actions.length,
      accepted: accepted.length,
      refused: refused.length,
      unknown: unresolved.length,
      retries: actions.reduce((n, a) => n + a.tries - 1, 0),
      internalErrors,
      fanOutApplied,
    },
    events: { sent, processed, duplicatesDelivered: overOne(receiver.deliveries), duplicatesProcessed },
    cases: { total: cases.length, closed, open: cases.length - closed },
    longestStallMs: Math.max(0, ...actions.map(waited)),
    slowest: [...actions]
      .sort((a, b) => waited(b) - waited(a))
      .slice(0, 5)
      .map((a) => ({
        kind: a.kind,
        caseId: a.caseId,
        waitedMs: waited(a),
        tries: a.tries,
        lastRetry: a.retried.at(-1),
      })),
    longestCallbackLagMs: lag,
    fanOuts: actions
      .filter((a) => a.caseId === '*')
      .map((a) => ({
        kind: a.kind,
        status: a.status,
        code: a.code,
        counts: a.answer && {
          change: a.answer.change,
          matched: a.answer.matched,
          applied: a.answer.applied,
          rejected: a.answer.rejected,
          unavailable: a.answer.unavailable,
        },
      })),
    problems,
  };
}

/**
 * A fan-out's report names each case's receipt: each APPLIED one is in that case's timeline by ops, and every
 * ops entry in a timeline is some fan-out's applied receipt.
 */
function checkFanOuts(actions: Action[], reads: Map<string, CaseRead>, problem: (p: string) => void): number {
  // Per case: each fan-out message (a request asked again is the same message) and the seq it landed at.
  const landed = new Map<string, Map<string, number>>();
  const applied = new Map<string, Set<number>>();
  for (const a of actions) {
    if (a.caseId !== '*' || a.status === undefined || a.status >= 300) continue;
    const message = `${a.path} ${JSON.stringify(a.body)}`;
    const results = (a.answer?.results ?? []) as {
      caseId?: string;
      outcome: string;
      receipt?: { seq: number };
    }[];
    for (const r of results) {
      if (r.outcome !== 'APPLIED' || r.caseId === undefined || r.receipt === undefined) continue;
      const messages = landed.get(r.caseId) ?? new Map<string, number>();
      const before = messages.get(message);
      if (before !== undefined && before !== r.receipt.seq) {
        problem(`${r.caseId}: ${a.kind} applied twice (seq ${before} and ${r.receipt.seq})`);
      }
      const other = [...messages].find(([m, seq]) => m !== message && seq === r.receipt!.seq);
      if (other !== undefined) problem(`${r.caseId}: two fan-out messages name seq ${r.receipt.seq}`);
      landed.set(r.caseId, messages.set(message, r.receipt.seq));
      applied.set(r.caseId, (applied.get(r.caseId) ?? new Set<number>()).add(r.receipt.seq));
      const entry = reads.get(r.caseId)?.timeline.find((e) => e.seq === r.receipt!.seq);
      if (reads.has(r.caseId) && entry?.actor !== 'ops') {
        problem(`${r.caseId}: ${a.kind} applied at seq ${r.receipt.seq}, but that entry is not ops'`);
      }
    }
  }
  for (const [id, c] of reads) {
    for (const e of c.timeline) {
      // A case accepted during a lapse starts tolled, by the lapse's own actor: no fan-out sent that.
      const tolledAtAcceptance = e.type === 'CLOCK_TOLLED' && e.at !== undefined && e.at === c.acceptedAt;
      if (e.actor === 'ops' && !tolledAtAcceptance && !(applied.get(id)?.has(e.seq) ?? false)) {
        problem(`${id}: ${e.type} by ops (seq ${e.seq}) is in no fan-out's report`);
      }
    }
  }
  return [...applied.values()].reduce((n, s) => n + s.size, 0);
}
