// What each fuzz property checks about one input. These run in the worker thread (worker.ts), so
// that a hang, a stack overflow or running out of memory is a reported failure of that case, not
// the end of the run. A check throws to fail; it may return figures for the report.

import assert from 'node:assert/strict';
import { getHeapStatistics } from 'node:v8';
import {
  checkConfigText,
  checkDtab,
  delegateTreeToJsonText,
  findCycle,
  findShadowed,
  formatDtab,
  Interpreter,
  lowerDtab,
  parseDentry,
  parseDtab,
  parsePath,
  parsePrefix,
  parseTree,
  renderDelegateTree,
  reprBound,
  showDtab,
  updateConfigText,
  BindDepthError,
  DelegateDepthError,
  DelegationBudgetError,
  NamingError,
  type ConfigFileResult,
  type Diagnostic,
  type Span,
} from '../../core/index.js';
import { main as cli } from '../../cli/main.js';
import { render, renderScenario, type Recipe, type Scenario } from '../support/hostile.js';
import { lookupAgrees, nothingLost, roundTrips } from '../support/properties.js';
import { checkEdits, type Edit } from '../support/incremental.js';

export interface CheckInfo {
  /** Heap growth during the case, in MB (delegation reports it). */
  heapMb?: number;
}

/** A heap growth past this fails the delegation property (bounded memory). */
export const HEAP_LIMIT_MB = Number(process.env.FUZZ_HEAP_LIMIT_MB ?? 512);

const BAD_WORDS = /\bundefined\b|\bNaN\b|\[object Object\]/;

function spanIn(what: string, s: Span, length: number): void {
  const ok = Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start <= s.end && s.end <= length;
  if (!ok) assert.fail(`${what}: span ${JSON.stringify(s)} is not within 0 ≤ start ≤ end ≤ ${length} (the text's length)`);
}

/** The length of the line each offset is on (for the bound on message sizes). */
function lineLengths(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    const end = lo + 1 < starts.length ? starts[lo + 1]! - 1 : text.length;
    return end - starts[lo]!;
  };
}

/**
 * Spans in bounds, no "undefined" in messages, and messages of a bounded size: each at most 1000
 * characters and twice the error's line, all together 1000 each and 4 × the text (quoting the
 * whole input in every message makes the output O(errors × input): gigabytes for a few thousand
 * broken lines). Finagle's full message is built only when asked for (it quotes the whole input,
 * as Finagle does); what hosts show is its elided form, `finagleMessageShort`, which is measured.
 */
function diagnosticsOk(ds: readonly Diagnostic[], text: string): void {
  const length = text.length;
  const lineOf = ds.length > 0 ? lineLengths(text) : () => 0;
  // All of them together too (before reading any: a message may be a rope over the whole input).
  let total = 0;
  for (const d of ds) total += d.message.length + (d.finagleMessageShort?.length ?? 0);
  const totalBound = 1000 * ds.length + 4 * length;
  if (total > totalBound) {
    assert.fail(`the ${ds.length} diagnostics' messages total ${total} characters (more than ${totalBound}: 1000 each + 4 × the text): O(errors × input)`);
  }
  for (const d of ds) {
    const size = d.message.length + (d.finagleMessageShort?.length ?? 0);
    const bound = 1000 + 2 * lineOf(Math.min(d.span.start, length));
    if (size > bound) {
      assert.fail(`diagnostic [${d.code}] at ${d.span.start}: its messages are ${size} characters long (more than ${bound}: 1000 + twice its line); it starts ${JSON.stringify((d.finagleMessageShort ?? d.message).slice(0, 120))}`);
    }
    spanIn(`diagnostic [${d.code}] "${d.message.slice(0, 120)}"`, d.span, length);
    for (const f of d.fixes ?? []) for (const e of f.edits) spanIn(`fix "${f.title}" of [${d.code}]`, e.span, length);
    for (const r of d.related ?? []) spanIn(`related "${r.message.slice(0, 80)}" of [${d.code}]`, r.span, length);
    for (const m of [d.message, d.finagleMessageShort ?? '', ...(d.related ?? []).map((r) => r.message), ...(d.fixes ?? []).map((f) => f.title)]) {
      const bad = BAD_WORDS.exec(m);
      if (bad) assert.fail(`diagnostic [${d.code}] says "${bad[0]}": ${JSON.stringify(m.slice(0, 300))}`);
    }
  }
}

// ---- parser ----------------------------------------------------------------------------------

function parserNeverThrows(r: Recipe): void {
  const text = render(r);
  const s = parseDtab(text);
  for (const e of s.errors) spanIn(`syntax error [${e.code}]`, e.span, text.length);
  for (const e of s.entries) spanIn(`entry (${e.kind})`, e, text.length);
  for (const c of s.comments) spanIn('comment', c, text.length);
  diagnosticsOk(checkDtab(s), text);
  for (const [name, f] of [['parsePath', parsePath], ['parsePrefix', parsePrefix], ['parseTree', parseTree], ['parseDentry', parseDentry]] as const) {
    const p = f(text);
    if (!p.ok) spanIn(`${name} error`, p.error.span, text.length);
  }
}

function parserLosesNothing(r: Recipe): void {
  nothingLost(render(r));
}

// ---- printer ---------------------------------------------------------------------------------

function printerRoundTrips(r: Recipe): void {
  roundTrips(render(r));
}

function printerOnAnything(r: Recipe): void {
  const text = render(r);
  const s = parseDtab(text);
  showDtab(lowerDtab(s));
  const once = formatDtab(s);
  if (once === undefined) {
    assert.ok(s.errors.length > 0, 'formatDtab gave up on a dtab without syntax errors');
    return;
  }
  const again = parseDtab(once);
  assert.equal(again.errors.length, 0, `the formatted text does not parse: ${again.errors[0]?.plain}`);
  assert.equal(formatDtab(again), once, 'format(format(x)) !== format(x)');
}

// ---- delegation --------------------------------------------------------------------------------

const EXPECTED_ERRORS = [NamingError, DelegateDepthError, BindDepthError, DelegationBudgetError];
const expected = (e: unknown) => EXPECTED_ERRORS.some((c) => e instanceof c);

async function delegationBounded(sc: Scenario): Promise<CheckInfo> {
  const { dtab: text, path } = renderScenario(sc);
  const syntax = parseDtab(text);
  assert.equal(syntax.errors.length, 0, `generated dtab does not parse: ${syntax.errors[0]?.plain}`);
  const dtab = lowerDtab(syntax);
  const interpreter = new Interpreter();
  const before = getHeapStatistics().used_heap_size;
  let peak = before;
  const sample = () => (peak = Math.max(peak, getHeapStatistics().used_heap_size));
  const keep: unknown[] = [];
  const unexpected = (what: string) => (e: unknown) => {
    if (!expected(e)) throw new Error(`${what} threw ${(e as Error).name}: ${(e as Error).message}`, { cause: e });
  };
  try {
    const tree = await interpreter.delegate(dtab, path);
    keep.push(tree, renderDelegateTree(tree), delegateTreeToJsonText(tree));
  } catch (e) {
    unexpected('Interpreter.delegate')(e);
  }
  sample();
  try {
    const bound = await interpreter.bind(dtab, path);
    keep.push(reprBound(bound));
  } catch (e) {
    unexpected('Interpreter.bind')(e);
  }
  sample();
  // The deep checks the editor runs on every dentry: shadowing and cycles.
  keep.push(findShadowed(dtab));
  for (let i = 0; i < Math.min(dtab.size, 50); i++) keep.push(findCycle(dtab, i));
  sample();
  const heapMb = Math.max(0, peak - before) / 2 ** 20;
  assert.ok(heapMb < HEAP_LIMIT_MB, `heap grew ${heapMb.toFixed(0)} MB (limit ${HEAP_LIMIT_MB} MB, FUZZ_HEAP_LIMIT_MB)`);
  keep.length = 0;
  return { heapMb };
}

function lookupByIndexAgrees(sc: Scenario): void {
  const { dtab, path } = renderScenario(sc);
  lookupAgrees(dtab, '/' + path.join('/'));
}

// ---- configs ---------------------------------------------------------------------------------

function configSpansAndMessages(r: Recipe): void {
  const text = render(r);
  const res = checkConfigText(text);
  resultOk(res, text);
}

function resultOk(res: ConfigFileResult, text: string): void {
  const length = text.length;
  diagnosticsOk(res.diagnostics, text);
  for (const c of res.configs) spanIn(`config (${c.kind})`, c.span, length);
  for (const d of res.dtabs) spanIn(`embedded dtab ${d.where}`, d.span, length);
}

export interface TypingCase {
  readonly base: Recipe;
  /** Each edit: where (`pick` chooses an embedded dtab and a place in it), what is removed, what is typed. */
  readonly edits: readonly { readonly pick: number; readonly del: number; readonly ins: string }[];
}

function normalized(res: ConfigFileResult): string[] {
  return [
    ...res.diagnostics.map((d) => JSON.stringify({ span: d.span, severity: d.severity, code: d.code, message: d.message, fixes: d.fixes, related: d.related })),
    ...res.dtabs.map((d) => JSON.stringify({ dtab: d.where, span: d.span, text: d.syntax.text })),
  ].sort();
}

/** Typing in an embedded dtab: updateConfigText (the editor's fast path) equals a full check. */
function configIncremental(c: TypingCase): void {
  let text = render(c.base);
  let prev = checkConfigText(text);
  for (const [k, e] of c.edits.entries()) {
    const literal = prev.dtabs.filter((d) => d.literal);
    let at: number;
    if (literal.length > 0 && e.pick % 4 !== 0) {
      const d = literal[e.pick % literal.length]!;
      at = d.span.start + ((e.pick >>> 3) % (d.span.end - d.span.start + 1));
    } else at = e.pick % (text.length + 1);
    const next = text.slice(0, at) + e.ins + text.slice(at + e.del);
    const quick = updateConfigText(prev, text, next);
    const full = checkConfigText(next);
    if (quick) {
      resultOk(quick, next);
      const [a, b] = [normalized(quick), normalized(full)];
      const onlyQuick = a.filter((x) => !b.includes(x));
      const onlyFull = b.filter((x) => !a.includes(x));
      if (onlyQuick.length || onlyFull.length) {
        assert.fail(
          `edit ${k + 1} (at ${at}: remove ${e.del}, type ${JSON.stringify(e.ins)}): updateConfigText differs from checkConfigText\n` +
            `  only incremental: ${onlyQuick.slice(0, 3).join('\n                    ')}\n  only full: ${onlyFull.slice(0, 3).join('\n             ')}`,
        );
      }
    }
    text = next;
    prev = quick ?? full;
  }
}

// ---- command line --------------------------------------------------------------------------

export interface CliCase {
  readonly input: Recipe;
  readonly args: readonly string[];
  readonly file: string;
}

async function cliNeverThrows(c: CliCase): Promise<void> {
  const text = render(c.input);
  let out = '';
  let err = '';
  const args = c.args.map((a) => (a === 'FILE' ? c.file : a === 'TEXT' ? text : a));
  const code = await cli(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    readFile: () => text,
    writeFile: () => {},
  });
  assert.ok(code === 0 || code === 1 || code === 2, `dtab ${args.join(' ').slice(0, 80)} exited ${code}; stderr: ${err.slice(0, 300)}`);
  if (args.includes('json') && code !== 2) JSON.parse(out);
  if (code === 2) assert.match(err, /\S/, 'exit status 2 without a message');
  const bad = BAD_WORDS.exec(out + err);
  if (bad) assert.fail(`the output says "${bad[0]}": ${JSON.stringify((out + err).slice(Math.max(0, bad.index - 100), bad.index + 100))}`);
}

/** A dtab (hostile or not) and edits applied one by one: incremental analysis must equal a full one after each. */
export interface DtabEditsCase {
  readonly start: Recipe;
  readonly edits: readonly Edit[];
}

// ---- registry --------------------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const checks: Record<string, (input: any) => CheckInfo | void | Promise<CheckInfo | void>> = {
  'parser/never-throws': parserNeverThrows,
  'parser/loses-nothing': parserLosesNothing,
  'printer/round-trip': printerRoundTrips,
  'printer/fixed-point': printerOnAnything,
  'delegate/bounded': delegationBounded,
  'delegate/lookup-index': lookupByIndexAgrees,
  'config/spans-and-messages': configSpansAndMessages,
  'config/incremental': configIncremental,
  'dtab/incremental': (c: DtabEditsCase) => checkEdits(render(c.start), c.edits),
  'cli/never-throws': cliNeverThrows,
};
