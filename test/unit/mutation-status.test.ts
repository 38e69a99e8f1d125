// Exact values for core/delegate/explain.ts: each node's status as Linkerd's delegator UI reads it,
// and the primary path (what routing follows).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DelegateTree } from '../../core/delegate/delegate-tree.js';
import { nodeStatus, nodeStatuses, primaryNodes } from '../../core/delegate/explain.js';
import type { BoundName } from '../../core/model/names.js';

const P = ['p'];
const b = (port: number | undefined): BoundName => ({
  kind: 'bound',
  id: ['$', 'inet', 'h', String(port)],
  residual: [],
  addr: port === undefined ? { type: 'neg' } : { type: 'bound', addrs: [{ ip: '10.0.0.1', port, meta: {} }], meta: {} },
});
const leaf = (port: number | undefined): DelegateTree => ({ type: 'leaf', path: P, dentry: undefined, bound: b(port) });
const neg = (): DelegateTree => ({ type: 'neg', path: P, dentry: undefined });
const fail = (): DelegateTree => ({ type: 'fail', path: P, dentry: undefined });
const empty = (): DelegateTree => ({ type: 'empty', path: P, dentry: undefined });
const exc = (): DelegateTree => ({ type: 'exception', path: P, dentry: undefined, message: 'boom' });
const alt = (...alt: DelegateTree[]): DelegateTree => ({ type: 'alt', path: P, dentry: undefined, alt });
const uni = (...trees: DelegateTree[]): DelegateTree => ({ type: 'union', path: P, dentry: undefined, union: trees.map((tree) => ({ weight: 1, tree })) });
const del = (delegate: DelegateTree): DelegateTree => ({ type: 'delegate', path: P, dentry: undefined, delegate });
const tr = (port: number | undefined, tree: DelegateTree): DelegateTree => ({ type: 'transformation', path: P, dentry: undefined, name: 't', bound: b(port), tree });

describe('delegate/explain: nodeStatus', () => {
  it('leaves, `~`, `!`, `$` and exceptions', () => {
    assert.equal(nodeStatus(leaf(80)), 'success');
    assert.equal(nodeStatus(leaf(undefined)), 'neg');
    assert.equal(nodeStatus(neg()), 'neg');
    assert.equal(nodeStatus(fail()), 'fail');
    assert.equal(nodeStatus(exc()), 'fail');
    assert.equal(nodeStatus(empty()), 'success');
  });

  it('a delegate reads as its child; a transformation as its own result, whatever it was made from', () => {
    assert.equal(nodeStatus(del(neg())), 'neg');
    assert.equal(nodeStatus(del(fail())), 'fail');
    assert.equal(nodeStatus(del(leaf(1))), 'success');
    assert.equal(nodeStatus(tr(1, neg())), 'success');
    assert.equal(nodeStatus(tr(undefined, leaf(1))), 'neg');
    assert.equal(nodeStatus(tr(1, fail())), 'success');
  });

  it('an alternative reads as its first child that is not `~`; a union fails if any fails, else succeeds if any does', () => {
    assert.equal(nodeStatus(alt(neg(), fail(), leaf(1))), 'fail');
    assert.equal(nodeStatus(alt(neg(), leaf(1), fail())), 'success');
    assert.equal(nodeStatus(alt(neg(), neg())), 'neg');
    assert.equal(nodeStatus(alt()), 'neg');
    assert.equal(nodeStatus(uni(leaf(1), fail())), 'fail');
    assert.equal(nodeStatus(uni(neg(), leaf(1))), 'success');
    assert.equal(nodeStatus(uni(neg(), neg())), 'neg');
    assert.equal(nodeStatus(uni(neg(), empty())), 'success');
  });

  it('every node gets its status, the nodes under a transformation too, and a node shared by two parents once', () => {
    const shared = leaf(undefined);
    const under = leaf(5);
    const t = tr(1, under);
    const root = uni(alt(shared, t), del(shared));
    const st = nodeStatuses(root);
    assert.equal(st.size, 6);
    assert.deepEqual([st.get(root), st.get(shared), st.get(t), st.get(under)], ['success', 'neg', 'success', 'success']);
    // A deep chain is read without recursion.
    let deep: DelegateTree = leaf(1);
    for (let i = 0; i < 100_000; i++) deep = del(deep);
    assert.equal(nodeStatus(deep), 'success');
  });
});

describe('delegate/explain: primaryNodes', () => {
  it('through delegates and transformations, the first alternative that is not `~`, every union branch', () => {
    const skipped = neg();
    const chosen = leaf(1);
    const later = leaf(2);
    const made = leaf(3);
    const t = tr(4, made);
    const u = uni(t, fail());
    const a = alt(skipped, chosen, later);
    const root = del(uni(a, u));
    const p = primaryNodes(root);
    assert.deepEqual(
      [root, skipped, chosen, later, t, made, u, a].map((n) => p.has(n)),
      [true, false, true, false, true, true, true, true],
    );
    assert.equal(p.size, 8);
    // An alternative of `~` only: none of its children.
    const none = alt(neg(), neg());
    assert.deepEqual([...primaryNodes(none)], [none]);
    // A node reached twice is there once.
    const shared = leaf(1);
    assert.equal(primaryNodes(uni(shared, shared)).size, 2);
  });
});
