import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../../cli/main.js';
import { freshDist } from '../support/fresh-dist.js';

async function run(args: string[], files: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const written: Record<string, string> = {};
  const code = await main(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    readFile: (f) => {
      if (!(f in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return files[f]!;
    },
    writeFile: (f, t) => (written[f] = t),
  });
  return { code, out, err, written };
}

const BAD = '/a => /b\n/c = /d;\n/e => 0.5 * /f;';

describe('dtab check', () => {
  it('prints file:line:col: severity: message, and exits 1 on errors', async () => {
    const r = await run(['check', 'x.dtab'], { 'x.dtab': BAD });
    assert.equal(r.code, 1);
    assert.deepEqual(r.out.trimEnd().split('\n'), [
      'x.dtab:2:1: error: Missing `;` between dentries: dentries are separated by `;`, not by new lines. [expected-end]',
      'x.dtab:2:5: error: Expected `>` right after `=`: write `=>` with nothing between; found a space. [split-arrow]',
      'x.dtab:3:7: warning: The weight `0.5` is ignored: weights only apply between the branches of a `&` union, and Finagle drops this one silently. [weight-outside-union]',
    ]);
  });

  it('prints Finagle\'s messages with --finagle', async () => {
    const r = await run(['check', '--finagle', 'x.dtab'], { 'x.dtab': '/a=>/b /c=>/d' });
    assert.equal(r.out, "x.dtab:1:8: error: end of input expected but '/' found at '/a=>/b [/]c=>/d' [expected-end]\n");
  });

  it('prints LSP-style JSON with --format json', async () => {
    const r = await run(['check', '--format', 'json', 'x.dtab', 'ok.dtab'], { 'x.dtab': BAD, 'ok.dtab': '/a=>/b;' });
    const json = JSON.parse(r.out);
    assert.equal(json.length, 3);
    assert.deepEqual(json[1], {
      file: 'x.dtab',
      range: { start: { line: 1, character: 4 }, end: { line: 1, character: 5 } },
      severity: 'error',
      message: 'Expected `>` right after `=`: write `=>` with nothing between; found a space.',
      code: 'split-arrow',
    });
  });

  it('exits 0 when there are only warnings, 2 for unreadable files or bad arguments', async () => {
    assert.equal((await run(['check', 'w.dtab'], { 'w.dtab': '/a => 2 * /b' })).code, 0);
    const missing = await run(['check', 'nope.dtab']);
    assert.equal(missing.code, 2);
    assert.equal(missing.err, 'dtab: cannot read nope.dtab: no such file\n');
    assert.equal((await run(['check', '--format', 'xml', 'w.dtab'], { 'w.dtab': '' })).code, 2);
    assert.equal((await run(['check'])).code, 2);
    assert.equal((await run(['frobnicate'])).code, 2);
    assert.equal((await run(['check', '--bogus', 'w.dtab'], { 'w.dtab': '' })).code, 2);
  });
});

describe('dtab check on configs', () => {
  it('validates linkerd configs and ConfigMap manifests, embedded dtabs included, with the same output', async () => {
    const config = 'routers:\n- protocol: http\n  lable: x\n  dtab: |\n    /svc = /a;\n';
    const r = await run(['check', 'l5d.yaml'], { 'l5d.yaml': config });
    assert.equal(r.code, 1);
    assert.deepEqual(r.out.trimEnd().split('\n'), [
      'l5d.yaml:3:3: error: Unknown key `lable` in a `http` router: Linkerd rejects the whole config. Did you mean `label`? [unknown-key]',
      'l5d.yaml:5:11: error: Expected `>` right after `=`: write `=>` with nothing between; found a space. [split-arrow]',
    ]);
    const json = JSON.parse((await run(['check', '--format', 'json', 'l5d.yaml'], { 'l5d.yaml': config })).out);
    assert.deepEqual(json[1].range, { start: { line: 4, character: 10 }, end: { line: 4, character: 11 } });
    const fixture = readFileSync(join(__dirname, '..', 'fixtures', 'linkerd', 'manifests', 'k8s-daemonset-linkerd.yml'), 'utf8');
    const ok = await run(['check', 'm.yml'], { 'm.yml': fixture });
    assert.equal(ok.code, 0);
    assert.equal(ok.out, '');
  });
});

describe('dtab fmt and show', () => {
  it('prints, checks and writes the formatted text', async () => {
    const files = { 'a.dtab': '/svc=>/host;/host/world=>/srv' };
    assert.equal((await run(['fmt', 'a.dtab'], files)).out, '/svc         => /host ;\n/host/world  => /srv ;\n');
    const check = await run(['fmt', '--check', 'a.dtab'], files);
    assert.equal(check.code, 1);
    assert.equal(check.out, 'a.dtab: not formatted\n');
    const write = await run(['fmt', '--write', 'a.dtab'], files);
    assert.equal(write.code, 0);
    assert.equal(write.written['a.dtab'], '/svc         => /host ;\n/host/world  => /srv ;\n');
    assert.equal((await run(['fmt', '--check', 'a.dtab'], { 'a.dtab': write.written['a.dtab']! })).code, 0);
  });

  it('does not format or write a file with syntax errors', async () => {
    const r = await run(['fmt', '--write', 'b.dtab'], { 'b.dtab': BAD });
    assert.equal(r.code, 1);
    assert.deepEqual(r.written, {});
    assert.match(r.err, /b\.dtab:2:1: error: Missing `;`/);
  });

  it('shows the canonical form', async () => {
    const r = await run(['show', 'a.dtab'], { 'a.dtab': '# c\n/svc => 0.5 * /a & .5 * /b ;\n' });
    assert.equal(r.out, '/svc=>0.50*/a & 0.50*/b\n');
  });
});

describe('dtab delegate', () => {
  it('prints Linkerd\'s /delegator.json with --json', async () => {
    const r = await run(['delegate', '-e', '/svc => /$/inet/127.1/8080', '/svc/foo/bar', '--json']);
    assert.equal(
      r.out,
      '{"type":"delegate","path":"/svc/foo/bar","delegate":{"type":"leaf","path":"/$/inet/127.1/8080/foo/bar","dentry":{"prefix":"/svc","dst":"/$/inet/127.1/8080"},"bound":{"addr":{"type":"bound","addrs":[{"ip":"127.0.0.1","port":8080,"meta":{}}],"meta":{}},"id":"/$/inet/127.1/8080","path":"/foo/bar"}}}\n',
    );
  });

  it('prints a readable tree with the dentry of each step and the bound result', async () => {
    const r = await run(['delegate', '--dtab', 'd.dtab', '/svc/x'], { 'd.dtab': '/s => /$/inet/127.1/1;\n/svc => /t | /s;\n' });
    assert.equal(r.code, 0);
    assert.equal(
      r.out,
      [
        '* /svc/x  (alternatives: the first that is not negative wins)',
        '    /t/x  (negative: nothing matches)  <- /svc=>/t | /s (d.dtab:2)',
        '*   /s/x  <- /svc=>/t | /s (d.dtab:2)',
        '*     /$/inet/127.1/1/x  => bound /$/inet/127.1/1 residual /x: 127.0.0.1:1  <- /s=>/$/inet/127.1/1 (d.dtab:1)',
        '',
        'routes to:',
        '  100% → /$/inet/127.1/1/x (127.0.0.1:1)',
        '',
      ].join('\n'),
    );
  });

  it('rejects a bad path with exit 2 and both messages', async () => {
    const r = await run(['delegate', '-e', '/a=>/b', 'svc']);
    assert.equal(r.code, 2);
    assert.match(r.err, /invalid path: A path starts with `\/`/);
    assert.match(r.err, /'\/' expected but 's' found at '\[s\]vc'/);
    assert.equal((await run(['delegate', '/svc'])).code, 2, 'needs --dtab or -e');
  });
});

describe('the built bin', () => {
  it('runs as `node dist/cli.js` with real files and exit codes', () => {
    // Built first if older than its sources (see fresh-dist.ts): never a stale bundle.
    const bin = freshDist('cli.js');
    assert.ok(existsSync(bin), 'dist/cli.js is missing');
    const dir = mkdtempSync(join(tmpdir(), 'dtab-cli-'));
    writeFileSync(join(dir, 'ok.dtab'), '/svc=>/host;/host=>/$/inet/127.1/4140;\n');
    writeFileSync(join(dir, 'bad.dtab'), BAD);
    assert.equal(execFileSync('node', [bin, 'show', join(dir, 'ok.dtab')], { encoding: 'utf8' }), '/svc=>/host;/host=>/$/inet/127.1/4140\n');
    const bad = spawnSync('node', [bin, 'check', join(dir, 'bad.dtab')], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, /bad\.dtab:2:5: error/);
    const fmt = spawnSync('node', [bin, 'fmt', '--write', join(dir, 'ok.dtab')], { encoding: 'utf8' });
    assert.equal(fmt.status, 0);
    assert.equal(readFileSync(join(dir, 'ok.dtab'), 'utf8'), '/svc   => /host ;\n/host  => /$/inet/127.1/4140 ;\n');
    assert.equal(spawnSync('node', [bin, 'check', join(dir, 'missing.dtab')]).status, 2);
  });
});
