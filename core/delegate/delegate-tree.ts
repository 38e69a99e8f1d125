// Linkerd's DelegateTree: the explanation of a delegation, step by step, and its
// `/delegator.json` encoding (field order and shapes exactly as Linkerd's Jackson codec writes them).

import type { Dentry } from '../model/dtab.js';
import { pathEquals, type Path } from '../model/path.js';
import { javaDouble } from '../print/numbers.js';
import { showPath, showPathTree, showPrefix } from '../print/show.js';
import type { Addr, BoundName } from '../model/names.js';

/** The dentry that produced a node: undefined for the root's no-op dentry. */
export interface NodeDentry {
  readonly dentry: Dentry;
  /** Index in the dtab that was delegated (for editors: jump to the rule). */
  readonly index: number;
}

interface Base {
  /** The name being resolved at this node. */
  readonly path: Path;
  /** The rule that produced this name from the parent's. */
  readonly dentry: NodeDentry | undefined;
}

export type DelegateTree =
  | (Base & { readonly type: 'delegate'; readonly delegate: DelegateTree })
  | (Base & { readonly type: 'alt'; readonly alt: readonly DelegateTree[] })
  | (Base & { readonly type: 'union'; readonly union: readonly { readonly weight: number; readonly tree: DelegateTree }[] })
  | (Base & { readonly type: 'leaf'; readonly bound: BoundName })
  | (Base & { readonly type: 'neg' | 'fail' | 'empty' })
  | (Base & { readonly type: 'exception'; readonly message: string })
  /** An interpreter-level transformer (e.g. io.l5d.k8s.daemonset) replaced a bound leaf (`tree`). */
  | (Base & { readonly type: 'transformation'; readonly name: string; readonly bound: BoundName; readonly tree: DelegateTree });

/** DelegateTree.simplified (Linkerd's DelegateTree.scala). */
export function simplifyDelegateTree(tree: DelegateTree): DelegateTree {
  switch (tree.type) {
    case 'delegate':
      return simplifyDelegate(tree.path, tree.dentry, tree.delegate);
    case 'alt': {
      if (tree.alt.length === 0) return { type: 'neg', path: tree.path, dentry: tree.dentry };
      if (tree.alt.length === 1) return simplifyDelegate(tree.path, tree.dentry, tree.alt[0]!);
      const out: DelegateTree[] = [];
      for (const child of tree.alt) {
        const s = simplifyDelegateTree(child);
        if (s.type === 'alt' && pathEquals(s.path, tree.path)) for (const c of s.alt) out.push(c);
        else out.push(s);
      }
      return { type: 'alt', path: tree.path, dentry: tree.dentry, alt: out };
    }
    case 'union': {
      if (tree.union.length === 0) return { type: 'neg', path: tree.path, dentry: tree.dentry };
      if (tree.union.length === 1) return simplifyDelegate(tree.path, tree.dentry, tree.union[0]!.tree);
      return {
        type: 'union',
        path: tree.path,
        dentry: tree.dentry,
        union: tree.union.map((w) => ({ weight: w.weight, tree: simplifyDelegateTree(w.tree) })),
      };
    }
    default:
      return tree;
  }
}

function simplifyDelegate(path: Path, dentry: NodeDentry | undefined, child: DelegateTree): DelegateTree {
  const c = simplifyDelegateTree(child);
  if (c.type !== 'neg' && c.type !== 'fail' && c.type !== 'empty' && pathEquals(c.path, path)) return { ...c, dentry };
  return { type: 'delegate', path, dentry, delegate: c };
}

// ---- JSON (`/delegator.json`) ---------------------------------------------------------------

export type JsonValue = null | boolean | number | string | JsonValue[] | { [k: string]: JsonValue };

/** A number that must be written as a Java double (`1.0`, not `1`). */
export class JavaDouble {
  constructor(readonly value: number) {}
}

type Encodable = JsonValue | JavaDouble | Encodable[] | { [k: string]: Encodable };

function encodeDentry(d: NodeDentry | undefined): Record<string, Encodable> {
  return d === undefined ? {} : { dentry: { prefix: showPrefix(d.dentry.prefix), dst: showPathTree(d.dentry.dst) } };
}

export function encodeAddr(addr: Addr): Record<string, Encodable> {
  switch (addr.type) {
    case 'bound':
      return {
        type: 'bound',
        addrs: addr.addrs.map((a) => ({ ip: a.ip, port: a.port, meta: a.meta as Record<string, Encodable> })),
        meta: addr.meta as Record<string, Encodable>,
      };
    case 'failed':
      return { type: 'failed', cause: addr.cause };
    default:
      return { type: addr.type };
  }
}

export function encodeBound(b: BoundName): Record<string, Encodable> {
  return { addr: encodeAddr(b.addr), id: showPath(b.id), path: showPath(b.residual) };
}

function encode(tree: DelegateTree): Record<string, Encodable> {
  const head = { type: tree.type, path: showPath(tree.path), ...encodeDentry(tree.dentry) };
  switch (tree.type) {
    case 'delegate':
      return { ...head, delegate: encode(tree.delegate) };
    case 'alt':
      return { ...head, alt: tree.alt.map(encode) };
    case 'union':
      return { ...head, union: tree.union.map((w) => ({ weight: new JavaDouble(w.weight), tree: encode(w.tree) })) };
    case 'leaf':
      return { ...head, bound: encodeBound(tree.bound) };
    case 'neg':
      return { ...head, path: tree.path.length === 0 ? '~' : showPath(tree.path) };
    case 'fail':
      return { ...head, path: isFailPath(tree.path) ? showPath(tree.path) : '!' };
    case 'empty':
      return head;
    case 'exception':
      return { ...head, message: tree.message };
    case 'transformation':
      // Linkerd's JsonDelegateTree.Transformation: no dentry, its name, the new bound name, the old tree.
      return { type: 'transformation', path: showPath(tree.path), name: tree.name, bound: encodeBound(tree.bound), tree: encode(tree.tree) };
  }
}

function isFailPath(p: Path): boolean {
  return p[0] === '$' && p[1] === 'fail';
}

/** The JSON value (numbers as JS numbers): deep-equal to what Linkerd serves. */
export function delegateTreeToJson(tree: DelegateTree): JsonValue {
  return plain(encode(tree));
}

/** The exact text Linkerd serves: no whitespace, weights as Java doubles (`3.0`). */
export function delegateTreeToJsonText(tree: DelegateTree): string {
  return writeJson(encode(tree));
}

function plain(v: Encodable): JsonValue {
  if (v instanceof JavaDouble) return v.value;
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
}

export function writeJson(v: Encodable): string {
  if (v instanceof JavaDouble) return javaDouble(v.value);
  if (Array.isArray(v)) return `[${v.map(writeJson).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${writeJson(x)}`)
      .join(',')}}`;
  return JSON.stringify(v);
}
