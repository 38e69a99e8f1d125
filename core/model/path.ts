// Paths are sequences of byte strings: each element is a JS string whose char codes are bytes
// (0..255), so equality, prefix tests and map keys are plain string operations.

export type Path = readonly string[];

export const EMPTY_PATH: Path = Object.freeze([]) as Path;

export function pathEquals(a: Path, b: Path): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function startsWith(path: Path, prefix: Path): boolean {
  if (prefix.length > path.length) return false;
  for (let i = 0; i < prefix.length; i++) if (path[i] !== prefix[i]) return false;
  return true;
}

/** Decode a byte-string element as UTF-8 text for people (invalid sequences become U+FFFD). */
export function elemToText(elem: string): string {
  let ascii = true;
  for (let i = 0; i < elem.length; i++) if (elem.charCodeAt(i) > 0x7f) ascii = false;
  if (ascii) return elem;
  return Buffer.from(elem, 'latin1').toString('utf8');
}

/** Encode text as a byte-string element (UTF-8). */
export function textToElem(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) if (text.charCodeAt(i) > 0x7f) ascii = false;
  return ascii ? text : Buffer.from(text, 'utf8').toString('latin1');
}
