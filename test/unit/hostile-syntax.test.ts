// Hostile input (issue 8): deep nesting, megabyte lines, documents of nothing but errors. The
// parser, printer, formatter and checker must neither throw, nor hang, nor copy the document per
// error. Work is bounded by counting what comes back, never by the clock.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkDtab,
  checkDtabText,
  copyDiagnostic,
  DtabSyntaxError,
  evaluate,
  finagleMessage,
  finagleText,
  formatDtab,
  leaves,
  locate,
  lowerDtab,
  lowerTree,
  MAX_NESTING,
  MAX_REPORTED_ERRORS,
  parseDtab,
  parseTree,
  showDtab,
  showPathTree,
  simplify,
  type DentrySyntax,
} from '../../core/index.js';

const MB = 1 << 20;
const spanOf = (s: { start: number; end: number }) => ({ start: s.start, end: s.end });

describe('nesting', () => {
  const NESTING_PLAIN =
    'Parentheses nested more than 100 deep: this tool stops reading here. Remove redundant parentheses (`((/a))` is just `/a`).';
  const NESTING_FINAGLE =
    "(no Finagle message: Finagle has no nesting limit; its recursive parser fails with java.lang.StackOverflowError once the nesting outgrows the JVM thread's stack)";

  it('stops at the `(` that goes more than MAX_NESTING deep, and recovers at the next dentry', () => {
    assert.equal(MAX_NESTING, 100);
    const src = '/a=>' + '('.repeat(2000) + '/b' + ')'.repeat(2000) + ';/c=>/d';
    const s = parseDtab(src);
    assert.equal(s.errors.length, 1);
    const e = s.errors[0]!;
    assert.equal(e.code, 'nesting-too-deep');
    assert.deepEqual(spanOf(e.span), { start: 104, end: 105 }, 'the 101st `(`');
    assert.equal(e.index, 104);
    assert.equal(e.plain, NESTING_PLAIN);
    assert.equal(e.finagleMessage, NESTING_FINAGLE);
    assert.deepEqual(
      s.entries.map((x) => [x.kind, x.start, x.end]),
      [
        ['broken', 0, 4006],
        ['dentry', 4007, 4013],
      ],
    );
    assert.deepEqual(spanOf(s.entries[0]!.semicolon!), { start: 4006, end: 4007 });
    assert.equal(showDtab(lowerDtab(s)), '/c=>/d');
    assert.equal(formatDtab(s), undefined);
    const d = checkDtab(s);
    assert.deepEqual(
      d.map((x) => [x.code, x.span, x.message, x.finagleMessage]),
      [['nesting-too-deep', { start: 104, end: 105 }, NESTING_PLAIN, NESTING_FINAGLE]],
    );
  });

  it('accepts exactly MAX_NESTING levels, and prints and formats them', () => {
    const src = '/a=>' + '('.repeat(MAX_NESTING) + '/b' + ')'.repeat(MAX_NESTING);
    const s = parseDtab(src);
    assert.equal(s.errors.length, 0);
    assert.equal(formatDtab(s), '/a  => ' + '('.repeat(MAX_NESTING) + '/b' + ')'.repeat(MAX_NESTING) + ' ;\n');
    assert.equal(showDtab(lowerDtab(s)), '/a=>/b');
    const r = parseTree('('.repeat(MAX_NESTING + 1) + '/b' + ')'.repeat(MAX_NESTING + 1));
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.equal(r.error.code, 'nesting-too-deep');
      assert.deepEqual(spanOf(r.error.span), { start: MAX_NESTING, end: MAX_NESTING + 1 });
    }
  });

  it('counts the open parentheses of each dentry afresh after an error', () => {
    // The first dentry breaks inside 60 open parentheses; the second opens 60 more of its own.
    const deep = '('.repeat(60);
    const src = `/a=>${deep}/b /c;\n/d=>${deep}/e${')'.repeat(60)}`;
    const s = parseDtab(src);
    assert.deepEqual(
      s.errors.map((e) => e.code),
      ['expected-close-paren'],
    );
    assert.deepEqual(
      s.entries.map((e) => e.kind),
      ['broken', 'dentry'],
    );
  });

  it('prints, lowers, simplifies, evaluates and locates the deepest mixed tree it accepts', () => {
    let tree = '/x';
    for (let k = 0; k < MAX_NESTING; k++) tree = `(/a${k} | 2 * ${tree} & /b)`;
    const src = `/p=>${tree}`;
    const s = parseDtab(src);
    assert.equal(s.errors.length, 0);
    const dst = (s.entries[0] as DentrySyntax).dst;
    assert.equal(leaves(dst).length, 2 * MAX_NESTING + 1);
    const model = lowerTree(dst);
    assert.equal(evaluate(model)!.size, 1, 'the first alternative of the outermost group: /a99');
    assert.equal(showPathTree(simplify(model)), showPathTree(model));
    const shown = showDtab(lowerDtab(s));
    assert.equal(shown.split('(').length - 1, MAX_NESTING - 1, 'show drops the outermost parentheses only');
    assert.equal(parseDtab(shown).errors.length, 0);
    const formatted = formatDtab(s)!;
    assert.equal(formatted.split('(').length - 1, MAX_NESTING);
    // The innermost leaf, /x: every level adds group, alt and union to the chain of nodes.
    const chain = locate(s, src.indexOf('/x') + 1);
    assert.equal(chain.filter((l) => l.kind === 'tree').length, 3 * MAX_NESTING + 1);
    assert.equal(chain[chain.length - 1]!.kind, 'label');
    assert.equal(checkDtab(s).length, 0);
  });

  it('survives 100k levels and a megabyte of `(` without a RangeError', () => {
    for (const src of ['/a=>' + '('.repeat(100_000) + '/b' + ')'.repeat(100_000), '/a=>' + '('.repeat(MB)]) {
      const s = parseDtab(src);
      assert.deepEqual(
        s.errors.map((e) => [e.code, e.span.start]),
        [['nesting-too-deep', 4 + MAX_NESTING]],
      );
      assert.equal(s.entries.length, 1);
      assert.equal(checkDtab(s).length, 1);
      assert.equal(formatDtab(s), undefined);
      assert.equal(showDtab(lowerDtab(s)), '');
      const t = parseTree(src.slice(4));
      assert.equal(t.ok ? 'ok' : t.error.code, 'nesting-too-deep');
    }
  });
});

describe('megabyte lines', () => {
  it('reads a label of a megabyte of escapes (no spread of its bytes into one call)', () => {
    const s = parseDtab('/a=>/' + '\\x41'.repeat(MB / 4));
    assert.equal(s.errors.length, 0);
    const d = s.entries[0] as DentrySyntax;
    assert.equal(d.dst.kind, 'leaf');
    if (d.dst.kind === 'leaf') assert.equal(d.dst.path.labels[0]!.value, 'A'.repeat(MB / 4));
    assert.equal(showDtab(lowerDtab(s)), '/a=>/' + 'A'.repeat(MB / 4));
    assert.equal(formatDtab(s)!.length, 5 + MB + 3 + 1 + 2);
  });

  it('recovers after a label of 8 MB without overflowing (the dentry-head scan is not a regexp)', () => {
    const src = '/a=>/b /' + 'a'.repeat(8 * MB) + ';/c=>/d';
    const s = parseDtab(src);
    assert.deepEqual(
      s.errors.map((e) => [e.code, e.span.start]),
      [['expected-end', 7]],
    );
    assert.deepEqual(
      s.entries.map((e) => [e.kind, e.start, e.end]),
      [
        ['dentry', 0, 6],
        ['broken', 7, 8 * MB + 8],
        ['dentry', 8 * MB + 9, 8 * MB + 15],
      ],
    );
    assert.equal(checkDtab(s).length, 1);
  });

  it('formats a megabyte line of dentries with a comment at its end in one pass', () => {
    const n = 150_000;
    const s = parseDtab('/a=>/b;'.repeat(n) + '#c');
    assert.equal(s.entries.length, n);
    const lines = formatDtab(s)!.split('\n');
    assert.equal(lines.length, n + 1);
    assert.equal(lines[0], '/a  => /b ;');
    assert.equal(lines[n - 1], '/a  => /b ;  #c');
  });
});

describe("Finagle's message, lazily and elided", () => {
  it('does not copy the whole text into each diagnostic', () => {
    const src = ';'.repeat(5000);
    const s = parseDtab(src);
    const d = checkDtab(s);
    assert.equal(d.length, MAX_REPORTED_ERRORS + 1);
    const first = d[0]!;
    // A getter: the message (5 kB here, a megabyte for a megabyte) is built only when read.
    const desc = Object.getOwnPropertyDescriptor(first, 'finagleMessage')!;
    assert.equal(typeof desc.get, 'function');
    assert.equal(desc.enumerable, true);
    assert.equal(first.finagleMessage, finagleMessage(src, 0, "'/'", 0x3b));
    assert.equal(first.finagleMessage, s.errors[0]!.finagleMessage);
    assert.equal(finagleText(first), first.finagleMessage);
    // A copy made by spreading keeps the exact text; copyDiagnostic keeps it lazy.
    assert.equal({ ...first }.finagleMessage, first.finagleMessage);
    const moved = copyDiagnostic(first, { span: { start: 10, end: 11 } });
    assert.deepEqual([moved.span, moved.code, moved.message], [{ start: 10, end: 11 }, first.code, first.message]);
    assert.equal(typeof Object.getOwnPropertyDescriptor(moved, 'finagleMessage')!.get, 'function');
    assert.equal(moved.finagleMessage, first.finagleMessage);
    assert.equal(finagleText(moved, 4), "'/' expected but ';' found at '[;];;;…'");
    assert.deepEqual(first.span, { start: 0, end: 1 }, 'the original is unchanged');
  });

  it('cuts the quote to 200 characters around the error', () => {
    const src = ';'.repeat(5000);
    const s = parseDtab(src);
    const d = checkDtab(s);
    const head = "'/' expected but ';' found at '";
    assert.equal(d[0]!.finagleMessageShort, `${head}[;]${';'.repeat(199)}…'`);
    assert.equal(s.errors[0]!.elidedFinagleMessage(), d[0]!.finagleMessageShort);
    assert.equal(d[500]!.finagleMessageShort, `${head}…${';'.repeat(100)}[;]${';'.repeat(99)}…'`);
    assert.equal(finagleText(d[500]!, 10), `${head}…${';'.repeat(5)}[;]${';'.repeat(4)}…'`);
    // At the end of the input: the last characters, then `[]`.
    const atEnd = parseDtab('/a=>' + ' '.repeat(1000));
    assert.equal(atEnd.errors[0]!.finagleMessageShort, `simple expected but end of input found at '…${' '.repeat(200)}[]'`);
    // Short inputs are quoted whole.
    const short = parseDtab('/a=>/b /c=>/d');
    assert.equal(short.errors[0]!.finagleMessageShort, short.errors[0]!.finagleMessage);
    assert.equal(short.errors[0]!.finagleMessageShort, "end of input expected but '/' found at '/a=>/b [/]c=>/d'");
  });

  it('never cuts a surrogate pair in two', () => {
    const src = 'x' + '\u{1f600}'.repeat(300);
    const e = parseDtab(src).errors[0]!;
    assert.equal(e.finagleMessageShort, `'/' expected but 'x' found at '[x]${'\u{1f600}'.repeat(99)}…'`);
  });

  it('cuts a long NumberFormatException message too', () => {
    const r = parseTree('\u0663'.repeat(1000) + ' * /a & /b');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.finagleMessage, `For input string: "${'\u0663'.repeat(1000)}"`);
    assert.equal(r.error.finagleMessageShort, `For input string: "${'\u0663'.repeat(201)}…`);
  });

  it('makes syntax errors without stack traces, still as Errors', () => {
    const e = parseDtab(';').errors[0]!;
    assert.ok(e instanceof DtabSyntaxError);
    assert.ok(e instanceof Error);
    assert.equal(e.stack, undefined);
    assert.equal(e.name, 'DtabSyntaxError');
    assert.equal(e.message, 'Empty dentry: remove the extra `;`.');
    assert.equal(String(e), 'DtabSyntaxError: Empty dentry: remove the extra `;`.');
  });
});

describe('error recovery on a megabyte of errors', () => {
  it('a megabyte of `;`: one broken entry and one error each, the first 1000 listed', () => {
    const s = parseDtab(';'.repeat(MB));
    assert.equal(s.entries.length, MB);
    assert.equal(s.errors.length, MB);
    const last = s.entries[MB - 1]!;
    assert.deepEqual([last.kind, last.start, last.end, spanOf(last.semicolon!)], ['broken', MB - 1, MB, { start: MB - 1, end: MB }]);
    const d = checkDtab(s);
    assert.equal(d.length, MAX_REPORTED_ERRORS + 1);
    assert.ok(d.slice(0, MAX_REPORTED_ERRORS).every((x, i) => x.code === 'expected-slash' && x.span.start === i));
    const more = d[MAX_REPORTED_ERRORS]!;
    assert.deepEqual([more.code, more.severity, more.span], ['too-many-errors', 'error', { start: 1000, end: 1001 }]);
    assert.equal(more.message, `${MB - 1000} more errors from here on are not listed: only the first 1000 errors of a dtab are.`);
    assert.equal(more.finagleMessage, undefined);
  });

  it('a megabyte of broken lines: one error a line, at the right place', () => {
    const n = MB / 8;
    const s = parseDtab('/a => x\n'.repeat(n));
    assert.equal(s.errors.length, n);
    assert.equal(s.entries.length, n);
    assert.ok(s.errors.every((e, i) => e.code === 'expected-term' && e.span.start === 8 * i + 6 && e.span.end === 8 * i + 7));
    assert.ok(s.entries.every((e, i) => e.kind === 'broken' && e.start === 8 * i && e.end === 8 * i + 7 && e.prefix !== undefined));
    assert.equal(checkDtab(s).length, MAX_REPORTED_ERRORS + 1);
  });

  it('many `/;` and `/a=>;`: one error each', () => {
    const a = parseDtab('/;'.repeat(MB / 8));
    assert.equal(a.errors.length, MB / 8);
    assert.ok(a.errors.every((e, i) => e.code === 'expected-arrow' && e.span.start === 2 * i + 1));
    const b = parseDtab('/a=>;'.repeat(MB / 16));
    assert.equal(b.errors.length, MB / 16);
    assert.ok(b.errors.every((e, i) => e.code === 'expected-term' && e.span.start === 5 * i + 4));
  });

  it('names the line of each unclosed `(` (lines counted once, not from the top per error)', () => {
    const n = 50_000;
    const s = parseDtab('/a=>(/b\n'.repeat(n));
    assert.equal(s.errors.length, n);
    assert.equal(s.errors[0]!.plain, 'Missing `)` to close the `(` on line 1; found `/`.');
    assert.equal(s.errors[n - 2]!.plain, `Missing \`)\` to close the \`(\` on line ${n - 1}; found \`/\`.`);
    assert.equal(s.errors[n - 1]!.plain, `Missing \`)\` to close the \`(\` on line ${n}; found the end of the text.`);
  });

  it('caps look-alike characters with the syntax errors', () => {
    const src = '/a => /b' + '\u00a0'.repeat(MB);
    const d = checkDtabText(src).diagnostics;
    assert.equal(d.length, MAX_REPORTED_ERRORS + 1);
    assert.equal(d[0]!.code, 'expected-end');
    assert.equal(d[0]!.fixes!.length, 1, 'the look-alike that causes the error gives it its fix');
    assert.deepEqual(d[1]!.span, { start: 9, end: 10 });
    assert.equal(d[1]!.code, 'lookalike-character');
    assert.deepEqual([d[1000]!.code, d[1000]!.span], ['too-many-errors', { start: 1008, end: 1009 }]);
  });

  it('finds duplicates among many dentries with one prefix by text, not by comparing each pair', () => {
    const n = 40_000;
    const lines = Array.from({ length: n }, (_, i) => `/a=>/b${i};`);
    lines.push('/a => /b7 ;');
    const src = lines.join('\n');
    const d = checkDtabText(src).diagnostics;
    assert.deepEqual(
      d.map((x) => [x.code, src.slice(x.span.start, x.span.end), x.related!.map((r) => src.slice(r.span.start, r.span.end))]),
      [['duplicate-dentry', '/a => /b7', ['/a=>/b7']]],
    );
  });
});

describe('weights namerd would store differently', () => {
  const diags = (src: string) =>
    checkDtabText(src).diagnostics.map((d) => ({ code: d.code, span: d.span, message: d.message, fixes: d.fixes }));

  it('shows a weight too large for a double as Infinity, as Finagle does, and warns', () => {
    const src = '/a=>' + '9'.repeat(309) + '*/b & /c';
    assert.equal(showDtab(lowerDtab(parseDtab(src))), '/a=>Infinity*/b & /c');
    assert.deepEqual(diags(src), [
      {
        code: 'weight-not-finite',
        span: { start: 4, end: 313 },
        message:
          'This weight is too large for a double: Finagle reads it as Infinity, and namerd will store this weight as `Infinity`, which does not parse back (the stored dtab is invalid).',
        fixes: undefined,
      },
    ]);
  });

  it('warns on weights that print with other digits, with a fix to the printed value', () => {
    const src = '/a=>1.001*/b & /c';
    assert.equal(showDtab(lowerDtab(parseDtab(src))), '/a=>1.00*/b & /c');
    assert.deepEqual(diags(src), [
      {
        code: 'weight-precision',
        span: { start: 4, end: 9 },
        message: 'namerd will store this weight as `1.00`: Finagle prints weights with two decimals.',
        fixes: [{ title: 'Write the weight as namerd will store it (`1.00`)', edits: [{ span: { start: 4, end: 9 }, text: '1.00' }] }],
      },
    ]);
    assert.deepEqual(
      diags('/a => 0.125 * /b & 2 * (/c & 0.5 * /d)').map((d) => [d.code, d.span, d.fixes?.[0]?.edits[0]?.text]),
      [['weight-precision', { start: 6, end: 11 }, '0.13']],
    );
  });

  it('says when the printed weight is 0, without a fix', () => {
    assert.deepEqual(diags('/a=>0.004*/b & /c'), [
      {
        code: 'weight-precision',
        span: { start: 4, end: 9 },
        message: 'namerd will store this weight as `0.00`: Finagle prints weights with two decimals, so this branch would then receive no traffic.',
        fixes: undefined,
      },
    ]);
  });

  it('leaves weights alone that print as the same number, and weights outside unions to their own warning', () => {
    assert.deepEqual(diags('/a=>0.5*/b & 1.0*/c & 1.00000000000000000001*/d & 00.250*/e & 2.*/f & .75*/g'), []);
    assert.deepEqual(
      diags('/a => 1.001 * /b').map((d) => d.code),
      ['weight-outside-union'],
    );
  });
});
