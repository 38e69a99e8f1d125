// Exact-value tests for core/model and core/print, written against the mutants that survived the
// `model` mutation scope (see /work/shared/spec/dtab-reference.md for the behaviour asserted).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  alt,
  ANY,
  boundAddr,
  boundName,
  Dtab,
  elemToText,
  EMPTY,
  evaluate,
  FAIL,
  formatDtab,
  formatFixed2,
  javaDouble,
  leaf,
  leafValues,
  lowerDtab,
  mapTree,
  NEG,
  parseDtab,
  parseIPv4Literal,
  parseJavaInt,
  pathEquals,
  pathName,
  prefixMatches,
  reprBound,
  reprEval,
  reprTree,
  showDtab,
  showElem,
  showPath,
  showPathTree,
  showPrefix,
  simplify,
  startsWith,
  textToElem,
  union,
  type BoundName,
  type Dentry,
  type NameTree,
  type Path,
} from '../../core/index.js';

const dtab = (src: string): Dtab => lowerDtab(parseDtab(src));
const tree = (src: string): NameTree<Path> => dtab(`/x=>${src}`).dentries[0]!.dst;
const p = (s: string): Path => (s === '/' ? [] : s.split('/').slice(1));
const show = (t: NameTree<Path>) => showPathTree(t);

// ---------------------------------------------------------------------------------------------
describe('model/dtab.ts', () => {
  it('prefixMatches: a longer prefix never matches, even ending in *; literals must be equal', () => {
    assert.equal(prefixMatches(['a', ANY], ['a']), false);
    assert.equal(prefixMatches(['a', 'b'], ['a']), false);
    assert.equal(prefixMatches(['a'], ['a', 'b']), true);
    assert.equal(prefixMatches([ANY, 'b'], ['z', 'b', 'c']), true);
    assert.equal(prefixMatches([ANY, 'b'], ['z', 'c']), false);
    assert.equal(prefixMatches([], []), true);
  });

  it('Dtab.empty has no dentries', () => {
    assert.deepEqual(Dtab.empty.dentries, []);
    assert.equal(Dtab.empty.size, 0);
    assert.equal(show(Dtab.empty.lookup(['a'])), '~');
  });

  it('lookup: one match is that tree itself (no Alt around it), the same object when nothing is left over', () => {
    const d = dtab('/a=>/b & /c');
    assert.deepEqual(d.lookup(['a']), d.dentries[0]!.dst);
    assert.equal(d.lookup(['a']), d.dentries[0]!.dst);
    assert.equal(d.matches(['a'])[0]!.tree, d.dentries[0]!.dst);
    assert.deepEqual(d.lookup(['a', 'z']), union([{ weight: 1, tree: leaf(['b', 'z']) }, { weight: 1, tree: leaf(['c', 'z']) }]));
    assert.deepEqual(dtab('/a/*/c => /d').lookup(p('/a/b/c/e/f')), leaf(['d', 'e', 'f']));
  });

  it('lookup: later dentries first, as an Alt; a prefix longer than the path does not match', () => {
    assert.equal(show(dtab('/a/b=>/x;/a=>/y').lookup(p('/a/b/c'))), '/y/b/c | /x/c');
    assert.equal(show(dtab('/a=>/b;/a=>/c;/a=>/d').lookup(p('/a/1'))), '/d/1 | /c/1 | /b/1');
    assert.deepEqual(dtab('/a/*=>/x').lookup(['a']), NEG);
    assert.deepEqual(dtab('/a/b=>/x').lookup(['a']), NEG);
    assert.deepEqual(dtab('/*=>/x').lookup([]), NEG);
    const ms = dtab('/=>/r;/*=>/s;/a=>/t;/b=>/u').matches(['a', 'q']);
    assert.deepEqual(
      ms.map((m) => [m.index, show(m.tree)]),
      [
        [2, '/t/q'],
        [1, '/s/q'],
        [0, '/r/a/q'],
      ],
    );
  });

  it('generalizations: dentries matching every path the prefix matches, in index order', () => {
    const d = dtab('/*=>/x;/a=>/y;/=>/z;/a/b=>/w;/*/b=>/v;/a/*=>/u;/b=>/t');
    assert.deepEqual(d.generalizations(['a']), [0, 1, 2]);
    assert.deepEqual(d.generalizations(['a', 'b']), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(d.generalizations([ANY, 'b']), [0, 2, 4]);
    assert.deepEqual(d.generalizations([]), [2]);
    assert.deepEqual(d.generalizations(['c']), [0, 2]);
    // A node without children on the way, and a label with no child at all.
    assert.deepEqual(dtab('/a=>/x').generalizations(['a', 'b']), [0]);
    assert.deepEqual(dtab('/a=>/x').generalizations(['b']), []);
    assert.deepEqual(dtab('/a/*=>/x').generalizations(['a']), []);
    assert.deepEqual(dtab('/a/b=>/x').generalizations(['a', 'b']), [0]);
    assert.deepEqual(dtab('/*/b=>/x').generalizations(['a', 'b']), [0]);
  });

  it('specializations: dentries whose every path the prefix matches, in index order', () => {
    const d = dtab('/a/b=>/x;/*/c=>/y;/a=>/z;/b/*/d=>/w');
    assert.deepEqual(d.specializations([ANY]), [0, 1, 2, 3]);
    assert.deepEqual(d.specializations(['a']), [0, 2]);
    assert.deepEqual(d.specializations([ANY, 'c']), [1]);
    assert.deepEqual(d.specializations([]), [0, 1, 2, 3]);
    assert.deepEqual(dtab('/a=>/x').specializations([ANY]), [0]);
    assert.deepEqual(dtab('/a=>/x').specializations(['a', ANY]), []);
    assert.deepEqual(dtab('/*/b=>/x').specializations([ANY]), [0]);
    assert.deepEqual(dtab('/a/c=>/x').specializations([ANY, 'c']), [0]);
    assert.deepEqual(dtab('/*/c=>/x').specializations([ANY, 'c']), [0]);
  });

  it('reachingNames: one rewrite backwards, literal prefixes only, at most max', () => {
    assert.deepEqual(dtab('/svc=>/host;/host/world=>/w').reachingNames(), [['svc', 'world']]);
    assert.deepEqual(dtab('/svc=>/host | /other;/host/a=>/w;/other/b/c=>/v;/host/d=>/u').reachingNames(), [
      ['svc', 'a'],
      ['svc', 'd'],
      ['svc', 'b', 'c'],
    ]);
    // At most max: stops inside one dentry's candidates, and across dentries.
    const many = dtab('/svc=>/host;/host/a=>/w;/host/b=>/v;/s2=>/host');
    assert.deepEqual(many.reachingNames(), [
      ['svc', 'a'],
      ['svc', 'b'],
      ['s2', 'a'],
      ['s2', 'b'],
    ]);
    assert.deepEqual(many.reachingNames(1), [['svc', 'a']]);
    assert.deepEqual(many.reachingNames(3), [
      ['svc', 'a'],
      ['svc', 'b'],
      ['s2', 'a'],
    ]);
    assert.deepEqual(many.reachingNames(0), []);
    // Not from a wildcard dentry, not to a wildcard dentry, not to itself, not to the same prefix.
    assert.deepEqual(dtab('/svc/*=>/host;/host/world=>/w').reachingNames(), []);
    assert.deepEqual(dtab('/svc=>/host;/host/*=>/w').reachingNames(), []);
    assert.deepEqual(dtab('/a/b=>/a').reachingNames(), []);
    assert.deepEqual(dtab('/svc=>/host;/host=>/x').reachingNames(), []);
  });
});

// The prefix index is private; splice promises to move it to the new dtab and update it there.
interface Node {
  children: Map<string, Node> | undefined;
  any: Node | undefined;
  ends: number[];
}
const indexOf = (d: Dtab): Node | undefined => (d as unknown as { index: Node | undefined }).index;
type Shape = { ends: number[]; children: [string, Shape][]; any: Shape | null };
function shape(n: Node): Shape {
  const children = [...(n.children ?? new Map<string, Node>()).entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { ends: [...n.ends], children: children.map(([k, c]) => [k, shape(c)]), any: n.any ? shape(n.any) : null };
}
/** The shape of a dtab's index as built from scratch. */
function freshShape(dentries: readonly Dentry[]): Shape {
  const d = new Dtab(dentries);
  d.matches([]);
  return shape(indexOf(d)!);
}

describe('model/dtab.ts: splice and its prefix index', () => {
  const base = '/a/b=>/1;/*/c=>/2;/a=>/3;/a/b=>/4;/d/e/f=>/5;/*=>/6;/a/b=>/7;/g=>/8';

  /** Splices with the index built, checks the moved index against a fresh one and the queries. */
  function check(src: string, from: number, deleteCount: number, inserted: string): Dtab {
    const d = dtab(src);
    d.matches(['a']);
    const root = indexOf(d)!;
    const ins = inserted === '' ? [] : dtab(inserted).dentries;
    const next = d.splice(from, deleteCount, ins);
    const expected = [...d.dentries.slice(0, from), ...ins, ...d.dentries.slice(from + deleteCount)];
    assert.deepEqual(next.dentries, expected);
    assert.equal(indexOf(next), root, 'the index moves to the new dtab');
    assert.equal(indexOf(d), undefined, 'the old dtab no longer has it');
    assert.deepEqual(shape(root), freshShape(expected));
    // The old dtab builds its own again.
    assert.deepEqual(
      d.matches(['a', 'b']).map((m) => m.index),
      new Dtab(d.dentries).matches(['a', 'b']).map((m) => m.index),
    );
    return next;
  }

  it('the index is built once and kept', () => {
    const d = dtab(base);
    d.matches(['a']);
    const root = indexOf(d);
    d.generalizations(['a']);
    d.specializations(['a']);
    d.lookup(['q']);
    assert.equal(indexOf(d), root);
  });

  it('without an index, splice only builds the new dentries', () => {
    const d = dtab(base);
    const next = d.splice(1, 2, dtab('/q=>/9').dentries);
    assert.equal(indexOf(d), undefined);
    assert.equal(indexOf(next), undefined);
    assert.equal(show(next.lookup(['q'])), '/6 | /9');
    assert.deepEqual(next.dentries.map((x) => showPrefix(x.prefix)), ['/a/b', '/q', '/a/b', '/d/e/f', '/*', '/a/b', '/g']);
    const grow = d.splice(0, 0, dtab('/z=>/0').dentries);
    assert.equal(indexOf(grow), undefined);
    assert.equal(grow.size, 9);
  });

  it('deleting: removes the ends, prunes empty nodes, shifts later indices', () => {
    const next = check(base, 1, 2, '');
    assert.deepEqual(next.generalizations(['a', 'b']), [0, 1, 3, 4]);
    assert.deepEqual(next.matches(['g']).map((m) => m.index), [5, 3]);
    check(base, 4, 1, ''); // /d/e/f: a chain of nodes left empty
    check(base, 1, 1, ''); // /*/c: a wildcard node left empty
    check(base, 5, 1, ''); // /*: a wildcard node that still has a child
    check(base, 0, 1, ''); // /a/b: the node keeps other ends
    check(base, 2, 1, ''); // /a: the node keeps its children
    check(base, 7, 1, ''); // the last one, nothing to shift
    check(base, 0, 8, ''); // everything
    check('/a=>/1;/b=>/2', 0, 1, ''); // a literal node with a wildcard sibling left alone
    check('/*/x=>/1;/a=>/2;/*=>/3', 1, 1, '');
    check('/a/b=>/1;/*=>/2', 0, 1, '');
  });

  it('inserting: new nodes, existing nodes, ends kept in order', () => {
    check(base, 0, 0, '/a/b=>/n');
    check(base, 3, 0, '/a/b=>/n;/q/r=>/m;/*/c=>/o');
    check(base, 8, 0, '/h=>/n;/*/*=>/m');
    check('/a=>/1', 1, 0, '/a/b=>/2;/a/*=>/3');
    check('/a/b=>/1;/a/b=>/2;/a/b=>/3;/a/b=>/4', 2, 0, '/a/b=>/n');
    check('/a/b=>/1;/a/b=>/2;/a/b=>/3;/a/b=>/4', 1, 0, '/a/b=>/n');
    check('/a/b=>/1;/a/b=>/2;/a/b=>/3;/a/b=>/4', 3, 0, '/a/b=>/n;/a/b=>/m');
    check('/x=>/1;/a/b=>/1;/a/b=>/2;/a/b=>/3;/a/b=>/4;/a/b=>/5', 6, 0, '/a/b=>/n');
  });

  it('replacing: same count (no shift), more, fewer', () => {
    const same = check(base, 2, 2, '/a=>/n;/q=>/m');
    assert.deepEqual(same.matches(['q']).map((m) => [m.index, show(m.tree)]), [
      [5, '/6'],
      [3, '/m'],
    ]);
    check(base, 1, 1, '/x/y=>/n;/a/b=>/m;/*=>/o');
    check(base, 2, 3, '/a/b=>/n');
    check('/a=>/1;/b=>/2;/c=>/3;/d=>/4', 1, 2, '/b=>/x');
    // Indices at and after from + deleteCount move; those before do not.
    const moved = check('/a=>/1;/a=>/2;/a=>/3;/a=>/4;/a=>/5', 1, 1, '/b=>/n;/c=>/m');
    assert.deepEqual(moved.generalizations(['a']), [0, 3, 4, 5]);
  });
});

// ---------------------------------------------------------------------------------------------
describe('model/inet.ts', () => {
  it('parseJavaInt is Integer.parseInt: optional sign, ASCII digits only, 32-bit range', () => {
    const cases: [string, number | undefined][] = [
      ['8080', 8080],
      ['+12', 12],
      ['-5', -5],
      ['007', 7],
      ['2147483647', 2147483647],
      ['2147483648', undefined],
      ['-2147483648', -2147483648],
      ['-2147483649', undefined],
      ['', undefined],
      [' 12', undefined],
      ['12 ', undefined],
      ['1e3', undefined],
      ['0x10', undefined],
      ['http', undefined],
      ['1.0', undefined],
    ];
    for (const [s, n] of cases) assert.equal(parseJavaInt(s), n, JSON.stringify(s));
  });

  it('parseIPv4Literal reads the forms Java accepts', () => {
    const cases: [string, string | undefined][] = [
      ['127.1', '127.0.0.1'],
      ['10.258', '10.0.1.2'],
      ['10.0.1', '10.0.0.1'],
      ['1.2.3.4', '1.2.3.4'],
      ['2130706433', '127.0.0.1'],
      ['255.1', '255.0.0.1'],
      ['1.16777215', '1.255.255.255'],
      ['1.16777216', undefined],
      ['1.7', '1.0.0.7'],
      ['1.2.65535', '1.2.255.255'],
      ['1.2.65536', undefined],
      ['1.2.3.256', undefined],
      ['4294967295', '255.255.255.255'],
      ['4294967296', undefined],
      ['256.1', undefined],
      ['256.1.1', undefined],
      ['1.256.1', undefined],
      ['1.2.3.4.5', undefined],
      ['1.a.3', undefined],
      ['1.a2', undefined],
      ['1.2a', undefined],
      ['1..2', undefined],
      ['12345678901', undefined],
      ['localhost', undefined],
    ];
    for (const [s, r] of cases) assert.equal(parseIPv4Literal(s), r, s);
  });
});

// ---------------------------------------------------------------------------------------------
describe('model/names.ts', () => {
  it('builds path names, bound names and bound addresses', () => {
    assert.deepEqual(pathName(['a', 'b']), { kind: 'path', path: ['a', 'b'] });
    const addr = boundAddr([{ ip: '127.0.0.1', port: 80, meta: {} }]);
    assert.deepEqual(addr, { type: 'bound', addrs: [{ ip: '127.0.0.1', port: 80, meta: {} }], meta: {} });
    assert.deepEqual(boundName(['$', 'inet', '127.1', '80'], ['x'], addr), {
      kind: 'bound',
      id: ['$', 'inet', '127.1', '80'],
      residual: ['x'],
      addr,
    });
  });
});

// ---------------------------------------------------------------------------------------------
describe('model/path.ts', () => {
  it('pathEquals and startsWith compare whole elements', () => {
    assert.equal(pathEquals(['a'], ['a', 'b']), false);
    assert.equal(pathEquals(['a', 'b'], ['a']), false);
    assert.equal(pathEquals(['a', 'b'], ['a', 'b']), true);
    assert.equal(pathEquals(['a', 'b'], ['a', 'c']), false);
    assert.equal(pathEquals([], []), true);
    assert.equal(startsWith(['a'], ['a']), true);
    assert.equal(startsWith(['a', 'b'], ['a']), true);
    assert.equal(startsWith(['a'], ['a', 'b']), false);
    assert.equal(startsWith(['ab'], ['a']), false);
    assert.equal(startsWith([], []), true);
  });

  it('elemToText decodes UTF-8 bytes, invalid sequences as U+FFFD', () => {
    assert.equal(elemToText('abc'), 'abc');
    assert.equal(elemToText('\xe2\x98\x83'), '\u2603');
    assert.equal(elemToText('a\xc3\xa9'), 'a\u00e9');
    assert.equal(elemToText('\xc3\xa9z'), '\u00e9z');
    assert.equal(elemToText('\xe9'), '\ufffd');
    assert.equal(elemToText('\x7f'), '\x7f');
  });

  it('textToElem encodes text as UTF-8 bytes', () => {
    assert.equal(textToElem('abc'), 'abc');
    assert.equal(textToElem('\u2603'), '\xe2\x98\x83');
    assert.equal(textToElem('\u00e9'), '\xc3\xa9');
    assert.equal(textToElem('a\u00e9'), 'a\xc3\xa9');
    assert.equal(textToElem('\u00e9a'), '\xc3\xa9a');
    assert.equal(textToElem('\x7f'), '\x7f');
  });
});

// ---------------------------------------------------------------------------------------------
describe('model/nametree.ts', () => {
  it('leafValues: every leaf, left to right, through Alt and Union', () => {
    assert.deepEqual(leafValues(tree('/a')), [['a']]);
    assert.deepEqual(leafValues(tree('/a | /b | /c')), [['a'], ['b'], ['c']]);
    assert.deepEqual(leafValues(tree('/a & 2 * /b & /c')), [['a'], ['b'], ['c']]);
    assert.deepEqual(leafValues(tree('(/a | ~ | (/b & !)) & $ & (/c | /d)')), [['a'], ['b'], ['c'], ['d']]);
    assert.deepEqual(leafValues(tree('~')), []);
    assert.deepEqual(leafValues(tree('! | $')), []);
  });

  it('mapTree maps leaves inside Alt and Union, keeping weights and tokens', () => {
    const t = mapTree(tree('(/a & 2 * /b) | ~ | ! | $'), (x) => ['p', ...x]);
    assert.deepEqual(
      t,
      alt([union([{ weight: 1, tree: leaf(['p', 'a']) }, { weight: 2, tree: leaf(['p', 'b']) }]), NEG, FAIL, EMPTY]),
    );
  });

  // NameTreeTest's "NameTree.eval/simplified" table (spec §3.3).
  const table: [string, string | undefined, string][] = [
    ['~', undefined, '~'],
    ['/ok', '/ok', '/ok'],
    ['/ok & /ok1', '/ok,/ok1', '/ok & /ok1'],
    ['/ok & ~ & /blah & $', '/ok,/blah', '/ok & /blah & $'],
    ['$ & $ & $', '', '$ & $ & $'],
    ['~ & ~ & (~ | ~)', undefined, '~'],
    ['~ | /foo | /bar', '/foo', '/foo | /bar'],
    ['~ | $ | /blah', '', '$ | /blah'],
    ['~ | (~ | $) | /blah', '', '$ | /blah'],
    ['(~|$|/foo) & (/bar|/blah) & ~ & /FOO', '/bar,/FOO', '($ | /foo) & (/bar | /blah) & /FOO'],
    ['! | /ok', undefined, '!'],
    ['/ok & !', '/ok', '/ok'],
    ['! & ! & !', undefined, '~'],
    ['~ | /ok | !', '/ok', '/ok | !'],
    ['! | ~ | $', undefined, '!'],
    ['/a & ~ & !', '/a', '/a'],
  ];

  it('simplify follows NameTree.simplified', () => {
    for (const [src, , simplified] of table) assert.equal(show(simplify(tree(src))), simplified, src);
  });

  it('simplify: exact structures, weights kept, one survivor replaces its parent', () => {
    assert.deepEqual(simplify(alt([])), NEG);
    assert.deepEqual(simplify(union([])), NEG);
    assert.deepEqual(simplify(alt([leaf(['a'])])), leaf(['a']));
    assert.deepEqual(simplify(alt([alt([FAIL, leaf(['a'])])])), FAIL);
    assert.deepEqual(simplify(union([{ weight: 3, tree: FAIL }])), FAIL);
    assert.deepEqual(simplify(union([{ weight: 3, tree: NEG }])), NEG);
    assert.deepEqual(simplify(union([{ weight: 3, tree: alt([NEG, leaf(['a'])]) }])), leaf(['a']));
    assert.deepEqual(simplify(alt([NEG, NEG])), NEG);
    assert.deepEqual(simplify(alt([NEG, leaf(['a'])])), leaf(['a']));
    assert.deepEqual(simplify(alt([leaf(['a']), NEG, leaf(['b'])])), alt([leaf(['a']), leaf(['b'])]));
    assert.deepEqual(simplify(alt([FAIL, leaf(['a'])])), FAIL);
    assert.deepEqual(simplify(alt([leaf(['a']), FAIL, leaf(['b'])])), alt([leaf(['a']), FAIL]));
    assert.deepEqual(simplify(alt([EMPTY, alt([NEG, FAIL])])), alt([EMPTY, FAIL]));
    assert.deepEqual(simplify(union([{ weight: 2, tree: NEG }, { weight: 3, tree: FAIL }])), NEG);
    assert.deepEqual(simplify(union([{ weight: 2, tree: leaf(['a']) }, { weight: 3, tree: FAIL }])), leaf(['a']));
    assert.deepEqual(
      simplify(union([{ weight: 2, tree: leaf(['a']) }, { weight: 0.5, tree: NEG }, { weight: 3, tree: alt([NEG, leaf(['b'])]) }])),
      union([{ weight: 2, tree: leaf(['a']) }, { weight: 3, tree: leaf(['b']) }]),
    );
    assert.deepEqual(simplify(EMPTY), EMPTY);
    assert.deepEqual(simplify(FAIL), FAIL);
    assert.deepEqual(simplify(leaf(['a'])), leaf(['a']));
  });

  const evalShow = (src: string) => {
    const r = evaluate(tree(src));
    return r === undefined ? undefined : [...r].map(showPath).join(',');
  };

  it('evaluate follows NameTree.eval', () => {
    for (const [src, ev] of table) assert.equal(evalShow(src), ev, src);
  });

  it('evaluate: Fail at any depth of an Alt stops it; a Union drops Fail and Neg', () => {
    const cases: [string, string | undefined][] = [
      ['!', undefined],
      ['$', ''],
      ['(! | /a) | /b', undefined],
      ['(~ | !) | /b', undefined],
      ['(~ | ~) | /b', '/b'],
      ['(! & !) | /b', '/b'],
      ['(~ & !) | /b', '/b'],
      ['/a | !', '/a'],
      ['$ | !', ''],
      ['(! | /a) & /b', '/b'],
      ['(/a | /b) & (/c | /d)', '/a,/c'],
      ['/a & /b & /a', '/a,/b'],
      ['/b & (/a | /c) & $', '/b,/a'],
    ];
    for (const [src, ev] of cases) assert.equal(evalShow(src), ev, src);
    assert.equal(evaluate(alt([])), undefined);
    assert.equal(evaluate(union([])), undefined);
  });

  it('evaluate compares leaves by value (element by element), and non-path leaves as they are', () => {
    assert.deepEqual([...evaluate(union([{ weight: 1, tree: leaf(['x']) }, { weight: 2, tree: leaf(['x']) }]))!], [['x']]);
    assert.deepEqual(
      [...evaluate(union([{ weight: 1, tree: leaf(['ab', 'c']) }, { weight: 1, tree: leaf(['a', 'bc']) }, { weight: 1, tree: leaf(['abc']) }]))!],
      [['ab', 'c'], ['a', 'bc'], ['abc']],
    );
    assert.deepEqual([...evaluate(union([{ weight: 1, tree: leaf([]) }, { weight: 1, tree: leaf(['']) }]))!], [[], ['']]);
    const names: NameTree<string> = union([{ weight: 1, tree: leaf('a') }, { weight: 1, tree: leaf('b') }, { weight: 1, tree: leaf('a') }]);
    assert.deepEqual([...evaluate(names)!], ['a', 'b']);
  });
});

// ---------------------------------------------------------------------------------------------
describe('print/numbers.ts', () => {
  it('formatFixed2: %.2f with HALF_UP, signs, non-finite values', () => {
    const cases: [number, string][] = [
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [Number.NEGATIVE_INFINITY, '-Infinity'],
      [-1.5, '-1.50'],
      [-0, '-0.00'],
      [-0.001, '-0.00'],
      [-2.675, '-2.68'],
      [0, '0.00'],
      [0.005, '0.01'],
      [0.0005, '0.00'],
      [0.004, '0.00'],
      [0.00051, '0.00'],
      [0.05, '0.05'],
      [0.055, '0.06'],
      [1.5, '1.50'],
      [12.3, '12.30'],
      [12.34, '12.34'],
      [9.995, '10.00'],
    ];
    for (const [x, s] of cases) assert.equal(formatFixed2(x), s, String(x));
  });

  it('javaDouble: Double.toString', () => {
    const cases: [number, string][] = [
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [Number.NEGATIVE_INFINITY, '-Infinity'],
      [-0, '-0.0'],
      [0, '0.0'],
      [-1e7, '-1.0E7'],
      [-1.5e-4, '-1.5E-4'],
      [1.25e7, '1.25E7'],
      [-2, '-2.0'],
      [-0.5, '-0.5'],
    ];
    for (const [x, s] of cases) assert.equal(javaDouble(x), s, String(x));
  });
});

// ---------------------------------------------------------------------------------------------
describe('print/repr.ts', () => {
  it('reprTree: Scala toString of NameTree', () => {
    assert.equal(reprTree(tree('(/a & 2 * /b) | /c | ~ | ! | $')), 'Alt(Union(1.0*Leaf(/a),2.0*Leaf(/b)),Leaf(/c),Neg,Fail,Empty)');
    assert.equal(reprTree(tree('/')), 'Leaf(/)');
    assert.equal(reprTree(NEG), 'Neg');
    assert.equal(reprTree(FAIL), 'Fail');
    assert.equal(reprTree(EMPTY), 'Empty');
  });

  it('reprEval: None, or the shown paths sorted', () => {
    assert.equal(reprEval(undefined), 'None');
    assert.equal(reprEval(new Set<Path>()), 'Some([])');
    assert.equal(reprEval(new Set<Path>([['b'], ['a', 'z'], ['a']])), 'Some([/a, /a/z, /b])');
  });

  it('reprBound: bound leaves, Union and Alt with ", ", tokens', () => {
    const b = (id: string, residual = '/', weight?: number): NameTree<BoundName> =>
      leaf({ ...boundName(p(id), p(residual), { type: 'neg' }), ...(weight === undefined ? {} : { weight }) });
    const t: NameTree<BoundName> = alt([
      union([{ weight: 3, tree: b('/$/inet/127.1/80', '/x', 0.75) }, { weight: 1, tree: b('/#/a') }]),
      NEG,
      FAIL,
      EMPTY,
    ]);
    assert.equal(reprBound(t), 'Alt(Union(3.0*/$/inet/127.1/80[residual /x]{w=0.75}, 1.0*/#/a), ~, !, $)');
  });
});

// ---------------------------------------------------------------------------------------------
describe('print/show.ts', () => {
  it('showElem: all-or-nothing \\xhh escapes, lower-case hex', () => {
    assert.equal(showElem('foo'), 'foo');
    assert.equal(showElem('a/b'), '\\x61\\x2f\\x62');
    assert.equal(showElem('foo bar'), '\\x66\\x6f\\x6f\\x20\\x62\\x61\\x72');
    assert.equal(showElem('\xe2\x98\x83'), '\\xe2\\x98\\x83');
    assert.equal(showElem('-_:.%$#'), '-_:.%$#');
    assert.equal(showElem('*'), '\\x2a');
    assert.equal(showElem('a*'), '\\x61\\x2a');
    assert.equal(showElem('\x00\xff'), '\\x00\\xff');
    assert.equal(showPath(['a', 'b c', '']), '/a/\\x62\\x20\\x63/');
    assert.equal(showPath([]), '/');
  });

  it('showPrefix: * for wildcards, / for the empty prefix', () => {
    assert.equal(showPrefix([]), '/');
    assert.equal(showPrefix([ANY]), '/*');
    assert.equal(showPrefix(['a', ANY, 'b c']), '/a/*/\\x62\\x20\\x63');
  });

  it('show: an Alt inside a Union, and Alt/Union as Union members, in parentheses', () => {
    assert.equal(show(tree('/a | (/b | /c)')), '/a | (/b | /c)');
    assert.equal(show(tree('2 * (/a | /b) & /c')), '2.00*(/a | /b) & /c');
    assert.equal(show(alt([alt([leaf(['a']), leaf(['b'])]), union([{ weight: 1, tree: alt([leaf(['c']), leaf(['d'])]) }])])), '(/a | /b) | (/c | /d)');
  });

  it('showDtab joins dentries with ";"', () => {
    assert.equal(showDtab(dtab('/a => /b; /c/* => 0.7 * /d & 0.3 * /e')), '/a=>/b;/c/*=>0.70*/d & 0.30*/e');
    assert.equal(showDtab(Dtab.empty), '');
  });
});

// ---------------------------------------------------------------------------------------------
describe('print/format.ts', () => {
  const fmt = (src: string) => formatDtab(parseDtab(src));

  it('an empty dtab formats to nothing', () => {
    assert.equal(fmt(''), '');
    assert.equal(fmt('  \n'), '');
  });

  it('a comment on the last line, without a line break, stays at the end of the dentry', () => {
    assert.equal(fmt('/a=>/b; # c'), '/a  => /b ;  # c\n');
    assert.equal(fmt('/a=>/b;# c'), '/a  => /b ;  # c\n');
    assert.equal(fmt('/a=>/b;# c\n/cc=>/d'), '/a   => /b ;  # c\n/cc  => /d ;\n');
  });

  it('comment text loses trailing blanks only', () => {
    assert.equal(fmt('  # c  \n/a=>/b; # t \t\n'), '# c\n/a  => /b ;  # t\n');
  });

  it('blank lines between items are kept once, whatever blanks they hold; none at the start', () => {
    assert.equal(fmt('/a=>/b;\n\n/c=>/d;\n'), '/a  => /b ;\n\n/c  => /d ;\n');
    assert.equal(fmt('/a=>/b;\n \n/c=>/d;\n'), '/a  => /b ;\n\n/c  => /d ;\n');
    assert.equal(fmt('/a=>/b;\n\t\n/c=>/d;\n'), '/a  => /b ;\n\n/c  => /d ;\n');
    assert.equal(fmt('/a=>/b;\r\n\r\n/c=>/d;\r\n'), '/a  => /b ;\r\n\r\n/c  => /d ;\r\n');
    assert.equal(fmt('/a=>/b;\nx\n/c=>/d;\n'), undefined);
    assert.equal(fmt('/a=>/b; #x\n#y\n/c=>/d;\n'), '/a  => /b ;  #x\n#y\n/c  => /d ;\n');
    assert.equal(fmt('\n\n# c\n/a=>/b;\n'), '# c\n/a  => /b ;\n');
    assert.equal(fmt('\n\n/a=>/b;\n'), '/a  => /b ;\n');
    assert.equal(fmt('/a =>\n\n/b;\n/c=>/d;\n'), '/a  => /b ;\n/c  => /d ;\n');
    assert.equal(fmt('/a=>/b; # t\n\n/c=>/d;\n'), '/a  => /b ;  # t\n\n/c  => /d ;\n');
    assert.equal(fmt('/a=>/b;\n\n# c\n'), '/a  => /b ;\n\n# c\n');
  });

  it('a lone weighted term keeps its weight as written', () => {
    assert.equal(fmt('/a=>2 * /b;'), '/a  => 2 * /b ;\n');
    assert.equal(fmt('/a=>.5*(/b|/c)'), '/a  => .5 * (/b | /c) ;\n');
  });
});
