// Paths are sequences of byte strings: each element is a JS string whose char codes are bytes
// (0..255), so equality, prefix tests and map keys are plain string operations.

export type Path = readonly string[];

export const EMPTY_PATH: Path = Object.freeze([]) as Path;

export function pathEquals(a: Path, b: Path): boolean {
  if (a.length !== b.length) return false;
  // Stryker disable next-line EqualityOperator: the lengths are equal here, so a[n] and b[n] are both undefined
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function startsWith(path: Path, prefix: Path): boolean {
  // Stryker disable next-line ConditionalExpression: a longer prefix fails anyway at its first element past the path (path[i] is undefined)
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** Decode a byte-string element as UTF-8 text for people (invalid sequences become U+FFFD). */
export function elemToText(elem: string): string {
  // Stryker disable next-line BooleanLiteral: the ASCII fast path: decoding ASCII as UTF-8 gives the same text
  let ascii = true;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the ASCII fast path: charCodeAt(length) is NaN, and decoding ASCII (0x7f included) as UTF-8 gives the same text
  for (let i = 0; i < elem.length; i++) if (elem.charCodeAt(i) > 0x7f) ascii = false;
  // Stryker disable next-line ConditionalExpression: the ASCII fast path: decoding ASCII as UTF-8 gives the same text
  if (ascii) return elem;
  return Buffer.from(elem, 'latin1').toString('utf8');
}

/** Encode text as a byte-string element (UTF-8). */
export function textToElem(text: string): string {
  // Stryker disable next-line BooleanLiteral: the ASCII fast path: encoding ASCII as UTF-8 gives the same bytes
  let ascii = true;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: the ASCII fast path: charCodeAt(length) is NaN, and encoding ASCII (0x7f included) as UTF-8 gives the same bytes
  for (let i = 0; i < text.length && ascii; i++) if (text.charCodeAt(i) > 0x7f) ascii = false;
  return ascii ? text : Buffer.from(text, 'utf8').toString('latin1');
}
