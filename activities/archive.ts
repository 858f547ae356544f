import { commitmentArchiveEntries } from '../shared/domain/commitments/archive';
import type { CommitmentRecord } from '../shared/domain/commitments/commitment';
import { commitmentRecordId } from '../shared/domain/commitments/workflow';
import { grantArchiveEntries } from '../shared/domain/grants/archive';
import type { GrantRecord } from '../shared/domain/grants/grant';
import { grantRecordId } from '../shared/domain/grants/workflow';
import { findingArchiveEntries } from '../shared/domain/clearinghouse/archive';
import type { FindingRecord } from '../shared/domain/clearinghouse/finding';
import { findingRecordId } from '../shared/domain/clearinghouse/workflow';
import { archiveEntries } from '../shared/domain/review/archive';
import type { CaseState } from '../shared/domain/review/state';
import { sha256, writeRecord } from '../shared/node/permanent-record';
import type { RecordSigner } from '../shared/node/record-keys';
import type { RecordStore } from '../shared/node/record-store';

export interface ArchiveDeps {
  records: RecordStore;
  /** Loaded on first use: a worker that never closes a case never needs the key. */
  signer: () => RecordSigner;
}

export interface ArchiveResult {
  /** WRITTEN now, or EXISTS: an earlier attempt wrote it (the record is written once). */
  outcome: 'WRITTEN' | 'EXISTS';
  lines: number;
  /** SHA-256 of the record's last chained line: the hash its signature covers. */
  lastHash: string;
  keyId: string;
}

/** The activity a closed case ends with: its permanent record, signed and stored once. */
export function createArchiveActivities(deps: ArchiveDeps) {
  async function store(id: string, text: string, keyId: string): Promise<ArchiveResult> {
    const lines = text.trimEnd().split('\n');
    const outcome = await deps.records.putOnce(id, text);
    return { outcome, lines: lines.length - 1, lastHash: sha256(lines[lines.length - 2]), keyId };
  }

  return {
    async archiveCase(input: { caseId: string; state: CaseState }): Promise<ArchiveResult> {
      const signer = deps.signer();
      const text = writeRecord(
        archiveEntries(input.caseId, input.state),
        signer.signingKey,
        signer.publicKey,
      );
      return store(input.caseId, text, signer.keyId);
    },

    /** A closed finding's record, beside the cases' under its own id (findingRecordId). */
    async archiveFinding(input: { findingId: string; record: FindingRecord }): Promise<ArchiveResult> {
      const signer = deps.signer();
      const text = writeRecord(findingArchiveEntries(input.record), signer.signingKey, signer.publicKey);
      return store(findingRecordId(input.findingId), text, signer.keyId);
    },

    /** A closed commitment's record, beside the cases' under its own id (commitmentRecordId). */
    async archiveCommitment(input: {
      commitmentId: string;
      record: CommitmentRecord;
    }): Promise<ArchiveResult> {
      const signer = deps.signer();
      const text = writeRecord(commitmentArchiveEntries(input.record), signer.signingKey, signer.publicKey);
      return store(commitmentRecordId(input.commitmentId), text, signer.keyId);
    },

    /** A closed grant's record, beside the cases' under its own id (grantRecordId). */
    async archiveGrant(input: { grantId: string; record: GrantRecord }): Promise<ArchiveResult> {
      const signer = deps.signer();
      const text = writeRecord(grantArchiveEntries(input.record), signer.signingKey, signer.publicKey);
      return store(grantRecordId(input.grantId), text, signer.keyId);
    },
  };
}

export type ArchiveActivities = ReturnType<typeof createArchiveActivities>;
