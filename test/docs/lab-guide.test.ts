import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateSubmissionBody } from '../../shared/api/requests';
import { LabCaseView, SubmissionCreated } from '../../shared/api/responses';
import { labReceiverUrl } from '../setup/servers';
import { eventually, LabCasePage, withGateway } from '../gateway/support';
import { DAY_MS } from '../helpers/review';
import { blocksUnder, readDoc } from './guides';

/**
 * Issue 41: the labs' guide's first task runs as written. Its filing (docs/labs.md, "File a model for review")
 * is a valid filing, and its curl commands, run by bash against a real gateway and the suite's dev server, file
 * the case, read it and list it; run again, they return the same case and change nothing. The filing's callback
 * URL and release date are the only things changed, for the suite's lab receiver and a date a year ahead.
 */

const GUIDE = 'docs/labs.md';
const TASK = 'File a model for review';

/** Concatenated JSON documents, as three `curl -s` print them one after another. */
function documents(text: string): unknown[] {
  const out: unknown[] = [];
  let depth = 0;
  let start = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{') depth += depth === 0 ? ((start = i), 1) : 1;
    else if (ch === '}' && --depth === 0) out.push(JSON.parse(text.slice(start, i + 1)));
  }
  return out;
}

const bash = (script: string, cwd: string, env: Record<string, string>): Promise<string> =>
  new Promise((resolve, reject) => {
    execFile(
      'bash',
      ['-euo', 'pipefail', '-c', script],
      { cwd, env: { ...process.env, ...env } },
      (err, stdout, stderr) =>
        err === null ? resolve(stdout) : reject(new Error(`${err.message}\n${stderr}`, { cause: err })),
    );
  });

describe('the labs’ guide', () => {
  const doc = readDoc(GUIDE);
  const [filingBlock] = blocksUnder(doc, TASK, 'json');
  const [curlBlock] = blocksUnder(doc, TASK, 'sh');

  it('shows a filing the API accepts', () => {
    const filing = CreateSubmissionBody.parse(JSON.parse(filingBlock.content));
    assert.equal(filing.submissionId, 'frontier-2-rc1');
  });

  it('files, reads and lists a case with its curl commands, and a second run changes nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'frontier-review-lab-guide-'));
    try {
      await withGateway(
        async (gw) => {
          const filing = {
            ...(JSON.parse(filingBlock.content) as object),
            callbackUrl: labReceiverUrl(),
            plannedReleaseDate: new Date(Date.now() + 365 * DAY_MS).toISOString(),
          };
          writeFileSync(path.join(dir, 'filing.json'), JSON.stringify(filing));
          const env = { API: gw.baseUrl!, LAB_KEY: gw.keys[gw.parties.lab] };
          const caseId = `${gw.parties.lab.slice('lab:'.length)}:frontier-2-rc1`;

          const [created, read] = documents(await bash(curlBlock.content, dir, env));
          assert.deepEqual(SubmissionCreated.parse(created), {
            caseId,
            submissionId: 'frontier-2-rc1',
            created: true,
          });
          const view = LabCaseView.parse(read);
          assert.equal(view.caseId, caseId);

          // Lists lag the case by a moment: the commands are run again until the list has caught up.
          const [again, , listed] = await eventually(
            async () => documents(await bash(curlBlock.content, dir, env)),
            ([, , list]) => LabCasePage.parse(list).items.some((c) => c.caseId === caseId),
            'the case in the lab’s list',
          );
          assert.deepEqual(SubmissionCreated.parse(again), {
            caseId,
            submissionId: 'frontier-2-rc1',
            created: false,
          });
          assert.deepEqual(
            LabCasePage.parse(listed).items.map((c) => c.caseId),
            [caseId],
          );
        },
        { listen: true },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
