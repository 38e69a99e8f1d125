// What a config sets up, for the code that acts on it (a namer factory, an outline): the configured
// namers, the routers with their dtabs and interpreters, and which router or namerd namespace each
// embedded dtab belongs to. Read from the YAML as it is, whatever the diagnostics say: a block
// without the keys it needs is left out (a namer without `kind`), never guessed.

import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import type { Span } from '../syntax/ast.js';
import type { ConfigKind } from './catalogue.js';
import { keyName, spanOf, type Ctx } from './diag.js';
import type { EmbeddedDtab } from './embedded.js';
import { namerPrefix } from './namers.js';

export interface ConfigNamer {
  /** `io.l5d.k8s` */
  readonly kind: string;
  /** The full path prefix it answers under, always starting `/#/`: `/#/x` for `prefix: /x`, else the kind's default (`/#/io.l5d.k8s`). */
  readonly prefix: string;
  /**
   * The whole namer block as plain JSON (`kind` and `prefix` included). YAML aliases are not
   * expanded (Linkerd does not expand them): an alias stands as the string `*<anchor>`. Values
   * JSON has no form for (`.inf`, `!!binary`, timestamps) stand as their source text.
   */
  readonly params: Readonly<Record<string, unknown>>;
  /** The namer block, in file offsets. */
  readonly span: Span;
}

export type DtabOwner =
  /** A linkerd router: its label (the protocol when it has none), protocol and `interpreter.kind`. */
  | { readonly kind: 'router'; readonly label: string; readonly protocol: string; readonly interpreter: string | undefined }
  /** A namespace of namerd's in-memory storage (`storage.namespaces`). */
  | { readonly kind: 'namespace'; readonly name: string };

export interface ConfigRouter {
  /** `label`, else the protocol (Linkerd's default label). */
  readonly label: string;
  /** `http`, `h2`, …; empty when the router has none (an error of the config). */
  readonly protocol: string;
  /** `interpreter.kind`; undefined without one (the default interpreter: this config's namers). */
  readonly interpreter: string | undefined;
  /** Its `dtab`, when it has one that is a string. */
  readonly dtab?: EmbeddedDtab;
  /** `interpreter.transformers`, in order: each block's `kind` and the whole block as plain JSON. */
  readonly transformers: readonly { readonly kind: string; readonly params: Readonly<Record<string, unknown>> }[];
  /** The router block, in file offsets. */
  readonly span: Span;
}

/** What a linkerd or namerd config sets up. */
export interface ConfigModel {
  /** The top-level `namers` (linkerd's, or namerd's), in file order. */
  readonly namers: readonly ConfigNamer[];
  /** linkerd's `routers`, in file order (each item that is a mapping); none in namerd. */
  readonly routers: readonly ConfigRouter[];
}

/** The interpreters whose `/#/` paths namerd resolves, with namerd's namers. */
export const NAMERD_INTERPRETERS: readonly string[] = ['io.l5d.namerd', 'io.l5d.namerd.http', 'io.l5d.mesh'];

/** The interpreters that resolve `/#/` paths with the config's own namers (undefined: the default one). */
const OWN_NAMERS: readonly string[] = ['default', 'io.l5d.fs', 'io.l5d.k8s.configMap', 'io.l5d.consul.interpreter'];

/**
 * Which namers answer a router's `/#/` paths: this config's (the default interpreter, and those
 * that only load the dtab from elsewhere), namerd's (`io.l5d.namerd`, `io.l5d.namerd.http`,
 * `io.l5d.mesh`), or others this model does not know (any other interpreter).
 */
export function routerNamers(interpreter: string | undefined): 'config' | 'namerd' | 'other' {
  if (interpreter === undefined || OWN_NAMERS.includes(interpreter)) return 'config';
  return NAMERD_INTERPRETERS.includes(interpreter) ? 'namerd' : 'other';
}

export function get(map: Node | null | undefined, key: string): Node | null | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => keyName(p) === key)?.value as Node | null | undefined;
}

export function str(n: Node | null | undefined): string | undefined {
  return isScalar(n) && n.value !== null ? String(n.value) : undefined;
}

/** Reads the namers and routers of a config (routers' dtabs are filled in by the cross checks). */
export function readModel(ctx: Ctx, root: Node | null, kind: ConfigKind): { namers: ConfigNamer[]; routers: ConfigRouter[] } {
  const namers: ConfigNamer[] = [];
  const list = get(root, 'namers');
  if (isSeq(list))
    for (const n of list.items) {
      if (!isMap(n)) continue;
      const namerKind = str(get(n, 'kind'));
      const prefix = namerPrefix(namerKind, str(get(n, 'prefix')));
      if (namerKind === undefined || prefix === undefined) continue;
      namers.push({ kind: namerKind, prefix, params: plainJson(n, ctx.text) as Record<string, unknown>, span: blockSpan(ctx, n) });
    }
  const routers: ConfigRouter[] = [];
  const routerList = kind === 'linkerd' ? get(root, 'routers') : undefined;
  if (isSeq(routerList))
    for (const r of routerList.items) {
      if (!isMap(r)) continue;
      const protocol = str(get(r, 'protocol')) ?? '';
      const interpreter = get(r, 'interpreter');
      const list = get(interpreter, 'transformers');
      const transformers: { kind: string; params: Record<string, unknown> }[] = [];
      if (isSeq(list))
        for (const t of list.items) {
          const kind = str(get(t as Node, 'kind'));
          if (isMap(t) && kind !== undefined) transformers.push({ kind, params: plainJson(t, ctx.text) as Record<string, unknown> });
        }
      routers.push({ label: str(get(r, 'label')) ?? protocol, protocol, interpreter: str(get(interpreter, 'kind')), transformers, span: blockSpan(ctx, r) });
    }
  return { namers, routers };
}

/** A block's span in the file, without the line breaks at its end that YAML counts into it. */
function blockSpan(ctx: Ctx, n: Node): Span {
  const s = spanOf(n);
  let end = s.end;
  while (end > s.start && (ctx.text[end - 1] === '\n' || ctx.text[end - 1] === '\r')) end--;
  return ctx.toFile({ start: s.start, end });
}

/** Deeper than this, values stand as null (configs nest a few levels; the YAML reader cuts at 100). */
const MAX_DEPTH = 200;

/** A YAML node as plain JSON, without expanding aliases (see ConfigNamer.params). */
export function plainJson(node: unknown, text: string, depth = 0): unknown {
  if (node === null || node === undefined || depth > MAX_DEPTH) return null;
  const source = (n: Node) => (n.range ? text.slice(n.range[0], n.range[1]) : '');
  if (isAlias(node)) return `*${node.source}`;
  if (isScalar(node)) {
    const v = node.value;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
    if (typeof v === 'number') return Number.isFinite(v) ? v : source(node);
    if (typeof v === 'bigint') return Number(v);
    return source(node);
  }
  if (isSeq(node)) return node.items.map((i) => plainJson(i, text, depth + 1));
  if (isPair(node)) return Object.fromEntries([[pairKey(node.key, text), plainJson(node.value, text, depth + 1)]]);
  if (isMap(node)) {
    const seen = new Set<string>();
    const entries: [string, unknown][] = [];
    for (const p of node.items) {
      const k = pairKey(p.key, text);
      if (seen.has(k)) continue; // Linkerd rejects duplicate keys; the first one stands here
      seen.add(k);
      entries.push([k, plainJson(p.value, text, depth + 1)]);
    }
    return Object.fromEntries(entries);
  }
  return null;
}

function pairKey(key: unknown, text: string): string {
  if (isScalar(key)) return String(key.value);
  if (isAlias(key)) return `*${key.source}`;
  const n = key as Node | null;
  return n?.range ? text.slice(n.range[0], n.range[1]) : '';
}
