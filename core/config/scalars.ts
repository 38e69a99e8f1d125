// The scalar types of the catalogue (`str`, `port`, `ip`, `loglevel`, …), described once for
// everything that shows or checks them: the validator's messages ("must be a port number"), hover
// and completion (describeType) and the JSON Schemas (tools/gen-config-schemas.ts). Enumerations
// are read from the catalogue's `_types` descriptions (`binary|compact`), so adding one there is enough.

import { catalogue, type TypeRef } from './catalogue.js';

export type JsonSchema = { [keyword: string]: unknown };

export interface ScalarType {
  /** In messages, after "must be": `a port number (0-65535)`. */
  readonly phrase: string;
  /** In hover and completion: `port`, `` `binary` | `compact` ``. */
  readonly noun: string;
  /** The allowed values of an enumeration. */
  readonly values?: readonly string[];
  /** Whether the values are matched ignoring case (log levels are upper-cased by Linkerd). */
  readonly caseInsensitive?: boolean;
  /** The type as a JSON Schema (draft-07). */
  readonly schema: JsonSchema;
}

const OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])'; // no leading zeros (Guava rejects them)
const IPV4 = `(?:${OCTET}\\.){3}${OCTET}`;
const H16 = '[0-9A-Fa-f]{1,4}';
const LS32 = `(?:${H16}:${H16}|${IPV4})`;
/** RFC 3986 `IPv6address`, i.e. what Guava's InetAddresses.forString accepts (without scope ids). */
const IPV6 = [
  `(?:${H16}:){6}${LS32}`,
  `::(?:${H16}:){5}${LS32}`,
  `(?:${H16})?::(?:${H16}:){4}${LS32}`,
  `(?:(?:${H16}:){0,1}${H16})?::(?:${H16}:){3}${LS32}`,
  `(?:(?:${H16}:){0,2}${H16})?::(?:${H16}:){2}${LS32}`,
  `(?:(?:${H16}:){0,3}${H16})?::${H16}:${LS32}`,
  `(?:(?:${H16}:){0,4}${H16})?::${LS32}`,
  `(?:(?:${H16}:){0,5}${H16})?::${H16}`,
  `(?:(?:${H16}:){0,6}${H16})?::`,
].join('|');
/** An IP literal as Linkerd's `ip` keys take it (Guava's InetAddresses.forString): IPv4 or IPv6. */
export const IP_PATTERN = `^(?:${IPV4}|${IPV6})$`;
/** A Finagle path (Path.read): `/` or `/label(/label)*`, labels of [0-9A-Za-z_:.#$%-] or `\xHH` escapes. */
export const PATH_PATTERN = String.raw`^\s*(?:/|(?:/(?:[0-9A-Za-z_:.#$%-]|\\x[0-9A-Fa-f]{2})+)+)\s*$`;

/** The types that are not enumerations; every one must be in the catalogue's `_types`. */
const FIXED: Record<string, Omit<ScalarType, 'values' | 'caseInsensitive'>> = {
  str: { phrase: 'a string', noun: 'string', schema: { type: 'string' } },
  int: { phrase: 'an integer', noun: 'integer', schema: { type: 'integer' } },
  num: { phrase: 'a number', noun: 'number', schema: { type: 'number' } },
  bool: { phrase: '`true` or `false`', noun: 'boolean', schema: { type: 'boolean' } },
  port: { phrase: 'a port number (0-65535)', noun: 'port', schema: { type: 'integer', minimum: 0, maximum: 65535 } },
  ip: { phrase: 'an IP address', noun: 'IP address', schema: { type: 'string', pattern: IP_PATTERN } },
  path: { phrase: 'a path', noun: 'path', schema: { type: 'string', pattern: PATH_PATTERN } },
  dtab: { phrase: 'a dtab', noun: 'dtab', schema: { type: 'string' } },
  pathmatcher: { phrase: 'a path pattern', noun: 'path pattern', schema: { type: 'string' } },
  file: { phrase: 'a file path', noun: 'file path', schema: { type: 'string' } },
  dir: { phrase: 'a directory path', noun: 'directory path', schema: { type: 'string' } },
};

/** How enumerations that need a word of their own are named (others list their values). */
const ENUM_WORDS: Record<string, { phrase: string; noun: string }> = {
  loglevel: { phrase: 'a log level', noun: 'log level' },
};

const quoted = (v: string) => `\`${v}\``;

/** The scalar types of a catalogue's `_types`; throws for a type it cannot describe. */
export function scalarTypes(types: Record<string, string>): Record<string, ScalarType> {
  const out: Record<string, ScalarType> = {};
  for (const [name, meaning] of Object.entries(types)) {
    if (name.startsWith('{')) continue; // {obj: X} etc. are structural
    const fixed = FIXED[name];
    if (fixed) {
      out[name] = fixed;
      continue;
    }
    const m = /^([A-Za-z]+(?:\|[A-Za-z]+)+)( \(case-insensitive\))?$/.exec(meaning);
    if (!m) throw new Error(`catalogue _types: no description of scalar type '${name}' (${meaning})`);
    const values = m[1]!.split('|');
    const caseInsensitive = m[2] !== undefined;
    const listed = values.map(quoted);
    const words = ENUM_WORDS[name] ?? { phrase: `${listed.slice(0, -1).join(', ')} or ${listed[listed.length - 1]}`, noun: listed.join(' | ') };
    let schema: JsonSchema;
    if (!caseInsensitive) schema = { type: 'string', enum: values };
    else {
      const ci = values.map((v) => [...v].map((c) => (/[a-z]/i.test(c) ? `[${c.toUpperCase()}${c.toLowerCase()}]` : c)).join(''));
      schema = { type: 'string', anyOf: [{ enum: values }, { pattern: `^(?:${ci.join('|')})$` }] };
    }
    out[name] = { ...words, values, ...(caseInsensitive ? { caseInsensitive } : {}), schema };
  }
  for (const name of Object.keys(FIXED)) if (!out[name]) throw new Error(`catalogue _types: scalar type '${name}' missing`);
  return out;
}

export const SCALAR_TYPES: Readonly<Record<string, ScalarType>> = scalarTypes(catalogue._types);

/** A type in a message, after "must be": `an integer`, `a list`, `a mapping`. */
export function typePhrase(t: TypeRef): string {
  if (typeof t === 'string') return SCALAR_TYPES[t]?.phrase ?? t;
  if ('list' in t) return 'a list';
  if ('map' in t || 'obj' in t || 'poly' in t) return 'a mapping';
  return 'a value or a list';
}

/** A type for people: `integer`, `port`, `list of router (by \`protocol\`)`, … */
export function describeType(t: TypeRef): string {
  if (typeof t === 'string') return SCALAR_TYPES[t]?.noun ?? t;
  if ('obj' in t) return 'mapping';
  if ('poly' in t) return `${t.poly.replace(/_.*$/, '')} (by \`${catalogue.polymorphic[t.poly]?._disc ?? 'kind'}\`)`;
  if ('list' in t) return `list of ${describeType(t.list)}`;
  if ('map' in t) return `mapping of name to ${describeType(t.map)}`;
  return `${describeType(t.oneOrList)} or a list of them`;
}
