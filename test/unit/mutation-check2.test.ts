// More exact values for core/check (complements mutation-check.test.ts and check.test.ts): every
// branch of the warnings (duplicates across hash collisions, removal spans, weights, system namers,
// each Kubernetes label and port name), the error cap and look-alikes fed directly, Finagle's
// messages on copies; and the deep checks by value: neverNegative, findShadowed with its slices,
// samplePath, prefixKey, checkCycle with its cache and meter, the work budget, and CycleMemo across
// edits (which answers are kept, which are asked again, and the work each took).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ANY,
  checkCycle,
  checkDtabText,
  copyDiagnostic,
  CYCLE_WORK_BUDGET,
  CycleMemo,
  dentryKey,
  dentryWarnings,
  DTAB_CHECK_CODES,
  duplicateDiagnostic,
  errorDiagnostics,
  finagleText,
  findCycle,
  findLookalikes,
  findShadowed,
  hashSpan,
  lowerDtab,
  MAX_REPORTED_ERRORS,
  mergeShadowing,
  neverNegative,
  parseDtab,
  prefixKey,
  samplePath,
  sortDiagnostics,
  type CycleCheck,
  type Dentry,
  type DentrySyntax,
  type Diagnostic,
  type Dtab,
} from '../../core/index.js';
import { SYNTAX_ERROR_CODES } from '../../core/syntax/errors.js';

type Edit = [number, number, string];
/** [code, severity, start, end, message, fixes as [title, ...edits], related as [start, end, message]]. */
type Shape = [string, string, number, number, string, [string, ...Edit[]][], [number, number, string][]];

const shape = (d: Diagnostic): Shape => [
  d.code,
  d.severity,
  d.span.start,
  d.span.end,
  d.message,
  (d.fixes ?? []).map((f): [string, ...Edit[]] => [f.title, ...f.edits.map((e): Edit => [e.span.start, e.span.end, e.text])]),
  (d.related ?? []).map((r): [number, number, string] => [r.span.start, r.span.end, r.message]),
];
const check = (text: string) => checkDtabText(text).diagnostics.map(shape);
const dtab = (text: string): Dtab => lowerDtab(parseDtab(text));

const DUP = 'This dentry repeats an earlier one exactly: the earlier one is only tried if this one fails, with the same result.';
const K8S = 'the shape is `/#/io.l5d.k8s/<namespace>/<port>/<service>`.';
const K8S_EXT = 'the shape is `/#/io.l5d.k8s.external/<namespace>/<port>/<service>`.';
const NS_PORT = 'looks like a port, but this is the namespace position';
const NS_BAD = 'is not a valid Kubernetes namespace name, so this always resolves to `~`';
const PORT_BAD = 'is not a valid port name (at most 15 characters: a-z, 0-9, -)';
const SVC_BAD = 'is not a valid Kubernetes service name, so this always resolves to `~`';
const ZERO = 'Weight 0: this branch of the union never receives traffic.';
const OUTSIDE = (w: string) => `The weight \`${w}\` is ignored: weights only apply between the branches of a \`&\` union, and Finagle drops this one silently.`;
const precision = (printed: string, toZero: boolean) =>
  `namerd will store this weight as \`${printed}\`: Finagle prints weights with two decimals${toZero ? ', so this branch would then receive no traffic' : ''}.`;
const unknownNamer = (shown: string, kind: string, custom = '') => `\`/$/${shown}\` is not a namer Linkerd ships: requests routed here fail with "Unknown namer: ${kind}"${custom}.`;
const k8s = (start: number, end: number, label: string, problem: string, external = false): Shape => [
  'k8s-path-shape',
  'warning',
  start,
  end,
  `\`${label}\` ${problem}: ${external ? K8S_EXT : K8S}`,
  [],
  [],
];
const warn = (code: string, start: number, end: number, message: string, fixes: [string, ...Edit[]][] = [], related: [number, number, string][] = []): Shape => [
  code,
  'warning',
  start,
  end,
  message,
  fixes,
  related,
];

// Two prefixes whose FNV-1a hashes collide: checkDtab's duplicate groups then key by text.
const COLLIDE_A = '/2ghkx9rv6ns';
const COLLIDE_B = '/2ptkx1q9u6k8';

/** [text, every diagnostic of checkDtab, in order]. */
const CHECKS: [string, Shape[]][] = [
  // Removal spans: spaces and tabs on both sides go, one newline after goes, a CR stays.
  ['/a=>/b;\t \n/a=>/b;  \t\n/c=>/d;', [warn('duplicate-dentry', 10, 16, DUP, [['Remove the duplicate dentry', [10, 21, '']]], [[0, 6, 'the earlier dentry']])]],
  ['/a=>/b;\n  /a=>/b', [warn('duplicate-dentry', 10, 16, DUP, [['Remove the duplicate dentry', [8, 16, '']]], [[0, 6, 'the earlier dentry']])]],
  ['/a=>/b;\n\t/a=>/b ;\r\n', [warn('duplicate-dentry', 9, 15, DUP, [['Remove the duplicate dentry', [8, 17, '']]], [[0, 6, 'the earlier dentry']])]],
  // Several dentries with one prefix: each duplicate points at the first of its kind.
  [
    '/a => /b ;\n/a => /c ;\n/a => /b ;\n/a => /c ;\n/a => /b ;',
    [
      warn('duplicate-dentry', 22, 30, DUP, [['Remove the duplicate dentry', [22, 33, '']]], [[0, 8, 'the earlier dentry']]),
      warn('duplicate-dentry', 33, 41, DUP, [['Remove the duplicate dentry', [33, 44, '']]], [[11, 19, 'the earlier dentry']]),
      warn('duplicate-dentry', 44, 52, DUP, [['Remove the duplicate dentry', [44, 54, '']]], [[0, 8, 'the earlier dentry']]),
    ],
  ],
  // The destination as printed: spacing does not matter.
  ['/a => /b|/c ;\n/a=>/b | /c;', [warn('duplicate-dentry', 14, 25, DUP, [['Remove the duplicate dentry', [14, 26, '']]], [[0, 11, 'the earlier dentry']])]],
  // Broken dentries are not compared (and have no destination to check).
  [
    '/a => ;\n/a => /b ;\n/a => ;\n/a => /b ;',
    [
      ['expected-term', 'error', 6, 7, 'Expected a destination before `;`.', [], []],
      ['expected-term', 'error', 25, 26, 'Expected a destination before `;`.', [], []],
      warn('duplicate-dentry', 27, 35, DUP, [['Remove the duplicate dentry', [27, 37, '']]], [[8, 16, 'the earlier dentry']]),
    ],
  ],
  // Colliding prefix hashes: only the same text is a duplicate.
  [
    `${COLLIDE_A} => /b ;\n${COLLIDE_B} => /b ;\n${COLLIDE_A} => /b ;\n${COLLIDE_B} => /b ;\n${COLLIDE_B} => /c ;`,
    [
      warn('duplicate-dentry', 43, 61, DUP, [['Remove the duplicate dentry', [43, 64, '']]], [[0, 18, 'the earlier dentry']]),
      warn('duplicate-dentry', 64, 83, DUP, [['Remove the duplicate dentry', [64, 86, '']]], [[21, 40, 'the earlier dentry']]),
    ],
  ],
  [`${COLLIDE_A} => /b ;\n${COLLIDE_B} => /b ;`, []],
  // Every term of a destination is checked: inside weights, groups, alternatives and unions.
  ['/a => 0.5 * /$/nope ;', [warn('weight-outside-union', 6, 11, OUTSIDE('0.5'), [['Remove the ignored weight', [6, 12, '']]]), warn('unknown-system-namer', 15, 19, unknownNamer('nope', 'nope'))]],
  ['/a => (/$/nope) ;', [warn('unknown-system-namer', 10, 14, unknownNamer('nope', 'nope'))]],
  ['/a => /b | /$/nope ;', [warn('unknown-system-namer', 14, 18, unknownNamer('nope', 'nope'))]],
  ['/a => 1 * /$/nope & /c ;', [warn('unknown-system-namer', 13, 17, unknownNamer('nope', 'nope'))]],
  ['/a => 2 * (0.5 * /b) & /c ;', [warn('weight-outside-union', 11, 16, OUTSIDE('0.5'), [['Remove the ignored weight', [11, 17, '']]])]],
  // System namers: two labels are enough; the kind is read with its escapes, shown as written.
  ['/a=>/$/x;', [warn('unknown-system-namer', 7, 8, unknownNamer('x', 'x'))]],
  ['/a => /$/n\\x6fpe/x ;', [warn('unknown-system-namer', 9, 16, unknownNamer('n\\x6fpe', 'nope'))]],
  ['/a => /$/in\\x65t/127.1/80 ;', []],
  ['/a => /$/io.buoyant.rinet/80/h | /$/inet/127.1/1 | /$/nil | /$/fail | /$ ;', []],
  ['/a => /$/com.acme/x ;', [warn('unknown-system-namer', 9, 17, unknownNamer('com.acme', 'com.acme', " unless a namer class of that name is on linkerd's classpath"))]],
  // Weights.
  ['/a => ' + '9'.repeat(400) + ' * /b & /c ;', [warn('weight-not-finite', 6, 406, 'This weight is too large for a double: Finagle reads it as Infinity, and namerd will store this weight as `Infinity`, which does not parse back (the stored dtab is invalid).')]],
  [
    '/a => ' + '9'.repeat(400) + ' * /b ;',
    [warn('weight-outside-union', 6, 408, OUTSIDE(`${'9'.repeat(29)}…${'9'.repeat(29)}`), [['Remove the ignored weight', [6, 409, '']]])],
  ],
  ['/a => 0 * /b & 0 * /c ;', []],
  ['/a => 0 * /b ;', [warn('weight-outside-union', 6, 9, OUTSIDE('0'), [['Remove the ignored weight', [6, 10, '']]])]],
  ['/a => 1.5 * /b & 0 * /c & 0.125 * /d ;', [warn('zero-weight', 17, 18, ZERO), warn('weight-precision', 26, 31, precision('0.13', false), [['Write the weight as namerd will store it (`0.13`)', [26, 31, '0.13']]])]],
  ['/a => 0 * /b & 0.001 * /c ;', [warn('zero-weight', 6, 7, ZERO), warn('weight-precision', 15, 20, precision('0.00', true))]],
  ['/a => 0.004 * /b & /c ;', [warn('weight-precision', 6, 11, precision('0.00', true))]],
  ['/a => 0.005 * /b & /c ;', [warn('weight-precision', 6, 11, precision('0.01', false), [['Write the weight as namerd will store it (`0.01`)', [6, 11, '0.01']]])]],
  ['/a => 2.675 * /b & /c ;', [warn('weight-precision', 6, 11, precision('2.68', false), [['Write the weight as namerd will store it (`2.68`)', [6, 11, '2.68']]])]],
  ['/a => 0 * /b & 0 * /c & 0.004 * /d ;', [warn('zero-weight', 6, 7, ZERO), warn('zero-weight', 15, 16, ZERO), warn('weight-precision', 24, 29, precision('0.00', true))]],
  [
    '/a => (0 * /b & /c) | (0.125 * /d & /e) ;',
    [warn('zero-weight', 7, 8, ZERO), warn('weight-precision', 23, 28, precision('0.13', false), [['Write the weight as namerd will store it (`0.13`)', [23, 28, '0.13']]])],
  ],
  ['/a => 2.5 * /b & 0.1 * /c & 123456789012345678901234 * /d ;', []],
  // Kubernetes paths: port names at the namespace position, in any case, at both length limits.
  ['/a => /#/io.l5d.k8s/HTTP/ns/svc ;', [k8s(20, 24, 'http', NS_PORT)]],
  ['/a => /#/io.l5d.k8s/h2/ns/svc ;', [k8s(20, 22, 'h2', NS_PORT)]],
  ['/a => /#/io.l5d.k8s/HtTpS/ns/svc ;', [k8s(20, 25, 'https', NS_PORT)]],
  ['/a => /#/io.l5d.k8s/htxp/ns/svc ;', []],
  ['/a => /#/io.l5d.k8s/htt/ns/svc ;', []],
  ['/a => /#/io.l5d.k8s/h/ns/svc ;', []],
  ['/a => /#/io.l5d.k8s/http/8080/svc ;', []],
  ['/a => /#/io.l5d.k8s/http ;', []],
  ['/a => /#/io.l5d.k8s/http/p_p/svc ;', [k8s(20, 24, 'http', NS_PORT), k8s(25, 28, 'p_p', PORT_BAD)]],
  // Digits: a number is a port; a long number is not judged as a port name.
  ['/a => /#/io.l5d.k8s/0/http/svc ;', [k8s(20, 21, '0', NS_PORT)]],
  ['/a => /#/io.l5d.k8s/9/http/svc ;', [k8s(20, 21, '9', NS_PORT)]],
  ['/a => /#/io.l5d.k8s/:/http/svc ;', [k8s(20, 21, ':', NS_BAD)]],
  ['/a => /#/io.l5d.k8s/ns/0/svc ;', []],
  ['/a => /#/io.l5d.k8s/ns/9/svc ;', []],
  ['/a => /#/io.l5d.k8s/ns/1234567890123456/svc ;', []],
  ['/a => /#/io.l5d.k8s/ns/:/svc ;', [k8s(23, 24, ':', PORT_BAD)]],
  ['/a => /#/io.l5d.k8s/ns/80a/svc ;', []],
  // The characters of a DNS label, at the ends of each range.
  ['/a => /#/io.l5d.k8s/ns/http/a ;', []],
  ['/a => /#/io.l5d.k8s/ns/http/z ;', []],
  ['/a => /#/io.l5d.k8s/ns/http/0 ;', []],
  ['/a => /#/io.l5d.k8s/ns/http/9 ;', []],
  ['/a => /#/io.l5d.k8s/ns/http/A ;', []],
  ['/a => /#/io.l5d.k8s/ns/http/Z ;', []],
  ['/a => /#/io.l5d.k8s/ns/http/: ;', [k8s(28, 29, ':', SVC_BAD)]],
  ['/a => /#/io.l5d.k8s/ns/http/- ;', [k8s(28, 29, '-', SVC_BAD)]],
  ['/a => /#/io.l5d.k8s/ns/http/_ ;', [k8s(28, 29, '_', SVC_BAD)]],
  ['/a => /#/io.l5d.k8s/ns/http/. ;', [k8s(28, 29, '.', SVC_BAD)]],
  ['/a => /#/io.l5d.k8s/ns/http/% ;', [k8s(28, 29, '%', SVC_BAD)]],
  ['/a => /#/io.l5d.k8s/ns/http/# ;', [k8s(28, 29, '#', SVC_BAD)]],
  ['/a => /#/io.l5d.k8s/ns/http/$ ;', [k8s(28, 29, '$', SVC_BAD)]],
  // Escapes in the judged labels: not judged; escapes after them do not matter.
  ['/a => /#/io.l5d.k8s/ns/http/s\\x5f ;', []],
  ['/a => /#/io.l5d.k8s/Bad_NS/http/svc/\\x41 ;', [k8s(20, 26, 'bad_ns', NS_BAD)]],
  ['/a => /#/io.l5d.k8s/Bad_NS ;', [k8s(20, 26, 'bad_ns', NS_BAD)]],
  ['/a => /#/io.l5d.k8s/Bad_NS/http ;', [k8s(20, 26, 'bad_ns', NS_BAD)]],
  ['/a => /#/io.l5d.k8s/Bad_NS/ht\\x74p ;', []],
  ['/a => /#/io.l5d.k8s/Bad_NS/http/s\\x76c ;', []],
  // The labels end at the leaf: what follows it (`;`, `|`, the next dentry) is not read.
  ['/a=>/#/io.l5d.k8s/ns|/#/io.l5d.k8s/ns/http|/#/io.l5d.k8s/ns/http/svc;/b=>/c;', []],
  ['/a=>/#/io.l5d.k8s/ns;/b=>/c;', []],
  ['/a=>/#/io.l5d.k8s/ns/http;/b=>/c;', []],
  ['/a=>/#/io.l5d.k8s/ns/http/svc;/b=>/c;', []],
  // Every label wrong at once, both namers.
  ['/a => /#/io.l5d.k8s/Bad_NS/p_p/-svc ;', [k8s(20, 26, 'bad_ns', NS_BAD), k8s(27, 30, 'p_p', PORT_BAD), k8s(31, 35, '-svc', SVC_BAD)]],
  [
    '/a => /#/io.l5d.k8s.external/Bad_NS/p_p/-svc ;',
    [k8s(29, 35, 'bad_ns', NS_BAD, true), k8s(36, 39, 'p_p', PORT_BAD, true), k8s(40, 44, '-svc', SVC_BAD, true)],
  ],
  // Look-alikes: on the error they cause (with a fix), alone, and in comments (nothing).
  [
    '/a\u00a0=> /b',
    [['expected-arrow', 'error', 2, 3, 'Expected `=>` after the prefix `/a`, found a no-break space (U+00A0). It looks like ` ` but is not: type a plain ` `.', [['Replace the no-break space (U+00A0) with ` `', [2, 3, ' ']]], []]],
  ],
  [
    '/a => /b /c\u2013d;/e => /f /g;',
    [
      ['expected-end', 'error', 9, 10, 'Missing `;` between dentries: dentries are separated by `;`, not by new lines.', [], []],
      ['lookalike-character', 'error', 11, 12, 'This is an en dash (U+2013), not `-`: Finagle rejects it.', [['Replace the en dash (U+2013) with `-`', [11, 12, '-']]], []],
      ['expected-end', 'error', 23, 24, 'Missing `;` between dentries: dentries are separated by `;`, not by new lines.', [], []],
    ],
  ],
  [
    '/a => /b ; # \u2013\n/c\u2192/d ;',
    [['expected-arrow', 'error', 17, 18, 'Expected `=>` after the prefix `/c`, found a rightwards arrow (U+2192). It looks like `=>` but is not: type a plain `=>`.', [['Replace the rightwards arrow (U+2192) with `=>`', [17, 18, '=>']]], []]],
  ],
  [
    '/a => /b\u037e',
    [['expected-end', 'error', 8, 9, 'Expected `;` or the end of the text after the dentry, found a Greek question mark (U+037E). It looks like `;` but is not: type a plain `;`.', [['Replace the Greek question mark (U+037E) with `;`', [8, 9, ';']]], []]],
  ],
  [
    '\ufeff/a => /b ;',
    [['expected-slash', 'error', 0, 1, 'Expected a dentry (`/prefix => destination`), found a zero-width no-break space (U+FEFF). It is invisible: delete it.', [['Delete the zero-width no-break space (U+FEFF)', [0, 1, '']]], []]],
  ],
  [
    '/a => /b ; // not a comment \u00a0',
    [
      ['expected-arrow', 'error', 12, 13, 'Expected `=>` after the prefix `/`, found `/`.', [], []],
      ['lookalike-character', 'error', 28, 29, 'This is a no-break space (U+00A0), not ` `: Finagle rejects it.', [['Replace the no-break space (U+00A0) with ` `', [28, 29, ' ']]], []],
    ],
  ],
  // Empty dtabs and comments only.
  ['', []],
  ['# only a comment\n', []],
  ['  \n\t', []],
];

describe('checkDtab, every diagnostic exactly', () => {
  for (const [text, expected] of CHECKS) {
    it(JSON.stringify(text.length > 80 ? `${text.slice(0, 60)}…` : text), () => {
      assert.deepEqual(check(text), expected);
    });
  }

  it('the colliding prefixes do collide', () => {
    assert.equal(hashSpan(COLLIDE_A, 0, COLLIDE_A.length), 2685534092);
    assert.equal(hashSpan(COLLIDE_B, 0, COLLIDE_B.length), 2685534092);
  });

  it('every port name at the namespace position, in any case', () => {
    const names = ['http', 'HTTPS', 'grpc', 'h2', 'Http2', 'admin', 'thrift', 'incoming', 'OUTGOING', 'web'];
    for (const name of names) {
      assert.deepEqual(check(`/a => /#/io.l5d.k8s/${name}/x1/svc ;`), [k8s(20, 20 + name.length, name.toLowerCase(), NS_PORT)], name);
      // Both port names: which one is the port cannot be told, so nothing is said.
      assert.deepEqual(check(`/a => /#/io.l5d.k8s/${name}/web/svc ;`), [], name);
    }
  });

  it('the codes checkDtab can give', () => {
    assert.deepEqual([...DTAB_CHECK_CODES], [
      ...SYNTAX_ERROR_CODES,
      'too-many-errors',
      'lookalike-character',
      'duplicate-dentry',
      'weight-outside-union',
      'zero-weight',
      'weight-precision',
      'weight-not-finite',
      'unknown-system-namer',
      'k8s-path-shape',
    ]);
  });
});

describe('the parts of checkDtab, directly', () => {
  it('hashSpan is FNV-1a over the span', () => {
    assert.deepEqual([hashSpan('', 0, 0), hashSpan('a', 0, 1), hashSpan('abc', 0, 3), hashSpan('xabcx', 1, 4), hashSpan('/a', 0, 2)], [2166136261, 3826002220, 440920331, 440920331, 1892816941]);
  });

  it('sortDiagnostics: by start, then end, stable', () => {
    const mk = (start: number, end: number, message: string): Diagnostic => ({ span: { start, end }, severity: 'error', code: 'c', message });
    const sorted = sortDiagnostics([mk(5, 9, 'a'), mk(2, 8, 'b'), mk(5, 6, 'c'), mk(2, 3, 'd'), mk(5, 6, 'e'), mk(0, 10, 'f')]);
    assert.deepEqual(sorted.map((d) => d.message), ['f', 'd', 'b', 'c', 'e', 'a']);
  });

  it('dentryKey, duplicateDiagnostic and dentryWarnings', () => {
    const s = parseDtab('/a => /b ;\n/a=>/b;\n/c => 0.5 * /$/nope');
    const [e0, e1, e2] = s.entries as DentrySyntax[];
    assert.deepEqual([dentryKey(s.text, e0!), dentryKey(s.text, e1!), dentryKey(s.text, e2!)], ['/a\u0000/b', '/a\u0000/b', '/c\u00000.5 * /$/nope']);
    assert.deepEqual(duplicateDiagnostic(s.text, e1!, e0!), {
      span: { start: 11, end: 17 },
      severity: 'warning',
      code: 'duplicate-dentry',
      message: DUP,
      related: [{ span: { start: 0, end: 8 }, message: 'the earlier dentry' }],
      fixes: [{ title: 'Remove the duplicate dentry', edits: [{ span: { start: 11, end: 19 }, text: '' }] }],
    });
    assert.deepEqual(dentryWarnings(s.text, e2!), [
      {
        span: { start: 25, end: 30 },
        severity: 'warning',
        code: 'weight-outside-union',
        message: OUTSIDE('0.5'),
        fixes: [{ title: 'Remove the ignored weight', edits: [{ span: { start: 25, end: 31 }, text: '' }] }],
      },
      { span: { start: 34, end: 38 }, severity: 'warning', code: 'unknown-system-namer', message: unknownNamer('nope', 'nope') },
    ]);
    assert.deepEqual(dentryWarnings(s.text, e0!), []);
  });

  it('findLookalikes: in [from, to), outside comments, with what each is', () => {
    const text = 'a\u2013b\u00a0c\u2013d\u200be';
    const en = { name: 'en dash (U+2013)', replacement: '-' };
    const nbsp = { name: 'no-break space (U+00A0)', replacement: ' ' };
    const zw = { name: 'zero-width space (U+200B)', replacement: '' };
    assert.deepEqual(findLookalikes(text, [], 0, text.length), { at: [1, 3, 5, 7], what: [en, nbsp, en, zw] });
    assert.deepEqual(findLookalikes(text, [], 2, 6), { at: [3, 5], what: [nbsp, en] });
    assert.deepEqual(findLookalikes(text, [], 0, 3), { at: [1], what: [en] });
    assert.deepEqual(findLookalikes(text, [], 0, 0), { at: [], what: [] });
    // A comment covers [start, end): its end is outside it.
    const dashes = '\u2013'.repeat(8);
    const comments = [
      { start: 1, end: 3 },
      { start: 3, end: 4 },
      { start: 6, end: 7 },
    ];
    assert.deepEqual(findLookalikes(dashes, comments, 0, 8), { at: [0, 4, 5, 7], what: [en, en, en, en] });
    assert.deepEqual(findLookalikes(dashes, comments, 2, 7), { at: [4, 5], what: [en, en] });
    // Each kind of look-alike is found.
    const all = '\u00a0\u2007\u202f\u200b\ufeff\u2215\u2044\uff0f\u2010\u2011\u2012\u2013\u2014\u2212\u2192\u21d2\uff1d\uff1b\u037e';
    assert.deepEqual(
      findLookalikes(all, [], 0, all.length).what.map((w) => w.replacement),
      [' ', ' ', ' ', '', '', '/', '/', '/', '-', '-', '-', '-', '-', '-', '=>', '=>', '=', ';', ';'],
    );
  });

  it(`errorDiagnostics: look-alikes alone count towards the ${MAX_REPORTED_ERRORS} listed errors`, () => {
    const looks = (n: number) => ({ at: Array.from({ length: n }, (_, i) => i * 2), what: Array.from({ length: n }, () => ({ name: 'em dash (U+2014)', replacement: '-' })) });
    const em = (at: number): Diagnostic => ({
      span: { start: at, end: at + 1 },
      severity: 'error',
      code: 'lookalike-character',
      message: 'This is an em dash (U+2014), not `-`: Finagle rejects it.',
      fixes: [{ title: 'Replace the em dash (U+2014) with `-`', edits: [{ span: { start: at, end: at + 1 }, text: '-' }] }],
    });
    const exact = errorDiagnostics([], looks(MAX_REPORTED_ERRORS));
    assert.equal(exact.length, MAX_REPORTED_ERRORS);
    assert.deepEqual([exact[0], exact[MAX_REPORTED_ERRORS - 1]], [em(0), em(1998)]);
    const one = errorDiagnostics([], looks(MAX_REPORTED_ERRORS + 1));
    assert.equal(one.length, MAX_REPORTED_ERRORS + 1);
    assert.deepEqual(one.slice(MAX_REPORTED_ERRORS - 1), [
      em(1998),
      { span: { start: 2000, end: 2001 }, severity: 'error', code: 'too-many-errors', message: '1 more error from here on is not listed: only the first 1000 errors of a dtab are.' },
    ]);
    const two = errorDiagnostics([], looks(MAX_REPORTED_ERRORS + 2));
    assert.equal(two.length, MAX_REPORTED_ERRORS + 1);
    assert.deepEqual(two[MAX_REPORTED_ERRORS], {
      span: { start: 2000, end: 2001 },
      severity: 'error',
      code: 'too-many-errors',
      message: '2 more errors from here on are not listed: only the first 1000 errors of a dtab are.',
    });
    assert.deepEqual(errorDiagnostics([], { at: [], what: [] }), []);
  });

  it('errorDiagnostics: a look-alike at an error gives it a fix; before, between or after, it is its own error', () => {
    const p = parseDtab(';;;');
    const out = errorDiagnostics(p.errors, {
      at: [0, 2, 5],
      what: [
        { name: 'xylophone', replacement: 'y' },
        { name: 'a b', replacement: '' },
        { name: 'e', replacement: '' },
      ],
    });
    assert.deepEqual(out.map(shape), [
      ['expected-slash', 'error', 0, 1, 'Empty dentry: remove the extra `;`.', [['Replace the xylophone with `y`', [0, 1, 'y']]], []],
      ['expected-slash', 'error', 1, 2, 'Empty dentry: remove the extra `;`.', [], []],
      ['expected-slash', 'error', 2, 3, 'Empty dentry: remove the extra `;`.', [['Delete the a b', [2, 3, '']]], []],
      ['lookalike-character', 'error', 5, 6, 'This is an e, not `(nothing)`: Finagle rejects it.', [['Delete the e', [5, 6, '']]], []],
    ]);
    // A syntax error without a fix has no `fixes` at all; Finagle's message is read from the error.
    assert.deepEqual(Object.keys(out[1]!), ['span', 'severity', 'code', 'message', 'finagleMessage', 'finagleMessageShort']);
    assert.deepEqual(Object.keys(out[0]!), ['span', 'severity', 'code', 'message', 'finagleMessage', 'finagleMessageShort', 'fixes']);
    assert.deepEqual([finagleText(out[1]!), out[1]!.finagleMessageShort], ["'/' expected but ';' found at ';[;];'", "'/' expected but ';' found at ';[;];'"]);
    const before = errorDiagnostics(p.errors.slice(2), { at: [0, 1], what: [{ name: 'q', replacement: '1' }, { name: 'r', replacement: '2' }] });
    assert.deepEqual(before.map((d) => [d.code, d.span.start, d.fixes?.[0]?.title]), [
      ['lookalike-character', 0, 'Replace the q with `1`'],
      ['lookalike-character', 1, 'Replace the r with `2`'],
      ['expected-slash', 2, undefined],
    ]);
  });

  it('errorDiagnostics: past the limit, an error with its look-alike counts once', () => {
    const ds = checkDtabText(`${';'.repeat(MAX_REPORTED_ERRORS)}\u2013;`).diagnostics;
    assert.equal(ds.length, MAX_REPORTED_ERRORS + 1);
    assert.deepEqual(shape(ds[MAX_REPORTED_ERRORS]!), ['too-many-errors', 'error', 1000, 1001, '1 more error from here on is not listed: only the first 1000 errors of a dtab are.', [], []]);
  });
});

describe("Finagle's message on diagnostics and their copies", () => {
  const long = '/a => /b ;\n'.repeat(20) + ';' + '/c => /d ;'.repeat(20);
  const whole = `'/' expected but ';' found at '${long.slice(0, 220)}[;]${long.slice(221)}'`;
  const short = `'/' expected but ';' found at '…\n${'/a => /b ;\n'.repeat(9)}[;]${'/c => /d ;'.repeat(9)}/c => /d …'`;
  const four = "'/' expected but ';' found at '…;\n[;]/…'";
  const error = () => checkDtabText(long).diagnostics.find((d) => d.code === 'expected-slash')!;

  it('exact without a bound, cut around the error with one', () => {
    const d = error();
    assert.deepEqual(d.span, { start: 220, end: 221 });
    assert.deepEqual([d.finagleMessage, d.finagleMessageShort, finagleText(d), finagleText(d, 4), finagleText(d, 200)], [whole, short, whole, four, short]);
  });

  it('a copy by spreading keeps the short message only; copyDiagnostic keeps the error', () => {
    const d = error();
    const spread = { ...d };
    assert.deepEqual([finagleText(spread), finagleText(spread, 4)], [whole, short]);
    const moved = copyDiagnostic(d, { span: { start: 1, end: 2 }, message: 'moved' });
    assert.deepEqual([moved.span, moved.message, moved.code, moved.severity, finagleText(moved), finagleText(moved, 4)], [{ start: 1, end: 2 }, 'moved', 'expected-slash', 'error', whole, four]);
    // The original is unchanged.
    assert.deepEqual([d.span, d.message], [{ start: 220, end: 221 }, 'Empty dentry: remove the extra `;`.']);
  });

  it('none for a warning; a plain object gives what it has', () => {
    const w = checkDtabText('/a => 0 * /b & /c').diagnostics[0]!;
    assert.deepEqual([finagleText(w), finagleText(w, 4)], [undefined, undefined]);
    const c = copyDiagnostic(w, { message: 'x' });
    assert.deepEqual(c, { span: { start: 6, end: 7 }, severity: 'warning', code: 'zero-weight', message: 'x' });
    assert.equal(finagleText(c, 3), undefined);
    const plain: Diagnostic = { span: { start: 0, end: 1 }, severity: 'error', code: 'x', message: 'm', finagleMessage: 'F' };
    assert.deepEqual([finagleText(plain), finagleText(plain, 3)], ['F', 'F']);
    assert.equal(finagleText({ ...plain, finagleMessageShort: 'S' }, 3), 'S');
  });
});

describe('neverNegative', () => {
  const rows: [string, boolean][] = [
    ['!', true],
    ['$', true],
    ['~', false],
    ['/$', false],
    ['/$/nil', true],
    ['/$/fail', true],
    ['/$/nil/x', true],
    ['/x/fail', false],
    ['/$/inet', false],
    ['/$/inet/h', false],
    ['/$/inet/80', true],
    ['/$/inet/h/80', true],
    ['/$/inet/h/0', true],
    ['/$/inet/h/9', true],
    ['/$/inet/h/8a', false],
    ['/$/inet/h/a8', false],
    ['/$/inet/1/x', true],
    ['/$/inet/h/80/x', true],
    ['/$/fixedinet/h/1', true],
    ['/$/fixedinet/1', true],
    ['/$/other/h/1', false],
    ['/$/io.buoyant.rinet/80/h', false],
    ['~ | !', true],
    ['~ | /b', false],
    ['/b & /$/nil', true],
    ['/b & /c', false],
    ['(/b | ~) & (~ | $)', true],
    ['1 * /b & 2 * /$/fail', true],
  ];
  for (const [dst, expected] of rows) {
    it(`${dst}: ${expected}`, () => {
      assert.equal(neverNegative(dtab(`/a => ${dst} ;`).dentries[0]!.dst), expected);
    });
  }
});

describe('findShadowed, mergeShadowing, prefixKey, samplePath', () => {
  const rows: [string, number[], { index: number; by: number }[]][] = [
    // Shadowed by the nearest of two groups, whichever group is looked at first.
    ['/a/b/c => /x ;\n/a/b => ! ;\n/a => ! ;', [], [{ index: 0, by: 1 }, { index: 1, by: 2 }]],
    ['/a/* => ! ;\n/a => ! ;\n/a/* => ! ;', [], [{ index: 0, by: 1 }]],
    // In index order, not in the order found.
    ['/b/x => /y ;\n/a/x => /y ;\n/a => ! ;\n/b => ! ;', [], [{ index: 0, by: 3 }, { index: 1, by: 2 }]],
    // Wildcard prefixes: `/a/*` covers `/a/b`, not the other way round; `/*` covers `/a`.
    ['/a/b => /y ;\n/a/* => ! ;', [], [{ index: 0, by: 1 }]],
    ['/a/* => /y ;\n/a/b => ! ;', [], []],
    ['/* => /y ;\n/a => ! ;', [], []],
    ['/a => /y ;\n/* => ! ;', [], [{ index: 0, by: 1 }]],
    // from/to: a `to` past the end is the end; slices without the answering dentry find nothing.
    ['/a => /y ;\n/a => ! ;', [0, 100], [{ index: 0, by: 1 }]],
    ['/a => /y ;\n/a => ! ;', [1, 2], [{ index: 0, by: 1 }]],
    ['/a => /y ;\n/a => ! ;', [0, 1], []],
    ['/a => /y ;\n/a => ! ;', [2, 5], []],
    ['', [], []],
    // Many dentries with one prefix: each is shadowed by the next.
    [
      '/a => ! ;\n'.repeat(7),
      [],
      [
        { index: 0, by: 1 },
        { index: 1, by: 2 },
        { index: 2, by: 3 },
        { index: 3, by: 4 },
        { index: 4, by: 5 },
        { index: 5, by: 6 },
      ],
    ],
    [
      '/a => ! ;\n/a/x => /y ;\n/a => ! ;\n/a/y => /y ;\n/a => ! ;\n/a/z => /z ;\n/a => ! ;\n/a => /b ;\n/a => ! ;',
      [],
      [
        { index: 0, by: 2 },
        { index: 1, by: 2 },
        { index: 2, by: 4 },
        { index: 3, by: 4 },
        { index: 4, by: 6 },
        { index: 5, by: 6 },
        { index: 6, by: 8 },
        { index: 7, by: 8 },
      ],
    ],
    ['/a => /b ;\n/a => /$/inet/h/http ;', [], []],
  ];
  for (const [text, bounds, expected] of rows) {
    it(`${JSON.stringify(text)} ${JSON.stringify(bounds)}`, () => {
      assert.deepEqual(findShadowed(dtab(text), ...bounds), expected);
    });
  }

  it('mergeShadowing keeps the earliest shadowing dentry of each, in index order', () => {
    assert.deepEqual(
      mergeShadowing([
        [
          { index: 2, by: 5 },
          { index: 0, by: 6 },
        ],
        [
          { index: 0, by: 4 },
          { index: 1, by: 9 },
          { index: 2, by: 5 },
        ],
        [{ index: 0, by: 7 }],
      ]),
      [
        { index: 0, by: 4 },
        { index: 1, by: 9 },
        { index: 2, by: 5 },
      ],
    );
    assert.deepEqual(mergeShadowing([]), []);
  });

  it('prefixKey and samplePath', () => {
    assert.equal(prefixKey(['a', ANY, '*', 'b']), 'a\u0101\u0100*\u0101*\u0101b');
    assert.equal(prefixKey([]), '');
    assert.notEqual(prefixKey(['*']), prefixKey([ANY]));
    assert.deepEqual(samplePath(['a', ANY, 'b']), ['a', '\u0000*', 'b']);
    assert.deepEqual(samplePath([]), []);
  });
});

const LOOP = (n: number, head: string, step: string) => [head, ...Array.from({ length: n }, (_, i) => `${head}${step.repeat(i + 1)}`)];
const WORK_MESSAGE = `The delegation stopped after ${CYCLE_WORK_BUDGET} units of work (dentries matched and nodes made): this path is rewritten by so many dentries, or into such large trees, that explaining it in full would take too long.`;
/** A prefix of 4,000 labels matched by four dentries with unions: over the work budget at once, and no loop. */
const HEAVY = `/a${'/x'.repeat(4000)} => /z ;\n${'/a => /b & /c & /d & /e ;\n'.repeat(4)}`;

describe('checkCycle', () => {
  const rows: [string, number, CycleCheck, number][] = [
    ['/a => /b ;', 0, { kind: 'none', index: 0 }, 3],
    ['/a => ! ;', 0, { kind: 'none', index: 0 }, 2],
    ['/a => ~ ;', 0, { kind: 'none', index: 0 }, 2],
    ['/a => /$/inet/127.1/1 ;', 0, { kind: 'none', index: 0 }, 3],
    // An exception that is not the recursion limit is no loop.
    ['/a => /$/nope ;', 0, { kind: 'none', index: 0 }, 3],
    // A plain loop (the delegator throws) and loops in the branch routing takes.
    ['/a => /b ;\n/b => /a ;', 1, { kind: 'cycle', index: 1, loop: ['/b', '/a', '/b'] }, 202],
    ['/p => /$/inet/127.1/80 ;\n/p => /p ;', 0, { kind: 'cycle', index: 0, loop: ['/p', '/p'] }, 403],
    ['/p => /p ;\n/p => /$/inet/127.1/80 ;', 0, { kind: 'none', index: 0 }, 403],
    ['/p => /p | /$/inet/127.1/1 ;', 0, { kind: 'cycle', index: 0, loop: ['/p', '/p'] }, 504],
    ['/p => /$/inet/127.1/1 | /p ;', 0, { kind: 'none', index: 0 }, 504],
    // The loop is shown through the first branch of alternatives and unions, past negative ones.
    ['/a => /b | /c ;\n/b => /a ;\n/c => /a ;', 0, { kind: 'cycle', index: 0, loop: ['/a', '/b', '/a'] }, 7434],
    ['/a => /b & /c ;\n/b => /a ;\n/c => /a ;', 0, { kind: 'cycle', index: 0, loop: ['/a', '/b', '/a'] }, 7434],
    ['/a => (/b | /c) & /d ;\n/b => /a ;\n/c => /a ;\n/d => /a ;', 0, { kind: 'cycle', index: 0, loop: ['/a', '/b', '/a'] }, 9814],
    ['/a => /b & /c ;\n/b => /a ;\n/c => /$/inet/1 ;', 0, { kind: 'cycle', index: 0, loop: ['/a', '/b', '/a'] }, 454],
    ['/a => ~ | /b ;\n/b => /a ;', 0, { kind: 'cycle', index: 0, loop: ['/a', '/b', '/a'] }, 304],
    // A loop that fans out runs out of budget, and is still a loop.
    ['/s => /s & /s ;', 0, { kind: 'cycle', index: 0, loop: ['/s', '/s'] }, 9816],
    ['/a => /b & /c ;\n/b => /b & /b ;', 0, { kind: 'cycle', index: 0, loop: ['/a', '/b', '/b'] }, 9816],
    // Alternatives that fan out at every step: the whole tree is too big, but routing (the first
    // alternative first) recurses past the limit: a loop, shown along the first rewrites.
    ['/ => /x ;\n/x => /y ;', 0, { kind: 'cycle', index: 0, loop: ['/', '/x', '/y', '/x/y', '/y/y', '/x/y/y', '/y/y/y', '/x/y/y/y', '/y/y/y/y', '/x/y/y/y/y', '/y/y/y/y/y', '/x/y/y/y/y/y'] }, 21278],
    ['/ => /x ;\n/x => /y ;', 1, { kind: 'cycle', index: 1, loop: ['/x', '/y', '/x/y', '/y/y', '/x/y/y', '/y/y/y', '/x/y/y/y', '/y/y/y/y', '/x/y/y/y/y', '/y/y/y/y/y', '/x/y/y/y/y/y', '/y/y/y/y/y/y'] }, 21310],
    // A `/` dentry rewrites `/$/…` paths too (the dtab is asked before the namers): still a loop.
    ['/ => /x ;\n/x => /y ;\n/y => /$/inet/127.1/1 ;', 0, { kind: 'cycle', index: 0, loop: ['/', '/x', '/y', '/$/inet/127.1/1', '/x/$/inet/127.1/1', '/y/$/inet/127.1/1', '/$/inet/127.1/1/$/inet/127.1/1', '/x/$/inet/127.1/1/$/inet/127.1/1', '/y/$/inet/127.1/1/$/inet/127.1/1', '/$/inet/127.1/1/$/inet/127.1/1/$/inet/127.1/1', '/x/$/inet/127.1/1/$/inet/127.1/1/$/inet/127.1/1', '/y/$/inet/127.1/1/$/inet/127.1/1/$/inet/127.1/1'] }, 23098],
    // A tree that fans out where routing ends (at /t): too complex to tell, not a loop.
    ['/s => /t | (/s/a & /s/b) ;\n/t => /$/inet/127.1/1 ;', 0, { kind: 'too-complex', index: 0, message: WORK_MESSAGE }, 20055],
    // First rewrites that go on (`/s/a/a/…`) in a union whose other branch ends: routing ends, so
    // the budget, not a loop, is said.
    ['/s => (/s/a & /t) | (/s/b & /s/c) ;\n/t => /$/inet/127.1/1 ;', 0, { kind: 'too-complex', index: 0, message: WORK_MESSAGE }, 31608],
    // Wildcard prefixes are delegated with a label no path has, shown as `*`.
    ['/a/* => /b/x ;\n/b/* => /a/x ;', 0, { kind: 'cycle', index: 0, loop: ['/a/*', '/b/x', '/a/x', '/b/x'] }, 202],
    ['/a/* => /b ;\n/b/* => /a ;', 0, { kind: 'none', index: 0 }, 3],
    ['/s/* => /s/x/y ;', 0, { kind: 'cycle', index: 0, loop: ['/s/*', ...LOOP(11, '/s/x/y', '/y').slice(0, 11)] }, 1502],
    // Too much work, and no loop: said as such.
    [HEAVY, 0, { kind: 'too-complex', index: 0, message: WORK_MESSAGE }, 20022],
    [HEAVY, 1, { kind: 'none', index: 1 }, 37],
  ];
  for (const [text, index, expected, work] of rows) {
    it(`${JSON.stringify(text.slice(0, 60))} #${index}`, () => {
      const meter = { work: 0 };
      assert.deepEqual(checkCycle(dtab(text), index, undefined, meter), expected);
      assert.equal(meter.work, work);
    });
  }

  it('a path that fans out without a loop is too complex, with the step budget said', () => {
    const fan = Array.from({ length: 3000 }, (_, k) => `/w/${k}`).join(' & ');
    const meter = { work: 0 };
    assert.deepEqual(checkCycle(dtab(`/big => ${fan} ;\n/w => /v ;`), 0, undefined, meter), {
      kind: 'too-complex',
      index: 0,
      message:
        'The delegation stopped after 5000 steps: the dtab rewrites this path into itself more than once (through `&` or `|`), so the tree grows exponentially. Look for a dentry whose destination leads back to its own prefix.',
    });
    assert.equal(meter.work, 8001);
  });

  it('the cache shares one answer among the dentries of a prefix, and only new checks are metered', () => {
    const d = dtab('/a => /b ;\n/b => /a ;\n/a => /b ;\n/c => /d ;');
    const cache = new Map<string, CycleCheck>();
    const meter = { work: 5 };
    assert.deepEqual(checkCycle(d, 0, cache, meter), { kind: 'cycle', index: 0, loop: ['/a', '/b', '/a'] });
    assert.equal(meter.work, 5 + 7113);
    assert.deepEqual(checkCycle(d, 2, cache, meter), { kind: 'cycle', index: 2, loop: ['/a', '/b', '/a'] });
    assert.equal(meter.work, 5 + 7113);
    assert.deepEqual(checkCycle(d, 3, cache, meter), { kind: 'none', index: 3 });
    assert.equal(meter.work, 5 + 7113 + 3);
    assert.deepEqual(checkCycle(d, 1, cache, meter), { kind: 'cycle', index: 1, loop: ['/b', '/a', '/b'] });
    assert.equal(meter.work, 5 + 7113 + 3 + 6975);
    assert.deepEqual([...cache], [
      ['a', { kind: 'cycle', index: 0, loop: ['/a', '/b', '/a'] }],
      ['c', { kind: 'none', index: 3 }],
      ['b', { kind: 'cycle', index: 1, loop: ['/b', '/a', '/b'] }],
    ]);
    // Without a cache or a meter: the same answers.
    assert.deepEqual(checkCycle(d, 2), { kind: 'cycle', index: 2, loop: ['/a', '/b', '/a'] });
    assert.deepEqual(findCycle(d, 3), undefined);
    assert.deepEqual(findCycle(d, 2), { index: 2, loop: ['/a', '/b', '/a'] });
  });
});

describe('CycleMemo', () => {
  const dentries = (text: string): Dentry[] => [...dtab(text).dentries];
  const S = '\u0001';
  const E = '\u0002';
  const looked = (...paths: string[][]) => paths.map((p) => p.map((l) => l + S).join('') + E).join('');
  const none = (work: number, key: string, ...paths: string[][]) => ({ outcome: { kind: 'none' }, work, key, looked: looked(...paths), run: 0, dropped: false });
  /** Every answer of the memo for `d` is checkCycle's (work included) and of its own prefix. */
  const sameAsFresh = (memo: CycleMemo, d: Dtab) => {
    for (let i = 0; i < d.size; i++) {
      const a = memo.answer(d, i);
      const meter = { work: 0 };
      const { index, ...outcome } = checkCycle(d, i, undefined, meter);
      assert.equal(index, i);
      assert.deepEqual([a.key, a.outcome, a.work], [prefixKey(d.dentries[i]!.prefix), outcome, meter.work], `dentry ${i}`);
    }
  };
  const byStart = (memo: CycleMemo) => [...(memo as unknown as { byStart: Map<string, unknown> }).byStart.keys()].sort();

  it('keeps the answers an edit cannot change, and checks the others again', () => {
    const memo = new CycleMemo();
    const d0 = dtab('/a => /b ;\n/b => /c ;\n/x => /y ;\n/q => /a/b ;');
    assert.deepEqual([memo.begin(d0), memo.size, memo.checked], [1, 0, 0]);
    const a0 = memo.answer(d0, 0);
    assert.deepEqual(a0, none(5, 'a', ['a'], ['b'], ['c']));
    assert.deepEqual(memo.answer(d0, 1), none(3, 'b', ['b'], ['c']));
    assert.deepEqual(memo.answer(d0, 2), none(3, 'x', ['x'], ['y']));
    assert.deepEqual(memo.answer(d0, 3), none(9, 'q', ['q'], ['a', 'b'], ['b', 'b'], ['c', 'b']));
    assert.equal(memo.answer(d0, 0), a0);
    assert.deepEqual([memo.size, memo.checked], [4, 4]);
    assert.deepEqual(byStart(memo), ['a', 'a\u0001b', 'b', 'b\u0001b', 'c', 'c\u0001b', 'q', 'x', 'y']);
    memo.end(1);

    // Changing `/x => /y`: only the /x answer goes.
    const d1 = d0.splice(2, 1, dentries('/x => /z ;'));
    assert.deepEqual([memo.begin(d1), memo.size, memo.checked], [2, 3, 4]);
    assert.equal(memo.answer(d1, 0), a0);
    assert.deepEqual(memo.answer(d1, 2), none(3, 'x', ['x'], ['z']));
    assert.deepEqual([memo.size, memo.checked], [4, 5]);
    sameAsFresh(memo, d1);
    assert.equal(memo.checked, 5);

    // Adding `/c => /d` at the end: every answer that looked up /c or /c/… goes.
    const d2 = d1.splice(4, 0, dentries('/c => /d ;'));
    assert.deepEqual([memo.begin(d2), memo.size, memo.checked, a0.dropped], [3, 1, 5, true]);
    assert.deepEqual(byStart(memo), ['x', 'z']);
    assert.deepEqual(memo.answer(d2, 0), none(7, 'a', ['a'], ['b'], ['c'], ['d']));
    assert.deepEqual(memo.answer(d2, 3), none(12, 'q', ['q'], ['a', 'b'], ['b', 'b'], ['c', 'b'], ['d', 'b']));
    sameAsFresh(memo, d2);
    assert.deepEqual([memo.size, memo.checked], [5, 9]);

    // Adding `/a/b => /e` at the start: the later answers move with their dentries; only /q
    // (which looked up /a/b) goes. /a looked up /a only, which /a/b does not match.
    const old = d2.dentries.map((_, i) => memo.answer(d2, i));
    const d3 = d2.splice(0, 0, dentries('/a/b => /e ;'));
    assert.equal(memo.begin(d3), 4);
    assert.deepEqual(old.map((a) => a.dropped), [false, false, false, true, false]);
    assert.deepEqual([memo.answer(d3, 1), memo.answer(d3, 2), memo.answer(d3, 3), memo.answer(d3, 5)], [old[0], old[1], old[2], old[4]]);
    assert.equal(memo.checked, 9);
    sameAsFresh(memo, d3);
    assert.equal(memo.checked, 11);

    // A dentry longer than every path looked up, or with a start nobody looked up: nothing goes.
    const d4 = d3.splice(6, 0, dentries('/a/b/c => /f ;\n/zz/top => /g ;\n/a/*/d => /h ;'));
    assert.deepEqual([memo.begin(d4), memo.size], [5, 6]);
    sameAsFresh(memo, d4);
    assert.equal(memo.checked, 14);

    // `/*` matches everything: every answer goes.
    const all = d4.dentries.map((_, i) => memo.answer(d4, i));
    const d5 = d4.splice(9, 0, dentries('/* => /w ;'));
    assert.deepEqual([memo.begin(d5), memo.size], [6, 0]);
    assert.deepEqual(all.map((a) => a.dropped), [true, true, true, true, true, true, true, true, true]);
    assert.deepEqual(byStart(memo), []);
  });

  it('answers that share a looked-up path all go together; a wildcard second label looks at every start', () => {
    const memo = new CycleMemo();
    const d0 = dtab('/a => /c ;\n/b => /c ;\n/e => /c/k ;\n/x => /y ;');
    memo.begin(d0);
    const before = d0.dentries.map((_, i) => memo.answer(d0, i));
    assert.deepEqual(byStart(memo), ['a', 'b', 'c', 'c\u0001k', 'e', 'x', 'y']);
    const d1 = d0.splice(4, 0, dentries('/c/* => /d ;'));
    memo.begin(d1);
    // /c/* matches /c/k (looked up by /e) but not /c.
    assert.deepEqual(before.map((a) => a.dropped), [false, false, true, false]);
    const d2 = d1.splice(5, 0, dentries('/c => /d ;'));
    memo.begin(d2);
    assert.deepEqual(before.map((a) => a.dropped), [true, true, true, false]);
    assert.deepEqual([memo.size, byStart(memo)], [1, ['x', 'y']]);
    sameAsFresh(memo, d2);
  });

  it('the empty prefix matches everything', () => {
    const memo = new CycleMemo();
    const d0 = dtab('/a => /b ;\n/b => /c ;');
    memo.begin(d0);
    const before = [memo.answer(d0, 0), memo.answer(d0, 1)];
    const d1 = d0.splice(2, 0, dentries('/ => /w ;'));
    memo.begin(d1);
    assert.deepEqual([before[0]!.dropped, before[1]!.dropped, memo.size], [true, true, 0]);
  });

  it('a dtab made afresh forgets everything; the same dentries in a new dtab keep everything', () => {
    const memo = new CycleMemo();
    const d0 = dtab('/a => /b ;\n/b => /a ;');
    memo.begin(d0);
    const a = memo.answer(d0, 0);
    assert.deepEqual(a, { outcome: { kind: 'cycle', loop: ['/a', '/b', '/a'] }, work: 202, key: 'a', looked: looked(...Array.from({ length: 101 }, (_, i) => [i % 2 ? 'b' : 'a']), ['a'], ['b']), run: 0, dropped: false });
    const same = d0.splice(0, 0, []);
    assert.deepEqual([memo.begin(same), memo.size, memo.answer(same, 0) === a], [2, 1, true]);
    assert.deepEqual([memo.begin(same), memo.size], [3, 1]);
    const again = dtab('/a => /b ;\n/b => /a ;');
    assert.deepEqual([memo.begin(again), memo.size, a.dropped], [4, 0, true]);
    assert.notEqual(memo.answer(again, 0), a);
    assert.deepEqual([memo.size, memo.checked], [1, 2]);
  });

  it('changing the first dentry or the last keeps the rest', () => {
    const memo = new CycleMemo();
    const d0 = dtab('/a => /b ;\n/m => /n ;\n/z => /y ;');
    memo.begin(d0);
    const before = d0.dentries.map((_, i) => memo.answer(d0, i));
    const d1 = d0.splice(0, 1, dentries('/a => /c ;'));
    memo.begin(d1);
    assert.deepEqual(before.map((a) => a.dropped), [true, false, false]);
    assert.deepEqual([memo.answer(d1, 1), memo.answer(d1, 2)], [before[1], before[2]]);
    const d2 = d1.splice(2, 1, dentries('/z => /x ;'));
    memo.begin(d2);
    assert.deepEqual(before.map((a) => a.dropped), [true, false, true]);
    assert.equal(memo.answer(d2, 1), before[1]);
    sameAsFresh(memo, d2);
  });

  it('end drops the answers of removed prefixes that the run did not use', () => {
    const memo = new CycleMemo();
    const d0 = dtab('/x => /y ;\n/x => /z ;\n/m => /n ;');
    let run = memo.begin(d0);
    for (let i = 0; i < 3; i++) memo.answer(d0, i).run = run;
    memo.end(run);
    assert.equal(memo.size, 2);

    // Removing one /x dentry: the other asks again; used in the run, its answer stays.
    const d1 = d0.splice(1, 1, []);
    run = memo.begin(d1);
    const used = memo.answer(d1, 0);
    assert.deepEqual(used, none(3, 'x', ['x'], ['y']));
    used.run = run;
    memo.end(run);
    assert.deepEqual([used.dropped, memo.size], [false, 2]);
    // A later run does not drop it again (end forgets the removed prefixes).
    run = memo.begin(d1);
    memo.end(run);
    assert.deepEqual([used.dropped, memo.size], [false, 2]);

    // Removing it too: its answer is asked for (and not used) in that run, so it goes at the end.
    const d2 = d1.splice(0, 1, dentries('/x => /w ;'));
    run = memo.begin(d2);
    const unused = memo.answer(d2, 0);
    memo.end(run);
    assert.deepEqual([unused.dropped, memo.size], [true, 1]);

    // A dtab made afresh forgets the removed prefixes too.
    const d3 = d2.splice(0, 1, []);
    memo.begin(d3);
    const fresh = dtab('/x => /v ;');
    run = memo.begin(fresh);
    const kept = memo.answer(fresh, 0);
    memo.end(run);
    assert.deepEqual([kept.dropped, memo.size], [false, 1]);
  });

  it('too-complex answers are kept with their work', () => {
    const memo = new CycleMemo();
    const d = dtab(HEAVY);
    memo.begin(d);
    const a = memo.answer(d, 0);
    assert.deepEqual([a.outcome, a.work], [{ kind: 'too-complex', message: WORK_MESSAGE }, 20022]);
    assert.equal(memo.answer(d, 0), a);
  });
});
