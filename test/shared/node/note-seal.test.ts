import assert from 'node:assert/strict';
import { SealedRestrictedNote } from '../../../shared/domain/decisions';
import { openNote, sealNote } from '../../../shared/node/note-seal';
import { TEST_NOTE_RING } from '../../helpers/sealing';

describe('restricted notes, sealed', () => {
  it('seals every note an agency may write, from one character to the longest, as the workflow accepts it', () => {
    // The fuzzer found a one-character note refused: its seal is 39 characters, the pattern wanted 40.
    for (const note of ['0', 'ab', 'x'.repeat(100), 'é'.repeat(8000)]) {
      const sealed = sealNote(TEST_NOTE_RING, note);
      assert.equal(SealedRestrictedNote.safeParse(sealed).success, true, `${note.length}: ${sealed}`);
      assert.equal(openNote(TEST_NOTE_RING, sealed), note);
    }
  });
});
