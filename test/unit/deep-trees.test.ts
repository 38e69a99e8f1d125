// Delegate trees as deep as a server makes them (namerd's or linkerd's delegator answers are
// decoded without a depth limit): reading their status and primary path must not recurse on depth.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nodeStatus, primaryNodes, type DelegateTree } from '../../core/index.js';

const DEPTH = 100_000;

function chain(end: DelegateTree, wrap: (t: DelegateTree, i: number) => DelegateTree): DelegateTree {
  let t = end;
  for (let i = 0; i < DEPTH; i++) t = wrap(t, i);
  return t;
}

describe('delegate trees 100,000 deep', () => {
  const neg: DelegateTree = { type: 'neg', path: ['n'], dentry: undefined };
  const fail: DelegateTree = { type: 'fail', path: ['f'], dentry: undefined };

  it('a chain of delegations reads as its end, and every node is on the primary path', () => {
    const t = chain(fail, (c, i) => ({ type: 'delegate', path: ['p', String(i)], dentry: undefined, delegate: c }));
    assert.equal(nodeStatus(t), 'fail');
    assert.equal(primaryNodes(t).size, DEPTH + 1);
  });

  it('alternatives nested in their second branch: the first non-neg branch is followed, the negs are not', () => {
    const t = chain(fail, (c, i) => ({ type: 'alt', path: ['a', String(i)], dentry: undefined, alt: [neg, c] }));
    assert.equal(nodeStatus(t), 'fail');
    const primary = primaryNodes(t);
    assert.equal(primary.size, DEPTH + 1);
    assert.equal(primary.has(neg), false);
  });

  it('unions and transformations: a union fails when a branch fails; a transformation reads as what it bound', () => {
    const u = chain(neg, (c, i) => ({ type: 'union', path: ['u', String(i)], dentry: undefined, union: [{ weight: 1, tree: c }, { weight: 1, tree: neg }] }));
    assert.equal(nodeStatus(u), 'neg');
    const deepFail = chain(fail, (c, i) => ({ type: 'union', path: ['u', String(i)], dentry: undefined, union: [{ weight: 1, tree: neg }, { weight: 1, tree: c }] }));
    assert.equal(nodeStatus(deepFail), 'fail');
    // Under a transformation, an alternative follows its first non-neg branch too.
    const inner: DelegateTree = { type: 'alt', path: ['x'], dentry: undefined, alt: [neg, fail] };
    const tr: DelegateTree = { type: 'transformation', path: ['t'], dentry: undefined, name: 'io.l5d.port', bound: { addr: { type: 'neg' } } as never, tree: inner };
    assert.equal(nodeStatus(tr), 'neg');
    assert.deepEqual([...primaryNodes(tr)], [tr, inner, fail]);
  });
});
