// Exact values for core/delegate/interpreter.ts: budgets at their bounds, the work a rewrite costs,
// configured namers in order (sync and async), Finagle's bind (unions, alternatives, weights,
// failures, pending answers), the delegator's exception nodes, waiting, and transformers.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BindDepthError, DelegateDepthError, DelegationBudgetError, NamingError, UnknownNamerError } from '../../core/delegate/errors.js';
import { Interpreter, type BoundTransformer, type ConfiguredNamer } from '../../core/delegate/interpreter.js';
import { assumedNamers, unresolvedNamer } from '../../core/delegate/namer-registry.js';
import type { Namer } from '../../core/delegate/system-namers.js';
import { parseDtab } from '../../core/index.js';
import { leaf, NEG, union, type NameTree } from '../../core/model/nametree.js';
import type { BoundName, Name } from '../../core/model/names.js';
import type { Path } from '../../core/model/path.js';
import { lowerDtab } from '../../core/syntax/lower.js';

const dtab = (text: string) => lowerDtab(parseDtab(text));
const addr = (port: number) => ({ type: 'bound' as const, addrs: [{ ip: '127.0.0.1', port, meta: {} }], meta: {} });
const bound = (id: string[], port: number, residual: string[] = []): BoundName => ({ kind: 'bound', id, residual, addr: addr(port) });
const CHAIN = dtab('/a => /b ;\n/b => /c ;\n/c => /$/inet/127.1/1 ;');
const INET1 = bound(['$', 'inet', '127.1', '1'], 1);

const budget = (what: string, n: number, kind: 'steps' | 'work' | 'nesting') => (e: unknown) => {
  assert.ok(e instanceof DelegationBudgetError);
  assert.deepEqual([e.what, e.budget, e.kind], [what, n, kind]);
  assert.equal(e.message, new DelegationBudgetError(what as 'delegation', n, kind).message);
  assert.ok(e.message.startsWith(`The ${what} stopped`));
  return true;
};

/** A namer answering from a table by the path under its prefix (joined with `/`); `~` otherwise. */
function tableNamer(table: Record<string, NameTree<Name>>, calls: string[] = []): Namer {
  return {
    lookup(path: Path) {
      calls.push(path.join('/'));
      return table[path.join('/')] ?? NEG;
    },
  };
}

/** A namer whose answers come later, when the test releases them. */
function laterNamer(table: Record<string, NameTree<Name>>) {
  const calls: string[] = [];
  const namer: Namer = {
    lookup(path: Path) {
      calls.push(path.join('/'));
      return Promise.resolve(table[path.join('/')] ?? NEG);
    },
  };
  return { namer, calls };
}

describe('interpreter: budgets at their bounds', () => {
  it('steps: exactly the budget is enough, one fewer stops, said for delegation or binding', () => {
    assert.equal(new Interpreter([], undefined, { stepBudget: 7 }).delegateSync(CHAIN, ['a']).type, 'delegate');
    assert.throws(() => new Interpreter([], undefined, { stepBudget: 6 }).delegateSync(CHAIN, ['a']), budget('delegation', 6, 'steps'));
    assert.deepEqual(new Interpreter([], undefined, { stepBudget: 5 }).bindSync(CHAIN, ['a']), leaf(INET1));
    assert.throws(() => new Interpreter([], undefined, { stepBudget: 4 }).bindSync(CHAIN, ['a']), budget('binding', 4, 'steps'));
  });

  it('work: each lookup costs one plus its matches; exactly the budget is enough', () => {
    const m = { work: 0 };
    new Interpreter().delegateSync(CHAIN, ['a'], m);
    assert.equal(m.work, 7);
    const b = { work: 0 };
    new Interpreter().bindSync(CHAIN, ['a'], b);
    assert.equal(b.work, 7);
    assert.equal(new Interpreter([], undefined, { workBudget: 7 }).delegateSync(CHAIN, ['a']).type, 'delegate');
    assert.throws(() => new Interpreter([], undefined, { workBudget: 6 }).delegateSync(CHAIN, ['a']), budget('delegation', 6, 'work'));
    assert.deepEqual(new Interpreter([], undefined, { workBudget: 7 }).bindSync(CHAIN, ['a']), leaf(INET1));
    assert.throws(() => new Interpreter([], undefined, { workBudget: 6 }).bindSync(CHAIN, ['a']), budget('binding', 6, 'work'));
  });

  it('work: a match costs the nodes of its destination (unions of alternatives counted whole) times the path it carries', () => {
    const d = dtab('/a => /b | (/c & (/d | /e)) ;');
    const work = (path: string[], f: 'delegateSync' | 'bindSync') => {
      const m = { work: 0 };
      new Interpreter()[f](d, path, m);
      return m.work;
    };
    // 7 nodes: alt(/b, union(/c, alt(/d, /e))); 1 + 7 × (1 + ⌈0/4⌉) for /a, then four lookups of 1.
    assert.equal(work(['a'], 'delegateSync'), 12);
    // With 5 more labels: 1 + 7 × (1 + ⌈5/4⌉) = 22, then four lookups of 1.
    assert.equal(work(['a', '1', '2', '3', '4', '5'], 'delegateSync'), 26);
    assert.equal(work(['a', '1', '2', '3', '4'], 'delegateSync'), 19);
    assert.equal(work(['a'], 'bindSync'), 12);
    const w = dtab('/a => /b & /c ;');
    const m = { work: 0 };
    new Interpreter().delegateSync(w, ['a'], m);
    // union(/b, /c): 3 nodes.
    assert.equal(m.work, 1 + 3 + 2);
    const single = { work: 0 };
    new Interpreter().delegateSync(dtab('/a => /b ;'), ['a'], single);
    assert.equal(single.work, 1 + 1 + 1);
  });

  it('nesting: a chain of 499 rewrites nests 998 levels in the delegator, 500 passes 1,000; binding nests once per rewrite', () => {
    const chain = (n: number) => dtab(Array.from({ length: n }, (_, i) => `/a${i} => /a${i + 1} ;`).join('\n'));
    const deep = new Interpreter([], undefined, { maxDelegateDepth: 1e6, maxBindDepth: 1e6 });
    assert.equal(deep.delegateSync(chain(499), ['a0']).type, 'delegate');
    assert.throws(() => deep.delegateSync(chain(500), ['a0']), budget('delegation', 1000, 'nesting'));
    assert.deepEqual(deep.bindSync(chain(998), ['a0']), NEG);
    assert.throws(() => deep.bindSync(chain(999), ['a0']), budget('binding', 1000, 'nesting'));
  });

  it('nesting is given back after each branch: a union of 1,200 branches is not deep', () => {
    const wide = dtab(`/a => ${Array.from({ length: 1200 }, (_, i) => `/$/inet/127.1/${i + 1}`).join(' & ')} ;`);
    const big = new Interpreter([], undefined, { stepBudget: 1e6, workBudget: 1e7 });
    const t = big.bindSync(wide, ['a']);
    assert.equal(t.type === 'union' ? t.trees.length : 0, 1200);
    const d = big.delegateSync(wide, ['a']);
    // (The delegator's tree is simplified: the union stands for the one dentry that rewrote /a.)
    assert.equal(d.type === 'union' ? d.union.length : 0, 1200);
  });

  it('depth: maxBindDepth and maxDelegateDepth rewrites are allowed, one more is not', () => {
    // /a → /b → /c → /$/inet: three rewrites to a path, a fourth lookup binds.
    assert.deepEqual(new Interpreter([], undefined, { maxBindDepth: 4 }).bindSync(CHAIN, ['a']), leaf(INET1));
    assert.throws(
      () => new Interpreter([], undefined, { maxBindDepth: 3 }).bindSync(CHAIN, ['a']),
      (e: unknown) => e instanceof BindDepthError && e.maxDepth === 3 && e.message === 'Max recursion level: 3 reached in Namer lookup',
    );
    assert.equal(new Interpreter([], undefined, { maxDelegateDepth: 4 }).delegateSync(CHAIN, ['a']).type, 'delegate');
    assert.throws(() => new Interpreter([], undefined, { maxDelegateDepth: 3 }).delegateSync(CHAIN, ['a']), (e: unknown) => e instanceof DelegateDepthError && e.message === 'Max recursion level reached.');
  });

  it('defaults: no configured namers, the system namer, depths 100, budgets 50,000 steps and 250,000 work, 2 s', () => {
    const i = new Interpreter();
    assert.deepEqual(i.namers, []);
    assert.deepEqual([i.maxBindDepth, i.maxDelegateDepth, i.stepBudget, i.workBudget, i.timeoutMs, i.transformers], [100, 100, 50_000, 250_000, 2_000, []]);
    assert.deepEqual(i.bindSync(CHAIN, ['a']), leaf(INET1));
    assert.deepEqual(i.bindSync(dtab('/a => /b ;'), ['x']), NEG);
  });
});

describe('interpreter: configured namers', () => {
  const hit = (port: number): NameTree<Name> => leaf(bound(['#', 'n', 'x'], port));

  it('in order under their prefixes: a `~` answer moves on to the next namer, then to /$/', () => {
    const calls: string[] = [];
    const namers: ConfiguredNamer[] = [
      { prefix: ['#', 'n'], namer: tableNamer({}, calls) },
      { prefix: ['#', 'other'], namer: tableNamer({ x: hit(9) }, calls) },
      { prefix: ['#', 'n'], namer: tableNamer({ x: hit(2) }, calls) },
    ];
    const i = new Interpreter(namers);
    assert.deepEqual(i.bindSync(dtab(''), ['#', 'n', 'x']), hit(2));
    assert.deepEqual(calls, ['x', 'x']);
    // A namer that answers is the answer: later ones are not asked.
    const first = new Interpreter([{ prefix: ['#', 'n'], namer: tableNamer({ x: hit(1) }) }, { prefix: ['#', 'n'], namer: tableNamer({ x: hit(2) }) }]);
    assert.deepEqual(first.bindSync(dtab(''), ['#', 'n', 'x']), hit(1));
  });

  it('later answers: a `~` that comes later also moves on', async () => {
    const a = laterNamer({});
    const b = laterNamer({ x: hit(3) });
    const i = new Interpreter([
      { prefix: ['#', 'n'], namer: a.namer },
      { prefix: ['#', 'n'], namer: b.namer },
    ]);
    assert.deepEqual(await i.bind(dtab(''), ['#', 'n', 'x']), hit(3));
    assert.deepEqual([a.calls, b.calls], [['x'], ['x']]);
    const d = await i.delegate(dtab('/s => /#/n/x ;'), ['s']);
    assert.deepEqual(d, {
      type: 'delegate',
      path: ['s'],
      dentry: undefined,
      delegate: { type: 'leaf', path: ['#', 'n', 'x'], dentry: { dentry: lowerDtab(parseDtab('/s => /#/n/x ;')).dentries[0], index: 0 }, bound: bound(['#', 'n', 'x'], 3) },
    });
  });

  it('one answer per path and run: paths are told apart element by element', () => {
    const calls: string[] = [];
    const n = tableNamer({ ab: leaf(bound(['#', 'n', 'ab'], 1)), 'a/b': leaf(bound(['#', 'n', 'a', 'b'], 2)) }, calls);
    const i = new Interpreter([{ prefix: ['#', 'n'], namer: n }]);
    const t = i.bindSync(dtab('/s => /#/n/ab & /#/n/a/b & /#/n/ab ;'), ['s']);
    assert.deepEqual(t, union([
      { weight: 1, tree: leaf({ ...bound(['#', 'n', 'ab'], 1), weight: 1 }) },
      { weight: 1, tree: leaf({ ...bound(['#', 'n', 'a', 'b'], 2), weight: 1 }) },
      { weight: 1, tree: leaf({ ...bound(['#', 'n', 'ab'], 1), weight: 1 }) },
    ]));
    assert.deepEqual(calls, ['ab', 'a/b']);
  });
});

describe('interpreter: bind (what routing picks)', () => {
  it('a leaf bound under a union carries its weight; one outside carries none', () => {
    const t = new Interpreter().bindSync(dtab('/a => 2 * /$/inet/127.1/1 & 3 * /$/inet/127.1/2 ;'), ['a']);
    assert.deepEqual(t, union([
      { weight: 2, tree: leaf({ ...INET1, weight: 2 }) },
      { weight: 3, tree: leaf({ ...bound(['$', 'inet', '127.1', '2'], 2), weight: 3 }) },
    ]));
    const plain = new Interpreter().bindSync(dtab('/a => /$/inet/127.1/1 ;'), ['a']);
    assert.deepEqual(plain, leaf(INET1));
    assert.equal(plain.type === 'leaf' && 'weight' in plain.value, false);
  });

  it('a union of branches that are all `~` is `~`, and so is an empty one; one that binds is kept alone', () => {
    const empty = new Interpreter([{ prefix: ['#', 'n'], namer: tableNamer({ x: { type: 'union', trees: [] }, y: { type: 'alt', trees: [] } }) }]);
    assert.deepEqual(empty.bindSync(dtab(''), ['#', 'n', 'x']), NEG);
    assert.deepEqual(empty.bindSync(dtab(''), ['#', 'n', 'y']), NEG);
    assert.deepEqual(new Interpreter().bindSync(dtab('/a => /x & /y ;'), ['a']), NEG);
    assert.deepEqual(new Interpreter().bindSync(dtab('/a => /x & /$/inet/127.1/1 ;'), ['a']), leaf({ ...INET1, weight: 1 }));
  });

  it('a union whose branches all fail fails with the first failure; one that binds wins over failures', () => {
    assert.throws(
      () => new Interpreter().bindSync(dtab('/a => /$/nope & /$/other ;'), ['a']),
      (e: unknown) => e instanceof UnknownNamerError && e.message === 'Unknown namer: nope for path: /$/nope',
    );
    assert.deepEqual(new Interpreter().bindSync(dtab('/a => /$/nope & /$/inet/127.1/1 ;'), ['a']), leaf({ ...INET1, weight: 1 }));
  });

  it('a union whose branches all wait is waiting (synchronously: an error naming the path)', () => {
    const later = laterNamer({ x: leaf(bound(['#', 'n', 'x'], 5)) });
    const i = new Interpreter([{ prefix: ['#', 'n'], namer: later.namer }]);
    assert.throws(
      () => i.bindSync(dtab('/a => /#/n/x & /#/n/y ;'), ['a']),
      (e: unknown) => e instanceof NamingError && e.message === 'A namer has not answered yet for /a',
    );
    // A branch that is `~` now is an answer (Finagle's union of the branches in Ok state).
    assert.deepEqual(i.bindSync(dtab('/a => /#/n/x & /nothing ;'), ['a']), NEG);
    // A failure beside a wait: the failure is the answer once nothing waits any more.
    assert.throws(
      () => i.bindSync(dtab('/a => /$/nope & /#/n/x ;'), ['a']),
      (e: unknown) => e instanceof UnknownNamerError,
    );
  });

  it('a union branch over the budget stops the whole bind (not a failure to skip)', () => {
    const fan = dtab(`/a => /$/inet/127.1/1 & /b ;\n/b => ${Array.from({ length: 50 }, (_, i) => `/c/${i}`).join(' & ')} ;`);
    assert.throws(() => new Interpreter([], undefined, { workBudget: 60 }).bindSync(fan, ['a']), budget('binding', 60, 'work'));
  });

  it('alternatives: the first that is not `~` (a failure included) is the answer', () => {
    assert.deepEqual(new Interpreter().bindSync(dtab('/a => ! | /$/inet/127.1/1 ;'), ['a']), { type: 'fail' });
    assert.deepEqual(new Interpreter().bindSync(dtab('/a => /x | /$/inet/127.1/1 ;'), ['a']), leaf(INET1));
    assert.deepEqual(new Interpreter().bindSync(dtab('/a => /x | /y ;'), ['a']), NEG);
    // Later dentries first: the two matches are alternatives.
    assert.deepEqual(new Interpreter().bindSync(dtab('/a => /$/inet/127.1/1 ;\n/a => /x ;'), ['a']), leaf(INET1));
  });
});

describe('interpreter: the delegator', () => {
  it('a branch that fails becomes an exception node of its parent; the others are kept', () => {
    const d = dtab('/a => /loop | /$/inet/127.1/1 ;\n/loop => /loop ;');
    const t = new Interpreter().delegateSync(d, ['a']);
    const e0 = { dentry: d.dentries[0], index: 0 };
    assert.deepEqual(t, {
      type: 'alt',
      path: ['a'],
      dentry: undefined,
      alt: [
        { type: 'exception', path: ['a'], dentry: e0, message: 'Max recursion level reached.' },
        { type: 'leaf', path: ['$', 'inet', '127.1', '1'], dentry: e0, bound: INET1 },
      ],
    });
  });

  it('a namer that has not answered yet is said in the synchronous delegator', () => {
    const later = laterNamer({ x: leaf(bound(['#', 'n', 'x'], 5)) });
    const t = new Interpreter([{ prefix: ['#', 'n'], namer: later.namer }]).delegateSync(dtab(''), ['#', 'n', 'x']);
    assert.deepEqual(t, { type: 'exception', path: ['#', 'n', 'x'], dentry: undefined, message: 'waiting for the namer to answer for /#/n/x' });
  });

  it('a namer failure is an exception node with its message', () => {
    const t = new Interpreter().delegateSync(dtab(''), ['$', 'nope']);
    assert.deepEqual(t, { type: 'exception', path: ['$', 'nope'], dentry: undefined, message: 'Unknown namer: nope for path: /$/nope' });
  });
});

describe('interpreter: waiting for answers', () => {
  it('answers that lead to more answers are all waited for (the wait is not used up by the first)', async () => {
    const first = laterNamer({ x: leaf({ kind: 'path', path: ['#', 'm', 'y'] }) });
    const second = laterNamer({ y: leaf(bound(['#', 'm', 'y'], 7)) });
    const i = new Interpreter(
      [
        { prefix: ['#', 'n'], namer: first.namer },
        { prefix: ['#', 'm'], namer: second.namer },
      ],
      undefined,
      { timeoutMs: 60_000 },
    );
    assert.deepEqual(await i.bind(dtab(''), ['#', 'n', 'x']), leaf(bound(['#', 'm', 'y'], 7)));
    assert.deepEqual([first.calls, second.calls], [['x'], ['y']]);
  });

  it('past the deadline, what still waits fails with the path and the time', async () => {
    const never: Namer = { lookup: () => new Promise<NameTree<Name>>(() => {}) };
    const i = new Interpreter([{ prefix: ['#', 'n'], namer: never }], undefined, { timeoutMs: 0 });
    await assert.rejects(i.bind(dtab(''), ['#', 'n', 'x']), (e: unknown) => e instanceof NamingError && e.message === 'No answer from the namer for /#/n/x within 0 ms');
    const t = await i.delegate(dtab(''), ['#', 'n', 'x']);
    assert.deepEqual(t, { type: 'exception', path: ['#', 'n', 'x'], dentry: undefined, message: 'No answer from the namer for /#/n/x within 0 ms' });
  });

  it('a namer that rejects is a failure with its message', async () => {
    const bad: Namer = { lookup: () => Promise.reject(new Error('boom')) };
    const i = new Interpreter([{ prefix: ['#', 'n'], namer: bad }]);
    await assert.rejects(i.bind(dtab(''), ['#', 'n', 'x']), (e: unknown) => e instanceof Error && e.message === 'boom');
    const str: Namer = { lookup: () => Promise.reject('plain') };
    await assert.rejects(new Interpreter([{ prefix: ['#', 'n'], namer: str }]).bind(dtab(''), ['#', 'n', 'x']), (e: unknown) => e instanceof Error && e.message === 'plain');
  });
});

describe('interpreter: transformers', () => {
  const calls: string[] = [];
  const tr = (name: string, port: number): BoundTransformer => ({
    name,
    apply(b: BoundName) {
      calls.push(`${name}:${b.id.join('/')}`);
      return port % 2 === 0 ? Promise.resolve({ ...b, id: [...b.id, name], addr: addr(port) }) : { ...b, id: [...b.id, name], addr: addr(port) };
    },
  });

  it('bind: every bound leaf through every transformer in order, each distinct leaf once; the tree keeps its shape', async () => {
    calls.length = 0;
    const i = new Interpreter([], undefined, { transformers: [tr('t1', 10), tr('t2', 11)] });
    const d = dtab('/a => (/$/inet/127.1/1 | /x) & /$/inet/127.1/2 ;');
    const t = await i.bind(d, ['a']);
    const out = (id: string[], w: number) => leaf({ kind: 'bound' as const, id: [...id, 't1', 't2'], residual: [], addr: addr(11), weight: w });
    assert.deepEqual(t, union([
      { weight: 1, tree: out(['$', 'inet', '127.1', '1'], 1) },
      { weight: 1, tree: out(['$', 'inet', '127.1', '2'], 1) },
    ]));
    assert.deepEqual(calls, ['t1:$/inet/127.1/1', 't2:$/inet/127.1/1/t1', 't1:$/inet/127.1/2', 't2:$/inet/127.1/2/t1']);
    // An alternative binds to its first child: only that one is transformed; unions nest.
    calls.length = 0;
    const alts: NameTree<Name> = { type: 'alt', trees: [leaf(bound(['#', 'n', 'x'], 1)), leaf(bound(['#', 'n', 'y'], 2))] };
    const nested: NameTree<Name> = union([
      { weight: 1, tree: leaf(bound(['#', 'n', 'p'], 1)) },
      { weight: 4, tree: union([{ weight: 2, tree: leaf(bound(['#', 'n', 'q'], 2)) }, { weight: 3, tree: leaf(bound(['#', 'n', 'r'], 3)) }]) },
    ]);
    const j = new Interpreter([{ prefix: ['#', 'n'], namer: tableNamer({ x: alts, u: nested }) }], undefined, { transformers: [tr('t1', 12)] });
    assert.deepEqual(await j.bind(dtab(''), ['#', 'n', 'x']), leaf(bound(['#', 'n', 'x', 't1'], 12)));
    assert.deepEqual(calls, ['t1:#/n/x']);
    calls.length = 0;
    const w = (id: string[], weight: number) => leaf({ ...bound([...id, 't1'], 12), weight });
    assert.deepEqual(await j.bind(dtab(''), ['#', 'n', 'u']), union([
      { weight: 1, tree: w(['#', 'n', 'p'], 1) },
      { weight: 4, tree: union([{ weight: 2, tree: w(['#', 'n', 'q'], 2) }, { weight: 3, tree: w(['#', 'n', 'r'], 3) }]) },
    ]));
    assert.deepEqual(calls, ['t1:#/n/p', 't1:#/n/q', 't1:#/n/r']);
    // `~` and failures are kept as they are.
    assert.deepEqual(await i.bind(dtab('/a => /x ;'), ['a']), NEG);
    assert.deepEqual(await i.bind(dtab('/a => ! ;'), ['a']), { type: 'fail' });
  });

  it('delegate: each bound leaf wrapped in one transformation node per transformer, innermost first', async () => {
    calls.length = 0;
    const i = new Interpreter([], undefined, { transformers: [tr('t1', 10), tr('t2', 11)] });
    const d = dtab('/a => /$/inet/127.1/1 & /$/inet/127.1/2 ;\n/b => /a | /x ;');
    const t = await i.delegate(d, ['b']);
    const e0 = { dentry: d.dentries[0], index: 0 };
    const e1 = { dentry: d.dentries[1], index: 1 };
    const wrapped = (port: number) => {
      const id = ['$', 'inet', '127.1', String(port)];
      const b0 = bound(id, port);
      const b1 = { ...b0, id: [...id, 't1'], addr: addr(10) };
      const b2 = { ...b1, id: [...id, 't1', 't2'], addr: addr(11) };
      const inner = { type: 'leaf', path: id, dentry: e0, bound: b0 };
      const t1 = { type: 'transformation', path: id, dentry: undefined, name: 't1', bound: b1, tree: inner };
      return { type: 'transformation', path: id, dentry: undefined, name: 't2', bound: b2, tree: t1 };
    };
    // (Simplified: the one-dentry rewrites /b → /a and /a → the union are folded into their results.)
    assert.deepEqual(t, {
      type: 'alt',
      path: ['b'],
      dentry: undefined,
      alt: [
        { type: 'union', path: ['a'], dentry: e1, union: [{ weight: 1, tree: wrapped(1) }, { weight: 1, tree: wrapped(2) }] },
        { type: 'neg', path: ['x'], dentry: e1 },
      ],
    });
    // The union's branches are transformed concurrently: each leaf's transformers in order.
    assert.deepEqual(calls, ['t1:$/inet/127.1/1', 't1:$/inet/127.1/2', 't2:$/inet/127.1/1/t1', 't2:$/inet/127.1/2/t1']);
    // Without transformers, the tree is the synchronous delegator's.
    assert.deepEqual(await new Interpreter().delegate(d, ['b']), new Interpreter().delegateSync(d, ['b']));
  });
});

describe('namer-registry: namers this process cannot ask', () => {
  const pending = (kind: string, id: string[], residual: string[]) => leaf({ kind: 'bound', id, residual, addr: { type: 'pending', unresolvedBy: kind } });

  it('bind the segments the namer binds (its shape), the rest is the residual; too few is `~`', () => {
    const k = unresolvedNamer({ kind: 'io.l5d.k8s', prefix: '/#/k8s/', params: {} });
    assert.deepEqual(k.lookup(['default', 'http', 'world', 'extra']), pending('io.l5d.k8s', ['#', 'k8s', 'default', 'http', 'world'], ['extra']));
    assert.deepEqual(k.lookup(['default', 'http', 'world']), pending('io.l5d.k8s', ['#', 'k8s', 'default', 'http', 'world'], []));
    assert.deepEqual(k.lookup(['default', 'http']), NEG);
    assert.deepEqual(k.lookup([]), NEG);
    const ns = unresolvedNamer({ kind: 'io.l5d.k8s.ns', prefix: '/#/io.l5d.k8s.ns', params: {} });
    assert.deepEqual(ns.lookup(['http', 'world', 'x']), pending('io.l5d.k8s.ns', ['#', 'io.l5d.k8s.ns', 'http', 'world'], ['x']));
    assert.deepEqual(ns.lookup(['http']), NEG);
  });

  it('a namer whose shape ends in a path of any length (`<zk path…>`), or of a kind not known, binds every segment; none is `~`', () => {
    for (const kind of ['io.l5d.serversets', 'com.example.custom']) {
      const n = unresolvedNamer({ kind, prefix: '/#/x', params: {} });
      assert.deepEqual(n.lookup(['a', 'b', 'c']), pending(kind, ['#', 'x', 'a', 'b', 'c'], []));
      assert.deepEqual(n.lookup(['a']), pending(kind, ['#', 'x', 'a'], []));
      assert.deepEqual(n.lookup([]), NEG);
    }
  });

  it('assumedNamers: every shipped namer at its default prefix, its params only its kind', () => {
    const a = assumedNamers();
    assert.deepEqual(a[0], { kind: 'io.l5d.fs', prefix: '/#/io.l5d.fs', params: { kind: 'io.l5d.fs' } });
    assert.ok(a.every((s) => s.prefix === `/#/${s.kind}` && JSON.stringify(s.params) === JSON.stringify({ kind: s.kind })));
    assert.deepEqual(
      a.map((s) => s.kind),
      ['io.l5d.fs', 'io.l5d.serversets', 'io.l5d.consul', 'io.l5d.k8s', 'io.l5d.k8s.external', 'io.l5d.k8s.ns', 'io.l5d.k8s.istio', 'io.l5d.marathon', 'io.l5d.zkLeader', 'io.l5d.curator', 'io.l5d.dnssrv', 'io.l5d.rancher'],
    );
  });
});
