import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { renderReadme } from '../../scripts/docs';

/** Table cells padded by Prettier read the same as the rendered ones. */
const normalized = (text: string): string => text.replace(/ {2,}/g, ' ').replace(/-{3,}/g, '---');

describe('README reference tables', () => {
  it('match the event, message and error declarations (npm run docs renders them)', () => {
    const readme = readFileSync(path.resolve(__dirname, '..', '..', 'README.md'), 'utf8');
    assert.equal(
      normalized(readme),
      normalized(renderReadme(readme)),
      'README.md is stale: run npm run docs',
    );
  });
});
