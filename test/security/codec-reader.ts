import { Client } from '@temporalio/client';
import type { Principal } from '../../shared/domain/principal';
import type { Gateway, Response } from '../gateway/support';

/**
 * What operations staff (or the chair) read of a workflow with their key and the codec server (issue 34's
 * threat model): the history and the memo as Temporal stores them, read without any key, as the Web UI and
 * the CLI read them, then every payload sent to POST /codec/decode.
 */
interface WirePayload {
  metadata: Record<string, string>;
  data: string;
}

const isPayload = (x: unknown): x is { metadata?: Record<string, Uint8Array>; data?: Uint8Array } =>
  typeof x === 'object' && x !== null && 'data' in x && x.data instanceof Uint8Array;

/** Every payload in a tree of protobuf messages (a history's events, a description's memo). */
function payloadsIn(x: unknown, into: WirePayload[] = []): WirePayload[] {
  if (isPayload(x)) {
    into.push({
      metadata: Object.fromEntries(
        Object.entries(x.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(x.data ?? new Uint8Array()).toString('base64'),
    });
    return into;
  }
  if (Array.isArray(x)) for (const v of x) payloadsIn(v, into);
  else if (typeof x === 'object' && x !== null && !(x instanceof Uint8Array)) {
    for (const v of Object.values(x)) payloadsIn(v, into);
  }
  return into;
}

/** The workflow's payloads as stored: every event's, and the memo's (read with no data converter, no key). */
export async function storedPayloads(gw: Gateway, workflowId: string): Promise<WirePayload[]> {
  const outsider = new Client({ connection: gw.client.connection, namespace: gw.namespace });
  const history = await outsider.workflow.getHandle(workflowId).fetchHistory();
  const described = await gw.client.workflowService.describeWorkflowExecution({
    namespace: gw.namespace,
    execution: { workflowId },
  });
  return payloadsIn([history.events, described.workflowExecutionInfo?.memo]);
}

/** The workflow's memo as stored: each field's payload, read without a key. */
export async function storedMemo(gw: Gateway, workflowId: string): Promise<Record<string, WirePayload>> {
  const described = await gw.client.workflowService.describeWorkflowExecution({
    namespace: gw.namespace,
    execution: { workflowId },
  });
  const fields = described.workflowExecutionInfo?.memo?.fields ?? {};
  return Object.fromEntries(Object.entries(fields).map(([k, p]) => [k, payloadsIn(p)[0]]));
}

/** What the codec server answers `who` for these payloads: the status, and each payload's data as text. */
export async function decodedAs(
  gw: Gateway,
  who: Principal | undefined,
  payloads: WirePayload[],
): Promise<{ res: Response; texts: string[] }> {
  const texts: string[] = [];
  let res: Response | undefined;
  // The codec server takes at most 1,000 payloads a request.
  for (let i = 0; i === 0 || i < payloads.length; i += 1000) {
    res = await gw.call(
      who,
      'POST',
      '/codec/decode',
      { payloads: payloads.slice(i, i + 1000) },
      { 'x-namespace': gw.namespace },
    );
    if (res.status !== 200) return { res, texts: [] };
    for (const p of (res.body as { payloads: { data?: string }[] }).payloads) {
      texts.push(Buffer.from(p.data ?? '', 'base64').toString('utf8'));
    }
  }
  return { res: res!, texts };
}

/** Every value under `key` in the JSON payloads among `texts`, at any depth. */
export function valuesOf(texts: string[], key: string): unknown[] {
  const found: unknown[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (typeof x === 'object' && x !== null) {
      for (const [k, v] of Object.entries(x)) {
        if (k === key) found.push(v);
        walk(v);
      }
    }
  };
  for (const t of texts) {
    try {
      walk(JSON.parse(t));
    } catch {
      // Not JSON (a payload still sealed, binary/null): nothing to read in it.
    }
  }
  return found;
}
