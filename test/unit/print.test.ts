import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alt, EMPTY, FAIL, formatDtab, evaluate, formatFixed2, javaDouble, leaf, lowerDtab, NEG, parseDtab, showDtab, showTree, union, type NameTree } from '../../core/index.js';

describe('Java number formatting', () => {
  it('formats weights like %.2f with HALF_UP on the shortest decimal', () => {
    const cases: [number, string][] = [
      [1.005, '1.01'],
      [2.675, '2.68'],
      [0.335, '0.34'],
      [0.125, '0.13'],
      [0.5, '0.50'],
      [0, '0.00'],
      [19, '19.00'],
      [0.994, '0.99'],
      [0.995, '1.00'],
      [99.995, '100.00'],
      [1e-7, '0.00'],
      [123456789012, '123456789012.00'],
    ];
    for (const [x, s] of cases) assert.equal(formatFixed2(x), s, String(x));
  });

  it('prints doubles like Double.toString', () => {
    const cases: [number, string][] = [
      [1, '1.0'],
      [0.5, '0.5'],
      [19, '19.0'],
      [1.005, '1.005'],
      [1e7, '1.0E7'],
      [1.5e-4, '1.5E-4'],
      [0.001, '0.001'],
      [0, '0.0'],
    ];
    for (const [x, s] of cases) assert.equal(javaDouble(x), s, String(x));
  });
});

describe('formatter (namerctl style)', () => {
  const fmt = (src: string) => formatDtab(parseDtab(src));

  it('aligns =>, ends every dentry with " ;" and keeps comments', () => {
    const src = '# base\n/srv=>/#/io.l5d.k8s/default/http;/host/world => /srv/world-v1; # pinned\n\n# the rest\n/svc=>0.5*/a&.25*/b|~';
    assert.equal(
      fmt(src),
      [
        '# base',
        '/srv         => /#/io.l5d.k8s/default/http ;',
        '/host/world  => /srv/world-v1 ;  # pinned',
        '',
        '# the rest',
        '/svc         => 0.5 * /a & .25 * /b | ~ ;',
        '',
      ].join('\n'),
    );
  });

  it('is idempotent and keeps the same dtab, weights included', () => {
    const src = '/a => 0.333 * /b & 1.0049 * (/c | /d) ;\n/e=>/f\\x2a#x #c\n;/g=>$';
    const once = fmt(src)!;
    assert.equal(fmt(once), once);
    const before = lowerDtab(parseDtab(src));
    const after = lowerDtab(parseDtab(once));
    assert.deepEqual(after.dentries, before.dentries);
  });

  it('moves comments from inside a dentry above it (Finagle\'s DtabTest example)', () => {
    const src = '# a comment\n/#foo => /biz  # another comment\n| ( /bliz & # yet another comment\n/bluth ) # duh bluths\n; #finalmente\n#/ignore=>/me;';
    const out = fmt(src)!;
    assert.equal(
      out,
      ['# a comment', '# another comment', '# yet another comment', '# duh bluths', '/#foo  => /biz | (/bliz & /bluth) ;  #finalmente', '#/ignore=>/me;', ''].join('\n'),
    );
    assert.equal(showDtab(lowerDtab(parseDtab(out))), '/#foo=>/biz | /bliz & /bluth');
  });

  it('refuses to format text with syntax errors', () => {
    assert.equal(fmt('/a => /b /c => /d'), undefined);
  });

  it('keeps CRLF line endings', () => {
    assert.equal(fmt('/a=>/b;\r\n/cc=>/d;\r\n'), '/a   => /b ;\r\n/cc  => /d ;\r\n');
  });
});

describe("NameTree.show: Finagle's show / show1 / showSimple case for case", () => {
  const a = leaf('/a');
  const b = leaf('/b');
  const c = leaf('/c');
  const show = (t: NameTree<string>) => showTree(t, (v) => v);
  it('a one-tree Alt or Union is its tree at every level, with no parentheses added', () => {
    assert.equal(show(alt([alt([a, b])])), '/a | /b');
    assert.equal(show(union([{ weight: 1, tree: alt([a, b]) }])), '/a | /b');
    assert.equal(show(union([{ weight: 0.5, tree: alt([alt([a, b])]) }])), '/a | /b');
    assert.equal(show(alt([union([{ weight: 2, tree: a }, { weight: 1, tree: b }])])), '2.00*/a & /b');
    assert.equal(show(alt([c, alt([union([{ weight: 1, tree: alt([a, b]) }])])])), '/c | (/a | /b)');
    assert.equal(show(union([{ weight: 0.25, tree: alt([a]) }, { weight: 1, tree: alt([a, b]) }])), '0.25*/a & (/a | /b)');
  });
  it('an empty Alt or Union is nothing at the top and () inside (no endless recursion)', () => {
    assert.equal(show(alt([])), '');
    assert.equal(show(union([])), '');
    assert.equal(show(alt([a, alt([])])), '/a | ()');
    assert.equal(show(alt([a, union([])])), '/a | ');
    assert.equal(show(union([{ weight: 1, tree: a }, { weight: 1, tree: union([]) }])), '/a & ()');
    assert.equal(show(union([{ weight: 1, tree: a }, { weight: 3, tree: alt([]) }])), '/a & 3.00*()');
  });
  it('alternatives of unions and unions of alternatives', () => {
    assert.equal(show(alt([union([{ weight: 1, tree: a }, { weight: 1, tree: b }]), c])), '/a & /b | /c');
    assert.equal(show(union([{ weight: 1, tree: alt([a, b]) }, { weight: 1, tree: c }])), '(/a | /b) & /c');
    assert.equal(show(union([{ weight: 1, tree: union([{ weight: 1, tree: a }, { weight: 1, tree: b }]) }, { weight: 1, tree: c }])), '(/a & /b) & /c');
    assert.equal(show(alt([a, alt([b, c])])), '/a | (/b | /c)');
    assert.equal(show(alt([NEG, FAIL, EMPTY])), '~ | ! | $');
  });
});

describe("NameTree.eval: Finagle's eval, Fail and Neg kept apart at every depth", () => {
  const a = leaf('/a');
  const b = leaf('/b');
  const ev = (t: NameTree<string>) => {
    const r = evaluate(t);
    return r === undefined ? 'None' : [...r].sort();
  };
  it('an Alt stops at an alternative whose eval is Fail, however deep the ! is', () => {
    assert.equal(ev(alt([alt([FAIL, a]), b])), 'None');
    assert.equal(ev(alt([alt([FAIL]), b])), 'None');
    assert.equal(ev(alt([alt([alt([NEG, FAIL]), a]), b])), 'None');
    assert.equal(ev(alt([FAIL, a])), 'None');
    assert.equal(ev(alt([NEG, alt([NEG, FAIL]), b])), 'None');
    // A one-tree union is its tree (Finagle's `case Union(Weighted(_, tree)) => eval(tree)`): still a failure.
    assert.equal(ev(alt([union([{ weight: 0.5, tree: FAIL }]), b])), 'None');
    assert.deepEqual(ev(alt([union([{ weight: 0.5, tree: NEG }]), b])), ['/b']);
  });
  it('an Alt skips alternatives whose eval is Neg, a union of failures among them', () => {
    assert.deepEqual(ev(alt([union([{ weight: 1, tree: FAIL }, { weight: 1, tree: FAIL }]), b])), ['/b']);
    assert.deepEqual(ev(alt([alt([NEG, NEG]), alt([]), union([]), b])), ['/b']);
    assert.deepEqual(ev(alt([alt([NEG, a]), b])), ['/a']);
    assert.deepEqual(ev(alt([NEG, EMPTY, a])), []);
    assert.equal(ev(alt([NEG, NEG])), 'None');
    assert.equal(ev(alt([])), 'None');
  });
  it('a Union gathers the sets of its branches, dropping Fail and Neg; none left is Neg', () => {
    assert.deepEqual(ev(union([{ weight: 1, tree: alt([FAIL, a]) }, { weight: 2, tree: b }])), ['/b']);
    assert.deepEqual(ev(union([{ weight: 1, tree: a }, { weight: 1, tree: a }, { weight: 1, tree: EMPTY }])), ['/a']);
    assert.equal(ev(union([{ weight: 1, tree: FAIL }, { weight: 1, tree: NEG }])), 'None');
    assert.equal(ev(union([])), 'None');
    assert.equal(ev(FAIL), 'None');
    assert.equal(ev(NEG), 'None');
    assert.deepEqual(ev(EMPTY), []);
  });
});
