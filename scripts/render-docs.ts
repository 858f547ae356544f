import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { renderReadme } from './docs';

// `npm run docs`: renders the README's reference tables from the code (scripts/docs.ts).
const file = path.resolve(__dirname, '..', 'README.md');
writeFileSync(file, renderReadme(readFileSync(file, 'utf8')));
