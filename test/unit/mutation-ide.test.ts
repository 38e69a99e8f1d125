// Exact hover texts for each kind of node (core/ide/hover.ts), and the outline and folding of a
// dtab: the whole Markdown, the whole span, so that a mutant of a word, a share or a branch fails.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analyzeDtab,
  complete,
  completionContext,
  definition,
  escapeMarkdown,
  fenced,
  folding,
  formatEdits,
  formatRangeEdits,
  hover,
  interpreterFor,
  labelProblem,
  prepareRename,
  references,
  rename,
  RenameError,
  selectionSpans,
  suggestPaths,
  symbols,
} from '../../core/index.js';

/** [what, text, offset, span start, span end, markdown] (undefined: no hover). */
type Row = [string, string, number, number, number, string];

const HOVERS: Row[] = [
  ["a dentry prefix: what it does", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 11, 10, 15, "**`/host => /$/inet/127.1/4140`**\n\nRequests for `/host/…` are sent to `/$/inet/127.1/4140/…`."],
  ["a later dentry for the same prefix: what it overrides", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 182, 180, 184, "**`/svc => /host`**\n\nRequests for `/svc/…` are sent to `/host/…`.\n\nLater dentries are tried first: for these requests this one is tried before line 3 (`/svc => 1 * /host & 2 * /b & 0.3333 * /c`), which is only used if this one is negative."],
  ["a system namer path", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 20, 19, 37, "**`/$/inet/127.1/4140`** in this dtab (system namer `/$/inet/<host>/<port>`)\n\n```text\n→ /$/inet/127.1/4140: 127.0.0.1:4140\n```\n\n**Routes to**\n\n- 100% → /$/inet/127.1/4140 (127.0.0.1:4140)"],
  ["a union: shares of traffic", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 58, 48, 80, "**Union (`&`)**: each request goes to one branch, chosen at random by weight.\n\n| share | weight | branch |\n| ---: | ---: | --- |\n| 30% | 1 | `/host` |\n| 60% | 2 | `/b` |\n| 10% | 0.3333 | `/c` |\n\nA branch that resolves to `~` or `!` is dropped and the others share its traffic; a `$` branch keeps its share and those requests fail."],
  ["alternatives", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 96, 93, 107, "**Alternatives (`|`)**: tried left to right; the first that is not negative (`~`) is used.\n\nA `!` stops the search (the request fails); so does `$` (no endpoints). Errors are not fallen back from either."],
  ["~", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 98, 98, 99, "**`~` (negative)**: \"not handled here\". In `a | ~ | b` it is skipped; as a whole destination, earlier dentries and then the namers are tried."],
  ["!", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 102, 102, 103, "**`!` (fail)**: the request fails at once; alternatives after it and earlier dentries are not tried."],
  ["$", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 106, 106, 107, "**`$` (empty)**: exists but has no endpoints: requests fail with \"no brokers available\", and no fallback happens."],
  ["an ignored weight", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 117, 116, 127, "**Ignored weight `0.5`**\n\nWeights only apply between the branches of a `&` union. Finagle parses this one and drops it."],
  ["a path: its delegation and where it routes", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 53, 52, 57, "**`/host`** in this dtab\n\n```text\n→ /host\n→   /$/inet/127.1/4140: 127.0.0.1:4140   (line 2)\n```\n\n**Routes to**\n\n- 100% → /$/inet/127.1/4140 (127.0.0.1:4140)"],
  ["a /#/ path: with the cluster note", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 140, 136, 163, "**`/#/io.l5d.k8s/ns/http/world`** in this dtab (namer `/#/io.l5d.k8s/<namespace>/<port>/<service>`)\n\n```text\n→ /#/io.l5d.k8s/ns/http/world: unresolved here: io.l5d.k8s resolves it at run time\n```\n\n**Routes to**\n\n- 100% → /#/io.l5d.k8s/ns/http/world (unresolved here: io.l5d.k8s resolves it at run time)\n\nCluster: snapshot x"],
  ["a negative path", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 94, 93, 95, "**`/a`** in this dtab\n\n```text\n→ /a: negative, nothing matches\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)"],
  ["a syntax error", "# routing\n/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b & 0.3333 * /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b /c\n/svc => /host ;\n", 177, 177, 178, "**Syntax error**\n\nMissing `;` between dentries: dentries are separated by `;`, not by new lines.\n\nFinagle: `end of input expected but '/' found at '…* /c ;\n/svc/x => /a | ~ | ! | $ ;\n/w => 0.5 * /host ;\n/n => /#/io.l5d.k8s/ns/http/world ;\n/bad => /b [/]c\n/svc => /host ;\n'`"],
  ["a union with shares that are not whole", "/a => /b & 2 * /c ;", 9, 6, 17, "**Union (`&`)**: each request goes to one branch, chosen at random by weight.\n\n| share | weight | branch |\n| ---: | ---: | --- |\n| 33.3% | 1 (default) | `/b` |\n| 66.7% | 2 | `/c` |\n\nA branch that resolves to `~` or `!` is dropped and the others share its traffic; a `$` branch keeps its share and those requests fail."],
  ["a union with a zero weight", "/a => 1 * /b & 0 * /c ;", 13, 6, 21, "**Union (`&`)**: each request goes to one branch, chosen at random by weight.\n\n| share | weight | branch |\n| ---: | ---: | --- |\n| 100% | 1 | `/b` |\n| 0% | 0 | `/c` |\n\nA branch that resolves to `~` or `!` is dropped and the others share its traffic; a `$` branch keeps its share and those requests fail."],
  ["a negative /#/ path, with the reason", "/a => /#/nope/x ;", 8, 6, 15, "**`/#/nope/x`** in this dtab\n\n```text\n→ /#/nope/x: negative, why #/nope/x\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)"],
  ["a delegation that fails", "/a => /b ;\n/b => /a ;", 7, 6, 8, "**`/b`** in this dtab\n\nDelegation fails: Max recursion level reached."],
  ["/$/fail", "/a => /$/fail ;", 8, 6, 13, "**System namer** `/$/fail`\n\nFails the request: no fallback to other alternatives (same as `!`).\n\nBuilt into Linkerd: no configuration needed."],
  ["/$/nil", "/a => /$/nil ;", 8, 6, 12, "**System namer** `/$/nil`\n\nExists but has no endpoints (same as `$`): stops fallback, requests fail.\n\nBuilt into Linkerd: no configuration needed."],
  ["a configured namer with a bound leaf", "/a => /#/io.l5d.fs/x ;", 8, 6, 20, "**`/#/io.l5d.fs/x`** in this dtab (namer `/#/io.l5d.fs/<file>`)\n\n```text\n→ /#/io.l5d.fs/x: unresolved here: io.l5d.fs resolves it at run time\n```\n\n**Routes to**\n\n- 100% → /#/io.l5d.fs/x (unresolved here: io.l5d.fs resolves it at run time)\n\nCluster: snapshot x"],
];

describe('hover, exactly', () => {
  for (const [what, text, offset, start, end, markdown] of HOVERS) {
    it(what, async () => {
      const h = await hover(analyzeDtab(text), offset, interpreterFor(), 'snapshot x', async (p) => `why ${p.join('/')}`);
      assert.ok(h);
      assert.equal(h.markdown, markdown);
      assert.deepEqual(h.span, { start, end });
    });
  }

  it('nothing on a comment, or on a broken dentry away from its error', async () => {
    const text = '# c\n/a => /b /c\n';
    assert.equal(await hover(analyzeDtab(text), 1, interpreterFor()), undefined);
    const far = await hover(analyzeDtab('/bad => /b /c ;'), 1, interpreterFor());
    assert.equal(far?.markdown, '**`/bad => /b`**\n\nRequests for `/bad/…` are sent to `/b/…`.');
    assert.equal(await hover(analyzeDtab('/a => ; /b => /c'), 1, interpreterFor()), undefined);
  });

  it('no cluster note without a whyNegative or a namer-bound leaf', async () => {
    const h = await hover(analyzeDtab('/a => /#/nope/x ;'), 8, interpreterFor());
    assert.equal(h?.markdown, '**`/#/nope/x`** in this dtab\n\n```text\n→ /#/nope/x: negative, no namer has this name\n```\n\n**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)');
  });

  it('escapes Markdown and fences code that holds backticks', () => {
    assert.equal(escapeMarkdown('![x](y) <b> a_b *c* `d` | e & f \\'), '\\!\\[x\\](y) \\<b\\> a\\_b \\*c\\* \\`d\\` \\| e \\& f \\\\');
    assert.equal(fenced('text', 'a'), '```text\na\n```');
    assert.equal(fenced('text', 'a ```` b ` c'), '`````text\na ```` b ` c\n`````');
  });
});

describe('outline and folding, exactly', () => {
  it('one symbol per dentry, broken ones by their prefix', () => {
    const a = analyzeDtab('/host => /$/inet/127.1/4140 ;\n/svc => 1 * /host & 2 * /b ;\n/bad => /b /c\n/svc => /host ;\n');
    assert.deepEqual(symbols(a), [
      { name: '/host', detail: '=> /$/inet/127.1/4140', span: { start: 0, end: 29 }, selection: { start: 0, end: 5 } },
      { name: '/svc', detail: '=> 1 * /host & 2 * /b', span: { start: 30, end: 58 }, selection: { start: 30, end: 34 } },
      { name: '/bad', detail: '=> /b', span: { start: 59, end: 69 }, selection: { start: 59, end: 63 } },
      { name: '/svc', detail: '=> /host', span: { start: 73, end: 88 }, selection: { start: 73, end: 77 } },
    ]);
  });
  it('folds runs of comments and dentries over several lines', () => {
    assert.deepEqual(folding(analyzeDtab('# a\n# b\n/a => /b |\n  /c ;\n# c\n/d => /e ;\n# x\n# y\n# z\n')), [
      { startLine: 0, endLine: 1, kind: 'comment' },
      { startLine: 6, endLine: 8, kind: 'comment' },
      { startLine: 2, endLine: 3, kind: 'region' },
    ]);
  });
});

describe('navigation, selection, formatting and completion, exactly', () => {
  const t = '/svc => /host ;\n/host => /$/inet/127.1/4140 ;\n/svc/x => /host/y | /svc ;\n';
  const a = analyzeDtab(t);
  const o = (s: string, k = 1) => t.indexOf(s) + k;
  const sp = (start: number, end: number) => ({ start, end });

  it('definition: the dentries a path reaches', () => {
    assert.deepEqual(definition(a, o('/host ;')), [sp(16, 21)]);
    assert.deepEqual(definition(a, o('/svc ;\n', 2)), [sp(0, 4), sp(46, 52)]);
    assert.deepEqual(definition(a, o('/$/inet')), []);
  });
  it('references, with and without the declaration', () => {
    assert.deepEqual(references(a, o('/host =>'), true), [sp(16, 21), sp(8, 13), sp(56, 63)]);
    assert.deepEqual(references(a, o('/host =>'), false), [sp(8, 13), sp(56, 63)]);
    assert.deepEqual(references(a, o('/svc =>'), true), [sp(0, 4), sp(66, 70)]);
  });
  it('rename: every use of the label, or an error for a name that is not a label', () => {
    assert.deepEqual(prepareRename(a, o('/host =>')), { span: sp(17, 21), placeholder: 'host' });
    assert.equal(prepareRename(a, o(' =>', 1)), undefined);
    assert.deepEqual(prepareRename(a, o('/svc/x', 4)), { span: sp(47, 50), placeholder: 'svc' });
    assert.deepEqual(rename(a, o('/host =>'), 'h2'), [
      { span: sp(9, 13), text: 'h2' },
      { span: sp(17, 21), text: 'h2' },
      { span: sp(57, 61), text: 'h2' },
    ]);
    assert.equal(rename(a, 0, 'x'), undefined);
    assert.throws(() => rename(a, o('/host =>'), 'a/b'), (e: unknown) => e instanceof RenameError && e.message === '`a/b` is not a label: use letters, digits and _ : . # $ % - or \\xHH escapes');
    assert.deepEqual(['', 'a b', '*', 'ok', '\u00e9', 'a\\x41'].map(labelProblem), [
      undefined,
      '`a b` is not a label: use letters, digits and _ : . # $ % - or \\xHH escapes',
      undefined,
      undefined,
      '`\u00e9` is not a label: use letters, digits and _ : . # $ % - or \\xHH escapes',
      undefined,
    ]);
  });
  it('selection grows from the label to the whole dtab', () => {
    assert.deepEqual(selectionSpans(a, o('127.1', 2)), [sp(33, 38), sp(25, 43), sp(16, 45), sp(0, 73)]);
  });
  it('suggested paths: prefixes first, then destinations', () => {
    assert.deepEqual(suggestPaths(a), ['/svc', '/host', '/svc/x', '/host/y']);
  });
  it('formatting: the whole text, a range, nothing while there are errors', () => {
    const u = '/a=>/b;\n/cc  =>  /d|/e ;\n';
    assert.deepEqual(formatEdits(analyzeDtab(u)), [{ span: sp(0, 25), text: '/a   => /b ;\n/cc  => /d | /e ;\n' }]);
    assert.deepEqual(formatRangeEdits(analyzeDtab(u), 9, 10), [{ span: sp(8, 24), text: '/cc  => /d | /e ;' }]);
    assert.deepEqual(formatEdits(analyzeDtab('/a => /b /c')), []);
    assert.deepEqual(formatEdits(analyzeDtab('/a => /b ;\n')), [{ span: sp(0, 11), text: '/a  => /b ;\n' }]);
    assert.deepEqual(formatEdits(analyzeDtab('/a  => /b ;\n')), []);
  });
  it('completion: the context and the items', () => {
    const c = (text: string, offset: number) => {
      const x = analyzeDtab(text);
      const items = complete(x, offset);
      return { ctx: completionContext(x, offset), n: items.length, first: items.slice(0, 2).map((i) => [i.label, i.kind, i.detail, i.edit && [i.edit.span.start, i.edit.span.end, i.edit.text], i.insertText, i.sortText]) };
    };
    assert.deepEqual(c('/a => /b ', 9), {
      ctx: { kind: 'operator' },
      n: 3,
      first: [
        ['|', 'operator', 'alternative: fall back if the left side is negative', undefined, '| ', undefined],
        ['&', 'operator', 'union: split traffic by weight', undefined, '& ', undefined],
      ],
    });
    assert.deepEqual(c('/a => /$/', 9), {
      ctx: { kind: 'term', token: 6 },
      n: 15,
      first: [
        ['/$/inet', 'system-namer', '/$/inet/<host>/<port>', [6, 9, '/$/inet/${1:host}/${2:port}'], undefined, '3inet'],
        ['/$/fixedinet', 'system-namer', '/$/fixedinet/<host>/<port>', [6, 9, '/$/fixedinet/${1:host}/${2:port}'], undefined, '3fixedinet'],
      ],
    });
    assert.deepEqual(c('/a => /#/', 9).first[0], ['/#/io.l5d.fs', 'namer', '/#/io.l5d.fs/<file>', [6, 9, '/#/io.l5d.fs/${1:file}'], undefined, '2io.l5d.fs']);
    assert.equal(c('/a => /#/', 9).n, 12);
    assert.equal(c('/a => ', 6).n, 31);
    assert.equal(c('/a => /', 7).n, 27);
    assert.deepEqual(c('/host => /x ;\n/a => /h', 22), { ctx: { kind: 'term', token: 20 }, n: 1, first: [['/host', 'path', 'prefix of line 1', [20, 22, '/host'], undefined, '1/host']] });
    assert.deepEqual(c('', 0), { ctx: { kind: 'prefix', token: 0 }, n: 0, first: [] });
    assert.deepEqual(c('/a => /b ;\n', 11), {
      ctx: { kind: 'prefix', token: 11 },
      n: 2,
      first: [
        ['/a', 'path', 'prefix of line 1', [11, 11, '/a'], undefined, '1/a'],
        ['/b', 'path', 'used as a destination', [11, 11, '/b'], undefined, '1/b'],
      ],
    });
  });
});
