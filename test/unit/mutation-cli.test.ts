// Exact exit codes and output of the `dtab` command line (cli/main.ts), with several files at once,
// clean and broken mixed in either order: written so that mutants of cli/main.ts fail a test.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { main } from '../../cli/main.js';

const FILES: Record<string, string> = {
  'ok.dtab': '/a => /b;\n',
  'bad.dtab': '/a => /b /c\n',
  'warn.dtab': '/a => 0.5 * /b;\n',
  'cyc.dtab': '/a => /b;\n/b => /a;\n',
  'ugly.dtab': '/a=>/b;/c=>/d;\n',
  'fmt.dtab': '/a  => /b ;\n',
  'c.yaml': 'routers:\n- protocol: http\n  dtab: /a => /b /c\n',
  'c2.yaml': 'routers:\n- protocol: http\n  dtab: |\n    /x => /y;\n    /a => /$/inet/127.1/1;\n',
  'mix.dtab': '/a => /b ;\n/b => 0.5 * /a ;\n',
};

async function run(...args: string[]) {
  let out = '';
  let err = '';
  const written: Record<string, string> = {};
  const code = await main(args, {
    out: (s) => (out += s),
    err: (s) => (err += s),
    readFile: (f) => {
      if (!(f in FILES)) throw Object.assign(new Error('nope'), { code: 'ENOENT' });
      return FILES[f]!;
    },
    writeFile: (f, t) => (written[f] = t),
  });
  return { code, out, err, written };
}

const MISSING_SEMI = 'Missing `;` between dentries: dentries are separated by `;`, not by new lines.';
const BAD_LINE = `bad.dtab:1:10: error: ${MISSING_SEMI} [expected-end]\n`;

/** A usage error: exit 2, the reason, then the usage text. */
async function usage(reason: string, ...args: string[]) {
  const r = await run(...args);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.ok(r.err.startsWith(`dtab: ${reason}\nusage:\n  dtab check [--format text|json] [--finagle] [--no-deep] FILE...\n`), r.err);
  assert.ok(r.err.endsWith('6 a canary gate or stage request failed (nothing written).\n'), r.err);
}

describe('dtab check: exit codes over several files', () => {
  it('1 when any file has an error, in either order', async () => {
    for (const files of [['ok.dtab', 'bad.dtab'], ['bad.dtab', 'ok.dtab'], ['ok.dtab', 'warn.dtab', 'bad.dtab']]) {
      const r = await run('check', ...files);
      assert.equal(r.code, 1, files.join(' '));
      assert.ok(r.out.endsWith(BAD_LINE), r.out);
      assert.equal(r.err, '');
    }
  });
  it('0 for clean files and warnings', async () => {
    assert.deepEqual(await run('check', 'ok.dtab'), { code: 0, out: '', err: '', written: {} });
    const r = await run('check', 'ok.dtab', 'warn.dtab');
    assert.equal(r.code, 0);
    assert.equal(r.out, 'warn.dtab:1:7: warning: The weight `0.5` is ignored: weights only apply between the branches of a `&` union, and Finagle drops this one silently. [weight-outside-union]\n');
  });
  it('2 when a file cannot be read, after reporting the others', async () => {
    const r = await run('check', 'bad.dtab', 'nope.dtab', 'ok.dtab');
    assert.deepEqual(r, { code: 2, out: BAD_LINE, err: 'dtab: cannot read nope.dtab: no such file\n', written: {} });
  });
  it('runs the deep checks unless --no-deep', async () => {
    const r = await run('check', 'cyc.dtab');
    assert.equal(r.code, 0);
    assert.equal(
      r.out,
      'cyc.dtab:1:1: warning: Delegation loops: `/a` → `/b` → `/a` → …; Linkerd gives up after 100 rewrites ("Max recursion level reached"). [delegation-cycle]\n' +
        'cyc.dtab:2:1: warning: Delegation loops: `/b` → `/a` → `/b` → …; Linkerd gives up after 100 rewrites ("Max recursion level reached"). [delegation-cycle]\n',
    );
    assert.deepEqual(await run('check', '--no-deep', 'cyc.dtab'), { code: 0, out: '', err: '', written: {} });
  });
  it('sorts the quick and the deep findings of a file by place', async () => {
    const r = await run('check', 'mix.dtab');
    assert.equal(r.code, 0);
    assert.deepEqual(
      r.out.split('\n').map((l) => l.split(': ')[0]),
      ['mix.dtab:1:1', 'mix.dtab:2:1', 'mix.dtab:2:7', ''],
    );
  });
  it('checks the dtabs inside a config, at their place in the file', async () => {
    assert.deepEqual(await run('check', 'c.yaml'), { code: 1, out: `c.yaml:3:18: error: ${MISSING_SEMI} [expected-end]\n`, err: '', written: {} });
  });
  it("--finagle, --format json, and a bad --format", async () => {
    assert.equal((await run('check', '--finagle', 'bad.dtab')).out, "bad.dtab:1:10: error: end of input expected but '/' found at '/a => /b [/]c\n' [expected-end]\n");
    assert.deepEqual(await run('check', '--format', 'json', 'ok.dtab'), { code: 0, out: '[]\n', err: '', written: {} });
    await usage('--format must be text or json, not xml', 'check', '--format', 'xml', 'ok.dtab');
  });
});

describe('dtab: commands and usage', () => {
  it('usage errors exit 2 with the usage', async () => {
    await usage('no command given');
    await usage('unknown command: nope', 'nope');
    await usage('show takes exactly one FILE', 'show');
    await usage('show takes exactly one FILE', 'show', 'a', 'b');
    await usage('--check and --write cannot be used together', 'fmt', '--check', '--write', 'ok.dtab');
    await usage('delegate needs exactly one of --dtab FILE, -e TEXT or --config FILE', 'delegate', '-e', '/a=>/b', '--dtab', 'ok.dtab', '/a');
    await usage('delegate needs exactly one of --dtab FILE, -e TEXT or --config FILE', 'delegate', '/a');
    await usage('--router goes with --config', 'delegate', '--router', 'r', '-e', '/a=>/b', '/a');
    await usage('--offline cannot be used with --kubeconfig or --context', 'delegate', '--offline', '--kubeconfig', 'k', '-e', '/a=>/b', '/a');
    await usage('--offline cannot be used with --kubeconfig or --context', 'delegate', '--offline', '--context', 'k', '-e', '/a=>/b', '/a');
    await usage('delegate takes exactly one PATH', 'delegate', '-e', '/a=>/b', '/a', '/b');
    await usage('delegate takes exactly one PATH', 'delegate', '-e', '/a=>/b');
    const bogus = await run('check', '--bogus');
    assert.equal(bogus.code, 2);
    assert.ok(bogus.err.startsWith("dtab: Unknown option '--bogus'"), bogus.err);
    assert.ok(bogus.err.includes('\nusage:\n'), bogus.err);
  });
  it('help exits 0 with the usage on standard output', async () => {
    for (const h of ['help', '-h', '--help']) {
      const r = await run(h);
      assert.equal(r.code, 0);
      assert.ok(r.out.startsWith('usage:\n  dtab check'), r.out);
      assert.equal(r.err, '');
    }
  });
});

describe('dtab fmt and show', () => {
  it('fmt --check names each unformatted file and exits 1; 0 when all are formatted', async () => {
    assert.deepEqual(await run('fmt', '--check', 'ok.dtab', 'ugly.dtab'), { code: 1, out: 'ok.dtab: not formatted\nugly.dtab: not formatted\n', err: '', written: {} });
    assert.deepEqual(await run('fmt', '--check', 'fmt.dtab'), { code: 0, out: '', err: '', written: {} });
  });
  it('fmt prints, fmt --write writes only what changes', async () => {
    assert.deepEqual(await run('fmt', 'ugly.dtab'), { code: 0, out: '/a  => /b ;\n/c  => /d ;\n', err: '', written: {} });
    assert.deepEqual(await run('fmt', '--write', 'ugly.dtab', 'fmt.dtab'), { code: 0, out: '', err: '', written: { 'ugly.dtab': '/a  => /b ;\n/c  => /d ;\n' } });
  });
  it('fmt goes on past a broken file, and exits 1', async () => {
    assert.deepEqual(await run('fmt', 'bad.dtab', 'ok.dtab'), {
      code: 1,
      out: '/a  => /b ;\n',
      err: `${BAD_LINE}bad.dtab: not formatted: fix the syntax errors first\n`,
      written: {},
    });
  });
  it('show: the one-line form, 1 on syntax errors, 2 for a config', async () => {
    assert.deepEqual(await run('show', 'ugly.dtab'), { code: 0, out: '/a=>/b;/c=>/d\n', err: '', written: {} });
    assert.deepEqual(await run('show', 'bad.dtab'), { code: 1, out: '', err: BAD_LINE, written: {} });
    const r = await run('show', 'c.yaml');
    assert.equal(r.code, 2);
    assert.ok(r.err.startsWith('dtab: c.yaml is a YAML/JSON file, not a dtab: `dtab show` reads dtab text.'), r.err);
  });
});

describe('dtab delegate', () => {
  it('--json: the delegate tree', async () => {
    assert.deepEqual(await run('delegate', '-e', '/a=>/b', '/a/x', '--json'), {
      code: 0,
      out: '{"type":"delegate","path":"/a/x","delegate":{"type":"neg","path":"/b/x","dentry":{"prefix":"/a","dst":"/b"}}}\n',
      err: '',
      written: {},
    });
  });
  it('a tree, the dentry of each step with where it is, and where it routes', async () => {
    assert.deepEqual(await run('delegate', '-e', '/a=>/$/inet/127.1/8080', '/a/x'), {
      code: 0,
      out: '* /a/x\n*   /$/inet/127.1/8080/x  => bound /$/inet/127.1/8080 residual /x: 127.0.0.1:8080  <- /a=>/$/inet/127.1/8080 (-e:1)\n\nroutes to:\n  100% → /$/inet/127.1/8080/x (127.0.0.1:8080)\n',
      err: '',
      written: {},
    });
  });
  it('--config: the router\'s dtab, each step located at its line in the config file', async () => {
    assert.deepEqual(await run('delegate', '--config', 'c2.yaml', '--offline', '/a/z'), {
      code: 0,
      out: '* /a/z\n*   /$/inet/127.1/1/z  => bound /$/inet/127.1/1 residual /z: 127.0.0.1:1  <- /a=>/$/inet/127.1/1 (c2.yaml:5)\n\nroutes to:\n  100% → /$/inet/127.1/1/z (127.0.0.1:1)\n',
      err: '',
      written: {},
    });
    const f = await run('fmt', 'c.yaml');
    assert.equal(f.code, 2);
    assert.ok(f.err.startsWith('dtab: c.yaml is a YAML/JSON file, not a dtab: `dtab fmt` reads dtab text.'), f.err);
  });
  it('1 for syntax errors or a failed delegation; 2 for a config given as --dtab; 4 for no such router', async () => {
    assert.deepEqual(await run('delegate', '-e', '/a=>/b /c', '/a'), { code: 1, out: '', err: `-e:1:8: error: ${MISSING_SEMI} [expected-end]\n`, written: {} });
    assert.deepEqual(await run('delegate', '-e', '/a=>/b;/b=>/a', '/a'), { code: 1, out: '', err: 'dtab: delegation failed: Max recursion level reached.\n', written: {} });
    const y = await run('delegate', '--dtab', 'c.yaml', '/a');
    assert.equal(y.code, 2);
    assert.ok(y.err.startsWith('dtab: c.yaml is a YAML/JSON file, not a dtab: `dtab delegate` reads dtab text.'), y.err);
    assert.deepEqual(await run('delegate', '--config', 'c.yaml', '--router', 'nope', '/a'), {
      code: 4,
      out: '',
      err: 'dtab: c.yaml: no router or namespace labelled nope has a dtab (there are: http)\n',
      written: {},
    });
  });
});
