// Exact-value tests of core/assert (the .dtab-test format and running assertions) and core/trace
// (Zipkin spans, the span tree, Linkerd's tags, text and waterfall rows), written so that a
// one-token change of the code (an operator, a literal, a condition, a branch) fails one of them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addressText, parseDtabTestFile, sameShown, type DtabTestFile } from '../../core/assert/file.js';
import { acceptedText, delegationSteps, delegationTree, fullName, judge, routingResult, runAssertions, runAssertionsSync, type AssertionOutcome } from '../../core/assert/run.js';
import type { DelegateTree } from '../../core/delegate/delegate-tree.js';
import { interpreterFor } from '../../core/delegate/namer-registry.js';
import { boundName, type Addr, type BoundName } from '../../core/model/names.js';
import { alt, EMPTY, FAIL, leaf, NEG, union, type NameTree } from '../../core/model/nametree.js';
import type { Path } from '../../core/model/path.js';
import { lowerDtab } from '../../core/syntax/lower.js';
import { parseDtab } from '../../core/syntax/parser.js';
import { linkerdView, spanFailure } from '../../core/trace/linkerd.js';
import { formatDuration, formatTimestamp, linkerdTagLines, MAX_SHOWN, parseDuration, renderTraceList, renderTraceText, summarizeTrace, termSafe, type TraceSummary } from '../../core/trace/render.js';
import { decodeStrings, decodeTrace, decodeTraces, normalizeTraceId, serviceOf, type Span } from '../../core/trace/span.js';
import { buildSpanTree, flattenSpanTree, type SpanTree } from '../../core/trace/tree.js';
import { MAX_ROWS, MAX_TAGS, traceView } from '../../core/trace/view.js';

// ---- file.ts ------------------------------------------------------------------------------------

/** A parsed file as plain data (the assertions' printed forms read through their getters). */
function parsed(text: string) {
  const f: DtabTestFile = parseDtabTestFile(text);
  assert.equal(f.text, text);
  return {
    header: f.header,
    snapshot: f.snapshot,
    problems: f.problems,
    assertions: f.assertions.map((a) => ({
      line: a.line,
      span: a.span,
      path: a.path,
      pathSpan: a.pathSpan,
      expected: a.expected,
      expectedSpan: a.expectedSpan,
      addresses: a.addresses,
      pathText: a.pathText,
      expectedText: a.expectedText,
    })),
  };
}

const sp = (start: number, end: number) => ({ start, end });
const EMPTY_FILE = { header: undefined, snapshot: undefined, problems: [], assertions: [] };
const headerProblem = (start: number, end: number, line: number, message: string) => ({ span: sp(start, end), line, severity: 'error', code: 'header', message });
const NO_DTAB = 'This header comment names no dtab: write `# dtab: FILE` (a path relative to this file).';
const NO_CONFIG = 'This header comment names no config: write `# config: FILE` or `# config: FILE router: LABEL`.';
const NO_NAMERD = 'This header comment names no namerd: write `# namerd: URL ns: NAMESPACE` (URL: http:// or https://).';
const NO_SNAPSHOT = 'This header comment names no snapshot: write `# snapshot: FILE` (a path relative to this file).';
const MISSING = 'An address is missing: write `@ IP:PORT, IP:PORT, …` (e.g. `@ 10.1.1.1:7777`).';
const notAddress = (item: string) => `\`${item}\` is not an address: write IP:PORT (e.g. \`10.1.1.1:7777\`, \`[::1]:80\`).`;
const WILDCARD = 'The path of an assertion is one name: `*` is only for dentry prefixes.';

describe('file.ts: header comments', () => {
  /** The header a one-line file names (span: the whole line). */
  const source = (line: string) => {
    const f = parsed(line);
    assert.deepEqual(f.problems, [], line);
    assert.deepEqual(f.header?.span, sp(line.indexOf('#'), line.length), line);
    assert.equal(f.header?.line, 0);
    return f.header?.source;
  };

  it('dtab, config (with and without a router) and namerd; spaces around the colons; the value trimmed', () => {
    assert.deepEqual(source('#dtab:f'), { kind: 'dtab', file: 'f' });
    assert.deepEqual(source('  #  dtab  :  ../f.dtab  '), { kind: 'dtab', file: '../f.dtab' });
    assert.deepEqual(source('# config: l5d.yaml'), { kind: 'config', file: 'l5d.yaml' });
    assert.deepEqual(source('# config: l5d.yaml router: http'), { kind: 'config', file: 'l5d.yaml', router: 'http' });
    assert.deepEqual(source('#config:l5d.yaml router:h2'), { kind: 'config', file: 'l5d.yaml', router: 'h2' });
    assert.deepEqual(source('# config :  a.yaml   router  :  int  '), { kind: 'config', file: 'a.yaml', router: 'int' });
    assert.deepEqual(source('# namerd: http://namerd:4180 ns: prod'), { kind: 'namerd', url: 'http://namerd:4180', ns: 'prod' });
    assert.deepEqual(source('#namerd:https://n ns:p'), { kind: 'namerd', url: 'https://n', ns: 'p' });
    assert.deepEqual(source('# namerd :  https://n/x   ns  :  q  '), { kind: 'namerd', url: 'https://n/x', ns: 'q' });
  });

  it('a header that names nothing usable is a problem on the whole comment, each kind with its own words', () => {
    const one = (line: string, message: string) => assert.deepEqual(parsed(line), { ...EMPTY_FILE, problems: [headerProblem(line.indexOf('#'), line.length, 0, message)] }, line);
    one('# dtab:', NO_DTAB);
    one('# dtab:   ', NO_DTAB);
    one(' # dtab: a b', NO_DTAB);
    one('# config:', NO_CONFIG);
    one('# config: a b', NO_CONFIG);
    one('# config: a router:', NO_CONFIG);
    one('# config: a router: b c', NO_CONFIG);
    one('# config: a routers: b', NO_CONFIG);
    one('# namerd:', NO_NAMERD);
    one('# namerd: http://n', NO_NAMERD);
    one('# namerd: ftp://n ns: p', NO_NAMERD);
    one('# namerd: http:// ns: p', NO_NAMERD);
    one('# namerd: httpx://n ns: p', NO_NAMERD);
    one('# namerd: http://n ns:', NO_NAMERD);
    one('# namerd: http://n ns: p q', NO_NAMERD);
    one('# namerd: http://n nss: p', NO_NAMERD);
    one('# namerd: x http://n ns: p', NO_NAMERD);
    one('# snapshot:', NO_SNAPSHOT);
    one('# snapshot: a b', NO_SNAPSHOT);
  });

  it('comments that are not headers: other words, case, a second #, text before the kind', () => {
    for (const line of ['# about this file', '# Dtab: f', '# dtabs: f', '# x # dtab: f', '## dtab: f', '# the dtab: f', '# dtab f', '#', '']) assert.deepEqual(parsed(line), EMPTY_FILE, line);
  });

  it('the snapshot: a file, its comment and line; a second one is a problem naming the first line', () => {
    assert.deepEqual(parsed('\n# snapshot:  ../c.yaml  \n# snapshot: d.yaml\n'), {
      ...EMPTY_FILE,
      snapshot: { file: '../c.yaml', span: sp(1, 25), line: 1 },
      problems: [headerProblem(26, 44, 2, 'The snapshot is already named on line 2.')],
    });
    // A broken one names nothing: the next one is the snapshot.
    assert.deepEqual(parsed('# snapshot:\n#snapshot:s'), { ...EMPTY_FILE, snapshot: { file: 's', span: sp(12, 23), line: 1 }, problems: [headerProblem(0, 11, 0, NO_SNAPSHOT)] });
  });

  it('a second source is a problem naming the first line; a snapshot is not a source', () => {
    assert.deepEqual(parsed('# snapshot: s\n\n# namerd: http://n ns: p\n# config: c\n# dtab: d\n'), {
      ...EMPTY_FILE,
      header: { source: { kind: 'namerd', url: 'http://n', ns: 'p' }, span: sp(15, 39), line: 2 },
      snapshot: { file: 's', span: sp(0, 13), line: 0 },
      problems: [headerProblem(40, 51, 3, 'The tested dtab is already named on line 3: a file tests one dtab.'), headerProblem(52, 61, 4, 'The tested dtab is already named on line 3: a file tests one dtab.')],
    });
    // A broken source names nothing: the next one is the source.
    assert.deepEqual(parsed('# dtab:\n# dtab: f'), { ...EMPTY_FILE, header: { source: { kind: 'dtab', file: 'f' }, span: sp(8, 17), line: 1 }, problems: [headerProblem(0, 7, 0, NO_DTAB)] });
  });

  it('headers count until the first assertion: a line the parser refuses is not one; later ones are comments', () => {
    const f = parsed('/a\n# dtab: f\n/b => /c\n# config: x\n# dtab:\n# snapshot: s\n/d => /e # dtab: g\n');
    assert.deepEqual(f.header, { source: { kind: 'dtab', file: 'f' }, span: sp(3, 12), line: 1 });
    assert.equal(f.snapshot, undefined);
    assert.deepEqual(
      f.problems.map((p) => [p.line, p.code]),
      [[0, 'syntax']],
    );
    assert.deepEqual(
      f.assertions.map((a) => [a.line, a.pathText, a.expectedText]),
      [
        [2, '/b', '/c'],
        [6, '/d', '/e'],
      ],
    );
    // A header on an assertion's own line is a comment.
    assert.equal(parseDtabTestFile('/a => /b # dtab: f').header, undefined);
  });

  it('CRLF line ends: the CR is not part of the line', () => {
    assert.deepEqual(parsed('# dtab: f\r\n/a => /b\r\n\r\n/c => /d\r'), {
      ...EMPTY_FILE,
      header: { source: { kind: 'dtab', file: 'f' }, span: sp(0, 9), line: 0 },
      assertions: [
        { line: 1, span: sp(11, 19), path: ['a'], pathSpan: sp(11, 13), expected: { type: 'leaf', value: ['b'] }, expectedSpan: sp(17, 19), addresses: undefined, pathText: '/a', expectedText: '/b' },
        { line: 3, span: sp(23, 31), path: ['c'], pathSpan: sp(23, 25), expected: { type: 'leaf', value: ['d'] }, expectedSpan: sp(29, 31), addresses: undefined, pathText: '/c', expectedText: '/d' },
      ],
    });
    // The comment of a last line ends before its CR too; a lone CR is a line's own character.
    assert.deepEqual(parsed('\n# snapshot: s\r').snapshot, { file: 's', span: sp(1, 14), line: 1 });
    assert.deepEqual(parsed('# x\r# dtab: f\r\n'), EMPTY_FILE);
  });
});

describe('file.ts: assertions', () => {
  it('one assertion: its line, spans, path and expected tree (printed as NameTree.show)', () => {
    assert.deepEqual(parsed('/a => /b'), {
      ...EMPTY_FILE,
      assertions: [{ line: 0, span: sp(0, 8), path: ['a'], pathSpan: sp(0, 2), expected: { type: 'leaf', value: ['b'] }, expectedSpan: sp(6, 8), addresses: undefined, pathText: '/a', expectedText: '/b' }],
    });
    const text = 'x\n  /svc/a#b  =>  /x | 2*/y & /z   # c\n\n/a\\x41 => ~\n';
    assert.deepEqual(parsed(text), {
      ...EMPTY_FILE,
      problems: [{ span: sp(0, 1), line: 0, severity: 'error', code: 'syntax', message: 'An assertion is `PATH => EXPECTED`: A prefix starts with `/`; found `x`.', finagle: "'/' expected but 'x' found at '[x]'" }],
      assertions: [
        {
          line: 1,
          span: sp(4, 32),
          path: ['svc', 'a#b'],
          pathSpan: sp(4, 12),
          expected: alt([leaf(['x']), union([{ weight: 2, tree: leaf(['y']) }, { weight: 1, tree: leaf(['z']) }])]),
          expectedSpan: sp(18, 32),
          addresses: undefined,
          pathText: '/svc/a#b',
          expectedText: '/x | 2.00*/y & /z',
        },
        { line: 3, span: sp(40, 51), path: ['aA'], pathSpan: sp(40, 46), expected: { type: 'neg' }, expectedSpan: sp(50, 51), addresses: undefined, pathText: '/aA', expectedText: '~' },
      ],
    });
    // The printed forms are kept (read twice, the same).
    const a = parseDtabTestFile('/p => 3*/q & /r').assertions[0]!;
    assert.deepEqual([a.pathText, a.expectedText, a.pathText, a.expectedText], ['/p', '3.00*/q & /r', '/p', '3.00*/q & /r']);
  });

  it('lines the dtab parser refuses: its words and Finagle\'s, on the line', () => {
    const syntax = (start: number, end: number, line: number, plain: string, finagle: string) => ({ span: sp(start, end), line, severity: 'error', code: 'syntax', message: `An assertion is \`PATH => EXPECTED\`: ${plain}`, finagle });
    assert.deepEqual(parsed('\n  /a => /b;\n/a => /b x\n/a => @ 10.0.0.1:80\n/a @ 10.0.0.1:80\n/a =>'), {
      ...EMPTY_FILE,
      problems: [
        syntax(11, 12, 1, 'A single dentry cannot end with `;`.', "end of input expected but ';' found at '  /a => /b[;]'"),
        syntax(22, 23, 2, 'Expected the end of the dentry, found `x`.', "end of input expected but 'x' found at '/a => /b [x]'"),
        syntax(30, 31, 3, 'Expected a destination here (a path, `~`, `!`, `$` or `(`), found `@`.', "simple expected but '@' found at '/a => [@] 10.0.0.1:80'"),
        syntax(47, 48, 4, 'Expected `=>` after the prefix `/a`, found `@`.', "'=' expected but '@' found at '/a [@] 10.0.0.1:80'"),
        syntax(66, 66, 5, 'Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text.', "simple expected but end of input found at '/a =>[]'"),
      ],
    });
  });

  it('a path with `*` is a problem at the `*`, with Finagle\'s words for it as a path', () => {
    assert.deepEqual(parsed('/a/*/b => /c\n\n  /* => /c'), {
      ...EMPTY_FILE,
      problems: [
        { span: sp(3, 4), line: 0, severity: 'error', code: 'path', message: WILDCARD, finagle: "label char expected but '*' found at '/a/[*]/b'" },
        { span: sp(17, 18), line: 2, severity: 'error', code: 'path', message: WILDCARD, finagle: "end of input expected but '*' found at '/[*]'" },
      ],
    });
  });

  it('an expected tree that simplification changes is a warning on the tree (the assertion is kept)', () => {
    const warn = (start: number, end: number, line: number, simplified: string) => ({
      span: sp(start, end),
      line,
      severity: 'warning',
      code: 'not-simplified',
      message: `Results are compared simplified, as Finagle simplifies them, so this never holds: write \`${simplified}\`.`,
    });
    const f = parsed('/a => /x | ~\n /b => /x & ~ & /y\n/c => /x | ! | /y @ 1.1.1.1:1');
    assert.deepEqual(f.problems, [warn(6, 12, 0, '/x'), warn(20, 31, 1, '/x & /y'), warn(38, 49, 2, '/x | !')]);
    assert.deepEqual(
      f.assertions.map((a) => [a.line, a.expectedText, a.span]),
      [
        [0, '/x | ~', sp(0, 12)],
        [1, '/x & ~ & /y', sp(14, 31)],
        [2, '/x | ! | /y', sp(32, 61)],
      ],
    );
    // Parentheses and single-child trees print the same simplified: no warning.
    for (const t of ['/a => (/x)', '/a => ((/x | /y))', '/a => 2 * (/x)', '/a => ~', '/a => !', '/a => $', '/a => /x & /y', '/a => /x | /y']) assert.deepEqual(parseDtabTestFile(t).problems, [], t);
  });
});

describe('file.ts: addresses after `@`', () => {
  const addresses = (text: string) => {
    const f = parsed(text);
    assert.deepEqual(f.problems, [], text);
    assert.equal(f.assertions.length, 1);
    return [f.assertions[0]!.span, f.assertions[0]!.addresses];
  };

  it('the list: each address canonical with its span; the assertion ends at the last address', () => {
    assert.deepEqual(addresses('/a => /b @ 1.2.3.4:80'), [sp(0, 21), { span: sp(9, 21), list: [{ text: '1.2.3.4:80', span: sp(11, 21) }] }]);
    const text = '/a => /b @1.2.3.4:80,  [::1]:1 ,01.002.000.004:00080   # c, d';
    assert.deepEqual(addresses(text), [
      sp(0, 52),
      {
        span: sp(9, 52),
        list: [
          { text: '1.2.3.4:80', span: sp(10, 20) },
          { text: '[::1]:1', span: sp(23, 30) },
          { text: '1.2.0.4:80', span: sp(32, 52) },
        ],
      },
    ]);
    assert.equal(text.slice(32, 52), '01.002.000.004:00080');
    // On a later line, after a path with `#`.
    assert.deepEqual(addresses('# x\n/a#b => /c @ [ABCD::1]:65535,255.255.255.255:1,0.0.0.0:9 #'), [
      sp(4, 60),
      {
        span: sp(15, 60),
        list: [
          { text: '[abcd::1]:65535', span: sp(17, 32) },
          { text: '255.255.255.255:1', span: sp(33, 50) },
          { text: '0.0.0.0:9', span: sp(51, 60) },
        ],
      },
    ]);
    assert.deepEqual(addresses('/a => /b @ [::FFFF:1.2.3.4]:8')[1], { span: sp(9, 29), list: [{ text: '[::ffff:1.2.3.4]:8', span: sp(11, 29) }] });
  });

  it('a missing address is a problem at the empty place; nothing else is read from the line', () => {
    const missing = (text: string, at: number, line = 0) => assert.deepEqual(parsed(text), { ...EMPTY_FILE, problems: [{ span: sp(at, at), line, severity: 'error', code: 'address', message: MISSING }] }, text);
    missing('/a => /b @', 10);
    missing('/a => /b @   ', 13);
    missing('/a => /b @ # c', 11);
    missing('/a => /b @ ,1.1.1.1:1', 11);
    missing('/a => /b @ 1.1.1.1:1,', 21);
    missing('/a => /b @ 1.1.1.1:1, # c', 22);
    missing('/a => /b @ 1.1.1.1:1,,2.2.2.2:2', 21);
    missing('\n/a => /x | ~ @', 15, 1);
  });

  it('what is not an address is a problem on it (the first one only)', () => {
    const bad = (item: string) => {
      const text = `\n/a => /b @ 1.1.1.1:1,  ${item}  , nor this`;
      assert.deepEqual(parsed(text), { ...EMPTY_FILE, problems: [{ span: sp(24, 24 + item.length), line: 1, severity: 'error', code: 'address', message: notAddress(item) }] }, item);
    };
    for (const item of ['1.2.3:80', '1.2.3.4.5:80', '1234.1.1.1:80', '256.1.1.1:1', '1.256.1.1:1', '1.1.1.256:1', '1.1.1.1:0', '1.1.1.1:65536', '1.1.1.1:123456', '1.1.1.1:', '1.1.1.1', '[g::1]:1', '[]:1', '[::1]', '::1:80', 'x1.1.1.1:1', '1.1.1.1:1x', '[::1]:1x', 'host:80', '1.1.1.1 :80', 'a.b.c.d:1', '1.1.1.1:-1']) bad(item);
  });
});

describe('file.ts: sameShown and addressText', () => {
  const id = (p: Path): Path => p;
  const l = (...p: string[]) => leaf(p as Path);
  const w = (weight: number, tree: NameTree<Path>) => ({ weight, tree });

  it('leaves: the same elements', () => {
    assert.equal(sameShown(l('a', 'b'), l('a', 'b'), id), true);
    assert.equal(sameShown(l('a', 'b'), l('a', 'c'), id), false);
    assert.equal(sameShown(l('a', 'b'), l('b', 'b'), id), false);
    assert.equal(sameShown(l('a'), l('a', 'b'), id), false);
    assert.equal(sameShown(l('a', 'b'), l('a'), id), false);
    assert.equal(sameShown(l(), l(), id), true);
    // Each side through its own function.
    assert.equal(sameShown(leaf({ p: ['x'] }), l('x'), (v: { p: Path }) => v.p, id), true);
    assert.equal(sameShown(leaf({ p: ['x'] }), l('y'), (v: { p: Path }) => v.p, id), false);
  });

  it('tokens and types', () => {
    assert.equal(sameShown(NEG, NEG, id), true);
    assert.equal(sameShown(FAIL, FAIL, id), true);
    assert.equal(sameShown(EMPTY, EMPTY, id), true);
    assert.equal(sameShown(NEG, FAIL, id), false);
    assert.equal(sameShown(EMPTY, l('a'), id), false);
    assert.equal(sameShown(alt([l('a'), l('b')]), union([w(1, l('a')), w(1, l('b'))]), id), false);
  });

  it('alternatives: the same length, each child the same', () => {
    assert.equal(sameShown(alt([l('a'), l('b'), NEG]), alt([l('a'), l('b'), NEG]), id), true);
    assert.equal(sameShown(alt([l('a'), l('b'), NEG]), alt([l('a'), l('b'), FAIL]), id), false);
    assert.equal(sameShown(alt([l('a'), l('b')]), alt([l('a'), l('c')]), id), false);
    assert.equal(sameShown(alt([l('a'), l('b')]), alt([l('c'), l('b')]), id), false);
    assert.equal(sameShown(alt([l('a'), l('b')]), alt([l('a'), l('b'), l('c')]), id), false);
    assert.equal(sameShown(alt([l('a'), l('b'), l('c')]), alt([l('a'), l('b')]), id), false);
  });

  it('unions: weights that print the same (1.0 bare, others %.2f), each child the same', () => {
    assert.equal(sameShown(union([w(1, l('a')), w(2, l('b'))]), union([w(1, l('a')), w(2, l('b'))]), id), true);
    assert.equal(sameShown(union([w(2, l('a')), w(1, l('b'))]), union([w(2.001, l('a')), w(1, l('b'))]), id), true);
    assert.equal(sameShown(union([w(2.004, l('a')), w(1, l('b'))]), union([w(2, l('a')), w(1, l('b'))]), id), true);
    assert.equal(sameShown(union([w(2, l('a')), w(1, l('b'))]), union([w(2.01, l('a')), w(1, l('b'))]), id), false);
    assert.equal(sameShown(union([w(1, l('a')), w(2, l('b'))]), union([w(1.001, l('a')), w(2, l('b'))]), id), false);
    assert.equal(sameShown(union([w(1.001, l('a')), w(2, l('b'))]), union([w(1, l('a')), w(2, l('b'))]), id), false);
    assert.equal(sameShown(union([w(1, l('a')), w(2, l('b'))]), union([w(1, l('a')), w(3, l('b'))]), id), false);
    assert.equal(sameShown(union([w(1, l('a')), w(2, l('b'))]), union([w(1, l('a')), w(2, l('c'))]), id), false);
    assert.equal(sameShown(union([w(1, l('a')), w(2, l('b'))]), union([w(1, l('c')), w(2, l('b'))]), id), false);
    assert.equal(sameShown(union([w(1, l('a')), w(2, l('b'))]), union([w(1, l('a')), w(2, l('b')), w(1, l('c'))]), id), false);
    assert.equal(sameShown(union([w(1, l('a')), w(2, l('b')), w(1, l('c'))]), union([w(1, l('a')), w(2, l('b'))]), id), false);
  });

  it('single-child alternatives and unions are their child (as show prints them), nested too', () => {
    assert.equal(sameShown(alt([union([w(5, l('a'))])]), l('a'), id), true);
    assert.equal(sameShown(l('a'), union([w(5, alt([l('a')]))]), id), true);
    assert.equal(sameShown(union([w(5, alt([NEG]))]), NEG, id), true);
    assert.equal(sameShown(alt([alt([l('a'), l('b')])]), alt([l('a'), l('b')]), id), true);
    assert.equal(sameShown(alt([l('a')]), alt([l('b')]), id), false);
    assert.equal(sameShown(alt<Path>([]), alt<Path>([]), id), true);
    assert.equal(sameShown(alt<Path>([]), union<Path>([]), id), false);
  });

  it('addressText: IPv6 in brackets, lowered', () => {
    assert.equal(addressText('10.0.0.1', 80), '10.0.0.1:80');
    assert.equal(addressText('FE80::A', 8080), '[fe80::a]:8080');
    assert.equal(addressText('::1', 1), '[::1]:1');
  });
});

// ---- run.ts -------------------------------------------------------------------------------------

const addrs = (...list: [string, number][]): Addr => ({ type: 'bound', addrs: list.map(([ip, port]) => ({ ip, port, meta: {} })), meta: {} });
const PENDING: Addr = { type: 'pending', unresolvedBy: 'io.l5d.k8s' };
const inet = (port: number, residual: string[] = [], a: Addr = addrs(['127.0.0.1', port])): BoundName => boundName(['$', 'inet', '127.1', String(port)], residual, a);
const k8s = (name: string): BoundName => boundName(['#', 'io.l5d.k8s', 'default', 'http', name], [], PENDING);
const T = {
  leaf: (bound: BoundName): DelegateTree => ({ type: 'leaf', path: bound.id, dentry: undefined, bound }),
  alt: (...alt: DelegateTree[]): DelegateTree => ({ type: 'alt', path: ['p'], dentry: undefined, alt }),
  union: (...union: [number, DelegateTree][]): DelegateTree => ({ type: 'union', path: ['p'], dentry: undefined, union: union.map(([weight, tree]) => ({ weight, tree })) }),
  delegate: (delegate: DelegateTree): DelegateTree => ({ type: 'delegate', path: ['p'], dentry: undefined, delegate }),
  token: (type: 'neg' | 'fail' | 'empty'): DelegateTree => ({ type, path: ['p'], dentry: undefined }),
  exception: (message: string): DelegateTree => ({ type: 'exception', path: ['p'], dentry: undefined, message }),
  transformation: (bound: BoundName, tree: DelegateTree): DelegateTree => ({ type: 'transformation', path: ['t'], dentry: undefined, name: 'io.l5d.port', bound, tree }),
};

/** An outcome as plain data (its printed forms read through the getters). */
const outcome = (o: AssertionOutcome) => ({ ok: o.ok, expected: o.expected, actual: o.actual, actualTree: o.actualTree, actualAddresses: o.actualAddresses, note: o.note, delegation: o.delegation });
const UNCHECKED = 'addresses not checked: a name is bound by a namer with no cluster data here (give a snapshot or a cluster)';
const assertion = (text: string) => parseDtabTestFile(text).assertions[0]!;

describe('run.ts: the actual result of a delegation', () => {
  it('delegationTree: every node type; no endpoints (neg, or bound to none) is `~`; the outermost transformation holds the name', () => {
    const b1 = inet(1);
    const b2 = inet(2);
    const failed = inet(5, [], { type: 'failed', cause: 'x' });
    const pending = k8s('a');
    const tree = T.alt(
      T.delegate(T.leaf(b1)),
      T.transformation(b2, T.leaf(inet(3))),
      T.union([2, T.leaf(inet(4, [], { type: 'neg' }))], [1, T.leaf(inet(4, [], addrs()))], [3, T.delegate(T.token('empty'))]),
      T.token('neg'),
      T.token('fail'),
      T.token('empty'),
      T.exception('boom'),
      T.leaf(pending),
      T.leaf(failed),
      T.transformation(inet(6, [], { type: 'neg' }), T.leaf(inet(6))),
      T.transformation(inet(7, [], addrs()), T.leaf(inet(7))),
    );
    assert.deepEqual(
      delegationTree(tree),
      alt([
        leaf(b1),
        leaf(b2),
        union([
          { weight: 2, tree: NEG },
          { weight: 1, tree: NEG },
          { weight: 3, tree: EMPTY },
        ]),
        NEG,
        FAIL,
        EMPTY,
        FAIL,
        leaf(pending),
        leaf(failed),
        NEG,
        NEG,
      ]),
    );
    assert.deepEqual(delegationTree(T.leaf(b1)), leaf(b1));
    assert.deepEqual(delegationTree(T.token('neg')), NEG);
  });

  it('fullName: the id, then the residual', () => {
    assert.equal(fullName(inet(1)), '/$/inet/127.1/1');
    assert.equal(fullName(inet(1, ['a', 'b'])), '/$/inet/127.1/1/a/b');
    assert.equal(fullName(boundName([], [], addrs())), '/');
    assert.equal(fullName(boundName([], ['x'], addrs())), '/x');
  });

  it('routingResult: simplified, printed with full names; the addresses reached, sorted, each once', () => {
    const r = routingResult(T.alt(T.token('neg'), T.union([9, T.leaf(inet(1, ['x'], addrs(['10.0.0.2', 1], ['10.0.0.1', 1])))], [1, T.leaf(inet(2, [], addrs(['10.0.0.1', 1], ['FE80::1', 3])))])));
    assert.deepEqual(r.tree, union([{ weight: 9, tree: leaf(inet(1, ['x'], addrs(['10.0.0.2', 1], ['10.0.0.1', 1]))) }, { weight: 1, tree: leaf(inet(2, [], addrs(['10.0.0.1', 1], ['FE80::1', 3]))) }]));
    assert.equal(r.text, '9.00*/$/inet/127.1/1/x & /$/inet/127.1/2');
    assert.deepEqual(r.addresses, ['10.0.0.1:1', '10.0.0.2:1', '[fe80::1]:3']);
    // Read again: the same (the addresses made once: the very same array).
    assert.equal(r.text, '9.00*/$/inet/127.1/1/x & /$/inet/127.1/2');
    assert.deepEqual(r.addresses, ['10.0.0.1:1', '10.0.0.2:1', '[fe80::1]:3']);
    assert.equal(r.addresses, r.addresses);
    // Only the first alternative that is not negative is reached.
    assert.deepEqual(routingResult(T.alt(T.leaf(inet(1)), T.leaf(inet(2)))).addresses, ['127.0.0.1:1']);
    // No destination, or one with no endpoints: none.
    for (const t of [T.token('neg'), T.token('fail'), T.token('empty'), T.leaf(inet(1, [], addrs()))]) assert.deepEqual(routingResult(t).addresses, [], t.type);
    assert.deepEqual(
      [T.token('neg'), T.token('fail'), T.token('empty'), T.leaf(inet(1, [], addrs()))].map((t) => routingResult(t).text),
      ['~', '!', '$', '~'],
    );
  });

  it('routingResult: addresses not known here (pending, failed) make the whole set unknown', () => {
    assert.equal(routingResult(T.leaf(k8s('a'))).addresses, undefined);
    assert.equal(routingResult(T.leaf(inet(1, [], { type: 'failed', cause: 'x' }))).addresses, undefined);
    const r = routingResult(T.union([1, T.leaf(inet(1))], [1, T.leaf(k8s('a'))], [1, T.leaf(inet(2))]));
    assert.equal(r.addresses, undefined);
    assert.equal(r.addresses, undefined);
    assert.equal(r.text, '/$/inet/127.1/1 & /#/io.l5d.k8s/default/http/a & /$/inet/127.1/2');
  });
});

describe('run.ts: judging an assertion', () => {
  it('a failed delegation never holds: `fails: message`, no tree, no addresses', () => {
    const a = assertion('/a => /x @ 1.1.1.1:1');
    const o = judge(a, new Error('Max recursion level reached.'));
    assert.equal(o.assertion, a);
    assert.deepEqual(outcome(o), { ok: false, expected: '/x @ 1.1.1.1:1', actual: 'fails: Max recursion level reached.', actualTree: undefined, actualAddresses: undefined, note: undefined, delegation: undefined });
    assert.equal(acceptedText(o), undefined);
    assert.deepEqual(outcome(judge(assertion('/a => /x'), new Error(''))), { ok: false, expected: '/x', actual: 'fails: ', actualTree: undefined, actualAddresses: undefined, note: undefined, delegation: undefined });
  });

  it('the tree decides when no addresses are listed', () => {
    const d = T.alt(T.leaf(inet(1)), T.leaf(inet(2, ['r'])));
    const holds = judge(assertion('/a => /$/inet/127.1/1 | /$/inet/127.1/2/r'), d);
    assert.deepEqual(outcome(holds), { ok: true, expected: '/$/inet/127.1/1 | /$/inet/127.1/2/r', actual: '/$/inet/127.1/1 | /$/inet/127.1/2/r', actualTree: '/$/inet/127.1/1 | /$/inet/127.1/2/r', actualAddresses: undefined, note: undefined, delegation: d });
    assert.deepEqual(acceptedText(holds), { expected: '/$/inet/127.1/1 | /$/inet/127.1/2/r' });
    const fails = judge(assertion('/a => /$/inet/127.1/1 | /$/inet/127.1/2'), d);
    assert.deepEqual(outcome(fails), { ok: false, expected: '/$/inet/127.1/1 | /$/inet/127.1/2', actual: '/$/inet/127.1/1 | /$/inet/127.1/2/r', actualTree: '/$/inet/127.1/1 | /$/inet/127.1/2/r', actualAddresses: undefined, note: undefined, delegation: d });
    // Weights written differently agree.
    assert.equal(judge(assertion('/a => 2.0*/$/inet/127.1/1 & 1*/$/inet/127.1/2'), T.union([2, T.leaf(inet(1))], [1, T.leaf(inet(2))])).ok, true);
    assert.equal(judge(assertion('/a => 2.1*/$/inet/127.1/1 & 1*/$/inet/127.1/2'), T.union([2, T.leaf(inet(1))], [1, T.leaf(inet(2))])).ok, false);
  });

  it('listed addresses are compared as a set (sorted, each once) when known', () => {
    const d = T.union([1, T.leaf(inet(1, [], addrs(['10.0.0.2', 1], ['10.0.0.1', 1])))], [1, T.leaf(inet(2, [], addrs(['10.0.0.1', 1])))]);
    const tree = '/$/inet/127.1/1 & /$/inet/127.1/2';
    const holds = judge(assertion(`/a => ${tree} @ 10.0.0.2:1, 10.0.0.1:1, 10.0.0.2:1`), d);
    assert.deepEqual(outcome(holds), { ok: true, expected: `${tree} @ 10.0.0.1:1, 10.0.0.2:1`, actual: `${tree} @ 10.0.0.1:1, 10.0.0.2:1`, actualTree: tree, actualAddresses: ['10.0.0.1:1', '10.0.0.2:1'], note: undefined, delegation: d });
    assert.deepEqual(acceptedText(holds), { expected: tree, addresses: '@ 10.0.0.1:1, 10.0.0.2:1' });
    const judged = (list: string) => {
      const o = judge(assertion(`/a => ${tree} @ ${list}`), d);
      return [o.ok, o.expected, o.actual];
    };
    assert.deepEqual(judged('10.0.0.1:1'), [false, `${tree} @ 10.0.0.1:1`, `${tree} @ 10.0.0.1:1, 10.0.0.2:1`]);
    assert.deepEqual(judged('10.0.0.1:1, 10.0.0.2:1, 10.0.0.3:1'), [false, `${tree} @ 10.0.0.1:1, 10.0.0.2:1, 10.0.0.3:1`, `${tree} @ 10.0.0.1:1, 10.0.0.2:1`]);
    assert.deepEqual(judged('10.0.0.1:1, 10.0.0.3:1'), [false, `${tree} @ 10.0.0.1:1, 10.0.0.3:1`, `${tree} @ 10.0.0.1:1, 10.0.0.2:1`]);
    assert.deepEqual(judged('10.0.0.0:1, 10.0.0.2:1'), [false, `${tree} @ 10.0.0.0:1, 10.0.0.2:1`, `${tree} @ 10.0.0.1:1, 10.0.0.2:1`]);
    // The right addresses do not save a wrong tree.
    assert.equal(judge(assertion('/a => /$/inet/127.1/1 @ 10.0.0.1:1, 10.0.0.2:1'), d).ok, false);
  });

  it('no addresses reached: the actual is the tree alone, and the quick fix writes no `@`', () => {
    const o = judge(assertion('/a => $ @ 1.1.1.1:1'), T.token('empty'));
    assert.deepEqual(outcome(o), { ok: false, expected: '$ @ 1.1.1.1:1', actual: '$', actualTree: '$', actualAddresses: [], note: undefined, delegation: T.token('empty') });
    assert.deepEqual(acceptedText(o), { expected: '$' });
  });

  it('addresses not known here: not compared, said in the note; the tree decides', () => {
    const d = T.leaf(k8s('a'));
    const o = judge(assertion('/a => /#/io.l5d.k8s/default/http/a @ 1.1.1.1:1'), d);
    assert.deepEqual(outcome(o), { ok: true, expected: '/#/io.l5d.k8s/default/http/a @ 1.1.1.1:1', actual: '/#/io.l5d.k8s/default/http/a', actualTree: '/#/io.l5d.k8s/default/http/a', actualAddresses: undefined, note: UNCHECKED, delegation: d });
    assert.deepEqual(acceptedText(o), { expected: '/#/io.l5d.k8s/default/http/a' });
    assert.deepEqual(outcome(judge(assertion('/a => /#/io.l5d.k8s/default/http/b @ 1.1.1.1:1'), d)).ok, false);
    // Without a list there is nothing to note.
    assert.deepEqual(outcome(judge(assertion('/a => /#/io.l5d.k8s/default/http/a'), d)).note, undefined);
  });

  it('acceptedText: with addresses only when the assertion lists some and some are reached', () => {
    const base = { assertion: assertion('/a => /x @ 1.1.1.1:1'), ok: false, expected: '', actual: '' };
    assert.deepEqual(acceptedText({ ...base, actualTree: '/y', actualAddresses: ['2.2.2.2:2', '3.3.3.3:3'] }), { expected: '/y', addresses: '@ 2.2.2.2:2, 3.3.3.3:3' });
    assert.deepEqual(acceptedText({ ...base, actualTree: '/y', actualAddresses: ['2.2.2.2:2'] }), { expected: '/y', addresses: '@ 2.2.2.2:2' });
    assert.deepEqual(acceptedText({ ...base, actualTree: '/y' }), { expected: '/y' });
    assert.deepEqual(acceptedText({ ...base, actualTree: '/y', actualAddresses: [] }), { expected: '/y' });
    assert.deepEqual(acceptedText({ ...base, assertion: assertion('/a => /x'), actualTree: '/y', actualAddresses: ['2.2.2.2:2'] }), { expected: '/y' });
    assert.equal(acceptedText({ ...base, actualAddresses: ['2.2.2.2:2'] }), undefined);
  });
});

describe('run.ts: running a file', () => {
  const file = parseDtabTestFile('/a => /$/inet/127.1/1\n/b => /x\n/c => !\n/d => ~\n');
  const delegation = (path: Path): DelegateTree => {
    if (path[0] === 'a') return T.leaf(inet(1));
    if (path[0] === 'b') throw new Error('no b');
    if (path[0] === 'c') throw 'not an Error';
    return T.token('neg');
  };
  const EXPECTED = [
    { ok: true, expected: '/$/inet/127.1/1', actual: '/$/inet/127.1/1', actualTree: '/$/inet/127.1/1', actualAddresses: undefined, note: undefined, delegation: T.leaf(inet(1)) },
    { ok: false, expected: '/x', actual: 'fails: no b', actualTree: undefined, actualAddresses: undefined, note: undefined, delegation: undefined },
    { ok: false, expected: '!', actual: 'fails: not an Error', actualTree: undefined, actualAddresses: undefined, note: undefined, delegation: undefined },
    { ok: true, expected: '~', actual: '~', actualTree: '~', actualAddresses: undefined, note: undefined, delegation: T.token('neg') },
  ];

  it('runAssertionsSync: every assertion in order, a throw is a failed delegation', () => {
    const out = runAssertionsSync(file, delegation);
    assert.deepEqual(out.map(outcome), EXPECTED);
    assert.deepEqual(
      out.map((o) => o.assertion),
      file.assertions,
    );
  });

  it('runAssertions: the same with a delegator that answers later (or rejects)', async () => {
    const out = await runAssertions(file, async (p) => delegation(p));
    assert.deepEqual(out.map(outcome), EXPECTED);
    const sync = await runAssertions(file, delegation);
    assert.deepEqual(sync.map(outcome), EXPECTED);
    assert.deepEqual(await runAssertions(parseDtabTestFile(''), delegation), []);
    assert.deepEqual(runAssertionsSync(parseDtabTestFile('# nothing'), delegation), []);
  });
});

describe('run.ts: delegationSteps', () => {
  const i = interpreterFor({});
  const dtab = lowerDtab(parseDtab('/svc => /$/inet/127.1/1; /svc/x => /nothing | 2 * /$/inet/127.1/2 & /$/inet/127.1/3; /svc/y => ~ | /svc/x;'));
  const X = '/svc/x=>/nothing | 2.00*/$/inet/127.1/2 & /$/inet/127.1/3';

  it('the primary path, depth first in order, each step with the dentry that made it', () => {
    assert.deepEqual(delegationSteps(i.delegateSync(dtab, ['svc', 'y', 'z'])), [
      { text: '/svc/y/z  (alternatives: the first that is not negative wins)' },
      { text: '/svc/x/z  (alternatives: the first that is not negative wins)', dentry: 2, dentryText: '/svc/y=>~ | /svc/x' },
      { text: '/svc/x/z  (union: traffic is split by weight)', dentry: 1, dentryText: X },
      { text: '/$/inet/127.1/2/z  => bound /$/inet/127.1/2 residual /z: 127.0.0.1:2', dentry: 1, dentryText: X },
      { text: '/$/inet/127.1/3/z  => bound /$/inet/127.1/3 residual /z: 127.0.0.1:3', dentry: 1, dentryText: X },
    ]);
    assert.deepEqual(delegationSteps(i.delegateSync(dtab, ['svc'])), [{ text: '/svc' }, { text: '/$/inet/127.1/1  => bound /$/inet/127.1/1: 127.0.0.1:1', dentry: 0, dentryText: '/svc=>/$/inet/127.1/1' }]);
    assert.deepEqual(delegationSteps(i.delegateSync(dtab, ['nothing'])), [{ text: '/nothing  (negative: nothing matches)' }]);
  });

  it('through a transformation to what it was made from', () => {
    assert.deepEqual(delegationSteps(T.delegate(T.transformation(inet(2), T.leaf(inet(1))))), [
      { text: '/p' },
      { text: '/t  => transformed by io.l5d.port to /$/inet/127.1/2: 127.0.0.1:2' },
      { text: '/$/inet/127.1/1  => bound /$/inet/127.1/1: 127.0.0.1:1' },
    ]);
  });
});

// ---- trace/span.ts ------------------------------------------------------------------------------

const TID = '00000000000000ab';
const TID32 = '463ac35c9f6413ad48485a3953bb6124';
const sid = (n: number) => n.toString(16).padStart(16, '0');
/** The error decoding one span (as span 1 of a trace whose span 0 is fine). */
const spanError = (s: Record<string, unknown>) => {
  const d = decodeTrace([{ traceId: TID, id: sid(1) }, s]);
  assert.equal(d.ok, false, Object.keys(s).join());
  return d.ok ? '' : d.error;
};
const base = { traceId: TID, id: sid(2) };

describe('span.ts: decoding Zipkin v2 spans', () => {
  it('every field, as given; null fields and unknown fields left out; false kept', () => {
    const full = {
      traceId: TID32,
      id: sid(2),
      parentId: sid(1),
      name: 'get /',
      kind: 'SERVER',
      timestamp: 0,
      duration: Number.MAX_SAFE_INTEGER,
      debug: false,
      shared: true,
      localEndpoint: { serviceName: 'a', ipv4: '10.0.0.1', ipv6: '::1', port: 65535 },
      remoteEndpoint: { port: 0 },
      annotations: [
        { timestamp: 11, value: 'ws' },
        { timestamp: 0, value: '' },
      ],
      tags: { 'http.rsp.status': '200', '': '' },
    };
    assert.deepEqual(decodeTrace([full]), { ok: true, value: [full] });
    const nulls = { traceId: TID, id: sid(1), parentId: null, name: null, kind: null, timestamp: null, duration: null, debug: null, shared: null, localEndpoint: null, remoteEndpoint: null, annotations: null, tags: null, extra: 1 };
    assert.deepEqual(decodeTrace([nulls]), { ok: true, value: [{ traceId: TID, id: sid(1) }] });
    assert.deepEqual(decodeTrace([{ ...base, localEndpoint: { serviceName: null, ipv4: null, ipv6: null, port: null, x: 1 }, remoteEndpoint: {}, annotations: [{ timestamp: 1, value: 'v', endpoint: {} }], tags: {} }]), {
      ok: true,
      value: [{ ...base, localEndpoint: {}, remoteEndpoint: {}, annotations: [{ timestamp: 1, value: 'v' }], tags: {} }],
    });
    for (const kind of ['CLIENT', 'SERVER', 'PRODUCER', 'CONSUMER']) assert.deepEqual(decodeTrace([{ ...base, kind }]), { ok: true, value: [{ ...base, kind }] });
    assert.deepEqual(decodeTrace([{ ...base, debug: true, shared: false }]), { ok: true, value: [{ ...base, debug: true, shared: false }] });
    assert.deepEqual(decodeTrace([]), { ok: true, value: [] });
  });

  it('a tag named __proto__ stays a tag (own, enumerable, writable)', () => {
    const d = decodeTrace(JSON.parse(`[{"traceId":"${TID}","id":"${sid(1)}","tags":{"__proto__":"x","a":"b"}}]`));
    assert.ok(d.ok);
    const tags = d.value[0]!.tags!;
    assert.deepEqual(Object.keys(tags), ['__proto__', 'a']);
    assert.deepEqual(Object.getOwnPropertyDescriptor(tags, '__proto__'), { value: 'x', enumerable: true, writable: true, configurable: true });
    assert.equal(Object.getPrototypeOf(tags), Object.prototype);
  });

  it('ids: 16 or 32 lower-case hex trace ids, 16 for span ids', () => {
    const msgTrace = (v: string) => `span 1.traceId must be 16 or 32 lower-case hex characters, not ${v}`;
    assert.equal(spanError({ id: sid(1) }), msgTrace('undefined'));
    assert.equal(spanError({ traceId: null, id: sid(1) }), msgTrace('null'));
    assert.equal(spanError({ traceId: 5, id: sid(1) }), 'span 1.traceId must be a string, not 5');
    for (const bad of ['', '0'.repeat(15), '0'.repeat(17), '0'.repeat(31), '0'.repeat(33), '0'.repeat(15) + 'g', 'ABCDEF0123456789', ` ${TID}`]) assert.equal(spanError({ traceId: bad, id: sid(1) }), msgTrace(JSON.stringify(bad)));
    const msgId = (v: string) => `span 1.id must be 16 lower-case hex characters, not ${v}`;
    assert.equal(spanError({ traceId: TID }), msgId('undefined'));
    assert.equal(spanError({ traceId: TID, id: null }), msgId('null'));
    for (const bad of ['', '0'.repeat(15), '0'.repeat(17), TID32, '000000000000000A', `${sid(1)}\n`]) assert.equal(spanError({ traceId: TID, id: bad }), msgId(JSON.stringify(bad)));
    for (const bad of ['', TID32, '000000000000000A', 'x']) assert.equal(spanError({ ...base, parentId: bad }), `span 1.parentId must be 16 lower-case hex characters, not ${JSON.stringify(bad)}`);
    assert.equal(spanError({ ...base, parentId: 1 }), 'span 1.parentId must be a string, not 1');
  });

  it('each field of the wrong type: the span, the field and the value in the message', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 1 }, 'span 1.name must be a string, not 1'],
      [{ kind: 'client' }, 'span 1.kind must be CLIENT, SERVER, PRODUCER or CONSUMER, not "client"'],
      [{ kind: 'LOCAL' }, 'span 1.kind must be CLIENT, SERVER, PRODUCER or CONSUMER, not "LOCAL"'],
      [{ kind: true }, 'span 1.kind must be a string, not true'],
      [{ timestamp: -1 }, 'span 1.timestamp must be a whole number of microseconds, not -1'],
      [{ timestamp: 1.5 }, 'span 1.timestamp must be a whole number of microseconds, not 1.5'],
      [{ timestamp: '5' }, 'span 1.timestamp must be a whole number of microseconds, not "5"'],
      [{ timestamp: 2 ** 53 }, 'span 1.timestamp must be a whole number of microseconds, not 9007199254740992'],
      [{ duration: -1 }, 'span 1.duration must be a whole number of microseconds, not -1'],
      [{ duration: false }, 'span 1.duration must be a whole number of microseconds, not false'],
      [{ debug: 1 }, 'span 1.debug must be true or false, not 1'],
      [{ shared: 'true' }, 'span 1.shared must be true or false, not "true"'],
      [{ localEndpoint: 'a' }, 'span 1.localEndpoint must be an object, not "a"'],
      [{ localEndpoint: [] }, 'span 1.localEndpoint must be an object, not []'],
      [{ remoteEndpoint: 1 }, 'span 1.remoteEndpoint must be an object, not 1'],
      [{ localEndpoint: { serviceName: 1 } }, 'span 1.localEndpoint.serviceName must be a string, not 1'],
      [{ localEndpoint: { ipv4: [] } }, 'span 1.localEndpoint.ipv4 must be a string, not []'],
      [{ remoteEndpoint: { ipv6: {} } }, 'span 1.remoteEndpoint.ipv6 must be a string, not {}'],
      [{ remoteEndpoint: { port: 65536 } }, 'span 1.remoteEndpoint.port must be a port number, not 65536'],
      [{ remoteEndpoint: { port: -1 } }, 'span 1.remoteEndpoint.port must be a port number, not -1'],
      [{ remoteEndpoint: { port: 80.5 } }, 'span 1.remoteEndpoint.port must be a port number, not 80.5'],
      [{ localEndpoint: { port: '80' } }, 'span 1.localEndpoint.port must be a port number, not "80"'],
      [{ annotations: {} }, 'span 1.annotations must be an array, not {}'],
      [{ annotations: 'ws' }, 'span 1.annotations must be an array, not "ws"'],
      [{ annotations: [{ timestamp: 1, value: 'a' }, null] }, 'span 1.annotations[1] must be an object {timestamp, value}, not null'],
      [{ annotations: [[]] }, 'span 1.annotations[0] must be an object {timestamp, value}, not []'],
      [{ annotations: [{ value: 'x' }] }, 'span 1.annotations[0].timestamp must be a whole number of microseconds, not undefined'],
      [{ annotations: [{ timestamp: -5, value: 'x' }] }, 'span 1.annotations[0].timestamp must be a whole number of microseconds, not -5'],
      [{ annotations: [{ timestamp: 5 }] }, 'span 1.annotations[0].value must be a string, not undefined'],
      [{ annotations: [{ timestamp: 5, value: null }] }, 'span 1.annotations[0].value must be a string, not null'],
      [{ tags: [] }, 'span 1.tags must be an object of strings, not []'],
      [{ tags: 'a=b' }, 'span 1.tags must be an object of strings, not "a=b"'],
      [{ tags: { a: 'b', 'c"d': 1 } }, 'span 1.tags["c\\"d"] must be a string, not 1'],
      [{ tags: { a: null } }, 'span 1.tags["a"] must be a string, not null'],
    ];
    for (const [fields, message] of cases) assert.equal(spanError({ ...base, ...fields }), message, JSON.stringify(fields));
  });

  it('values in messages: JSON cut to 60 characters; what JSON cannot show, as String shows it', () => {
    assert.equal(spanError({ ...base, kind: 'x'.repeat(58) }), `span 1.kind must be CLIENT, SERVER, PRODUCER or CONSUMER, not "${'x'.repeat(58)}"`);
    assert.equal(spanError({ ...base, kind: 'x'.repeat(59) }), `span 1.kind must be CLIENT, SERVER, PRODUCER or CONSUMER, not "${'x'.repeat(59)}…`);
    assert.equal(spanError({ ...base, kind: 'y'.repeat(100) }), `span 1.kind must be CLIENT, SERVER, PRODUCER or CONSUMER, not "${'y'.repeat(59)}…`);
    assert.equal(spanError({ ...base, name: 10n }), 'span 1.name must be a string, not 10');
    assert.equal(spanError({ ...base, name: Symbol('s') }), 'span 1.name must be a string, not Symbol(s)');
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    assert.equal(spanError({ ...base, name: circular }), 'span 1.name must be a string, not [object Object]');
  });

  it('traces, lists of traces, lists of strings: what is not an array, and which item', () => {
    assert.deepEqual(decodeTrace({}), { ok: false, error: 'the trace must be an array of spans, not {}' });
    assert.deepEqual(decodeTrace(null), { ok: false, error: 'the trace must be an array of spans, not null' });
    assert.deepEqual(decodeTrace(undefined), { ok: false, error: 'the trace must be an array of spans, not undefined' });
    assert.deepEqual(decodeTrace([1]), { ok: false, error: 'span 0 must be an object, not 1' });
    assert.deepEqual(decodeTrace([base, null]), { ok: false, error: 'span 1 must be an object, not null' });
    assert.deepEqual(decodeTrace([[]]), { ok: false, error: 'span 0 must be an object, not []' });
    assert.deepEqual(decodeTrace('x', 'the answer'), { ok: false, error: 'the answer must be an array of spans, not "x"' });
    assert.deepEqual(decodeTrace([base, {}], 'the answer'), { ok: false, error: 'span 1 of the answer.traceId must be 16 or 32 lower-case hex characters, not undefined' });
    assert.deepEqual(decodeTraces([[base], [base], []]), { ok: true, value: [[base], [base], []] });
    assert.deepEqual(decodeTraces([]), { ok: true, value: [] });
    assert.deepEqual(decodeTraces({ a: 1 }), { ok: false, error: 'the answer must be an array of traces, not {"a":1}' });
    assert.deepEqual(decodeTraces([[], 5]), { ok: false, error: 'trace 1 must be an array of spans, not 5' });
    assert.deepEqual(decodeTraces([[base], [base, { ...base, id: 'x' }]]), { ok: false, error: 'span 1 of trace 1.id must be 16 lower-case hex characters, not "x"' });
    assert.deepEqual(decodeStrings(['a', '', 'b']), { ok: true, value: ['a', '', 'b'] });
    assert.deepEqual(decodeStrings([]), { ok: true, value: [] });
    assert.deepEqual(decodeStrings('a'), { ok: false, error: 'the answer must be an array of strings, not "a"' });
    assert.deepEqual(decodeStrings(['a', 2]), { ok: false, error: 'item 1 must be a string, not 2' });
    assert.deepEqual(decodeStrings([null]), { ok: false, error: 'item 0 must be a string, not null' });
  });

  it('an exception that is not a decoding error is not swallowed', () => {
    const hostile = {
      get traceId(): string {
        throw new TypeError('getter');
      },
    };
    assert.throws(() => decodeTrace([hostile]), { name: 'TypeError', message: 'getter' });
    assert.throws(() => decodeTraces([[hostile]]), { name: 'TypeError', message: 'getter' });
    const list = [''];
    Object.defineProperty(list, 0, {
      get(): string {
        throw new RangeError('item');
      },
    });
    assert.throws(() => decodeStrings(list), { name: 'RangeError', message: 'item' });
  });

  it('normalizeTraceId and serviceOf', () => {
    assert.equal(normalizeTraceId(TID), TID);
    assert.equal(normalizeTraceId(' \t00000000000000AB\n'), TID);
    assert.equal(normalizeTraceId(TID32.toUpperCase()), TID32);
    for (const bad of ['', 'ab', '0'.repeat(15), '0'.repeat(17), '0'.repeat(31), '0'.repeat(33), 'g'.repeat(16), '0x00000000000000ab', '0000000000 00000ab']) assert.equal(normalizeTraceId(bad), undefined, bad);
    assert.equal(serviceOf({ traceId: TID, id: sid(1), localEndpoint: { serviceName: 'web' } }), 'web');
    assert.equal(serviceOf({ traceId: TID, id: sid(1), localEndpoint: {} }), undefined);
    assert.equal(serviceOf({ traceId: TID, id: sid(1), remoteEndpoint: { serviceName: 'x' } }), undefined);
  });
});

// ---- trace/tree.ts ------------------------------------------------------------------------------

/** A span of trace TID: id n, parent p (or none), more fields. */
const zs = (n: number, parent?: number, extra: Partial<Span> = {}): Span => ({ traceId: TID, id: sid(n), ...(parent !== undefined ? { parentId: sid(parent) } : {}), ...extra });
interface Shape {
  readonly id: string;
  readonly detached?: string;
  readonly children: readonly Shape[];
}
/** A node as `id` (`s` after a shared one) and its children; `detached` only when set. */
const shapeOf = (n: SpanTree['roots'][number]): Shape => ({
  id: `${Number.parseInt(n.span.id, 16)}${n.span.shared ? 's' : ''}`,
  ...(n.detached !== undefined ? { detached: n.detached } : {}),
  children: n.children.map(shapeOf),
});
const shapes = (spans: readonly Span[]) => buildSpanTree(spans).roots.map(shapeOf);
const node = (id: string, children: Shape[] = [], detached?: string): Shape => ({ id, ...(detached !== undefined ? { detached } : {}), children });

describe('tree.ts: buildSpanTree and flattenSpanTree', () => {
  // Children of 1 by start (ties as listed, no timestamp last); real roots by start, then the detached ones by start.
  const ORDER = [
    zs(1, undefined, { timestamp: 10 }),
    zs(5, 1, { timestamp: 30, duration: 5 }),
    zs(4, 1, { duration: 1000 }),
    zs(3, 1, { timestamp: 20 }),
    zs(2, 1, { timestamp: 20 }),
    zs(6, 1),
    zs(7, 1, { timestamp: 5 }),
    zs(8, undefined, { timestamp: 10, duration: 100 }),
    zs(9, undefined, { timestamp: 5 }),
    zs(10, 99, { timestamp: 1 }),
    zs(11, 98, { timestamp: 0 }),
    zs(12),
  ];

  it('children and roots in order; the trace\'s id, size, earliest start and latest end', () => {
    const tree = buildSpanTree(ORDER);
    assert.deepEqual(tree.roots.map(shapeOf), [
      node('9'),
      node('1', [node('7'), node('3'), node('2'), node('5'), node('4'), node('6')]),
      node('8'),
      node('12'),
      node('11', [], 'orphan'),
      node('10', [], 'orphan'),
    ]);
    assert.deepEqual({ ...tree, roots: undefined }, { traceId: TID, roots: undefined, size: 12, startUs: 0, endUs: 110 });
  });

  it('start and end: a span without a duration ends at its start; spans without a timestamp do not count', () => {
    const range = (spans: Span[]) => {
      const t = buildSpanTree(spans);
      return [t.startUs, t.endUs, 'startUs' in t, 'endUs' in t];
    };
    assert.deepEqual(range([zs(1, undefined, { timestamp: 100, duration: 50 }), zs(2, 1, { timestamp: 90 }), zs(3, 1, { timestamp: 120, duration: 100 }), zs(4, 1, { duration: 10_000 })]), [90, 220, true, true]);
    assert.deepEqual(range([zs(1, undefined, { timestamp: 100, duration: 500 }), zs(2, 1, { timestamp: 200, duration: 10 }), zs(3, 1, { timestamp: 150 })]), [100, 600, true, true]);
    assert.deepEqual(range([zs(1, undefined, { timestamp: 7 })]), [7, 7, true, true]);
    assert.deepEqual(range([zs(1, undefined, { timestamp: 0, duration: 0 })]), [0, 0, true, true]);
    assert.deepEqual(range([zs(1, undefined, { duration: 5 })]), [undefined, undefined, false, false]);
    assert.deepEqual(buildSpanTree([]), { traceId: undefined, roots: [], size: 0 });
    assert.equal(buildSpanTree([zs(1), { ...zs(2), traceId: TID32 }]).traceId, TID);
  });

  it('loops: cut where the walk meets itself (a tail into the loop hangs on), a self-parent, two loops', () => {
    assert.deepEqual(shapes([zs(10, 2), zs(2, 3), zs(3, 2)]), [node('2', [node('10'), node('3')], 'cycle')]);
    assert.deepEqual(shapes([zs(1), zs(5, 5), zs(6, 1)]), [node('1', [node('6')]), node('5', [], 'cycle')]);
    assert.deepEqual(shapes([zs(2, 3, { timestamp: 9 }), zs(3, 2), zs(4, 5, { timestamp: 1 }), zs(5, 4)]), [node('4', [node('5')], 'cycle'), node('2', [node('3')], 'cycle')]);
    // A chain into a real root is no loop.
    assert.deepEqual(shapes([zs(3, 2), zs(2, 1), zs(1)]), [node('1', [node('2', [node('3')])])]);
  });

  it('the first span of an id is the parent of the spans naming it', () => {
    assert.deepEqual(shapes([zs(1), zs(2, 1, { timestamp: 6 }), zs(2, 1, { timestamp: 5 }), zs(3, 2)]), [node('1', [node('2'), node('2', [node('3')])])]);
  });

  it('shared ids: server side under the client span (wherever listed), the spans below under the first server side', () => {
    const server = (extra: Partial<Span> = {}) => zs(2, 1, { kind: 'SERVER', shared: true, ...extra });
    assert.deepEqual(shapes([server({ timestamp: 3 }), zs(1), zs(2, 1, { kind: 'CLIENT' }), zs(3, 2), server({ timestamp: 2 })]), [node('1', [node('2', [node('2s'), node('2s', [node('3')])])])]);
    // Without its client span: by its parentId; with neither, a real root.
    assert.deepEqual(shapes([zs(1), server(), zs(3, 2)]), [node('1', [node('2s', [node('3')])])]);
    assert.deepEqual(shapes([zs(2, undefined, { shared: true }), zs(3, 2)]), [node('2s', [node('3')])]);
  });

  it('flattenSpanTree: depth first, children in order, at most maxRows (the rest counted)', () => {
    const tree = buildSpanTree([zs(1, undefined, { timestamp: 0 }), zs(2, 1, { timestamp: 1 }), zs(3, 2, { timestamp: 2 }), zs(4, 1, { timestamp: 3 }), zs(5, undefined, { timestamp: 4 })]);
    const rows = (max?: number) => {
      const f = max === undefined ? flattenSpanTree(tree) : flattenSpanTree(tree, max);
      return [f.rows.map((r) => `${r.depth}:${Number.parseInt(r.node.span.id, 16)}`), f.cut];
    };
    assert.deepEqual(rows(), [['0:1', '1:2', '2:3', '1:4', '0:5'], 0]);
    assert.deepEqual(rows(5), [['0:1', '1:2', '2:3', '1:4', '0:5'], 0]);
    assert.deepEqual(rows(4), [['0:1', '1:2', '2:3', '1:4'], 1]);
    assert.deepEqual(rows(1), [['0:1'], 4]);
    assert.deepEqual(rows(0), [[], 5]);
    assert.deepEqual(flattenSpanTree(buildSpanTree([])), { rows: [], cut: 0 });
    const [first] = flattenSpanTree(tree).rows;
    assert.equal(first!.node, tree.roots[0]);
  });
});

// ---- trace/linkerd.ts ---------------------------------------------------------------------------

const tagged = (tags: Record<string, string>, extra: Partial<Span> = {}): Span => ({ traceId: TID, id: sid(1), tags, ...extra });
const failed = (...values: string[]) => values.map((v) => ({ timestamp: 1, value: v }));

describe('linkerd.ts: spanFailure', () => {
  it('the error tag first (empty and `true` are just `error`)', () => {
    assert.equal(spanFailure(tagged({ error: '' })), 'error');
    assert.equal(spanFailure(tagged({ error: 'true' })), 'error');
    assert.equal(spanFailure(tagged({ error: 'false' })), 'false');
    assert.equal(spanFailure(tagged({ error: 'boom', 'io.buoyant.router.Failure': 'Service', 'http.rsp.status': '500' })), 'boom');
  });

  it('Linkerd\'s failure tags: the router\'s kind (with the namer\'s), or the namer\'s alone', () => {
    assert.equal(spanFailure(tagged({ 'io.buoyant.router.Failure': 'Service' })), 'Service failure');
    assert.equal(spanFailure(tagged({ 'io.buoyant.router.Failure': 'ClientAcquisition', 'namer.failure': 'x.NoBrokers' })), 'ClientAcquisition failure: x.NoBrokers');
    assert.equal(spanFailure(tagged({ 'io.buoyant.router.Failure': '', 'namer.failure': '' })), ' failure: ');
    assert.equal(spanFailure(tagged({ 'namer.failure': 'x.Y', 'http.rsp.status': '502' })), 'namer failure: x.Y');
    assert.equal(spanFailure(tagged({ 'namer.failure': '' })), 'namer failure: ');
  });

  it('classified as a failure: the l5d.failure annotation or l5d.success 0, with a positive whole status', () => {
    const classified = (tags: Record<string, string>, annotations = failed('l5d.failure')) => spanFailure(tagged(tags, { annotations }));
    assert.equal(classified({ 'http.rsp.status': '503' }), 'classified as a failure (503)');
    assert.equal(classified({ 'http.rsp.status': '1' }), 'classified as a failure (1)');
    assert.equal(classified({ 'http.rsp.status': '0' }), 'classified as a failure');
    assert.equal(classified({ 'http.rsp.status': '-1' }), 'classified as a failure');
    assert.equal(classified({ 'http.rsp.status': '5.5' }), 'classified as a failure');
    assert.equal(classified({ 'http.rsp.status': 'x' }), 'classified as a failure');
    assert.equal(classified({}), 'classified as a failure');
    assert.equal(classified({ 'l5d.success': '1', 'http.rsp.status': '200' }), 'classified as a failure (200)');
    assert.equal(classified({}, failed('ws', 'l5d.retryable', 'l5d.failure')), 'classified as a failure');
    assert.equal(classified({}, failed('ws', 'l5d.retryable', 'L5D.FAILURE')), undefined);
    assert.equal(classified({}, []), undefined);
    assert.equal(spanFailure(tagged({ 'l5d.success': '0' })), 'classified as a failure');
    assert.equal(spanFailure(tagged({ 'l5d.success': '0.0', 'http.rsp.status': '503' })), 'classified as a failure (503)');
    assert.equal(spanFailure(tagged({ 'l5d.success': '0', 'http.rsp.status': '0' })), 'classified as a failure');
    assert.equal(spanFailure(tagged({ 'l5d.success': '0', 'http.rsp.status': '1' })), 'classified as a failure (1)');
    assert.equal(spanFailure(tagged({ 'l5d.success': '0', 'http.rsp.status': '2.5' })), 'classified as a failure');
    assert.equal(spanFailure(tagged({ 'l5d.success': ' 0 ' })), 'classified as a failure');
    for (const s of ['', ' ', '1', '0.5', 'x']) assert.equal(spanFailure(tagged({ 'l5d.success': s })), undefined, s);
  });

  it('a 5xx status, 500 to 599; nothing else fails', () => {
    assert.equal(spanFailure(tagged({ 'http.rsp.status': '500' })), 'status 500');
    assert.equal(spanFailure(tagged({ 'http.rsp.status': '599', 'l5d.success': '1' })), 'status 599');
    for (const s of ['499', '600', '500.5', '', 'abc', '200']) assert.equal(spanFailure(tagged({ 'http.rsp.status': s })), undefined, s);
    assert.equal(spanFailure({ traceId: TID, id: sid(1) }), undefined);
    assert.equal(spanFailure(tagged({})), undefined);
    // Only the span's own tags count.
    assert.equal(spanFailure(tagged(Object.create({ error: 'x', 'http.rsp.status': '500' }) as Record<string, string>)), undefined);
  });
});

describe('linkerd.ts: linkerdView', () => {
  it('every tag of a server span', () => {
    assert.deepEqual(
      linkerdView(tagged({ 'router.label': 'http', service: '/svc/dog', client: '/#/io.l5d.fs/dog', residual: '/', 'dtab.base': '/svc=>/#/io.l5d.fs', 'dtab.local': '', 'http.rsp.status': '200', 'l5d.success': '1.0', other: 'x' }, { kind: 'SERVER', localEndpoint: { serviceName: '#/io.l5d.fs/x' } })),
      { router: 'http', service: '/svc/dog', client: '/#/io.l5d.fs/dog', residual: '/', dtabBase: '/svc=>/#/io.l5d.fs', dtabLocal: '', status: 200, success: 1 },
    );
    assert.deepEqual(linkerdView({ traceId: TID, id: sid(1) }), {});
    assert.deepEqual(linkerdView(tagged({})), {});
  });

  it('tags of Linkerd before 1.0.0, the current names first', () => {
    assert.deepEqual(linkerdView(tagged({ 'namer.path': '/svc/a', 'dst.id': '/$/inet/127.1/1', 'dst.path': '/x' })), { service: '/svc/a', client: '/$/inet/127.1/1', residual: '/x' });
    assert.deepEqual(linkerdView(tagged({ 'namer.path': '/old', service: '/new', 'dst.id': '/old', client: '/new', 'dst.path': '/old', residual: '/new' })), { service: '/new', client: '/new', residual: '/new' });
  });

  it('a client span names its client by its service (`#/`, `$/`, `%/` ids only); a tag says more', () => {
    const client = (serviceName: string | undefined, kind: Span['kind'] = 'CLIENT', tags: Record<string, string> = {}) => linkerdView(tagged(tags, { kind, ...(serviceName !== undefined ? { localEndpoint: { serviceName } } : {}) })).client;
    assert.equal(client('#/io.l5d.fs/dog'), '/#/io.l5d.fs/dog');
    assert.equal(client('$/inet/127.1/80'), '/$/inet/127.1/80');
    assert.equal(client('%/io.l5d.port/x'), '/%/io.l5d.port/x');
    for (const s of ['web', '#x', '/#/x', 'x#/y', '', '&/x']) assert.equal(client(s), undefined, s);
    assert.equal(client(undefined), undefined);
    assert.equal(client('#/a', 'SERVER'), undefined);
    assert.equal(client('#/a', 'PRODUCER'), undefined);
    assert.equal(linkerdView(tagged({}, { localEndpoint: { serviceName: '#/a' } })).client, undefined);
    assert.equal(client('#/a', 'CLIENT', { client: '/#/b' }), '/#/b');
    assert.equal(client('#/a', 'CLIENT', { 'dst.id': '/#/c' }), '/#/c');
  });

  it('status: one to three digits; success: a finite number', () => {
    const view = (tags: Record<string, string>) => linkerdView(tagged(tags));
    assert.deepEqual(view({ 'http.rsp.status': '0' }), { status: 0 });
    assert.deepEqual(view({ 'http.rsp.status': '999' }), { status: 999 });
    assert.deepEqual(view({ 'http.rsp.status': '404' }), { status: 404 });
    for (const s of ['', '1000', ' 200', '200 ', '2x', '-1', '2.0']) assert.deepEqual(view({ 'http.rsp.status': s }), {}, s);
    assert.deepEqual(view({ 'l5d.success': '0.5' }), { success: 0.5 });
    assert.deepEqual(view({ 'l5d.success': ' 1 ' }), { success: 1 });
    assert.deepEqual(view({ 'l5d.success': '0' }), { success: 0, failure: 'classified as a failure' });
    for (const s of ['', ' ', 'x', 'Infinity', '-Infinity', 'NaN']) assert.deepEqual(view({ 'l5d.success': s }), {}, s);
    assert.deepEqual(view({ 'http.rsp.status': '503' }), { status: 503, failure: 'status 503' });
  });
});

// ---- trace/render.ts ----------------------------------------------------------------------------

const START = 1_700_000_000_000_000;
const ROUTER_TAGS = { 'router.label': 'http', service: '/svc/dog', client: '/#/io.l5d.fs/dog', residual: '/', 'dtab.base': '/svc=>/#/io.l5d.fs', 'dtab.local': '' };
/** A routed request: the server span, a failed client attempt (its downstream server side shared), a second attempt, an orphan and a loop. */
const REQUEST: Span[] = [
  zs(5, 255, { name: 'x', kind: 'PRODUCER', localEndpoint: { serviceName: 'svc\u001b' }, timestamp: START + 50, duration: 500, tags: { error: 'bad\u0007' } }),
  zs(1, undefined, { name: 'http /svc/dog', kind: 'SERVER', localEndpoint: { serviceName: '0.0.0.0/4140' }, timestamp: START, duration: 3000, tags: ROUTER_TAGS }),
  zs(2, 1, { name: 'get /', kind: 'CLIENT', localEndpoint: { serviceName: '#/io.l5d.fs/dog' }, timestamp: START + 100, duration: 1500, tags: { 'l5d.success': '0', 'http.rsp.status': '503' } }),
  zs(2, 1, { name: 'get /', kind: 'SERVER', shared: true, localEndpoint: { serviceName: 'dog' }, timestamp: START + 120, duration: 1000, tags: { 'http.rsp.status': '503' } }),
  zs(3, 1, { name: 'get /', kind: 'CLIENT', localEndpoint: { serviceName: '#/io.l5d.fs/dog' }, timestamp: START + 2000, duration: 999, tags: { client: '/#/io.l5d.fs/dog', 'dtab.local': '/a=>/b' } }),
  zs(4, 3, { shared: true }),
  zs(6, 6, { tags: { service: '/svc/\n' } }),
];

describe('render.ts: text for terminals', () => {
  it('termSafe: C0, DEL, C1, line and paragraph separators, bidi marks and overrides escaped; nothing else', () => {
    assert.equal(termSafe('\u0000\u0009\n\u001f \u007e\u007f\u0085\u009f\u00a0\u00ff'), '\\x00\\x09\\x0a\\x1f ~\\x7f\\x85\\x9f\u00a0\u00ff');
    assert.equal(
      termSafe('\u200d\u200e\u200f\u2010\u2027\u2028\u2029\u2029\u202a\u202c\u202e\u202f\u2065\u2066\u2068\u2069\u206a'),
      '\u200d\\u200e\\u200f\u2010\u2027\\u2028\\u2029\\u2029\\u202a\\u202c\\u202e\u202f\u2065\\u2066\\u2068\\u2069\u206a',
    );
    assert.equal(termSafe('a\u001b[31mb'), 'a\\x1b[31mb');
    assert.equal(termSafe(''), '');
  });

  it('termSafe: cut to max characters (500 by default), before escaping', () => {
    assert.equal(MAX_SHOWN, 500);
    assert.equal(termSafe('x'.repeat(500)), 'x'.repeat(500));
    assert.equal(termSafe('x'.repeat(501)), `${'x'.repeat(500)}…`);
    assert.equal(termSafe('abc', 3), 'abc');
    assert.equal(termSafe('abcd', 3), 'abc…');
    assert.equal(termSafe('\n\n', 1), '\\x0a…');
    assert.equal(termSafe('ab', 0), '…');
  });

  it('formatDuration: µs under a millisecond, ms under a second, else s; three decimals at most, trailing zeros dropped', () => {
    const cases: [number, string][] = [
      [0, '0µs'],
      [1, '1µs'],
      [999, '999µs'],
      [1000, '1ms'],
      [1001, '1.001ms'],
      [1010, '1.01ms'],
      [1100, '1.1ms'],
      [10_000, '10ms'],
      [100_000, '100ms'],
      [120_500, '120.5ms'],
      [999_999, '999.999ms'],
      [1_000_000, '1s'],
      [1_234_567, '1.235s'],
      [1_500_000, '1.5s'],
      [10_000_000, '10s'],
      [100_000_000, '100s'],
      [3_600_000_000, '3600s'],
    ];
    assert.deepEqual(
      cases.map(([us]) => formatDuration(us)),
      cases.map(([, s]) => s),
    );
  });

  it('parseDuration: a number with a unit, rounded to µs; undefined past the safe integers', () => {
    const cases: [string, number | undefined][] = [
      ['250us', 250],
      ['250µs', 250],
      ['1.5us', 2],
      ['0.4us', 0],
      ['100ms', 100_000],
      ['2.5ms', 2500],
      ['1.25ms', 1250],
      ['0.125s', 125_000],
      ['1.5s', 1_500_000],
      ['2m', 120_000_000],
      ['1h', 3_600_000_000],
      ['1d', 86_400_000_000],
      [' \t7ms\n', 7000],
      ['104249d', 9_007_113_600_000_000],
      ['104250d', undefined],
      ['', undefined],
      ['100', undefined],
      ['ms', undefined],
      ['-1s', undefined],
      ['1 h', undefined],
      ['1w', undefined],
      ['1e3ms', undefined],
      ['.5s', undefined],
      ['1.s', undefined],
      ['1.5.5s', undefined],
      ['x1s', undefined],
      ['1sx', undefined],
      ['1S', undefined],
    ];
    assert.deepEqual(
      cases.map(([t]) => parseDuration(t)),
      cases.map(([, us]) => us),
    );
  });

  it('formatTimestamp: ISO 8601 UTC with milliseconds (rounded down); µs when out of range', () => {
    assert.equal(formatTimestamp(START), '2023-11-14T22:13:20.000Z');
    assert.equal(formatTimestamp(0), '1970-01-01T00:00:00.000Z');
    assert.equal(formatTimestamp(1999), '1970-01-01T00:00:00.001Z');
    assert.equal(formatTimestamp(-1), '1969-12-31T23:59:59.999Z');
    assert.equal(formatTimestamp(8.64e18), '+275760-09-13T00:00:00.000Z');
    assert.equal(formatTimestamp(8.64e18 + 1024), '8640000000000001000µs');
    assert.equal(formatTimestamp(Number.NaN), 'NaNµs');
  });

  it('linkerdTagLines: in Linkerd\'s order, empty dtabs left out, a client span\'s own client only when a tag says so', () => {
    assert.deepEqual(linkerdTagLines(tagged({ ...ROUTER_TAGS, 'dtab.local': '/a=>/b', 'http.rsp.status': '200' })), ['router.label: http', 'service: /svc/dog', 'client: /#/io.l5d.fs/dog', 'residual: /', 'dtab.base: /svc=>/#/io.l5d.fs', 'dtab.local: /a=>/b']);
    assert.deepEqual(linkerdTagLines(tagged({ 'namer.path': '/s', 'dst.id': '/c', 'dst.path': '/r', 'dtab.base': '', 'dtab.local': '' })), ['service: /s', 'client: /c', 'residual: /r']);
    assert.deepEqual(linkerdTagLines(tagged({})), []);
    const client = (serviceName: string | undefined, tags: Record<string, string>, kind: Span['kind'] = 'CLIENT') => linkerdTagLines(tagged(tags, { kind, ...(serviceName !== undefined ? { localEndpoint: { serviceName } } : {}) }));
    assert.deepEqual(client('#/a', {}), []);
    assert.deepEqual(client('#/a', { client: '/#/a' }), ['client: /#/a']);
    assert.deepEqual(client('#/a', { 'dst.id': '/#/a' }), []);
    assert.deepEqual(client('#/a', { 'dst.id': '/#/b' }), ['client: /#/b']);
    assert.deepEqual(client(undefined, { 'dst.id': '/' }), []);
    assert.deepEqual(client(undefined, { 'dst.id': '/x' }), ['client: /x']);
    assert.deepEqual(client('web', { 'dst.id': '/web' }), []);
    assert.deepEqual(client('#/a', { 'dst.id': '/#/a' }, 'SERVER'), ['client: /#/a']);
    // No tags at all: the client named by the service alone.
    assert.deepEqual(linkerdTagLines({ traceId: TID, id: sid(1), kind: 'CLIENT', localEndpoint: { serviceName: '#/a' } }), []);
  });

  it('renderTraceText: a heading, a line a span (indented, errors marked), Linkerd\'s tags below, orphans and loops said', () => {
    assert.equal(
      renderTraceText(buildSpanTree(REQUEST)),
      'trace 00000000000000ab  7 spans  3ms  2023-11-14T22:13:20.000Z\n' +
        'http /svc/dog  0.0.0.0/4140  3ms  SERVER\n' +
        '    router.label: http\n' +
        '    service: /svc/dog\n' +
        '    client: /#/io.l5d.fs/dog\n' +
        '    residual: /\n' +
        '    dtab.base: /svc=>/#/io.l5d.fs\n' +
        '  get /  #/io.l5d.fs/dog  1.5ms  CLIENT  ERROR: classified as a failure (503)\n' +
        '    get /  dog  1ms  SERVER (shared)  ERROR: status 503\n' +
        '  get /  #/io.l5d.fs/dog  999µs  CLIENT\n' +
        '      client: /#/io.l5d.fs/dog\n' +
        '      dtab.local: /a=>/b\n' +
        '    (no name)  (no service)  ?  LOCAL\n' +
        'x  svc\\x1b  500µs  PRODUCER  ERROR: bad\\x07  (parent 00000000000000ff is not in the trace)\n' +
        '(no name)  (no service)  ?  LOCAL  (its parent links loop: cut here)\n' +
        '    service: /svc/\\x0a\n',
    );
    assert.equal(renderTraceText(buildSpanTree([zs(1, undefined, { kind: 'CONSUMER', duration: 0 })])), 'trace 00000000000000ab  1 span  ?\n(no name)  (no service)  0µs  CONSUMER\n');
    assert.equal(renderTraceText(buildSpanTree([zs(1, undefined, { timestamp: 0 })])), 'trace 00000000000000ab  1 span  0µs  1970-01-01T00:00:00.000Z\n(no name)  (no service)  ?  LOCAL\n');
    assert.equal(renderTraceText(buildSpanTree([{ traceId: '\u009b', id: sid(1), name: '\u2028', localEndpoint: { serviceName: '' } }])), 'trace \\x9b  1 span  ?\n\\u2028    ?  LOCAL\n');
    assert.equal(renderTraceText(buildSpanTree([])), 'trace: no spans\n');
  });

  it('summarizeTrace: the first root, the earliest start, the root\'s duration, how many spans failed and the first failure as listed', () => {
    assert.deepEqual(summarizeTrace(REQUEST), { traceId: TID, spans: 7, root: { name: 'http /svc/dog', service: '0.0.0.0/4140' }, startUs: START, durationUs: 3000, errors: 3, error: 'bad\u0007' });
    // No root duration: from the earliest start to the latest end; the root with no name or service.
    assert.deepEqual(summarizeTrace([zs(1, undefined, { timestamp: 10 }), zs(2, 1, { timestamp: 5, duration: 20 })]), { traceId: TID, spans: 2, root: {}, startUs: 5, durationUs: 20, errors: 0 });
    assert.deepEqual(summarizeTrace([zs(1, undefined, { timestamp: 10, duration: 0 }), zs(2, 1, { timestamp: 5, duration: 20 })]), { traceId: TID, spans: 2, root: {}, startUs: 5, durationUs: 0, errors: 0 });
    assert.deepEqual(summarizeTrace([zs(1, undefined, { name: '', localEndpoint: { serviceName: '' } })]), { traceId: TID, spans: 1, root: { name: '', service: '' }, errors: 0 });
    assert.deepEqual(summarizeTrace([zs(2, 9, { localEndpoint: { serviceName: 's' }, tags: { 'http.rsp.status': '500' } })]), { traceId: TID, spans: 1, root: { service: 's' }, errors: 1, error: 'status 500' });
    assert.deepEqual(summarizeTrace([]), { traceId: '', spans: 0, errors: 0 });
  });

  it('renderTraceList: a line a trace, `?` for what is not known, errors counted', () => {
    const t = (extra: Partial<TraceSummary>): TraceSummary => ({ traceId: TID, spans: 2, errors: 0, ...extra });
    assert.equal(
      renderTraceList([
        summarizeTrace(REQUEST),
        t({ startUs: 0, durationUs: 1500, root: { name: 'n\n', service: 's\u001b' }, errors: 1, error: 'e\u0007' }),
        t({ spans: 1, errors: 1 }),
        t({ spans: 0, traceId: '\u0085' }),
      ]),
      '00000000000000ab  2023-11-14T22:13:20.000Z  3ms  7 spans  0.0.0.0/4140  http /svc/dog  ERROR (3 spans): bad\\x07\n' +
        '00000000000000ab  1970-01-01T00:00:00.000Z  1.5ms  2 spans  s\\x1b  n\\x0a  ERROR: e\\x07\n' +
        '00000000000000ab  ?  ?  1 span  (no service)  (no name)  ERROR: \n' +
        '\\x85  ?  ?  0 spans  (no service)  (no name)\n',
    );
    assert.equal(renderTraceList([t({ errors: 2, error: 'x' })]), '00000000000000ab  ?  ?  2 spans  (no service)  (no name)  ERROR (2 spans): x\n');
    assert.equal(renderTraceList([]), 'no traces match\n');
  });
});

// ---- trace/view.ts ------------------------------------------------------------------------------

describe('view.ts: waterfall rows', () => {
  it('every field of every row, in display order; the trace\'s start, duration, errors', () => {
    const v = traceView(REQUEST);
    assert.deepEqual(v, {
      traceId: TID,
      spans: 7,
      startUs: START,
      durationUs: 3000,
      errors: 3,
      cut: 0,
      rows: [
        {
          depth: 0,
          id: sid(1),
          name: 'http /svc/dog',
          service: '0.0.0.0/4140',
          kind: 'SERVER',
          offsetUs: 0,
          durationUs: 3000,
          linkerd: { router: 'http', service: '/svc/dog', client: '/#/io.l5d.fs/dog', residual: '/', dtabBase: '/svc=>/#/io.l5d.fs', dtabLocal: '' },
          tags: [
            ['client', '/#/io.l5d.fs/dog'],
            ['dtab.base', '/svc=>/#/io.l5d.fs'],
            ['dtab.local', ''],
            ['residual', '/'],
            ['router.label', 'http'],
            ['service', '/svc/dog'],
          ],
        },
        {
          depth: 1,
          id: sid(2),
          parentId: sid(1),
          name: 'get /',
          service: '#/io.l5d.fs/dog',
          kind: 'CLIENT',
          offsetUs: 100,
          durationUs: 1500,
          failure: 'classified as a failure (503)',
          linkerd: { client: '/#/io.l5d.fs/dog', status: 503, success: 0, failure: 'classified as a failure (503)' },
          tags: [
            ['http.rsp.status', '503'],
            ['l5d.success', '0'],
          ],
        },
        {
          depth: 2,
          id: sid(2),
          parentId: sid(1),
          name: 'get /',
          service: 'dog',
          kind: 'SERVER',
          shared: true,
          offsetUs: 120,
          durationUs: 1000,
          failure: 'status 503',
          linkerd: { status: 503, failure: 'status 503' },
          tags: [['http.rsp.status', '503']],
        },
        {
          depth: 1,
          id: sid(3),
          parentId: sid(1),
          name: 'get /',
          service: '#/io.l5d.fs/dog',
          kind: 'CLIENT',
          offsetUs: 2000,
          durationUs: 999,
          linkerd: { client: '/#/io.l5d.fs/dog', dtabLocal: '/a=>/b' },
          tags: [
            ['client', '/#/io.l5d.fs/dog'],
            ['dtab.local', '/a=>/b'],
          ],
        },
        { depth: 2, id: sid(4), parentId: sid(3), shared: true, linkerd: {}, tags: [] },
        { depth: 0, id: sid(5), parentId: sid(255), name: 'x', service: 'svc\u001b', kind: 'PRODUCER', detached: 'orphan', offsetUs: 50, durationUs: 500, failure: 'bad\u0007', linkerd: { failure: 'bad\u0007' }, tags: [['error', 'bad\u0007']] },
        { depth: 0, id: sid(6), parentId: sid(6), detached: 'cycle', linkerd: { service: '/svc/\n' }, tags: [['service', '/svc/\n']] },
      ],
    });
  });

  it('at most maxRows rows (2000 by default), the rest counted; errors of every span', () => {
    assert.equal(MAX_ROWS, 2000);
    const v = traceView(REQUEST, 2);
    assert.deepEqual(
      [v.rows.map((r) => r.id), v.cut, v.errors, v.spans],
      [[sid(1), sid(2)], 5, 3, 7],
    );
    assert.deepEqual(traceView(REQUEST, 7).cut, 0);
    assert.deepEqual(traceView(REQUEST, 6).cut, 1);
    const many = Array.from({ length: 2001 }, (_, i) => zs(i + 1));
    assert.deepEqual([traceView(many).rows.length, traceView(many).cut], [2000, 1]);
    assert.deepEqual([traceView(many.slice(0, 2000)).rows.length, traceView(many.slice(0, 2000)).cut], [2000, 0]);
  });

  it('no timestamps: no start, duration 0, no offsets; no spans', () => {
    assert.deepEqual(traceView([zs(1, undefined, { duration: 5 })]), { traceId: TID, spans: 1, durationUs: 0, errors: 0, cut: 0, rows: [{ depth: 0, id: sid(1), durationUs: 5, linkerd: {}, tags: [] }] });
    assert.deepEqual(traceView([]), { traceId: '', spans: 0, durationUs: 0, errors: 0, cut: 0, rows: [] });
  });

  it('tags sorted by key (code units), at most 100; long strings cut to 500 characters, numbers as they are', () => {
    assert.equal(MAX_TAGS, 100);
    const tags: Record<string, string> = {};
    for (let i = 100; i >= 0; i--) tags[`t${String(i).padStart(3, '0')}`] = String(i);
    const [row] = traceView([tagged(tags)]).rows;
    assert.equal(row!.tags.length, 100);
    assert.deepEqual(row!.tags[0], ['t000', '0']);
    assert.deepEqual(row!.tags[99], ['t099', '99']);
    assert.deepEqual(traceView([tagged({ b: '1', B: '2', a: '3', '': '4', 'a.b': '5' })]).rows[0]!.tags, [
      ['', '4'],
      ['B', '2'],
      ['a', '3'],
      ['a.b', '5'],
      ['b', '1'],
    ]);
    const long = 'l'.repeat(501);
    const exact = 'e'.repeat(500);
    const cutLong = `${'l'.repeat(500)}…`;
    const v = traceView([tagged({ [long]: exact, k: long, service: long, residual: exact, 'http.rsp.status': '500', 'l5d.success': '1', error: long }, { name: long, localEndpoint: { serviceName: long } })]);
    assert.deepEqual(v.rows[0], {
      depth: 0,
      id: sid(1),
      name: cutLong,
      service: cutLong,
      failure: cutLong,
      linkerd: { service: cutLong, residual: exact, status: 500, success: 1, failure: cutLong },
      tags: [
        ['error', cutLong],
        ['http.rsp.status', '500'],
        ['k', cutLong],
        ['l5d.success', '1'],
        [cutLong, exact],
        ['residual', exact],
        ['service', cutLong],
      ],
    });
    assert.deepEqual(traceView([tagged({}, { name: exact, localEndpoint: { serviceName: exact } })]).rows[0], { depth: 0, id: sid(1), name: exact, service: exact, linkerd: {}, tags: [] });
  });
});
