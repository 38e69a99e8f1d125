// The properties of the parser, printer and formatter, shared by the unit suite (bounded runs)
// and the long fuzz run (`npm run fuzz`).

import { isJavaWhitespace } from '../../core/syntax/chars.js';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  checkDtab,
  formatDtab,
  lowerDtab,
  parseDentry,
  parseDtab,
  parsePath,
  parsePrefix,
  parseTree,
  prefixMatches,
  showDtab,
  showPathTree,
  alt,
  NEG,
  mapTree,
  type Dtab,
  type NameTree,
  type Path,
} from '../../core/index.js';
import { anyText, dtab, noisyDtab, path } from './arbitraries.js';

export interface Property {
  readonly name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly property: fc.IProperty<any>;
}

export function neverThrows(text: string): void {
  const s = parseDtab(text);
  checkDtab(s);
  formatDtab(s);
  parsePath(text);
  parsePrefix(text);
  parseTree(text);
  parseDentry(text);
  // The first error's offset is inside the text (or at its end), and every error points into it.
  for (const e of s.errors) assert.ok(e.span.start >= 0 && e.span.end <= text.length && e.span.start <= e.span.end);
}

/** Every character that is not whitespace or a comment belongs to an entry or its `;`. */
export function nothingLost(text: string): void {
  const s = parseDtab(text);
  const covered = new Uint8Array(text.length);
  const mark = (a: number, b: number) => covered.fill(1, a, b);
  for (const e of s.entries) {
    mark(e.start, e.end);
    if (e.semicolon) mark(e.semicolon.start, e.semicolon.end);
  }
  for (const c of s.comments) mark(c.start, c.end + 1);
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    // Java's Character.isWhitespace, as Finagle's parser skips (U+2002 and U+3000 too, not NBSP).
    const space = isJavaWhitespace(ch);
    if (!covered[i] && !space) assert.fail(`character ${JSON.stringify(text[i])} at ${i} belongs to no entry in ${JSON.stringify(text)}`);
  }
}

export function roundTrips(text: string): void {
  const s = parseDtab(text);
  assert.deepEqual(s.errors.map((e) => e.finagleMessage), [], 'generated dtabs are valid');
  const model = lowerDtab(s);
  const formatted = formatDtab(s)!;
  assert.notEqual(formatted, undefined);
  const again = parseDtab(formatted);
  assert.deepEqual(again.errors.length, 0, formatted);
  assert.deepEqual(lowerDtab(again).dentries, model.dentries, 'the formatted dtab is the same dtab');
  assert.equal(formatDtab(again), formatted, 'formatting is idempotent');
  const shown = showDtab(model);
  const reparsed = parseDtab(shown);
  assert.equal(reparsed.errors.length, 0, shown);
  assert.equal(showDtab(lowerDtab(reparsed)), shown, 'show is a fixed point');
}

/** Dtab.lookup by the definition: scan every dentry, latest first. */
function lookupByScan(d: Dtab, p: Path): NameTree<Path> {
  const ms: NameTree<Path>[] = [];
  for (let i = d.dentries.length - 1; i >= 0; i--) {
    const e = d.dentries[i]!;
    if (prefixMatches(e.prefix, p)) ms.push(mapTree(e.dst, (x) => x.concat(p.slice(e.prefix.length))));
  }
  return ms.length === 0 ? NEG : ms.length === 1 ? ms[0]! : alt(ms);
}

export function lookupAgrees(text: string, pathText: string): void {
  const s = parseDtab(text);
  const d = lowerDtab(s);
  const p = parsePath(pathText);
  if (!p.ok) return;
  const elems = p.value.labels.map((l) => l.value);
  assert.equal(showPathTree(d.lookup(elems)), showPathTree(lookupByScan(d, elems)));
}

export const properties: Property[] = [
  { name: 'any text: parsing, checking and formatting never throw', property: fc.property(anyText, neverThrows) },
  { name: 'mutated dtabs: never throw', property: fc.property(noisyDtab, neverThrows) },
  { name: 'mutated dtabs: recovery loses no text', property: fc.property(noisyDtab, nothingLost) },
  { name: 'valid dtabs: format and show round-trip', property: fc.property(dtab, roundTrips) },
  {
    name: 'Dtab.lookup through the index equals a scan of every dentry',
    property: fc.property(dtab, fc.oneof(path, fc.constantFrom('/svc/a', '/a/b/c', '/')), lookupAgrees),
  },
];
