// Names, as Finagle binds them: an unbound path, or a bound name (id, residual path, addresses).

import type { Path } from './path.js';

export interface Address {
  readonly ip: string;
  readonly port: number;
  readonly meta: Readonly<Record<string, unknown>>;
}

export type Addr =
  | { readonly type: 'bound'; readonly addrs: readonly Address[]; readonly meta: Readonly<Record<string, unknown>> }
  | { readonly type: 'neg' }
  | { readonly type: 'failed'; readonly cause: string }
  | {
      readonly type: 'pending';
      /**
       * Set when the addresses cannot be known here at all: the namer (this kind, e.g.
       * `io.l5d.k8s`) is configured but the editor or CLI is not connected to what it reads.
       * Routing treats the leaf as bound; Linkerd resolves it at run time.
       */
      readonly unresolvedBy?: string;
    };

export interface PathName {
  readonly kind: 'path';
  readonly path: Path;
}

export interface BoundName {
  readonly kind: 'bound';
  /** The bound id (normally the namer path that bound it). */
  readonly id: Path;
  /** What is left of the path after the bound id. */
  readonly residual: Path;
  readonly addr: Addr;
  /** `namer_nametree_weight`: the weight of the innermost union this leaf was bound under. */
  readonly weight?: number;
}

export type Name = PathName | BoundName;

export function pathName(path: Path): PathName {
  return { kind: 'path', path };
}

export function boundName(id: Path, residual: Path, addr: Addr): BoundName {
  return { kind: 'bound', id, residual, addr };
}

export function boundAddr(addrs: readonly Address[], meta: Record<string, unknown> = {}): Addr {
  return { type: 'bound', addrs, meta };
}
