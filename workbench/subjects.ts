import type { FastifyRequest } from 'fastify';
import { FindingParams, FindingView } from '../shared/api/findings';
import { LabParams, LabView } from '../shared/api/labs';
import { CommitmentParams, CommitmentView } from '../shared/api/commitments';
import { GrantParams, GrantView } from '../shared/api/grants';
import type { Signatures } from '../shared/domain/signed-act';
import { WorkbenchError } from './errors';
import type { AnyCase, Subject } from './form-values';
import type { PageContext } from './context';
import { caseRefOf, readCase } from './pages/case';

/**
 * What an act is taken on, as the act pages need it: a review case, a lab's record (the chair's trusted
 * partners) or a clearinghouse finding. Each is read from the API as the person signed in may read it, and says
 * under which policy's signatures its acts fall: a case under the policy it pinned, a lab or a finding under the
 * policy in force (as the API itself judges them).
 */
export interface SubjectRead {
  /** In words, for titles and links: `case acme:sub-1`, `lab acme`, `finding f-…`. */
  label: string;
  /** What the review page shows about it, in order. */
  facts: [string, string][];
  signatures: Signatures | undefined;
  /** The case itself, for a case's what-if projection. */
  case?: AnyCase;
}

export interface SubjectPages {
  kind: Subject;
  /** Its pages' path segment: /workbench/<segment>/<ref>. */
  segment: 'cases' | 'labs' | 'findings' | 'commitments' | 'grants';
  /** A reference from a path, refused (400) as the API refuses it, before anything is read. */
  refOf(raw: string): string;
  /** Its API path, under /v1. */
  api(ref: string): string;
  /** Its page in the workbench. */
  page(ref: string): string;
  read(ctx: PageContext, req: FastifyRequest, ref: string): Promise<SubjectRead>;
}

/** A reference from a path by the API's own pattern for it; anything else refused (400) as the API refuses it. */
const refBy =
  (id: { safeParse(raw: string): { success: boolean; data?: string } }, what: string) =>
  (raw: string): string => {
    const parsed = id.safeParse(raw);
    if (!parsed.success || parsed.data === undefined)
      throw new WorkbenchError(400, `That is not a ${what} id`);
    return parsed.data;
  };

export const SUBJECTS: Readonly<Record<Subject, SubjectPages>> = {
  case: {
    kind: 'case',
    segment: 'cases',
    refOf: caseRefOf,
    api: (ref) => `/submissions/${encodeURIComponent(ref)}`,
    page: (ref) => `/workbench/cases/${encodeURIComponent(ref)}`,
    read: async (ctx, req, ref) => {
      const c = await readCase(ctx, req, ref);
      // Before acceptance pins a policy, the one it was filed under as it stands.
      const pinned =
        c.policy === undefined
          ? ctx.opts.policies.inForce(c.requestedPolicyId)
          : ctx.opts.policies.version(c.policy.id, c.policy.version);
      return {
        label: `case ${c.caseId}`,
        facts: [['Case', `${c.caseId} (${c.model.name})`]],
        signatures: pinned?.signatures,
        case: c,
      };
    },
  },
  lab: {
    kind: 'lab',
    segment: 'labs',
    refOf: refBy(LabParams.shape.labId, 'lab'),
    api: (ref) => `/labs/${encodeURIComponent(ref)}`,
    page: (ref) => `/workbench/labs/${encodeURIComponent(ref)}`,
    read: async (ctx, req, ref) => {
      const lab = await ctx.api(req).read(`/labs/${encodeURIComponent(ref)}`, LabView);
      return {
        label: `lab ${lab.labId}`,
        facts: [
          ['Lab', lab.labId],
          ['Status now', statusWords(lab.status)],
          ['The policy proposes', lab.eligibility.eligible ? 'eligible' : 'not eligible'],
        ],
        signatures: ctx.opts.signaturesInForce(),
      };
    },
  },
  finding: {
    kind: 'finding',
    segment: 'findings',
    refOf: refBy(FindingParams.shape.findingId, 'finding'),
    api: (ref) => `/findings/${encodeURIComponent(ref)}`,
    page: (ref) => `/workbench/findings/${encodeURIComponent(ref)}`,
    read: async (ctx, req, ref) => {
      const f = await ctx.api(req).read(`/findings/${encodeURIComponent(ref)}`, FindingView);
      return {
        label: `finding ${f.findingId}`,
        facts: [
          ['Finding', f.detail === undefined ? f.findingId : `${f.findingId} (${f.detail.title})`],
          ['State now', f.state.toLowerCase()],
          ['TLP', f.tlp],
        ],
        signatures: ctx.opts.signaturesInForce(),
      };
    },
  },
  commitment: {
    kind: 'commitment',
    segment: 'commitments',
    refOf: refBy(CommitmentParams.shape.commitmentId, 'commitment'),
    api: (ref) => `/commitments/${encodeURIComponent(ref)}`,
    page: (ref) => `/workbench/commitments/${encodeURIComponent(ref)}`,
    read: async (ctx, req, ref) => {
      const c = await ctx.api(req).read(`/commitments/${encodeURIComponent(ref)}`, CommitmentView);
      return {
        label: `commitment ${c.commitmentId}`,
        facts: [
          ['Commitment', c.text],
          ['Of case', c.caseId],
          ['State now', statusWords(c.state)],
        ],
        signatures: ctx.opts.signaturesInForce(),
      };
    },
  },
  grant: {
    kind: 'grant',
    segment: 'grants',
    refOf: refBy(GrantParams.shape.grantId, 'grant'),
    api: (ref) => `/grants/${encodeURIComponent(ref)}`,
    page: (ref) => `/workbench/grants/${encodeURIComponent(ref)}`,
    read: async (ctx, req, ref) => {
      const g = await ctx.api(req).read(`/grants/${encodeURIComponent(ref)}`, GrantView);
      return {
        label: `grant ${g.grantId}`,
        facts: [
          ['Early access for', g.operator],
          ['To', `${g.model.name} ${g.model.version}`],
          ['State now', statusWords(g.state)],
        ],
        signatures: ctx.opts.signaturesInForce(),
      };
    },
  },
};

/** A lab's status in words. */
export const statusWords = (status: string): string => status.replace(/_/g, ' ').toLowerCase();
