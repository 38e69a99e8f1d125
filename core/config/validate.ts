// Validation of linkerd and namerd configs the way Linkerd 1.7.5's Jackson-based parser reads them:
// unknown and duplicate keys, missing required keys, wrong types, unknown `kind`/`protocol`,
// experimental gates, removed keys, embedded dtabs and paths, and the cross-field checks of the
// reference (§11). Driven entirely by catalogue.json, the one source of truth for keys and types.

import { isMap, isScalar, isSeq, type Document, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import type { Diagnostic, Fix } from '../check/check.js';
import { checkDtab } from '../check/check.js';
import { parseDtab, parsePath } from '../syntax/parser.js';
import { parseIPv4Literal } from '../delegate/system-namers.js';
import type { DtabSyntax, Span } from '../syntax/ast.js';
import { mapSpan, scalarMap, type ScalarMap } from './scalar-map.js';
import catalogueJson from './catalogue.json';

export type TypeRef = string | { obj: string } | { poly: string } | { list: TypeRef } | { map: TypeRef } | { oneOrList: TypeRef };
export type Keys = Record<string, TypeRef>;
export interface Poly {
  _disc: string;
  _default?: string;
  _base: Keys;
  [variant: string]: Keys | string | undefined;
}
export interface Catalogue {
  _types: Record<string, string>;
  roots: Record<string, string>;
  objects: Record<string, Keys>;
  polymorphic: Record<string, Poly>;
  required: Record<string, string[]>;
  experimental_required: Record<string, string[]>;
}

export const catalogue = catalogueJson as unknown as Catalogue;

export type ConfigKind = 'linkerd' | 'namerd';

/** A dtab found in a config, with the map from its text back into the file. */
export interface EmbeddedDtab {
  /** Where it is, e.g. `routers[0].dtab` or `storage.namespaces.default`. */
  readonly where: string;
  readonly syntax: DtabSyntax;
  /** The value node's span in the file. */
  readonly span: Span;
  /** Namer prefixes (`/#/…`) configured where this dtab is used, or undefined when not known here. */
  readonly namers: readonly string[] | undefined;
  /** Maps a span of the dtab's own text to the file. */
  readonly toFile: (s: Span) => Span;
  /** File offset of each dtab character (and just past the last); where each one's source ends. */
  readonly fileAt: Int32Array;
  readonly fileEnd: Int32Array;
  /** In a literal block (`|`), through every level: each line's characters stand 1:1 in the file. */
  readonly literal: boolean;
  /** What the namer check says the namers are ("this config", "namerd's `namers`"). */
  readonly namersWhere?: string;
}

/** An embedded dtab's positions, materialized: toFile from offset tables. */
export function fileMapped(fileAt: Int32Array, fileEnd: Int32Array): (s: Span) => Span {
  return (s) => {
    const start = fileAt[Math.min(s.start, fileAt.length - 1)]!;
    if (s.end <= s.start) return { start, end: start };
    const end = s.end - 1 < fileEnd.length ? fileEnd[s.end - 1]! : fileAt[fileAt.length - 1]!;
    return { start, end: Math.max(start, end) };
  };
}

export interface ConfigResult {
  readonly kind: ConfigKind;
  readonly diagnostics: Diagnostic[];
  readonly dtabs: EmbeddedDtab[];
}

/** Which config a YAML document is: linkerd (top-level `routers`) or namerd (`storage` + `interfaces`). */
export function detectConfig(doc: Document): ConfigKind | undefined {
  const root = doc.contents;
  if (!isMap(root)) return undefined;
  const keys = new Set(root.items.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  if (keys.has('routers')) return 'linkerd';
  if (keys.has('storage') && keys.has('interfaces')) return 'namerd';
  return undefined;
}

// ---- removed and renamed keys and kinds (reference §12) ---------------------------------------

const RENAMED_KEYS: Record<string, { to?: string; why: string }> = {
  baseDtab: { to: 'dtab', why: 'was renamed `dtab` in Linkerd 0.9.0' },
  tracers: { why: 'was removed in Linkerd 0.9.0: use the `io.l5d.zipkin` or `io.l5d.tracelog` telemeters' },
  debugTrace: { why: 'was removed in Linkerd 0.9.0: use the `io.l5d.tracelog` telemeter' },
  loggers: { why: 'was replaced by `requestAuthorizers` (Linkerd 1.4.0), which moved under `client` in 1.6.0' },
  engine: { why: 'was removed in Linkerd 1.3.0 (Netty 4 is the only engine)' },
  maxChunkKB: { why: 'was removed in Linkerd 1.6.0' },
  maxRequestKB: { to: 'streamAfterContentLengthKB', why: 'was removed in Linkerd 1.7.0 in favour of `streamAfterContentLengthKB`' },
  maxResponseKB: { to: 'streamAfterContentLengthKB', why: 'was removed in Linkerd 1.7.0 in favour of `streamAfterContentLengthKB`' },
};

const RENAMED_KINDS: Record<string, { to?: string; why: string }> = {
  'io.l5d.commonMetrics': { to: 'io.l5d.prometheus', why: 'was removed in Linkerd 0.9.0; use `io.l5d.prometheus`' },
  'io.l5d.adminMetricsExport': { why: 'was removed in Linkerd 0.9.0 (admin metrics are always on)' },
  'io.l5d.nonRetryable5XX': { to: 'io.l5d.http.nonRetryable5XX', why: 'was renamed `io.l5d.http.nonRetryable5XX` in Linkerd 1.0.0' },
  'io.l5d.retryableRead5XX': { to: 'io.l5d.http.retryableRead5XX', why: 'was renamed `io.l5d.http.retryableRead5XX` in Linkerd 1.0.0' },
  'io.l5d.retryableIdempotent5XX': { to: 'io.l5d.http.retryableIdempotent5XX', why: 'was renamed `io.l5d.http.retryableIdempotent5XX` in Linkerd 1.0.0' },
  'io.l5d.headerToken': { to: 'io.l5d.header.token', why: 'was renamed `io.l5d.header.token` in Linkerd 1.0.0' },
  'io.l5d.headerPath': { to: 'io.l5d.header.path', why: 'was renamed `io.l5d.header.path` in Linkerd 1.0.0' },
  'io.l5d.h2.ingress': { to: 'io.l5d.ingress', why: 'was renamed `io.l5d.ingress` in Linkerd 1.0.0' },
  'io.l5d.http.ingress': { to: 'io.l5d.ingress', why: 'was renamed `io.l5d.ingress` in Linkerd 1.0.0' },
};

/** Default server port of each router protocol and namerd interface (reference §9). */
const DEFAULT_PORTS: Record<string, number> = {
  http: 4140,
  mux: 4141,
  h2: 4142,
  thrift: 4114,
  thriftmux: 4144,
  'io.l5d.thriftNameInterpreter': 4100,
  'io.l5d.httpController': 4180,
  'io.l5d.mesh': 4321,
  'io.l5d.destination': 8086,
};

const KIND_WORD: Record<string, string> = {
  router: 'router',
  namer: 'namer',
  interpreter: 'interpreter',
  transformer: 'transformer',
  telemeter: 'telemeter',
  storage: 'storage',
  interface: 'interface',
  announcer: 'announcer',
};

// ---- the walker -------------------------------------------------------------------------------

interface Ctx {
  readonly text: string;
  readonly out: Diagnostic[];
  readonly dtabs: EmbeddedDtab[];
  /** Maps a span of this document's text to the file (identity, or through a ConfigMap string). */
  readonly toFile: (s: Span) => Span;
  /** Whether the text being validated sits in a literal block (a ConfigMap `|` value) or is the file. */
  readonly literal: boolean;
  /** For a config inside a ConfigMap string: that string's map into the file. */
  readonly outer: ScalarMap | undefined;
}

const spanOf = (n: Node | null | undefined): Span => (n && n.range ? { start: n.range[0], end: n.range[1] } : { start: 0, end: 0 });

function diag(ctx: Ctx, node: Node | null | undefined, severity: Diagnostic['severity'], code: string, message: string, fixes?: Fix[]): void {
  const span = ctx.toFile(spanOf(node));
  ctx.out.push({ span, severity, code, message, ...(fixes ? { fixes: fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: ctx.toFile(e.span) })) })) } : {}) });
}

/** `routers[0]` + `dtab` -> `routers[0].dtab`; the root has no name. */
function sub(where: string, key: string): string {
  return where ? `${where}.${key}` : key;
}

function keyName(p: Pair): string | undefined {
  return isScalar(p.key) ? String(p.key.value) : undefined;
}

/** Damerau-free Levenshtein distance, small inputs. */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

/** The closest known name, if it is close enough to be what was meant. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  const exactCase = known.find((k) => k.toLowerCase() === lower);
  if (exactCase) return exactCase;
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    const dd = distance(lower, k.toLowerCase());
    if (dd < bestD) {
      bestD = dd;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 4)) ? best : undefined;
}

/** The catalogue's required-key patterns (`router.*`, `ClientPrefix_*`), compiled once. */
const REQUIRED = Object.entries(catalogue.required).map(([pattern, keys]) => ({
  re: new RegExp(`^${pattern.replace(/\(.*\)$/, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`),
  keys,
}));
const requiredCache = new Map<string, string[]>();

function requiredFor(name: string): string[] {
  let out = requiredCache.get(name);
  if (!out) {
    out = REQUIRED.filter((r) => r.re.test(name)).flatMap((r) => r.keys);
    requiredCache.set(name, out);
  }
  return out;
}

function typeName(t: TypeRef): string {
  if (typeof t === 'string') return { str: 'a string', int: 'an integer', num: 'a number', bool: '`true` or `false`', port: 'a port number (0-65535)', ip: 'an IP address', path: 'a path', dtab: 'a dtab', pathmatcher: 'a path pattern', file: 'a file path', dir: 'a directory path', loglevel: 'a log level', thriftproto: '`binary` or `compact`', consistency: '`default`, `stale` or `consistent`', healthstatus: '`passing`, `warning`, `critical` or `maintenance`' }[t] ?? t;
  if ('list' in t) return 'a list';
  if ('map' in t || 'obj' in t || 'poly' in t) return 'a mapping';
  return 'a value or a list';
}

const ENUMS: Record<string, readonly string[]> = {
  thriftproto: ['binary', 'compact'],
  consistency: ['default', 'stale', 'consistent'],
  healthstatus: ['passing', 'warning', 'critical', 'maintenance'],
};
const LOG_LEVELS = ['ALL', 'CRITICAL', 'DEBUG', 'ERROR', 'FATAL', 'INFO', 'OFF', 'TRACE', 'WARNING'];

/** Whether a string is an IP literal (IPv4 dotted quad or IPv6), as Guava's InetAddresses.forString. */
function isIpLiteral(s: string): boolean {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) return s.split('.').every((x) => Number(x) <= 255) && parseIPv4Literal(s) !== undefined;
  if (!s.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  const parts = s.split('::');
  if (parts.length > 2) return false;
  const groups = s.split(':').filter((g) => g !== '');
  return groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g) || /^\d{1,3}(\.\d{1,3}){3}$/.test(g)) && groups.length <= 8;
}

function checkScalar(ctx: Ctx, node: Node, t: string, where: string): void {
  if (!isScalar(node)) {
    diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be ${typeName(t)}, not ${isSeq(node) ? 'a list' : 'a mapping'}.`);
    return;
  }
  const v = node.value;
  const raw = node.range ? ctx.text.slice(node.range[0], node.range[1]) : String(v);
  const wrong = () => diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be ${typeName(t)}; found ${v === null ? 'nothing' : `\`${raw}\``}.`);
  switch (t) {
    case 'str':
    case 'file':
    case 'dir':
      if (v === null || typeof v === 'object') wrong();
      return;
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) wrong();
      return;
    case 'num':
      if (typeof v !== 'number') wrong();
      return;
    case 'bool':
      if (typeof v !== 'boolean') wrong();
      return;
    case 'port':
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 65535)
        diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be a port number from 0 to 65535 (a YAML number, not a quoted string); found \`${raw}\`.`);
      return;
    case 'ip':
      if (typeof v !== 'string' || !isIpLiteral(v))
        diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be an IP address literal such as \`0.0.0.0\` or \`127.0.0.1\`; Linkerd does not resolve host names here${v === 'localhost' ? ' (use `127.0.0.1` for `localhost`)' : ''}.`, v === 'localhost' ? [{ title: 'Use 127.0.0.1', edits: [{ span: spanOf(node), text: '127.0.0.1' }] }] : undefined);
      return;
    case 'loglevel':
      if (typeof v !== 'string' || !LOG_LEVELS.includes(v.toUpperCase())) diag(ctx, node, 'error', 'wrong-value', `\`${where}\` must be one of ${LOG_LEVELS.join(', ')}.`);
      return;
    case 'path':
    case 'pathmatcher':
      if (typeof v !== 'string') return wrong();
      if (t === 'path') checkPath(ctx, node, v, where);
      else if (!v.startsWith('/')) diag(ctx, node, 'error', 'invalid-path', `\`${where}\` must be a path pattern starting with \`/\`.`);
      return;
    case 'dtab':
      if (typeof v !== 'string') return wrong();
      embedDtab(ctx, node, where);
      return;
    default:
      if (ENUMS[t] && (typeof v !== 'string' || !ENUMS[t].includes(v))) diag(ctx, node, 'error', 'wrong-value', `\`${where}\` must be ${typeName(t)}.`);
  }
}

function checkPath(ctx: Ctx, node: Scalar, v: string, where: string): void {
  const r = parsePath(v);
  if (r.ok) return;
  const m = scalarMap(node, ctx.text);
  ctx.out.push({ span: ctx.toFile(mapSpan(m, r.error.span.start, r.error.span.end)), severity: 'error', code: 'invalid-path', message: `\`${where}\` is not a valid path: ${r.error.plain}`, finagleMessage: r.error.finagleMessage });
}

function embedDtab(ctx: Ctx, node: Scalar, where: string): void {
  const source = scalarMap(node, ctx.text);
  const syntax = parseDtab(source.value);
  // Materialize where every character of the dtab is in the file (through a ConfigMap too).
  const n = source.value.length;
  const fileAt = new Int32Array(n + 1);
  const fileEnd = new Int32Array(n);
  const outer = ctx.outer;
  // Offsets in a ConfigMap string go through its map (clamped: an end may be its very end).
  const lastIn = outer ? outer.value.length : 0;
  const outerAt = (o: number) => outer!.map[Math.min(o, lastIn)]!;
  const outerEnd = (e: number, at: number) => (e > at ? outer!.ends[Math.min(e - 1, lastIn - 1)]! : outerAt(at));
  for (let i = 0; i < n; i++) {
    const at = source.map[i]!;
    const end = source.ends[i]!;
    fileAt[i] = outer ? outerAt(at) : at;
    fileEnd[i] = outer ? outerEnd(end, at) : end;
  }
  fileAt[n] = outer ? outerAt(source.map[n]!) : source.map[n]!;
  const toFile = fileMapped(fileAt, fileEnd);
  for (const d of checkDtab(syntax)) {
    const span = toFile(d.span);
    const fixes = d.fixes?.map((f) => ({ ...f, edits: f.edits.map((e) => ({ ...e, span: toFile(e.span) })) }));
    ctx.out.push({ ...d, span, ...(fixes ? { fixes } : {}), ...(d.related ? { related: d.related.map((r) => ({ ...r, span: toFile(r.span) })) } : {}) });
  }
  const literal = ctx.literal && node.type === 'BLOCK_LITERAL' && source.exact;
  ctx.dtabs.push({ where, syntax, span: ctx.toFile(spanOf(node)), namers: undefined, toFile, fileAt, fileEnd, literal });
}

function checkType(ctx: Ctx, node: Node | null, t: TypeRef, where: string): void {
  if (node === null) {
    diag(ctx, node, 'error', 'wrong-type', `\`${where}\` has no value.`);
    return;
  }
  if (typeof t === 'string') return checkScalar(ctx, node, t, where);
  if ('obj' in t) return checkObject(ctx, node, t.obj, where);
  if ('poly' in t) return checkPoly(ctx, node, t.poly, where);
  if ('list' in t) {
    if (!isSeq(node)) {
      diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be a list (items start with \`- \`).`);
      return;
    }
    node.items.forEach((item, i) => checkType(ctx, item as Node, t.list, `${where}[${i}]`));
    return;
  }
  if ('map' in t) {
    if (!isMap(node)) {
      diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be a mapping.`);
      return;
    }
    for (const p of node.items) checkType(ctx, p.value as Node | null, t.map, sub(where, keyName(p) ?? '?'));
    return;
  }
  if (isSeq(node)) node.items.forEach((item, i) => checkType(ctx, item as Node, t.oneOrList, `${where}[${i}]`));
  else checkType(ctx, node, t.oneOrList, where);
}

/** Keys of a mapping: duplicates reported; returns the pairs by name. */
function keysOf(ctx: Ctx, map: YAMLMap, where: string): Map<string, Pair> {
  const seen = new Map<string, Pair>();
  for (const p of map.items) {
    const k = keyName(p);
    if (k === undefined) {
      diag(ctx, p.key as Node, 'error', 'wrong-type', `Keys in \`${where}\` must be plain names.`);
      continue;
    }
    const first = seen.get(k);
    if (first) {
      const line = ctx.text.slice(0, spanOf(first.key as Node).start).split('\n').length;
      diag(ctx, p.key as Node, 'error', 'duplicate-key', `Duplicate key \`${k}\` (first on line ${line}): Linkerd rejects duplicate keys.`);
      continue;
    }
    seen.set(k, p);
  }
  return seen;
}

function checkKeys(ctx: Ctx, map: YAMLMap, allowed: Keys, where: string, what: string, required: readonly string[], skip: readonly string[] = []): Map<string, Pair> {
  const keys = keysOf(ctx, map, where);
  for (const [k, p] of keys) {
    if (skip.includes(k)) continue;
    const t = allowed[k];
    if (t !== undefined) {
      checkType(ctx, p.value as Node | null, t, sub(where, k));
      continue;
    }
    const renamed = RENAMED_KEYS[k];
    if (renamed) {
      const to = renamed.to && allowed[renamed.to] !== undefined ? renamed.to : undefined;
      diag(ctx, p.key as Node, 'error', 'removed-key', `\`${k}\` ${renamed.why}; Linkerd 1.7.5 rejects it.`, to ? [{ title: `Rename to \`${to}\``, edits: [{ span: spanOf(p.key as Node), text: to }] }] : undefined);
      continue;
    }
    const known = Object.keys(allowed);
    const guess = didYouMean(k, known);
    diag(
      ctx,
      p.key as Node,
      'error',
      'unknown-key',
      `Unknown key \`${k}\` in ${what}: Linkerd rejects the whole config.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
      guess ? [{ title: `Change to \`${guess}\``, edits: [{ span: spanOf(p.key as Node), text: guess }] }] : undefined,
    );
  }
  for (const r of required) {
    if (!keys.has(r)) diag(ctx, keyOrMap(map), 'error', 'missing-key', `${capitalize(what)} needs \`${r}\`.`);
  }
  return keys;
}

/** Where to point for a whole mapping: its first key (a mapping's range can span many lines). */
function keyOrMap(map: YAMLMap): Node {
  const first = map.items[0]?.key as Node | undefined;
  return first ?? map;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function checkObject(ctx: Ctx, node: Node, name: string, where: string): void {
  if (!isMap(node)) {
    diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be a mapping.`);
    return;
  }
  const allowed = catalogue.objects[name] ?? {};
  checkKeys(ctx, node, allowed, where, `\`${where}\``, requiredFor(name));
}

function checkPoly(ctx: Ctx, node: Node, slot: string, where: string): void {
  if (!isMap(node)) {
    diag(ctx, node, 'error', 'wrong-type', `\`${where}\` must be a mapping.`);
    return;
  }
  const poly = catalogue.polymorphic[slot]!;
  const disc = poly._disc;
  const variants = Object.keys(poly).filter((k) => !k.startsWith('_'));
  const discPair = node.items.find((p) => keyName(p) === disc);
  const word = KIND_WORD[slot] ?? `\`${slot.replace(/_.*$/, '')}\` block`;
  let variant: string | undefined;
  if (!discPair) {
    if (poly._default) variant = poly._default;
    else {
      diag(ctx, keyOrMap(node), 'error', 'missing-kind', `This ${word} needs \`${disc}\` (one of ${variants.map((v) => `\`${v}\``).join(', ')}).`);
      keysOf(ctx, node, where);
      return;
    }
  } else {
    const v = discPair.value as Node | null;
    const value = isScalar(v) ? String(v.value) : undefined;
    if (value !== undefined && variants.includes(value)) variant = value;
    else {
      const renamed = value !== undefined ? RENAMED_KINDS[value] : undefined;
      if (renamed) {
        const to = renamed.to && variants.includes(renamed.to) ? renamed.to : undefined;
        diag(ctx, v, 'error', 'removed-kind', `\`${value}\` ${renamed.why}; Linkerd 1.7.5 rejects it.`, to ? [{ title: `Change to \`${to}\``, edits: [{ span: spanOf(v), text: to }] }] : undefined);
      } else {
        const guess = value !== undefined ? didYouMean(value, variants) : undefined;
        diag(
          ctx,
          v ?? discPair.key as Node,
          'error',
          'unknown-kind',
          `Unknown ${disc} \`${value ?? ''}\` for this ${word}: expected one of ${variants.map((x) => `\`${x}\``).join(', ')}.${guess ? ` Did you mean \`${guess}\`?` : ''}`,
          guess && v ? [{ title: `Change to \`${guess}\``, edits: [{ span: spanOf(v), text: guess }] }] : undefined,
        );
      }
      keysOf(ctx, node, where);
      return;
    }
  }
  const allowed: Keys = { ...poly._base, ...(poly[variant] as Keys) };
  const label = `${slot === 'router' ? `a \`${variant}\` router` : `the \`${variant}\` ${word}`}`;
  const keys = checkKeys(ctx, node, allowed, where, label, [...requiredFor(`${slot}.${variant}`), ...requiredFor(`${slot}.*`).filter((k) => k !== disc)], [disc]);
  if ((catalogue.experimental_required[slot === 'router' ? 'protocol' : slot] ?? []).includes(variant)) {
    const exp = keys.get('experimental');
    const on = exp && isScalar(exp.value) && exp.value.value === true;
    if (!on) {
      const at = discPair ? (discPair.value as Node) : keyOrMap(node);
      const indent = ' '.repeat(lineIndent(ctx.text, spanOf(discPair?.key as Node).start));
      const insertAt = discPair ? spanOf(discPair.value as Node).end : spanOf(node).start;
      // namerd checks the storage gate when it starts, not when it parses the config, and its own
      // etcd example omits the flag: a warning here, so that config still validates.
      const storage = slot === 'storage';
      const message = storage
        ? `\`${variant}\` storage is experimental: namerd refuses to start it unless this block has \`experimental: true\` (the config itself parses).`
        : `\`${variant}\` is experimental: Linkerd refuses to start unless this block has \`experimental: true\`.`;
      diag(ctx, at, storage ? 'warning' : 'error', 'experimental-required', message, [
        { title: 'Add `experimental: true`', edits: [{ span: { start: insertAt, end: insertAt }, text: `\n${indent}experimental: true` }] },
      ]);
    }
  }
}

function lineIndent(text: string, offset: number): number {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  let i = start;
  while (text[i] === ' ' || text[i] === '-') i++;
  return i - start;
}

// ---- cross-field checks (reference §11) -------------------------------------------------------

function get(map: Node | null | undefined, key: string): Node | null | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => keyName(p) === key)?.value as Node | null | undefined;
}

function str(n: Node | null | undefined): string | undefined {
  return isScalar(n) && n.value !== null ? String(n.value) : undefined;
}

/** The `/#/…` prefixes the configured namers answer under. */
function namerPrefixes(root: Node | null): string[] {
  const namers = get(root, 'namers');
  if (!isSeq(namers)) return [];
  return namers.items.flatMap((n) => {
    const prefix = str(get(n as Node, 'prefix'));
    const kind = str(get(n as Node, 'kind'));
    if (prefix) return [prefix.startsWith('/#/') ? prefix : `/#${prefix}`];
    return kind ? [`/#/${kind}`] : [];
  });
}

/** Every mapping in the tree, with the key it hangs under (for checks that apply wherever a block is). */
function eachMap(node: Node | null | undefined, f: (map: YAMLMap, key: string | undefined) => void, key?: string): void {
  if (isMap(node)) {
    f(node, key);
    for (const p of node.items) eachMap(p.value as Node, f, keyName(p));
  } else if (isSeq(node)) for (const i of node.items) eachMap(i as Node, f, key);
}

const num = (n: Node | null | undefined) => (isScalar(n) && typeof n.value === 'number' ? n.value : undefined);
const bool = (n: Node | null | undefined) => (isScalar(n) && typeof n.value === 'boolean' ? n.value : undefined);

/** The reference's §11 checks on single blocks, wherever they are. */
function blockChecks(ctx: Ctx, root: Node | null): void {
  eachMap(root, (map, key) => {
    const kind = str(get(map, 'kind'));
    const at = (k: string) => map.items.find((p) => keyName(p) === k)?.key as Node | undefined;
    // (4) http: no streaming threshold when streaming is off.
    if (bool(get(map, 'streamingEnabled')) === false && get(map, 'streamAfterContentLengthKB') !== undefined)
      diag(ctx, at('streamAfterContentLengthKB'), 'error', 'conflicting-keys', '`streamAfterContentLengthKB` has no effect with `streamingEnabled: false`: Linkerd rejects the combination.');
    // (5) client TLS.
    if (key === 'tls' && (get(map, 'disableValidation') !== undefined || get(map, 'commonName') !== undefined || get(map, 'trustCerts') !== undefined)) {
      if (bool(get(map, 'disableValidation')) === true && get(map, 'clientAuth') !== undefined)
        diag(ctx, at('clientAuth'), 'error', 'conflicting-keys', '`clientAuth` cannot be used with `disableValidation: true`.');
      if (get(map, 'trustCerts') !== undefined && get(map, 'trustCertsBundle') !== undefined)
        diag(ctx, at('trustCertsBundle'), 'error', 'conflicting-keys', 'Give `trustCerts` or `trustCertsBundle`, not both.');
      if (bool(get(map, 'disableValidation')) !== true && get(map, 'commonName') === undefined && (get(map, 'trustCerts') !== undefined || get(map, 'trustCertsBundle') !== undefined))
        diag(ctx, keyOrMap(map), 'error', 'missing-key', 'Client TLS needs `commonName` unless `disableValidation: true`.');
      if (get(map, 'trustCerts') !== undefined) diag(ctx, at('trustCerts'), 'information', 'deprecated-key', '`trustCerts` is deprecated: use `trustCertsBundle`.');
    }
    // (6) namerd interpreters: 0 < baseSeconds <= maxSeconds.
    if (key === 'retry') {
      const base = num(get(map, 'baseSeconds'));
      const max = num(get(map, 'maxSeconds'));
      if (base !== undefined && base <= 0) diag(ctx, get(map, 'baseSeconds'), 'error', 'wrong-value', '`baseSeconds` must be greater than 0.');
      if (base !== undefined && max !== undefined && base > max) diag(ctx, get(map, 'maxSeconds'), 'error', 'wrong-value', '`maxSeconds` must be at least `baseSeconds`.');
    }
    // (7) io.l5d.mesh: a single-segment root.
    if (kind === 'io.l5d.mesh') {
      const r = str(get(map, 'root'));
      if (r !== undefined && !/^\/[^/]+$/.test(r)) diag(ctx, get(map, 'root'), 'error', 'wrong-value', '`root` of the `io.l5d.mesh` interpreter must be a single-segment path such as `/default`.');
    }
    // (8) h2 io.l5d.header.path: segments >= 1.
    if (kind === 'io.l5d.header.path') {
      const n = num(get(map, 'segments'));
      if (n !== undefined && n < 1) diag(ctx, get(map, 'segments'), 'error', 'wrong-value', '`segments` must be at least 1.');
    }
    // (9) recentRequests: 0..1.
    if (kind === 'io.l5d.recentRequests') {
      const rate = num(get(map, 'sampleRate'));
      if (rate !== undefined && (rate < 0 || rate > 1)) diag(ctx, get(map, 'sampleRate'), 'error', 'wrong-value', '`sampleRate` is a fraction from 0 to 1.');
    }
    // (11) ZooKeeper ACL permissions: c r w d a, each once.
    const perms = str(get(map, 'perms'));
    if (perms !== undefined && get(map, 'scheme') !== undefined && (!/^[crwda]*$/.test(perms) || new Set(perms).size !== perms.length))
      diag(ctx, get(map, 'perms'), 'error', 'wrong-value', '`perms` takes the letters c, r, w, d and a, each at most once.');
  });
}

function crossChecks(ctx: Ctx, root: Node | null, kind: ConfigKind): void {
  blockChecks(ctx, root);
  const namers = namerPrefixes(root);
  // (10) namer prefixes must not overlap (one would shadow the other).
  const namerList = get(root, 'namers');
  if (isSeq(namerList)) {
    const seen: { prefix: string; node: Node }[] = [];
    for (const n of namerList.items) {
      const prefixNode = get(n as Node, 'prefix');
      const prefix = str(prefixNode) ?? (str(get(n as Node, 'kind')) ? `/${str(get(n as Node, 'kind'))}` : undefined);
      if (!prefix) continue;
      const clash = seen.find((x) => x.prefix === prefix || prefix.startsWith(x.prefix + '/') || x.prefix.startsWith(prefix + '/'));
      if (clash) diag(ctx, (prefixNode ?? get(n as Node, 'kind') ?? n) as Node, 'error', 'namer-prefix-overlap', `This namer's prefix \`${prefix}\` overlaps \`${clash.prefix}\`: give each namer its own \`prefix\`.`);
      seen.push({ prefix, node: n as Node });
    }
  }
  const listens: { ip: string; port: number; node: Node; what: string }[] = [];
  const admin = get(root, 'admin');
  const adminPort = get(admin, 'port');
  listens.push({
    ip: str(get(admin, 'ip')) ?? '127.0.0.1',
    port: isScalar(adminPort) && typeof adminPort.value === 'number' ? adminPort.value : kind === 'linkerd' ? 9990 : 9991,
    node: (adminPort ?? admin ?? root) as Node,
    what: 'the admin server',
  });
  if (kind === 'linkerd') {
    const routers = get(root, 'routers');
    const labels = new Map<string, Node>();
    if (isSeq(routers)) {
      routers.items.forEach((r, i) => {
        const protocol = str(get(r as Node, 'protocol'));
        const labelNode = get(r as Node, 'label');
        const label = str(labelNode) ?? protocol;
        if (label) {
          if (labels.has(label))
            diag(ctx, (labelNode ?? get(r as Node, 'protocol') ?? r) as Node, 'error', 'duplicate-router-label', `Two routers are labelled \`${label}\`${labelNode ? '' : ' (a router without `label` is labelled by its protocol)'}: Linkerd requires unique labels.`);
          else labels.set(label, r as Node);
        }
        const servers = get(r as Node, 'servers');
        if (isSeq(servers))
          for (const s of servers.items) {
            const portNode = get(s as Node, 'port');
            const port = isScalar(portNode) && typeof portNode.value === 'number' ? portNode.value : protocol ? DEFAULT_PORTS[protocol] : undefined;
            if (port !== undefined) listens.push({ ip: str(get(s as Node, 'ip')) ?? '127.0.0.1', port, node: (portNode ?? s) as Node, what: `a server of router \`${label ?? i}\`` });
          }
        // `/#/` paths in the dtab must name a configured namer, when this router's namers are ours.
        const interpreter = str(get(get(r as Node, 'interpreter'), 'kind')) ?? 'default';
        const usesOwnNamers = interpreter === 'default' || interpreter === 'io.l5d.fs' || interpreter === 'io.l5d.k8s.configMap' || interpreter === 'io.l5d.consul.interpreter';
        const dtab = ctx.dtabs.find((d) => d.where === `routers[${i}].dtab`);
        if (dtab) {
          const idx = ctx.dtabs.indexOf(dtab);
          ctx.dtabs[idx] = { ...dtab, namers: usesOwnNamers ? namers : undefined, ...(usesOwnNamers ? { namersWhere: 'this config' } : {}) };
          if (usesOwnNamers) checkNamerRefs(ctx, ctx.dtabs[idx]!, namers, 'this config');
        }
      });
    }
  } else {
    const interfaces = get(root, 'interfaces');
    if (isSeq(interfaces)) {
      if (interfaces.items.length === 0) diag(ctx, interfaces, 'error', 'missing-key', 'namerd needs at least one interface.');
      for (const f of interfaces.items) {
        const kindName = str(get(f as Node, 'kind'));
        const portNode = get(f as Node, 'port');
        const port = isScalar(portNode) && typeof portNode.value === 'number' ? portNode.value : kindName ? DEFAULT_PORTS[kindName] : undefined;
        if (port !== undefined) listens.push({ ip: str(get(f as Node, 'ip')) ?? '127.0.0.1', port, node: (portNode ?? f) as Node, what: `the \`${kindName}\` interface` });
      }
    }
    for (const d of ctx.dtabs) {
      const idx = ctx.dtabs.indexOf(d);
      ctx.dtabs[idx] = { ...d, namers, namersWhere: "namerd's `namers`" };
      checkNamerRefs(ctx, ctx.dtabs[idx]!, namers, "namerd's `namers`");
    }
  }
  // Two listeners on one address (0.0.0.0 overlaps every address on the same port): by port.
  const byPort = new Map<number, typeof listens>();
  for (const a of listens) {
    if (a.port === 0) continue;
    const same = byPort.get(a.port) ?? [];
    const b = same.find((x) => a.ip === x.ip || a.ip === '0.0.0.0' || x.ip === '0.0.0.0');
    if (b) diag(ctx, a.node, 'error', 'port-clash', `${capitalize(a.what)} listens on ${a.ip}:${a.port}, like ${b.what}: Linkerd cannot bind the same port twice.`);
    same.push(a);
    byPort.set(a.port, same);
  }
}

function checkNamerRefs(ctx: Ctx, d: EmbeddedDtab, namers: readonly string[], where: string): void {
  ctx.out.push(...namerRefDiagnostics(d, namers, where));
}

/** Warnings for `/#/<namer>` paths in an embedded dtab that no configured namer answers. */
export function namerRefDiagnostics(d: EmbeddedDtab, namers: readonly string[], where: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  // A dentry of this dtab that rewrites `/#/…` itself makes such paths not namer references.
  if (d.syntax.entries.some((e) => e.kind === 'dentry' && e.prefix.elems[0]?.kind === 'label' && e.prefix.elems[0].value === '#')) return out;
  const seen = new Set<string>();
  for (const e of d.syntax.entries) {
    if (e.kind !== 'dentry') continue;
    for (const { start, end, text } of collectLeafStarts(d.syntax.text, e.dst)) {
      if (!text.startsWith('/#/')) continue;
      if (namers.some((p) => text === p || text.startsWith(p + '/')) || seen.has(text)) continue;
      seen.add(text);
      const namer = text.split('/')[2]!;
      out.push({
        span: d.toFile({ start, end: Math.min(end, start + 3 + namer.length) }),
        severity: 'warning',
        code: 'unknown-namer-prefix',
        message: `No namer in ${where} answers for \`/#/${namer}\`${namers.length ? ` (configured: ${namers.map((n) => `\`${n}\``).join(', ')})` : ' (no namers are configured)'}: this path always resolves to \`~\`.`,
      });
    }
  }
  return out;
}

function collectLeafStarts(src: string, t: import('../syntax/ast.js').TreeSyntax, out: { start: number; end: number; text: string }[] = []) {
  switch (t.kind) {
    case 'leaf':
      out.push({ start: t.start, end: t.end, text: src.slice(t.start, t.end) });
      break;
    case 'alt':
      for (const b of t.branches) collectLeafStarts(src, b, out);
      break;
    case 'union':
      for (const b of t.branches) collectLeafStarts(src, b.tree, out);
      break;
    case 'weighted':
    case 'group':
      collectLeafStarts(src, t.tree, out);
      break;
  }
  return out;
}

/** Validates one linkerd or namerd config document. `toFile` maps its text's spans into the file. */
export function validateConfig(doc: Document, text: string, kind: ConfigKind, outer?: ScalarMap, literal = true): ConfigResult {
  const toFile = outer ? (s: Span) => mapSpan(outer, s.start, s.end) : (s: Span) => s;
  const ctx: Ctx = { text, out: [], dtabs: [], toFile, literal, outer };
  for (const e of doc.errors) {
    const span = toFile({ start: e.pos[0], end: Math.max(e.pos[1], e.pos[0] + 1) });
    ctx.out.push({ span, severity: 'error', code: 'yaml-syntax', message: e.message.split('\n')[0]! });
  }
  const root = doc.contents as Node | null;
  if (root) {
    if (!isMap(root)) diag(ctx, root, 'error', 'wrong-type', `A ${kind} config is a mapping of keys.`);
    else checkKeys(ctx, root, catalogue.objects[catalogue.roots[kind]!]!, '', `the ${kind} config (top level)`, requiredFor(catalogue.roots[kind]!));
  }
  crossChecks(ctx, root, kind);
  ctx.out.sort((a, b) => a.span.start - b.span.start);
  return { kind, diagnostics: ctx.out, dtabs: ctx.dtabs };
}
