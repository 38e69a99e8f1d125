// Checks every conformance vector: parse (show, repr, simplified, eval, exact error message and
// offset), Dtab.lookup, the delegator's JSON, bind, and the blow-up inputs.
// Reads every *.jsonl in $DTAB_CONFORMANCE_DIR (default: test/fixtures/conformance).
// Ends with `N passed, N failed`; exit status 1 when any failed.

import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { evaluate, simplify } from '../../core/model/nametree.js';
import { delegateTreeToJson } from '../../core/delegate/delegate-tree.js';
import { DelegationBudgetError } from '../../core/delegate/errors.js';
import { reprBound, reprEval, reprTree } from '../../core/print/repr.js';
import { showDentry, showDtab, showPath, showPathTree, showPrefix } from '../../core/print/show.js';
import { lowerDentry, lowerDtab, lowerPath, lowerPrefix, lowerTree } from '../../core/syntax/lower.js';
import { parseDentry, parseDtab, parsePath, parsePrefix, parseTree } from '../../core/syntax/parser.js';
import type { DtabSyntaxError } from '../../core/syntax/errors.js';
import { conformanceInterpreter } from './world.js';

type Case = Record<string, unknown>;

const dir = resolve(process.env.DTAB_CONFORMANCE_DIR ?? join(__dirname, '..', 'fixtures', 'conformance'));
const verbose = process.argv.includes('--verbose');
const interp = conformanceInterpreter();

let passed = 0;
let failed = 0;
const failures: string[] = [];

function record(file: string, line: number, c: Case, problems: string[]): void {
  if (problems.length === 0) {
    passed++;
    return;
  }
  failed++;
  if (failures.length < 40 || verbose) failures.push(`${file}:${line} ${JSON.stringify(c).slice(0, 300)}\n    ${problems.join('\n    ')}`);
}

function expectEq(problems: string[], what: string, actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(actual, expected)) problems.push(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Finagle's message encodes the offset (the bracketed character): check both. */
function expectError(problems: string[], err: DtabSyntaxError | undefined, expected: string): void {
  if (!err) {
    problems.push(`expected error ${JSON.stringify(expected)}, but it parsed`);
    return;
  }
  expectEq(problems, 'error', err.finagleMessage, expected);
  if (err.javaMessage === undefined) {
    const prefix = `found at '${err.input.slice(0, err.index)}[`;
    if (!expected.includes(prefix)) problems.push(`error offset ${err.index} does not match the expected message`);
  }
}

function checkParse(c: Case): string[] {
  const p: string[] = [];
  const input = c.input as string;
  const ok = c.ok as boolean;
  switch (c.kind) {
    case 'path': {
      const r = parsePath(input);
      if (!ok) return expectError(p, r.ok ? undefined : r.error, c.error as string), p;
      if (!r.ok) return [`unexpected error: ${r.error.finagleMessage}`];
      const path = lowerPath(r.value);
      expectEq(p, 'size', path.length, c.size);
      expectEq(p, 'show', showPath(path), c.show);
      return p;
    }
    case 'prefix': {
      const r = parsePrefix(input);
      if (!ok) return expectError(p, r.ok ? undefined : r.error, c.error as string), p;
      if (!r.ok) return [`unexpected error: ${r.error.finagleMessage}`];
      expectEq(p, 'show', showPrefix(lowerPrefix(r.value)), c.show);
      return p;
    }
    case 'tree': {
      const r = parseTree(input);
      if (!ok) return expectError(p, r.ok ? undefined : r.error, c.error as string), p;
      if (!r.ok) return [`unexpected error: ${r.error.finagleMessage}`];
      const t = lowerTree(r.value);
      expectEq(p, 'repr', reprTree(t), c.repr);
      expectEq(p, 'show', showPathTree(t), c.show);
      expectEq(p, 'simplified', showPathTree(simplify(t)), c.simplified);
      expectEq(p, 'eval', reprEval(evaluate(t)), c.eval);
      return p;
    }
    case 'dentry': {
      const r = parseDentry(input);
      if (!ok) return expectError(p, r.ok ? undefined : r.error, c.error as string), p;
      if (!r.ok) return [`unexpected error: ${r.error.finagleMessage}`];
      expectEq(p, 'show', showDentry(lowerDentry(r.value)), c.show);
      return p;
    }
    case 'dtab': {
      const s = parseDtab(input);
      if (!ok) return expectError(p, s.errors[0], c.error as string), p;
      if (s.errors.length > 0) return [`unexpected error: ${s.errors[0]!.finagleMessage}`];
      const d = lowerDtab(s);
      expectEq(p, 'entries', d.size, c.entries);
      expectEq(p, 'show', showDtab(d), c.show);
      return p;
    }
  }
  return [`unknown kind ${String(c.kind)}`];
}

function dtabOf(text: string) {
  const s = parseDtab(text);
  if (s.errors.length > 0) throw new Error(`dtab does not parse: ${s.errors[0]!.finagleMessage}`);
  return lowerDtab(s);
}

function pathOf(text: string) {
  const r = parsePath(text);
  if (!r.ok) throw new Error(`path does not parse: ${r.error.finagleMessage}`);
  return lowerPath(r.value);
}

function checkLookup(c: Case): string[] {
  const p: string[] = [];
  const t = dtabOf(c.dtab as string).lookup(pathOf(c.path as string));
  expectEq(p, 'repr', reprTree(t), c.repr);
  expectEq(p, 'show', showPathTree(t), c.show);
  return p;
}

function checkDelegate(c: Case): string[] {
  const p: string[] = [];
  const dtab = dtabOf(c.dtab as string);
  const path = pathOf(c.path as string);
  try {
    const tree = interp.delegateSync(dtab, path);
    if ('delegateError' in c) p.push(`expected delegateError ${JSON.stringify(c.delegateError)}, got a tree`);
    else {
      const json = delegateTreeToJson(tree);
      // Same values and the same field order as Linkerd's encoder.
      if (JSON.stringify(json) !== JSON.stringify(c.delegate)) expectEq(p, 'delegate', json, c.delegate);
      if (p.length === 0 && JSON.stringify(json) !== JSON.stringify(c.delegate)) p.push('delegate: field order differs');
    }
  } catch (e) {
    if ('delegateError' in c) expectEq(p, 'delegateError', (e as Error).message, c.delegateError);
    else p.push(`delegate threw ${(e as Error).message}`);
  }
  try {
    const bound = reprBound(interp.bindSync(dtab, path));
    if ('bindError' in c) p.push(`expected bindError ${JSON.stringify(c.bindError)}, got ${bound}`);
    else expectEq(p, 'bind', bound, c.bind);
  } catch (e) {
    if ('bindError' in c) expectEq(p, 'bindError', (e as Error).message, c.bindError);
    else p.push(`bind threw ${(e as Error).message}`);
  }
  return p;
}

function checkBlowup(c: Case): string[] {
  const p: string[] = [];
  const dtab = dtabOf(c.dtab as string);
  const path = pathOf(c.path as string);
  const meter = { work: 0 };
  try {
    interp.delegateSync(dtab, path, meter);
    p.push('delegation of a blow-up input ended without an error');
  } catch (e) {
    if (!(e instanceof DelegationBudgetError)) p.push(`expected the budget error, got ${(e as Error).message}`);
  }
  try {
    interp.bindSync(dtab, path);
  } catch {
    // Binding may end with an error too; it must only end, which the time check below asserts.
  }
  // Bounded by work (dentries matched, nodes made), never by the clock: a busy machine passes too.
  if (meter.work > interp.workBudget + 1000) p.push(`did ${meter.work} units of work (budget ${interp.workBudget})`);
  return p;
}

const checkers: Record<string, (c: Case) => string[]> = {
  'parse.jsonl': checkParse,
  'lookup.jsonl': checkLookup,
  'delegate.jsonl': checkDelegate,
  'delegate-blowup.jsonl': checkBlowup,
};

const files = readdirSync(dir)
  .filter((f) => f.endsWith('.jsonl'))
  .sort();
if (files.length === 0) {
  console.error(`no *.jsonl files in ${dir}`);
  process.exit(2);
}
for (const file of files) {
  const check = checkers[file];
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  let before = passed + failed;
  lines.forEach((text, i) => {
    if (text.trim() === '') return;
    const c = JSON.parse(text) as Case;
    if (!check) return record(file, i + 1, c, [`no checker for ${file}`]);
    let problems: string[];
    try {
      problems = check(c);
    } catch (e) {
      problems = [`crashed: ${(e as Error).stack ?? String(e)}`];
    }
    record(file, i + 1, c, problems);
  });
  console.log(`${file}: ${passed + failed - before} vectors`);
  before = passed + failed;
}
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
