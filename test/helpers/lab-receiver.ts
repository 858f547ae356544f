import type { AddressInfo } from 'node:net';
import { createReceiver } from '../../examples/callback-receiver';
import type { CallbackEventBody } from '../../shared/node/callback-signature';
import { checkCallbackContract } from './ledger';
import { submissionIdOfCase } from '../../shared/domain/review/workflow';

/** The callback secret every test lab shares; test activities sign with it. */
export const TEST_CALLBACK_SECRET = 'whsec_dGVzdC1jYWxsYmFjay1zZWNyZXQtMDEyMzQ1Njc4OWFiY2RlZg==';

export interface LabReceiver {
  url: string;
  /** The events of a case (and of its findings), in the order received: not its commitments'. */
  eventsFor(submissionId: string): CallbackEventBody[];
  /** The events of a case's commitments, each commitment's in order. */
  commitmentEventsFor(submissionId: string): CallbackEventBody[];
  /** The events of a case's early-access grants, each grant's in order. */
  grantEventsFor(submissionId: string): CallbackEventBody[];
  /** The changes of the lab's status told on this case's endpoint (the lab's latest case when they were made). */
  labEventsFor(submissionId: string): CallbackEventBody[];
  close(): Promise<void>;
}

/**
 * A real lab endpoint on loopback (the example receiver: verifies signatures, de-duplicates by event id) that
 * keeps what it accepted, per submission.
 */
export async function startLabReceiver(): Promise<LabReceiver> {
  const events = new Map<string, CallbackEventBody[]>();
  const server = createReceiver({
    secrets: [TEST_CALLBACK_SECRET],
    onEvent: (e) => {
      checkCallbackContract(e);
      events.set(e.submissionId, [...(events.get(e.submissionId) ?? []), e]);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/callbacks`,
    // Callbacks name the lab's submission id; a case id carries it after the lab.
    eventsFor: (id) =>
      (events.get(submissionIdOfCase(id)) ?? []).filter((e) => !/^(commitment|lab|grant):/.test(e.id)),
    commitmentEventsFor: (id) =>
      (events.get(submissionIdOfCase(id)) ?? []).filter((e) => e.id.startsWith('commitment:')),
    grantEventsFor: (id) =>
      (events.get(submissionIdOfCase(id)) ?? []).filter((e) => e.id.startsWith('grant:')),
    labEventsFor: (id) => (events.get(submissionIdOfCase(id)) ?? []).filter((e) => e.id.startsWith('lab:')),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
