import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Client } from '@temporalio/client';
import type { Person } from '../gateway/oidc';
import type { PolicyRegistry } from '../shared/domain/policy-registry';
import type { Signatures } from '../shared/domain/signed-act';
import type { Api } from './api';
import type { SignInSettings } from './sign-in';
import type { WorkbenchSessions } from './sessions';

/** What the workbench is given (../gateway/app.ts), and what its pages share (./plugin.ts builds it). */
export interface WorkbenchOptions {
  /**
   * Where people reach the gateway (WORKBENCH_URL): the sign-in's return address, and the cookie's Secure flag.
   * Unset, each request's own origin is used (a development gateway reached at several addresses).
   */
  publicUrl?: string;
  /** People's sign-in (a confidential client of the identity provider); without it the pages say so. */
  signIn?: SignInSettings;
  sessions: WorkbenchSessions;
  /** Signs the session cookie (WORKBENCH_SESSION_SECRET, at least 32 characters). */
  sessionSecret: string;
  idleMs: number;
  /** The policies the workers know: whether a case's pinned policy has people sign an act. */
  policies: PolicyRegistry;
  /** The signatures the policy in force asks for: a lab's or a finding's acts, which pin no policy. */
  signaturesInForce(): Signatures | undefined;
  /** For the inbox's counts (visibility count queries). */
  temporal: Client;
  callTimeoutMs: number;
}

export interface PageContext {
  opts: WorkbenchOptions;
  /** Where this request reached the workbench: WORKBENCH_URL, else the request's own origin. */
  origin(req: FastifyRequest): string;
  /** The person's API, in-process (./api.ts). */
  api(req: FastifyRequest): Api;
  /** Renders a page in the layout, with who is signed in and a fresh CSRF token for its forms. */
  render(
    req: FastifyRequest,
    reply: FastifyReply,
    view: string,
    data: Record<string, unknown>,
  ): Promise<string>;
  /** The caller a signed-in session acts as (the guard ran). */
  caller(req: FastifyRequest): Person;
  now(): number;
}
