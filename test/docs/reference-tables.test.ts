import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderSections, ROOT, SECTIONS, sectionHomes } from '../../scripts/docs';

/** Table cells padded by Prettier read the same as the rendered ones. */
const normalized = (text: string): string => text.replace(/ {2,}/g, ' ').replace(/-{3,}/g, '---');

describe('the guides’ reference tables', () => {
  it('are each in one file of README.md and docs/', () => {
    assert.deepEqual([...sectionHomes().keys()].sort(), Object.keys(SECTIONS).sort());
  });

  it('match the event, message and error declarations (npm run docs renders them)', () => {
    for (const file of new Set(sectionHomes().values())) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      assert.equal(
        normalized(text),
        normalized(renderSections(text, file)),
        `${file} is stale: run npm run docs`,
      );
    }
  });
});
