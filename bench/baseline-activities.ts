import { ApplicationFailure } from '@temporalio/common';
import { signCallback } from '../shared/node/callback-signature';

export interface BaselinePostInput {
  labId: string;
  url: string;
  event: { submissionId: string; sequence: number; type: string };
}

/**
 * The baseline's activities: three that do nothing (the review's intake checks stand-ins) and one signed
 * HTTP POST per event, so the same loopback receiver verifies both workloads' callbacks.
 */
export function createBaselineActivities(deps: { secret: string; timeoutMs: number }) {
  return {
    async baselineStep(input: { step: number }): Promise<{ step: number }> {
      return input;
    },
    async baselinePost({ url, event }: BaselinePostInput): Promise<{ status: number }> {
      const body = JSON.stringify({
        id: `${event.submissionId}:${event.sequence}`,
        submissionId: event.submissionId,
        sequence: event.sequence,
        type: event.type,
        occurredAt: new Date().toISOString(),
        payload: {},
      });
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...signCallback(
            `${event.submissionId}:${event.sequence}`,
            body,
            [deps.secret],
            Math.floor(Date.now() / 1000),
          ),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(deps.timeoutMs),
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.status < 200 || response.status >= 300) {
        throw ApplicationFailure.retryable(`receiver answered ${response.status}`, 'BaselinePostFailed');
      }
      return { status: response.status };
    },
  };
}

export type BaselineActivities = ReturnType<typeof createBaselineActivities>;
