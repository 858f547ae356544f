import assert from 'node:assert/strict';
import { SealedRestrictedNote } from '../../../shared/domain/decisions';
import { NoteOpener, noteVersion, openNote, sealNote } from '../../../shared/node/note-seal';
import { KeyRing, newKeyRingFile } from '../../../shared/node/key-ring';
import { sealNoteV1, TEST_NOTE_RING } from '../../helpers/sealing';

const CASE_A = { record: 'review-lab-a:case-a', field: 'decision.restrictedNote:NSA' };

describe('restricted notes, sealed', () => {
  it('seals every note an agency may write, from one character to the longest, as the workflow accepts it', () => {
    // The fuzzer found a one-character note refused: its seal is 39 characters, the pattern wanted 40.
    for (const note of ['0', 'ab', 'x'.repeat(100), 'é'.repeat(8000)]) {
      const sealed = sealNote(TEST_NOTE_RING, note, CASE_A);
      assert.equal(SealedRestrictedNote.safeParse(sealed).success, true, `${note.length}: ${sealed}`);
      assert.equal(noteVersion(sealed), 'v2');
      assert.equal(openNote(TEST_NOTE_RING, sealed, CASE_A), note);
    }
  });

  it('opens a seal only in the record and the field it was sealed for (issue 34)', () => {
    const sealed = sealNote(TEST_NOTE_RING, 'the weights leak through the eval API', CASE_A);
    const elsewhere = [
      { record: 'review-lab-a:case-b', field: CASE_A.field },
      { record: 'review-lab-b:case-c', field: CASE_A.field },
      { record: CASE_A.record, field: 'decision.restrictedNote:CISA' },
      { record: CASE_A.record, field: 'designation.benchmarkScore' },
      { record: 'finding-F-1', field: 'finding.title' },
    ];
    for (const place of elsewhere) {
      assert.equal(openNote(TEST_NOTE_RING, sealed, place), undefined, JSON.stringify(place));
      assert.equal(new NoteOpener(TEST_NOTE_RING, place.record, true).open(sealed, place.field), undefined);
    }
    assert.equal(
      new NoteOpener(TEST_NOTE_RING, CASE_A.record, false).open(sealed, CASE_A.field),
      'the weights leak through the eval API',
    );
  });

  it('opens a v1 seal of an earlier release only where the reader says a record may hold one', () => {
    const v1 = sealNoteV1(TEST_NOTE_RING, 'sealed by release 6');
    assert.equal(noteVersion(v1), 'v1');
    assert.equal(SealedRestrictedNote.safeParse(v1).success, true);
    assert.equal(openNote(TEST_NOTE_RING, v1, CASE_A), undefined);
    assert.equal(openNote(TEST_NOTE_RING, v1, CASE_A, { v1: true }), 'sealed by release 6');
  });

  it('opens nothing altered, relabelled or sealed with a key the ring does not hold', () => {
    const sealed = sealNote(TEST_NOTE_RING, 'x', CASE_A);
    const [, , keyId, data] = sealed.split(':');
    const flipped = Buffer.from(data, 'base64url');
    flipped[flipped.length - 20] ^= 1;
    const other = KeyRing.of('note', newKeyRingFile('other'));
    for (const bad of [
      `sealed:v2:${keyId}:${flipped.toString('base64url')}`,
      // A v2 seal relabelled v1 does not open as v1 either: the additional data differ.
      `sealed:v1:${keyId}:${data}`,
      'not a seal',
    ]) {
      assert.equal(openNote(TEST_NOTE_RING, bad, CASE_A, { v1: true }), undefined, bad);
    }
    assert.equal(openNote(other, sealed, CASE_A), undefined);
  });
});
