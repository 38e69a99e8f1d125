// Linkerd 1.x's ConfiguredNamersInterpreter: how a router binds a name (Finagle's Namer.bind over
// "dtab first, then configured namers, then /$/ system namers") and how the delegator explains it.
//
// The engine runs synchronously. A namer that answers later (a Promise: Kubernetes, DNS, namerd)
// makes the run record it as pending; the async entry points wait for every pending answer and
// run again, so callers see the settled result, as Linkerd's delegator does when it waits for
// addresses to leave Pending.

import type { DentryMatch, Dtab } from '../model/dtab.js';
import { alt, leaf, NEG, simplify, union, type NameTree, type Weighted } from '../model/nametree.js';
import { startsWith, EMPTY_PATH, type Path } from '../model/path.js';
import { showPath } from '../print/show.js';
import { type DelegateTree, type NodeDentry, simplifyDelegateTree } from './delegate-tree.js';
import { BindDepthError, DelegateDepthError, DelegationBudgetError, NamingError } from './errors.js';
import type { BoundName, Name } from '../model/names.js';
import { SystemNamer, type Namer } from './system-namers.js';

/** A configured namer (`namers:` in linkerd's config), answering under `/#/<prefix>`. */
export interface ConfiguredNamer {
  /** The full prefix, e.g. `/#/io.l5d.k8s`. */
  readonly prefix: Path;
  readonly namer: Namer;
}

export interface InterpreterOptions {
  /** Finagle's namerMaxDepth flag (default 100). */
  readonly maxBindDepth?: number;
  /** Linkerd's delegator depth limit (100). */
  readonly maxDelegateDepth?: number;
  /** Our guard against exponential fan-out (see DelegationBudgetError): expansions. */
  readonly stepBudget?: number;
  /**
   * Our guard on the work itself: every dentry matched and every node a rewrite creates counts
   * one, so a step that matches 1,000 dentries costs 1,000, not 1.
   */
  readonly workBudget?: number;
  /** How long the async entry points wait for namers that answer later. */
  readonly timeoutMs?: number;
  /**
   * Interpreter-level transformers (a router's `interpreter.transformers`), in order: applied to
   * every bound leaf by the async entry points; the delegator shows each as a transformation node.
   */
  readonly transformers?: readonly BoundTransformer[];
}

/** A transformer of bound names (io.l5d.k8s.daemonset, io.l5d.k8s.localnode, …). */
export interface BoundTransformer {
  /** As the delegator names it (Linkerd: the transformer's class). */
  readonly name: string;
  apply(bound: BoundName): BoundName | Promise<BoundName>;
}

export type BoundTree = NameTree<BoundName>;

type LookupState =
  | { readonly state: 'ok'; readonly tree: NameTree<Name> }
  | { readonly state: 'failed'; readonly error: Error }
  | { readonly state: 'pending'; readonly promise: Promise<void> };

/** Thrown through the synchronous engine when an answer is not there yet. */
class PendingSignal {}

/** The namer answers of one delegation or bind, kept across re-runs. */
class Run {
  readonly cache = new Map<string, LookupState>();
  // Stryker disable next-line ArrayDeclaration: only settle() reads it, and it empties it before each attempt
  pending: Promise<void>[] = [];
  timedOut = false;
  steps = 0;
  work = 0;
  /** How deep the engine's own recursion is (nested trees inside rewrites inside rewrites). */
  nesting = 0;

  constructor(
    readonly budget: number,
    readonly workBudget: number,
  ) {}

  step(what: 'delegation' | 'binding'): void {
    if (++this.steps > this.budget) throw new DelegationBudgetError(what, this.budget, 'steps');
  }

  charge(what: 'delegation' | 'binding', units: number): void {
    this.work += units;
    if (this.work > this.workBudget) throw new DelegationBudgetError(what, this.workBudget, 'work');
  }

  enter(what: 'delegation' | 'binding'): void {
    if (++this.nesting > MAX_ENGINE_NESTING) throw new DelegationBudgetError(what, MAX_ENGINE_NESTING, 'nesting');
  }

  leave(): void {
    this.nesting--;
  }
}

/**
 * How deep the engine may recurse: rewrites (at most 100 deep, as in Linkerd) times the nesting of
 * the trees they produce. Far beyond any real dtab, and far below the JavaScript stack's limit.
 */
const MAX_ENGINE_NESTING = 1_000;

/** The size of a destination tree (nodes), computed once per tree. */
const sizes = new WeakMap<object, number>();
function treeSize(t: NameTree<Path>): number {
  if (t.type !== 'alt' && t.type !== 'union') return 1;
  let n = sizes.get(t);
  // Stryker disable next-line ConditionalExpression: a cache: computing the size again gives the same
  if (n !== undefined) return n;
  n = 1;
  if (t.type === 'alt') for (const c of t.trees) n += treeSize(c);
  else for (const w of t.trees) n += treeSize(w.tree);
  sizes.set(t, n);
  return n;
}

/**
 * The work of rewriting `path` with each of these matches: the nodes of every tree made from them,
 * and the path elements they hold (each leaf gets the rest of the path appended), so that memory
 * is bounded too when paths grow with every rewrite.
 */
function matchWork(ms: readonly DentryMatch[], path: Path): number {
  let n = 1;
  for (const m of ms) n += treeSize(m.dentry.dst) * (1 + Math.ceil((path.length - m.dentry.prefix.length) / 4));
  return n;
}

function keyOf(path: Path): string {
  return path.join('\u0100');
}

export class Interpreter {
  readonly maxBindDepth: number;
  readonly maxDelegateDepth: number;
  readonly stepBudget: number;
  readonly workBudget: number;
  readonly timeoutMs: number;
  readonly transformers: readonly BoundTransformer[];

  constructor(
    readonly namers: readonly ConfiguredNamer[] = [],
    readonly system: Namer = new SystemNamer(),
    options: InterpreterOptions = {},
  ) {
    this.maxBindDepth = options.maxBindDepth ?? 100;
    this.maxDelegateDepth = options.maxDelegateDepth ?? 100;
    this.stepBudget = options.stepBudget ?? 50_000;
    this.workBudget = options.workBudget ?? 250_000;
    this.transformers = options.transformers ?? [];
    this.timeoutMs = options.timeoutMs ?? 2_000;
  }

  // ---- namers -------------------------------------------------------------------------------

  /** Configured namers in order (a `~` answer moves on), then `/$/` (Namer.global). */
  private namerLookup(run: Run, path: Path): NameTree<Name> {
    const key = keyOf(path);
    let st = run.cache.get(key);
    if (st === undefined) {
      st = this.startLookup(path, (settled) => run.cache.set(key, settled));
      run.cache.set(key, st);
    }
    switch (st.state) {
      case 'ok':
        return st.tree;
      case 'failed':
        throw st.error;
      case 'pending':
        if (run.timedOut) throw new NamingError(`No answer from the namer for ${showPath(path)} within ${this.timeoutMs} ms`);
        run.pending.push(st.promise);
        throw new PendingSignal();
    }
  }

  /** Asks the namers; an answer that comes later replaces the pending entry through `update`. */
  private startLookup(path: Path, update: (settled: LookupState) => void): LookupState {
    try {
      const r = this.lookupChain(path, 0);
      if (!(r instanceof Promise)) return { state: 'ok', tree: r };
      const promise = r.then(
        (tree) => update({ state: 'ok', tree }),
        (error: unknown) => update({ state: 'failed', error: asError(error) }),
      );
      return { state: 'pending', promise };
    } catch (e) {
      return { state: 'failed', error: asError(e) };
    }
  }

  private lookupChain(path: Path, from: number): NameTree<Name> | Promise<NameTree<Name>> {
    for (let i = from; i < this.namers.length; i++) {
      const { prefix, namer } = this.namers[i]!;
      if (!startsWith(path, prefix)) continue;
      const r = namer.lookup(path.slice(prefix.length));
      if (r instanceof Promise) return r.then((t) => (t.type === 'neg' ? this.lookupChain(path, i + 1) : t));
      if (r.type !== 'neg') return r;
    }
    return this.system.lookup(path);
  }

  // ---- bind (what routing picks) --------------------------------------------------------------

  /** ConfiguredNamersInterpreter.lookup(dtab): the dtab if anything but `~` comes out, else namers. */
  private lookup(run: Run, dtab: Dtab, path: Path): NameTree<Name> {
    const ms = dtab.matches(path);
    run.charge('binding', matchWork(ms, path));
    const t: NameTree<Path> = ms.length === 0 ? NEG : ms.length === 1 ? ms[0]!.tree : alt(ms.map((m) => m.tree));
    if (t.type !== 'neg') return toNames(t);
    return this.namerLookup(run, path);
  }

  private bindTree(run: Run, dtab: Dtab, depth: number, weight: number | undefined, tree: NameTree<Name>): BoundTree {
    if (depth > this.maxBindDepth) throw new BindDepthError(this.maxBindDepth);
    run.step('binding');
    run.enter('binding');
    try {
      return this.bindNode(run, dtab, depth, weight, tree);
    } finally {
      run.leave();
    }
  }

  private bindNode(run: Run, dtab: Dtab, depth: number, weight: number | undefined, tree: NameTree<Name>): BoundTree {
    switch (tree.type) {
      case 'leaf': {
        const v = tree.value;
        if (v.kind === 'path') return this.bindTree(run, dtab, depth + 1, weight, this.lookup(run, dtab, v.path));
        return leaf(weight === undefined ? v : { ...v, weight });
      }
      case 'neg':
      case 'fail':
      case 'empty':
        return tree;
      case 'union': {
        // Finagle's union: the branches that bind; with none, the first failure, else waiting, else `~`.
        const ok: Weighted<BoundName>[] = [];
        let failure: unknown;
        let pending = false;
        for (const w of tree.trees) {
          try {
            ok.push({ weight: w.weight, tree: this.bindTree(run, dtab, depth, w.weight, w.tree) });
          } catch (e) {
            if (e instanceof DelegationBudgetError) throw e;
            // Stryker disable next-line ConditionalExpression: ('false') a PendingSignal kept as the failure is thrown on all the same
            if (e instanceof PendingSignal) pending = true;
            else failure ??= e;
          }
        }
        if (ok.length > 0) return simplify(union(ok));
        if (failure !== undefined) throw failure;
        if (pending) throw new PendingSignal();
        return NEG;
      }
      case 'alt': {
        for (const child of tree.trees) {
          const r = this.bindTree(run, dtab, depth, weight, child);
          // The first that is not `~` (a failure included) is the answer.
          if (r.type !== 'neg') return r;
        }
        return NEG;
      }
    }
  }

  /** Namer.bind of `path` through `dtab`, synchronously: throws if a namer has not answered yet. */
  bindSync(dtab: Dtab, path: Path, meter?: { work: number }): BoundTree {
    const run = new Run(this.stepBudget, this.workBudget);
    try {
      return this.bindRun(run, dtab, path);
    } finally {
      if (meter) meter.work += run.work;
    }
  }

  private bindRun(run: Run, dtab: Dtab, path: Path): BoundTree {
    try {
      return this.bindTree(run, dtab, 0, undefined, leaf({ kind: 'path', path }));
    } catch (e) {
      if (e instanceof PendingSignal) throw new NamingError(`A namer has not answered yet for ${showPath(path)}`);
      throw e;
    }
  }

  /** Namer.bind, waiting (up to timeoutMs) for namers that answer later; then the transformers. */
  async bind(dtab: Dtab, path: Path): Promise<BoundTree> {
    const tree = await this.bindUntransformed(dtab, path);
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a fast path: with no transformers, transforming gives an equal tree
    if (this.transformers.length === 0) return tree;
    return transformBound(tree, (b) => this.transform(b));
  }

  private bindUntransformed(dtab: Dtab, path: Path): Promise<BoundTree> {
    return this.settle((run) => {
      try {
        return this.bindTree(run, dtab, 0, undefined, leaf({ kind: 'path', path }));
      } catch (e) {
        if (e instanceof PendingSignal) return undefined;
        throw e;
      }
    });
  }

  // ---- delegate (the explanation) ---------------------------------------------------------------

  /** Linkerd's delegator, synchronously (namers must answer at once). Throws on a plain cycle. */
  delegateSync(dtab: Dtab, path: Path, meter?: { work: number }): DelegateTree {
    const run = new Run(this.stepBudget, this.workBudget);
    try {
      return this.delegateRun(run, dtab, path);
    } finally {
      if (meter) meter.work += run.work;
    }
  }

  /** Linkerd's delegator, waiting (up to timeoutMs) for namers that answer later; then the transformers. */
  async delegate(dtab: Dtab, path: Path): Promise<DelegateTree> {
    const tree = await this.settle((run) => this.delegateRun(run, dtab, path));
    // Stryker disable next-line ConditionalExpression,EqualityOperator: a fast path: with no transformers, transforming gives an equal tree
    if (this.transformers.length === 0) return tree;
    return transformDelegateTree(tree, this.transformers);
  }

  /** Every transformer in order. */
  private async transform(b: BoundName): Promise<BoundName> {
    let out = b;
    for (const t of this.transformers) out = await t.apply(out);
    return out;
  }

  private delegateRun(run: Run, dtab: Dtab, path: Path): DelegateTree {
    const tree = this.expandUnbound(run, dtab, 0, undefined, path);
    return simplifyDelegateTree(tree);
  }

  /** An unbound leaf (name `value`, produced by `dentry`): look it up and expand the result. */
  private expandUnbound(run: Run, dtab: Dtab, depth: number, dentry: NodeDentry | undefined, value: Path): DelegateTree {
    return this.expand(run, dtab, depth + 1, this.delegateLookup(run, dtab, dentry, value));
  }

  private expand(run: Run, dtab: Dtab, depth: number, node: Expandable): DelegateTree {
    if (depth > this.maxDelegateDepth) throw new DelegateDepthError();
    run.step('delegation');
    run.enter('delegation');
    try {
      return this.expandNode(run, dtab, depth, node);
    } finally {
      run.leave();
    }
  }

  private expandNode(run: Run, dtab: Dtab, depth: number, node: Expandable): DelegateTree {
    switch (node.type) {
      case 'unbound':
        return this.expandUnbound(run, dtab, depth, node.dentry, node.value);
      case 'delegate':
        return { type: 'delegate', path: node.path, dentry: node.dentry, delegate: this.expand(run, dtab, depth, node.delegate) };
      case 'alt':
        return {
          type: 'alt',
          path: node.path,
          dentry: node.dentry,
          alt: node.alt.map((c) => this.guard(node, () => this.expand(run, dtab, depth, c))),
        };
      case 'union':
        return {
          type: 'union',
          path: node.path,
          dentry: node.dentry,
          union: node.union.map((w) => ({ weight: w.weight, tree: this.guard(node, () => this.expand(run, dtab, depth, w.tree)) })),
        };
      default:
        return node;
    }
  }

  /** A branch of an Alt or Union that fails becomes an exception node of its parent. */
  private guard(parent: { path: Path; dentry: NodeDentry | undefined }, f: () => DelegateTree): DelegateTree {
    try {
      return f();
    } catch (e) {
      if (e instanceof DelegationBudgetError || e instanceof PendingSignal) throw e;
      return { type: 'exception', path: parent.path, dentry: parent.dentry, message: asError(e).message };
    }
  }

  /**
   * One step of the delegator: the dentries matching `path` (latest first), each as a subtree of
   * its rewritten destination; with no match, the namers alone (no dtab) answer.
   */
  private delegateLookup(run: Run, dtab: Dtab, dentry: NodeDentry | undefined, path: Path): Expandable {
    const ms = dtab.matches(path);
    run.charge('delegation', matchWork(ms, path));
    if (ms.length === 0) {
      try {
        const answer = this.namerLookup(run, path);
        // A namer's `~` keeps the path (a `~` written in a dentry shows as "~").
        if (answer.type === 'neg') return { type: 'neg', path, dentry };
        return fromNameTree(path, dentry, answer);
      } catch (e) {
        if (e instanceof PendingSignal) {
          return { type: 'exception', path, dentry, message: `waiting for the namer to answer for ${showPath(path)}` };
        }
        return { type: 'exception', path, dentry, message: asError(e).message };
      }
    }
    const subtrees = ms.map((m) => fromNameTree(path, { dentry: m.dentry, index: m.index }, toNames(m.tree)));
    if (subtrees.length === 1) return { type: 'delegate', path, dentry, delegate: subtrees[0]! };
    return { type: 'alt', path, dentry, alt: subtrees };
  }

  // ---- waiting ---------------------------------------------------------------------------------

  private async settle<T>(attempt: (run: Run) => T | undefined): Promise<T> {
    const run = new Run(this.stepBudget, this.workBudget);
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      run.pending = [];
      run.steps = 0;
      run.work = 0;
      run.nesting = 0;
      const r = attempt(run);
      if (run.pending.length === 0) {
        // Stryker disable next-line ConditionalExpression,StringLiteral: never taken: an attempt gives undefined only on a PendingSignal, which always adds to run.pending
        if (r === undefined) throw new NamingError('No answer from the namers');
        return r;
      }
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), Math.max(0, deadline - Date.now()))));
      // Stryker disable next-line ArrowFunction: only 'timeout' is told apart; undefined is not 'timeout' either
      const outcome = await Promise.race([Promise.all(run.pending).then(() => 'done' as const), timeout]);
      clearTimeout(timer);
      // Past the deadline, what is still pending fails with a clear message on the next run.
      if (outcome === 'timeout') run.timedOut = true;
    }
  }
}

/** Delegator nodes before expansion: the DelegateTree plus unbound leaves. */
type Expandable =
  | DelegateTree
  | { readonly type: 'unbound'; readonly path: Path; readonly dentry: NodeDentry | undefined; readonly value: Path }
  | { readonly type: 'delegate'; readonly path: Path; readonly dentry: NodeDentry | undefined; readonly delegate: Expandable }
  | { readonly type: 'alt'; readonly path: Path; readonly dentry: NodeDentry | undefined; readonly alt: readonly Expandable[] }
  | {
      readonly type: 'union';
      readonly path: Path;
      readonly dentry: NodeDentry | undefined;
      readonly union: readonly { readonly weight: number; readonly tree: Expandable }[];
    };

/** DelegateTree.fromNameTree: every node gets `path` and `dentry`; a literal `~` has the empty path. */
function fromNameTree(path: Path, dentry: NodeDentry | undefined, tree: NameTree<Name>): Expandable {
  switch (tree.type) {
    case 'neg':
      return { type: 'neg', path: EMPTY_PATH, dentry };
    case 'fail':
      return { type: 'fail', path, dentry };
    case 'empty':
      return { type: 'empty', path, dentry };
    case 'leaf':
      return tree.value.kind === 'path'
        ? { type: 'unbound', path, dentry, value: tree.value.path }
        : { type: 'leaf', path, dentry, bound: tree.value };
    case 'alt':
      return { type: 'alt', path, dentry, alt: tree.trees.map((t) => fromNameTree(path, dentry, t)) };
    case 'union':
      return {
        type: 'union',
        path,
        dentry,
        union: tree.trees.map((w) => ({ weight: w.weight, tree: fromNameTree(path, dentry, w.tree) })),
      };
  }
}

function toNames(tree: NameTree<Path>): NameTree<Name> {
  switch (tree.type) {
    case 'leaf':
      return leaf({ kind: 'path', path: tree.value });
    case 'alt':
      return alt(tree.trees.map(toNames));
    case 'union':
      return union(tree.trees.map((w) => ({ weight: w.weight, tree: toNames(w.tree) })));
    default:
      return tree;
  }
}

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}


/**
 * Each bound leaf replaced, in order (transformers keep the tree's shape). A bound tree holds no
 * alternatives (an alternative binds to its first child that is not `~`): leaves and unions.
 * Recursion is bounded by the engine's nesting limit, which bounded the bind that made the tree.
 */
async function transformBound(tree: BoundTree, f: (b: BoundName) => Promise<BoundName>): Promise<BoundTree> {
  if (tree.type === 'leaf') return leaf(await f(tree.value));
  if (tree.type !== 'union') return tree;
  const trees: Weighted<BoundName>[] = [];
  for (const w of tree.trees) trees.push({ weight: w.weight, tree: await transformBound(w.tree, f) });
  return union(trees);
}

/** Each bound leaf wrapped in one transformation node per transformer, innermost first (Linkerd's delegateBind). */
async function transformDelegateTree(tree: DelegateTree, transformers: readonly BoundTransformer[]): Promise<DelegateTree> {
  const rebuild = async (t: DelegateTree): Promise<DelegateTree> => {
    switch (t.type) {
      case 'leaf': {
        let node: DelegateTree = t;
        let bound = t.bound;
        for (const tr of transformers) {
          const next = await tr.apply(bound);
          node = { type: 'transformation', path: t.path, dentry: undefined, name: tr.name, bound: next, tree: node };
          bound = next;
        }
        return node;
      }
      case 'delegate':
        return { ...t, delegate: await rebuild(t.delegate) };
      case 'alt':
        return { ...t, alt: await Promise.all(t.alt.map(rebuild)) };
      case 'union':
        return { ...t, union: await Promise.all(t.union.map(async (w) => ({ weight: w.weight, tree: await rebuild(w.tree) }))) };
      default:
        return t;
    }
  };
  return rebuild(tree);
}
