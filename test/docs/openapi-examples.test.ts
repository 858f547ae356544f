import assert from 'node:assert/strict';
import { z } from 'zod';
import { MESSAGE_EXAMPLES, REQUEST_EXAMPLES } from '../../shared/api/examples';
import { AddLabRequest, ExpiryRequest, IssueKeyRequest, RotateKeyRequest } from '../../shared/api/admin';
import {
  CreateSubmissionBody,
  DesignateCoverageRequest,
  ProjectDeadlinesBody,
  RecordDecisionRequest,
} from '../../shared/api/requests';
import { MESSAGES } from '../../shared/domain/review/messages';
import { withGateway } from '../gateway/support';

/** What a message's path names, which its body example leaves out. */
const FROM_PATH: Partial<Record<keyof typeof MESSAGES, Record<string, string>>> = {
  answerInformationRequest: { requestId: 'ir-1' },
  respondToExtensionOffer: { offerId: 'offer-1' },
  resumeClocks: { lapseId: 'fy27-lapse-1' },
};

interface Media {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<string, unknown>;
}
interface Operation {
  description?: string;
  'x-roles'?: string[];
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { examples?: unknown[] }> };
}

/** Issue 17: every operation documented with the roles allowed and examples of its request and its problems. */
describe('the OpenAPI document’s examples and roles', () => {
  it('gives every message an example its schema accepts', () => {
    for (const [name, message] of Object.entries(MESSAGES) as [
      keyof typeof MESSAGES,
      (typeof MESSAGES)[keyof typeof MESSAGES],
    ][]) {
      const example = { ...MESSAGE_EXAMPLES[name], ...FROM_PATH[name] };
      // Two messages carry a restricted field the gateway seals: their HTTP bodies take it in plain.
      const schema =
        name === 'recordDecision'
          ? RecordDecisionRequest
          : name === 'designateCoverage'
            ? DesignateCoverageRequest
            : z.strictObject(message.body);
      const parsed = schema.safeParse(example);
      assert.equal(parsed.success, true, `${name}: ${JSON.stringify(parsed.error?.issues)}`);
    }
    const others: [string, z.ZodType, unknown][] = [
      ['createSubmission', CreateSubmissionBody, REQUEST_EXAMPLES.createSubmission],
      ['projectDeadlines', ProjectDeadlinesBody, REQUEST_EXAMPLES.projectDeadlines],
      ['issueKey', IssueKeyRequest, REQUEST_EXAMPLES.issueKey],
      ['rotateKey', RotateKeyRequest, REQUEST_EXAMPLES.rotateKey],
      ['setExpiry', ExpiryRequest, REQUEST_EXAMPLES.setExpiry],
      ['addLab', AddLabRequest, REQUEST_EXAMPLES.addLab],
    ];
    for (const [name, schema, example] of others) {
      const parsed = schema.safeParse(example);
      assert.equal(parsed.success, true, `${name}: ${JSON.stringify(parsed.error?.issues)}`);
    }
  });

  it('names the roles of every operation, and shows an example of every request body and every problem', async () => {
    await withGateway(async (gw) => {
      const doc = (await gw.call(undefined, 'GET', '/openapi.json')).body as Document;
      const missing: string[] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const at = `${method.toUpperCase()} ${path}`;
          if (!/\*\*Roles:\*\* /.test(op.description ?? '')) missing.push(`${at}: roles`);
          for (const media of Object.values(op.requestBody?.content ?? {})) {
            const ref = media.schema?.$ref?.replace('#/components/schemas/', '');
            const shown =
              media.example !== undefined ||
              media.examples !== undefined ||
              (ref !== undefined && (doc.components.schemas[ref]?.examples?.length ?? 0) > 0);
            if (!shown) missing.push(`${at}: request example`);
          }
          for (const [status, r] of Object.entries(op.responses)) {
            const problem = r.content?.['application/problem+json'];
            if (problem !== undefined && Object.keys(problem.examples ?? {}).length === 0)
              missing.push(`${at} ${status}: problem examples`);
          }
        }
      }
      assert.deepEqual(missing, []);
      // The roles a route allows are listed where a generator can read them too.
      assert.deepEqual(doc.paths['/v1/submissions/{caseId}/decisions'].post['x-roles'], ['agency']);
      const refusal =
        doc.paths['/v1/submissions/{caseId}/decisions'].post.responses['409'].content![
          'application/problem+json'
        ];
      assert.ok(Object.keys(refusal.examples!).includes('ALREADY_DECIDED'), JSON.stringify(refusal.examples));
    });
  });
});
