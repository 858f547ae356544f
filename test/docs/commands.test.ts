import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { markdownFiles, readDoc, ROOT, type CodeBlock } from './guides';

/**
 * Issue 41: every command in the guides is run by a test or a script. Each shell block in README.md and docs/
 * carries a `<!-- run by: file, ... -->` comment naming the tests or scripts that run it, and this checks the
 * claim against those files: a `frontier-review` command's subcommand, options and plain values all appear,
 * quoted, in one of them (as the CLI tests write their arguments); an example or a script the block runs is one
 * they name; an npm script exists; a block of curl commands is read and run by the file that names it. A
 * command of any other kind fails, so a guide cannot show a command nobody runs.
 */

const SHELL = new Set(['sh', 'bash', 'shell', 'console']);

/** A command line's words, quotes and `$(...)` kept whole; `#` starts a comment outside them. */
function words(line: string): string[] {
  const out: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (/\s/.test(ch)) {
      if (word !== undefined) out.push(word);
      word = undefined;
      continue;
    }
    if (ch === '#' && word === undefined) break;
    const close = ch === "'" ? "'" : ch === '"' ? '"' : ch === '$' && line[i + 1] === '(' ? ')' : undefined;
    if (close !== undefined) {
      const end = line.indexOf(close, i + 1);
      assert.ok(end > i, `an unclosed ${ch} in: ${line}`);
      word = (word ?? '') + line.slice(i, end + 1);
      i = end;
      continue;
    }
    word = (word ?? '') + ch;
  }
  if (word !== undefined) out.push(word);
  return out;
}

/** The block's commands, one per line (a trailing backslash continues a line), each as its words. */
const commandsOf = (block: CodeBlock): string[][] =>
  block.content
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map(words)
    .filter((w) => w.length > 0);

const isAssignment = (word: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);
/** A word the shell passes as is: an option, a subcommand, a plain value. */
const isPlain = (word: string): boolean => /^-{0,2}[A-Za-z0-9][A-Za-z0-9_:.-]*$/.test(word);
/** The project's files a command names (an example, a script), inside `$(...)` too. */
const pathsIn = (command: string[]): string[] =>
  command.flatMap(
    (w) => w.match(/\b(?:examples|scripts|drills|bench|cluster|docs|test)\/[\w./-]+\.\w+/g) ?? [],
  );

const quoted = (text: string, word: string): boolean =>
  [`'${word}'`, `"${word}"`, `\`${word}\``].some((q) => text.includes(q));

/** What is wrong with one command of a block, given the texts of the files that are said to run it. */
function problemsOf(command: string[], runners: Map<string, string>, guide: string): string[] {
  const texts = [...runners.values()];
  const problems: string[] = [];
  for (const file of pathsIn(command)) {
    if (!existsSync(path.join(ROOT, file))) problems.push(`${file} does not exist`);
    else if (!texts.some((t) => t.includes(file) || t.includes(path.basename(file)))) {
      problems.push(`none of ${[...runners.keys()].join(', ')} runs ${file}`);
    }
  }
  const words = command[0] === 'export' ? command.slice(1) : command;
  const first = words.findIndex((w) => !isAssignment(w));
  if (first < 0) return problems; // assignments only
  const [program, ...args] = words.slice(first);
  if (program === 'npx' && args[0] === 'frontier-review') {
    const unrun = args.slice(1).filter((w) => isPlain(w) && !texts.some((t) => quoted(t, w)));
    if (unrun.length > 0) problems.push(`no test named runs frontier-review with ${unrun.join(' ')}`);
  } else if (program === 'npm') {
    const script = args[0] === 'run' ? args[1] : args[0];
    const scripts = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: object })
      .scripts;
    if (!(script in scripts)) problems.push(`no npm script ${script}`);
  } else if (program === 'curl') {
    if (!texts.some((t) => t.includes(guide)))
      problems.push(`none of ${[...runners.keys()].join(', ')} runs ${guide}'s curl`);
  } else if (!(
    (program === 'bash' || program.startsWith('"$') || program === 'npx') &&
    pathsIn(command).length > 0
  )) {
    problems.push(`no rule knows how ${program} is run`);
  }
  return problems;
}

describe('commands in the guides', () => {
  it('each shell block names the tests or scripts that run it, and they do', () => {
    const problems: string[] = [];
    let checked = 0;
    for (const file of markdownFiles()) {
      for (const block of readDoc(file).blocks.filter((b) => SHELL.has(b.lang))) {
        const where = `${file}:${block.line}`;
        if (block.runBy === undefined) {
          problems.push(`${where}: no <!-- run by: ... --> before the block`);
          continue;
        }
        const runners = new Map<string, string>();
        for (const runner of block.runBy) {
          if (existsSync(path.join(ROOT, runner)))
            runners.set(runner, readFileSync(path.join(ROOT, runner), 'utf8'));
          else problems.push(`${where}: ${runner} does not exist`);
        }
        for (const command of commandsOf(block)) {
          checked += 1;
          problems.push(
            ...problemsOf(command, runners, file).map((p) => `${where}: ${command.join(' ')}: ${p}`),
          );
        }
      }
    }
    assert.deepEqual(problems, []);
    assert.ok(checked > 20, `commands checked: ${checked}`);
  });

  it('refuses a frontier-review command with a value no named test passes', () => {
    const runners = new Map([['test/cli/ops.test.ts', "api.as(ops, 'toll', lapse, '--reason', 'x')"]]);
    assert.deepEqual(
      problemsOf(words('npx frontier-review toll "$LAPSE" --reason \'x\''), runners, 'g.md'),
      [],
    );
    assert.deepEqual(problemsOf(words('npx frontier-review toll "$LAPSE" --all'), runners, 'g.md'), [
      'no test named runs frontier-review with --all',
    ]);
    assert.deepEqual(problemsOf(words('temporal workflow reset'), runners, 'g.md'), [
      'no rule knows how temporal is run',
    ]);
  });
});
