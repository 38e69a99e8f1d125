// Character classes of Finagle's NameTreeParsers, on UTF-16 code units exactly as the JVM sees them.

/** The parser's end-of-input marker is Char.MaxValue; a literal U+FFFF in the input reads the same. */
export const EOI = 0xffff;

const SHOWABLE = new Uint8Array(128);
for (const c of '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_:.#$%-') SHOWABLE[c.charCodeAt(0)] = 1;

/** Path.showableChars: printed as is in a label. */
export function isShowable(c: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: SHOWABLE[c] is undefined from 128 on, so the bound only saves a lookup
  return c < 128 && SHOWABLE[c] === 1;
}

/** A character that can start or continue a label: showable, or `\` (an escape). */
export function isLabelChar(c: number): boolean {
  // Stryker disable next-line ConditionalExpression,EqualityOperator: SHOWABLE[c] is undefined from 128 on, so the bound only saves a lookup
  return (c < 128 && SHOWABLE[c] === 1) || c === 0x5c;
}

/**
 * Java's Character.isWhitespace: not JavaScript's `\s`. The no-break spaces U+00A0, U+2007 and
 * U+202F are NOT whitespace (so NBSP in a dtab is a syntax error), while U+001C..U+001F are.
 */
export function isJavaWhitespace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x1f);
  // Stryker disable next-line ConditionalExpression: a shortcut (nothing in 0x21..0x167f matches below); its `true` twin is skipped with it
  if (c < 0x1680) return false;
  return (
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x2006) ||
    (c >= 0x2008 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x205f ||
    c === 0x3000
  );
}

// Stryker disable next-line Regex: it is only tested on one UTF-16 unit, so the anchors change nothing
const UNICODE_DIGIT = /^\p{Nd}$/u;

/** Java Character.isDigit on one UTF-16 unit (any Unicode decimal digit), or `.`. */
export function isNumberChar(c: number): boolean {
  if (c === 0x2e || (c >= 0x30 && c <= 0x39)) return true;
  if (c < 0x660) return false;
  // Stryker disable next-line ConditionalExpression,EqualityOperator,LogicalOperator: a lone surrogate is never \p{Nd}: this only spares the regex
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return UNICODE_DIGIT.test(String.fromCharCode(c));
}

export function isHexChar(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

export function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}

/** Characters that look like whitespace or ASCII punctuation but are not, with their usual stand-in. */
export const LOOKALIKES: ReadonlyMap<number, { name: string; replacement: string }> = new Map([
  [0x00a0, { name: 'no-break space (U+00A0)', replacement: ' ' }],
  [0x2007, { name: 'figure space (U+2007)', replacement: ' ' }],
  [0x202f, { name: 'narrow no-break space (U+202F)', replacement: ' ' }],
  [0x200b, { name: 'zero-width space (U+200B)', replacement: '' }],
  [0xfeff, { name: 'zero-width no-break space (U+FEFF)', replacement: '' }],
  [0x2215, { name: 'division slash (U+2215)', replacement: '/' }],
  [0x2044, { name: 'fraction slash (U+2044)', replacement: '/' }],
  [0xff0f, { name: 'fullwidth solidus (U+FF0F)', replacement: '/' }],
  [0x2010, { name: 'hyphen (U+2010)', replacement: '-' }],
  [0x2011, { name: 'non-breaking hyphen (U+2011)', replacement: '-' }],
  [0x2012, { name: 'figure dash (U+2012)', replacement: '-' }],
  [0x2013, { name: 'en dash (U+2013)', replacement: '-' }],
  [0x2014, { name: 'em dash (U+2014)', replacement: '-' }],
  [0x2212, { name: 'minus sign (U+2212)', replacement: '-' }],
  [0x2192, { name: 'rightwards arrow (U+2192)', replacement: '=>' }],
  [0x21d2, { name: 'rightwards double arrow (U+21D2)', replacement: '=>' }],
  [0xff1d, { name: 'fullwidth equals sign (U+FF1D)', replacement: '=' }],
  [0xff1b, { name: 'fullwidth semicolon (U+FF1B)', replacement: ';' }],
  [0x037e, { name: 'Greek question mark (U+037E)', replacement: ';' }],
  [0xff5c, { name: 'fullwidth vertical line (U+FF5C)', replacement: '|' }],
  [0xff06, { name: 'fullwidth ampersand (U+FF06)', replacement: '&' }],
  [0x2217, { name: 'asterisk operator (U+2217)', replacement: '*' }],
  [0xff0a, { name: 'fullwidth asterisk (U+FF0A)', replacement: '*' }],
]);
