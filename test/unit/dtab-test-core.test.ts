// Routing assertions (.dtab-test): how a file is read (with the dtab parser), and when an
// assertion holds (the delegation as a simplified name tree of full names, NameTree.show).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  acceptEdits,
  completeDtabTest,
  dtabTestDiagnostics,
  interpreterFor,
  lowerDtab,
  analyzeDtab,
  parseDtab,
  parseDtabTestFile,
  runAssertions,
  runAssertionsSync,
  type NamerRegistry,
} from '../../core/index.js';
import { Sources } from '../../remote/sources.js';

const SNAPSHOT = readFileSync(join(__dirname, '..', '..', 'examples', 'cluster.k8s-snapshot.yaml'), 'utf8');

/** [path, ok, actual] of every assertion of `tests` against `dtab`. */
function check(dtab: string, tests: string, registry?: NamerRegistry) {
  const i = interpreterFor(registry ? { registry } : {});
  const d = lowerDtab(parseDtab(dtab));
  const file = parseDtabTestFile(tests);
  assert.deepEqual(file.problems, []);
  return runAssertionsSync(file, (p) => i.delegateSync(d, p)).map((o) => [o.assertion.pathText, o.ok, o.actual]);
}

const UNION = '/svc/w => 9 * /$/inet/127.1/1 & 1 * /$/inet/127.1/2;';

describe('dtab-test: when an assertion holds', () => {
  it('unions: weights written differently agree (9 *, 9.0 *, 9.00*, the weight 1 left out)', () => {
    assert.deepEqual(
      check(UNION, ['/svc/w => 9 * /$/inet/127.1/1 & 1 * /$/inet/127.1/2', '/svc/w => 9.00*/$/inet/127.1/1 & /$/inet/127.1/2', '/svc/w => 9.0 * /$/inet/127.1/1 & 1. * /$/inet/127.1/2', '/svc/w => (9 * /$/inet/127.1/1 & /$/inet/127.1/2)'].join('\n')),
      [
        ['/svc/w', true, '9.00*/$/inet/127.1/1 & /$/inet/127.1/2'],
        ['/svc/w', true, '9.00*/$/inet/127.1/1 & /$/inet/127.1/2'],
        ['/svc/w', true, '9.00*/$/inet/127.1/1 & /$/inet/127.1/2'],
        ['/svc/w', true, '9.00*/$/inet/127.1/1 & /$/inet/127.1/2'],
      ],
    );
  });

  it('unions: other weights (even in the same proportion) and another order do not hold', () => {
    assert.deepEqual(check(UNION, '/svc/w => 0.9 * /$/inet/127.1/1 & 0.1 * /$/inet/127.1/2\n/svc/w => /$/inet/127.1/2 & 9 * /$/inet/127.1/1\n/svc/w => /$/inet/127.1/1').map((r) => r[1]), [false, false, false]);
  });

  it('residuals: the rest of the path follows each bound id', () => {
    assert.deepEqual(check(UNION + '/srv => /#/io.l5d.k8s/default/http;', '/svc/w/x/y => 9 * /$/inet/127.1/1/x/y & /$/inet/127.1/2/x/y\n/srv/hello/a => /#/io.l5d.k8s/default/http/hello/a'), [
      ['/svc/w/x/y', true, '9.00*/$/inet/127.1/1/x/y & /$/inet/127.1/2/x/y'],
      ['/srv/hello/a', true, '/#/io.l5d.k8s/default/http/hello/a'],
    ]);
  });

  it('alternations: every alternative the delegation has, `~` ones dropped, in order', () => {
    const dtab = '/srv => /#/io.l5d.k8s/default/http; /svc => /srv; /svc/both => /$/inet/127.1/4 | /$/inet/127.1/5; /svc/alt => /nothing | /$/inet/127.1/3;';
    assert.deepEqual(check(dtab, '/svc/both => /$/inet/127.1/4 | /$/inet/127.1/5 | /#/io.l5d.k8s/default/http/both\n/svc/alt => /$/inet/127.1/3 | /#/io.l5d.k8s/default/http/alt\n/svc/x => /#/io.l5d.k8s/default/http/x'), [
      ['/svc/both', true, '/$/inet/127.1/4 | /$/inet/127.1/5 | /#/io.l5d.k8s/default/http/both'],
      ['/svc/alt', true, '/$/inet/127.1/3 | /#/io.l5d.k8s/default/http/alt'],
      ['/svc/x', true, '/#/io.l5d.k8s/default/http/x'],
    ]);
    // Written in another order, or without the fallback: no.
    assert.deepEqual(check(dtab, '/svc/both => /$/inet/127.1/5 | /$/inet/127.1/4 | /#/io.l5d.k8s/default/http/both\n/svc/alt => /$/inet/127.1/3').map((r) => r[1]), [false, false]);
  });

  it('neg, fail, empty: `~` for no match and for an unknown namer; `!` cuts the alternatives after it; `$`', () => {
    const dtab = '/svc/f => !; /svc/ff => ! | /$/inet/127.1/6; /svc/sysfail => /$/fail; /svc/e => $; /svc/nil => /$/nil; /svc/uf => /$/inet/127.1/7 & !; /svc/neg => ~; /svc/en => /$/nil | /$/inet/127.1/8;';
    assert.deepEqual(check(dtab, ['/nothing => ~', '/svc/neg => ~', '/#/io.l5d.nosuch/x => ~', '/svc/f => !', '/svc/ff => !', '/svc/sysfail => !', '/svc/e => $', '/svc/nil => $', '/svc/uf => /$/inet/127.1/7', '/svc/en => $ | /$/inet/127.1/8'].join('\n')), [
      ['/nothing', true, '~'],
      ['/svc/neg', true, '~'],
      ['/#/io.l5d.nosuch/x', true, '~'],
      ['/svc/f', true, '!'],
      ['/svc/ff', true, '!'],
      ['/svc/sysfail', true, '!'],
      ['/svc/e', true, '$'],
      ['/svc/nil', true, '$'],
      ['/svc/uf', true, '/$/inet/127.1/7'],
      ['/svc/en', true, '$ | /$/inet/127.1/8'],
    ]);
  });

  it('a delegation that fails is `fails: …` and never holds', () => {
    assert.deepEqual(check('/a => /b; /b => /a;', '/a => !'), [['/a', false, 'fails: Max recursion level reached.']]);
  });

  it('with a snapshot: a name with no endpoints is `~`, and the addresses are compared as a set', () => {
    const sources = new Sources({ snapshot: { text: SNAPSHOT, name: 'cluster.yaml' }, live: false });
    const dtab = '/srv => /#/io.l5d.k8s/default/http; /svc => /srv; /svc/world => 1 * /srv/world-v2 & 9 * /srv/world-v1; /svc/gone => /srv/nosuch | /srv/hello;';
    assert.deepEqual(
      check(dtab, ['/svc/world => 1 * /#/io.l5d.k8s/default/http/world-v2 & 9 * /#/io.l5d.k8s/default/http/world-v1 @ 10.1.2.2:7778, 10.1.3.1:7778, 10.1.2.1:7778', '/svc/gone => /#/io.l5d.k8s/default/http/hello', '/svc/nosuch => ~', '/svc/world => /#/io.l5d.k8s/default/http/world-v2 & 9 * /#/io.l5d.k8s/default/http/world-v1 @ 10.1.2.1:7778'].join('\n'), sources.registry()),
      [
        ['/svc/world', true, '/#/io.l5d.k8s/default/http/world-v2 & 9.00*/#/io.l5d.k8s/default/http/world-v1 @ 10.1.2.1:7778, 10.1.2.2:7778, 10.1.3.1:7778'],
        ['/svc/gone', true, '/#/io.l5d.k8s/default/http/hello'],
        ['/svc/nosuch', true, '~'],
        ['/svc/world', false, '/#/io.l5d.k8s/default/http/world-v2 & 9.00*/#/io.l5d.k8s/default/http/world-v1 @ 10.1.2.1:7778, 10.1.2.2:7778, 10.1.3.1:7778'],
      ],
    );
    sources.close();
  });

  it('without cluster data a /#/ name stays as written, and its addresses are not checked (said so)', () => {
    const i = interpreterFor({});
    const d = lowerDtab(parseDtab('/svc => /#/io.l5d.k8s/default/http; /inet => /$/inet/127.1/9;'));
    const file = parseDtabTestFile('/svc/a => /#/io.l5d.k8s/default/http/a @ 10.0.0.1:80\n/inet => /$/inet/127.1/9 @ 127.0.0.1:9\n/inet => /$/inet/127.1/9 @ 127.0.0.1:10');
    const out = runAssertionsSync(file, (p) => i.delegateSync(d, p));
    assert.deepEqual(out.map((o) => [o.ok, o.expected, o.actual, o.note]), [
      [true, '/#/io.l5d.k8s/default/http/a @ 10.0.0.1:80', '/#/io.l5d.k8s/default/http/a', 'addresses not checked: a name is bound by a namer with no cluster data here (give a snapshot or a cluster)'],
      [true, '/$/inet/127.1/9 @ 127.0.0.1:9', '/$/inet/127.1/9 @ 127.0.0.1:9', undefined],
      [false, '/$/inet/127.1/9 @ 127.0.0.1:10', '/$/inet/127.1/9 @ 127.0.0.1:9', undefined],
    ]);
  });

  it('runs with a delegator that answers later (async namers)', async () => {
    const i = interpreterFor({});
    const d = lowerDtab(parseDtab(UNION));
    const out = await runAssertions(parseDtabTestFile('/svc/w => 9 * /$/inet/127.1/1 & /$/inet/127.1/2\n/x => /y'), async (p) => i.delegate(d, p));
    assert.deepEqual(out.map((o) => [o.ok, o.actual]), [[true, '9.00*/$/inet/127.1/1 & /$/inet/127.1/2'], [false, '~']]);
  });
});

describe('dtab-test: reading a file', () => {
  it('reads the header (dtab, config and router, namerd, snapshot) and the assertions with their spans', () => {
    const text = '# about\n# dtab: ../app.dtab\n# snapshot: c.yaml\n\n/svc/a#b => /x | ~ # why\n  /svc/c=>1*/y&2*/z @ 10.0.0.1:80 ,[::1]:81 # addrs\n';
    const f = parseDtabTestFile(text);
    assert.deepEqual(f.header, { source: { kind: 'dtab', file: '../app.dtab' }, span: { start: 8, end: 27 }, line: 1 });
    assert.deepEqual(f.snapshot, { file: 'c.yaml', span: { start: 28, end: 46 }, line: 2 });
    assert.deepEqual(f.problems, [{ span: { start: 60, end: 66 }, line: 4, severity: 'warning', code: 'not-simplified', message: 'Results are compared simplified, as Finagle simplifies them, so this never holds: write `/x`.' }]);
    assert.deepEqual(
      f.assertions.map((a) => [a.line, a.pathText, a.expectedText, text.slice(a.span.start, a.span.end), text.slice(a.pathSpan.start, a.pathSpan.end), text.slice(a.expectedSpan.start, a.expectedSpan.end), a.addresses?.list.map((x) => x.text)]),
      [
        [4, '/svc/a#b', '/x | ~', '/svc/a#b => /x | ~', '/svc/a#b', '/x | ~', undefined],
        [5, '/svc/c', '/y & 2.00*/z', '/svc/c=>1*/y&2*/z @ 10.0.0.1:80 ,[::1]:81', '/svc/c', '1*/y&2*/z', ['10.0.0.1:80', '[::1]:81']],
      ],
    );
    assert.deepEqual(parseDtabTestFile('# config: l5d.yaml router: http\n').header?.source, { kind: 'config', file: 'l5d.yaml', router: 'http' });
    assert.deepEqual(parseDtabTestFile('# config: l5d.yaml\n').header?.source, { kind: 'config', file: 'l5d.yaml' });
    assert.deepEqual(parseDtabTestFile('#namerd: http://namerd:4180 ns: prod\n').header?.source, { kind: 'namerd', url: 'http://namerd:4180', ns: 'prod' });
    // After the first assertion, such comments are comments.
    assert.equal(parseDtabTestFile('/a => ~\n# dtab: x.dtab\n').header, undefined);
  });

  it('reports broken headers, a second source, and assertion lines the dtab parser refuses', () => {
    const f = parseDtabTestFile('# dtab: a.dtab\n# dtab: b.dtab\n# namerd: nope\n/a/* => /b\n/a /b\n/a => /b;\n/a => /b @\n/a => /b @ 10.0.0.1\n/a => (/b\n');
    assert.deepEqual(
      f.problems.map((p) => [p.line, p.code, p.span.start, p.span.end, p.message, p.finagle]),
      [
        [1, 'header', 15, 29, 'The tested dtab is already named on line 1: a file tests one dtab.', undefined],
        [2, 'header', 30, 44, 'This header comment names no namerd: write `# namerd: URL ns: NAMESPACE` (URL: http:// or https://).', undefined],
        [3, 'path', 48, 49, 'The path of an assertion is one name: `*` is only for dentry prefixes.', "label char expected but '*' found at '/a/[*]'"],
        [4, 'syntax', 59, 60, 'An assertion is `PATH => EXPECTED`: Expected `=>` after the prefix `/a`, found `/`.', "'=' expected but '/' found at '/a [/]b'"],
        [5, 'syntax', 70, 71, 'An assertion is `PATH => EXPECTED`: A single dentry cannot end with `;`.', "end of input expected but ';' found at '/a => /b[;]'"],
        [6, 'address', 82, 82, 'An address is missing: write `@ IP:PORT, IP:PORT, …` (e.g. `@ 10.1.1.1:7777`).', undefined],
        [7, 'address', 94, 102, '`10.0.0.1` is not an address: write IP:PORT (e.g. `10.1.1.1:7777`, `[::1]:80`).', undefined],
        [8, 'syntax', 112, 112, 'An assertion is `PATH => EXPECTED`: Missing `)` to close the `(` on line 1; found the end of the text.', "')' expected but end of input found at '/a => (/b[]'"],
      ],
    );
    assert.equal(f.assertions.length, 0);
  });
});

describe('dtab-test: the language layer', () => {
  const dtab = lowerDtab(parseDtab('/svc => /$/inet/127.1/1; /svc/x => /$/inet/127.1/2;'));
  const i = interpreterFor({});

  it('diagnoses a failing assertion on its expected part with the actual result, and accepting it makes it hold', () => {
    const text = '# dtab: x.dtab\n/svc/x => /$/inet/127.1/2 @ 127.0.0.1:3 # wrong\n/svc/y => /$/inet/127.1/1/y\n';
    const file = parseDtabTestFile(text);
    const outcomes = runAssertionsSync(file, (p) => i.delegateSync(dtab, p));
    const diags = dtabTestDiagnostics(file, outcomes);
    assert.deepEqual(diags.map((d) => [d.code, d.severity, text.slice(d.span.start, d.span.end), d.message, d.fix?.title]), [
      ['assertion-failed', 'error', '/$/inet/127.1/2 @ 127.0.0.1:3', '/svc/x: expected /$/inet/127.1/2 @ 127.0.0.1:3, got /$/inet/127.1/2 | /$/inet/127.1/1/x @ 127.0.0.1:2', 'Accept the actual result'],
    ]);
    let fixed = text;
    for (const e of [...acceptEdits(outcomes[0]!)!].sort((a, b) => b.span.start - a.span.start)) fixed = fixed.slice(0, e.span.start) + e.text + fixed.slice(e.span.end);
    assert.equal(fixed, '# dtab: x.dtab\n/svc/x => /$/inet/127.1/2 | /$/inet/127.1/1/x @ 127.0.0.1:2 # wrong\n/svc/y => /$/inet/127.1/1/y\n');
    const again = parseDtabTestFile(fixed);
    assert.deepEqual(runAssertionsSync(again, (p) => i.delegateSync(dtab, p)).map((o) => o.ok), [true, true]);
  });

  it('says why nothing ran on the header (or the first line)', () => {
    const file = parseDtabTestFile('/a => ~\n');
    assert.deepEqual(dtabTestDiagnostics(file, undefined, 'No dtab to test.'), [{ span: { start: 0, end: 7 }, severity: 'error', code: 'test-source', message: 'No dtab to test.' }]);
  });

  it('completes paths from the tested dtab, and a destination with the actual result first', () => {
    const tested = analyzeDtab('/svc => /$/inet/127.1/1;\n/svc/x => /b;\n/a/*/c => /d;\n');
    const text = '# dtab: x.dtab\n/svc/q => ~\n/s';
    const file = parseDtabTestFile(text);
    const paths = completeDtabTest(file, text.length, tested);
    assert.deepEqual(paths.map((c) => [c.label, c.detail, c.edit && text.slice(c.edit.span.start, c.edit.span.end)]), [
      ['/svc', 'a prefix of the tested dtab', '/s'],
      ['/svc/x', 'a prefix of the tested dtab', '/s'],
      ['/svc/q', 'asserted on line 2', '/s'],
    ]);
    const text2 = '/svc/x => ';
    const dest = completeDtabTest(parseDtabTestFile(text2), text2.length, tested, '/b');
    assert.deepEqual(dest[0], { label: '/b', kind: 'path', detail: 'what this path routes to now', edit: { span: { start: 10, end: 10 }, text: '/b' }, sortText: '0', filterText: '/b' });
    assert.ok(dest.some((c) => c.label === '/#/io.l5d.k8s'));
    const text3 = '/svc/x => /b ';
    assert.deepEqual(completeDtabTest(parseDtabTestFile(text3), text3.length, tested).map((c) => c.label), ['|', '&', '@']);
  });
});
