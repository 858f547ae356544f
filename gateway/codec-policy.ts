import { mayReadDetail } from '../shared/domain/clearinghouse/access';
import type { FindingFilingInput, FindingRecord } from '../shared/domain/clearinghouse/finding';
import type { Role } from '../shared/domain/principal';
import { isSealedNote } from '../shared/domain/sealed';
import type { KeyRing } from '../shared/node/key-ring';
import { findingWorkflowId } from '../shared/domain/clearinghouse/workflow';
import { sealNote, type NoteOpener } from '../shared/node/note-seal';
import { FINDING_FIELDS } from './note-places';

/**
 * The codec server follows the view policy (issue 34): whoever decodes Temporal's payloads through it reads
 * everything the payload key sealed, so a field the API withholds from one of its readers reaches Temporal
 * sealed a second time, with the notes key ring, which only the gateway holds (as restricted notes are,
 * shared/node/note-seal.ts). The gateway opens such a field in the API's views for those entitled to it.
 *
 * What that seals, beside restricted notes and NSA's benchmark score (gateway/routes/agency.ts), a finding's
 * title and description and the notes and reasons of its messages (gateway/findings.ts): a finding's filer
 * and CVSS vector (with its version), whenever one of the codec's readers may not read the finding's detail
 * (TLP:RED for both, TLP:AMBER for operations staff; shared/domain/clearinghouse/access.ts). The severity's
 * score and rating, which the API shows everyone who knows of the finding, stay plain: the workflow and its
 * callbacks use them.
 */

/** The roles the codec server decodes for (gateway/routes/codec.ts). */
export const CODEC_READERS = ['ops', 'chair'] as const satisfies readonly Role[];

/** Whether some reader of the codec server may not read this filing's detail through the API. */
export function detailHiddenFromCodec(filing: FindingFilingInput): boolean {
  // The rule reads only the filing and its TLP; a filing just made has no other state.
  const draft = { filing, tlp: filing.tlp } as unknown as FindingRecord;
  return CODEC_READERS.some((principal) => !mayReadDetail(draft, { principal }));
}

/** The filing as it reaches Temporal: its filer and vector sealed when the codec's readers may not read them. */
export function sealedForCodec(notes: KeyRing, filing: FindingFilingInput): FindingFilingInput {
  if (!detailHiddenFromCodec(filing)) return filing;
  const { severity } = filing.detail;
  // Each sealed for its own field of this finding (./note-places.ts).
  const at = (field: string) => ({ record: findingWorkflowId(filing.findingId), field });
  return {
    ...filing,
    filedBy: sealNote(notes, filing.filedBy, at(FINDING_FIELDS.filedBy)),
    detail: {
      ...filing.detail,
      severity: {
        ...severity,
        vector: sealNote(notes, severity.vector, at(FINDING_FIELDS.cvssVector)),
        version: sealNote(notes, severity.version, at(FINDING_FIELDS.cvssVersion)),
      },
    },
  };
}

/** A field opened at its place; one that does not open there (moved from elsewhere) stays as it is, sealed. */
const opened = (notes: NoteOpener, value: string, field: string): string =>
  isSealedNote(value) ? (notes.open(value, field) ?? value) : value;

/**
 * The finding as the gateway reads it: what `sealedForCodec` sealed, opened (the filer also names its first
 * timeline entry), so that the access rules and the views read it as filed. Never returned as it is: the
 * views decide what of it each reader sees.
 */
export function openedFinding(notes: NoteOpener, r: FindingRecord): FindingRecord {
  const f = r.filing;
  const s = f.detail.severity;
  if (![f.filedBy, s.vector, s.version].some(isSealedNote)) return r;
  return {
    ...r,
    filing: {
      ...f,
      filedBy: opened(notes, f.filedBy, FINDING_FIELDS.filedBy),
      detail: {
        ...f.detail,
        severity: {
          ...s,
          vector: opened(notes, s.vector, FINDING_FIELDS.cvssVector),
          version: opened(notes, s.version, FINDING_FIELDS.cvssVersion),
        },
      },
    },
    events: r.events.map((e) =>
      isSealedNote(e.actor) ? { ...e, actor: opened(notes, e.actor, FINDING_FIELDS.filedBy) } : e,
    ),
  };
}
