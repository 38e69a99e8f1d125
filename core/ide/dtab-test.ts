// The language layer of `.dtab-test` files (routing assertions): diagnostics (the file's own
// problems, and every failing assertion with its actual result), the quick fix that accepts the
// actual result, and completion of paths (the tested dtab's prefixes, the file's other paths) and of
// destinations (the actual result of the line's path first, then namers and tokens). No protocol.

import type { DtabAssertion, DtabTestFile } from '../assert/file.js';
import { acceptedText, type AssertionOutcome } from '../assert/run.js';
import { ANY } from '../model/dtab.js';
import type { Path } from '../model/path.js';
import type { Span } from '../syntax/ast.js';
import { analyzeDtab, type DtabAnalysis } from './analysis.js';
import { complete, completionContext, type Completion } from './completion.js';
import type { SpanEdit } from './navigation.js';
import { showPrefix } from '../print/show.js';
import { parseDentry } from '../syntax/parser.js';

export interface TestDiagnostic {
  readonly span: Span;
  readonly severity: 'error' | 'warning' | 'information';
  readonly code: string;
  readonly message: string;
  /** The accept-the-actual-result fix of a failing assertion. */
  readonly fix?: { readonly title: string; readonly edits: readonly SpanEdit[] };
}

/** The edits that make a failing assertion say what actually happens; undefined when nothing can be accepted. */
export function acceptEdits(o: AssertionOutcome): SpanEdit[] | undefined {
  const t = acceptedText(o);
  if (!t) return undefined;
  const a = o.assertion;
  const edits: SpanEdit[] = [{ span: a.expectedSpan, text: t.expected }];
  if (a.addresses) edits.push({ span: a.addresses.span, text: t.addresses ?? '' });
  return edits;
}

/** Where a failing assertion is shown: its expected part, through the addresses. */
export function expectedRange(a: DtabAssertion): Span {
  return { start: a.expectedSpan.start, end: a.span.end };
}

/**
 * The diagnostics of a test file: its problems, a problem with the tested dtab (`source`, shown on
 * the header or the first line), and every failing assertion (`outcomes`, when they were run).
 */
export function dtabTestDiagnostics(file: DtabTestFile, outcomes: readonly AssertionOutcome[] | undefined, source?: string): TestDiagnostic[] {
  const out: TestDiagnostic[] = file.problems.map((p) => ({ span: p.span, severity: p.severity, code: `test-${p.code}`, message: p.message }));
  if (source !== undefined) {
    const span = file.header?.span ?? { start: 0, end: Math.max(0, file.text.indexOf('\n') < 0 ? file.text.length : file.text.indexOf('\n')) };
    out.push({ span, severity: 'error', code: 'test-source', message: source });
  }
  for (const o of outcomes ?? []) {
    if (o.ok) continue;
    const edits = acceptEdits(o);
    out.push({
      span: expectedRange(o.assertion),
      severity: 'error',
      code: 'assertion-failed',
      message: `${o.assertion.pathText}: expected ${o.expected}, got ${o.actual}${o.note ? ` (${o.note})` : ''}`,
      ...(edits ? { fix: { title: 'Accept the actual result', edits } } : {}),
    });
  }
  for (const o of outcomes ?? []) {
    if (o.ok && o.note) out.push({ span: expectedRange(o.assertion), severity: 'information', code: 'addresses-unchecked', message: o.note });
  }
  out.sort((x, y) => x.span.start - y.span.start || x.span.end - y.span.end);
  return out;
}

/** The line around an offset: its start and text (without `\r`). */
function lineAt(text: string, offset: number): { start: number; text: string } {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let end = text.indexOf('\n', offset);
  if (end < 0) end = text.length;
  if (end > start && text.charCodeAt(end - 1) === 0x0d) end--;
  return { start, text: text.slice(start, end) };
}

/** The assertion on the line of `offset`, if that line holds one. */
export function assertionAt(file: DtabTestFile, offset: number): DtabAssertion | undefined {
  const { start, text } = lineAt(file.text, offset);
  return file.assertions.find((a) => a.span.start >= start && a.span.start <= start + text.length);
}

/**
 * The path written on the line of `offset` before its `=>`, when the cursor is after the `=>`. A
 * line being written rarely parses: the text up to the cursor is parsed with a dummy completing it
 * (a label character, a path, a term), as completion does in a dtab.
 */
export function completionPath(file: DtabTestFile, offset: number): Path | undefined {
  const a = assertionAt(file, offset);
  if (a) return offset > a.pathSpan.end ? a.path : undefined;
  const line = lineAt(file.text, offset);
  const before = file.text.slice(line.start, offset);
  for (const dummy of ['x', '/x', ' ~']) {
    const r = parseDentry(before + dummy);
    if (!r.ok) continue;
    const p = r.value.prefix;
    if (p.end >= before.length || p.elems.some((e) => e.kind === 'wildcard')) return undefined;
    return p.elems.map((e) => (e.kind === 'label' ? e.value : ''));
  }
  return undefined;
}

function shiftCompletion(c: Completion, by: number): Completion {
  return c.edit ? { ...c, edit: { span: { start: c.edit.span.start + by, end: c.edit.span.end + by }, text: c.edit.text } } : c;
}

/**
 * Completion at `offset`: read from the dtab parser on the line being written (as in a dtab).
 * A path: the tested dtab's prefixes (no wildcards) and the file's other paths. A destination:
 * `actual` (the actual result of the line's path, when the caller delegated it) first, then namers
 * and tokens. After a destination: `|`, `&` and `@` (addresses).
 */
export function completeDtabTest(file: DtabTestFile, offset: number, tested: DtabAnalysis | undefined, actual?: string): Completion[] {
  const line = lineAt(file.text, offset);
  const local = analyzeDtab(line.text);
  const at = offset - line.start;
  const ctx = completionContext(local, at);
  switch (ctx.kind) {
    case 'none':
    case 'arrow':
      return complete(local, at, ctx);
    case 'operator':
      return [
        ...complete(local, at, ctx).filter((c) => c.label !== ';'),
        { label: '@', kind: 'operator', detail: 'the addresses the result resolves to (with cluster data)', insertText: '@ ' },
      ];
    case 'prefix': {
      const span = { start: line.start + ctx.token, end: offset };
      const typed = file.text.slice(span.start, offset);
      const seen = new Map<string, string>();
      if (tested) {
        for (const d of tested.dtab.dentries) {
          if (d.prefix.includes(ANY)) continue;
          const p = showPrefix(d.prefix);
          if (p.startsWith(typed) && !seen.has(p)) seen.set(p, 'a prefix of the tested dtab');
        }
      }
      for (const a of file.assertions) if (a.line !== lineNumber(file.text, offset) && a.pathText.startsWith(typed) && !seen.has(a.pathText)) seen.set(a.pathText, `asserted on line ${a.line + 1}`);
      return [...seen].map(([p, detail], i) => ({ label: p, kind: 'path' as const, detail, edit: { span, text: p }, sortText: `1${String(i).padStart(5, '0')}` }));
    }
    case 'term': {
      const items = complete(local, at, ctx).map((c) => shiftCompletion(c, line.start));
      if (actual === undefined) return items;
      const span = { start: line.start + ctx.token, end: offset };
      return [{ label: actual, kind: 'path', detail: 'what this path routes to now', edit: { span, text: actual }, sortText: '0', filterText: file.text.slice(span.start, offset) || actual }, ...items];
    }
  }
}

function lineNumber(text: string, offset: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
