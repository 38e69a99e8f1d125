// namerd's dtab representations (§5.2, §5.5), pure: the JSON dentries `[{"prefix","dst"}]` read
// through the core's parser (Dentry.Prefix.read / NameTree.read), namerctl's pretty and compact
// forms, and namerctl's JSON input file `{"version","dtab":[…]}`.

import { Dtab, type Dentry } from '../model/dtab.js';
import { showPathTree, showPrefix } from '../print/show.js';
import { parsePrefix, parseTree } from '../syntax/parser.js';
import { lowerPrefix, lowerTree } from '../syntax/lower.js';

/** One dentry as namerd's JSON codec writes it: Prefix.show and NameTree.show. */
export interface JsonDentry {
  readonly prefix: string;
  readonly dst: string;
}

/** The JSON form of a dtab (what namerd serves for `Accept: application/json`). */
export function jsonDentries(dtab: Dtab): JsonDentry[] {
  return dtab.dentries.map((d) => ({ prefix: showPrefix(d.prefix), dst: showPathTree(d.dst) }));
}

/**
 * namerctl's pretty form (`N:namer/dtab.go`): M = the longest prefix; each line is the prefix, two
 * spaces, M − its length more, `=> `, the destination and ` ;`. Every line ends with `\n`.
 */
export function prettyDtab(dentries: readonly JsonDentry[]): string {
  let m = 0;
  for (const d of dentries) m = Math.max(m, d.prefix.length);
  let out = '';
  for (const d of dentries) out += `${d.prefix}  ${' '.repeat(m - d.prefix.length)}=> ${d.dst} ;\n`;
  return out;
}

/** namerctl's compact form (`--pretty=false`): `prefix=>dst;` for every dentry, no separators. */
export function compactDtab(dentries: readonly JsonDentry[]): string {
  let out = '';
  for (const d of dentries) out += `${d.prefix}=>${d.dst};`;
  return out;
}

export type DecodedDentries =
  | { readonly ok: true; readonly dtab: Dtab; readonly dentries: JsonDentry[] }
  /**
   * `malformed`: not an array of `{prefix, dst}` strings (namerd: 400, empty body);
   * `null`: an array holding `null` (namerd: 400 `The dtab contains invalid dentries: …`);
   * `invalid`: a string that does not parse (`message` is the parser's Finagle message).
   */
  | { readonly ok: false; readonly reason: 'malformed' | 'null' | 'invalid'; readonly message: string };

/** A parsed JSON value as namerd's JSON codec reads it: each string through the core's parser. */
export function decodeDentries(value: unknown): DecodedDentries {
  if (!Array.isArray(value)) return { ok: false, reason: 'malformed', message: `expected an array of {"prefix", "dst"} objects, found ${kindOf(value)}` };
  const out: Dentry[] = [];
  for (let i = 0; i < value.length; i++) {
    const e: unknown = value[i];
    if (e === null) return { ok: false, reason: 'null', message: `dentry ${i + 1} is null` };
    if (typeof e !== 'object' || Array.isArray(e)) return { ok: false, reason: 'malformed', message: `dentry ${i + 1}: expected an object, found ${kindOf(e)}` };
    const o = e as Record<string, unknown>;
    if (typeof o.prefix !== 'string') return { ok: false, reason: 'malformed', message: `dentry ${i + 1}: "prefix" must be a string, found ${kindOf(o.prefix)}` };
    if (typeof o.dst !== 'string') return { ok: false, reason: 'malformed', message: `dentry ${i + 1}: "dst" must be a string, found ${kindOf(o.dst)}` };
    const prefix = parsePrefix(o.prefix);
    if (!prefix.ok) return { ok: false, reason: 'invalid', message: `dentry ${i + 1}: prefix: ${prefix.error.finagleMessageShort}` };
    const dst = parseTree(o.dst);
    if (!dst.ok) return { ok: false, reason: 'invalid', message: `dentry ${i + 1}: dst: ${dst.error.finagleMessageShort}` };
    out.push({ prefix: lowerPrefix(prefix.value), dst: lowerTree(dst.value) });
  }
  const dtab = new Dtab(out);
  return { ok: true, dtab, dentries: jsonDentries(dtab) };
}

/** namerctl's JSON input file: `{"version": "…", "dtab": [{"prefix","dst"}…]}`. */
export type NamerctlFile =
  | { readonly ok: true; readonly version: string | undefined; readonly dtab: Dtab; readonly dentries: JsonDentry[] }
  | { readonly ok: false; readonly message: string };

/** Whether namerctl reads this input as JSON: its first character is `{` or `[` (no leading space). */
export function isNamerctlJson(text: string): boolean {
  return text.startsWith('{') || text.startsWith('[');
}

export function parseNamerctlFile(text: string): NamerctlFile {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not valid JSON: ${(e as Error).message}` };
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return { ok: false, message: `expected an object {"version", "dtab": [...]} (as \`namerctl dtab get --json\` writes), found ${kindOf(v)}` };
  const o = v as Record<string, unknown>;
  if (o.version !== undefined && o.version !== null && typeof o.version !== 'string') return { ok: false, message: `"version" must be a string, found ${kindOf(o.version)}` };
  if (o.dtab === undefined) return { ok: false, message: 'no "dtab" array' };
  const d = decodeDentries(o.dtab);
  if (!d.ok) return { ok: false, message: `"dtab": ${d.message}` };
  const version = typeof o.version === 'string' && o.version !== '' ? o.version : undefined;
  return { ok: true, version, dtab: d.dtab, dentries: d.dentries };
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v === undefined) return 'nothing';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}
