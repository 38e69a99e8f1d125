// Dtabs embedded in configs (a router's `dtab`, namerd's in-memory `namespaces`): parsed from the
// YAML value, checked like a dtab file, with every position mapped back into the file (through a
// ConfigMap string too); and the check that their `/#/…` paths name a configured namer.

import type { Scalar } from 'yaml';
import type { Diagnostic } from '../check/check.js';
import { checkDtab, copyDiagnostic } from '../check/check.js';
import { parseDtab } from '../syntax/parser.js';
import { leaves } from '../syntax/locate.js';
import type { DtabSyntax, Span } from '../syntax/ast.js';
import { scalarMap } from './scalar-map.js';
import { shorten } from './words.js';
import { spanOf, type Ctx } from './diag.js';
import type { DtabOwner } from './model.js';

/** A dtab found in a config, with the map from its text back into the file. */
export interface EmbeddedDtab {
  /** Where it is, e.g. `routers[0].dtab` or `storage.namespaces.default`. */
  readonly where: string;
  readonly syntax: DtabSyntax;
  /** The value node's span in the file. */
  readonly span: Span;
  /** Namer prefixes (`/#/…`) configured where this dtab is used, or undefined when not known here. */
  readonly namers: readonly string[] | undefined;
  /** Maps a span of the dtab's own text to the file. */
  readonly toFile: (s: Span) => Span;
  /** File offset of each dtab character (and just past the last); where each one's source ends. */
  readonly fileAt: Int32Array;
  readonly fileEnd: Int32Array;
  /** In a literal block (`|`), through every level: each line's characters stand 1:1 in the file. */
  readonly literal: boolean;
  /** What the namer check says the namers are ("this config", "namerd's `namers`"). */
  readonly namersWhere?: string;
  /** Which router, or namerd namespace, the dtab belongs to. */
  readonly owner?: DtabOwner;
}

/** An embedded dtab's positions, materialized: toFile from offset tables. */
export function fileMapped(fileAt: Int32Array, fileEnd: Int32Array): (s: Span) => Span {
  return (s) => {
    const start = fileAt[Math.min(s.start, fileAt.length - 1)]!;
    if (s.end <= s.start) return { start, end: start };
    const end = s.end - 1 < fileEnd.length ? fileEnd[s.end - 1]! : fileAt[fileAt.length - 1]!;
    return { start, end: Math.max(start, end) };
  };
}

/** Parses and checks the dtab in a string value, and records it in `ctx.dtabs`. */
export function embedDtab(ctx: Ctx, node: Scalar, where: string): void {
  const source = scalarMap(node, ctx.text);
  // The parser never recurses on input depth: too deep a nesting is its own error, at its place.
  const syntax = parseDtab(source.value);
  // Materialize where every character of the dtab is in the file (through a ConfigMap too).
  const n = source.value.length;
  const fileAt = new Int32Array(n + 1);
  const fileEnd = new Int32Array(n);
  const outer = ctx.outer;
  // Offsets in a ConfigMap string go through its map (clamped: an end may be its very end).
  const lastIn = outer ? outer.value.length : 0;
  const outerAt = (o: number) => outer!.map[Math.min(o, lastIn)]!;
  const outerEnd = (e: number, at: number) => (e > at ? outer!.ends[Math.min(e - 1, lastIn - 1)]! : outerAt(at));
  for (let i = 0; i < n; i++) {
    const at = source.map[i]!;
    const end = source.ends[i]!;
    fileAt[i] = outer ? outerAt(at) : at;
    fileEnd[i] = outer ? outerEnd(end, at) : end;
  }
  fileAt[n] = outer ? outerAt(source.map[n]!) : source.map[n]!;
  const toFile = fileMapped(fileAt, fileEnd);
  for (const d of checkDtab(syntax)) ctx.out.push(mapDiagnostic(d, toFile));
  const literal = ctx.literal && node.type === 'BLOCK_LITERAL' && source.exact;
  ctx.dtabs.push({ where, syntax, span: ctx.toFile(spanOf(node)), namers: undefined, toFile, fileAt, fileEnd, literal });
}

/** A dtab's diagnostic, moved from the dtab's text into the file. */
export function mapDiagnostic(d: Diagnostic, toFile: (s: Span) => Span): Diagnostic {
  // copyDiagnostic keeps Finagle's message lazy (a spread would build it: it quotes the whole dtab).
  return copyDiagnostic(d, {
    span: toFile(d.span),
    ...(d.fixes ? { fixes: d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: toFile(e.span) })) })) } : {}),
    ...(d.related ? { related: d.related.map((r) => ({ ...r, span: toFile(r.span) })) } : {}),
  });
}

/** Adds the namer-reference warnings of an embedded dtab to `out`. */
export function checkNamerRefs(out: Diagnostic[], d: EmbeddedDtab, namers: readonly string[], where: string): void {
  for (const w of namerRefDiagnostics(d, namers, where)) out.push(w);
}

/** The namers of a config as a set, built once per list (every dtab of a config shares its list). */
const namerSets = new WeakMap<readonly string[], { set: Set<string>; longest: number; all: boolean }>();

function namerSet(namers: readonly string[]) {
  let s = namerSets.get(namers);
  if (!s) {
    s = { set: new Set(namers), longest: namers.reduce((m, p) => Math.max(m, p.length), 0), all: namers.includes('/#/') };
    namerSets.set(namers, s);
  }
  return s;
}

/** Whether a namer answers a `/#/…` path: one's prefix is the path or a whole-segment prefix of it. */
function answered(text: string, namers: readonly string[]): boolean {
  const { set, longest, all } = namerSet(namers);
  if (all || set.has(text)) return true;
  for (let i = text.indexOf('/', 3); i > 0 && i <= longest; i = text.indexOf('/', i + 1)) if (set.has(text.slice(0, i))) return true;
  return false;
}

/** How many configured namers a warning lists. */
const LISTED = 5;

/** Warnings for `/#/<namer>` paths in an embedded dtab that no configured namer answers. */
export function namerRefDiagnostics(d: EmbeddedDtab, namers: readonly string[], where: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  // A dentry of this dtab that rewrites `/#/…` itself makes such paths not namer references.
  if (d.syntax.entries.some((e) => e.kind === 'dentry' && e.prefix.elems[0]?.kind === 'label' && e.prefix.elems[0].value === '#')) return out;
  const seen = new Set<string>();
  const listed = namers.length
    ? ` (configured: ${namers
        .slice(0, LISTED)
        .map((n) => `\`${shorten(n, 60)}\``)
        .join(', ')}${namers.length > LISTED ? ` and ${namers.length - LISTED} more` : ''})`
    : ' (no namers are configured)';
  for (const e of d.syntax.entries) {
    if (e.kind !== 'dentry') continue;
    for (const leaf of leaves(e.dst)) {
      const { start, end } = leaf;
      const text = d.syntax.text.slice(start, end);
      if (!text.startsWith('/#/')) continue;
      if (seen.has(text) || answered(text, namers)) continue;
      seen.add(text);
      const namer = text.split('/')[2]!;
      out.push({
        span: d.toFile({ start, end: Math.min(end, start + 3 + namer.length) }),
        severity: 'warning',
        code: 'unknown-namer-prefix',
        message: `No namer in ${where} answers for \`/#/${shorten(namer, 60)}\`${listed}: this path always resolves to \`~\`.`,
      });
    }
  }
  return out;
}

