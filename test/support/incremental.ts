// Incremental analysis against a full one: after any edit, IncrementalDtab must give exactly what
// parsing and checking the new text from scratch gives (syntax, diagnostics, lowered dtab and its
// prefix index). Shared by the unit suite (bounded runs) and the fuzz run.

import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  ANY,
  analyzeDtab,
  checkDtab,
  CycleMemo,
  deepDiagnosticsSync,
  DtabAnalysis,
  IncrementalDtab,
  lowerDtab,
  parseDtab,
  showDtab,
  type Diagnostic,
  type Dtab,
  type DtabSyntax,
  type Prefix,
  type Span,
  type TextChange,
  type TreeSyntax,
} from '../../core/index.js';
import { dtab, noisyDtab } from './arbitraries.js';

const span = (s: Span | undefined) => (s ? [s.start, s.end] : null);

function tree(t: TreeSyntax): unknown {
  switch (t.kind) {
    case 'leaf':
      return ['leaf', span(t), span(t.path), t.path.labels.map((l) => [span(l), l.value]), t.path.values];
    case 'alt':
      return ['alt', span(t), t.branches.map(tree), t.bars.map(span)];
    case 'union':
      return ['union', span(t), t.branches.map((b) => [span(b), b.weight ? [span(b.weight), b.weight.value, b.weight.text, span(b.weight.star)] : null, tree(b.tree)]), t.amps.map(span)];
    case 'weighted':
      return ['weighted', span(t), [span(t.weight), t.weight.value, t.weight.text, span(t.weight.star)], tree(t.tree)];
    case 'group':
      return ['group', span(t), tree(t.tree)];
    default:
      return [t.kind, span(t)];
  }
}

/** Every offset, value and message of a parse, as plain data. */
export function syntaxData(s: DtabSyntax): unknown {
  const err = (e: DtabSyntaxData) => [e.code, e.index, span(e.span), e.plain, e.expected, e.found, e.finagleMessage, e.finagleMessageShort];
  return {
    entries: s.entries.map((e) =>
      e.kind === 'dentry'
        ? ['dentry', span(e), span(e.prefix), e.prefix.elems.map((x) => [x.kind, span(x), x.kind === 'label' ? x.value : '*']), span(e.arrow), tree(e.dst), span(e.semicolon)]
        : ['broken', span(e), e.prefix ? [span(e.prefix), e.prefix.elems.map((x) => span(x))] : null, err(e.error), span(e.semicolon)],
    ),
    comments: s.comments.map(span),
    errors: s.errors.map(err),
  };
}
type DtabSyntaxData = DtabSyntax['errors'][number];

/** A diagnostic as plain data, Finagle's messages included. */
export function diagnosticData(d: Diagnostic): unknown {
  return {
    span: span(d.span),
    severity: d.severity,
    code: d.code,
    message: d.message,
    finagle: d.finagleMessage ?? null,
    short: d.finagleMessageShort ?? null,
    related: d.related?.map((r) => [span(r.span), r.message]) ?? null,
    fixes: d.fixes?.map((f) => [f.title, f.edits.map((e) => [span(e.span), e.text])]) ?? null,
    keys: Object.keys(d).sort(),
  };
}

/** The lowered dtab and answers of its prefix index for every prefix it has (and a few more). */
function dtabData(d: Dtab): unknown {
  const prefixes: Prefix[] = d.dentries.map((x) => x.prefix);
  prefixes.push([], ['svc'], [ANY], ['a', ANY]);
  return {
    shown: showDtab(d),
    queries: prefixes.map((p) => [d.specializations(p), d.generalizations(p), p.includes(ANY) ? null : d.matches(p as string[]).map((m) => m.index)]),
  };
}

/**
 * Asserts that the engine's current version is what a full analysis of `text` gives; with `memo`,
 * also that the deep checks, with the cycle answers kept from the earlier versions, find what they
 * find from scratch.
 */
export function assertSameAsFull(engine: IncrementalDtab, text: string, withDtab: boolean, memo?: CycleMemo): void {
  const v = engine.latest;
  const full = parseDtab(text);
  assert.equal(v.syntax.text, text);
  assert.deepEqual(syntaxData(v.syntax), syntaxData(full));
  assert.deepEqual(v.dentries.map((d) => [d.start, d.end]), full.entries.filter((e) => e.kind === 'dentry').map((d) => [d.start, d.end]));
  assert.deepEqual(v.diagnostics().map(diagnosticData), checkDtab(full).map(diagnosticData));
  if (withDtab) assert.deepEqual(dtabData(v.dtab()), dtabData(lowerDtab(full)));
  if (withDtab && memo) {
    const kept = deepDiagnosticsSync(new DtabAnalysis(v.syntax, { incremental: v }), memo);
    assert.deepEqual(kept.map(diagnosticData), deepDiagnosticsSync(analyzeDtab(text)).map(diagnosticData));
  }
}

/** An edit: where (a fraction of the text), how much to delete, what to insert. */
export interface Edit {
  readonly at: number;
  readonly remove: number;
  readonly insert: string;
  /** Tell the engine where the change is (else it compares the texts). */
  readonly hint: boolean;
  /** Ask for the lowered dtab after this edit (its prefix index is then carried over). */
  readonly lower: boolean;
}

const pieces = fc.constantFrom(
  '', ';', ';;', '/', '=>', '=', '>', '(', ')', '*', '\\', '\\x4', '\\x41', '#', '# c\n', '\n', ' ', '\t', '&', '|', '!', '~', '$', '.', '0.5 * ', '1', 'a', 'svc', 'x/y',
  '/a => /b', ';\n/c => /d', '/svc => /host', '/host/world => 9 * /srv/w1 & 1 * /srv/w2', '/$/inet/127.1/8080', '/$/nope/x', '/#/io.l5d.k8s/default/http/web', '/#/io.l5d.k8s/8080/Http/x',
  '/b => /a', '/s => /s/x | /t', '/a/* => /$/inet/1', '/* => /a',
  '\u00a0', '\u2215', '\uff1b', 'é', '0 * /z', '1.005 * /q', '1e999 * /i',
);

export const edit: fc.Arbitrary<Edit> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  remove: fc.oneof(fc.constant(0), fc.nat(3), fc.nat(40)),
  insert: fc.array(pieces, { maxLength: 3 }).map((xs) => xs.join('')),
  hint: fc.boolean(),
  lower: fc.boolean(),
});

export const startText = fc.oneof(dtab, noisyDtab, fc.constant(''), fc.constant('/a => /b;\n/a => /b;\n/c => (/d\n/e => /f'));

/** Applies the edits one by one, checking the engine against a full analysis after each. */
export function checkEdits(start: string, edits: readonly Edit[]): void {
  const engine = new IncrementalDtab(start);
  const memo = new CycleMemo();
  assertSameAsFull(engine, start, true, memo);
  let text = start;
  for (const e of edits) {
    const at = Math.floor(e.at * text.length);
    const end = Math.min(text.length, at + e.remove);
    const next = text.slice(0, at) + e.insert + text.slice(end);
    const change: TextChange = { start: at, oldEnd: end, newEnd: at + e.insert.length };
    engine.update(next, e.hint ? change : undefined);
    text = next;
    assertSameAsFull(engine, text, e.lower, memo);
  }
}

export const incrementalProperty = fc.property(startText, fc.array(edit, { minLength: 1, maxLength: 12 }), (start, edits) => checkEdits(start, edits));
