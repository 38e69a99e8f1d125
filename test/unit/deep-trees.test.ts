// Delegate trees as deep as a server makes them (namerd's or linkerd's delegator answers are
// decoded without a depth limit): reading their status and primary path must not recurse on depth.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { boundName, nodeStatus, primaryNodes, renderDelegateTree, type DelegateTree } from '../../core/index.js';
import { delegationNodes } from '../../server/delegation.js';

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
    // Shown to 200 levels, then one line says the rest is not.
    const lines = renderDelegateTree(t).split('\n');
    assert.equal(lines.length, 203);
    assert.equal(lines[0], '* /p/99999');
    assert.equal(lines[200], `* ${'  '.repeat(200)}/p/99799`);
    assert.equal(lines[201], `  ${'  '.repeat(201)}… deeper than 200 levels: not shown`);
    assert.equal(lines[202], '');
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

  it('the Delegation view reads each node once: statuses, the primary path, unresolved chains', () => {
    const pending: DelegateTree = { type: 'leaf', path: ['#', 'io.l5d.k8s', 'ns', 'http', 'web'], dentry: undefined, bound: boundName(['#', 'io.l5d.k8s'], ['ns', 'http', 'web'], { type: 'pending', unresolvedBy: 'io.l5d.k8s' }) };
    const t = chain(pending, (c, i) => ({ type: 'delegate', path: ['p', String(i)], dentry: undefined, delegate: c }));
    let node = delegationNodes(t);
    for (let depth = 0; depth < DEPTH; depth++) {
      assert.equal(node.status, 'unresolved');
      assert.equal(node.primary, true);
      node = node.children[0]!;
    }
    assert.deepEqual([node.type, node.status, node.path, node.children.length], ['leaf', 'unresolved', '/#/io.l5d.k8s/ns/http/web', 0]);
    const alts = delegationNodes(chain(fail, (c, i) => ({ type: 'alt', path: ['a', String(i)], dentry: undefined, alt: [neg, c] })));
    assert.deepEqual([alts.status, alts.children[0]!.status, alts.children[0]!.primary, alts.children[1]!.status, alts.children[1]!.primary], ['fail', 'neg', false, 'fail', true]);
  });
});
