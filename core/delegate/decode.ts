// Reading a delegate tree back from its JSON (§3.8: namerd's /api/1/delegate, linkerd's
// /delegator.json) into the core's DelegateTree, so the same renderer shows a server's answer;
// and comparing two delegate trees node by node. Both walk iteratively (no recursion on the
// depth of the input) and stop at MAX_DECODED_NODES.

import type { Dentry } from '../model/dtab.js';
import { boundName, type Addr, type Address, type BoundName } from '../model/names.js';
import { EMPTY_PATH, type Path } from '../model/path.js';
import { showDentry, showPath } from '../print/show.js';
import { parsePath, parsePrefix, parseTree } from '../syntax/parser.js';
import { lowerPath, lowerPrefix, lowerTree } from '../syntax/lower.js';
import type { DelegateTree, NodeDentry } from './delegate-tree.js';

/** The most nodes decoded from one answer (a delegate tree of a real dtab has a few dozen). */
export const MAX_DECODED_NODES = 100_000;

export type DecodedDelegateTree = { readonly ok: true; readonly tree: DelegateTree } | { readonly ok: false; readonly error: string };

type Obj = Record<string, unknown>;

interface Item {
  readonly v: Obj;
  /** Where in the JSON, for messages: `$.alt[1].delegate`. */
  readonly at: string;
  /** The items of this node's children, in order. */
  readonly kids: number[];
}

class DecodeError extends Error {}

function fail(at: string, what: string): never {
  throw new DecodeError(`${at}: ${what}`);
}

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function str(o: Obj, key: string, at: string): string {
  const v = o[key];
  if (typeof v !== 'string') fail(at, `"${key}" must be a string`);
  return v;
}

function path(text: string, at: string, key: string): Path {
  const p = parsePath(text);
  if (!p.ok) fail(at, `"${key}" is not a path (${p.error.finagleMessageShort})`);
  return lowerPath(p.value);
}

function dentryOf(o: Obj, at: string): NodeDentry | undefined {
  if (o.dentry === undefined || o.dentry === null) return undefined;
  if (!isObj(o.dentry)) fail(at, '"dentry" must be an object {"prefix", "dst"}');
  const prefix = parsePrefix(str(o.dentry, 'prefix', `${at}.dentry`));
  if (!prefix.ok) fail(`${at}.dentry`, `"prefix" does not parse (${prefix.error.finagleMessageShort})`);
  const dst = parseTree(str(o.dentry, 'dst', `${at}.dentry`));
  if (!dst.ok) fail(`${at}.dentry`, `"dst" does not parse (${dst.error.finagleMessageShort})`);
  const dentry: Dentry = { prefix: lowerPrefix(prefix.value), dst: lowerTree(dst.value) };
  // The index in the server's dtab is not part of the JSON.
  return { dentry, index: -1 };
}

/** An Addr as §3.8 encodes it. */
export function decodeAddr(v: unknown, at = '$'): Addr {
  if (!isObj(v)) fail(at, 'an addr must be an object');
  switch (v.type) {
    case 'bound': {
      if (!Array.isArray(v.addrs)) fail(at, '"addrs" must be an array');
      const addrs: Address[] = v.addrs.map((a, i) => {
        const where = `${at}.addrs[${i}]`;
        if (!isObj(a)) fail(where, 'an address must be an object {"ip", "port", "meta"}');
        if (!Number.isInteger(a.port)) fail(where, '"port" must be an integer');
        return { ip: str(a, 'ip', where), port: a.port as number, meta: isObj(a.meta) ? a.meta : {} };
      });
      return { type: 'bound', addrs, meta: isObj(v.meta) ? v.meta : {} };
    }
    case 'neg':
      return { type: 'neg' };
    case 'pending':
      return { type: 'pending' };
    case 'failed':
      return { type: 'failed', cause: typeof v.cause === 'string' ? v.cause : '' };
    default:
      return fail(at, `unknown addr type ${JSON.stringify(v.type)}`);
  }
}

/** A bound name `{addr, id, path}` (§3.8). */
export function decodeBoundName(v: unknown, at = '$'): BoundName {
  if (!isObj(v)) fail(at, '"bound" must be an object {"addr", "id", "path"}');
  return boundName(path(str(v, 'id', at), at, 'id'), path(str(v, 'path', at), at, 'path'), decodeAddr(v.addr, `${at}.addr`));
}

/** The children of a node, as (JSON value, where) pairs, checked for shape. */
function children(v: Obj, at: string): { v: unknown; at: string; weight?: number }[] {
  switch (v.type) {
    case 'delegate':
      return [{ v: v.delegate, at: `${at}.delegate` }];
    case 'transformation':
      return [{ v: v.tree, at: `${at}.tree` }];
    case 'alt':
      if (!Array.isArray(v.alt)) fail(at, '"alt" must be an array');
      return v.alt.map((c, i) => ({ v: c, at: `${at}.alt[${i}]` }));
    case 'union':
      if (!Array.isArray(v.union)) fail(at, '"union" must be an array');
      return v.union.map((w, i) => {
        const where = `${at}.union[${i}]`;
        if (!isObj(w)) fail(where, 'a union branch must be an object {"weight", "tree"}');
        if (typeof w.weight !== 'number') fail(where, '"weight" must be a number');
        return { v: w.tree, at: `${where}.tree`, weight: w.weight };
      });
    case 'leaf':
    case 'neg':
    case 'fail':
    case 'empty':
    case 'exception':
      return [];
    default:
      return fail(at, `unknown node type ${JSON.stringify(v.type)}`);
  }
}

/** A node's path: `~` (neg) and `!` (fail) stand for paths the JSON does not give. */
function nodePath(v: Obj, at: string): Path {
  const text = str(v, 'path', at);
  if ((v.type === 'neg' && text === '~') || (v.type === 'fail' && text === '!')) return EMPTY_PATH;
  return path(text, at, 'path');
}

function build(item: Item, kids: readonly DelegateTree[], weights: readonly number[]): DelegateTree {
  const { v, at } = item;
  const base = { path: nodePath(v, at), dentry: dentryOf(v, at) };
  switch (v.type) {
    case 'delegate':
      return { ...base, type: 'delegate', delegate: kids[0]! };
    case 'alt':
      return { ...base, type: 'alt', alt: kids };
    case 'union':
      return { ...base, type: 'union', union: kids.map((tree, i) => ({ weight: weights[i]!, tree })) };
    case 'leaf':
      return { ...base, type: 'leaf', bound: decodeBoundName(v.bound, `${at}.bound`) };
    case 'neg':
    case 'fail':
    case 'empty':
      return { ...base, type: v.type };
    case 'exception':
      return { ...base, type: 'exception', message: str(v, 'message', at) };
    case 'transformation':
      return { path: base.path, dentry: undefined, type: 'transformation', name: str(v, 'name', at), bound: decodeBoundName(v.bound, `${at}.bound`), tree: kids[0]! };
    // Stryker disable next-line all: never reached: children() rejects an unknown type first
    default:
      // Stryker disable next-line all: never reached: children() rejects an unknown type first
      return fail(at, `unknown node type ${JSON.stringify(v.type)}`);
  }
}

/** A delegate tree from its JSON (a parsed value, or the text a server sent). */
export function decodeDelegateTree(json: unknown): DecodedDelegateTree {
  try {
    let value = json;
    if (typeof json === 'string') {
      try {
        value = JSON.parse(json);
      } catch (e) {
        return { ok: false, error: `not JSON: ${(e as Error).message}` };
      }
    }
    if (!isObj(value)) fail('$', 'a delegate tree must be a JSON object with a "type"');
    const items: Item[] = [{ v: value, at: '$', kids: [] }];
    const weights: number[][] = [[]];
    // Breadth first: every child gets a larger index than its parent.
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      for (const c of children(item.v, item.at)) {
        if (!isObj(c.v)) fail(c.at, 'a node must be an object with a "type"');
        if (items.length >= MAX_DECODED_NODES) fail('$', `more than ${MAX_DECODED_NODES} nodes`);
        item.kids.push(items.length);
        // Stryker disable next-line ConditionalExpression: only a union's children have weights, and only a union reads them
        if (c.weight !== undefined) weights[i]!.push(c.weight);
        items.push({ v: c.v, at: c.at, kids: [] });
        weights.push([]);
      }
    }
    // Stryker disable next-line ArrayDeclaration: preallocation only: every index is set below
    const built: DelegateTree[] = new Array(items.length);
    for (let i = items.length - 1; i >= 0; i--) {
      const item = items[i]!;
      built[i] = build(item, item.kids.map((k) => built[k]!), weights[i]!);
    }
    return { ok: true, tree: built[0]! };
  } catch (e) {
    // Stryker disable next-line ConditionalExpression: the decoder throws nothing else (a bug would be reported as bad JSON instead of thrown)
    if (e instanceof DecodeError) return { ok: false, error: e.message };
    throw e;
  }
}

// ---- comparing ------------------------------------------------------------------------------

/** One node where two delegate trees differ: where (by paths and branches), and each side. */
export interface DelegateTreeDifference {
  /** E.g. `/svc/world → alt[1] → /#/io.l5d.k8s/default/http/world-v2`. */
  readonly where: string;
  readonly local: string;
  readonly remote: string;
}

/** A node's path as the JSON shows it (`~` for a written `~`, `!` for a written `!`). */
function shownPath(t: DelegateTree): string {
  if (t.type === 'neg' && t.path.length === 0) return '~';
  if (t.type === 'fail' && !(t.path[0] === '$' && t.path[1] === 'fail')) return '!';
  return showPath(t.path);
}

function kids(t: DelegateTree): { tree: DelegateTree; label: string; weight?: number }[] {
  switch (t.type) {
    case 'delegate':
      return [{ tree: t.delegate, label: '' }];
    case 'transformation':
      return [{ tree: t.tree, label: 'transformed' }];
    case 'alt':
      return t.alt.map((tree, i) => ({ tree, label: `alt[${i}]` }));
    case 'union':
      return t.union.map((w, i) => ({ tree: w.tree, label: `union[${i}]`, weight: w.weight }));
    default:
      return [];
  }
}

function addrText(addr: Addr): string | undefined {
  switch (addr.type) {
    case 'bound':
      return addr.addrs.length === 0 ? 'no addresses' : addr.addrs.map((a) => `${a.ip}:${a.port}`).sort().join(', ');
    case 'neg':
      return 'neg';
    case 'failed':
      return `failed (${addr.cause})`;
    // Stryker disable next-line ConditionalExpression,StringLiteral: the last case: without it the switch also gives undefined
    case 'pending':
      // Pending or unresolved here: not known, so not comparable.
      return undefined;
  }
}

function compareBound(where: string, l: BoundName, r: BoundName, out: DelegateTreeDifference[]): void {
  if (showPath(l.id) !== showPath(r.id)) out.push({ where, local: `bound id ${showPath(l.id)}`, remote: `bound id ${showPath(r.id)}` });
  if (showPath(l.residual) !== showPath(r.residual)) out.push({ where, local: `residual ${showPath(l.residual)}`, remote: `residual ${showPath(r.residual)}` });
  const la = addrText(l.addr);
  const ra = addrText(r.addr);
  if (la !== undefined && ra !== undefined && la !== ra) out.push({ where, local: `addresses ${la}`, remote: `addresses ${ra}` });
}

/**
 * The differences between a local delegation and a server's, node by node: type, path, dentry,
 * bound id and residual, union weights, the number of branches, and addresses where both sides
 * know them (a local leaf still pending or unresolved here is not a difference in address).
 * Below a node whose type differs nothing more is compared.
 */
export function compareDelegateTrees(local: DelegateTree, remote: DelegateTree): DelegateTreeDifference[] {
  const out: DelegateTreeDifference[] = [];
  const stack: { l: DelegateTree; r: DelegateTree; where: string }[] = [{ l: local, r: remote, where: shownPath(remote) }];
  let visited = 0;
  while (stack.length > 0 && visited++ < MAX_DECODED_NODES) {
    const { l, r, where } = stack.pop()!;
    if (l.type !== r.type) {
      out.push({ where, local: `${l.type} ${shownPath(l)}`, remote: `${r.type} ${shownPath(r)}` });
      continue;
    }
    if (shownPath(l) !== shownPath(r)) out.push({ where, local: `path ${shownPath(l)}`, remote: `path ${shownPath(r)}` });
    const ld = l.dentry ? showDentry(l.dentry.dentry) : undefined;
    const rd = r.dentry ? showDentry(r.dentry.dentry) : undefined;
    if (ld !== rd) out.push({ where, local: ld === undefined ? 'no dentry' : `dentry ${ld}`, remote: rd === undefined ? 'no dentry' : `dentry ${rd}` });
    // r has l's type here.
    switch (l.type) {
      case 'leaf':
        compareBound(where, l.bound, (r as typeof l).bound, out);
        break;
      case 'transformation': {
        const rt = r as typeof l;
        if (l.name !== rt.name) out.push({ where, local: `transformer ${l.name}`, remote: `transformer ${rt.name}` });
        compareBound(where, l.bound, rt.bound, out);
        break;
      }
      case 'exception': {
        const rm = (r as typeof l).message;
        if (l.message !== rm) out.push({ where, local: `error ${l.message}`, remote: `error ${rm}` });
        break;
      }
    }
    const lk = kids(l);
    const rk = kids(r);
    if (lk.length !== rk.length) out.push({ where, local: `${lk.length} branches`, remote: `${rk.length} branches` });
    const pairs: { l: DelegateTree; r: DelegateTree; where: string }[] = [];
    for (let i = 0; i < Math.min(lk.length, rk.length); i++) {
      const a = lk[i]!;
      const b = rk[i]!;
      const step = `${where} → ${b.label ? `${b.label} → ` : ''}${shownPath(b.tree)}`;
      // Both are union branches (weighted) or neither is: the nodes have the same type.
      if (a.weight !== b.weight) out.push({ where: `${where} → ${b.label}`, local: `weight ${a.weight}`, remote: `weight ${b.weight}` });
      pairs.push({ l: a.tree, r: b.tree, where: step });
    }
    // Depth first, branches in order.
    for (let i = pairs.length - 1; i >= 0; i--) stack.push(pairs[i]!);
  }
  return out;
}
