// Checking routing assertions. The actual result of a path is its delegation (Linkerd's delegator:
// every alternative, every union branch) read as a name tree of the full names it ends at — a bound
// leaf is its id followed by the residual; a leaf bound by a namer this process cannot ask (no
// cluster or snapshot) keeps the path as written — then simplified as Finagle simplifies
// (NameTree.simplified: `~` dropped, an Alt cut after `!`, single survivors unwrapped). An
// assertion holds when that prints (NameTree.show) exactly as the expected tree does, so weights
// written differently (`9 *`, `9.0*`) agree. A name whose namer knows it but that has no endpoints
// (an address set that is negative or empty) is `~`, as Linkerd's Kubernetes namer answers.
//
// With `@ addresses`, the addresses of the names routing reaches (NameTree.eval: the first
// alternative that is not negative, every union branch) are compared as a set, when they are
// known; a name bound by a namer that is not connected here has none to compare (said in `note`).

import type { DelegateTree } from '../delegate/delegate-tree.js';
import { primaryNodes } from '../delegate/explain.js';
import { describeNode } from '../delegate/render.js';
import type { BoundName } from '../model/names.js';
import { alt, EMPTY, evaluate, FAIL, leaf, NEG, simplify, union, type NameTree } from '../model/nametree.js';
import type { Path } from '../model/path.js';
import { showDentry, showPath, showTree } from '../print/show.js';
import { addressText, sameShown, type DtabAssertion, type DtabTestFile } from './file.js';

export interface AssertionOutcome {
  readonly assertion: DtabAssertion;
  readonly ok: boolean;
  /** EXPECTED as NameTree.show, then ` @ a, b` (sorted) when the assertion lists addresses. */
  readonly expected: string;
  /**
   * The actual result the same way (` @ …` when the assertion lists addresses and they are
   * known), or `fails: <message>` when the delegation itself failed.
   */
  readonly actual: string;
  /** The actual tree alone (NameTree.show); undefined when the delegation failed. */
  readonly actualTree?: string;
  /** The actual addresses (sorted), when the assertion lists some and they are known. */
  readonly actualAddresses?: readonly string[];
  /** Why the addresses were not compared (then only the tree decides). */
  readonly note?: string;
  /** The delegation, for the steps that led there; undefined when it failed. */
  readonly delegation?: DelegateTree;
}

/** How a path is delegated (the caller's interpreter, dtab and namers). */
export type Delegator = (path: Path) => DelegateTree | Promise<DelegateTree>;

/** A bound name with no endpoints, as Linkerd reads it: negative. */
function noEndpoints(b: BoundName): boolean {
  return b.addr.type === 'neg' || (b.addr.type === 'bound' && b.addr.addrs.length === 0);
}

/** The children a node's name tree is made of (a delegate or transformation passes its own through). */
function parts(t: DelegateTree): readonly DelegateTree[] {
  return t.type === 'delegate' ? [t.delegate] : t.type === 'alt' ? t.alt : t.type === 'union' ? t.union.map((w) => w.tree) : [];
}

/**
 * A delegate tree as the name tree of the bound names it ends at (not yet simplified). Built
 * children first, without recursion on the tree's depth.
 */
export function delegationTree(tree: DelegateTree): NameTree<BoundName> {
  // Stryker disable next-line ArrayDeclaration: an extra first entry is built last, as nothing, and never read
  const order: DelegateTree[] = [];
  const stack: DelegateTree[] = [tree];
  while (stack.length > 0) {
    const t = stack.pop()!;
    order.push(t);
    for (const c of parts(t)) stack.push(c);
  }
  const built = new Map<DelegateTree, NameTree<BoundName>>();
  for (let k = order.length - 1; k >= 0; k--) {
    const t = order[k]!;
    let out: NameTree<BoundName>;
    switch (t.type) {
      case 'delegate':
        out = built.get(t.delegate)!;
        break;
      case 'transformation':
        // The outermost transformation holds the final name.
        out = noEndpoints(t.bound) ? NEG : leaf(t.bound);
        break;
      case 'alt':
        out = alt(t.alt.map((c) => built.get(c)!));
        break;
      case 'union':
        out = union(t.union.map((w) => ({ weight: w.weight, tree: built.get(w.tree)! })));
        break;
      case 'leaf':
        out = noEndpoints(t.bound) ? NEG : leaf(t.bound);
        break;
      case 'neg':
        out = NEG;
        break;
      case 'fail':
        out = FAIL;
        break;
      case 'empty':
        out = EMPTY;
        break;
      case 'exception':
        // A lookup that throws fails the binding (Namer.bind: no fallback on exceptions).
        out = FAIL;
        break;
    }
    built.set(t, out);
  }
  return built.get(tree)!;
}

/** A bound name as a full name: its id, then the residual. */
export function fullName(b: BoundName): string {
  return showPath(fullPath(b));
}

function fullPath(b: BoundName): Path {
  return [...b.id, ...b.residual];
}

export interface RoutingResult {
  /** The simplified tree of bound names. */
  readonly tree: NameTree<BoundName>;
  /** Its NameTree.show, each leaf a full name. */
  readonly text: string;
  /** The addresses routing reaches (sorted, each once); undefined when some are not known here. */
  readonly addresses: readonly string[] | undefined;
}

/** A routing result whose text and addresses are made when first read. */
class Result implements RoutingResult {
  private shown: string | undefined;
  private reached: readonly string[] | undefined | null = null;

  constructor(readonly tree: NameTree<BoundName>) {}

  get text(): string {
    return (this.shown ??= showTree(this.tree, fullName));
  }

  get addresses(): readonly string[] | undefined {
    if (this.reached === null) this.reached = reachedAddresses(this.tree);
    return this.reached;
  }
}

/** The actual result of a delegation. */
export function routingResult(delegation: DelegateTree): RoutingResult {
  return new Result(simplify(delegationTree(delegation)));
}

/** The addresses routing reaches (sorted, each once); undefined when some are not known here. */
function reachedAddresses(tree: NameTree<BoundName>): readonly string[] | undefined {
  const reached = evaluate(tree);
  let addresses: string[] | undefined = [];
  for (const b of reached ?? []) {
    if (b.addr.type !== 'bound') {
      addresses = undefined;
      break;
    }
    for (const a of b.addr.addrs) addresses.push(addressText(a.ip, a.port));
  }
  return addresses && [...new Set(addresses)].sort();
}

function withAddresses(tree: string, addresses: readonly string[]): string {
  return addresses.length === 0 ? tree : `${tree} @ ${addresses.join(', ')}`;
}

const UNCHECKED = 'addresses not checked: a name is bound by a namer with no cluster data here (give a snapshot or a cluster)';

/** An outcome whose printed forms are made when first read (the verdict compares trees). */
class Outcome implements AssertionOutcome {
  private shownExpected: string | undefined;
  private shownActual: string | undefined;

  constructor(
    readonly assertion: DtabAssertion,
    readonly ok: boolean,
    private readonly wanted: readonly string[] | undefined,
    private readonly result: RoutingResult | string,
    readonly actualAddresses: readonly string[] | undefined,
    readonly note: string | undefined,
    readonly delegation: DelegateTree | undefined,
  ) {}

  get expected(): string {
    return (this.shownExpected ??= this.wanted ? withAddresses(this.assertion.expectedText, this.wanted) : this.assertion.expectedText);
  }

  get actual(): string {
    if (typeof this.result === 'string') return this.result;
    return (this.shownActual ??= this.actualAddresses ? withAddresses(this.result.text, this.actualAddresses) : this.result.text);
  }

  get actualTree(): string | undefined {
    // Stryker disable next-line ConditionalExpression,StringLiteral: a string result has no text property either (undefined)
    return typeof this.result === 'string' ? undefined : this.result.text;
  }
}

/** Judges one assertion against its delegation (or the error delegating it threw). */
export function judge(assertion: DtabAssertion, delegation: DelegateTree | Error): AssertionOutcome {
  const wanted = assertion.addresses ? [...new Set(assertion.addresses.list.map((a) => a.text))].sort() : undefined;
  if (delegation instanceof Error) return new Outcome(assertion, false, wanted, `fails: ${delegation.message}`, undefined, undefined, undefined);
  const r = routingResult(delegation);
  const treeOk = sameShown(r.tree, assertion.expected, fullPath, samePath);
  const known = wanted ? r.addresses : undefined;
  const ok = treeOk && (!wanted || known === undefined || (known.length === wanted.length && known.every((a, i) => a === wanted[i])));
  return new Outcome(assertion, ok, wanted, r, known, wanted && known === undefined ? UNCHECKED : undefined, delegation);
}

const samePath = (p: Path): Path => p;

function asError(e: unknown): Error {
  return e instanceof Error ? e : new Error(String(e));
}

/** Every assertion of a file, in order (the delegations one at a time). */
export async function runAssertions(file: DtabTestFile, delegate: Delegator): Promise<AssertionOutcome[]> {
  const out: AssertionOutcome[] = [];
  for (const a of file.assertions) {
    let d: DelegateTree | Error;
    try {
      d = await delegate(a.path);
    } catch (e) {
      d = asError(e);
    }
    out.push(judge(a, d));
  }
  return out;
}

/** The same, for a delegator that answers at once (no namer waits). */
export function runAssertionsSync(file: DtabTestFile, delegate: (path: Path) => DelegateTree): AssertionOutcome[] {
  return file.assertions.map((a) => {
    let d: DelegateTree | Error;
    try {
      d = delegate(a.path);
    } catch (e) {
      d = asError(e);
    }
    return judge(a, d);
  });
}

/** One step of the primary path (what routing uses): what happened, and the dentry that did it. */
export interface DelegationStep {
  readonly text: string;
  /** Index of the dentry (in the delegated dtab) that produced this step. */
  readonly dentry?: number;
  /** That dentry, as Dentry.show. */
  readonly dentryText?: string;
}

/** The steps routing takes through a delegation, in order (depth first). */
export function delegationSteps(tree: DelegateTree): DelegationStep[] {
  const primary = primaryNodes(tree);
  const out: DelegationStep[] = [];
  // Depth first, in order, without recursion: children are pushed last-first.
  const stack: DelegateTree[] = [tree];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (!primary.has(t)) continue;
    out.push({ text: describeNode(t), ...(t.dentry ? { dentry: t.dentry.index, dentryText: showDentry(t.dentry.dentry) } : {}) });
    const kids = t.type === 'transformation' ? [t.tree] : parts(t);
    // Stryker disable next-line ArithmeticOperator: from past the end, kids[i] is undefined, which is no primary node: popped and skipped
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  return out;
}

/** The text the quick fix writes: the actual tree, and the addresses when the assertion lists some. */
export function acceptedText(o: AssertionOutcome): { expected: string; addresses?: string } | undefined {
  if (o.actualTree === undefined) return undefined;
  if (!o.assertion.addresses) return { expected: o.actualTree };
  if (!o.actualAddresses || o.actualAddresses.length === 0) return { expected: o.actualTree };
  return { expected: o.actualTree, addresses: `@ ${o.actualAddresses.join(', ')}` };
}
