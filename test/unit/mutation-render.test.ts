import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alt,
  BindDepthError,
  boundAddr,
  boundName,
  boundShares,
  CONFIGURED_NAMERS,
  DelegateDepthError,
  delegateTreeToJson,
  delegateTreeToJsonText,
  DelegationBudgetError,
  describeAddr,
  describeBound,
  describeDestination,
  describeNode,
  describePrefix,
  EMPTY,
  encodeAddr,
  encodeBound,
  explainDentry,
  FAIL,
  formatShare,
  JavaDouble,
  leaf,
  NamingError,
  NEG,
  namerDoc,
  renderDelegateTree,
  simplifyDelegateTree,
  union,
  unionShares,
  UnknownNamerError,
  writeJson,
  type Addr,
  type BoundName,
  type DelegateTree,
  type NameTree,
  type NodeDentry,
} from '../../core/index.js';
import { RENDER_MAX_DEPTH } from '../../core/delegate/render.js';
import { conformanceInterpreter } from '../conformance/world.js';
import { dtab, path } from '../support/dtab.js';

// Dentries for hand-built trees: index i of this dtab.
const D = dtab('/svc => /x | /y; /y => /a & 2*/b; /a => ~; /x => /$/fail');
const nd = (index: number): NodeDentry => ({ dentry: D.dentries[index]!, index });
const p = (text: string) => (text === '' ? [] : path(text));

const addr1 = boundAddr([{ ip: '10.0.0.1', port: 80, meta: {} }]);
const bn = (id: string, residual = '', addr: Addr = addr1): BoundName => boundName(p(id), p(residual), addr);

const neg = (at: string, dentry?: NodeDentry): DelegateTree => ({ type: 'neg', path: p(at), dentry });
const fail = (at: string, dentry?: NodeDentry): DelegateTree => ({ type: 'fail', path: p(at), dentry });
const empty = (at: string, dentry?: NodeDentry): DelegateTree => ({ type: 'empty', path: p(at), dentry });
const lf = (at: string, b: BoundName, dentry?: NodeDentry): DelegateTree => ({ type: 'leaf', path: p(at), dentry, bound: b });
const del = (at: string, child: DelegateTree, dentry?: NodeDentry): DelegateTree => ({ type: 'delegate', path: p(at), dentry, delegate: child });
const altT = (at: string, kids: DelegateTree[], dentry?: NodeDentry): DelegateTree => ({ type: 'alt', path: p(at), dentry, alt: kids });
const uni = (at: string, kids: [number, DelegateTree][], dentry?: NodeDentry): DelegateTree => ({
  type: 'union',
  path: p(at),
  dentry,
  union: kids.map(([weight, tree]) => ({ weight, tree })),
});

describe('render.ts: describeNode', () => {
  it('describes each node kind', () => {
    assert.equal(describeNode(del('/a/b', neg('/c'))), '/a/b');
    assert.equal(describeNode(altT('/a', [])), '/a  (alternatives: the first that is not negative wins)');
    assert.equal(describeNode(uni('/a', [])), '/a  (union: traffic is split by weight)');
    assert.equal(describeNode(lf('/s', bn('/$/inet/h/80'))), '/s  => bound /$/inet/h/80: 10.0.0.1:80');
    assert.equal(describeNode(lf('/s', bn('/#/io.l5d.fs/x', '/rest/more'))), '/s  => bound /#/io.l5d.fs/x residual /rest/more: 10.0.0.1:80');
    assert.equal(describeNode(empty('/$/nil')), '/$/nil  (empty: exists but has no endpoints)');
    assert.equal(describeNode({ type: 'exception', path: p('/#/e/x'), dentry: undefined, message: 'boom' }), '/#/e/x  (error: boom)');
    assert.equal(
      describeNode({ type: 'transformation', path: p('/t'), dentry: undefined, name: 'SubnetLocalTransformer', bound: bn('/#/io.l5d.k8s/ns/http/w'), tree: neg('/t') }),
      '/t  => transformed by SubnetLocalTransformer to /#/io.l5d.k8s/ns/http/w: 10.0.0.1:80',
    );
  });

  it('tells the negative kinds apart: `~` written, no namer, nothing matches', () => {
    assert.equal(describeNode(neg('', nd(2))), '~  (negative: written as ~)');
    assert.equal(describeNode(neg('')), '/  (negative: nothing matches)');
    assert.equal(describeNode(neg('/#/nope')), '/#/nope  (negative: no namer has this name)');
    assert.equal(describeNode(neg('/#/nope/x', nd(1))), '/#/nope/x  (negative: no namer has this name)');
    assert.equal(describeNode(neg('/#')), '/#  (negative: nothing matches)');
    assert.equal(describeNode(neg('/x/#')), '/x/#  (negative: nothing matches)');
    assert.equal(describeNode(neg('/a/b')), '/a/b  (negative: nothing matches)');
  });

  it('shows a fail as its /$/fail path, else as `!`', () => {
    const tail = '  (fail: the request fails, no fallback)';
    assert.equal(describeNode(fail('/$/fail')), `/$/fail${tail}`);
    assert.equal(describeNode(fail('/$/fail/x')), `/$/fail/x${tail}`);
    assert.equal(describeNode(fail('', nd(0))), `!${tail}`);
    assert.equal(describeNode(fail('/$')), `!${tail}`);
    assert.equal(describeNode(fail('/x/fail')), `!${tail}`);
    assert.equal(describeNode(fail('/$/nil')), `!${tail}`);
    assert.equal(describeNode(fail('/fail')), `!${tail}`);
  });
});

describe('render.ts: describeAddr', () => {
  it('lists up to five addresses, with node names, and counts the rest', () => {
    const a = (n: number, meta: Record<string, unknown> = {}) => ({ ip: `10.0.0.${n}`, port: 8000 + n, meta });
    assert.equal(describeAddr(boundAddr([])), 'no addresses');
    assert.equal(describeAddr(boundAddr([a(1, { nodeName: 'n1' }), a(2, { nodeName: 7 })])), '10.0.0.1:8001 on n1, 10.0.0.2:8002');
    assert.equal(describeAddr(boundAddr([1, 2, 3, 4, 5].map((n) => a(n)))), '10.0.0.1:8001, 10.0.0.2:8002, 10.0.0.3:8003, 10.0.0.4:8004, 10.0.0.5:8005');
    assert.equal(describeAddr(boundAddr([1, 2, 3, 4, 5, 6].map((n) => a(n)))), '10.0.0.1:8001, 10.0.0.2:8002, 10.0.0.3:8003, 10.0.0.4:8004, 10.0.0.5:8005 and 1 more');
    assert.equal(describeAddr(boundAddr([1, 2, 3, 4, 5, 6, 7, 8].map((n) => a(n)))), '10.0.0.1:8001, 10.0.0.2:8002, 10.0.0.3:8003, 10.0.0.4:8004, 10.0.0.5:8005 and 3 more');
  });

  it('describes neg, failed and pending addresses', () => {
    assert.equal(describeAddr({ type: 'neg' }), 'no such host');
    assert.equal(describeAddr({ type: 'failed', cause: 'dns timeout' }), 'failed (dns timeout)');
    assert.equal(describeAddr({ type: 'pending' }), 'pending');
    assert.equal(describeAddr({ type: 'pending', unresolvedBy: 'io.l5d.k8s' }), 'unresolved here: io.l5d.k8s resolves it at run time');
  });
});

describe('render.ts: renderDelegateTree', () => {
  it('renders every kind of step, marks the primary path and names the dentries', () => {
    const trans: DelegateTree = { type: 'transformation', path: p('/b'), dentry: undefined, name: 'T', bound: bn('/#/io.l5d.fs/b2'), tree: lf('/b', bn('/#/io.l5d.fs/b'), nd(1)) };
    const tree = del(
      '/svc',
      altT('/svc', [neg('/x', nd(0)), uni('/y', [[1, lf('/a', bn('/#/io.l5d.fs/a', '/r'), nd(1))], [2, trans]], nd(0)), fail('', nd(0))], nd(0)),
    );
    assert.equal(
      renderDelegateTree(tree, { locate: (i) => (i === 1 ? undefined : i === 3 ? '' : `line ${i + 1}`) }),
      [
        '* /svc',
        '*   /svc  (alternatives: the first that is not negative wins)  <- /svc=>/x | /y (line 1)',
        '      /x  (negative: nothing matches)  <- /svc=>/x | /y (line 1)',
        '*     /y  (union: traffic is split by weight)  <- /svc=>/x | /y (line 1)',
        '*       [33.3%] /a  => bound /#/io.l5d.fs/a residual /r: 10.0.0.1:80  <- /y=>/a & 2.00*/b',
        '*       [66.7%] /b  => transformed by T to /#/io.l5d.fs/b2: 10.0.0.1:80',
        '*         /b  => bound /#/io.l5d.fs/b: 10.0.0.1:80  <- /y=>/a & 2.00*/b',
        '      !  (fail: the request fails, no fallback)  <- /svc=>/x | /y (line 1)',
        '',
      ].join('\n'),
    );
    // Without options, no location; a location of '' is none either.
    assert.equal(renderDelegateTree(fail('/$/fail', nd(3))), '* /$/fail  (fail: the request fails, no fallback)  <- /x=>/$/fail\n');
    assert.equal(renderDelegateTree(fail('/$/fail', nd(3)), { locate: () => '' }), '* /$/fail  (fail: the request fails, no fallback)  <- /x=>/$/fail\n');
  });

  it('writes union shares: whole, one decimal, and equal when the weights sum to 0', () => {
    const r = (ws: number[]) =>
      renderDelegateTree(uni('/u', ws.map((w, i) => [w, neg(`/n${i}`)] as [number, DelegateTree])))
        .split('\n')
        .slice(1, -1)
        .map((l) => /\[[^\]]*\]/.exec(l)?.[0]);
    assert.deepEqual(r([1, 1]), ['[50%]', '[50%]']);
    assert.deepEqual(r([1, 3]), ['[25%]', '[75%]']);
    assert.deepEqual(r([1, 2]), ['[33.3%]', '[66.7%]']);
    assert.deepEqual(r([0, 0]), ['[50%]', '[50%]']);
    assert.deepEqual(r([0, 0, 0]), ['[33.3%]', '[33.3%]', '[33.3%]']);
    assert.deepEqual(r([0, 5]), ['[0%]', '[100%]']);
    assert.equal(renderDelegateTree(uni('/u', [[1, neg('/a')], [3, neg('/b')]])), '* /u  (union: traffic is split by weight)\n*   [25%] /a  (negative: nothing matches)\n*   [75%] /b  (negative: nothing matches)\n');
  });

  it('cuts trees deeper than RENDER_MAX_DEPTH levels', () => {
    let t: DelegateTree = neg('/z');
    for (let i = 0; i < RENDER_MAX_DEPTH + 2; i++) t = del('/d', t);
    const lines = renderDelegateTree(t).split('\n');
    assert.equal(lines.length, RENDER_MAX_DEPTH + 3);
    assert.equal(lines[0], '* /d');
    assert.equal(lines[RENDER_MAX_DEPTH], `* ${'  '.repeat(RENDER_MAX_DEPTH)}/d`);
    assert.equal(lines[RENDER_MAX_DEPTH + 1], `  ${'  '.repeat(RENDER_MAX_DEPTH + 1)}… deeper than 200 levels: not shown`);
    assert.equal(lines[RENDER_MAX_DEPTH + 2], '');
  });

  it('renders a tree from the real interpreter', () => {
    const tree = conformanceInterpreter().delegateSync(dtab('/a => ~; /b => /a | /$/fail; /c => /b'), path('/c'));
    assert.equal(
      renderDelegateTree(tree, { locate: (i) => `#${i}` }),
      [
        '* /c',
        // The alt replaces the delegate to /b and takes its dentry (simplified).
        '*   /b  (alternatives: the first that is not negative wins)  <- /c=>/b (#2)',
        '      /a  <- /b=>/a | /$/fail (#1)',
        '        ~  (negative: written as ~)  <- /a=>~ (#0)',
        '*     /$/fail  (fail: the request fails, no fallback)  <- /b=>/a | /$/fail (#1)',
        '',
      ].join('\n'),
    );
  });
});

describe('render.ts: boundShares, formatShare, describeBound', () => {
  const L = (id: string, residual = '', addr: Addr = addr1) => leaf(bn(id, residual, addr));

  it('turns a bound tree into shares, unions multiplied down', () => {
    const t: NameTree<BoundName> = union([
      { weight: 1, tree: L('/#/io.l5d.fs/a', '/r') },
      { weight: 3, tree: union([{ weight: 1, tree: NEG }, { weight: 1, tree: FAIL }, { weight: 2, tree: EMPTY }]) },
    ]);
    assert.deepEqual(boundShares(t), [
      { percent: 25, target: '/#/io.l5d.fs/a/r', detail: '10.0.0.1:80', id: p('/#/io.l5d.fs/a') },
      { percent: 18.75, target: '~', detail: 'negative: no route, requests fail' },
      { percent: 18.75, target: '!', detail: 'fail: requests fail' },
      { percent: 37.5, target: '$', detail: 'empty: no endpoints, requests fail' },
    ]);
    assert.deepEqual(describeBound(t), [
      '25% → /#/io.l5d.fs/a/r (10.0.0.1:80)',
      '18.8% → ~ (negative: no route, requests fail)',
      '18.8% → ! (fail: requests fail)',
      '37.5% → $ (empty: no endpoints, requests fail)',
    ]);
  });

  it('splits equally when the weights sum to 0, and follows an alt’s first branch', () => {
    assert.deepEqual(
      boundShares(union([{ weight: 0, tree: NEG }, { weight: 0, tree: FAIL }])).map((s) => s.percent),
      [50, 50],
    );
    assert.deepEqual(
      boundShares(union([{ weight: 0, tree: NEG }, { weight: 0, tree: FAIL }, { weight: 0, tree: EMPTY }, { weight: 0, tree: NEG }])).map((s) => s.percent),
      [25, 25, 25, 25],
    );
    assert.deepEqual(boundShares(alt([FAIL, L('/a')])), [{ percent: 100, target: '!', detail: 'fail: requests fail' }]);
    assert.deepEqual(boundShares(alt([])), []);
    assert.deepEqual(boundShares(EMPTY), [{ percent: 100, target: '$', detail: 'empty: no endpoints, requests fail' }]);
    assert.deepEqual(describeBound(L('/$/inet/h/1', '', { type: 'pending', unresolvedBy: 'io.l5d.k8s' })), ['100% → /$/inet/h/1 (unresolved here: io.l5d.k8s resolves it at run time)']);
  });

  it('formats a share whole or with one decimal', () => {
    assert.equal(formatShare(90), '90%');
    assert.equal(formatShare(100 / 3), '33.3%');
    assert.equal(formatShare(200 / 3), '66.7%');
    assert.equal(formatShare(99.96), '100%');
    assert.equal(formatShare(0.04), '0%');
    assert.equal(formatShare(0.05), '0.1%');
    assert.equal(formatShare(12.25), '12.3%');
    assert.equal(formatShare(0), '0%');
  });
});

describe('delegate-tree.ts: simplifyDelegateTree', () => {
  it('turns an empty alt or union into neg, with the node’s path and dentry', () => {
    assert.deepEqual(simplifyDelegateTree(altT('/a', [], nd(0))), { type: 'neg', path: p('/a'), dentry: nd(0) });
    assert.deepEqual(simplifyDelegateTree(uni('/a', [], nd(1))), { type: 'neg', path: p('/a'), dentry: nd(1) });
  });

  it('treats a one-child alt or union as a delegate', () => {
    // Same path, not neg/fail/empty: the child replaces the node and takes its dentry.
    assert.deepEqual(simplifyDelegateTree(altT('/a', [lf('/a', bn('/b'), nd(1))], nd(0))), lf('/a', bn('/b'), nd(0)));
    assert.deepEqual(simplifyDelegateTree(uni('/a', [[3, lf('/a', bn('/b'), nd(1))]], nd(0))), lf('/a', bn('/b'), nd(0)));
    // Another path: a delegate.
    assert.deepEqual(simplifyDelegateTree(altT('/a', [lf('/c', bn('/b'), nd(1))], nd(0))), del('/a', lf('/c', bn('/b'), nd(1)), nd(0)));
    assert.deepEqual(simplifyDelegateTree(uni('/a', [[3, lf('/c', bn('/b'), nd(1))]], nd(0))), del('/a', lf('/c', bn('/b'), nd(1)), nd(0)));
  });

  it('keeps neg, fail and empty under a delegate even on the same path', () => {
    for (const k of [neg, fail, empty]) {
      assert.deepEqual(simplifyDelegateTree(del('/a', k('/a', nd(1)), nd(0))), del('/a', k('/a', nd(1)), nd(0)));
    }
    assert.deepEqual(simplifyDelegateTree(del('/a', { type: 'exception', path: p('/a'), dentry: nd(1), message: 'm' }, nd(0))), {
      type: 'exception',
      path: p('/a'),
      dentry: nd(0),
      message: 'm',
    });
    // Nested delegates on one path collapse; the root keeps no dentry.
    assert.deepEqual(simplifyDelegateTree(del('/a', del('/a', lf('/a', bn('/b'), nd(2)), nd(1)))), lf('/a', bn('/b'), undefined));
  });

  it('splices an alt child with the same path, keeps others, simplifies union children', () => {
    const t = altT('/a', [altT('/a', [neg('/x', nd(1)), fail('', nd(1))], nd(1)), altT('/b', [neg('/y'), neg('/z')], nd(2)), neg('/w')], nd(0));
    assert.deepEqual(
      simplifyDelegateTree(t),
      altT('/a', [neg('/x', nd(1)), fail('', nd(1)), altT('/b', [neg('/y'), neg('/z')], nd(2)), neg('/w')], nd(0)),
    );
    const u = uni('/u', [[2, altT('/u', [lf('/u', bn('/b'), nd(1))], nd(2))], [0.5, del('/v', neg('/v'))]], nd(0));
    assert.deepEqual(simplifyDelegateTree(u), uni('/u', [[2, lf('/u', bn('/b'), nd(2))], [0.5, del('/v', neg('/v'))]], nd(0)));
    for (const leafy of [neg('/a'), fail('/a'), empty('/a'), lf('/a', bn('/b'))]) assert.equal(simplifyDelegateTree(leafy), leafy);
  });
});

describe('delegate-tree.ts: JSON', () => {
  it('encodes addresses and bound names with Linkerd’s fields, in order', () => {
    assert.equal(
      writeJson(encodeAddr(boundAddr([{ ip: '1.2.3.4', port: 9, meta: { nodeName: 'n', x: null, ok: true, l: [1, 'a'] } }], { m: 1.5 }))),
      '{"type":"bound","addrs":[{"ip":"1.2.3.4","port":9,"meta":{"nodeName":"n","x":null,"ok":true,"l":[1,"a"]}}],"meta":{"m":1.5}}',
    );
    assert.deepEqual(encodeAddr({ type: 'failed', cause: 'c' }), { type: 'failed', cause: 'c' });
    assert.deepEqual(encodeAddr({ type: 'neg' }), { type: 'neg' });
    assert.deepEqual(encodeAddr({ type: 'pending', unresolvedBy: 'k' }), { type: 'pending' });
    assert.equal(writeJson(encodeBound(bn('/#/io.l5d.fs/a', ''))), '{"addr":{"type":"bound","addrs":[{"ip":"10.0.0.1","port":80,"meta":{}}],"meta":{}},"id":"/#/io.l5d.fs/a","path":"/"}');
    assert.equal(writeJson(encodeBound(bn('/i', '/r/s', { type: 'neg' }))), '{"addr":{"type":"neg"},"id":"/i","path":"/r/s"}');
  });

  it('writes Java doubles and plain JSON', () => {
    assert.equal(writeJson([new JavaDouble(3), new JavaDouble(0.5), new JavaDouble(1e7), 3, null, false, 'x"y', { a: [] }, []]), '[3.0,0.5,1.0E7,3,null,false,"x\\"y",{"a":[]},[]]');
    assert.equal(writeJson(null), 'null');
    assert.equal(writeJson({}), '{}');
  });

  it('writes every node kind exactly (text and value)', () => {
    const trans: DelegateTree = { type: 'transformation', path: p('/t'), dentry: nd(1), name: 'N', bound: bn('/n', '', { type: 'neg' }), tree: empty('/t', nd(1)) };
    const t = del(
      '/svc',
      altT(
        '/x',
        [
          neg('', nd(2)),
          neg('/q', nd(2)),
          fail('/$/fail/z', nd(3)),
          fail('/$/fail', nd(3)),
          fail('', nd(0)),
          fail('/$', nd(0)),
          fail('/x/fail', nd(0)),
          fail('/$/nil', nd(0)),
          { type: 'exception', path: p('/e'), dentry: undefined, message: 'oops' },
          uni('/u', [[2, trans], [1, lf('/l', bn('/#/io.l5d.fs/l', '/r', { type: 'failed', cause: 'c' }), nd(1))]], nd(1)),
        ],
        nd(0),
      ),
    );
    const d0 = '"dentry":{"prefix":"/svc","dst":"/x | /y"}';
    const d1 = '"dentry":{"prefix":"/y","dst":"/a & 2.00*/b"}';
    const d2 = '"dentry":{"prefix":"/a","dst":"~"}';
    const d3 = '"dentry":{"prefix":"/x","dst":"/$/fail"}';
    const text =
      `{"type":"delegate","path":"/svc","delegate":{"type":"alt","path":"/x",${d0},"alt":[` +
      `{"type":"neg","path":"~",${d2}},{"type":"neg","path":"/q",${d2}},` +
      `{"type":"fail","path":"/$/fail/z",${d3}},{"type":"fail","path":"/$/fail",${d3}},` +
      `{"type":"fail","path":"!",${d0}},{"type":"fail","path":"!",${d0}},{"type":"fail","path":"!",${d0}},{"type":"fail","path":"!",${d0}},` +
      `{"type":"exception","path":"/e","message":"oops"},` +
      `{"type":"union","path":"/u",${d1},"union":[` +
      `{"weight":2.0,"tree":{"type":"transformation","path":"/t","name":"N","bound":{"addr":{"type":"neg"},"id":"/n","path":"/"},"tree":{"type":"empty","path":"/t",${d1}}}},` +
      `{"weight":1.0,"tree":{"type":"leaf","path":"/l",${d1},"bound":{"addr":{"type":"failed","cause":"c"},"id":"/#/io.l5d.fs/l","path":"/r"}}}]}]}}`;
    assert.equal(delegateTreeToJsonText(t), text);
    assert.deepEqual(delegateTreeToJson(t), JSON.parse(text));
    // Key order of the value too.
    assert.equal(JSON.stringify(delegateTreeToJson(t)), text.replace(/2\.0,/, '2,').replace(/1\.0,/, '1,'));
  });

  it('gives plain values for meta of every JSON type', () => {
    const t = lf('/l', bn('/i', '', boundAddr([{ ip: '::1', port: 1, meta: { n: null, b: false, a: [null, 2, ['x']], o: { k: 'v' } } }])));
    assert.deepEqual(delegateTreeToJson(t), {
      type: 'leaf',
      path: '/l',
      bound: { addr: { type: 'bound', addrs: [{ ip: '::1', port: 1, meta: { n: null, b: false, a: [null, 2, ['x']], o: { k: 'v' } } }], meta: {} }, id: '/i', path: '/' },
    });
    assert.deepEqual(delegateTreeToJson(uni('/u', [[0.25, empty('/e')]])), { type: 'union', path: '/u', union: [{ weight: 0.25, tree: { type: 'empty', path: '/e' } }] });
    assert.equal(delegateTreeToJsonText(uni('/u', [[0.25, empty('/e')]])), '{"type":"union","path":"/u","union":[{"weight":0.25,"tree":{"type":"empty","path":"/e"}}]}');
  });
});

describe('errors.ts', () => {
  it('names each error class and writes Finagle’s messages', () => {
    const e1 = new NamingError('lookup failed');
    assert.deepEqual([e1.name, e1.message, e1 instanceof Error], ['NamingError', 'lookup failed', true]);
    const e2 = new UnknownNamerError('foo', '/$/foo/bar');
    assert.deepEqual([e2.name, e2.message, e2.kind, e2 instanceof NamingError], ['NamingError', 'Unknown namer: foo for path: /$/foo/bar', 'foo', true]);
    const e3 = new DelegateDepthError();
    assert.deepEqual([e3.name, e3.message], ['DelegateDepthError', 'Max recursion level reached.']);
    const e4 = new BindDepthError(100);
    assert.deepEqual([e4.name, e4.message, e4.maxDepth], ['BindDepthError', 'Max recursion level: 100 reached in Namer lookup', 100]);
  });

  it('explains each way a delegation budget runs out', () => {
    const steps = new DelegationBudgetError('delegation', 5000);
    assert.deepEqual([steps.name, steps.what, steps.budget, steps.kind], ['DelegationBudgetError', 'delegation', 5000, 'steps']);
    assert.equal(
      steps.message,
      'The delegation stopped after 5000 steps: the dtab rewrites this path into itself more than once (through `&` or `|`), so the tree grows exponentially. Look for a dentry whose destination leads back to its own prefix.',
    );
    assert.equal(new DelegationBudgetError('binding', 7, 'steps').message, steps.message.replace('delegation', 'binding').replace('5000', '7'));
    assert.equal(
      new DelegationBudgetError('binding', 9, 'work').message,
      'The binding stopped after 9 units of work (dentries matched and nodes made): this path is rewritten by so many dentries, or into such large trees, that explaining it in full would take too long.',
    );
    assert.equal(
      new DelegationBudgetError('delegation', 64, 'nesting').message,
      'The delegation stopped: its trees nest more than 64 levels deep (rewrites inside rewrites). Look for a dentry whose destination leads back to its own prefix.',
    );
  });
});

describe('explain.ts', () => {
  it('describes prefixes, `*` as <any>', () => {
    assert.equal(describePrefix(dtab('/svc/*/api => /a').dentries[0]!.prefix), '`/svc/<any>/api/…`');
    assert.equal(describePrefix([]), '`/…`');
  });

  it('describes every kind of destination', () => {
    const tree = (text: string) => dtab(`/p => ${text}`).dentries[0]!.dst;
    assert.equal(describeDestination(tree('/a/b')), 'are sent to `/a/b/…`');
    assert.equal(describeDestination(tree('/a/b'), false), 'are sent to `/a/b`');
    assert.equal(describeDestination(tree('/')), 'are sent to `/…`');
    assert.equal(describeDestination(tree('/'), false), 'are sent to `/`');
    assert.equal(describeDestination(tree('~')), 'are not handled here (`~`, negative): earlier dentries, then the namers, are tried instead');
    assert.equal(describeDestination(tree('!')), 'fail at once (`!`): no other dentry is tried');
    assert.equal(describeDestination(tree('$')), 'resolve to no endpoints (`$`): they fail, and no other dentry is tried');
    assert.equal(
      describeDestination(tree('/a | /b | !')),
      'are sent to `/a/…`; if that is negative (`~`), they go to `/b/…`; if that is negative (`~`), they fail at once (`!`): no other dentry is tried',
    );
    assert.equal(describeDestination(tree('~ | /b'), false), 'are not handled here (`~`, negative): earlier dentries, then the namers, are tried instead; if that is negative (`~`), they go to `/b`');
    assert.equal(describeDestination(tree('1*/a & 2*/b & $')), 'are split by weight: 25% to `/a/…`, 50% to `/b/…`, 25% resolve to no endpoints (`$`): they fail, and no other dentry is tried');
    assert.equal(describeDestination(tree('21*/a & 179*/b'), false), 'are split by weight: 10.5% to `/a`, 89.5% to `/b`');
    assert.equal(describeDestination(tree('1*/a & 3*/b')), 'are split by weight: 25% to `/a/…`, 75% to `/b/…`');
    assert.equal(describeDestination(tree('0*/a & 0*/b & 0*~')), 'are split by weight: 33.3% to `/a/…`, 33.3% to `/b/…`, 33.3% are not handled here (`~`, negative): earlier dentries, then the namers, are tried instead');
    assert.equal(describeDestination(tree('0*/a & 0*/b')), 'are split by weight: 50% to `/a/…`, 50% to `/b/…`');
  });

  it('gives union shares, equal when the weights sum to 0', () => {
    assert.deepEqual(unionShares([1, 3]), [25, 75]);
    assert.deepEqual(unionShares([0, 0]), [50, 50]);
    assert.deepEqual(unionShares([0, 0, 0, 0]), [25, 25, 25, 25]);
    assert.deepEqual(unionShares([0, 2]), [0, 100]);
    assert.deepEqual(unionShares([]), []);
  });

  it('explains a dentry: summary, the dentries it overrides and that override it', () => {
    const d = dtab('/a => /x; /a/b => /y; /*/b => ~; /c => /w; /a/b/c => /v; /a/b => !');
    assert.deepEqual(explainDentry(d, 1), { summary: 'Requests for `/a/b/…` are sent to `/y/…`.', overrides: [0], overriddenBy: [2, 5] });
    assert.deepEqual(explainDentry(d, 0), { summary: 'Requests for `/a/…` are sent to `/x/…`.', overrides: [], overriddenBy: [] });
    assert.deepEqual(explainDentry(d, 5), { summary: 'Requests for `/a/b/…` fail at once (`!`): no other dentry is tried.', overrides: [0, 1, 2], overriddenBy: [] });
    assert.deepEqual(explainDentry(d, 4), { summary: 'Requests for `/a/b/c/…` are sent to `/v/…`.', overrides: [0, 1, 2], overriddenBy: [5] });
  });

  it('documents system and configured namers by their first two labels', () => {
    assert.deepEqual(namerDoc(p('/$/fail')), { shape: '/$/fail', doc: 'Fails the request: no fallback to other alternatives (same as `!`).', system: true });
    assert.deepEqual(namerDoc(p('/$/inet/h/80')), { shape: '/$/inet/<host>/<port>', doc: 'Binds to host:port, resolved by DNS (or `/$/inet/<port>`: this host).', system: true });
    assert.equal(namerDoc(p('/$/nope')), undefined);
    assert.equal(namerDoc([]), undefined);
    assert.equal(namerDoc(['$']), undefined);
    assert.equal(namerDoc(['#']), undefined);
    const fs = CONFIGURED_NAMERS.find((n) => n.kind === 'io.l5d.fs')!;
    assert.deepEqual(namerDoc(p('/#/io.l5d.fs/x')), { shape: '/#/io.l5d.fs/<file>', doc: fs.doc, system: false });
    assert.equal(namerDoc(p('/#/nope')), undefined);
    assert.equal(namerDoc(p('/x/io.l5d.fs')), undefined);
    assert.equal(namerDoc(p('/x/fail')), undefined);
    assert.equal(namerDoc(p('/$')), undefined);
    assert.equal(namerDoc(p('/#')), undefined);
    assert.equal(namerDoc([]), undefined);
  });
});
