import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { guides, markdownFiles, readDoc, ROOT } from './guides';

/**
 * Issue 41: every task of every reader is one link and one heading away from the README, and no link in the
 * documentation points at a file or a heading that is not there. Offline: links to other sites are not
 * followed. Anchors follow GitHub's rules (github-slugger over the heading's text).
 */

/** Where a relative link leads: the file (from the project's root) and the anchor, or why it leads nowhere. */
function target(from: string, href: string): { file: string; anchor?: string } | string {
  const [rawPath, anchor] = href.split('#', 2) as [string, string | undefined];
  const file =
    rawPath === ''
      ? from
      : path.posix.normalize(path.posix.join(path.posix.dirname(from), decodeURI(rawPath)));
  if (file.startsWith('../')) return `${href} leads outside the project`;
  if (!existsSync(path.join(ROOT, file))) return `${href}: no file ${file}`;
  return { file, anchor: anchor === undefined ? undefined : decodeURIComponent(anchor) };
}

const isExternal = (href: string): boolean => /^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//');

describe('documentation links', () => {
  it('resolve, from README.md and every file in docs/, to an existing file and heading', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      for (const { href, line } of readDoc(file).links) {
        if (isExternal(href)) continue;
        const to = target(file, href);
        if (typeof to === 'string') {
          broken.push(`${file}:${line}: ${to}`);
          continue;
        }
        if (to.anchor === undefined) continue;
        if (!to.file.endsWith('.md') || statSync(path.join(ROOT, to.file)).isDirectory()) {
          // GitHub numbers the lines of other files (#L12); nothing else anchors there.
          if (!/^L\d+(-L\d+)?$/.test(to.anchor))
            broken.push(`${file}:${line}: ${href}: no headings in ${to.file}`);
          continue;
        }
        if (!readDoc(to.file).headings.some((h) => h.slug === to.anchor)) {
          broken.push(`${file}:${line}: ${href}: no heading #${to.anchor} in ${to.file}`);
        }
      }
    }
    assert.deepEqual(broken, []);
  });

  it('lead from the README to every guide and to each of its task headings (README → guide → heading)', () => {
    const readme = readDoc('README.md')
      .links.map((l) => target('README.md', l.href))
      .filter((t): t is { file: string; anchor?: string } => typeof t !== 'string');
    assert.deepEqual(
      [
        ...new Set(
          readme.filter((t) => t.anchor === undefined && guides().includes(t.file)).map((t) => t.file),
        ),
      ].sort(),
      guides().sort(),
      'the README links to each guide',
    );
    const unreachable = guides().flatMap((guide) =>
      readDoc(guide)
        .headings.filter((h) => h.level === 2)
        .filter((h) => !readme.some((t) => t.file === guide && t.anchor === h.slug))
        .map((h) => `${guide}#${h.slug} ("${h.text}")`),
    );
    assert.deepEqual(unreachable, [], 'task headings the README does not link to');
  });

  it('give every guide one title and its tasks as sections, no two headings alike (so no anchor is numbered)', () => {
    for (const guide of guides()) {
      const { headings } = readDoc(guide);
      assert.equal(headings[0]?.level, 1, `${guide} starts with its title`);
      assert.equal(headings.filter((h) => h.level === 1).length, 1, `${guide} has one title`);
      assert.ok(headings.filter((h) => h.level === 2).length >= 3, `${guide} has its tasks as sections`);
      const texts = headings.map((h) => h.text);
      assert.deepEqual(
        texts.filter((t, i) => texts.indexOf(t) !== i),
        [],
        `${guide}: headings that repeat`,
      );
    }
  });
});
