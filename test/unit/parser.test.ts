import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkDtabText, parseDtab, parseDentry, parsePath, parseTree, type DentrySyntax } from '../../core/index.js';

const slice = (src: string, s: { start: number; end: number }) => src.slice(s.start, s.end);

describe('syntax tree spans', () => {
  it('gives every element of a dentry its exact range', () => {
    const src = '# routes\n/svc/*/api  =>  2 * /#/io.l5d.k8s/default/http & /srv\\x41 | ! ;  # tail';
    const s = parseDtab(src);
    assert.equal(s.errors.length, 0);
    const d = s.entries[0] as DentrySyntax;
    assert.equal(slice(src, d.prefix), '/svc/*/api');
    assert.deepEqual(d.prefix.elems.map((e) => slice(src, e)), ['svc', '*', 'api']);
    assert.equal(d.prefix.elems[1]!.kind, 'wildcard');
    assert.equal(slice(src, d.arrow), '=>');
    assert.equal(slice(src, d.dst), '2 * /#/io.l5d.k8s/default/http & /srv\\x41 | !');
    assert.equal(d.dst.kind, 'alt');
    if (d.dst.kind !== 'alt') return;
    assert.deepEqual(d.dst.bars.map((b) => slice(src, b)), ['|']);
    const u = d.dst.branches[0]!;
    assert.equal(u.kind, 'union');
    if (u.kind !== 'union') return;
    assert.equal(slice(src, u.branches[0]!.weight!), '2');
    assert.equal(slice(src, u.branches[0]!.weight!.star), '*');
    assert.equal(u.branches[0]!.weight!.value, 2);
    assert.deepEqual(u.amps.map((a) => slice(src, a)), ['&']);
    const leaf = u.branches[1]!.tree;
    assert.equal(leaf.kind, 'leaf');
    if (leaf.kind === 'leaf') {
      assert.equal(slice(src, leaf.path.labels[0]!), 'srv\\x41');
      assert.equal(leaf.path.labels[0]!.value, 'srvA');
    }
    assert.equal(slice(src, d.semicolon!), ';');
    assert.deepEqual(s.comments.map((c) => slice(src, c)), ['# routes', '# tail']);
  });

  it('treats # after / or inside a label as a label character', () => {
    const src = '/#/io.l5d.k8s=>/b#c #real comment';
    const s = parseDtab(src);
    const d = s.entries[0] as DentrySyntax;
    assert.deepEqual(d.prefix.elems.map((e) => slice(src, e)), ['#', 'io.l5d.k8s']);
    assert.equal(slice(src, d.dst), '/b#c');
    assert.deepEqual(s.comments.map((c) => slice(src, c)), ['#real comment']);
  });
});

describe('errors', () => {
  it('reports Finagle\'s exact message and offset, and a plain message', () => {
    const r = parseDentry('/svc -> /b');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.finagleMessage, "'=' expected but '-' found at '/svc [-]> /b'");
    assert.equal(r.error.index, 5);
    assert.deepEqual(r.error.span, { start: 5, end: 6 });
    assert.match(r.error.plain, /Expected `=>` after the prefix `\/svc`/);
  });

  it('says NBSP is not whitespace', () => {
    const r = parsePath('\u00a0/a');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.finagleMessage, "'/' expected but '\u00a0' found at '[\u00a0]/a'");
    assert.match(r.error.plain, /no-break space \(U\+00A0\).*plain ` `/);
  });

  it('reproduces the lone-dot weight quirk (message names `.`, brackets the next character)', () => {
    const r = parseTree('/foo & . * /bar');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.finagleMessage, "weight expected but '.' found at '/foo & .[ ]* /bar'");
    assert.deepEqual(r.error.span, { start: 7, end: 8 }, 'points at the `.` itself');
  });

  it('reports non-ASCII digits in a weight as Java NumberFormatException', () => {
    const r = parseTree('\u0663 * /a & /b');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.finagleMessage, 'For input string: "\u0663"');
  });

  it('treats a literal U+FFFF like Finagle (it equals the end-of-input marker)', () => {
    const r = parsePath('/a\uffff');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.error.finagleMessage, "end of input expected but end of input found at '/a[\uffff]'");
  });

  it('recovers: five mistakes give five errors, each where it is', () => {
    const src = ['/a = > /b ;', '/c => /d/ ;', '/e => (/f ;', '/g => /h ;', '/i => /j', '/k => /l,', '/m => /n ;'].join('\n');
    const s = parseDtab(src);
    const at = s.errors.map((e) => [e.code, src.slice(e.span.start, e.span.start + 1)]);
    assert.deepEqual(at, [
      ['split-arrow', ' '],
      ['expected-label', ' '],
      ['expected-close-paren', ';'],
      ['expected-end', '/'],
      ['expected-end', ','],
    ]);
    // The first is exactly Finagle's.
    assert.ok(s.errors[0]!.finagleMessage.startsWith("'>' expected but ' ' found at '/a =[ ]> /b ;"));
    // The dentries between the mistakes still parse.
    const good = s.entries.filter((e) => e.kind === 'dentry').map((e) => src.slice(e.start, e.end));
    assert.deepEqual(good, ['/g => /h', '/i => /j', '/k => /l', '/m => /n']);
  });

  it('keeps the text of broken dentries (nothing is lost)', () => {
    const src = '/a => /b;\n/c =>;\n/d => /e';
    const s = parseDtab(src);
    const broken = s.entries.filter((e) => e.kind === 'broken');
    assert.equal(broken.length, 1);
    assert.equal(src.slice(broken[0]!.start, broken[0]!.end), '/c =>');
    assert.equal(broken[0]!.prefix && src.slice(broken[0]!.prefix.start, broken[0]!.prefix.end), '/c');
  });

  it('turns syntax errors into diagnostics with Finagle\'s wording kept', () => {
    const { diagnostics } = checkDtabText('/a=>/b /c=>/d');
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, 'expected-end');
    assert.equal(diagnostics[0]!.finagleMessage, "end of input expected but '/' found at '/a=>/b [/]c=>/d'");
    assert.match(diagnostics[0]!.message, /Missing `;` between dentries/);
  });
});
