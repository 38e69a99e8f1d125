// Routing assertions: a `.dtab-test` file holds one assertion a line, `PATH => EXPECTED`, where
// EXPECTED is a name tree in dtab syntax, optionally followed by the addresses the result must
// resolve to (`@ 10.1.1.1:7777, 10.1.1.2:7777`), and `#` comments. A header comment says which
// dtab is tested:
//
//   # dtab: ../gob.dtab                      a dtab file (relative to the test file)
//   # config: linkerd.yaml router: http      a linkerd/namerd config and a router label (or namespace)
//   # namerd: http://namerd:4180 ns: prod    a namerd namespace
//
// and, optionally, the cluster data `/#/io.l5d.k8s` names are bound with, so that the file means
// the same in the editor, in CI and on every machine (command-line flags win over it):
//
//   # snapshot: ../cluster.k8s-snapshot.yaml  a snapshot (`kubectl get endpoints,services -A -o yaml`)
//
// Every assertion line is read by the dtab parser itself, as a dentry whose prefix is the path:
// the `=>` split, the path and the expected tree all come from it (no second parser). A path with a
// `*` (which only a prefix may have) is parsed again as a path, for Finagle's own error. The
// address list after `@` is not dtab text: the parser stops at the `@` (its "end of input
// expected" error names it), and the list is read here.

import { ANY } from '../model/dtab.js';
import type { NameTree } from '../model/nametree.js';
import type { Path } from '../model/path.js';
import { showPath, showPathTree } from '../print/show.js';
import type { Span } from '../syntax/ast.js';
import { parseDentry, parseDtab, parsePath } from '../syntax/parser.js';
import { lowerTree } from '../syntax/lower.js';
import { simplify } from '../model/nametree.js';
import { formatFixed2 } from '../print/numbers.js';

/** Which dtab a test file tests. */
export type TestSource =
  | { readonly kind: 'dtab'; readonly file: string }
  | { readonly kind: 'config'; readonly file: string; readonly router?: string }
  | { readonly kind: 'namerd'; readonly url: string; readonly ns: string };

export interface TestHeader {
  readonly source: TestSource;
  /** The header comment. */
  readonly span: Span;
  /** 0-based line. */
  readonly line: number;
}

/** One `host:port` of an address list. */
export interface AddressSyntax {
  /** `10.1.1.1:7777`, `[::1]:80`. */
  readonly text: string;
  readonly span: Span;
}

export interface DtabAssertion {
  /** 0-based line of the assertion. */
  readonly line: number;
  /** The assertion as written, comments and surrounding space left out. */
  readonly span: Span;
  readonly path: Path;
  readonly pathSpan: Span;
  /** Path.show of the path. */
  readonly pathText: string;
  readonly expected: NameTree<Path>;
  readonly expectedSpan: Span;
  /** NameTree.show of the expected tree: what the actual result is compared with. */
  readonly expectedText: string;
  /** `@ a, b`: the addresses the result resolves to (span: from `@` to the last address). */
  readonly addresses?: { readonly span: Span; readonly list: readonly AddressSyntax[] };
}

export type TestProblemCode = 'syntax' | 'path' | 'address' | 'header' | 'source' | 'not-simplified';

export interface TestProblem {
  readonly span: Span;
  /** 0-based line. */
  readonly line: number;
  readonly severity: 'error' | 'warning';
  readonly code: TestProblemCode;
  readonly message: string;
  /** Finagle's words, for syntax errors. */
  readonly finagle?: string;
}

/** `# snapshot: FILE`: the cluster data the file is meant with. */
export interface SnapshotHeader {
  readonly file: string;
  readonly span: Span;
  readonly line: number;
}

export interface DtabTestFile {
  readonly text: string;
  readonly header: TestHeader | undefined;
  readonly snapshot: SnapshotHeader | undefined;
  readonly assertions: readonly DtabAssertion[];
  readonly problems: readonly TestProblem[];
}

const HEADER = /^#\s*(dtab|config|namerd|snapshot)\s*:\s*(.*?)\s*$/;

function readHeader(kind: string, rest: string): TestSource | string {
  if (kind === 'dtab') {
    if (!/^\S+$/.test(rest)) return 'write `# dtab: FILE` (a path relative to this file)';
    return { kind: 'dtab', file: rest };
  }
  if (kind === 'config') {
    const m = /^(\S+)(?:\s+router\s*:\s*(\S+))?$/.exec(rest);
    if (!m) return 'write `# config: FILE` or `# config: FILE router: LABEL`';
    return { kind: 'config', file: m[1]!, ...(m[2] !== undefined ? { router: m[2] } : {}) };
  }
  const m = /^(https?:\/\/\S+)\s+ns\s*:\s*(\S+)$/.exec(rest);
  if (!m) return 'write `# namerd: URL ns: NAMESPACE` (URL: http:// or https://)';
  return { kind: 'namerd', url: m[1]!, ns: m[2]! };
}

/** `a.b.c.d:port` or `[v6]:port`; undefined when it is not one. */
function readAddress(text: string): string | undefined {
  const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3})|\[([0-9A-Fa-f:.]+)\]):(\d{1,5})$/.exec(text);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  if (m[1] !== undefined) {
    const parts = m[1].split('.').map(Number);
    if (parts.some((p) => p > 255)) return undefined;
    return `${parts.join('.')}:${port}`;
  }
  return `[${m[2]!.toLowerCase()}]:${port}`;
}

const pathOf = (p: Path): Path => p;

/** An assertion as read; its printed forms are made when first read (a run compares trees, not text). */
class Assertion implements DtabAssertion {
  private shownPath: string | undefined;
  private shownExpected: string | undefined;

  constructor(
    readonly line: number,
    readonly span: Span,
    readonly path: Path,
    readonly pathSpan: Span,
    readonly expected: NameTree<Path>,
    readonly expectedSpan: Span,
    readonly addresses: DtabAssertion['addresses'],
  ) {}

  get pathText(): string {
    return (this.shownPath ??= showPath(this.path));
  }

  get expectedText(): string {
    return (this.shownExpected ??= showPathTree(this.expected));
  }
}

/**
 * Whether two trees print the same with NameTree.show, without printing them: the same shape
 * (single-child alternatives and unions are their child, as show prints them), leaves with the same
 * elements, and union weights that print the same (`1.0` bare, others `%.2f`). Path.show is
 * one-to-one, so equal elements are exactly equal printed paths.
 */
export function sameShown<A, B>(a: NameTree<A>, b: NameTree<B>, pathA: (v: A) => Path, pathB: (v: B) => Path = pathA as unknown as (v: B) => Path): boolean {
  const x = unwrap(a);
  const y = unwrap(b);
  if (x.type !== y.type) return false;
  switch (x.type) {
    case 'leaf': {
      const p = pathA(x.value);
      const q = pathB((y as typeof y & { type: 'leaf' }).value);
      if (p.length !== q.length) return false;
      // Stryker disable next-line EqualityOperator: the lengths are equal here, so p[n] and q[n] are both undefined
      for (let i = 0; i < p.length; i++) {
        if (p[i] !== q[i]) return false;
      }
      return true;
    }
    case 'alt': {
      const ys = (y as typeof y & { type: 'alt' }).trees;
      if (x.trees.length !== ys.length) return false;
      for (let i = 0; i < ys.length; i++) if (!sameShown(x.trees[i]!, ys[i]!, pathA, pathB)) return false;
      return true;
    }
    case 'union': {
      const ys = (y as typeof y & { type: 'union' }).trees;
      if (x.trees.length !== ys.length) return false;
      for (let i = 0; i < ys.length; i++) {
        const w = x.trees[i]!.weight;
        const v = ys[i]!.weight;
        if (w !== v && (w === 1.0 || v === 1.0 || formatFixed2(w) !== formatFixed2(v))) return false;
        if (!sameShown(x.trees[i]!.tree, ys[i]!.tree, pathA, pathB)) return false;
      }
      return true;
    }
    default:
      return true;
  }
}

function unwrap<T>(t: NameTree<T>): NameTree<T> {
  let u = t;
  for (;;) {
    if (u.type === 'alt' && u.trees.length === 1) u = u.trees[0]!;
    else if (u.type === 'union' && u.trees.length === 1) u = u.trees[0]!.tree;
    else return u;
  }
}

/** The canonical text of an address (as the actual addresses are printed). */
export function addressText(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip.toLowerCase()}]:${port}` : `${ip}:${port}`;
}

function shift(s: Span, by: number): Span {
  return { start: s.start + by, end: s.end + by };
}

/** Parses a `.dtab-test` file. Never throws; what is wrong is in `problems`. */
export function parseDtabTestFile(text: string): DtabTestFile {
  const assertions: DtabAssertion[] = [];
  const problems: TestProblem[] = [];
  let header: TestHeader | undefined;
  let snapshot: SnapshotHeader | undefined;
  let lineNo = 0;
  // Line by line, the last one too (empty after a last line break); start never passes the end.
  for (let start = 0; ; lineNo++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    // On an empty line, end - 1 is the line break before it, or -1 (NaN): never a CR.
    const contentEnd = text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    readLine(text.slice(start, contentEnd), start, lineNo);
    if (nl < 0) break;
    start = nl + 1;
  }
  return { text, header, snapshot, assertions, problems };

  function problem(span: Span, line: number, code: TestProblemCode, message: string, finagle?: string, severity: 'error' | 'warning' = 'error'): void {
    problems.push({ span, line, severity, code, message, ...(finagle !== undefined ? { finagle } : {}) });
  }

  function readLine(line: string, at: number, lineNo: number): void {
    // Blank lines and comments: what the dtab parser reads as an empty dtab (one parse as a
    // dentry first: it fails at the end of the text exactly when the line holds no dentry, only
    // spaces and comments, which the dtab parser reads the same way: no entry, no error).
    let r = parseDentry(line);
    if (!r.ok && r.error.code === 'expected-slash' && r.error.index === line.length) {
      if (assertions.length > 0) return;
      const asDtab = parseDtab(line);
      for (const c of asDtab.comments) {
        const m = HEADER.exec(line.slice(c.start, c.end));
        if (!m) continue;
        const span = shift(c, at);
        if (m[1] === 'snapshot') {
          if (!/^\S+$/.test(m[2]!)) problem(span, lineNo, 'header', 'This header comment names no snapshot: write `# snapshot: FILE` (a path relative to this file).');
          else if (snapshot) problem(span, lineNo, 'header', `The snapshot is already named on line ${snapshot.line + 1}.`);
          else snapshot = { file: m[2]!, span, line: lineNo };
          continue;
        }
        const source = readHeader(m[1]!, m[2]!);
        if (typeof source === 'string') problem(span, lineNo, 'header', `This header comment names no ${m[1]}: ${source}.`);
        else if (header) problem(span, lineNo, 'header', `The tested dtab is already named on line ${header.line + 1}: a file tests one dtab.`);
        else header = { source, span, line: lineNo };
      }
      return;
    }
    let addressText: { from: number } | undefined;
    if (!r.ok && r.error.code === 'expected-end' && r.error.found === 0x40 /* @ */) {
      addressText = { from: r.error.index };
      r = parseDentry(line.slice(0, r.error.index));
    }
    if (!r.ok) {
      const e = r.error;
      problem(shift(e.span, at), lineNo, 'syntax', `An assertion is \`PATH => EXPECTED\`: ${e.plain}`, e.finagleMessageShort);
      return;
    }
    const d = r.value;
    if (d.prefix.elems.some((e) => e.kind === 'wildcard')) {
      const p = parsePath(line.slice(d.prefix.start, d.prefix.end));
      const e = p.ok ? undefined : p.error;
      // Stryker disable next-line OptionalChaining: parsePath refuses every `*` (no label character), so e is defined
      problem(e ? shift(e.span, at + d.prefix.start) : shift(d.prefix, at), lineNo, 'path', 'The path of an assertion is one name: `*` is only for dentry prefixes.', e?.finagleMessageShort);
      return;
    }
    // The prefix has no wildcard: its elements are the path's.
    const path: Path = d.prefix.elems.map((e) => (e.kind === 'label' ? e.value : ANY)) as Path;
    const expected = lowerTree(d.dst);
    let addresses: DtabAssertion['addresses'];
    if (addressText) {
      const list = readAddresses(line, addressText.from, at, lineNo);
      if (list === undefined) return;
      addresses = list;
    }
    const simple = simplify(expected);
    if (!sameShown(simple, expected, pathOf)) {
      problem(shift(d.dst, at), lineNo, 'not-simplified', `Results are compared simplified, as Finagle simplifies them, so this never holds: write \`${showPathTree(simple)}\`.`, undefined, 'warning');
    }
    const lastEnd = addresses ? addresses.span.end - at : d.dst.end;
    assertions.push(new Assertion(lineNo, { start: at + d.prefix.start, end: at + lastEnd }, path, shift(d.prefix, at), expected, shift(d.dst, at), addresses));
  }

  /** `@ a, b, …` from `from` (the `@`) to the end of the line or a `#` comment. */
  function readAddresses(line: string, from: number, at: number, lineNo: number): DtabAssertion['addresses'] | undefined {
    const hash = line.indexOf('#', from);
    const end = hash === -1 ? line.length : hash;
    const list: AddressSyntax[] = [];
    let i = from + 1;
    for (const part of line.slice(from + 1, end).split(',')) {
      const lead = part.length - part.trimStart().length;
      const item = part.trim();
      const span = { start: at + i + lead, end: at + i + lead + item.length };
      i += part.length + 1;
      const canonical = readAddress(item);
      if (canonical === undefined) {
        // An empty item (spaces only) is the empty place after its spaces.
        problem(span, lineNo, 'address', item === '' ? 'An address is missing: write `@ IP:PORT, IP:PORT, …` (e.g. `@ 10.1.1.1:7777`).' : `\`${item}\` is not an address: write IP:PORT (e.g. \`10.1.1.1:7777\`, \`[::1]:80\`).`);
        return undefined;
      }
      list.push({ text: canonical, span });
    }
    return { span: { start: at + from, end: list[list.length - 1]!.span.end }, list };
  }
}
