import { readFileSync } from 'node:fs';
import path from 'node:path';
import GithubSlugger from 'github-slugger';
import MarkdownIt from 'markdown-it';
import { markdownFiles, ROOT } from '../../scripts/docs';

type Token = MarkdownIt.Token;

/**
 * The README and the guides as markdown-it reads them: their headings with GitHub's anchors, their links, their
 * code blocks and tables. The docs tests (links, commands, worked examples) read the documentation through it.
 */

export { markdownFiles, ROOT };

// HTML on, as GitHub renders it: a `<!-- run by: ... -->` comment is an HTML block, not text.
const md = new MarkdownIt({ html: true });

export interface Heading {
  level: number;
  text: string;
  /** GitHub's anchor: github-slugger over the heading's text, numbered when a heading repeats. */
  slug: string;
}

export interface Link {
  href: string;
  /** 1-based line of the block the link is in. */
  line: number;
}

export interface CodeBlock {
  lang: string;
  content: string;
  line: number;
  /** The files a `<!-- run by: a, b -->` comment right before the block names. */
  runBy?: string[];
  /** The heading the block is under. */
  under?: Heading;
}

export interface Doc {
  file: string;
  headings: Heading[];
  links: Link[];
  blocks: CodeBlock[];
  tokens: Token[];
}

/** A heading's text as GitHub renders it: the text of its inline content, code spans included. */
const textOf = (inline: Token): string =>
  (inline.children ?? [])
    .filter((t) => t.type === 'text' || t.type === 'code_inline')
    .map((t) => t.content)
    .join('');

const cache = new Map<string, Doc>();

/** The file (a path from the project's root), parsed. */
export function readDoc(file: string): Doc {
  const cached = cache.get(file);
  if (cached !== undefined) return cached;
  const tokens = md.parse(readFileSync(path.join(ROOT, file), 'utf8'), {});
  const slugger = new GithubSlugger();
  const headings: Heading[] = [];
  const links: Link[] = [];
  const blocks: CodeBlock[] = [];
  let under: Heading | undefined;
  tokens.forEach((t, i) => {
    const line = (t.map?.[0] ?? 0) + 1;
    if (t.type === 'heading_open') {
      const text = textOf(tokens[i + 1]);
      under = { level: Number(t.tag.slice(1)), text, slug: slugger.slug(text) };
      headings.push(under);
    }
    for (const child of t.children ?? []) {
      if (child.type === 'link_open') links.push({ href: String(child.attrGet('href') ?? ''), line });
      if (child.type === 'image') links.push({ href: String(child.attrGet('src') ?? ''), line });
    }
    if (t.type === 'fence') {
      const before = tokens[i - 1];
      const marker = before?.type === 'html_block' ? /^<!-- run by: (.+) -->\s*$/.exec(before.content) : null;
      blocks.push({
        lang: t.info.trim().split(/\s+/)[0] ?? '',
        content: t.content,
        line,
        runBy: marker?.[1].split(',').map((s) => s.trim()),
        under,
      });
    }
  });
  const doc = { file, headings, links, blocks, tokens };
  cache.set(file, doc);
  return doc;
}

/** The guides: the Markdown files directly in docs/, one per reader. */
export const guides = (): string[] => markdownFiles().filter((f) => /^docs\/[^/]+\.md$/.test(f));

/** The code blocks of a language under the heading with this text. */
export function blocksUnder(doc: Doc, heading: string, lang: string): CodeBlock[] {
  const blocks = doc.blocks.filter((b) => b.under?.text === heading && b.lang === lang);
  if (blocks.length === 0) throw new Error(`${doc.file} has no ${lang} block under "${heading}"`);
  return blocks;
}

/** The cells of the first table after the heading with this text, row by row (the header row first). */
export function tableUnder(doc: Doc, heading: string): string[][] {
  const start = doc.tokens.findIndex(
    (t, i) => t.type === 'heading_open' && textOf(doc.tokens[i + 1]) === heading,
  );
  if (start < 0) throw new Error(`${doc.file} has no heading "${heading}"`);
  const open = doc.tokens.findIndex((t, i) => i > start && t.type === 'table_open');
  const close = doc.tokens.findIndex((t, i) => i > open && t.type === 'table_close');
  const next = doc.tokens.findIndex((t, i) => i > start && t.type === 'heading_open');
  if (open < 0 || (next >= 0 && next < open)) throw new Error(`${doc.file}: no table under "${heading}"`);
  const rows: string[][] = [];
  for (const t of doc.tokens.slice(open, close)) {
    if (t.type === 'tr_open') rows.push([]);
    if (t.type === 'inline') rows[rows.length - 1].push(textOf(t));
  }
  return rows;
}
