import type { People } from '../../shared/node/people';
import type { KeyObject } from 'node:crypto';
import type { RecordStore } from '../../shared/node/record-store';
import type { Client } from '@temporalio/client';
import { ERRORS, type ErrorCode } from '../../shared/domain/errors';
import type { Cases } from '../cases';
import type { Commitments } from '../commitments';
import type { Grants } from '../grants';
import type { Findings } from '../findings';
import type { Labs } from '../labs';
import type { Government } from '../government';
import type { KeyRing } from '../../shared/node/key-ring';
import type { ProductMetrics } from '../../shared/node/metrics';
import { Problem } from '../../shared/api/problem';
import type { ApiKeys } from '../../shared/node/api-keys';
import type { AccessLog } from '../access-log';
import type { NotePlaces } from '../note-places';
import type { CallbackUrlCheck } from '../callback-urls';
import type { ActSigning } from '../act-signing';
import type { WorkbenchSessions } from '../../workbench/sessions';

/** What every route module needs. */
export interface RouteContext {
  cases: Cases;
  /** Commitments of determinations, each in its own workflow. */
  commitments: Commitments;
  /** Early-access grants (issue 14, part 4), each in its own workflow. */
  grants: Grants;
  /** Labs' records and trusted-partner status. */
  labs: Labs;
  /** The clearinghouse's findings. */
  findings: Findings;
  /** Funding lapses and closures: the government's state, and the messages that reach every open case. */
  government: Government;
  /** The notes key ring (restricted notes are sealed with it, and opened for entitled readers). */
  notes: KeyRing;
  /** Opens a record's notes at the place each was sealed for. */
  places: NotePlaces;
  temporal: Client;
  taskQueue: string;
  callTimeoutMs: number;
  metrics?: ProductMetrics;
  /** The key store administrators manage. */
  keys: ApiKeys;
  /** Signed acts: the statements signers ask for, and the check of a signed act (issue 36). */
  signing: ActSigning;
  /** Every restricted read and every key change, recorded before the answer leaves. */
  accessLog: AccessLog;
  /** Where labs' callback secrets are kept (shared with the workers). */
  callbackSecretsFile: string;
  /** The labs' and operators' people administrators enrol (issue 38). */
  people: People;
  /** Refuses a callback URL the workers would never call (422 CALLBACK_URL_UNSAFE naming the field). */
  checkCallbackUrl: CallbackUrlCheck;
  /** Closed cases' permanent records (shared with the workers that write them). */
  records?: RecordStore;
  /** The public key that verifies them. */
  recordVerifyingKey?: KeyObject;
  /** The workbench's sessions, which an administrator may end for one person (../../workbench). */
  sessions?: WorkbenchSessions;
}

/**
 * Problem responses for the OpenAPI document (and the serializer), one per HTTP status the codes can produce,
 * each described by the codes it may carry.
 */
export function problems(...codes: ErrorCode[]) {
  return problemsOnly(
    'VALIDATION_FAILED',
    'UNAUTHENTICATED',
    'IDENTITY_PROVIDER_UNAVAILABLE',
    'TEMPORAL_UNAVAILABLE',
    'CASE_STALLED',
    ...codes,
  );
}

/** The refusals any route may answer before it is reached (the server's own limits). */
export const PLATFORM_ERRORS: ErrorCode[] = ['URI_TOO_LONG', 'HEADERS_TOO_LARGE'];

/**
 * The codes behind each problem response's description, so the OpenAPI document can show an example of each
 * (the schema transform keeps only a response's schema; see gateway/openapi.ts).
 */
export const PROBLEM_CODES = new Map<string, ErrorCode[]>();

/** Problem responses for exactly these codes (a route without a key or a body to validate). */
export function problemsOnly(...codes: ErrorCode[]) {
  const all: ErrorCode[] = [...new Set(codes)];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of all) byStatus.set(ERRORS[c].status, [...(byStatus.get(ERRORS[c].status) ?? []), c]);
  return Object.fromEntries(
    [...byStatus].map(([status, cs]) => {
      const description = cs.map((c) => `\`${c}\`: ${ERRORS[c].title}`).join('; ');
      PROBLEM_CODES.set(description, cs);
      return [status, { description, content: { 'application/problem+json': { schema: Problem } } }];
    }),
  );
}

/** The errors any update to a case can be rejected with, besides its own. */
export const CASE_UPDATE_ERRORS: ErrorCode[] = [
  'FORBIDDEN',
  'NOT_ENTITLED',
  'CASE_NOT_FOUND',
  'CASE_ID_AMBIGUOUS',
  'CASE_CLOSED',
];

export const bearer = [{ bearerAuth: [] }];
