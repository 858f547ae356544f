import http from 'node:http';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import type { CallbackEventBody } from '../shared/node/callback-signature';

/*
 * A minimal status-callback receiver for labs to copy. Callbacks are Standard Webhooks, so it verifies them
 * with the reference library (`standardwebhooks` on npm; the same exists for Python, Go, Java, Ruby, ...).
 *
 *   CALLBACK_SECRET=whsec_old...,whsec_new... PORT=4000 npx tsx examples/callback-receiver.ts
 *
 * It verifies the signature and timestamp, answers 204 for new and repeated events alike (delivery is at least
 * once) and 401 when the signature does not verify.
 */

export interface ReceiverOptions {
  /** Every active secret; two while one is being rotated. */
  secrets: string[];
  /** Called once per event id. Throwing answers 500, so the event is delivered again. */
  onEvent: (event: CallbackEventBody) => void | Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : undefined));
    req.on('error', reject);
  });
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return typeof value === 'string' ? value : undefined;
}

export function createReceiver({ secrets, onEvent }: ReceiverOptions): http.Server {
  // In memory for the example only: a real receiver stores seen ids durably, in the same transaction as the event.
  const seen = new Set<string>();

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (req.method !== 'POST') {
      res.writeHead(405, { Allow: 'POST' }).end();
      return;
    }
    const rawBody = await readBody(req);
    if (rawBody === undefined) {
      res.writeHead(413).end();
      return;
    }

    // Any active secret may have signed it (two during a rotation); the library also refuses a stale timestamp.
    const headers = {
      'webhook-id': header(req, 'webhook-id') ?? '',
      'webhook-timestamp': header(req, 'webhook-timestamp') ?? '',
      'webhook-signature': header(req, 'webhook-signature') ?? '',
    };
    const verified = secrets.some((secret) => {
      try {
        new Webhook(secret).verify(rawBody, headers);
        return true;
      } catch (err) {
        if (err instanceof WebhookVerificationError) return false;
        throw err;
      }
    });
    if (!verified) {
      res.writeHead(401, { 'Content-Type': 'text/plain' }).end('signature not verified');
      return;
    }

    // De-duplicate on the event id (the signed webhook-id, and the id inside the signed body).
    const event = JSON.parse(rawBody) as CallbackEventBody;
    if (!seen.has(event.id)) {
      seen.add(event.id);
      try {
        await onEvent(event);
      } catch (err) {
        seen.delete(event.id);
        throw err;
      }
    }
    res.writeHead(204).end();
  }

  return http.createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
}

if (require.main === module) {
  const secrets = (process.env.CALLBACK_SECRET ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (secrets.length === 0) {
    console.error('CALLBACK_SECRET is required (comma-separated while rotating)');
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 4000);
  const server = createReceiver({
    secrets,
    onEvent: (e) => console.log(`${e.occurredAt} ${e.submissionId} #${e.sequence} ${e.type} ${e.id}`),
  });
  server.listen(port, () => console.log(`callback receiver listening on port ${port}`));
}
