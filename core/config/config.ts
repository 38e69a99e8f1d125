// A YAML file that may hold linkerd or namerd configs: the config itself, or Kubernetes manifests
// whose ConfigMaps carry a config as a string (`data: config.yaml: |-`), any number of documents.
// Every position, two levels deep included, is a position in the file.

import { isMap, isScalar, type Document, type Node } from 'yaml';
import { checkDtab, DTAB_CHECK_CODES, type Diagnostic } from '../check/check.js';
import type { Span } from '../syntax/ast.js';
import { parseDtab } from '../syntax/parser.js';
import { mapSpan, scalarMap } from './scalar-map.js';
import { MAX_DEPTH, parseYamlDocument, parseYamlDocuments, type YamlChunks } from './yaml.js';
import type { ConfigKind } from './catalogue.js';
import { fileMapped, mapDiagnostic, namerRefDiagnostics, type EmbeddedDtab } from './embedded.js';
import type { ConfigNamer, ConfigRouter } from './model.js';
import { detectConfig, validateConfig } from './validate.js';

/** The codes an embedded dtab's own checks give (syntax errors and dtab warnings). */
/** The codes an embedded dtab's own checks give: checkDtab's, and the config's namer references. */
const DTAB_CODES = new Set<string>([...DTAB_CHECK_CODES, 'unknown-namer-prefix']);

export interface FoundConfig {
  readonly kind: ConfigKind;
  /** Where the config is: the whole document, or a ConfigMap value. */
  readonly span: Span;
  /** For a config inside a ConfigMap: `<ConfigMap name>/<data key>`. */
  readonly inConfigMap?: string;
  /** The config's own YAML document and text (a ConfigMap value's text, for one inside a manifest). */
  readonly doc: Document;
  readonly text: string;
  /** From a file offset to an offset in `text`. */
  readonly fromFile: (offset: number) => number;
  /** Its top-level `namers` (linkerd's or namerd's), spans in file offsets. */
  readonly namers: readonly ConfigNamer[];
  /** linkerd's routers, with their dtabs (the same objects as in `dtabs`); none for namerd. */
  readonly routers: readonly ConfigRouter[];
}

export interface ConfigFileResult {
  readonly configs: readonly FoundConfig[];
  readonly diagnostics: readonly Diagnostic[];
  readonly dtabs: readonly EmbeddedDtab[];
}

// Tags are kept as written (`resolveKnownTags: false`): Linkerd's YAML reader ignores `!!omap`, `!!set`,
// `!!binary` and the like, and reads the collection or scalar underneath.
const PARSE = { keepSourceTokens: true, uniqueKeys: false, resolveKnownTags: false } as const;

/** `out.push(...items)` without the spread, which overflows the stack past ~100,000 items. */
function append<T>(out: T[], items: readonly T[]): void {
  for (const x of items) out.push(x);
}

function get(map: Node | null | undefined, key: string): Node | null | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isScalar(p.key) && p.key.value === key)?.value as Node | null | undefined;
}

/**
 * Finds and checks every linkerd/namerd config in a YAML (or JSON) file; none in unrelated files.
 * `chunks`, kept by an editor from one version of the file to the next, re-reads only the
 * top-level blocks that changed (the result is the same).
 */
export function checkConfigText(text: string, chunks?: YamlChunks): ConfigFileResult {
  const configs: FoundConfig[] = [];
  const diagnostics: Diagnostic[] = [];
  const dtabs: EmbeddedDtab[] = [];
  const { docs, cuts, failed } = chunks?.parse(text, PARSE) ?? parseYamlDocuments(text, PARSE);
  if (failed !== undefined) {
    if (mayHoldConfig(text)) diagnostics.push(unreadable(text, failed, (s) => s));
    return { configs, diagnostics: withinText(diagnostics, text.length), dtabs };
  }
  for (const doc of docs) {
    const kind = detectConfig(doc);
    const root = doc.contents as Node | null;
    if (kind) {
      const r = validateConfig(doc, text, kind);
      const [from, , to] = doc.range ?? [0, 0, text.length];
      for (const at of cuts) if (from <= at && at <= to) diagnostics.push(tooDeep(text, at, (s) => s));
      configs.push({ kind, span: { start: root?.range?.[0] ?? 0, end: root?.range?.[2] ?? text.length }, doc, text, fromFile: (o) => o, namers: r.namers, routers: r.routers });
      append(diagnostics, r.diagnostics);
      append(dtabs, r.dtabs);
      continue;
    }
    // A Kubernetes ConfigMap whose data values are configs.
    if (!isMap(root) || !isScalar(get(root, 'kind')) || (get(root, 'kind') as { value: unknown }).value !== 'ConfigMap') continue;
    const data = get(root, 'data');
    if (!isMap(data)) continue;
    const name = (get(get(root, 'metadata'), 'name') as { value?: unknown } | undefined)?.value;
    for (const pair of data.items) {
      const value = pair.value as Node | null;
      if (!isScalar(value) || typeof value.value !== 'string') continue;
      const inner = scalarMap(value, text);
      const toFile = (sp: Span) => mapSpan(inner, sp.start, sp.end);
      const parsed = parseYamlDocument(inner.value, PARSE);
      if (parsed.failed !== undefined && mayHoldConfig(inner.value)) diagnostics.push(unreadable(inner.value, parsed.failed, toFile));
      const innerDoc = parsed.doc;
      const innerKind = innerDoc && detectConfig(innerDoc);
      if (!innerDoc || !innerKind) continue;
      const r = validateConfig(innerDoc, inner.value, innerKind, inner, value.type === 'BLOCK_LITERAL' && inner.exact);
      for (const at of parsed.cuts) diagnostics.push(tooDeep(inner.value, at, toFile));
      const key = isScalar(pair.key) ? String(pair.key.value) : '?';
      const fromFile = (o: number) => {
        // The value's characters stand at increasing offsets: binary search the map.
        let lo = 0;
        let hi = inner.value.length;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (inner.map[mid]! <= o) lo = mid;
          else hi = mid - 1;
        }
        return lo;
      };
      configs.push({ kind: innerKind, span: { start: value.range![0], end: value.range![1] }, inConfigMap: `${String(name ?? '?')}/${key}`, doc: innerDoc, text: inner.value, fromFile, namers: r.namers, routers: r.routers });
      append(diagnostics, r.diagnostics);
      append(dtabs, r.dtabs);
    }
  }
  // Linkerd reads a config whose first non-blank character is `{` as JSON (Jackson's JSON parser),
  // which rejects what YAML's flow style allows (unquoted keys, trailing commas, comments).
  if (configs.length > 0 && /^\s*\{/.test(text)) {
    try {
      JSON.parse(text);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const at = m ? Math.min(Number(m[1]), Math.max(0, text.length - 1)) : 0;
      diagnostics.push({
        span: { start: at, end: Math.min(at + 1, text.length) },
        severity: 'error',
        code: 'json-syntax',
        message: `This config starts with \`{\`, so Linkerd reads it as JSON, and it is not valid JSON: ${(e as Error).message.replace(/^SyntaxError: /, '')}.`,
      });
    }
  }
  diagnostics.sort((a, b) => a.span.start - b.span.start);
  return { configs, diagnostics: withinText(diagnostics, text.length), dtabs };
}

/** A span inside a text of this length: 0 <= start <= end <= length. */
function within(s: Span, length: number): Span {
  if (s.start >= 0 && s.start <= s.end && s.end <= length) return s;
  const start = Math.min(Math.max(0, s.start), length);
  return { start, end: Math.min(Math.max(start, s.end), length) };
}

/** Every span of the diagnostics (fixes and related places too) inside the text: a last guard. */
function withinText(diagnostics: Diagnostic[], length: number): Diagnostic[] {
  const ok = (s: Span) => within(s, length) === s;
  for (let i = 0; i < diagnostics.length; i++) {
    const d = diagnostics[i]!;
    if (ok(d.span) && (d.fixes ?? []).every((f) => f.edits.every((e) => ok(e.span))) && (d.related ?? []).every((r) => ok(r.span))) continue;
    diagnostics[i] = {
      ...d,
      span: within(d.span, length),
      ...(d.fixes ? { fixes: d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: within(e.span, length) })) })) } : {}),
      ...(d.related ? { related: d.related.map((r) => ({ ...r, span: within(r.span, length) })) } : {}),
    };
  }
  return diagnostics;
}

/** A collection cut out for being nested deeper than MAX_DEPTH (see yaml.ts). */
function tooDeep(text: string, at: number, toFile: (s: Span) => Span): Diagnostic {
  return {
    span: toFile({ start: at, end: Math.min(at + 1, text.length) }),
    severity: 'error',
    code: 'yaml-too-deep',
    message: `This YAML is nested more than ${MAX_DEPTH} levels deep, too deep for this checker: what is inside is not checked (a Linkerd config nests about 10 levels).`,
  };
}

/** A text the YAML library cannot read without overflowing the stack (see yaml.ts). */
function unreadable(text: string, at: number, toFile: (s: Span) => Span): Diagnostic {
  const lineEnd = text.indexOf('\n', at);
  return {
    span: toFile({ start: at, end: lineEnd < 0 ? text.length : lineEnd }),
    severity: 'error',
    code: 'yaml-too-deep',
    message: 'This YAML nests too deep (or chains too many anchors or tags) for this checker to read it: nothing in it is checked.',
  };
}

/** Whether a file name or its text looks like it could hold linkerd/namerd configs (cheap test). */
export function mayHoldConfig(text: string): boolean {
  // `[ \t]*`, not `\s*`: with the m flag, `^\s*` at every line start would run on over the following
  // blank lines, which is quadratic on a file of blank lines (the long fuzz run's hang).
  return /^[ \t]*(routers|storage|interfaces)[ \t]*:/m.test(text) || /"routers"[ \t]*:/.test(text) || /\bkind:[ \t]*ConfigMap\b/.test(text);
}

// ---- editing: the fast path for typing inside an embedded dtab --------------------------------

/** Where two texts differ: one replaced range. */
function singleEdit(oldText: string, newText: string): { at: number; removed: number; inserted: string } {
  const max = Math.min(oldText.length, newText.length);
  let p = 0;
  while (p < max && oldText.charCodeAt(p) === newText.charCodeAt(p)) p++;
  let s = 0;
  while (s < max - p && oldText.charCodeAt(oldText.length - 1 - s) === newText.charCodeAt(newText.length - 1 - s)) s++;
  return { at: p, removed: oldText.length - s - p, inserted: newText.slice(p, newText.length - s) };
}

/** Moves a span by an edit that ended at `from`: what starts at or after it moves; an end moves
 *  only if it is past the edit, or the whole span is (an end at `from` stays before an insertion). */
function shiftSpan(s: Span, from: number, delta: number): Span {
  const moves = (o: number, whole: boolean) => o > from || (o === from && whole);
  return { start: moves(s.start, true) ? s.start + delta : s.start, end: moves(s.end, s.start >= from) ? s.end + delta : s.end };
}

function shiftDiagnostic(d: Diagnostic, shift: (s: Span) => Span): Diagnostic {
  return {
    ...d,
    span: shift(d.span),
    ...(d.fixes ? { fixes: d.fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: shift(e.span) })) })) } : {}),
    ...(d.related ? { related: d.related.map((r) => ({ ...r, span: shift(r.span) })) } : {}),
  };
}

function shiftTable(t: Int32Array, from: number, delta: number): Int32Array {
  const out = Int32Array.from(t);
  for (let i = 0; i < out.length; i++) if (out[i]! >= from) out[i] = out[i]! + delta;
  return out;
}

/**
 * The result for `newText`, from the result for `oldText`, when the edit between them stays on one
 * line inside a dtab in a literal block (what typing in a dtab does): only that dtab is parsed and
 * checked again; everything after the edit moves by its length. Undefined when the edit is anything
 * else, and then the whole file must be checked (checkConfigText).
 *
 * The YAML documents of the result are those of the old text: a caller that needs them (key
 * completion and hover) must check the whole file again first (see `stale`).
 */
export function updateConfigText(prev: ConfigFileResult, oldText: string, newText: string): (ConfigFileResult & { stale: true }) | undefined {
  const { at, removed, inserted } = singleEdit(oldText, newText);
  if (removed === 0 && inserted.length === 0) return { ...prev, stale: true };
  if (oldText.slice(at, at + removed).includes('\n') || inserted.includes('\n') || inserted.includes('\r')) return undefined;
  // With YAML errors, the library's recovery decides what belongs to the dtab; a text starting
  // with `{` is also read as JSON, whose message may quote the edit: check it all again.
  if (prev.diagnostics.some((d) => d.code === 'yaml-syntax' || d.code === 'yaml-too-deep') || /^\s*\{/.test(oldText)) return undefined;
  const end = at + removed;
  const target = prev.dtabs.find((d) => d.literal && d.span.start < at && end <= d.span.end);
  if (!target) return undefined;
  // The edit must replace dtab characters that stand contiguously in the file, past the block's
  // indentation, on a line that has content: then nothing about the YAML around it changes.
  const n = target.syntax.text.length;
  let a = -1;
  for (let i = 0; i < n; i++)
    if (target.fileAt[i] === at) {
      a = i;
      break;
    }
  if (a < 0 && target.fileAt[n] === at) a = n;
  if (a < 0) return undefined;
  for (let k = 0; k < removed; k++) if (target.fileAt[a + k] !== at + k || target.syntax.text[a + k] === '\n') return undefined;
  // The characters around the edit are the dtab's own, 1:1 in the file (not a line break the
  // chomping added, nor the start of what follows the block).
  const standsAt = (i: number) => {
    const ch = target.syntax.text[i]!;
    const there = oldText[target.fileAt[i]!];
    return ch === '\n' ? there === '\n' || there === '\r' : there === ch;
  };
  for (let k = 0; k < removed; k++) if (!standsAt(a + k)) return undefined;
  if (a < n && !standsAt(a)) return undefined;
  // At the start of a line the edit may be in the indentation (a diff cannot tell a space typed
  // before `/svc` from one typed in the indentation), which YAML reads differently: not here.
  const lineStartInDtab = target.syntax.text.lastIndexOf('\n', a - 1) + 1;
  if (a === lineStartInDtab) return undefined;
  const text = target.syntax.text.slice(0, a) + inserted + target.syntax.text.slice(a + removed);
  const delta = inserted.length - removed;
  // The new dtab's offset tables: before the edit as they were, the inserted text 1:1, after it shifted.
  const fileAt = new Int32Array(text.length + 1);
  const fileEnd = new Int32Array(text.length);
  for (let i = 0; i < a; i++) {
    fileAt[i] = target.fileAt[i]!;
    fileEnd[i] = target.fileEnd[i]!;
  }
  for (let k = 0; k < inserted.length; k++) {
    fileAt[a + k] = at + k;
    fileEnd[a + k] = at + k + 1;
  }
  for (let i = a + removed; i < n; i++) {
    fileAt[i + delta] = target.fileAt[i]! + delta;
    fileEnd[i + delta] = target.fileEnd[i]! + delta;
  }
  fileAt[text.length] = target.fileAt[n]! + delta;
  const syntax = parseDtab(text);
  const updated: EmbeddedDtab = {
    ...target,
    syntax,
    span: { start: target.span.start, end: target.span.end + delta },
    fileAt,
    fileEnd,
    toFile: fileMapped(fileAt, fileEnd),
  };
  const dtabDiagnostics = checkDtab(syntax).map((d) => mapDiagnostic(d, updated.toFile));
  if (updated.namers) append(dtabDiagnostics, namerRefDiagnostics(updated, updated.namers, updated.namersWhere ?? 'this config'));
  // Everything else keeps its diagnostics, moved by the edit; this dtab's are replaced.
  const diagnostics: Diagnostic[] = [];
  // A span that holds the edited dtab (its router, its config) grows or shrinks with it, even when it
  // ends right where the edit is; any other span moves if it is past the edit.
  const shift = (sp: Span): Span => (sp.start <= target.span.start && sp.end >= at ? { start: sp.start, end: Math.max(sp.start, sp.end + delta) } : shiftSpan(sp, end, delta));
  for (const d of prev.diagnostics) if (!inDtab(d, target)) diagnostics.push(shiftDiagnostic(d, shift));
  append(diagnostics, dtabDiagnostics);
  diagnostics.sort((x, y) => x.span.start - y.span.start);
  withinText(diagnostics, newText.length);
  const moved = new Map<EmbeddedDtab, EmbeddedDtab>();
  const dtabs = prev.dtabs.map((d) => {
    if (d === target) return updated;
    if (d.span.start < end) return d;
    const fa = shiftTable(d.fileAt, end, delta);
    const fe = shiftTable(d.fileEnd, end, delta);
    const m = { ...d, span: shiftSpan(d.span, end, delta), fileAt: fa, fileEnd: fe, toFile: fileMapped(fa, fe) };
    moved.set(d, m);
    return m;
  });
  moved.set(target, updated);
  const configs = prev.configs.map((c) => ({
    ...c,
    span: shift(c.span),
    namers: c.namers.map((n) => ({ ...n, span: shift(n.span) })),
    routers: c.routers.map((r) => ({ ...r, span: shift(r.span), ...(r.dtab ? { dtab: moved.get(r.dtab) ?? r.dtab } : {}) })),
  }));
  return { configs, diagnostics, dtabs, stale: true };
}

/** Whether a diagnostic came from an embedded dtab's own checks (it lies inside the dtab's text). */
function inDtab(d: Diagnostic, dtab: EmbeddedDtab): boolean {
  // An error at the end of the dtab's text stands where its last character ends, which can be past
  // the value's span (after the line break that a `|` block keeps).
  const end = Math.max(dtab.span.end, dtab.fileAt[dtab.fileAt.length - 1]!);
  return DTAB_CODES.has(d.code) && d.span.start >= dtab.span.start && d.span.end <= end;
}
