// The dtab parser: a transliteration of Finagle 21.4.0's NameTreeParsers (one character of
// lookahead, the same calls to eatWhitespace in the same places, the same first error at the same
// offset) that also records spans, comments and, for whole dtabs, recovers after an error so that
// every broken dentry gets its own diagnostic.

import { EOI, hexValue, isHexChar, isJavaWhitespace, isLabelChar, isNumberChar, isShowable } from './chars.js';
import { charAdvice, clip, describeChar, DtabSyntaxError, type SyntaxErrorCode } from './errors.js';
import { MAX_NESTING } from './ast.js';
import type {
  BrokenDentrySyntax,
  DentrySyntax,
  DtabSyntax,
  EntrySyntax,
  LabelSyntax,
  PathSyntax,
  PrefixSyntax,
  Span,
  TreeSyntax,
  WeightedSyntax,
  WeightSyntax,
  WildcardSyntax,
} from './ast.js';

const SLASH = 0x2f;
const STAR = 0x2a;
const BACKSLASH = 0x5c;
const HASH = 0x23;
const NEWLINE = 0x0a;
const EQUALS = 0x3d;
const GT = 0x3e;
const PIPE = 0x7c;
const AMP = 0x26;
const SEMI = 0x3b;
const LPAREN = 0x28;
const RPAREN = 0x29;
const BANG = 0x21;
const TILDE = 0x7e;
const DOLLAR = 0x24;
const DOT = 0x2e;
const LOWER_X = 0x78;

/** What the parser was reading, for plain messages. */
type Context = { readonly what: 'path' | 'prefix' | 'tree' | 'dentry' | 'dtab' };

class Parser {
  i = 0;
  readonly n: number;
  /**
   * Where the nodes being made are: FIXED for a plain parse (offsets as recorded); in an anchored
   * parse, the segment (one turn of parseDtab's loop) being read, whose `at` moves its nodes later.
   */
  anchor: Segment = FIXED;
  /** The text, as the nodes read it (label values): one holder that an incremental parse updates. */
  readonly ref: TextRef;
  /** Label boundaries of every path and prefix, two numbers a label, in one buffer (see ElemsNode). */
  readonly bounds: Bounds;
  readonly comments: Span[] = [];
  /** The prefix of the dentry being parsed, for messages. */
  currentPrefix: PrefixSyntax | undefined;
  /** Open parentheses, innermost last, for "missing `)`" messages and the nesting limit. */
  readonly openParens: number[] = [];
  /** The last offset whose line was counted, and its line (messages count lines incrementally). */
  private lineAt = 0;
  private lineOfLineAt = 1;

  constructor(
    readonly src: string,
    readonly ctx: Context,
    /** Anchored: every node belongs to its segment (see parseDtabSegments); else plain objects. */
    readonly anchored = false,
    ref?: TextRef,
    boundsSize = src.length + 2,
  ) {
    this.n = src.length;
    this.ref = ref ?? { text: src };
    this.bounds = { data: new Int32Array(Math.max(16, boundsSize)), size: 0 };
  }

  /** A span of the text being read (moving with its segment in an anchored parse). */
  sp(start: number, end: number): Span {
    return this.anchored ? new ASpan(this.anchor, start, end) : { start, end };
  }

  /** A node (a plain object literal) as made here: anchored in an anchored parse. */
  node<T extends Span>(o: T): T {
    return this.anchored ? anchorNode(this.anchor, o) : o;
  }

  // ---- Finagle's primitives -------------------------------------------------------------------

  peek(): number {
    return this.i >= this.n ? EOI : this.src.charCodeAt(this.i);
  }

  atEnd(): boolean {
    return this.i >= this.n;
  }

  maybeEat(c: number): boolean {
    if (this.peek() !== c) return false;
    this.i++;
    return true;
  }

  eatWhitespace(): void {
    const { src, n } = this;
    let i = this.i;
    while (i < n) {
      const c = src.charCodeAt(i);
      if (c === HASH) {
        const start = i;
        while (i < n && src.charCodeAt(i) !== NEWLINE) i++;
        this.comments.push(this.sp(start, i));
        if (i < n) i++;
      } else if (isJavaWhitespace(c)) {
        i++;
      } else break;
    }
    this.i = i;
  }

  fail(expected: string, code: SyntaxErrorCode, plain: string, found = this.peek(), span?: Span): never {
    throw this.error(expected, code, plain, found, span);
  }

  /** The error at the current offset (what `fail` throws). */
  error(expected: string, code: SyntaxErrorCode, plain: string, found = this.peek(), span?: Span): DtabSyntaxError {
    const at = this.i;
    const atEnd = at >= this.n;
    // A character outside the BMP (two UTF-16 units) is underlined whole.
    const where: Span = span ?? (atEnd ? { start: this.n, end: this.n } : { start: at, end: at + (this.codePoint() > 0xffff ? 2 : 1) });
    return this.syntaxError(at, expected, found, code, plain, where);
  }

  syntaxError(at: number, expected: string, found: number, code: SyntaxErrorCode, plain: string, where: Span, javaMessage?: string): DtabSyntaxError {
    if (!this.anchored) return new DtabSyntaxError(this.src, at, expected, found, code, plain, where, javaMessage);
    return new DtabSyntaxError(this.ref, at, expected, found, code, plain, this.sp(where.start, where.end), javaMessage, this.anchor);
  }

  /**
   * 1-based line of an offset, for messages. Counted from the last offset asked about, so the
   * errors of a whole document (asked about in source order) cost one pass over it in all.
   */
  line(offset: number): number {
    const { src } = this;
    let at = this.lineAt;
    let line = this.lineOfLineAt;
    for (; at < offset; at++) if (src.charCodeAt(at) === NEWLINE) line++;
    for (; at > offset; at--) if (src.charCodeAt(at - 1) === NEWLINE) line--;
    this.lineAt = at;
    this.lineOfLineAt = line;
    return line;
  }

  /** The character at the cursor as a whole code point (an emoji is one character, not two halves). */
  private codePoint(): number {
    return this.i >= this.n ? EOI : this.src.codePointAt(this.i)!;
  }

  found(): string {
    return describeChar(this.codePoint(), this.atEnd());
  }

  advice(): string {
    return charAdvice(this.codePoint());
  }

  // ---- labels and paths -----------------------------------------------------------------------

  parseHexChar(): number {
    const c = this.peek();
    if (!isHexChar(c)) {
      this.fail(
        'hex char',
        'expected-hex',
        `An escape is \`\\x\` and exactly two hex digits (0-9, a-f); found ${this.found()}.`,
      );
    }
    this.i++;
    return hexValue(c);
  }

  /** Reads one label; returns its bytes when it has escapes (else the source text is the value). */
  parseLabel(): string | undefined {
    const start = this.i;
    let bytes: number[] | undefined;
    do {
      const c = this.peek();
      if (isShowable(c)) {
        this.i++;
        bytes?.push(c);
      } else if (c === BACKSLASH) {
        if (bytes === undefined) {
          bytes = [];
          for (let k = start; k < this.i; k++) bytes.push(this.src.charCodeAt(k));
        }
        this.i++;
        if (this.peek() !== LOWER_X) {
          this.fail(
            "'x'",
            'expected-x',
            `\`\\\` starts an escape, which must be \`\\x\` and two hex digits (lower-case x); found ${this.found()}.`,
          );
        }
        this.i++;
        const hi = this.parseHexChar();
        const lo = this.parseHexChar();
        bytes.push((hi << 4) | lo);
      } else {
        this.failLabelChar();
      }
    } while (isLabelChar(this.peek()));
    return bytes === undefined ? undefined : bytesToString(bytes);
  }

  failLabelChar(): never {
    const c = this.peek();
    let plain: string;
    if (this.atEnd() || isJavaWhitespace(c) || c === SEMI) plain = 'A path cannot end with `/`: remove the trailing `/`.';
    else if (c === SLASH) plain = 'Empty label: `//` is not allowed in a path.';
    else if (c === STAR)
      plain =
        this.ctx.what === 'prefix'
          ? '`*` must be a whole label (`/a/*/b`).'
          : '`*` is only allowed in a dentry prefix (left of `=>`), as a whole label.';
    else plain = `Expected a label after \`/\`, found ${this.found()}.${this.advice()}`;
    this.fail('label char', 'expected-label', plain);
  }

  parsePath(): PathSyntax {
    this.eatWhitespace();
    const start = this.i;
    this.eatSlash('path');
    const node = new ElemsNode('path', this.ref, start, this.bounds, this.anchor);
    if (isLabelChar(this.peek())) {
      do this.labelInto(node);
      while (this.maybeEat(SLASH));
    }
    node.e = this.i;
    return node as unknown as PathSyntax;
  }

  labelInto(node: ElemsNode): void {
    const at = this.i;
    const decoded = this.parseLabel();
    node.add(at, this.i, decoded);
  }

  eatSlash(what: 'path' | 'prefix'): void {
    if (this.peek() === SLASH) {
      this.i++;
      return;
    }
    throw this.slashError(what);
  }

  slashError(what: 'path' | 'prefix'): DtabSyntaxError {
    const c = this.peek();
    let plain: string;
    if (what === 'prefix' && this.ctx.what === 'dtab') {
      plain =
        c === SEMI
          ? 'Empty dentry: remove the extra `;`.'
          : `Expected a dentry (\`/prefix => destination\`), found ${this.found()}.${this.advice()}`;
    } else {
      plain = `A ${what} starts with \`/\`; found ${this.found()}.${this.advice()}`;
    }
    return this.error("'/'", 'expected-slash', plain);
  }

  parsePrefix(): PrefixSyntax {
    this.eatWhitespace();
    const start = this.i;
    this.eatSlash('prefix');
    const node = new ElemsNode('prefix', this.ref, start, this.bounds, this.anchor);
    const c0 = this.peek();
    if (isLabelChar(c0) || c0 === STAR) {
      do {
        if (this.peek() === STAR) {
          node.add(this.i, this.i + 1, undefined);
          this.i++;
        } else this.labelInto(node);
      } while (this.maybeEat(SLASH));
    }
    node.e = this.i;
    return node as unknown as PrefixSyntax;
  }

  // ---- trees --------------------------------------------------------------------------------

  parseTree(): TreeSyntax {
    const first = this.parseTree1();
    this.eatWhitespace();
    if (this.peek() !== PIPE) return first;
    const branches: TreeSyntax[] = [first];
    const bars: Span[] = [];
    while (this.peek() === PIPE) {
      bars.push(this.sp(this.i, this.i + 1));
      this.i++;
      branches.push(this.parseTree1());
      this.eatWhitespace();
    }
    return this.node<TreeSyntax>({ kind: 'alt', start: first.start, end: branches[branches.length - 1]!.end, branches, bars });
  }

  parseTree1(): TreeSyntax {
    const first = this.parseWeighted();
    this.eatWhitespace();
    if (this.peek() !== AMP) {
      if (first.kind !== 'weighted') return first;
      return this.node<TreeSyntax>({ kind: 'weighted', start: first.start, end: first.end, weight: first.weight, tree: first.tree });
    }
    const branches: WeightedSyntax[] = [this.asWeighted(first)];
    const amps: Span[] = [];
    while (this.peek() === AMP) {
      amps.push(this.sp(this.i, this.i + 1));
      this.i++;
      branches.push(this.asWeighted(this.parseWeighted()));
      this.eatWhitespace();
    }
    return this.node<TreeSyntax>({ kind: 'union', start: first.start, end: branches[branches.length - 1]!.end, branches, amps });
  }

  /** A term with its optional weight; unweighted terms come back as they are (no wrapper). */
  parseWeighted(): TreeSyntax | (WeightedSyntax & { kind: 'weighted'; weight: WeightSyntax }) {
    this.eatWhitespace();
    if (!isNumberChar(this.peek())) return this.parseSimple();
    const start = this.i;
    const { text, value } = this.parseNumber();
    const numEnd = this.i;
    this.eatWhitespace();
    const starAt = this.i;
    if (this.peek() !== STAR) {
      this.fail(
        "'*'",
        'expected-star',
        `A weight must be followed by \`*\` and a term (\`${clip(text)} * /svc\`); found ${this.found()}.${this.advice()}`,
      );
    }
    this.i++;
    this.eatWhitespace();
    const tree = this.parseSimple();
    const weight: WeightSyntax = this.node({ start, end: numEnd, value, text, star: this.sp(starAt, starAt + 1) });
    // (Not anchored: parseTree1 makes the node it returns, parseTree1 and asWeighted read this one.)
    return { kind: 'weighted', start, end: tree.end, weight, tree };
  }

  parseNumber(): { text: string; value: number } {
    const start = this.i;
    let seenDot = false;
    let ascii = true;
    while (isNumberChar(this.peek())) {
      const c = this.peek();
      if (c === DOT) {
        if (seenDot) this.fail('number char', 'number-char', 'A weight has at most one `.`.');
        seenDot = true;
      } else if (c > 0x7f) ascii = false;
      this.i++;
    }
    const text = this.src.slice(start, this.i);
    if (text === '.') {
      // Finagle has consumed the `.` already: its message names '.' but brackets the next char.
      this.fail('weight', 'lone-dot-weight', '`.` alone is not a weight: write a number such as `0.5`.', DOT, { start, end: this.i });
    }
    if (!ascii) {
      // Java's Double.parseDouble accepts only ASCII digits: NumberFormatException, no position.
      throw this.syntaxError(
        start,
        'number',
        this.src.charCodeAt(start),
        'number-format',
        `\`${clip(text)}\` is not a number: weights use the ASCII digits 0-9.`,
        { start, end: this.i },
        `For input string: "${text}"`,
      );
    }
    return { text, value: Number(text) };
  }

  parseSimple(): TreeSyntax {
    this.eatWhitespace();
    const start = this.i;
    const c = this.peek();
    switch (c) {
      case LPAREN: {
        if (this.openParens.length >= MAX_NESTING) throw nestingTooDeep(this, start);
        this.i++;
        this.openParens.push(start);
        const tree = this.parseTree();
        this.eatWhitespace();
        if (this.peek() !== RPAREN) {
          const line = this.line(start);
          this.fail(
            "')'",
            'expected-close-paren',
            `Missing \`)\` to close the \`(\` on line ${line}; found ${this.found()}.${this.advice()}`,
          );
        }
        this.i++;
        this.openParens.pop();
        return this.node<TreeSyntax>({ kind: 'group', start, end: this.i, tree });
      }
      case SLASH: {
        const path = this.parsePath();
        return this.node<TreeSyntax>({ kind: 'leaf', start: path.start, end: path.end, path });
      }
      case BANG:
        this.i++;
        return this.node<TreeSyntax>({ kind: 'fail', start, end: this.i });
      case TILDE:
        this.i++;
        return this.node<TreeSyntax>({ kind: 'neg', start, end: this.i });
      case DOLLAR:
        this.i++;
        return this.node<TreeSyntax>({ kind: 'empty', start, end: this.i });
    }
    let plain = `Expected a destination here (a path, \`~\`, \`!\`, \`$\` or \`(\`), found ${this.found()}.${this.advice()}`;
    if (c === PIPE || c === AMP) plain = `\`${String.fromCharCode(c)}\` needs a term on both sides; found it with none before it.`;
    else if (c === SEMI) plain = 'Expected a destination before `;`.';
    this.fail('simple', 'expected-term', plain);
  }

  asWeighted(t: TreeSyntax | (WeightedSyntax & { kind: 'weighted' })): WeightedSyntax {
    if (t.kind === 'weighted') return this.node<WeightedSyntax>({ start: t.start, end: t.end, weight: t.weight, tree: t.tree });
    return this.node<WeightedSyntax>({ start: t.start, end: t.end, weight: undefined, tree: t });
  }

  // ---- dentries and dtabs -------------------------------------------------------------------

  parseDentry(): DentrySyntax {
    const r = this.dentryOrError();
    if (r instanceof DtabSyntaxError) throw r;
    return r;
  }

  /** parseDentry, with the errors around `=>` returned rather than thrown (cheaper, for recovery). */
  dentryOrError(): DentrySyntax | DtabSyntaxError {
    const prefix = this.parsePrefix();
    this.currentPrefix = prefix;
    this.eatWhitespace();
    const arrowStart = this.i;
    if (this.peek() !== EQUALS) {
      const shown = this.src.slice(prefix.start, prefix.end);
      let plain = `Expected \`=>\` after the prefix \`${clip(shown)}\`, found ${this.found()}.${this.advice()}`;
      if (this.peek() === STAR || (prefix.elems.length > 0 && this.src.charCodeAt(this.i - 1) === STAR && isLabelChar(this.peek())))
        plain = `\`*\` must be a whole label in a prefix (\`/a/*/b\`); found ${this.found()}.`;
      return this.error("'='", 'expected-arrow', plain);
    }
    this.i++;
    if (this.peek() !== GT) {
      return this.error("'>'", 'split-arrow', `Expected \`>\` right after \`=\`: write \`=>\` with nothing between; found ${this.found()}.`);
    }
    this.i++;
    const dst = this.parseTree();
    return new DentryNode(this.anchor, prefix.start, dst.end, prefix, arrowStart, dst);
  }

  ensureEnd(what: string): void {
    if (this.atEnd()) return;
    const c = this.peek();
    let plain =
      this.ctx.what === 'dtab'
        ? `Expected \`;\` or the end of the text after the dentry, found ${this.found()}.${this.advice()}`
        : `Expected the end of the ${what}, found ${this.found()}.${this.advice()}`;
    if (this.ctx.what === 'dtab') {
      if (c === SLASH) plain = 'Missing `;` between dentries: dentries are separated by `;`, not by new lines.';
      else if (c === 0x2c) plain = 'Dentries are separated by `;`, not `,`.';
      else if (c === RPAREN) plain = 'Unmatched `)`.';
    } else if (c === RPAREN) plain = 'Unmatched `)`.';
    else if (c === SEMI && this.ctx.what === 'dentry') plain = 'A single dentry cannot end with `;`.';
    this.fail('end of input', 'expected-end', plain);
  }

  /**
   * The whole-dtab rule `dtab , ws , EOI`. The first error is Finagle's; after an error, parsing
   * resumes at the next `;` or at the next line that starts a dentry, and the broken text is kept.
   */
  parseDtab(segments?: Segment[], stop?: (at: number) => boolean): { entries: EntrySyntax[]; errors: DtabSyntaxError[] } {
    const entries: EntrySyntax[] = [];
    const errors: DtabSyntaxError[] = [];
    for (;;) {
      // Each turn reads the same way from where it starts, whatever came before (see Segment).
      if (segments) {
        if (stop?.(this.i)) break;
        segments.push((this.anchor = { start: this.i, at: 0 }));
      }
      this.eatWhitespace();
      if (this.atEnd()) break;
      const entryStart = this.i;
      this.currentPrefix = undefined;
      // An error leaves the parentheses it was inside open: each dentry counts its own.
      if (this.openParens.length > 0) this.openParens.length = 0;
      if (this.peek() !== SLASH) {
        // Not a dentry at all (a stray `;`, say): the same error parsePrefix would throw, without
        // the cost of throwing it (a document of a million `;` is a million of these).
        this.recoverFrom(this.slashError('prefix'), entryStart, entries, errors);
        continue;
      }
      let entry: EntrySyntax | DtabSyntaxError;
      try {
        entry = this.dentryOrError();
        if (entry instanceof DtabSyntaxError) {
          this.recoverFrom(entry, entryStart, entries, errors);
          continue;
        }
        this.eatWhitespace();
        if (this.peek() === SEMI) {
          (entry as DentryNode).semicolonAt = this.i;
          this.i++;
          entries.push(entry);
          continue;
        }
        if (this.atEnd()) {
          entries.push(entry);
          break;
        }
        entries.push(entry);
        this.ensureEnd('dentry');
        continue;
      } catch (e) {
        if (!(e instanceof DtabSyntaxError)) throw e;
        this.recoverFrom(e, entryStart, entries, errors);
      }
    }
    return { entries, errors };
  }

  /** Records an error in the entry that starts at `entryStart`, and moves on to the next entry. */
  recoverFrom(e: DtabSyntaxError, entryStart: number, entries: EntrySyntax[], errors: DtabSyntaxError[]): void {
    errors.push(e);
    const resume = this.recover(Math.max(e.index, entryStart), e.code === 'expected-end');
    const last = entries[entries.length - 1];
    if (last !== undefined && last.kind === 'dentry' && last.end <= e.index && e.code === 'expected-end') {
      // The dentry itself was fine; the error is what followed it.
      entries.push(this.broken(e.index, resume.end, e, undefined, resume.semicolon));
    } else {
      const prefix = this.currentPrefix !== undefined && this.currentPrefix.start >= entryStart ? this.currentPrefix : undefined;
      entries.push(this.broken(entryStart, resume.end, e, prefix, resume.semicolon));
    }
    // Always make progress, whatever the recovery found.
    this.i = Math.max(resume.next, entryStart + 1);
  }

  broken(start: number, end: number, error: DtabSyntaxError, prefix: PrefixSyntax | undefined, semicolon: Span | undefined): EntrySyntax {
    return new BrokenNode(this.anchor, start, Math.max(end, Math.min(start + 1, this.n)), error, prefix, semicolon ? semicolon.start : -1);
  }

  /**
   * Where to resume after an error at `from`: after the next `;` outside a comment, or at a line
   * whose first token starts a dentry (`/path =>`), or at `from` itself when a dentry starts there
   * (a missing `;`). Returns the end of the broken text, its `;` if any, and where to go on.
   */
  recover(from: number, missingSemicolon: boolean): { end: number; next: number; semicolon: Span | undefined } {
    const { src, n } = this;
    let p = Math.min(from, n);
    // A `/` where `;` was expected, first on its line, is almost always a missing `;`: start the
    // next dentry there. On the same line, only if it reads like a dentry (`/c => ...`).
    if (p < n && src.charCodeAt(p) === SLASH && p > 0 && ((missingSemicolon && firstOnLine(src, p)) || startsDentry(src, p))) {
      return { end: trimEnd(src, p), next: p, semicolon: undefined };
    }
    let lineStart = false;
    while (p < n) {
      const c = src.charCodeAt(p);
      if (c === SEMI) return { end: trimEnd(src, p), next: p + 1, semicolon: { start: p, end: p + 1 } };
      if (c === NEWLINE) {
        lineStart = true;
        p++;
        continue;
      }
      if (c === HASH) {
        // `#` after `/` or inside a label is a label character; elsewhere it starts a comment.
        const prev = p > 0 ? src.charCodeAt(p - 1) : -1;
        if (prev !== SLASH && !isLabelChar(prev)) {
          while (p < n && src.charCodeAt(p) !== NEWLINE) p++;
          continue;
        }
      }
      if (isJavaWhitespace(c)) {
        p++;
        continue;
      }
      if (lineStart && c === SLASH && startsDentry(src, p)) return { end: trimEnd(src, p), next: p, semicolon: undefined };
      lineStart = false;
      p++;
    }
    return { end: trimEnd(src, n), next: n, semicolon: undefined };
  }
}

/**
 * A stretch of a parse whose nodes move together: one turn of parseDtab's loop (a dentry, or a
 * broken one, with the spaces and comments before it). Nodes of an anchored parse keep the offsets
 * they were read at and add `at`: an incremental parse moves every node after an edit by changing
 * one number per segment, never the nodes. `start` is where the turn began (before its spaces).
 */
export interface Segment {
  /** Where the turn of the loop began, as read (now at `start + at`). */
  readonly start: number;
  at: number;
}

/** The text that nodes read their labels from: one holder, updated by an incremental parse. */
export interface TextRef {
  text: string;
}

/** The segment an entry or a comment of an anchored parse belongs to (FIXED in a plain parse). */
export function segmentOf(node: Span): Segment {
  return (node as { seg?: Segment }).seg ?? FIXED;
}

/** The segment of a plain parse: never moved. */
const FIXED: Segment = Object.freeze({ start: 0, at: 0 }) as Segment;

/** A span in an anchored parse. */
class ASpan implements Span {
  constructor(
    readonly seg: Segment,
    private readonly s: number,
    private readonly e: number,
  ) {}
  get start(): number {
    return this.s + this.seg.at;
  }
  get end(): number {
    return this.e + this.seg.at;
  }
}

/** A tree node of an anchored parse: the literal's other fields, and start/end that move. */
class ANode {
  constructor(
    readonly seg: Segment,
    private readonly s: number,
    private readonly e: number,
  ) {}
  get start(): number {
    return this.s + this.seg.at;
  }
  get end(): number {
    return this.e + this.seg.at;
  }
}

function anchorNode<T extends Span>(seg: Segment, o: T): T {
  const n = new ANode(seg, o.start, o.end) as unknown as Record<string, unknown>;
  for (const k of Object.keys(o)) if (k !== 'start' && k !== 'end') n[k] = (o as unknown as Record<string, unknown>)[k];
  return n as unknown as T;
}

/** A label node, created on demand from its path's boundaries. */
class Label implements LabelSyntax {
  readonly kind = 'label';
  constructor(
    readonly start: number,
    readonly end: number,
    readonly value: string,
  ) {}
}

/** A label of an anchored parse. */
class ALabel implements LabelSyntax {
  readonly kind = 'label';
  constructor(
    private readonly seg: Segment,
    private readonly s: number,
    private readonly e: number,
    readonly value: string,
  ) {}
  get start(): number {
    return this.s + this.seg.at;
  }
  get end(): number {
    return this.e + this.seg.at;
  }
}

/**
 * A path or prefix. Label boundaries are kept in one flat array and label nodes are made only when
 * asked for: a large dtab has hundreds of thousands of labels, and most are never looked at.
 * In a prefix, an element whose text is exactly `*` is the wildcard (an escaped star is `\x2a`).
 */
/** A growable buffer of label boundaries shared by all paths of one parse. */
interface Bounds {
  data: Int32Array;
  size: number;
}


/**
 * Label texts that outlive the text they were read from, as strings of their own. A slice of 13
 * characters or more is, in V8, a view that keeps the whole text alive: after each edit of a large
 * document, every label read from that version would keep a copy of the document. Long labels
 * repeat (the same service in a prefix and a destination), so one string serves them all.
 */
const owned = new Map<string, string>();
const OWNED_MAX = 200_000;

function own(label: string): string {
  // Shorter slices are copies already (and interning them costs more time than it saves memory).
  if (label.length < 13) return label;
  const known = owned.get(label);
  if (known !== undefined) return known;
  if (owned.size >= OWNED_MAX) owned.clear();
  // Joining makes a new string, with no tie to the text the label was sliced from.
  const copy = label.split('').join('');
  owned.set(copy, copy);
  return copy;
}

class ElemsNode {
  /** The end as read (see Segment). */
  e = 0;
  private readonly from: number;
  private count = 0;
  private decoded: Map<number, string> | undefined;
  private cache: (LabelSyntax | WildcardSyntax)[] | undefined;

  constructor(
    readonly kind: 'path' | 'prefix',
    private readonly ref: TextRef,
    private readonly s: number,
    private readonly bounds: Bounds,
    private readonly seg: Segment,
  ) {
    this.from = bounds.size;
  }

  get start(): number {
    return this.s + this.seg.at;
  }

  get end(): number {
    return this.e + this.seg.at;
  }

  add(start: number, end: number, decoded: string | undefined): void {
    const b = this.bounds;
    // Paths are parsed one at a time, so this node's labels stay contiguous in the buffer.
    if (b.size + 2 > b.data.length) {
      const bigger = new Int32Array(b.data.length * 2);
      bigger.set(b.data);
      b.data = bigger;
    }
    if (decoded !== undefined) (this.decoded ??= new Map()).set(this.count, decoded);
    b.data[b.size++] = start;
    b.data[b.size++] = end;
    this.count++;
  }

  get labels(): readonly LabelSyntax[] {
    return this.materialize() as LabelSyntax[];
  }

  /** The labels' values (escapes decoded), without making label nodes: what lowering needs. */
  get values(): string[] {
    const out: string[] = new Array(this.count);
    const data = this.bounds.data;
    const src = this.ref.text;
    const at = this.seg.at;
    for (let k = 0; k < this.count; k++) out[k] = this.decoded?.get(k) ?? own(src.slice(data[this.from + 2 * k]! + at, data[this.from + 2 * k + 1]! + at));
    return out;
  }

  /** A prefix's elements: labels and wildcards. */
  get elems(): readonly (LabelSyntax | WildcardSyntax)[] {
    return this.materialize();
  }

  private materialize(): (LabelSyntax | WildcardSyntax)[] {
    if (this.cache) return this.cache;
    const out: (LabelSyntax | WildcardSyntax)[] = [];
    const data = this.bounds.data;
    const src = this.ref.text;
    const seg = this.seg;
    const at = seg.at;
    for (let k = 0; k < this.count; k++) {
      const start = data[this.from + 2 * k]!;
      const end = data[this.from + 2 * k + 1]!;
      const wildcard = this.kind === 'prefix' && end - start === 1 && src.charCodeAt(start + at) === STAR;
      if (seg === FIXED) {
        if (wildcard) out.push({ kind: 'wildcard', start, end });
        else out.push(new Label(start, end, this.decoded?.get(k) ?? own(src.slice(start, end))));
      } else if (wildcard) out.push(anchorNode<WildcardSyntax>(seg, { kind: 'wildcard', start, end }));
      else out.push(new ALabel(seg, start, end, this.decoded?.get(k) ?? own(src.slice(start + at, end + at))));
    }
    return (this.cache = out);
  }
}

/** A dentry: the `=>` and `;` are kept as offsets and made into spans when asked for. */
class DentryNode implements DentrySyntax {
  semicolonAt = -1;

  constructor(
    readonly seg: Segment,
    private readonly s: number,
    private readonly e: number,
    readonly prefix: PrefixSyntax,
    private readonly arrowAt: number,
    readonly dst: TreeSyntax,
  ) {}

  get kind(): 'dentry' {
    return 'dentry';
  }

  get start(): number {
    return this.s + this.seg.at;
  }

  get end(): number {
    return this.e + this.seg.at;
  }

  get arrow(): Span {
    const at = this.arrowAt + this.seg.at;
    return { start: at, end: at + 2 };
  }

  get semicolon(): Span | undefined {
    if (this.semicolonAt < 0) return undefined;
    const at = this.semicolonAt + this.seg.at;
    return { start: at, end: at + 1 };
  }

  set semicolon(s: Span | undefined) {
    this.semicolonAt = s ? s.start - this.seg.at : -1;
  }
}

/** A broken dentry (see DentryNode: the `;` is kept as an offset). */
class BrokenNode implements BrokenDentrySyntax {
  constructor(
    readonly seg: Segment,
    private readonly s: number,
    private readonly e: number,
    readonly error: DtabSyntaxError,
    readonly prefix: PrefixSyntax | undefined,
    private semicolonAt: number,
  ) {}

  get kind(): 'broken' {
    return 'broken';
  }

  get start(): number {
    return this.s + this.seg.at;
  }

  get end(): number {
    return this.e + this.seg.at;
  }

  get semicolon(): Span | undefined {
    if (this.semicolonAt < 0) return undefined;
    const at = this.semicolonAt + this.seg.at;
    return { start: at, end: at + 1 };
  }

  set semicolon(s: Span | undefined) {
    this.semicolonAt = s ? s.start - this.seg.at : -1;
  }
}

/**
 * Whether a dentry head, `/` [label {`/` label}] then spaces or tabs and `=>`, starts at `at` (a
 * label here is showable characters, `*` and `\xHH` escapes). A scan, not a regular expression:
 * a regular expression backtracks over every character of a long label and overflows on megabytes.
 */
function startsDentry(src: string, at: number): boolean {
  let i = at + 1;
  let j = headLabelEnd(src, i);
  if (j > i) {
    i = j;
    while (src.charCodeAt(i) === SLASH && (j = headLabelEnd(src, i + 1)) > i + 1) i = j;
  }
  while (src.charCodeAt(i) === 0x20 || src.charCodeAt(i) === 0x09) i++;
  return src.charCodeAt(i) === EQUALS && src.charCodeAt(i + 1) === GT;
}

function headLabelEnd(src: string, i: number): number {
  for (;;) {
    const c = src.charCodeAt(i);
    if (isShowable(c) || c === STAR) i++;
    else if (c === BACKSLASH && src.charCodeAt(i + 1) === LOWER_X && isHexChar(src.charCodeAt(i + 2)) && isHexChar(src.charCodeAt(i + 3))) i += 4;
    else return i;
  }
}

function firstOnLine(src: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    const c = src.charCodeAt(i);
    if (c === NEWLINE) return true;
    if (!isJavaWhitespace(c)) return false;
  }
  return true;
}

function trimEnd(src: string, end: number): number {
  while (end > 0 && isJavaWhitespace(src.charCodeAt(end - 1))) end--;
  return end;
}

/** A byte string from its bytes (in slices: spreading a long label into one call overflows the stack). */
function bytesToString(bytes: readonly number[]): string {
  const CHUNK = 8192;
  if (bytes.length <= CHUNK) return String.fromCharCode(...bytes);
  let out = '';
  for (let k = 0; k < bytes.length; k += CHUNK) out += String.fromCharCode(...bytes.slice(k, k + CHUNK));
  return out;
}

/** `(` inside MAX_NESTING open parentheses: where Finagle's own parser would recurse on and on. */
function nestingTooDeep(p: Parser, at: number): DtabSyntaxError {
  return p.syntaxError(
    at,
    'nesting',
    LPAREN,
    'nesting-too-deep',
    `Parentheses nested more than ${MAX_NESTING} deep: this tool stops reading here. Remove redundant parentheses (\`((/a))\` is just \`/a\`).`,
    { start: at, end: at + 1 },
    "(no Finagle message: Finagle has no nesting limit; its recursive parser fails with java.lang.StackOverflowError once the nesting outgrows the JVM thread's stack)",
  );
}

// ---- entry points ---------------------------------------------------------------------------

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: DtabSyntaxError };

function parseAll<T>(src: string, what: Context['what'], rule: (p: Parser) => T, endWhat: string): ParseResult<T> {
  const p = new Parser(src, { what });
  try {
    const value = rule(p);
    p.eatWhitespace();
    p.ensureEnd(endWhat);
    return { ok: true, value };
  } catch (e) {
    if (e instanceof DtabSyntaxError) return { ok: false, error: e };
    throw e;
  }
}

/** Path.read */
export function parsePath(src: string): ParseResult<PathSyntax> {
  return parseAll(src, 'path', (p) => p.parsePath(), 'path');
}

/** Dentry.Prefix.read */
export function parsePrefix(src: string): ParseResult<PrefixSyntax> {
  return parseAll(src, 'prefix', (p) => p.parsePrefix(), 'prefix');
}

/** NameTree.read */
export function parseTree(src: string): ParseResult<TreeSyntax> {
  return parseAll(src, 'tree', (p) => p.parseTree(), 'destination');
}

/** Dentry.read (a trailing `;` is an error here, as in Finagle). */
export function parseDentry(src: string): ParseResult<DentrySyntax> {
  return parseAll(src, 'dentry', (p) => p.parseDentry(), 'dentry');
}

/** Dtab.read, with recovery: never throws, returns every entry and every error. */
export function parseDtab(src: string): DtabSyntax {
  const p = new Parser(src, { what: 'dtab' });
  const { entries, errors } = p.parseDtab();
  return { text: src, entries, comments: p.comments, errors };
}

/** What parseDtabSegments read: the entries, comments and errors of its segments, in source order. */
export interface SegmentsParse {
  readonly entries: EntrySyntax[];
  readonly comments: Span[];
  readonly errors: DtabSyntaxError[];
  /** One per turn of the loop, in order (the last may hold only spaces and comments). */
  readonly segments: Segment[];
  /** Where reading stopped: the start of the segment `stop` accepted, or the end of the text. */
  readonly end: number;
}

/**
 * parseDtab from `from` (where a segment starts) until `stop` accepts the start of a segment or
 * the text ends, with anchored nodes: every node belongs to its segment and reads the text through
 * `ref` (see Segment). What an incremental parse re-reads after an edit.
 */
export function parseDtabSegments(ref: TextRef, from: number, stop?: (at: number) => boolean): SegmentsParse {
  const src = ref.text;
  // The boundaries buffer grows as needed: start small (a few dentries are the usual region).
  const p = new Parser(src, { what: 'dtab' }, true, ref, stop ? 1024 : src.length - from + 2);
  p.i = from;
  const segments: Segment[] = [];
  const { entries, errors } = p.parseDtab(segments, stop);
  return { entries, comments: p.comments, errors, segments, end: p.i };
}
