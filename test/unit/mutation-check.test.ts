// Exact values for core/check: every warning of checkDtab with its message, span, fixes and related
// places; the inputs that must give none; the deep checks (cycles, dentries never used) and the
// cap on listed errors. Written so that mutants of core/check fail a test (npm run mutation).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyzeDtab, checkDtabText, deepDiagnostics, findCycle, findShadowed, lowerDtab, MAX_REPORTED_ERRORS, parseDtab } from '../../core/index.js';

type Edit = [number, number, string];
/** [text, code, severity, start, end, message, fixes as [title, ...edits], related as [start, end, message]]. */
type Row = [string, string, string, number, number, string, [string, ...Edit[]][], [number, number, string][]];

const WARNINGS: Row[] = [
  ["/a => /b ;\n/a => /b ;", "duplicate-dentry", "warning", 11, 19, "This dentry repeats an earlier one exactly: the earlier one is only tried if this one fails, with the same result.", [["Remove the duplicate dentry",[11,21,""]]], [[0,8,"the earlier dentry"]]],
  ["/a => /b ;\n/a=>/b;", "duplicate-dentry", "warning", 11, 17, "This dentry repeats an earlier one exactly: the earlier one is only tried if this one fails, with the same result.", [["Remove the duplicate dentry",[11,18,""]]], [[0,8,"the earlier dentry"]]],
  ["/a => 0 * /b & /c ;", "zero-weight", "warning", 6, 7, "Weight 0: this branch of the union never receives traffic.", [], []],
  ["/a => 0.0 * /b & 1 * /c ;", "zero-weight", "warning", 6, 9, "Weight 0: this branch of the union never receives traffic.", [], []],
  ["/a => 0.125 * /b & /c ;", "weight-precision", "warning", 6, 11, "namerd will store this weight as `0.13`: Finagle prints weights with two decimals.", [["Write the weight as namerd will store it (`0.13`)",[6,11,"0.13"]]], []],
  ["/a => 1.005 * /b & /c ;", "weight-precision", "warning", 6, 11, "namerd will store this weight as `1.01`: Finagle prints weights with two decimals.", [["Write the weight as namerd will store it (`1.01`)",[6,11,"1.01"]]], []],
  ["/a => 0.5 * /b ;", "weight-outside-union", "warning", 6, 11, "The weight `0.5` is ignored: weights only apply between the branches of a `&` union, and Finagle drops this one silently.", [["Remove the ignored weight",[6,12,""]]], []],
  ["/a => (0.5 * /b) ;", "weight-outside-union", "warning", 7, 12, "The weight `0.5` is ignored: weights only apply between the branches of a `&` union, and Finagle drops this one silently.", [["Remove the ignored weight",[7,13,""]]], []],
  ["/a => /b | 2 * /c ;", "weight-outside-union", "warning", 11, 14, "The weight `2` is ignored: weights only apply between the branches of a `&` union, and Finagle drops this one silently.", [["Remove the ignored weight",[11,15,""]]], []],
  ["/a => /$/nope/x ;", "unknown-system-namer", "warning", 9, 13, "`/$/nope` is not a namer Linkerd ships: requests routed here fail with \"Unknown namer: nope\".", [], []],
  ["/a => /\\x24/nope ;", "unknown-system-namer", "warning", 12, 16, "`/$/nope` is not a namer Linkerd ships: requests routed here fail with \"Unknown namer: nope\".", [], []],
  ["/a => /$/com.acme.Namer/x ;", "unknown-system-namer", "warning", 9, 23, "`/$/com.acme.Namer` is not a namer Linkerd ships: requests routed here fail with \"Unknown namer: com.acme.Namer\" unless a namer class of that name is on linkerd's classpath.", [], []],
  ["/a => /#/io.l5d.k8s/http/ns/svc ;", "k8s-path-shape", "warning", 20, 24, "`http` looks like a port, but this is the namespace position: the shape is `/#/io.l5d.k8s/<namespace>/<port>/<service>`.", [], []],
  ["/a => /#/io.l5d.k8s/8080/http/svc ;", "k8s-path-shape", "warning", 20, 24, "`8080` looks like a port, but this is the namespace position: the shape is `/#/io.l5d.k8s/<namespace>/<port>/<service>`.", [], []],
  ["/a => /#/io.l5d.k8s/Bad_NS/http/svc ;", "k8s-path-shape", "warning", 20, 26, "`bad_ns` is not a valid Kubernetes namespace name, so this always resolves to `~`: the shape is `/#/io.l5d.k8s/<namespace>/<port>/<service>`.", [], []],
  ["/a => /#/io.l5d.k8s/ns/a-very-long-port-name/svc ;", "k8s-path-shape", "warning", 23, 44, "`a-very-long-port-name` is not a valid port name (at most 15 characters: a-z, 0-9, -): the shape is `/#/io.l5d.k8s/<namespace>/<port>/<service>`.", [], []],
  ["/a => /#/io.l5d.k8s/ns/http/-svc ;", "k8s-path-shape", "warning", 28, 32, "`-svc` is not a valid Kubernetes service name, so this always resolves to `~`: the shape is `/#/io.l5d.k8s/<namespace>/<port>/<service>`.", [], []],
  ["/a => /#/io.l5d.k8s.external/http/ns/svc ;", "k8s-path-shape", "warning", 29, 33, "`http` looks like a port, but this is the namespace position: the shape is `/#/io.l5d.k8s.external/<namespace>/<port>/<service>`.", [], []],
  ["/a => /#/io.l5d.k8s/ns/http/svc-/x ;", "k8s-path-shape", "warning", 28, 32, "`svc-` is not a valid Kubernetes service name, so this always resolves to `~`: the shape is `/#/io.l5d.k8s/<namespace>/<port>/<service>`.", [], []],
];

/** [text, code, severity, start, end, message, unnecessary, related, fixes]. */
type DeepRow = [string, string, string, number, number, string, boolean, [number, number, string][], [string, ...Edit[]][]];
const DEEP: DeepRow[] = [
  ["/a => /b ;\n/b => /a ;", "delegation-cycle", "warning", 0, 2, "Delegation loops: `/a` → `/b` → `/a` → …; Linkerd gives up after 100 rewrites (\"Max recursion level reached\").", false, [], []],
  ["/a => /b ;\n/b => /a ;", "delegation-cycle", "warning", 11, 13, "Delegation loops: `/b` → `/a` → `/b` → …; Linkerd gives up after 100 rewrites (\"Max recursion level reached\").", false, [], []],
  ["/a => /a/x ;", "delegation-cycle", "warning", 0, 2, "Delegation loops: `/a` → `/a/x` → `/a/x/x` → `/a/x/x/x` → `/a/x/x/x/x` → `/a/x/x/x/x/x` → `/a/x/x/x/x/x/x` → `/a/x/x/x/x/x/x/x` → `/a/x/x/x/x/x/x/x/x` → `/a/x/x/x/x/x/x/x/x/x` → `/a/x/x/x/x/x/x/x/x/x/x` → `/a/x/x/x/x/x/x/x/x/x/x/x` → …; Linkerd gives up after 100 rewrites (\"Max recursion level reached\").", false, [], []],
  ["/a => /b ;\n/a => /$/inet/127.1/1 ;", "unreachable-dentry", "warning", 0, 8, "Never used: line 2 (`/a => /$/inet/127.1/1`) comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.", true, [[11,32,"the dentry that always answers first"]], []],
  ["/a => /b ;\n/a => ! ;", "unreachable-dentry", "warning", 0, 8, "Never used: line 2 (`/a => !`) comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.", true, [[11,18,"the dentry that always answers first"]], []],
  ["/a => /b ;\n/a => /c | /$/inet/1.2.3.4/80 ;", "unreachable-dentry", "warning", 0, 8, "Never used: line 2 (`/a => /c | /$/inet/1.2.3.4/80`) comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.", true, [[11,40,"the dentry that always answers first"]], []],
  ["/a/b => /x ;\n/a => /$/inet/127.1/1 ;", "unreachable-dentry", "warning", 0, 10, "Never used: line 2 (`/a => /$/inet/127.1/1`) comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.", true, [[13,34,"the dentry that always answers first"]], []],
  ["/s => /s/x | /t ;", "delegation-cycle", "warning", 0, 2, "Delegation loops: `/s` → `/s/x` → `/s/x/x` → `/s/x/x/x` → `/s/x/x/x/x` → `/s/x/x/x/x/x` → `/s/x/x/x/x/x/x` → `/s/x/x/x/x/x/x/x` → `/s/x/x/x/x/x/x/x/x` → `/s/x/x/x/x/x/x/x/x/x` → `/s/x/x/x/x/x/x/x/x/x/x` → `/s/x/x/x/x/x/x/x/x/x/x/x` → …; Linkerd gives up after 100 rewrites (\"Max recursion level reached\").", false, [], []],
  ["/a => /b ;\n/a => $ ;", "unreachable-dentry", "warning", 0, 8, "Never used: line 2 (`/a => $`) comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.", true, [[11,18,"the dentry that always answers first"]], []],
  ["/x => /y ;\n/a => 1 * /x & 2 * /$/inet/127.1/1 ;\n/a => /$/inet/127.1/2 ;", "unreachable-dentry", "warning", 11, 45, "Never used: line 3 (`/a => /$/inet/127.1/2`) comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.", true, [[48,69,"the dentry that always answers first"]], []],
];

const shape = (d: { code: string; severity: string; span: { start: number; end: number }; message: string; fixes?: readonly { title: string; edits: readonly { span: { start: number; end: number }; text: string }[] }[] }) => [
  d.code,
  d.severity,
  d.span.start,
  d.span.end,
  d.message,
  (d.fixes ?? []).map((f) => [f.title, ...f.edits.map((e) => [e.span.start, e.span.end, e.text])]),
];

describe('checkDtab warnings, exactly', () => {
  for (const [text, code, severity, start, end, message, fixes, related] of WARNINGS) {
    it(`${code} in ${JSON.stringify(text)}`, () => {
      const ds = checkDtabText(text).diagnostics;
      assert.equal(ds.length, 1, JSON.stringify(ds.map((d) => d.code)));
      const d = ds[0]!;
      assert.deepEqual(shape(d), [code, severity, start, end, message, fixes]);
      assert.deepEqual((d.related ?? []).map((r) => [r.span.start, r.span.end, r.message]), related);
    });
  }

  it('nothing for what is fine', () => {
    for (const text of [
      '/a => 0.12 * /b & /c ;',
      '/a => 1 * /b & 2.5 * /c ;',
      '/a => /$/inet/127.1/1 ;',
      '/a => /$/nil | /$/fail ;',
      '/a => /$ ;',
      '/a => /#/io.l5d.k8s/ns/8080/svc ;',
      '/a => /#/io.l5d.k8s/ns/http/svc ;',
      '/a => /#/io.l5d.k8s/ns/http/svc/rest ;',
      '/a => /#/io.l5d.k8s/ns ;',
      '/a => /#/io.l5d.k8s/ns/http ;',
      '/a => /#/io.l5d.k8s/n\\x41s/http/Svc ;',
      '/a => /#/io.l5d.k8s/http/HTTPS/svc ;',
      '/a => /#/io.l5d.k8s/a-b/h-1/c-d ;',
      `/a => /#/io.l5d.k8s/${'n'.repeat(63)}/${'p'.repeat(15)}/${'s'.repeat(63)} ;`,
      '/a => /#/io.l5d.k8sx/http/ns/svc ;',
      '# \u2013 in a comment\n/a => /b ; # \u00a0\n',
      '/a => /b ;\n/a => /c ;',
      '/a => (/b & /c) ;',
    ])
      assert.deepEqual(checkDtabText(text).diagnostics.map((d) => [d.code, d.span]), [], text);
  });

  it('the edges of the Kubernetes names: 64 characters, 16 for a port, a trailing or leading dash', () => {
    const k8s = (ns: string, port: string, svc: string) => checkDtabText(`/a => /#/io.l5d.k8s/${ns}/${port}/${svc} ;`).diagnostics.map((d) => [d.span.start, d.span.end, d.message.slice(0, 30)]);
    assert.deepEqual(k8s('n'.repeat(64), 'http', 's'), [[20, 84, `\`${'n'.repeat(29)}`]]);
    assert.deepEqual(k8s('n', 'p'.repeat(16), 's'), [[22, 38, `\`${'p'.repeat(16)}\` is not a va`]]);
    assert.deepEqual(k8s('n', 'http', 's'.repeat(64)), [[27, 91, `\`${'s'.repeat(29)}`]]);
    assert.deepEqual(k8s('-n', 'http', 's'), [[20, 22, '`-n` is not a valid Kubernetes']]);
    assert.deepEqual(k8s('n-', 'http', 's'), [[20, 22, '`n-` is not a valid Kubernetes']]);
    assert.deepEqual(k8s('n.s', 'http', 's'), [[20, 23, '`n.s` is not a valid Kubernete']]);
    assert.deepEqual(k8s('n', 'ht_p', 's'), [[22, 26, '`ht_p` is not a valid port nam']]);
    assert.deepEqual(k8s('admin', 'web', 's'), []);
    assert.deepEqual(k8s('grpc', 'x1', 's'), [[20, 24, '`grpc` looks like a port, but ']]);
  });

  it(`lists at most ${MAX_REPORTED_ERRORS} errors, then counts the rest in one`, () => {
    const ds = checkDtabText(';'.repeat(MAX_REPORTED_ERRORS + 3)).diagnostics;
    assert.equal(ds.length, MAX_REPORTED_ERRORS + 1);
    assert.deepEqual(shape(ds[MAX_REPORTED_ERRORS]!), ['too-many-errors', 'error', 1000, 1001, '3 more errors from here on are not listed: only the first 1000 errors of a dtab are.', []]);
    assert.deepEqual(shape(ds[MAX_REPORTED_ERRORS - 1]!).slice(0, 4), ['expected-slash', 'error', 999, 1000]);
    const one = checkDtabText(`${';'.repeat(MAX_REPORTED_ERRORS - 1)}\u2013\u2013`).diagnostics;
    assert.equal(one.length, MAX_REPORTED_ERRORS + 1);
    assert.deepEqual(shape(one[MAX_REPORTED_ERRORS]!), ['too-many-errors', 'error', 1000, 1001, '1 more error from here on is not listed: only the first 1000 errors of a dtab are.', []]);
    assert.equal(checkDtabText(';'.repeat(MAX_REPORTED_ERRORS)).diagnostics.length, MAX_REPORTED_ERRORS);
  });

  it('a look-alike outside any error is its own error, with its fix', () => {
    const ds = checkDtabText('/a => /b /c\u2013d;/e => /f').diagnostics;
    assert.deepEqual(ds.map(shape), [
      ['expected-end', 'error', 9, 10, 'Missing `;` between dentries: dentries are separated by `;`, not by new lines.', []],
      ['lookalike-character', 'error', 11, 12, 'This is an en dash (U+2013), not `-`: Finagle rejects it.', [['Replace the en dash (U+2013) with `-`', [11, 12, '-']]]],
    ]);
    const zw = checkDtabText('/a => /b /c\u200bd;').diagnostics.map(shape)[1];
    assert.deepEqual(zw, ['lookalike-character', 'error', 11, 12, 'This is a zero-width space (U+200B), not `(nothing)`: Finagle rejects it.', [['Delete the zero-width space (U+200B)', [11, 12, '']]]]);
  });
});

describe('deep checks, exactly', () => {
  for (const [text, code, severity, start, end, message, unnecessary, related, fixes] of DEEP) {
    it(`${code} at ${start} in ${JSON.stringify(text)}`, async () => {
      const found = (await deepDiagnostics(analyzeDtab(text))).filter((d) => d.span.start === start && d.code === code);
      assert.equal(found.length, 1);
      const d = found[0]!;
      assert.deepEqual(shape(d), [code, severity, start, end, message, fixes]);
      assert.equal(!!d.unnecessary, unnecessary);
      assert.deepEqual((d.related ?? []).map((r) => [r.span.start, r.span.end, r.message]), related);
    });
  }

  it('nothing for a dtab without loops or dead dentries', async () => {
    for (const text of ['/a => /b ;\n/b => /c ;', '/a => /$/inet/127.1/1 ;\n/a => /b ;', '/a => /b ;\n/a/b => /$/inet/127.1/1 ;', '/a => ~ ;\n/a => /b ;', '/a => /b ;\n/a => /c ;'])
      assert.deepEqual((await deepDiagnostics(analyzeDtab(text))).map((d) => [d.code, d.span]), [], text);
  });

  it('a loop only where routing takes it: the delegator expands every alternative, routing the first that answers', async () => {
    const deep = async (text: string) => (await deepDiagnostics(analyzeDtab(text))).map((d) => [d.code, d.span.start, d.span.end, d.message]);
    // The later `/p` dentry always answers, so the earlier `/p => /p` is never used: not a loop.
    assert.deepEqual(await deep('/p => /p ;\n/p => /$/inet/127.1/80 ;'), [
      ['unreachable-dentry', 0, 8, 'Never used: line 2 (`/p => /$/inet/127.1/80`) comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.'],
    ]);
    // The other way round routing tries `/p => /p` first and loops.
    const loop = 'Delegation loops: `/p` → `/p` → …; Linkerd gives up after 100 rewrites ("Max recursion level reached").';
    assert.deepEqual(await deep('/p => /$/inet/127.1/80 ;\n/p => /p ;'), [['delegation-cycle', 0, 2, loop], ['delegation-cycle', 25, 27, loop]]);
    // An alternative does not fall back past a failure, so a loop in its first branch is a loop.
    assert.deepEqual(await deep('/p => /p | /$/inet/127.1/1 ;'), [['delegation-cycle', 0, 2, loop]]);
    // A loop in a later branch that routing never reaches is none.
    assert.deepEqual(await deep('/p => /$/inet/127.1/1 | /p ;'), []);
    // The loop shown is the one routing takes: past the negative `/x`, through `/a/y`.
    const grows = ['/a', ...Array.from({ length: 11 }, (_, i) => `/a${'/y'.repeat(i + 1)}`)].map((p) => `\`${p}\``).join(' → ');
    assert.deepEqual(await deep('/a => /x | /a/y ;'), [['delegation-cycle', 0, 2, `Delegation loops: ${grows} → …; Linkerd gives up after 100 rewrites ("Max recursion level reached").`]]);
    assert.deepEqual(await deep('/a => /b ;\n/b => /x | /a ;'), [
      ['delegation-cycle', 0, 2, 'Delegation loops: `/a` → `/b` → `/a` → …; Linkerd gives up after 100 rewrites ("Max recursion level reached").'],
      ['delegation-cycle', 11, 13, 'Delegation loops: `/b` → `/a` → `/b` → …; Linkerd gives up after 100 rewrites ("Max recursion level reached").'],
    ]);
    const d = lowerDtab(parseDtab('/p => /p ;\n/p => /$/inet/127.1/80 ;'));
    assert.equal(findCycle(d, 0), undefined);
    assert.equal(findCycle(d, 1), undefined);
  });

  it('findCycle and findShadowed by value', () => {
    const d = lowerDtab(parseDtab('/a => /b ;\n/b => /a ;\n/c => /d ;\n/s => /s/x | /t ;'));
    assert.deepEqual(findCycle(d, 0), { index: 0, loop: ['/a', '/b', '/a'] });
    assert.deepEqual(findCycle(d, 1), { index: 1, loop: ['/b', '/a', '/b'] });
    assert.equal(findCycle(d, 2), undefined);
    assert.deepEqual(findCycle(d, 3), { index: 3, loop: ['/s', ...Array.from({ length: 11 }, (_, i) => `/s${'/x'.repeat(i + 1)}`)] });
    const s = lowerDtab(parseDtab('/a => /b ;\n/a/b => /x ;\n/a => /$/inet/127.1/1 ;\n/c => /d ;'));
    assert.deepEqual(findShadowed(s), [{ index: 0, by: 2 }, { index: 1, by: 2 }]);
    // from/to pick the dentries that always answer (the shadowing ones).
    assert.deepEqual(findShadowed(s, 2), [{ index: 0, by: 2 }, { index: 1, by: 2 }]);
    assert.deepEqual(findShadowed(s, 0, 2), []);
    assert.deepEqual(findShadowed(s, 3), []);
    // Several answering dentries with one prefix: each dentry is shadowed by the first after it.
    const g = lowerDtab(parseDtab('/a => /b ;\n/a => ! ;\n/a/b => /x ;\n/a => $ ;\n/a => ! ;'));
    assert.deepEqual(findShadowed(g), [{ index: 0, by: 1 }, { index: 1, by: 3 }, { index: 2, by: 3 }, { index: 3, by: 4 }]);
  });
});
