// The key catalogue (catalogue.json: every key, type and `kind` of Linkerd 1.7.5 and namerd configs)
// and the rules read from it, once, for everything that uses it: the validator, hover and
// completion (context.ts) and the JSON Schema generator (tools/gen-config-schemas.ts). Also the
// few tables the catalogue does not hold: removed and renamed keys and kinds, default ports, and
// how to name each kind of block in messages.

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

/** The variants of a polymorphic slot (`http`, `h2`, … for routers), in catalogue order. */
export const variantNames = (slot: Poly): string[] => Object.keys(slot).filter((k) => !k.startsWith('_'));

/** The keys a variant accepts: the slot's `_base` keys and its own. */
export const variantKeys = (slot: Poly, variant: string): Keys => ({ ...slot._base, ...(slot[variant] as Keys) });

// ---- required keys and experimental gates ---------------------------------------------------------

/**
 * The catalogue's `required` and `experimental_required`, resolved. A `required` pattern is one of:
 * - an object name, or a glob over object names (`ClientPrefix_*`): those keys are required wherever
 *   the object is used;
 * - `<slot>.<variant>`, globs allowed (`router.*`, `client_*.io.l5d.static`): required in that variant;
 * - `Object(context, …)`, e.g. `HostAndPort(zkLeader, zk storage, announcer)`: required only where the
 *   named variants use the object directly (elsewhere, e.g. in the serversets namer, `port` has a default).
 * `experimental_required` is keyed by slot, or by discriminator (`protocol` means the router slot).
 */
export interface RequiredRules {
  /** Object name -> keys required wherever it is used. */
  readonly objRequired: ReadonlyMap<string, readonly string[]>;
  /** `slot\0variant` -> required keys (the discriminator included when the catalogue lists it). */
  readonly variantRequired: ReadonlyMap<string, readonly string[]>;
  /** Object name -> keys required only in some variants (its "strict" form). */
  readonly strict: ReadonlyMap<string, readonly string[]>;
  /** `slot\0variant` -> objects used in their strict form by that variant's own keys. */
  readonly strictIn: ReadonlyMap<string, ReadonlySet<string>>;
  /** Slot -> variants that need `experimental: true`. */
  readonly gated: ReadonlyMap<string, ReadonlySet<string>>;
}

/** The names used in the contextual `required` entries, as [slot glob, variant glob]. */
const CONTEXT_LABELS: Record<string, [slot: string, variant: string]> = {
  zkLeader: ['namer', 'io.l5d.zkLeader'],
  'zk storage': ['storage', 'io.l5d.zk'],
  announcer: ['announcer', '*'],
};

export const variantKey = (slot: string, variant: string): string => `${slot}\0${variant}`;

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

/** Reads the rules of a catalogue; throws when they name keys, objects or variants it does not have. */
export function requiredRules(cat: Catalogue): RequiredRules {
  const objRequired = new Map<string, string[]>();
  const variantRequired = new Map<string, string[]>();
  const strict = new Map<string, string[]>();
  const strictIn = new Map<string, Set<string>>();
  const gated = new Map<string, Set<string>>();
  const add = (map: Map<string, string[]>, key: string, keys: string[]) => map.set(key, [...new Set([...(map.get(key) ?? []), ...keys])]);
  const checkHas = (where: string, have: Keys, keys: string[]) => {
    for (const k of keys) if (!(k in have)) throw new Error(`catalogue required '${where}': '${k}' is not a key there`);
  };
  const matchVariants = (slotPat: string, variantPat: string): [string, string][] => {
    const out: [string, string][] = [];
    for (const [slot, def] of Object.entries(cat.polymorphic)) {
      if (!glob(slotPat).test(slot)) continue;
      for (const v of variantNames(def)) if (glob(variantPat).test(v)) out.push([slot, v]);
    }
    return out;
  };
  for (const [pattern, keys] of Object.entries(cat.required)) {
    const ctx = /^(\w+)\((.*)\)$/.exec(pattern);
    if (ctx) {
      const obj = ctx[1]!;
      if (!cat.objects[obj]) throw new Error(`catalogue required '${pattern}': no object '${obj}'`);
      checkHas(pattern, cat.objects[obj]!, keys);
      strict.set(obj, keys);
      for (const label of ctx[2]!.split(',').map((s) => s.trim())) {
        const target = CONTEXT_LABELS[label];
        if (!target) throw new Error(`catalogue required '${pattern}': unknown context '${label}' (extend CONTEXT_LABELS)`);
        const matched = matchVariants(...target);
        if (!matched.length) throw new Error(`catalogue required '${pattern}': context '${label}' matches no variant`);
        for (const [slot, v] of matched) {
          const set = strictIn.get(variantKey(slot, v)) ?? new Set<string>();
          set.add(obj);
          strictIn.set(variantKey(slot, v), set);
        }
      }
      continue;
    }
    const dot = pattern.indexOf('.');
    if (dot < 0) {
      const objs = Object.keys(cat.objects).filter((o) => glob(pattern).test(o));
      if (!objs.length) throw new Error(`catalogue required '${pattern}': matches no object`);
      for (const o of objs) {
        checkHas(pattern, cat.objects[o]!, keys);
        add(objRequired, o, keys);
      }
    } else {
      const matched = matchVariants(pattern.slice(0, dot), pattern.slice(dot + 1));
      if (!matched.length) throw new Error(`catalogue required '${pattern}': matches no variant`);
      for (const [slot, v] of matched) {
        checkHas(pattern, variantKeys(cat.polymorphic[slot]!, v), keys);
        add(variantRequired, variantKey(slot, v), keys);
      }
    }
  }
  for (const [name, kinds] of Object.entries(cat.experimental_required)) {
    const slot = cat.polymorphic[name] ? name : Object.keys(cat.polymorphic).find((s) => cat.polymorphic[s]!._disc === name);
    if (!slot) throw new Error(`catalogue experimental_required '${name}': no such slot or discriminator`);
    const def = cat.polymorphic[slot]!;
    for (const k of kinds) {
      if (!variantNames(def).includes(k)) throw new Error(`catalogue experimental_required: '${slot}' has no variant '${k}'`);
      if (!('experimental' in variantKeys(def, k))) throw new Error(`catalogue experimental_required: '${slot}.${k}' does not accept 'experimental'`);
    }
    gated.set(slot, new Set(kinds));
  }
  return { objRequired, variantRequired, strict, strictIn, gated };
}

export const RULES = requiredRules(catalogue);

const NONE: readonly string[] = [];
const NO_OBJECTS: ReadonlySet<string> = new Set();

/** Keys an object needs; `strict` when a variant that requires its strict form uses it directly. */
export function requiredOfObject(name: string, strict = false): readonly string[] {
  const always = RULES.objRequired.get(name) ?? NONE;
  const more = strict ? RULES.strict.get(name) : undefined;
  return more ? [...new Set([...always, ...more])] : always;
}

/** Keys a variant of a slot needs, besides its discriminator. */
export function requiredOfVariant(slot: string, variant: string): readonly string[] {
  const disc = catalogue.polymorphic[slot]?._disc;
  return (RULES.variantRequired.get(variantKey(slot, variant)) ?? NONE).filter((k) => k !== disc);
}

/** Objects that a variant's own keys use in their strict form. */
export function strictObjectsIn(slot: string, variant: string): ReadonlySet<string> {
  return RULES.strictIn.get(variantKey(slot, variant)) ?? NO_OBJECTS;
}

/** Whether a variant refuses to start without `experimental: true`. */
export function isGated(slot: string, variant: string): boolean {
  return RULES.gated.get(slot)?.has(variant) ?? false;
}

// ---- removed and renamed keys and kinds -----------------------------------------------------------
// From Linkerd's release notes (CHANGES.md in linkerd/linkerd); each reason names the release.

export const RENAMED_KEYS: Readonly<Record<string, { to?: string; why: string }>> = {
  baseDtab: { to: 'dtab', why: 'was renamed `dtab` in Linkerd 0.9.0' },
  tracers: { why: 'was removed in Linkerd 0.9.0: use the `io.l5d.zipkin` or `io.l5d.tracelog` telemeters' },
  debugTrace: { why: 'was removed in Linkerd 0.9.0: use the `io.l5d.tracelog` telemeter' },
  loggers: { why: 'was replaced by `requestAuthorizers` (Linkerd 1.4.0), which moved under `client` in 1.6.0' },
  engine: { why: 'was removed in Linkerd 1.3.0 (Netty 4 is the only engine)' },
  maxChunkKB: { why: 'was removed in Linkerd 1.6.0' },
  maxRequestKB: { to: 'streamAfterContentLengthKB', why: 'was removed in Linkerd 1.7.0 in favour of `streamAfterContentLengthKB`' },
  maxResponseKB: { to: 'streamAfterContentLengthKB', why: 'was removed in Linkerd 1.7.0 in favour of `streamAfterContentLengthKB`' },
};

export const RENAMED_KINDS: Readonly<Record<string, { to?: string; why: string }>> = {
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

// ---- defaults and words -------------------------------------------------------------------------

/**
 * Default server port of each router protocol (`defaultServerPort` of its protocol initializer in
 * Linkerd 1.7.5) and namerd interface; the admin servers default to 9990 (linkerd) and 9991 (namerd).
 */
export const DEFAULT_PORTS: Readonly<Record<string, number>> = {
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

export const ADMIN_PORTS: Readonly<Record<ConfigKind, number>> = { linkerd: 9990, namerd: 9991 };

/** How messages name a block of a polymorphic slot ("This namer needs `kind`"). */
const KIND_WORD: Readonly<Record<string, string>> = {
  router: 'router',
  namer: 'namer',
  interpreter: 'interpreter',
  transformer: 'transformer',
  telemeter: 'telemeter',
  storage: 'storage',
  interface: 'interface',
  announcer: 'announcer',
};

export function kindWord(slot: string): string {
  return KIND_WORD[slot] ?? `\`${slot.replace(/_.*$/, '')}\` block`;
}
