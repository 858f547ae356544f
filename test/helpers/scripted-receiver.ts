import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyCallback, type CallbackEventBody } from '../../shared/node/callback-signature';
import { TEST_CALLBACK_SECRET } from './lab-receiver';
import { checkCallbackContract } from './ledger';

/** What the receiver does with one delivery attempt: answer a status (with headers), or never answer. */
export type Reply = { status: number; headers?: Record<string, string> } | 'hang';

export interface Attempt {
  eventId: string;
  sequence: number;
  type: string;
  /** This event's attempt number as the receiver saw it, from 1. */
  nth: number;
  reply: Reply;
  signatureOk: boolean;
}

/**
 * A lab endpoint on loopback whose behaviour a test scripts per attempt; it verifies every signature and
 * keeps the log of attempts and of events it accepted with a 2xx.
 */
export async function startScriptedReceiver(script: (a: { event: CallbackEventBody; nth: number }) => Reply) {
  const attempts: Attempt[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const event = JSON.parse(rawBody) as CallbackEventBody;
      const verdict = verifyCallback(rawBody, req.headers as Record<string, string>, [TEST_CALLBACK_SECRET]);
      if (verdict.ok) checkCallbackContract(event);
      const nth = attempts.filter((a) => a.eventId === event.id).length + 1;
      const reply: Reply = verdict.ok ? script({ event, nth }) : { status: 401 };
      attempts.push({
        eventId: event.id,
        sequence: event.sequence,
        type: event.type,
        nth,
        reply,
        signatureOk: verdict.ok,
      });
      if (reply === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(reply.status, reply.headers).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    attempts,
    /** Event ids answered with a 2xx, in the order they were accepted (duplicates kept). */
    accepted: () => attempts.filter((a) => a.reply !== 'hang' && a.reply.status < 300).map((a) => a.eventId),
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.close(() => resolve());
      }),
  };
}
