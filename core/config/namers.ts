// The namer kinds of Linkerd 1.7.5, in one place: which kinds exist (the catalogue's `namer` slot),
// whether they are experimental (its `experimental_required`), the prefix each answers under by
// default (the `prefix` default in key-docs.json), and what their paths look like in a dtab (here).
// Hover and completion of `/#/…` paths (core/explain.ts) and the config model (model.ts) read it.

import { catalogue, isGated, variantNames } from './catalogue.js';
import keyDocsJson from './key-docs.json';

export interface NamerKind {
  /** `io.l5d.k8s` */
  readonly kind: string;
  /** The path prefix it answers under when its block has no `prefix`, e.g. `/#/io.l5d.k8s`; undefined when `prefix` is required. */
  readonly defaultPrefix: string | undefined;
  /** Its paths in a dtab: `/#/io.l5d.k8s/<namespace>/<port>/<service>`. */
  readonly shape: string;
  /** One or two sentences (Markdown) on what it resolves. */
  readonly doc: string;
  /** Whether Linkerd refuses to start it without `experimental: true`. */
  readonly experimental: boolean;
}

/** Path shapes and docs of every namer kind of the catalogue (a kind missing here fails at load). */
const PATHS: Record<string, { shape: string; doc: string }> = {
  'io.l5d.fs': { shape: '/#/io.l5d.fs/<file>', doc: 'A file in the configured `rootDir`: one `host port` per line.' },
  'io.l5d.serversets': { shape: '/#/io.l5d.serversets/<zk path…>', doc: 'ZooKeeper serversets.' },
  'io.l5d.consul': { shape: '/#/io.l5d.consul/<datacenter>/<service>', doc: 'Consul service discovery (`/<dc>/<tag>/<service>` with `includeTag`).' },
  'io.l5d.k8s': {
    shape: '/#/io.l5d.k8s/<namespace>/<port>/<service>',
    doc: 'Kubernetes: the endpoints of the Service `<service>` in `<namespace>`, on the named (or numbered) port. A service with no ready endpoints is negative (`~`), so `|` falls back.',
  },
  'io.l5d.k8s.external': {
    shape: '/#/io.l5d.k8s.external/<namespace>/<port>/<service>',
    doc: 'Kubernetes: the external load-balancer address of a Service (needs `experimental: true`).',
  },
  'io.l5d.k8s.ns': { shape: '/#/io.l5d.k8s.ns/<port>/<service>', doc: 'Kubernetes, in the namespace of the linkerd pod (env `POD_NAMESPACE`).' },
  'io.l5d.k8s.istio': {
    shape: '/#/io.l5d.k8s.istio/<cluster>/<labels>/<port-name>',
    doc: 'Istio service discovery: deprecated, needs `experimental: true`, and probably not loadable in Linkerd 1.2 and later.',
  },
  'io.l5d.marathon': { shape: '/#/io.l5d.marathon/<app id…>', doc: 'Marathon (DC/OS) app tasks.' },
  'io.l5d.zkLeader': { shape: '/#/io.l5d.zkLeader/<zk path…>', doc: 'The leader of a ZooKeeper leader group.' },
  'io.l5d.curator': { shape: '/#/io.l5d.curator/<service>', doc: 'Curator service discovery in ZooKeeper (needs `experimental: true`).' },
  'io.l5d.dnssrv': { shape: '/#/io.l5d.dnssrv/<srv record>', doc: 'DNS SRV records (needs `experimental: true`).' },
  'io.l5d.rancher': { shape: '/#/io.l5d.rancher/<port>/<stack>/<service>', doc: 'The Rancher metadata service (needs `experimental: true`).' },
  'io.l5d.rewrite': { shape: '/#/<prefix>/…', doc: 'Rewrites paths with a configured `pattern` and `name`; it answers only under its own `prefix` (there is no default).' },
};

interface KeyDocs {
  polymorphic: Record<string, Record<string, Record<string, { default?: string }> | string>>;
}

/** The default of a namer's `prefix` key as key-docs.json gives it (`` `/io.l5d.fs` ``, or `none`). */
function defaultPrefixOf(kind: string): string | undefined {
  const docs = (keyDocsJson as unknown as KeyDocs).polymorphic.namer?.[kind];
  const text = typeof docs === 'object' ? docs.prefix?.default : undefined;
  const m = text ? /^`(\/[^`]*)`$/.exec(text) : null;
  return m ? `/#${m[1]}` : undefined;
}

function build(): NamerKind[] {
  const kinds = variantNames(catalogue.polymorphic.namer!);
  for (const k of Object.keys(PATHS)) if (!kinds.includes(k)) throw new Error(`namers.ts: '${k}' is not a namer kind of the catalogue`);
  return kinds.map((kind) => {
    const paths = PATHS[kind];
    if (!paths) throw new Error(`namers.ts: no path shape for the catalogue's namer kind '${kind}'`);
    return { kind, defaultPrefix: defaultPrefixOf(kind), ...paths, experimental: isGated('namer', kind) };
  });
}

/** Every namer kind, in catalogue order. */
export const NAMER_KINDS: readonly NamerKind[] = build();

const BY_KIND = new Map(NAMER_KINDS.map((n) => [n.kind, n]));

export function namerKind(kind: string): NamerKind | undefined {
  return BY_KIND.get(kind);
}

/**
 * The path prefix a configured namer answers under: `/#` followed by its `prefix` key (Linkerd's
 * NamerConfig: `prefix: /x` answers `/#/x`), else its kind's default prefix; for a kind this
 * catalogue does not know, `/#/<kind>` (the convention of every known kind). Always starts `/#/`
 * (`prefix: /` gives `/#/`, every `/#/…` path). Undefined when it has no kind, or needs a `prefix`
 * and has none.
 */
export function namerPrefix(kind: string | undefined, prefix: string | undefined): string | undefined {
  if (prefix !== undefined) return prefix.startsWith('/') ? `/#${prefix}` : `/#/${prefix}`;
  if (kind === undefined) return undefined;
  const known = BY_KIND.get(kind);
  return known ? known.defaultPrefix : `/#/${kind}`;
}
