// Routing assertions read a delegation of any depth without recursion (a hand-made 100,000-deep chain).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { delegationTree, type DelegateTree } from '../../core/index.js';

describe('delegationTree on a deep delegation', () => {
  it('reads a 100,000-deep chain of delegates down to its leaf', () => {
    const bound = { id: ['$', 'inet', '127.1', '80'], residual: [], addr: { type: 'pending' } } as unknown as Extract<DelegateTree, { type: 'leaf' }>['bound'];
    let t: DelegateTree = { type: 'leaf', path: ['a'], dentry: undefined, bound };
    for (let i = 0; i < 100_000; i++) t = { type: 'delegate', path: ['a'], dentry: undefined, delegate: t };
    t = { type: 'alt', path: ['a'], dentry: undefined, alt: [t, { type: 'neg', path: [], dentry: undefined }] };
    const tree = delegationTree(t);
    assert.equal(tree.type, 'alt');
    assert.deepEqual((tree as { readonly trees: readonly unknown[] }).trees, [{ type: 'leaf', value: bound }, { type: 'neg' }]);
  });
});
