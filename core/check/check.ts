// Diagnostics for a dtab: every syntax error (with Finagle's exact wording kept alongside the plain
// one) and the warnings for things Finagle accepts silently but that rarely mean what was meant.
// One walk over the syntax tree; no re-parsing.

import { elemToText } from '../model/path.js';
import { printTree } from '../print/format.js';
import { formatFixed2 } from '../print/numbers.js';
import { LOOKALIKES } from '../syntax/chars.js';
import { SYSTEM_NAMER_KINDS } from '../delegate/system-namers.js';
import type { DentrySyntax, DtabSyntax, LeafSyntax, Span, TreeSyntax, WeightSyntax } from '../syntax/ast.js';
import { clip, SYNTAX_ERROR_CODES, withArticle, type DtabSyntaxError } from '../syntax/errors.js';
import { parseDtab } from '../syntax/parser.js';

export type Severity = 'error' | 'warning' | 'information';

export interface Fix {
  readonly title: string;
  readonly edits: readonly { readonly span: Span; readonly text: string }[];
}

export interface Diagnostic {
  readonly span: Span;
  readonly severity: Severity;
  /** Stable code: a syntax error's code, or a warning's name. */
  readonly code: string;
  readonly message: string;
  /**
   * For syntax errors: Finagle's own message, to the character. It quotes the whole text (as
   * Finagle does), so on the diagnostics checkDtab makes it is a getter that builds it on each
   * read; to show it, prefer `finagleMessageShort` (or `finagleText(d, maxQuote)`).
   */
  readonly finagleMessage?: string;
  /** For syntax errors: Finagle's message with its quote of the text cut to 200 characters around the error. */
  readonly finagleMessageShort?: string;
  /** Other places the message talks about (e.g. the first of two duplicates). */
  readonly related?: readonly { readonly span: Span; readonly message: string }[];
  readonly fixes?: readonly Fix[];
}

export interface CheckResult {
  readonly syntax: DtabSyntax;
  readonly diagnostics: readonly Diagnostic[];
}

/** Parse and check a dtab's text. */
export function checkDtabText(text: string): CheckResult {
  const syntax = parseDtab(text);
  return { syntax, diagnostics: checkDtab(syntax) };
}

/** The most errors checkDtab lists for one dtab; the rest are counted in one `too-many-errors`. */
export const MAX_REPORTED_ERRORS = 1000;

/** The syntax error behind a diagnostic made by checkDtab (kept out of the object: it holds the whole text). */
const syntaxErrorOf = new WeakMap<Diagnostic, DtabSyntaxError>();

/**
 * Finagle's message for a diagnostic: exact (quoting the whole text) without `maxQuote`, else with
 * the quote cut to `maxQuote` characters around the error (to 200 on a diagnostic copied by
 * spreading, which keeps only `finagleMessageShort`). Undefined when Finagle has none.
 */
export function finagleText(d: Diagnostic, maxQuote?: number): string | undefined {
  if (maxQuote === undefined) return d.finagleMessage;
  const e = syntaxErrorOf.get(d);
  if (e) return e.elidedFinagleMessage(maxQuote);
  return d.finagleMessageShort ?? d.finagleMessage;
}

/**
 * A copy of a diagnostic with some fields replaced (`span`, `fixes`, ...), keeping Finagle's
 * message lazy: spreading (`{ ...d }`) would build the whole-text message for every copy.
 */
export function copyDiagnostic(d: Diagnostic, changes: Partial<Omit<Diagnostic, 'finagleMessage' | 'finagleMessageShort'>>): Diagnostic {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(d)) as Diagnostic;
  Object.assign(copy, changes);
  const e = syntaxErrorOf.get(d);
  if (e) syntaxErrorOf.set(copy, e);
  return copy;
}

/** A syntax error as a diagnostic: Finagle's message is read from the error when asked for, not copied. */
function syntaxDiagnostic(e: DtabSyntaxError, fixes: readonly Fix[] | undefined): Diagnostic {
  const d: Diagnostic = {
    span: e.span,
    severity: 'error',
    code: e.code,
    message: e.plain,
    get finagleMessage() {
      return e.finagleMessage;
    },
    get finagleMessageShort() {
      return e.finagleMessageShort;
    },
    ...(fixes ? { fixes } : {}),
  };
  syntaxErrorOf.set(d, e);
  return d;
}

/** Every code checkDtab can give: the syntax errors' and its warnings'. */
export const DTAB_CHECK_CODES: ReadonlySet<string> = new Set<string>([
  ...SYNTAX_ERROR_CODES,
  'too-many-errors',
  'lookalike-character',
  'duplicate-dentry',
  'weight-outside-union',
  'zero-weight',
  'weight-precision',
  'weight-not-finite',
  'unknown-system-namer',
  'k8s-path-shape',
]);

export function checkDtab(syntax: DtabSyntax): Diagnostic[] {
  const src = syntax.text;
  const out = errorDiagnostics(syntax.errors, findLookalikes(src, syntax.comments, 0, src.length));

  // Duplicates: group by a hash of the prefix's text (no string per dentry); when two prefixes
  // collide, key the group's dentries by their text, so each dentry is printed at most once.
  const byPrefix = new Map<number, DentrySyntax | Map<string, DentrySyntax>>();
  for (const entry of syntax.entries) {
    if (entry.kind !== 'dentry') continue;
    checkTree(src, entry.dst, out);
    const h = hashSpan(src, entry.prefix.start, entry.prefix.end);
    const seen = byPrefix.get(h);
    if (seen === undefined) {
      byPrefix.set(h, entry);
      continue;
    }
    let group: Map<string, DentrySyntax>;
    if (seen instanceof Map) group = seen;
    else byPrefix.set(h, (group = new Map([[dentryKey(src, seen), seen]])));
    const key = dentryKey(src, entry);
    const first = group.get(key);
    if (!first) {
      group.set(key, entry);
      continue;
    }
    out.push(duplicateDiagnostic(src, entry, first));
  }
  return sortDiagnostics(out);
}

/** In source order (a stable sort: at the same span, in the order they were made). */
export function sortDiagnostics<T extends Diagnostic>(out: T[]): T[] {
  out.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  return out;
}

/** What makes two dentries the same: the prefix as written and the destination as printed. */
export function dentryKey(src: string, e: DentrySyntax): string {
  return `${src.slice(e.prefix.start, e.prefix.end)}\u0000${printTree(src, e.dst)}`;
}

/** The warning on a dentry that repeats `first` exactly. */
export function duplicateDiagnostic(src: string, entry: DentrySyntax, first: DentrySyntax): Diagnostic {
  return {
    span: { start: entry.start, end: entry.end },
    severity: 'warning',
    code: 'duplicate-dentry',
    message: 'This dentry repeats an earlier one exactly: the earlier one is only tried if this one fails, with the same result.',
    related: [{ span: { start: first.start, end: first.end }, message: 'the earlier dentry' }],
    fixes: [{ title: 'Remove the duplicate dentry', edits: [{ span: removalSpan(src, entry), text: '' }] }],
  };
}

/** The warnings on one dentry's destination (weights, system namers, Kubernetes paths). */
export function dentryWarnings(src: string, entry: DentrySyntax): Diagnostic[] {
  const out: Diagnostic[] = [];
  checkTree(src, entry.dst, out);
  return out;
}

/**
 * The errors: syntax errors and look-alike characters (a look-alike that causes a syntax error
 * gives that error a fix), in source order, at most MAX_REPORTED_ERRORS of them.
 */
export function errorDiagnostics(errors: readonly DtabSyntaxError[], looks: Lookalikes): Diagnostic[] {
  const out: Diagnostic[] = [];
  let reported = 0;
  let omitted = 0;
  let firstOmitted: Span | undefined;
  // Past the limit, only counts: nothing is made for the errors that are not listed.
  const omit = (start: number, end: number) => {
    if (omitted++ === 0) firstOmitted = { start, end };
  };
  const reportLook = (at: number, look: Lookalike) => {
    if (reported >= MAX_REPORTED_ERRORS) return omit(at, at + 1);
    reported++;
    const span = { start: at, end: at + 1 };
    out.push({
      span,
      severity: 'error',
      code: 'lookalike-character',
      message: `This is ${withArticle(look.name)}, not \`${look.replacement || '(nothing)'}\`: Finagle rejects it.`,
      fixes: [lookalikeFix(span, look.replacement, look.name)],
    });
  };
  let li = 0;
  for (const e of errors) {
    for (; li < looks.at.length && looks.at[li]! < e.span.start; li++) reportLook(looks.at[li]!, looks.what[li]!);
    let look: Lookalike | undefined;
    for (; li < looks.at.length && looks.at[li]! === e.span.start; li++) look = looks.what[li];
    if (reported >= MAX_REPORTED_ERRORS) {
      omit(e.span.start, e.span.end);
      continue;
    }
    reported++;
    out.push(syntaxDiagnostic(e, look ? [lookalikeFix(e.span, look.replacement, look.name)] : undefined));
  }
  for (; li < looks.at.length; li++) reportLook(looks.at[li]!, looks.what[li]!);
  if (firstOmitted) {
    out.push({
      span: firstOmitted,
      severity: 'error',
      code: 'too-many-errors',
      message: `${omitted} more ${omitted === 1 ? 'error' : 'errors'} from here on ${omitted === 1 ? 'is' : 'are'} not listed: only the first ${MAX_REPORTED_ERRORS} errors of a dtab are.`,
    });
  }
  return out;
}

/** FNV-1a over a span of the text. */
export function hashSpan(src: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ src.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function lookalikeFix(span: Span, replacement: string, name: string): Fix {
  return { title: replacement ? `Replace the ${name} with \`${replacement}\`` : `Delete the ${name}`, edits: [{ span, text: replacement }] };
}

function removalSpan(src: string, entry: { start: number; end: number; semicolon: Span | undefined }): Span {
  let end = entry.semicolon ? entry.semicolon.end : entry.end;
  let start = entry.start;
  while (start > 0 && (src[start - 1] === ' ' || src[start - 1] === '\t')) start--;
  while (end < src.length && (src[end] === ' ' || src[end] === '\t')) end++;
  if (src[end] === '\n') end++;
  return { start, end };
}

/** Checks every term of a destination (recursive: parsed trees are at most MAX_NESTING groups deep). */
function checkTree(src: string, t: TreeSyntax, out: Diagnostic[]): void {
  switch (t.kind) {
    case 'leaf':
      checkSystemNamer(src, t, out);
      checkK8sPath(src, t, out);
      return;
    case 'alt':
      for (const b of t.branches) checkTree(src, b, out);
      return;
    case 'union': {
      let total = 0;
      for (const b of t.branches) total += b.weight ? b.weight.value : 1;
      for (const b of t.branches) {
        if (b.weight && b.weight.value === 0 && total > 0) {
          out.push({
            span: { start: b.weight.start, end: b.weight.end },
            severity: 'warning',
            code: 'zero-weight',
            message: 'Weight 0: this branch of the union never receives traffic.',
          });
        }
        if (b.weight) checkPrintedWeight(b.weight, out);
        checkTree(src, b.tree, out);
      }
      return;
    }
    case 'weighted':
      out.push({
        span: { start: t.weight.start, end: t.weight.star.end },
        severity: 'warning',
        code: 'weight-outside-union',
        message: `The weight \`${clip(t.weight.text)}\` is ignored: weights only apply between the branches of a \`&\` union, and Finagle drops this one silently.`,
        fixes: [{ title: 'Remove the ignored weight', edits: [{ span: { start: t.weight.start, end: t.tree.start }, text: '' }] }],
      });
      checkTree(src, t.tree, out);
      return;
    case 'group':
      checkTree(src, t.tree, out);
      return;
  }
}

/**
 * Finagle prints a union's weights with `%.2f` (see show), and namerd stores a dtab as printed:
 * a weight that prints as something else changes when the dtab is pushed.
 */
function checkPrintedWeight(w: WeightSyntax, out: Diagnostic[]): void {
  const span = { start: w.start, end: w.end };
  if (!Number.isFinite(w.value)) {
    out.push({
      span,
      severity: 'warning',
      code: 'weight-not-finite',
      message: 'This weight is too large for a double: Finagle reads it as Infinity, and namerd will store this weight as `Infinity`, which does not parse back (the stored dtab is invalid).',
    });
    return;
  }
  // Whole weights print as they are (`9` is stored as `9.00`): the common case, without formatting.
  if (Number.isSafeInteger(w.value)) return;
  const printed = formatFixed2(w.value);
  if (Number(printed) === w.value) return;
  const toZero = Number(printed) === 0;
  out.push({
    span,
    severity: 'warning',
    code: 'weight-precision',
    message: `namerd will store this weight as \`${printed}\`: Finagle prints weights with two decimals${toZero ? ', so this branch would then receive no traffic' : ''}.`,
    // Writing `0.00` would only make the loss explicit: better leave the choice of weight to a person.
    ...(toZero ? {} : { fixes: [{ title: `Write the weight as namerd will store it (\`${printed}\`)`, edits: [{ span, text: printed }] }] }),
  });
}

function checkSystemNamer(src: string, t: LeafSyntax, out: Diagnostic[]): void {
  // By the label's value, so that `/\x24/nope` (the same path) is checked too.
  const labels = t.path.labels;
  if (labels.length < 2 || labels[0]!.value !== '$') return;
  const kind = elemToText(labels[1]!.value);
  if (SYSTEM_NAMER_KINDS.has(kind)) return;
  const custom = kind.includes('.') ? ' unless a namer class of that name is on linkerd\'s classpath' : '';
  out.push({
    span: { start: labels[1]!.start, end: labels[1]!.end },
    severity: 'warning',
    code: 'unknown-system-namer',
    message: `\`/$/${src.slice(labels[1]!.start, labels[1]!.end)}\` is not a namer Linkerd ships: requests routed here fail with "Unknown namer: ${kind}"${custom}.`,
  });
}

const PORT_NAMES = ['http', 'https', 'grpc', 'h2', 'http2', 'admin', 'thrift', 'incoming', 'outgoing', 'web'];
const PORT_NAME_MIN = Math.min(...PORT_NAMES.map((p) => p.length));
const PORT_NAME_MAX = Math.max(...PORT_NAMES.map((p) => p.length));

/** Whether the span is (case-insensitively) a common port name, without making a string. */
function isPortName(src: string, s: number, e: number): boolean {
  const n = e - s;
  if (n < PORT_NAME_MIN || n > PORT_NAME_MAX) return false;
  for (const name of PORT_NAMES) {
    if (name.length !== n) continue;
    let same = true;
    for (let i = 0; i < n && same; i++) same = (src.charCodeAt(s + i) | 0x20) === name.charCodeAt(i);
    if (same) return true;
  }
  return false;
}

/** Character-level tests on a span of the source (no strings made: this runs on every k8s leaf). */
function isDigits(src: string, s: number, e: number): boolean {
  if (e <= s) return false;
  for (let i = s; i < e; i++) {
    const c = src.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** A DNS-1123 label once lower-cased (the namer lower-cases): [a-z0-9] at both ends, `-` inside. */
function isDnsLabel(src: string, s: number, e: number, max: number): boolean {
  if (e <= s || e - s > max) return false;
  for (let i = s; i < e; i++) {
    const c = src.charCodeAt(i) | 0x20;
    const alnum = (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39);
    if (!alnum && !(src.charCodeAt(i) === 0x2d && i > s && i < e - 1)) return false;
  }
  return true;
}

/**
 * `/#/io.l5d.k8s/<namespace>/<port>/<service>`: the namer lower-cases these three and looks up the
 * Endpoints object; a namespace or service that cannot exist in Kubernetes, or a port name where the
 * namespace goes, always ends in `~`.
 */
function checkK8sPath(src: string, t: LeafSyntax, out: Diagnostic[]): void {
  const external = src.startsWith('/#/io.l5d.k8s.external/', t.start);
  if (!external && !src.startsWith('/#/io.l5d.k8s/', t.start)) return;
  // The first three labels after the namer prefix, read straight from the text (labels hold no
  // raw `/`), without making strings or label nodes: this runs on every k8s leaf of a large file.
  const begin = t.start + (external ? 23 : 14);
  let nsE = begin;
  while (nsE < t.end && src.charCodeAt(nsE) !== 0x2f) nsE++;
  const portS = nsE + 1;
  let portE = portS;
  while (portE < t.end && src.charCodeAt(portE) !== 0x2f) portE++;
  const svcS = portE + 1;
  let svcE = svcS;
  while (svcE < t.end && src.charCodeAt(svcE) !== 0x2f) svcE++;
  const hasPort = portS < t.end;
  const hasSvc = svcS < t.end;
  const last = hasSvc ? svcE : hasPort ? portE : nsE;
  for (let k = begin; k < last; k++) if (src.charCodeAt(k) === 0x5c) return; // escapes: rare, not judged
  const portIsName = hasPort && !isDigits(src, portS, portE);
  let nsProblem: string | undefined;
  if (isDigits(src, begin, nsE) || (portIsName && isPortName(src, begin, nsE) && !isPortName(src, portS, portE)))
    nsProblem = 'looks like a port, but this is the namespace position';
  else if (!isDnsLabel(src, begin, nsE, 63)) nsProblem = 'is not a valid Kubernetes namespace name, so this always resolves to `~`';
  if (nsProblem) k8sWarning(src, external, begin, nsE, nsProblem, out);
  if (portIsName && !isDnsLabel(src, portS, portE, 15))
    k8sWarning(src, external, portS, portE, 'is not a valid port name (at most 15 characters: a-z, 0-9, -)', out);
  if (hasSvc && !isDnsLabel(src, svcS, svcE, 63))
    k8sWarning(src, external, svcS, svcE, 'is not a valid Kubernetes service name, so this always resolves to `~`', out);
}

function lower(src: string, s: number, e: number): string {
  return src.slice(s, e).toLowerCase();
}

function k8sWarning(src: string, external: boolean, start: number, end: number, problem: string, out: Diagnostic[]): void {
  const shape = `the shape is \`/#/io.l5d.k8s${external ? '.external' : ''}/<namespace>/<port>/<service>\``;
  out.push({ span: { start, end }, severity: 'warning', code: 'k8s-path-shape', message: `\`${lower(src, start, end)}\` ${problem}: ${shape}.` });
}

const LOOKALIKE_RE = new RegExp(`[${[...LOOKALIKES.keys()].map((c) => `\\u${c.toString(16).padStart(4, '0')}`).join('')}]`, 'g');

export type Lookalike = { readonly name: string; readonly replacement: string };
/** Look-alike characters: their offsets, in order, and what each is. */
export type Lookalikes = { at: number[]; what: Lookalike[] };

/**
 * Look-alike characters outside comments in [from, to) of the text, in source order: their offsets,
 * and what each is. `comments` are the text's comments (or those of that stretch), in order.
 */
export function findLookalikes(src: string, comments: readonly Span[], from: number, to: number): Lookalikes {
  const out = { at: [] as number[], what: [] as Lookalike[] };
  let ci = 0;
  // Only that stretch is scanned (a regular expression on the whole text would run to its end).
  const text = from === 0 && to === src.length ? src : src.slice(from, to);
  LOOKALIKE_RE.lastIndex = 0;
  for (let m = LOOKALIKE_RE.exec(text); m; m = LOOKALIKE_RE.exec(text)) {
    const i = m.index + from;
    while (ci < comments.length && comments[ci]!.end <= i) ci++;
    const inComment = ci < comments.length && comments[ci]!.start <= i;
    if (!inComment) {
      out.at.push(i);
      out.what.push(LOOKALIKES.get(src.charCodeAt(i))!);
    }
  }
  return out;
}
