import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createReceiver } from '../examples/callback-receiver';
import type { CallbackEventBody } from '../shared/node/callback-signature';

/** How the lab's endpoint behaves: answering, gone, failing, or answering only after the sender gave up. */
export type ReceiverMode = 'UP' | 'DOWN' | 'ERROR_5XX' | 'SLOW';

export interface Processed {
  id: string;
  sequence: number;
  type: string;
  occurredAt: string;
  processedAt: number;
}

/**
 * A lab's callback endpoint that can be taken down, made to fail or made slow: the example receiver (it verifies
 * signatures and processes each event id once) behind a switch. It keeps, across its outages, what it processed
 * per submission in order, and how many times each event id was delivered and processed.
 */
export class FaultyReceiver {
  /** Successful deliveries (answered 2xx) per event id. */
  readonly deliveries = new Map<string, number>();
  /** Times the receiver's own code ran per event id (the example receiver de-duplicates: once is right). */
  readonly processedCount = new Map<string, number>();
  /** What was processed, per submission (and per commitment, `commitment:<id>`), in the order processed. */
  readonly processed = new Map<string, Processed[]>();
  mode: ReceiverMode = 'UP';
  private server: http.Server | undefined;
  private readonly handler: http.RequestListener;

  private constructor(
    secrets: string[],
    private readonly slowMs: number,
    private port = 0,
  ) {
    const example = createReceiver({ secrets, onEvent: (e) => this.onEvent(e) });
    this.handler = example.listeners('request')[0] as http.RequestListener;
  }

  static async start(secrets: string[], slowMs: number): Promise<FaultyReceiver> {
    const r = new FaultyReceiver(secrets, slowMs);
    await r.listen();
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/callbacks`;
  }

  private onEvent(e: CallbackEventBody): void {
    this.processedCount.set(e.id, (this.processedCount.get(e.id) ?? 0) + 1);
    // A case's commitments (issue 14) send their own numbered streams, beside the case's.
    const stream = e.id.startsWith('commitment:') ? e.id.slice(0, e.id.lastIndexOf(':')) : e.submissionId;
    const list = this.processed.get(stream) ?? [];
    list.push({
      id: e.id,
      sequence: e.sequence,
      type: e.type,
      occurredAt: e.occurredAt,
      processedAt: Date.now(),
    });
    this.processed.set(stream, list);
  }

  private async listen(): Promise<void> {
    const server = http.createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    if (this.mode === 'ERROR_5XX') {
      req.resume();
      res.writeHead(503, { 'Retry-After': '1' }).end();
      return;
    }
    const id = req.headers['webhook-id'];
    res.on('finish', () => {
      if (res.statusCode < 300 && typeof id === 'string')
        this.deliveries.set(id, (this.deliveries.get(id) ?? 0) + 1);
    });
    // Slow: the event is processed, but the answer comes after the sender's timeout.
    if (this.mode === 'SLOW') setTimeout(() => this.handler(req, res), this.slowMs);
    else this.handler(req, res);
  }

  async setMode(mode: ReceiverMode): Promise<void> {
    if (mode === this.mode) return;
    if (mode === 'DOWN') {
      const server = this.server!;
      this.server = undefined;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    } else if (this.server === undefined) {
      await this.listen();
    }
    this.mode = mode;
  }

  async close(): Promise<void> {
    await this.setMode('DOWN');
  }
}
