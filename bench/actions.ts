import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const T = temporal.api.enums.v1.EventType;

/**
 * Temporal Cloud's published action rules (docs.temporal.io/cloud/actions), applied to a recorded history.
 * Each row: the history event, how many actions it counts for, and the rule's wording. What a history cannot
 * show (queries, rejected updates, heartbeats, exports) is counted by the driver or named as absent.
 */
export const ACTION_RULES: readonly { event: string; actions: string; rule: string }[] = [
  {
    event: 'WorkflowExecutionStarted',
    actions: '1',
    rule: 'Workflow started (client start, continue-as-new, child)',
  },
  {
    event: 'TimerStarted',
    actions: '1',
    rule: "Timer started, including the SDK's implicit timer of condition(fn, timeout)",
  },
  {
    event: 'ActivityTaskStarted',
    actions: 'attempt',
    rule: 'Activity started or retried: every attempt (the event carries the last attempt number)',
  },
  {
    event: 'WorkflowExecutionUpdateAccepted',
    actions: '1',
    rule: 'Update received by worker (accepted); rejected updates leave no event and are counted by the driver',
  },
  {
    event: 'UpsertWorkflowSearchAttributes',
    actions: '1',
    rule: 'Search attribute upsert, one per command whatever the number of attributes (TemporalChangeVersion alone is exempt)',
  },
  { event: 'WorkflowExecutionSignaled', actions: '1', rule: 'Signal sent (from a client)' },
  { event: 'SignalExternalWorkflowExecutionInitiated', actions: '1', rule: 'Signal sent (from a workflow)' },
  {
    event: 'StartChildWorkflowExecutionInitiated',
    actions: '2',
    rule: 'Child workflow: start plus execution',
  },
  {
    event: 'MarkerRecorded',
    actions: '1 per workflow task',
    rule: 'Local activities / side effects: all markers of one workflow task count once (patch markers exempt)',
  },
  { event: 'WorkflowExecutionOptionsUpdated', actions: '1', rule: 'Workflow execution options updated' },
  { event: '(not in history)', actions: 'driver count', rule: 'Query received by worker; rejected update' },
];

export interface HistoryCount {
  events: number;
  bytes: number;
  byType: Record<string, number>;
  bytesByType: Record<string, number>;
  actions: number;
  actionsByRule: Record<string, number>;
}

const name = (e: HistoryEvent): string => {
  const raw = T[e.eventType ?? 0] ?? `EVENT_TYPE_${String(e.eventType)}`;
  return raw
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_m, _s: string, c: string) => c.toUpperCase());
};

const isVersionOnlyUpsert = (e: HistoryEvent): boolean => {
  const fields = Object.keys(
    e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {},
  );
  return fields.length > 0 && fields.every((f) => f === 'TemporalChangeVersion');
};

/** Events by type and billable actions of one recorded history. */
/** Activities of features built after the 25-action target was set, counted on rules of their own. */
export const LATER_FEATURES: readonly string[] = ['archiveCase'];

export function countHistory(history: temporal.api.history.v1.IHistory): HistoryCount {
  const events = history.events ?? [];
  const byType: Record<string, number> = {};
  const bytesByType: Record<string, number> = {};
  const actionsByRule: Record<string, number> = {};
  const add = (rule: string, n: number) => {
    if (n > 0) actionsByRule[rule] = (actionsByRule[rule] ?? 0) + n;
  };
  const markerTasks = new Set<string>();
  // Activities of features added after the 25-action target report their cost apart (issue 13).
  const typeOfScheduled = new Map<string, string>();
  for (const e of events) {
    const scheduled = e.activityTaskScheduledEventAttributes?.activityType?.name;
    if (scheduled !== undefined && scheduled !== null) typeOfScheduled.set(String(e.eventId), scheduled);
  }
  for (const e of events) {
    const type = name(e);
    byType[type] = (byType[type] ?? 0) + 1;
    bytesByType[type] =
      (bytesByType[type] ?? 0) + temporal.api.history.v1.HistoryEvent.encode(e).finish().length;
    switch (e.eventType) {
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
      case T.EVENT_TYPE_TIMER_STARTED:
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED:
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
      case T.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED:
      case T.EVENT_TYPE_WORKFLOW_EXECUTION_OPTIONS_UPDATED:
        add(type, 1);
        break;
      case T.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const activity = typeOfScheduled.get(String(e.activityTaskStartedEventAttributes?.scheduledEventId));
        const rule =
          activity !== undefined && LATER_FEATURES.includes(activity) ? `${type}:${activity}` : type;
        add(rule, Math.max(1, e.activityTaskStartedEventAttributes?.attempt ?? 1));
        break;
      }
      case T.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
        if (!isVersionOnlyUpsert(e)) add(type, 1);
        break;
      case T.EVENT_TYPE_START_CHILD_WORKFLOW_EXECUTION_INITIATED:
        add(type, 2);
        break;
      case T.EVENT_TYPE_MARKER_RECORDED: {
        const marker = e.markerRecordedEventAttributes;
        if (marker?.markerName !== 'core_patch') {
          markerTasks.add(String(marker?.workflowTaskCompletedEventId ?? e.eventId));
        }
        break;
      }
      default:
        break;
    }
  }
  add('MarkerRecorded', markerTasks.size);
  const bytes = temporal.api.history.v1.History.encode(history).finish().length;
  const actions = Object.values(actionsByRule).reduce((a, b) => a + b, 0);
  return { events: events.length, bytes, byType, bytesByType, actions, actionsByRule };
}

/** Per-case averages over many histories. */
export function averageCounts(counts: readonly HistoryCount[]) {
  const n = Math.max(counts.length, 1);
  const avgMap = (key: 'byType' | 'bytesByType' | 'actionsByRule') => {
    const sum: Record<string, number> = {};
    for (const c of counts) for (const [k, v] of Object.entries(c[key])) sum[k] = (sum[k] ?? 0) + v;
    return Object.fromEntries(
      Object.entries(sum)
        .sort((a, b) => b[1] - a[1])
        .map(([k, v]) => [k, Math.round((v / n) * 100) / 100]),
    );
  };
  const avg = (f: (c: HistoryCount) => number) =>
    Math.round((counts.reduce((a, c) => a + f(c), 0) / n) * 100) / 100;
  return {
    histories: counts.length,
    events: avg((c) => c.events),
    bytes: avg((c) => c.bytes),
    actions: avg((c) => c.actions),
    eventsByType: avgMap('byType'),
    bytesByEventType: avgMap('bytesByType'),
    actionsByRule: avgMap('actionsByRule'),
  };
}
export type AverageCounts = ReturnType<typeof averageCounts>;
