// The language layer (core/ide) on plain text: no process, no connection.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analyzeDtab,
  completionContext,
  complete,
  deepDiagnostics,
  definition,
  delegateTreeToJsonText,
  describeBound,
  hover,
  interpreterFor,
  prepareRename,
  references,
  rename,
  RenameError,
  suggestPaths,
  symbols,
  formatRangeEdits,
} from '../../core/index.js';
import { main } from '../../cli/main.js';
import { path } from '../support/dtab.js';

const CANARY = [
  '# Try /svc/world',
  '/srv         => /#/io.l5d.k8s/default/http ;',
  '/host        => /srv ;',
  '/svc         => /host ;',
  '/host/world  => 9 * /srv/world-v1 & 1 * /$/inet/127.1/7778 ;',
  '',
].join('\n');

/** The offset of the `n`th occurrence of `needle`, plus `delta`. */
function at(text: string, needle: string, delta = 0, n = 1): number {
  let i = -1;
  for (let k = 0; k < n; k++) i = text.indexOf(needle, i + 1);
  assert.ok(i >= 0, `${needle} not found`);
  return i + delta;
}

describe('completion context, from the parser', () => {
  const ctx = (text: string) => completionContext(analyzeDtab(text), text.length);
  it('knows prefix, arrow, term and operator positions', () => {
    assert.deepEqual(ctx(''), { kind: 'prefix', token: 0 });
    assert.deepEqual(ctx('/a => /b ;\n/sv'), { kind: 'prefix', token: 11 });
    assert.deepEqual(ctx('/svc '), { kind: 'arrow' });
    assert.deepEqual(ctx('/svc => '), { kind: 'term', token: 8 });
    assert.deepEqual(ctx('/svc => /ho'), { kind: 'term', token: 8 });
    assert.deepEqual(ctx('/svc => /host/'), { kind: 'term', token: 8 });
    assert.deepEqual(ctx('/svc => /host '), { kind: 'operator' });
    assert.deepEqual(ctx('/svc => /host | '), { kind: 'term', token: 16 });
    assert.deepEqual(ctx('/svc => 3 * '), { kind: 'term', token: 12 });
    assert.deepEqual(ctx('/svc => ~ '), { kind: 'operator' });
    assert.deepEqual(ctx('/a => /b # a comment'), { kind: 'none' });
    // A line that starts a dentry starts one, after a dentry left without its destination.
    assert.deepEqual(ctx('/svc => \n/svc/x => /srv '), { kind: 'operator' });
    assert.deepEqual(ctx('/svc => \n/svc/x => /sr'), { kind: 'term', token: 19 });
  });

  it('does not offer the prefix being written as its own destination', () => {
    const text = '/srv => /x ;\n/svc/x => ';
    const labels = complete(analyzeDtab(text), text.length).filter((c) => c.kind === 'path').map((c) => c.label);
    assert.deepEqual(labels, ['/srv']);
    const text2 = '/srv => /x ;\n/svc/x => /s';
    const items = complete(analyzeDtab(text2), text2.length).filter((c) => c.kind === 'path');
    assert.deepEqual(items.map((c) => [c.label, c.edit]), [['/srv', { span: { start: 23, end: 25 }, text: '/srv' }]]);
  });
});

describe('navigation', () => {
  const a = analyzeDtab(CANARY);
  it('goes from a path to the dentries that rewrite it', () => {
    assert.deepEqual(definition(a, at(CANARY, '/srv/world-v1', 2)), [{ start: at(CANARY, '/srv'), end: at(CANARY, '/srv') + 4 }]);
  });
  it('finds the paths a prefix rewrites', () => {
    assert.deepEqual(references(a, at(CANARY, '/srv', 1), false), [
      { start: at(CANARY, '/srv', 0, 2), end: at(CANARY, '/srv', 4, 2) },
      { start: at(CANARY, '/srv/world-v1'), end: at(CANARY, '/srv/world-v1', 13) },
    ]);
  });
  it('renames a label everywhere it names the same thing, and refuses names that are not labels', () => {
    const off = at(CANARY, 'host', 0);
    assert.deepEqual(prepareRename(a, off), { span: { start: off, end: off + 4 }, placeholder: 'host' });
    assert.deepEqual(
      rename(a, off, 'hosts')!.map((e) => e.span.start),
      [at(CANARY, 'host', 0, 1), at(CANARY, 'host', 0, 2), at(CANARY, 'host', 0, 3)],
    );
    assert.throws(() => rename(a, off, 'a/b'), (e: unknown) => e instanceof RenameError && e.message === '`a/b` is not a label: use letters, digits and _ : . # $ % - or \\xHH escapes');
  });
  it('suggests names: prefixes, names that reach longer prefixes, comments, destinations', () => {
    assert.deepEqual(suggestPaths(a), ['/srv', '/host', '/svc', '/host/world', '/svc/world', '/#/io.l5d.k8s/default/http', '/srv/world-v1']);
  });
  it('lists dentries as symbols, with destinations as written', () => {
    assert.deepEqual(symbols(a).map((s) => [s.name, s.detail]), [
      ['/srv', '=> /#/io.l5d.k8s/default/http'],
      ['/host', '=> /srv'],
      ['/svc', '=> /host'],
      ['/host/world', '=> 9 * /srv/world-v1 & 1 * /$/inet/127.1/7778'],
    ]);
  });
  it('formats the dentries of a range only', () => {
    const t = '/a=>/b;\n/long/prefix => /c ;\n';
    assert.deepEqual(formatRangeEdits(analyzeDtab(t), 0, 3), [{ span: { start: 0, end: 7 }, text: '/a            => /b ;' }]);
  });
});

describe('unresolved /#/ leaves', () => {
  it('route: the cluster keeps its share, in the bound summary and in the JSON', async () => {
    const a = analyzeDtab(CANARY);
    const interp = interpreterFor();
    assert.deepEqual(describeBound(await interp.bind(a.dtab, path('/svc/world'))), [
      '90% → /#/io.l5d.k8s/default/http/world-v1 (unresolved here: io.l5d.k8s resolves it at run time)',
      '10% → /$/inet/127.1/7778 (127.0.0.1:7778)',
    ]);
    const json = delegateTreeToJsonText(await interp.delegate(a.dtab, path('/srv/world-v1/x')));
    assert.equal(
      json,
      '{"type":"delegate","path":"/srv/world-v1/x","delegate":{"type":"leaf","path":"/#/io.l5d.k8s/default/http/world-v1/x","dentry":{"prefix":"/srv","dst":"/#/io.l5d.k8s/default/http"},"bound":{"addr":{"type":"pending"},"id":"/#/io.l5d.k8s/default/http/world-v1","path":"/x"}}}',
    );
  });
  it('a /#/ prefix no namer answers stays negative, as in Linkerd', async () => {
    const a = analyzeDtab('/svc => /#/my.namer/x | /$/inet/127.1/1 ;');
    assert.deepEqual(describeBound(await interpreterFor().bind(a.dtab, path('/svc'))), ['100% → /$/inet/127.1/1 (127.0.0.1:1)']);
  });
});

describe('hover', () => {
  it('explains a path: the steps by line, and where requests go, in plain words', async () => {
    const a = analyzeDtab(CANARY);
    const h = await hover(a, at(CANARY, '/host ;', 2), interpreterFor());
    assert.equal(
      h!.markdown,
      [
        '**`/host`** in this dtab',
        '```text\n→ /host\n→   /srv   (line 3)\n→     /#/io.l5d.k8s/default/http: negative, no namer has this name   (line 2)\n```',
        '**Routes to**\n\n- 100% → ~ (negative: no route, requests fail)',
      ].join('\n\n'),
    );
    assert.deepEqual(h!.span, { start: at(CANARY, '/host ;'), end: at(CANARY, '/host ;', 5) });
  });
  it("shows Finagle's words on a syntax error, cut around the error", async () => {
    const text = `/a => /b ;\n/c = /d ;\n${'/x => /y ;\n'.repeat(100)}`;
    const h = await hover(analyzeDtab(text), 15, interpreterFor());
    assert.ok(h);
    assert.match(h.markdown, /^\*\*Syntax error\*\*\n\nExpected `>` right after `=`: write `=>` with nothing between; found a space\.\n\nFinagle: `'>' expected but ' ' found at '\/a => \/b ;\n\/c =\[ \]\/d ;\n\/x => \/y ;/);
    assert.ok(h.markdown.length < 500, `${h.markdown.length} characters`);
  });
});

describe('deep checks, bounded', () => {
  it('reports cycles and never-used dentries with exact messages and spans', async () => {
    const text = '/a=>/b;/b=>/a;/svc/x=>/c;/svc=>!;';
    const d = await deepDiagnostics(analyzeDtab(text));
    assert.deepEqual(d.map((x) => [x.code, x.span.start, x.span.end]), [
      ['delegation-cycle', 0, 2],
      ['delegation-cycle', 7, 9],
      ['unreachable-dentry', 14, 24],
    ]);
    assert.equal(d[2]!.message, 'Never used: line 1 (`/svc => !`) comes later, matches every path this dentry matches and always answers, so Linkerd never falls back to this one.');
  });
  it('1,000 × `/a => /a`: one cycle check per prefix, every dentry reported', async () => {
    const d = await deepDiagnostics(analyzeDtab('/a => /a ;\n'.repeat(1000)));
    assert.equal(d.filter((x) => x.code === 'delegation-cycle').length, 1000);
  });
  it('a long alternation that runs out of budget is not a cycle', async () => {
    const alts = Array.from({ length: 2500 }, (_, i) => `/srv/x${i}`).join(' | ');
    const d = await deepDiagnostics(analyzeDtab(`/srv/x0 => /a | /b | /c ;\n/svc => ${alts} ;`));
    // Running out of budget is said as such, at the prefix: information, never a cycle warning.
    assert.deepEqual(d.map((x) => [x.code, x.severity, x.span.start, x.span.end]), [['delegation-too-complex', 'information', 26, 30]]);
    assert.equal(
      d[0]!.message,
      'Not checked for cycles: delegating this prefix took more than 20000 units of work (dentries matched and nodes made), so the check stopped. This is not a cycle; other prefixes like it were skipped too.',
    );
  });
});

describe('the CLI agrees with the editor', () => {
  it('dtab check runs the deep checks too (and --no-deep skips them)', async () => {
    const out: string[] = [];
    const io = { out: (s: string) => void out.push(s), err: () => undefined, readFile: () => '/a=>/b;/b=>/a;/svc/x=>/c;/svc=>!;', writeFile: () => undefined };
    assert.equal(await main(['check', 'x.dtab'], io), 0);
    assert.deepEqual(out.join('').split('\n').filter(Boolean).map((l) => l.replace(/: warning: .*\[/, ' [')), [
      'x.dtab:1:1 [delegation-cycle]',
      'x.dtab:1:8 [delegation-cycle]',
      'x.dtab:1:15 [unreachable-dentry]',
    ]);
    out.length = 0;
    assert.equal(await main(['check', '--no-deep', 'x.dtab'], io), 0);
    assert.equal(out.join(''), '');
  });
});

describe('NameTree.eval', () => {
  it('returns a set: the same leaf reached twice is one leaf, as in Finagle', async () => {
    const { evaluate, lowerTree, parseTree, reprEval } = await import('../../core/index.js');
    const ev = (t: string) => {
      const r = parseTree(t);
      assert.ok(r.ok);
      return reprEval(evaluate(lowerTree(r.value)));
    };
    assert.equal(ev('/x & /x'), 'Some([/x])');
    assert.equal(ev('3*/x & /x | /y'), 'Some([/x])');
    assert.equal(ev('/x & /y & (/x | /z)'), 'Some([/x, /y])');
  });
});

describe('hostile data in hovers and deep prefixes', () => {
  it('escapes what a snapshot or an API says, and no content closes the code fence', async () => {
    const { escapeMarkdown, fenced, snapshotSource, NamerRegistry, registerK8sNamers } = await import('../../core/index.js');
    assert.equal(escapeMarkdown('![t](https://x.example/p.png) <img src=x> `code`'), '\\!\\[t\\](https://x.example/p.png) \\<img src=x\\> \\`code\\`');
    assert.equal(fenced('text', 'a ```` b'), '`````text\na ```` b\n`````');
    const snapshot = JSON.stringify({
      kind: 'List',
      items: [
        { kind: 'Service', metadata: { name: 'w', namespace: 'd' }, spec: { ports: [{ name: 'http', port: 80 }] }, status: {} },
        { kind: 'Endpoints', metadata: { name: 'w', namespace: 'd' }, subsets: [{ addresses: [{ ip: '10.0.0.1', nodeName: '![t](https://x.example/p.png)```' }], ports: [{ name: 'http', port: 80 }] }] },
      ],
    });
    const src = snapshotSource(snapshot, 'hostile');
    const interp = interpreterFor({ registry: registerK8sNamers(new NamerRegistry(), () => src) });
    const text = '/a => /#/io.l5d.k8s/d/http/w ;\n/b => /a ;';
    const h = await hover(analyzeDtab(text), text.indexOf('/a ;') + 1, interp);
    assert.ok(h);
    assert.ok(h.markdown.includes('- 100% → /#/io.l5d.k8s/d/http/w (10.0.0.1:80 on \\!\\[t\\](https://x.example/p.png)\\`\\`\\`)'), h.markdown);
    // Outside the code block (where Markdown is not read), no image syntax is left unescaped.
    const outside = h.markdown.replace(/````text\n[\s\S]*?\n````/, '');
    assert.ok(!/(^|[^\\])!\[/.test(outside), outside);
    assert.ok(h.markdown.includes('````text\n'), 'a fence longer than the backticks inside');
  });

  it('a prefix of 50,000 labels: suggested paths, definition and deep checks do not recurse on it', async () => {
    const text = `${'/a'.repeat(50_000)} => /b ;\n/b => /c ;\n`;
    const a = analyzeDtab(text);
    assert.deepEqual(suggestPaths(a).slice(-2), ['/b', '/c']);
    assert.equal(definition(a, text.indexOf('/b ;') + 1).length, 1);
    assert.deepEqual((await deepDiagnostics(a)).map((d) => d.code), []);
  });
});
