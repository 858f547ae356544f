import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findingRecordId } from '../../../shared/domain/clearinghouse/workflow';
import { commitmentIdOf } from '../../../shared/domain/commitments/commitment';
import { commitmentRecordId } from '../../../shared/domain/commitments/workflow';
import { grantIdOf } from '../../../shared/domain/grants/grant';
import { grantRecordId } from '../../../shared/domain/grants/workflow';
import { FileRecordStore } from '../../../shared/node/record-store';

/**
 * The archive's listing (GET /v1/archive/cases, `record list`): closed cases' records, in case-id order. The
 * records of findings, commitments and grants are kept beside them (docs/review-process.md
 * "Clearinghouse findings", "Commitments", "Early access") and are not cases.
 */
describe('the file record store', () => {
  let dir: string;
  let store: FileRecordStore;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'record-store-'));
    store = new FileRecordStore(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lists the cases' records only, in order: not the findings', commitments' or grants' kept beside them", async () => {
    for (const id of [
      'acme:sub-2',
      'acme:sub-1',
      findingRecordId('finding-1'),
      commitmentRecordId(commitmentIdOf('acme', 'sub-1', 1)),
      grantRecordId(grantIdOf('acme', 'sub-1', 'grid-east')),
    ]) {
      assert.equal(await store.putOnce(id, `{"kind":"HEAD","id":"${id}"}\n`), 'WRITTEN');
    }
    assert.deepEqual(await store.list({ limit: 100 }), {
      caseIds: ['acme:sub-1', 'acme:sub-2'],
      more: false,
    });
    assert.deepEqual(await store.list({ limit: 1 }), { caseIds: ['acme:sub-1'], more: true });
    assert.deepEqual(await store.list({ after: 'acme:sub-1', limit: 1 }), {
      caseIds: ['acme:sub-2'],
      more: false,
    });
  });
});
