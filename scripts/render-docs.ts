import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderSections, ROOT, sectionHomes } from './docs';

// `npm run docs`: renders the guides' reference tables from the code (scripts/docs.ts), in whichever file of
// README.md and docs/ holds each; Prettier then pads them.
for (const file of new Set(sectionHomes().values())) {
  const full = path.join(ROOT, file);
  const text = readFileSync(full, 'utf8');
  const rendered = renderSections(text, file);
  if (rendered !== text) writeFileSync(full, rendered);
  console.log(`rendered ${file}`);
}
