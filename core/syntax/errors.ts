// Syntax errors: Finagle's exact message and offset, plus a plain explanation for people.

import { EOI, LOOKALIKES } from './chars.js';
import type { Span } from '../text/span.js';

/** Stable codes, one per thing that can go wrong. */
export const SYNTAX_ERROR_CODES = [
  'expected-slash',
  'expected-arrow',
  'split-arrow',
  'expected-close-paren',
  'expected-star',
  'expected-x',
  'expected-hex',
  'expected-label',
  'expected-term',
  'number-char',
  'lone-dot-weight',
  'number-format',
  'expected-end',
  'nesting-too-deep',
] as const;

export type SyntaxErrorCode = (typeof SYNTAX_ERROR_CODES)[number];

/**
 * A syntax error. It is an `Error` (its prototype chain says so: `instanceof Error` holds and
 * `String(e)` reads `DtabSyntaxError: <plain>`), but it is made without calling Error's
 * constructor, so it captures no stack trace: the parser makes one per broken dentry, and a
 * hostile document can have a million of them. `stack` is undefined.
 */
export class DtabSyntaxError implements Error {
  private readonly source: string | { readonly text: string };
  private readonly rawIndex: number;
  private readonly anchor: { readonly at: number } | undefined;

  constructor(
    /**
     * The text that was parsed (Finagle's message quotes all of it), or a holder of it: an
     * incremental parse keeps its errors valid as the text around them changes (see parser.ts).
     */
    input: string | { readonly text: string },
    /** Finagle's error index: the bracketed character (input.length at end of input). */
    index: number,
    /** Finagle's `<expected>`: `'='`, `label char`, `simple`, `end of input`, ... */
    readonly expected: string,
    /** The character Finagle names as found (EOI for end of input). */
    readonly found: number,
    readonly code: SyntaxErrorCode,
    /** What a person should read. */
    readonly plain: string,
    /** Where to point: usually the found character; empty at end of input. */
    readonly span: Span,
    /** Set for errors that are not positional in Finagle (NumberFormatException, nesting-too-deep). */
    readonly javaMessage?: string,
    /** Moves `index` with the text around it (an incremental parse's segment). */
    anchor?: { readonly at: number },
  ) {
    this.source = input;
    this.rawIndex = index;
    this.anchor = anchor;
  }

  /** The text that was parsed (Finagle's message quotes all of it). */
  get input(): string {
    const s = this.source;
    return typeof s === 'string' ? s : s.text;
  }

  /** Finagle's error index: the bracketed character (input.length at end of input). */
  get index(): number {
    return this.anchor === undefined ? this.rawIndex : this.rawIndex + this.anchor.at;
  }

  /** Always undefined: no stack trace is captured (see above). */
  declare readonly stack?: string;

  get name(): string {
    return 'DtabSyntaxError';
  }

  get message(): string {
    return this.plain;
  }

  /**
   * Finagle's message, to the character: `<expected> expected but <found> found at '<display>'`.
   * It quotes the WHOLE input (as Finagle does), so it is as long as the document: made anew on
   * each read, never stored. For display, use `finagleMessageShort` / `elidedFinagleMessage`.
   */
  get finagleMessage(): string {
    if (this.javaMessage !== undefined) return this.javaMessage;
    return finagleMessage(this.input, this.index, this.expected, this.found);
  }

  /** Finagle's message with the quoted input cut to at most 200 characters around the error. */
  get finagleMessageShort(): string {
    return this.elidedFinagleMessage();
  }

  /**
   * Finagle's message with the quoted input cut to at most `maxQuote` characters around the error
   * (`…` marks each cut); the exact message when the input is that short.
   */
  elidedFinagleMessage(maxQuote = DEFAULT_MAX_QUOTE): string {
    if (this.javaMessage !== undefined) return elide(this.javaMessage, Math.max(maxQuote, 1) + JAVA_MESSAGE_SLACK);
    return elidedFinagleMessage(this.input, this.index, this.expected, this.found, maxQuote);
  }
}
// Not made by Error's constructor (see above), but an Error all the same.
Object.setPrototypeOf(DtabSyntaxError.prototype, Error.prototype);

/** How much of the input the short form of Finagle's message quotes. */
export const DEFAULT_MAX_QUOTE = 200;
/** Room for a Java message's own words around what it quotes (`For input string: "…"`). */
const JAVA_MESSAGE_SLACK = 20;

export function finagleMessage(input: string, index: number, expected: string, found: number): string {
  const display =
    index >= input.length ? `${input}[]` : `${input.slice(0, index)}[${input[index]}]${input.slice(index + 1)}`;
  return `${expected} expected but ${stringOfChar(found)} found at '${display}'`;
}

/**
 * `finagleMessage` with the quoted input cut to at most `maxQuote` characters around `index`, with
 * `…` where text was cut: `'/' expected but ';' found at '…;;;;[;];;;;…'`.
 */
export function elidedFinagleMessage(input: string, index: number, expected: string, found: number, maxQuote = DEFAULT_MAX_QUOTE): string {
  const max = Math.max(1, Math.floor(maxQuote));
  // Stryker disable next-line ConditionalExpression,EqualityOperator: a shortcut: the window below covers the whole of an input this short, with no cut
  if (input.length <= max) return finagleMessage(input, index, expected, found);
  const atEnd = index >= input.length;
  // A window of `max` characters, the error in its middle when there is text on both sides.
  let from = Math.max(0, index - (max >> 1));
  const to = Math.min(input.length, from + max);
  from = Math.max(0, to - max);
  const a = safeStart(input, from);
  const b = safeEnd(input, to);
  const before = `${a > 0 ? '…' : ''}${input.slice(a, Math.min(index, b))}`;
  const display = atEnd ? `${before}[]` : `${before}[${input[index]}]${input.slice(index + 1, Math.max(b, index + 1))}${b < input.length ? '…' : ''}`;
  return `${expected} expected but ${stringOfChar(found)} found at '${display}'`;
}

/** The first `max` characters of a message, then `…` (never splitting a surrogate pair). */
function elide(message: string, max: number): string {
  if (message.length <= max) return message;
  return `${message.slice(0, safeEnd(message, max))}…`;
}

/** Moves a cut start forward off the second half of a surrogate pair. */
function safeStart(s: string, i: number): number {
  return i > 0 && i < s.length && isLow(s.charCodeAt(i)) && isHigh(s.charCodeAt(i - 1)) ? i + 1 : i;
}

/** Moves a cut end back off the middle of a surrogate pair. */
function safeEnd(s: string, i: number): number {
  return i > 0 && i < s.length && isLow(s.charCodeAt(i)) && isHigh(s.charCodeAt(i - 1)) ? i - 1 : i;
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function stringOfChar(c: number): string {
  return c === EOI ? 'end of input' : `'${String.fromCharCode(c)}'`;
}

/** A description of a found character for plain messages. */
export function describeChar(c: number, atEnd: boolean): string {
  if (atEnd) return 'the end of the text';
  const look = LOOKALIKES.get(c);
  if (look) return withArticle(look.name);
  switch (c) {
    case 0x20:
      return 'a space';
    case 0x0a:
      return 'a line break';
    case 0x0d:
      return 'a carriage return';
    case 0x09:
      return 'a tab';
    case 0x60:
      // Not quoted in backticks: Markdown (hovers) would read the three as one code fence.
      return 'a backtick (U+0060)';
  }
  if (c < 0x20 || c === 0x7f) return `the control character U+${hex4(c)}`;
  // Half of a surrogate pair on its own is not a character: quoting it would show U+FFFD.
  if (c >= 0xd800 && c <= 0xdfff) return `the lone surrogate U+${hex4(c)}`;
  if (c > 0x7e) return `\`${String.fromCodePoint(c)}\` (U+${hex4(c)})`;
  return `\`${String.fromCharCode(c)}\``;
}

/** A character's name with its indefinite article: `a hyphen (U+2010)`, `an en dash (U+2013)`. */
export function withArticle(name: string): string {
  return `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;
}

export function hex4(c: number): string {
  return c.toString(16).toUpperCase().padStart(4, '0');
}

/** Extra advice for characters that commonly sneak into dtabs. */
export function charAdvice(c: number): string {
  const look = LOOKALIKES.get(c);
  if (look) {
    return look.replacement === ''
      ? ` It is invisible: delete it.`
      : ` It looks like \`${look.replacement}\` but is not: type a plain \`${look.replacement}\`.`;
  }
  if (c >= 0xd800 && c <= 0xdfff) return ' It is half of a UTF-16 surrogate pair, not a character (the text was cut or mis-encoded): delete it.';
  if (c > 0x7e && c !== EOI) {
    const bytes = [...Buffer.from(String.fromCodePoint(c), 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`);
    return ` Labels are ASCII: write other characters as their UTF-8 bytes (${bytes.join('')}).`;
  }
  return '';
}

/** Text quoted in a message, cut in the middle past `max` characters (messages stay a line long). */
export function clip(text: string, max = 60): string {
  if (text.length <= max) return text;
  const half = Math.floor((max - 1) / 2);
  return `${text.slice(0, half)}…${text.slice(text.length - half)}`;
}
