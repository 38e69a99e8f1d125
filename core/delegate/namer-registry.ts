// Namers built from configuration: a linkerd/namerd config's `namers:` blocks (kind, prefix, keys)
// become Namers through one registry keyed by `kind`. An implementation that talks to a cluster
// or a file system (on the I/O side, outside the core) registers a factory for its kind; every
// configured namer without one is *unresolved*: it binds names to leaves whose addresses are
// known only at run time, so routing through it still counts (as in Linkerd, where the namer
// exists), while a `/#/` prefix that no namer answers stays negative.

import { leaf, NEG, type NameTree } from '../model/nametree.js';
import { boundName, type Name } from '../model/names.js';
import type { Path } from '../model/path.js';
import { CONFIGURED_NAMERS } from '../explain.js';
import { NAMER_KINDS } from '../config/namers.js';
import { Interpreter, type ConfiguredNamer, type InterpreterOptions } from './interpreter.js';
import { SystemNamer, type InetResolver, type Namer } from './system-namers.js';

/** A configured namer: what the config says (the config model's ConfigNamer has these fields). */
export interface NamerSpec {
  readonly kind: string;
  /** The full prefix it answers under, e.g. `/#/io.l5d.k8s`. */
  readonly prefix: string;
  /** The namer's block as plain JSON. */
  readonly params: Readonly<Record<string, unknown>>;
}

/** Builds a namer for a spec, or undefined when it cannot here (then the namer is unresolved). */
export type NamerFactory = (spec: NamerSpec) => Namer | undefined;

/** How many path segments a namer of this kind binds (the rest is the residual); undefined: all. */
function boundSegments(kind: string): number | undefined {
  const shape = CONFIGURED_NAMERS.find((n) => n.kind === kind)?.shape;
  if (shape === undefined || shape.includes('…')) return undefined;
  // Stryker disable next-line ArrayDeclaration: every shape names at least one segment (match is never null)
  return (shape.match(/<[^>]+>/g) ?? []).length;
}

/**
 * A configured namer that this process cannot ask: it binds `/#/<prefix>/<segments…>` to a leaf
 * whose addresses are unknown here (`pending`, unresolved by `kind`), with the namer's usual id
 * (for io.l5d.k8s: namespace, port and service) and the rest as the residual. Too few segments
 * for the namer is negative, as the real namer answers.
 */
export function unresolvedNamer(spec: NamerSpec): Namer {
  const prefix = pathOfPrefix(spec.prefix);
  const n = boundSegments(spec.kind);
  return {
    lookup(path: Path): NameTree<Name> {
      if (path.length === 0 || path.length < (n ?? 0)) return NEG;
      const take = n ?? path.length;
      return leaf(boundName([...prefix, ...path.slice(0, take)], path.slice(take), { type: 'pending', unresolvedBy: spec.kind }));
    },
  };
}

function pathOfPrefix(prefix: string): Path {
  return prefix.split('/').filter((e) => e !== '');
}

export class NamerRegistry {
  private readonly factories = new Map<string, NamerFactory>();

  register(kind: string, factory: NamerFactory): this {
    this.factories.set(kind, factory);
    return this;
  }

  /** The namers of a config, in configuration order (the order Linkerd asks them in). */
  build(specs: readonly NamerSpec[]): ConfiguredNamer[] {
    return specs.map((spec) => ({ prefix: pathOfPrefix(spec.prefix), namer: this.factories.get(spec.kind)?.(spec) ?? unresolvedNamer(spec) }));
  }
}

/**
 * The namers assumed for a dtab with no config (a lone `.dtab` file): every namer kind Linkerd
 * ships, at its default prefix (`/#/io.l5d.k8s`, `/#/io.l5d.fs`, …).
 */
export function assumedNamers(): NamerSpec[] {
  const out: NamerSpec[] = [];
  for (const n of NAMER_KINDS) if (n.defaultPrefix !== undefined) out.push({ kind: n.kind, prefix: n.defaultPrefix, params: { kind: n.kind } });
  return out;
}

export interface InterpreterSetup {
  /** The configured namers; undefined for a lone dtab (then assumedNamers()). */
  readonly namers?: readonly NamerSpec[];
  readonly registry?: NamerRegistry;
  /** How `/$/inet` resolves hosts (literal-only by default: no DNS lookups). */
  readonly inet?: InetResolver;
  readonly options?: InterpreterOptions;
}

/** The interpreter for one document or config router: its namers, the system namers, options. */
export function interpreterFor(setup: InterpreterSetup = {}): Interpreter {
  const registry = setup.registry ?? new NamerRegistry();
  return new Interpreter(registry.build(setup.namers ?? assumedNamers()), new SystemNamer(setup.inet), setup.options);
}
