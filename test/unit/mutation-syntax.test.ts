// Exact values for core/syntax (and the syntax side of core/check): every syntax error code with its
// plain message, its full span and Finagle's message, in every context that words it differently.
// Written so that a mutant of a message, an offset or a branch fails a test (npm run mutation).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDtabText, DtabSyntaxError, finagleText, parseDentry, parseDtab, parsePath, parsePrefix, parseTree } from '../../core/index.js';
import { charAdvice, clip, describeChar, elidedFinagleMessage, hex4, SYNTAX_ERROR_CODES, withArticle } from '../../core/syntax/errors.js';
import { EOI } from '../../core/syntax/chars.js';

type Fix = [title: string, ...edits: [number, number, string][]];
/** [text, code, start, end, plain message, Finagle's message (empty: none), fixes] for each diagnostic checkDtabText gives. */
type Row = [string, string, number, number, string, string, Fix[]?];

const DTAB: Row[] = [
  ["a => /b", "expected-slash", 0, 1, "Expected a dentry (`/prefix => destination`), found `a`.", "'/' expected but 'a' found at '[a] => /b'"],
  [";", "expected-slash", 0, 1, "Empty dentry: remove the extra `;`.", "'/' expected but ';' found at '[;]'"],
  ["/a /b", "expected-arrow", 3, 4, "Expected `=>` after the prefix `/a`, found `/`.", "'=' expected but '/' found at '/a [/]b'"],
  ["/a = > /b", "split-arrow", 4, 5, "Expected `>` right after `=`: write `=>` with nothing between; found a space.", "'>' expected but ' ' found at '/a =[ ]> /b'"],
  ["/a =\n> /b", "split-arrow", 4, 5, "Expected `>` right after `=`: write `=>` with nothing between; found a line break.", "'>' expected but '\n' found at '/a =[\n]> /b'"],
  ["/a =\r> /b", "split-arrow", 4, 5, "Expected `>` right after `=`: write `=>` with nothing between; found a carriage return.", "'>' expected but '\r' found at '/a =[\r]> /b'"],
  ["/a =\t> /b", "split-arrow", 4, 5, "Expected `>` right after `=`: write `=>` with nothing between; found a tab.", "'>' expected but '\t' found at '/a =[\t]> /b'"],
  ["/a =\u0001> /b", "split-arrow", 4, 5, "Expected `>` right after `=`: write `=>` with nothing between; found the control character U+0001.", "'>' expected but '\u0001' found at '/a =[\u0001]> /b'"],
  ["/a => /b", "split-arrow", 4, 5, "Expected `>` right after `=`: write `=>` with nothing between; found the control character U+007F.", "'>' expected but '' found at '/a =[]> /b'"],
  ["/a =é> /b", "split-arrow", 4, 5, "Expected `>` right after `=`: write `=>` with nothing between; found `é` (U+00E9).", "'>' expected but 'é' found at '/a =[é]> /b'"],
  ["/a =–> /b", "split-arrow", 4, 5, "Expected `>` right after `=`: write `=>` with nothing between; found an en dash (U+2013).", "'>' expected but '–' found at '/a =[–]> /b'", [["Replace the en dash (U+2013) with `-`", [4, 5, "-"]]]],
  ["/a =", "split-arrow", 4, 4, "Expected `>` right after `=`: write `=>` with nothing between; found the end of the text.", "'>' expected but end of input found at '/a =[]'"],
  ["/a", "expected-arrow", 2, 2, "Expected `=>` after the prefix `/a`, found the end of the text.", "'=' expected but end of input found at '/a[]'"],
  ["/a* => /b", "expected-arrow", 2, 3, "`*` must be a whole label in a prefix (`/a/*/b`); found `*`.", "'=' expected but '*' found at '/a[*] => /b'"],
  ["/a/b* => /c", "expected-arrow", 4, 5, "`*` must be a whole label in a prefix (`/a/*/b`); found `*`.", "'=' expected but '*' found at '/a/b[*] => /c'"],
  ["/a => (/b", "expected-close-paren", 9, 9, "Missing `)` to close the `(` on line 1; found the end of the text.", "')' expected but end of input found at '/a => (/b[]'"],
  ["(/a", "expected-slash", 0, 1, "Expected a dentry (`/prefix => destination`), found `(`.", "'/' expected but '(' found at '[(]/a'"],
  ["/a => ((/b)\n", "expected-close-paren", 12, 12, "Missing `)` to close the `(` on line 1; found the end of the text.", "')' expected but end of input found at '/a => ((/b)\n[]'"],
  ["/a => (\n(/b | /c)", "expected-close-paren", 17, 17, "Missing `)` to close the `(` on line 1; found the end of the text.", "')' expected but end of input found at '/a => (\n(/b | /c)[]'"],
  ["/a => (/b;", "expected-close-paren", 9, 10, "Missing `)` to close the `(` on line 1; found `;`.", "')' expected but ';' found at '/a => (/b[;]'"],
  ["/a => (/b​)", "expected-close-paren", 9, 10, "Missing `)` to close the `(` on line 1; found a zero-width space (U+200B). It is invisible: delete it.", "')' expected but '​' found at '/a => (/b[​])'", [["Delete the zero-width space (U+200B)", [9, 10, ""]]]],
  ["/a => /b & 0.5 /c", "expected-star", 15, 16, "A weight must be followed by `*` and a term (`0.5 * /svc`); found `/`.", "'*' expected but '/' found at '/a => /b & 0.5 [/]c'"],
  ["/a => 1e * /b", "expected-star", 7, 8, "A weight must be followed by `*` and a term (`1 * /svc`); found `e`.", "'*' expected but 'e' found at '/a => 1[e] * /b'"],
  ["/a => 0.25x * /b", "expected-star", 10, 11, "A weight must be followed by `*` and a term (`0.25 * /svc`); found `x`.", "'*' expected but 'x' found at '/a => 0.25[x] * /b'"],
  ["/a => 11111111111111111111111111111111111111111111111111111111111111111111111111111111 /b", "expected-star", 87, 88, "A weight must be followed by `*` and a term (`11111111111111111111111111111…11111111111111111111111111111 * /svc`); found `/`.", "'*' expected but '/' found at '/a => 11111111111111111111111111111111111111111111111111111111111111111111111111111111 [/]b'"],
  ["/a => /\\y41", "expected-x", 8, 9, "`\\` starts an escape, which must be `\\x` and two hex digits (lower-case x); found `y`.", "'x' expected but 'y' found at '/a => /\\[y]41'"],
  ["/a => /\\X41", "expected-x", 8, 9, "`\\` starts an escape, which must be `\\x` and two hex digits (lower-case x); found `X`.", "'x' expected but 'X' found at '/a => /\\[X]41'"],
  ["/a => /\\", "expected-x", 8, 8, "`\\` starts an escape, which must be `\\x` and two hex digits (lower-case x); found the end of the text.", "'x' expected but end of input found at '/a => /\\[]'"],
  ["/a => /\\xZZ", "expected-hex", 9, 10, "An escape is `\\x` and exactly two hex digits (0-9, a-f); found `Z`.", "hex char expected but 'Z' found at '/a => /\\x[Z]Z'"],
  ["/a => /\\x4", "expected-hex", 10, 10, "An escape is `\\x` and exactly two hex digits (0-9, a-f); found the end of the text.", "hex char expected but end of input found at '/a => /\\x4[]'"],
  ["/a => /\\x4g", "expected-hex", 10, 11, "An escape is `\\x` and exactly two hex digits (0-9, a-f); found `g`.", "hex char expected but 'g' found at '/a => /\\x4[g]'"],
  ["/a => /\\x41\\xzz", "expected-hex", 13, 14, "An escape is `\\x` and exactly two hex digits (0-9, a-f); found `z`.", "hex char expected but 'z' found at '/a => /\\x41\\x[z]z'"],
  ["/a => /b/", "expected-label", 9, 9, "A path cannot end with `/`: remove the trailing `/`.", "label char expected but end of input found at '/a => /b/[]'"],
  ["/a => /b/;", "expected-label", 9, 10, "A path cannot end with `/`: remove the trailing `/`.", "label char expected but ';' found at '/a => /b/[;]'"],
  ["/a => /b/ ", "expected-label", 9, 10, "A path cannot end with `/`: remove the trailing `/`.", "label char expected but ' ' found at '/a => /b/[ ]'"],
  ["/a => /b//c", "expected-label", 9, 10, "Empty label: `//` is not allowed in a path.", "label char expected but '/' found at '/a => /b/[/]c'"],
  ["/a => /b/*", "expected-label", 9, 10, "`*` is only allowed in a dentry prefix (left of `=>`), as a whole label.", "label char expected but '*' found at '/a => /b/[*]'"],
  ["/a/ => /b", "expected-label", 3, 4, "A path cannot end with `/`: remove the trailing `/`.", "label char expected but ' ' found at '/a/[ ]=> /b'"],
  ["/a//b => /c", "expected-label", 3, 4, "Empty label: `//` is not allowed in a path.", "label char expected but '/' found at '/a/[/]b => /c'"],
  ["/a/*b => /c", "expected-arrow", 4, 5, "`*` must be a whole label in a prefix (`/a/*/b`); found `b`.", "'=' expected but 'b' found at '/a/*[b] => /c'"],
  ["/a => /b/–", "expected-label", 9, 10, "Expected a label after `/`, found an en dash (U+2013). It looks like `-` but is not: type a plain `-`.", "label char expected but '–' found at '/a => /b/[–]'", [["Replace the en dash (U+2013) with `-`", [9, 10, "-"]]]],
  ["/a => /b/é", "expected-label", 9, 10, "Expected a label after `/`, found `é` (U+00E9). Labels are ASCII: write other characters as their UTF-8 bytes (\\xc3\\xa9).", "label char expected but 'é' found at '/a => /b/[é]'"],
  ["/a => ", "expected-term", 6, 6, "Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text.", "simple expected but end of input found at '/a => []'"],
  ["/a => ;", "expected-term", 6, 7, "Expected a destination before `;`.", "simple expected but ';' found at '/a => [;]'"],
  ["/a => | /b", "expected-term", 6, 7, "`|` needs a term on both sides; found it with none before it.", "simple expected but '|' found at '/a => [|] /b'"],
  ["/a => & /b", "expected-term", 6, 7, "`&` needs a term on both sides; found it with none before it.", "simple expected but '&' found at '/a => [&] /b'"],
  ["/a => /b | ", "expected-term", 11, 11, "Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text.", "simple expected but end of input found at '/a => /b | []'"],
  ["/a => -1 * /b", "expected-term", 6, 7, "Expected a destination here (a path, `~`, `!`, `$` or `(`), found `-`.", "simple expected but '-' found at '/a => [-]1 * /b'"],
  ["/a => “/b", "expected-term", 6, 7, "Expected a destination here (a path, `~`, `!`, `$` or `(`), found `“` (U+201C). Labels are ASCII: write other characters as their UTF-8 bytes (\\xe2\\x80\\x9c).", "simple expected but '“' found at '/a => [“]/b'"],
  ["/a => é", "expected-term", 6, 7, "Expected a destination here (a path, `~`, `!`, `$` or `(`), found `é` (U+00E9). Labels are ASCII: write other characters as their UTF-8 bytes (\\xc3\\xa9).", "simple expected but 'é' found at '/a => [é]'"],
  ["/a => 1.2.3 * /b", "number-char", 9, 10, "A weight has at most one `.`.", "number char expected but '.' found at '/a => 1.2[.]3 * /b'"],
  ["/a => . * /b", "lone-dot-weight", 6, 7, "`.` alone is not a weight: write a number such as `0.5`.", "weight expected but '.' found at '/a => .[ ]* /b'"],
  ["/a => .", "lone-dot-weight", 6, 7, "`.` alone is not a weight: write a number such as `0.5`.", "weight expected but '.' found at '/a => .[]'"],
  ["/a => ١ * /b", "number-format", 6, 7, "`١` is not a number: weights use the ASCII digits 0-9.", "For input string: \"١\""],
  ["/a => 1٢ * /b & /c", "number-format", 6, 8, "`1٢` is not a number: weights use the ASCII digits 0-9.", "For input string: \"1٢\""],
  ["/a => /b /c", "expected-end", 9, 10, "Missing `;` between dentries: dentries are separated by `;`, not by new lines.", "end of input expected but '/' found at '/a => /b [/]c'"],
  ["/a => /b\n/c => /d", "expected-end", 9, 10, "Missing `;` between dentries: dentries are separated by `;`, not by new lines.", "end of input expected but '/' found at '/a => /b\n[/]c => /d'"],
  ["/a => /b,/c => /d", "expected-end", 8, 9, "Dentries are separated by `;`, not `,`.", "end of input expected but ',' found at '/a => /b[,]/c => /d'"],
  ["/a => /b)", "expected-end", 8, 9, "Unmatched `)`.", "end of input expected but ')' found at '/a => /b[)]'"],
  ["/a => /b​;", "expected-end", 8, 9, "Expected `;` or the end of the text after the dentry, found a zero-width space (U+200B). It is invisible: delete it.", "end of input expected but '​' found at '/a => /b[​];'", [["Delete the zero-width space (U+200B)", [8, 9, ""]]]],
  ["/a => /é", "expected-end", 7, 8, "Expected `;` or the end of the text after the dentry, found `é` (U+00E9). Labels are ASCII: write other characters as their UTF-8 bytes (\\xc3\\xa9).", "end of input expected but 'é' found at '/a => /[é]'"],
  ["/a => /b x", "expected-end", 9, 10, "Expected `;` or the end of the text after the dentry, found `x`.", "end of input expected but 'x' found at '/a => /b [x]'"],
  ["/a => (((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((/b)))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))))", "nesting-too-deep", 106, 107, "Parentheses nested more than 100 deep: this tool stops reading here. Remove redundant parentheses (`((/a))` is just `/a`).", "(no Finagle message: Finagle has no nesting limit; its recursive parser fails with java.lang.StackOverflowError once the nesting outgrows the JVM thread's stack)"],
  ["/a => /b /c–d;/e => /f", "expected-end", 9, 10, "Missing `;` between dentries: dentries are separated by `;`, not by new lines.", "end of input expected but '/' found at '/a => /b [/]c–d;/e => /f'"],
  ["/a => /b /c–d;/e => /f", "lookalike-character", 11, 12, "This is an en dash (U+2013), not `-`: Finagle rejects it.", "", [["Replace the en dash (U+2013) with `-`", [11, 12, "-"]]]],
  ["/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx /b", "expected-arrow", 72, 73, "Expected `=>` after the prefix `/xxxxxxxxxxxxxxxxxxxxxxxxxxxx…xxxxxxxxxxxxxxxxxxxxxxxxxxxxx`, found `/`.", "'=' expected but '/' found at '/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx [/]b'"],
];

/** [context, text, code, start, end, plain, Finagle's] (undefined: parses). */
type CtxRow = [string, string, string?, number?, number?, string?, string?];
const CONTEXTS: CtxRow[] = [
  ["path", "/a/b;", "expected-end", 4, 5, "Expected the end of the path, found `;`.", "end of input expected but ';' found at '/a/b[;]'"],
  ["path", "/a)", "expected-end", 2, 3, "Unmatched `)`.", "end of input expected but ')' found at '/a[)]'"],
  ["path", "/a /b", "expected-end", 3, 4, "Expected the end of the path, found `/`.", "end of input expected but '/' found at '/a [/]b'"],
  ["path", "a", "expected-slash", 0, 1, "A path starts with `/`; found `a`.", "'/' expected but 'a' found at '[a]'"],
  ["path", "/a/*", "expected-label", 3, 4, "`*` is only allowed in a dentry prefix (left of `=>`), as a whole label.", "label char expected but '*' found at '/a/[*]'"],
  ["path", "/a/b/", "expected-label", 5, 5, "A path cannot end with `/`: remove the trailing `/`.", "label char expected but end of input found at '/a/b/[]'"],
  ["prefix", "/a/*"],
  ["prefix", "/a/*;", "expected-end", 4, 5, "Expected the end of the prefix, found `;`.", "end of input expected but ';' found at '/a/*[;]'"],
  ["prefix", "/a)", "expected-end", 2, 3, "Unmatched `)`.", "end of input expected but ')' found at '/a[)]'"],
  ["prefix", "/a/b*", "expected-end", 4, 5, "Expected the end of the prefix, found `*`.", "end of input expected but '*' found at '/a/b[*]'"],
  ["prefix", "/a/b/c x", "expected-end", 7, 8, "Expected the end of the prefix, found `x`.", "end of input expected but 'x' found at '/a/b/c [x]'"],
  ["tree", "/a | /b"],
  ["tree", "/a)", "expected-end", 2, 3, "Unmatched `)`.", "end of input expected but ')' found at '/a[)]'"],
  ["tree", "/a;", "expected-end", 2, 3, "Expected the end of the destination, found `;`.", "end of input expected but ';' found at '/a[;]'"],
  ["tree", "/a & 0.5 * /b x", "expected-end", 14, 15, "Expected the end of the destination, found `x`.", "end of input expected but 'x' found at '/a & 0.5 * /b [x]'"],
  ["tree", "", "expected-term", 0, 0, "Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text.", "simple expected but end of input found at '[]'"],
  ["dentry", "/a => /b;", "expected-end", 8, 9, "A single dentry cannot end with `;`.", "end of input expected but ';' found at '/a => /b[;]'"],
  ["dentry", "/a => /b)", "expected-end", 8, 9, "Unmatched `)`.", "end of input expected but ')' found at '/a => /b[)]'"],
  ["dentry", "/a => /b /c", "expected-end", 9, 10, "Expected the end of the dentry, found `/`.", "end of input expected but '/' found at '/a => /b [/]c'"],
  ["dentry", "/a => /b,", "expected-end", 8, 9, "Expected the end of the dentry, found `,`.", "end of input expected but ',' found at '/a => /b[,]'"],
];
describe('syntax errors, exactly', () => {
  for (const [text, code, start, end, message, finagle, fixes] of DTAB) {
    it(`${code} at ${start}-${end} in ${JSON.stringify(text).slice(0, 40)}`, () => {
      const found = checkDtabText(text).diagnostics.filter((d) => d.code === code && d.span.start === start);
      assert.equal(found.length, 1, JSON.stringify(checkDtabText(text).diagnostics.map((d) => [d.code, d.span])));
      const d = found[0]!;
      assert.deepEqual(d.span, { start, end });
      assert.equal(d.message, message);
      assert.equal(d.severity, 'error');
      assert.equal(finagleText(d) ?? '', finagle);
      assert.deepEqual(
        (d.fixes ?? []).map((f) => [f.title, ...f.edits.map((e) => [e.span.start, e.span.end, e.text])]),
        fixes ?? [],
      );
    });
  }

  it('covers every syntax error code', () => {
    const codes = new Set(DTAB.map((r) => r[1]));
    assert.deepEqual(SYNTAX_ERROR_CODES.filter((c) => !codes.has(c)), []);
  });

  for (const [what, text, code, start, end, plain, finagle] of CONTEXTS) {
    it(`parse ${what} ${JSON.stringify(text)}: ${code ?? 'parses'}`, () => {
      const parse = { path: parsePath, prefix: parsePrefix, tree: parseTree, dentry: parseDentry }[what]!;
      const r = parse(text);
      const e = r.ok ? undefined : r.error;
      if (code === undefined) return assert.equal(e, undefined);
      assert.ok(e);
      assert.deepEqual([e.code, e.span.start, e.span.end, e.plain, e.finagleMessage], [code, start, end, plain, finagle]);
    });
  }
});

describe('the error object', () => {
  it('is an Error without a stack, named DtabSyntaxError, its message the plain text', () => {
    const e = parseDtab('/a => /b /c').errors[0]!;
    assert.ok(e instanceof Error);
    assert.ok(e instanceof DtabSyntaxError);
    assert.equal(e.name, 'DtabSyntaxError');
    assert.equal(e.message, 'Missing `;` between dentries: dentries are separated by `;`, not by new lines.');
    assert.equal(String(e), 'DtabSyntaxError: Missing `;` between dentries: dentries are separated by `;`, not by new lines.');
    assert.equal(e.stack, undefined);
    assert.deepEqual([e.index, e.expected, e.found, e.input], [9, 'end of input', 0x2f, '/a => /b /c']);
    assert.equal(e.finagleMessageShort, e.finagleMessage);
  });

  it("cuts Finagle's message around the error, at most 200 characters by default", () => {
    const text = `/a => /b ${'x'.repeat(300)}`;
    const e = parseDtab(text).errors[0]!;
    assert.equal(e.finagleMessageShort, e.elidedFinagleMessage(200));
    assert.equal(e.finagleMessageShort, `end of input expected but 'x' found at '/a => /b [x]${'x'.repeat(190)}…'`);
    assert.equal(e.elidedFinagleMessage(4), "end of input expected but 'x' found at '…b [x]x…'");
  });

  it('cuts a Java message (NumberFormatException) to the quote plus 20 characters', () => {
    const e = parseDtab(`/a => ${'\u0661'.repeat(300)} * /b`).errors[0]!;
    assert.equal(e.code, 'number-format');
    assert.equal(e.finagleMessage, `For input string: "${'\u0661'.repeat(300)}"`);
    assert.equal(e.elidedFinagleMessage(10), `For input string: "${'\u0661'.repeat(11)}…`);
    assert.equal(e.elidedFinagleMessage(0), `For input string: "${'\u0661'.repeat(2)}…`);
    assert.equal(e.finagleMessageShort.length, 221);
    assert.equal(e.plain, `\`${'\u0661'.repeat(29)}…${'\u0661'.repeat(29)}\` is not a number: weights use the ASCII digits 0-9.`);
  });

  it('says nesting-too-deep has no Finagle message, and cuts that too', () => {
    const e = parseDtab(`/a => ${'('.repeat(101)}/b`).errors[0]!;
    assert.equal(e.code, 'nesting-too-deep');
    assert.deepEqual(e.span, { start: 106, end: 107 });
    assert.equal(e.elidedFinagleMessage(10), '(no Finagle message: Finagle h…');
  });
});

describe('elidedFinagleMessage', () => {
  it('keeps a short input whole', () => {
    assert.equal(elidedFinagleMessage('abc', 1, "'/'", 0x62, 3), "'/' expected but 'b' found at 'a[b]c'");
    assert.equal(elidedFinagleMessage('abc', 3, "'/'", EOI, 3), "'/' expected but end of input found at 'abc[]'");
  });
  it('centres a window on the error, with … at each cut', () => {
    const input = `${'x'.repeat(50)};${'y'.repeat(50)}`;
    assert.equal(elidedFinagleMessage(input, 50, "'/'", 0x3b, 10), "'/' expected but ';' found at '…xxxxx[;]yyyy…'");
  });
  it('at the start and at the end of the input', () => {
    assert.equal(elidedFinagleMessage('x'.repeat(50), 0, "'/'", 0x78, 10), "'/' expected but 'x' found at '[x]xxxxxxxxx…'");
    assert.equal(elidedFinagleMessage('x'.repeat(50), 50, "'/'", EOI, 10), "'/' expected but end of input found at '…xxxxxxxxxx[]'");
    assert.equal(elidedFinagleMessage('x'.repeat(50), 3, "'/'", 0x78, 10.7), "'/' expected but 'x' found at 'xxx[x]xxxxxx…'");
  });
  it('never cuts a surrogate pair', () => {
    assert.equal(elidedFinagleMessage('ab\u{1F600}cdefghijklmnop', 12, "'/'", 0x6e, 8), "'/' expected but 'n' found at '…ghij[k]lmn…'");
    assert.equal(elidedFinagleMessage('abcdefghijklmn\u{1F600}op', 4, "'/'", 0x65, 8), "'/' expected but 'e' found at 'abcd[e]fgh…'");
    assert.equal(elidedFinagleMessage('abcdefg\u{1F600}hijklmnop', 8, "'/'", 0x65, 4), "'/' expected but 'e' found at '…g\uD83D[\uDE00]h…'");
  });
  it('quotes at least one character', () => {
    assert.equal(elidedFinagleMessage('abc', 1, "'/'", 0x62, 0), "'/' expected but 'b' found at '…[b]…'");
  });
});

describe('plain descriptions of characters', () => {
  it('names what a person cannot see', () => {
    assert.equal(describeChar(0x20, false), 'a space');
    assert.equal(describeChar(0x0a, false), 'a line break');
    assert.equal(describeChar(0x0d, false), 'a carriage return');
    assert.equal(describeChar(0x09, false), 'a tab');
    assert.equal(describeChar(0x60, false), 'a backtick (U+0060)');
    assert.equal(describeChar(0x5f, false), '`_`');
    assert.equal(describeChar(0x61, false), '`a`');
    assert.equal(describeChar(0x41, true), 'the end of the text');
    assert.equal(describeChar(0x00, false), 'the control character U+0000');
    assert.equal(describeChar(0x1f, false), 'the control character U+001F');
    assert.equal(describeChar(0x7f, false), 'the control character U+007F');
    assert.equal(describeChar(0x7e, false), '`~`');
    assert.equal(describeChar(0x21, false), '`!`');
    assert.equal(describeChar(0x80, false), '`\u0080` (U+0080)');
    assert.equal(describeChar(0x2010, false), 'a hyphen (U+2010)');
    assert.equal(describeChar(0x2217, false), 'an asterisk operator (U+2217)');
  });
  it('advises on look-alikes and non-ASCII', () => {
    assert.equal(charAdvice(0x41), '');
    assert.equal(charAdvice(0x7e), '');
    assert.equal(charAdvice(EOI), '');
    // A character outside the BMP is one character: its own UTF-8 bytes, not a half's.
    assert.equal(charAdvice(0x1f600), ' Labels are ASCII: write other characters as their UTF-8 bytes (\\xf0\\x9f\\x98\\x80).');
    assert.equal(describeChar(0x1f600, false), '`\u{1f600}` (U+1F600)');
    assert.deepEqual(checkDtabText('/a => /b\u{1f600} ;').diagnostics.map((d) => [d.code, d.span.start, d.span.end, d.message]), [
      ['expected-end', 8, 10, 'Expected `;` or the end of the text after the dentry, found `\u{1f600}` (U+1F600). Labels are ASCII: write other characters as their UTF-8 bytes (\\xf0\\x9f\\x98\\x80).'],
    ]);
    // Half a surrogate pair is not a character: no UTF-8 bytes (it has none), not quoted (it would show as U+FFFD).
    for (const c of [0xd800, 0xdbff, 0xdc00, 0xdfff]) {
      assert.equal(charAdvice(c), ' It is half of a UTF-16 surrogate pair, not a character (the text was cut or mis-encoded): delete it.');
      assert.equal(describeChar(c, false), `the lone surrogate U+${c.toString(16).toUpperCase()}`);
    }
    assert.equal(describeChar(0xd7ff, false), '`\ud7ff` (U+D7FF)');
    assert.equal(describeChar(0xe000, false), '`\ue000` (U+E000)');
    assert.deepEqual(checkDtabText('/a => /b\udc00 ;').diagnostics.map((d) => [d.code, d.span.start, d.span.end, d.message]), [
      ['expected-end', 8, 9, 'Expected `;` or the end of the text after the dentry, found the lone surrogate U+DC00. It is half of a UTF-16 surrogate pair, not a character (the text was cut or mis-encoded): delete it.'],
    ]);
    assert.equal(charAdvice(0x7f), ' Labels are ASCII: write other characters as their UTF-8 bytes (\\x7f).');
    assert.equal(charAdvice(0xe9), ' Labels are ASCII: write other characters as their UTF-8 bytes (\\xc3\\xa9).');
    assert.equal(charAdvice(0x200b), ' It is invisible: delete it.');
    assert.equal(charAdvice(0x2192), ' It looks like `=>` but is not: type a plain `=>`.');
  });
  it('withArticle, hex4, clip', () => {
    assert.equal(withArticle('en dash'), 'an en dash');
    assert.equal(withArticle('Em dash'), 'an Em dash');
    assert.equal(withArticle('hyphen'), 'a hyphen');
    assert.equal(hex4(0xab), '00AB');
    assert.equal(hex4(0x1f600), '1F600');
    assert.equal(clip('abcdefghij', 5), 'ab…ij');
    assert.equal(clip('abcdefghij', 6), 'ab…ij');
    assert.equal(clip('abcdefghij', 7), 'abc…hij');
    assert.equal(clip('abcde', 5), 'abcde');
    assert.equal(clip('x'.repeat(60)), 'x'.repeat(60));
    assert.equal(clip('x'.repeat(61)), `${'x'.repeat(29)}…${'x'.repeat(29)}`);
  });
});

describe('the syntax tree, exactly', () => {
  const text = '# c1\n/a/* => 0.5 * /b & 2 * (/c | ~) ;\n/d => ! | $;\n/e => /b /c;\n/f=>/g # c2\n';
  const s = parseDtab(text);
  const span = (x: { start: number; end: number }) => [x.start, x.end];

  it('keeps comments and errors with their spans', () => {
    assert.deepEqual(s.comments.map(span), [[0, 4], [72, 76]]);
    assert.deepEqual(s.errors.map((e) => [e.code, ...span(e.span)]), [['expected-end', 61, 62]]);
    assert.deepEqual(s.entries.map((e) => [e.kind, ...span(e)]), [['dentry', 5, 36], ['dentry', 39, 50], ['dentry', 52, 60], ['broken', 61, 63], ['dentry', 65, 71]]);
    assert.deepEqual(s.entries.map((e) => e.semicolon && span(e.semicolon)), [[37, 38], [50, 51], undefined, [63, 64], undefined]);
  });

  it('spans every node of a dentry', () => {
    const d = s.entries[0]!;
    assert.equal(d.kind, 'dentry');
    if (d.kind !== 'dentry') return;
    assert.deepEqual(span(d.prefix), [5, 9]);
    assert.deepEqual(d.prefix.elems.map((e) => [e.kind, ...span(e)]), [['label', 6, 7], ['wildcard', 8, 9]]);
    assert.deepEqual(span(d.arrow), [10, 12]);
    const u = d.dst;
    assert.equal(u.kind, 'union');
    if (u.kind !== 'union') return;
    assert.deepEqual(span(u), [13, 36]);
    assert.deepEqual(u.amps.map(span), [[22, 23]]);
    assert.deepEqual(u.branches.map((b) => [...span(b), b.weight?.value, b.weight?.text, b.weight && span(b.weight), b.weight && span(b.weight.star)]), [
      [13, 21, 0.5, '0.5', [13, 16], [17, 18]],
      [24, 36, 2, '2', [24, 25], [26, 27]],
    ]);
    const g = u.branches[1]!.tree;
    assert.equal(g.kind, 'group');
    if (g.kind !== 'group') return;
    assert.deepEqual([g.tree.kind, ...span(g.tree)], ['alt', 29, 35]);
    if (g.tree.kind !== 'alt') return;
    assert.deepEqual(g.tree.bars.map(span), [[32, 33]]);
    assert.deepEqual(g.tree.branches.map((b) => [b.kind, ...span(b)]), [['leaf', 29, 31], ['neg', 34, 35]]);
    const d2 = s.entries[1]!;
    if (d2.kind !== 'dentry' || d2.dst.kind !== 'alt') return assert.fail('alt');
    assert.deepEqual(d2.dst.branches.map((b) => [b.kind, ...span(b)]), [['fail', 45, 46], ['empty', 49, 50]]);
  });

  it('reads escapes into the label values', () => {
    const r = parsePath('/a\\x41b/\\x2f');
    if (!r.ok) return assert.fail(r.error.plain);
    const p = r.value;
    assert.deepEqual(p.values, ['aAb', '/']);
    assert.deepEqual(p.labels.map((l) => [l.value, ...span(l)]), [['aAb', 1, 7], ['/', 8, 12]]);
  });
});

describe('recovery after an error: the entries, exactly', () => {
  /** [text, entries as [kind, start, end, offset of the `;` or null], errors as [code, start]]. */
  const ROWS: [string, [string, number, number, number | null][], [string, number][]][] = [
    ["/a => /b /c => /d ;/e => /f", [["dentry", 0, 8, null], ["broken", 9, 10, null], ["dentry", 9, 17, 18], ["dentry", 19, 27, null]], [["expected-end", 9]]],
    ["/a => /b\n  /c => /d\n/e => /f ;", [["dentry", 0, 8, null], ["broken", 11, 12, null], ["dentry", 11, 19, null], ["broken", 20, 21, null], ["dentry", 20, 28, 29]], [["expected-end", 11], ["expected-end", 20]]],
    ["/a => /b\n/c/\\x41/* => /d", [["dentry", 0, 8, null], ["broken", 9, 10, null], ["dentry", 9, 24, null]], [["expected-end", 9]]],
    ["/a => /b /c\n/d => /e", [["dentry", 0, 8, null], ["broken", 9, 11, null], ["dentry", 12, 20, null]], [["expected-end", 9]]],
    ["/a = /b ; /c => /d", [["broken", 0, 7, 8], ["dentry", 10, 18, null]], [["split-arrow", 4]]],
    ["/a => /b\t\n\t/c => /d", [["dentry", 0, 8, null], ["broken", 11, 12, null], ["dentry", 11, 19, null]], [["expected-end", 11]]],
    ["/a => /b x /c => /d", [["dentry", 0, 8, null], ["broken", 9, 19, null]], [["expected-end", 9]]],
    ["/a => ( ;\n/b => /c", [["broken", 0, 7, 8], ["dentry", 10, 18, null]], [["expected-term", 8]]],
    ["/a => /b\n  \n/c\t=>\t/d", [["dentry", 0, 8, null], ["broken", 12, 13, null], ["dentry", 12, 20, null]], [["expected-end", 12]]],
    ["/a => /b /c/\\x4g => /d", [["dentry", 0, 8, null], ["broken", 9, 22, null]], [["expected-end", 9]]],
    ["/a => /b /c/d =>/e", [["dentry", 0, 8, null], ["broken", 9, 10, null], ["dentry", 9, 18, null]], [["expected-end", 9]]],
    ["/a => /b /c/ => /d", [["dentry", 0, 8, null], ["broken", 9, 18, null]], [["expected-end", 9]]],
    ["/a => /b # x ; y\n/c => /d", [["dentry", 0, 8, null], ["broken", 17, 18, null], ["dentry", 17, 25, null]], [["expected-end", 17]]],
    ["/a => /b ;;", [["dentry", 0, 8, 9], ["broken", 10, 11, 10]], [["expected-slash", 10]]],
    ["/x => /b x  \n\n/c => /d", [["dentry", 0, 8, null], ["broken", 9, 10, null], ["dentry", 14, 22, null]], [["expected-end", 9]]],
    ["/a => /b x # c ; d\n/e => /f", [["dentry",0,8,null],["broken",9,18,null],["dentry",19,27,null]], [["expected-end",9]]],
    ["/a => /b x/#/c ; /d => /e", [["dentry",0,8,null],["broken",9,14,15],["dentry",17,25,null]], [["expected-end",9]]],
    ["/a => ( # ;\n/b => /c", [["broken",0,20,null]], [["expected-close-paren",15]]],
    ["/a => /b x#y ; /c => /d", [["dentry",0,8,null],["broken",9,12,13],["dentry",15,23,null]], [["expected-end",9]]],
    ["#;\n/a => ( ;x", [["broken",3,10,11],["broken",12,13,null]], [["expected-term",11],["expected-slash",12]]],
    ["/a => /b x # ;", [["dentry",0,8,null],["broken",9,14,null]], [["expected-end",9]]],
    ["/a => ((/b ;\n/c => (/d)", [["broken",0,10,11],["dentry",13,23,null]], [["expected-close-paren",11]]],
  ];
  for (const [text, entries, errors] of ROWS) {
    it(JSON.stringify(text), () => {
      const s = parseDtab(text);
      assert.deepEqual(s.entries.map((x) => [x.kind, x.start, x.end, x.semicolon ? x.semicolon.start : null]), entries);
      assert.deepEqual(s.errors.map((x) => [x.code, x.span.start]), errors);
    });
  }
});

describe('cuts never split a surrogate pair, and a Java message of exactly the limit is whole', () => {
  it('a window that would start or end inside a pair moves off it', () => {
    assert.equal(elidedFinagleMessage(`abc\u{1F600}${'x'.repeat(20)}`, 7, "'/'", 0x78, 6), "'/' expected but 'x' found at '…xx[x]xx…'");
    assert.equal(elidedFinagleMessage(`${'x'.repeat(10)}\u{1F600}${'y'.repeat(10)}`, 8, "'/'", 0x78, 6), "'/' expected but 'x' found at '…xxx[x]x…'");
  });
  it('a Java message exactly as long as the limit', () => {
    const e = parseDtab('/a => \u0661 * /b').errors[0]!;
    assert.equal(e.finagleMessage, 'For input string: "\u0661"');
    assert.equal(e.elidedFinagleMessage(1), 'For input string: "\u0661"');
    assert.equal(e.elidedFinagleMessage(0), 'For input string: "\u0661"');
  });
});
