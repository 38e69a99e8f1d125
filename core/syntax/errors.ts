// Syntax errors: Finagle's exact message and offset, plus a plain explanation for people.

import { EOI, LOOKALIKES } from './chars.js';
import type { Span } from './ast.js';

/** Stable codes, one per thing that can go wrong. */
export type SyntaxErrorCode =
  | 'expected-slash'
  | 'expected-arrow'
  | 'split-arrow'
  | 'expected-close-paren'
  | 'expected-star'
  | 'expected-x'
  | 'expected-hex'
  | 'expected-label'
  | 'expected-term'
  | 'number-char'
  | 'lone-dot-weight'
  | 'number-format'
  | 'expected-end';

export class DtabSyntaxError extends Error {
  constructor(
    /** The text that was parsed (Finagle's message quotes all of it). */
    readonly input: string,
    /** Finagle's error index: the bracketed character (input.length at end of input). */
    readonly index: number,
    /** Finagle's `<expected>`: `'='`, `label char`, `simple`, `end of input`, ... */
    readonly expected: string,
    /** The character Finagle names as found (EOI for end of input). */
    readonly found: number,
    readonly code: SyntaxErrorCode,
    /** What a person should read. */
    readonly plain: string,
    /** Where to point: usually the found character; empty at end of input. */
    readonly span: Span,
    /** Set for errors that are not positional in Finagle (NumberFormatException). */
    readonly javaMessage?: string,
  ) {
    super(plain);
    this.name = 'DtabSyntaxError';
  }

  /** Finagle's message, to the character: `<expected> expected but <found> found at '<display>'`. */
  get finagleMessage(): string {
    if (this.javaMessage !== undefined) return this.javaMessage;
    return finagleMessage(this.input, this.index, this.expected, this.found);
  }
}

export function finagleMessage(input: string, index: number, expected: string, found: number): string {
  const display =
    index >= input.length ? `${input}[]` : `${input.slice(0, index)}[${input[index]}]${input.slice(index + 1)}`;
  return `${expected} expected but ${stringOfChar(found)} found at '${display}'`;
}

function stringOfChar(c: number): string {
  return c === EOI ? 'end of input' : `'${String.fromCharCode(c)}'`;
}

/** A description of a found character for plain messages. */
export function describeChar(c: number, atEnd: boolean): string {
  if (atEnd) return 'the end of the text';
  const look = LOOKALIKES.get(c);
  if (look) return `a ${look.name}`;
  switch (c) {
    case 0x20:
      return 'a space';
    case 0x0a:
      return 'a line break';
    case 0x0d:
      return 'a carriage return';
    case 0x09:
      return 'a tab';
  }
  if (c < 0x20 || c === 0x7f) return `the control character U+${hex4(c)}`;
  if (c > 0x7e) return `\`${String.fromCharCode(c)}\` (U+${hex4(c)})`;
  return `\`${String.fromCharCode(c)}\``;
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
  if (c > 0x7e && c !== EOI) {
    const bytes = [...Buffer.from(String.fromCharCode(c), 'utf8')].map((b) => `\\x${b.toString(16).padStart(2, '0')}`);
    return ` Labels are ASCII: write other characters as their UTF-8 bytes (${bytes.join('')}).`;
  }
  return '';
}
