import cors from '@fastify/cors';
import type { Payload } from '@temporalio/common';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { REQUEST_EXAMPLES } from '../../shared/api/examples';
import type { onRequestAsyncHookHandler } from 'fastify';
import type { KeyRing } from '../../shared/node/key-ring';
import { SEALED_ENCODING, open } from '../../shared/node/payload-codec';
import type { AccessLog } from '../access-log';
import { allow, callerOfRequest } from '../auth';
import { CODEC_READERS } from '../codec-policy';
import { ApiError } from '../problem';
import { bearer, problems } from './context';

/**
 * Temporal's remote codec protocol, for the Temporal CLI (`--codec-endpoint <api>/codec --codec-auth 'Bearer
 * <key>'`) and the Web UI: POST /codec/decode opens sealed payloads for operations staff and the chair.
 * It follows the view policy (../codec-policy.ts): what the API withholds from either of them (restricted
 * notes, NSA's benchmark score, a TLP:RED or AMBER finding's title, description, filer and vector) stays
 * sealed inside the payloads with the notes key ring, which only the gateway's own views ever open; digests
 * and fingerprints are keyed (shared/node/digest.ts), so none lets its reader test a guess. /codec/encode is
 * refused to everyone: a message sealed here would enter a case without the gateway's checks.
 */
/** Payloads as Temporal's codec protocol sends them: metadata and data in standard base64. */
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'standard base64');
const WirePayload = z.strictObject({
  metadata: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,127}$/, 'a metadata key'), base64)
    .optional(),
  data: base64.optional(),
});
const Payloads = z
  .strictObject({ payloads: z.array(WirePayload).max(1000) })
  .meta({ examples: [REQUEST_EXAMPLES.codec] });
const CodecHeaders = z.looseObject({ 'x-namespace': z.string().min(1).max(256) });

const fromWire = (p: z.infer<typeof WirePayload>): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
  ),
  data: p.data === undefined ? undefined : Buffer.from(p.data, 'base64'),
});
const toWire = (p: Payload): z.infer<typeof WirePayload> => ({
  metadata: Object.fromEntries(
    Object.entries(p.metadata ?? {}).map(([k, v]) => [
      k,
      Buffer.from(v ?? new Uint8Array()).toString('base64'),
    ]),
  ),
  data: p.data === undefined || p.data === null ? undefined : Buffer.from(p.data).toString('base64'),
});
const isSealed = (p: Payload): boolean =>
  Buffer.from(p.metadata?.encoding ?? new Uint8Array()).toString() === SEALED_ENCODING;

const refuseEncoding = async (): Promise<void> => {
  throw new ApiError('FORBIDDEN', 'messages enter a case through the gateway, never sealed by hand');
};

export const codecRoutes =
  (opts: {
    auth: onRequestAsyncHookHandler;
    ring: KeyRing;
    namespace: string;
    webUiOrigin?: string;
    accessLog: AccessLog;
  }): FastifyPluginAsyncZod =>
  async (app) => {
    // The Web UI calls this from the browser; no other origin may.
    await app.register(cors, {
      origin: opts.webUiOrigin === undefined ? false : [opts.webUiOrigin],
      methods: ['POST', 'OPTIONS'],
      allowedHeaders: ['content-type', 'x-namespace', 'authorization'],
      credentials: true,
    });
    const checkNamespace = (ns: string) => {
      if (ns !== opts.namespace)
        throw new ApiError('NOT_FOUND', `this gateway decodes namespace ${opts.namespace} only`);
    };

    app.post(
      '/decode',
      {
        onRequest: [opts.auth, allow(...CODEC_READERS)],
        schema: {
          tags: ['system'],
          security: bearer,
          summary: 'Open sealed payloads (Temporal remote codec; operations staff and the chair)',
          description:
            'The Temporal CLI and Web UI send payloads as they are stored; sealed ones come back opened, others as ' +
            'they are. What the API withholds from the caller stays sealed: restricted notes, the benchmark score, ' +
            "a TLP:RED or AMBER finding's detail and filer; digests and fingerprints are keyed.",
          headers: CodecHeaders,
          body: Payloads,
          response: {
            200: Payloads,
            ...problems('FORBIDDEN', 'NOT_FOUND', 'PAYLOAD_TOO_LARGE', 'ACCESS_LOG_UNAVAILABLE'),
          },
        },
      },
      async (req) => {
        checkNamespace(req.headers['x-namespace']);
        let opened = 0;
        const payloads = req.body.payloads.map((w) => {
          const p = fromWire(w);
          if (!isSealed(p)) return w;
          opened += 1;
          return toWire(open(opts.ring, p));
        });
        if (opened > 0) {
          await opts.accessLog.record(req, callerOfRequest(req), 'PAYLOADS_DECODED', { count: opened });
        }
        return { payloads };
      },
    );

    app.post(
      '/encode',
      {
        // Refused before its headers or body are validated: 403 to whatever a client sends (the Temporal CLI's
        // `workflow query --codec-endpoint` encodes its query's arguments here).
        onRequest: [opts.auth, refuseEncoding],
        schema: {
          tags: ['system'],
          security: bearer,
          summary: 'Refused: messages enter a case through this API only',
          headers: CodecHeaders,
          body: Payloads,
          response: { ...problems('FORBIDDEN', 'PAYLOAD_TOO_LARGE') },
        },
      },
      async () => {
        throw new ApiError('FORBIDDEN', 'messages enter a case through the gateway, never sealed by hand');
      },
    );
  };
