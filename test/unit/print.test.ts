import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDtab, formatFixed2, javaDouble, lowerDtab, parseDtab, showDtab } from '../../core/index.js';

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
