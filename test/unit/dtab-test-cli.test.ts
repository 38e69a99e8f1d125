// `dtab test`: every exit status, with the exact output (text and --format json).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.js';

const root = join(__dirname, '..', '..');

const FILES: Record<string, string> = {
  'app.dtab': '/srv => /#/io.l5d.k8s/default/http;\n/svc => /srv;\n/svc/world => 9 * /srv/world-v1 & 1 * /$/inet/127.1/7778;\n',
  'other.dtab': '/svc => /$/inet/127.1/1;\n',
  'broken.dtab': '/svc => \n',
  'tests/ok.dtab-test': '# dtab: ../app.dtab\n/svc/hello => /#/io.l5d.k8s/default/http/hello\n/svc/world => 9 * /#/io.l5d.k8s/default/http/world-v1 & /$/inet/127.1/7778 | /#/io.l5d.k8s/default/http/world\n',
  'tests/fail.dtab-test': '# dtab: ../app.dtab\n/svc/hello => /#/io.l5d.k8s/default/http/hello\n/svc/world => /#/io.l5d.k8s/default/http/world-v1\n',
  'tests/syntax.dtab-test': '# dtab: ../app.dtab\n/svc/hello => \n/svc/hello => /#/io.l5d.k8s/default/http/hello\n',
  'tests/noheader.dtab-test': '/svc/hello => /x\n',
  'tests/brokendtab.dtab-test': '# dtab: ../broken.dtab\n/svc/hello => /x\n',
  'tests/missing.dtab-test': '# dtab: ../nope.dtab\n/svc/hello => /x\n',
  'l5d.yaml': 'routers:\n- protocol: http\n  label: edge\n  dtab: |\n    /svc => /$/inet/127.1/4140;\n  servers:\n  - port: 4140\n',
  'tests/config.dtab-test': '# config: ../l5d.yaml router: edge\n/svc/a => /$/inet/127.1/4140/a\n',
};

const run = (args: string[], files: Record<string, string> = FILES) => runCli(['test', ...args], { files, writes: { fail: 'dtab test writes nothing' } });

const FAIL_TEXT = [
  'tests/fail.dtab-test:3: FAIL /svc/world: expected /#/io.l5d.k8s/default/http/world-v1, got 9.00*/#/io.l5d.k8s/default/http/world-v1 & /$/inet/127.1/7778 | /#/io.l5d.k8s/default/http/world',
  '    * /svc/world  (alternatives: the first that is not negative wins)',
  '    *   /svc/world  (union: traffic is split by weight)  <- /svc/world=>9.00*/srv/world-v1 & /$/inet/127.1/7778 (app.dtab:3)',
  '    *     [90%] /srv/world-v1  <- /svc/world=>9.00*/srv/world-v1 & /$/inet/127.1/7778 (app.dtab:3)',
  '    *       /#/io.l5d.k8s/default/http/world-v1  => bound /#/io.l5d.k8s/default/http/world-v1: unresolved here: io.l5d.k8s resolves it at run time  <- /srv=>/#/io.l5d.k8s/default/http (app.dtab:1)',
  '    *     [10%] /$/inet/127.1/7778  => bound /$/inet/127.1/7778: 127.0.0.1:7778  <- /svc/world=>9.00*/srv/world-v1 & /$/inet/127.1/7778 (app.dtab:3)',
  '        /srv/world  <- /svc=>/srv (app.dtab:2)',
  '          /#/io.l5d.k8s/default/http/world  => bound /#/io.l5d.k8s/default/http/world: unresolved here: io.l5d.k8s resolves it at run time  <- /srv=>/#/io.l5d.k8s/default/http (app.dtab:1)',
  '2 assertions: 1 passed, 1 failed',
  '',
].join('\n');

describe('dtab test', () => {
  it('exits 0 when every assertion holds, and counts them', async () => {
    assert.deepEqual(await run(['tests/ok.dtab-test']), { code: 0, out: '2 assertions: 2 passed, 0 failed\n', err: '' });
    assert.deepEqual(await run(['tests/config.dtab-test']), { code: 0, out: '1 assertion: 1 passed, 0 failed\n', err: '' });
  });

  it('exits 1 when one fails: file:line: FAIL, expected and actual, and the delegation that led there', async () => {
    assert.deepEqual(await run(['tests/fail.dtab-test']), { code: 1, out: FAIL_TEXT, err: '' });
  });

  it('--format json: one object per assertion, line 1-based', async () => {
    const r = await run(['--format', 'json', 'tests/ok.dtab-test', 'tests/fail.dtab-test']);
    assert.equal(r.code, 1);
    assert.equal(r.err, '');
    assert.deepEqual(JSON.parse(r.out), [
      { file: 'tests/ok.dtab-test', line: 2, path: '/svc/hello', expected: '/#/io.l5d.k8s/default/http/hello', actual: '/#/io.l5d.k8s/default/http/hello', ok: true },
      { file: 'tests/ok.dtab-test', line: 3, path: '/svc/world', expected: '9.00*/#/io.l5d.k8s/default/http/world-v1 & /$/inet/127.1/7778 | /#/io.l5d.k8s/default/http/world', actual: '9.00*/#/io.l5d.k8s/default/http/world-v1 & /$/inet/127.1/7778 | /#/io.l5d.k8s/default/http/world', ok: true },
      { file: 'tests/fail.dtab-test', line: 2, path: '/svc/hello', expected: '/#/io.l5d.k8s/default/http/hello', actual: '/#/io.l5d.k8s/default/http/hello', ok: true },
      { file: 'tests/fail.dtab-test', line: 3, path: '/svc/world', expected: '/#/io.l5d.k8s/default/http/world-v1', actual: '9.00*/#/io.l5d.k8s/default/http/world-v1 & /$/inet/127.1/7778 | /#/io.l5d.k8s/default/http/world', ok: false },
    ]);
    assert.deepEqual(await run(['--format', 'json', 'tests/noheader.dtab-test', '--dtab', 'other.dtab']), {
      code: 1,
      out: '[\n  {\n    "file": "tests/noheader.dtab-test",\n    "line": 1,\n    "path": "/svc/hello",\n    "expected": "/x",\n    "actual": "/$/inet/127.1/1/hello",\n    "ok": false\n  }\n]\n',
      err: '',
    });
  });

  it('exits 1 when a test file has errors (the other assertions still run)', async () => {
    assert.deepEqual(await run(['tests/syntax.dtab-test']), {
      code: 1,
      out: '1 assertion: 1 passed, 0 failed\n',
      err: 'tests/syntax.dtab-test:2:15: error: An assertion is `PATH => EXPECTED`: Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text.\n',
    });
  });

  it('exits 1 when the tested dtab has syntax errors, or the config has no such router', async () => {
    assert.deepEqual(await run(['tests/brokendtab.dtab-test']), {
      code: 1,
      out: '0 assertions: 0 passed, 0 failed\n',
      err: 'broken.dtab:2:1: error: Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text. [expected-term]\n',
    });
    assert.deepEqual(await run(['--config', 'l5d.yaml', '--router', 'nope', 'tests/noheader.dtab-test']), {
      code: 1,
      out: '0 assertions: 0 passed, 0 failed\n',
      err: 'dtab: l5d.yaml: no router or namespace labelled nope has a dtab (there are: edge)\n',
    });
  });

  it('flags win over the header', async () => {
    const r = await run(['--dtab', 'other.dtab', 'tests/ok.dtab-test']);
    assert.equal(r.code, 1);
    assert.match(r.out, /^tests\/ok\.dtab-test:2: FAIL \/svc\/hello: expected \/#\/io\.l5d\.k8s\/default\/http\/hello, got \/\$\/inet\/127\.1\/1\/hello\n/);
  });

  it('exits 2 on unreadable files: the test file, the dtab it names', async () => {
    assert.deepEqual(await run(['nope.dtab-test', 'tests/ok.dtab-test']), { code: 2, out: '2 assertions: 2 passed, 0 failed\n', err: 'dtab: cannot read nope.dtab-test: no such file\n' });
    assert.deepEqual(await run(['tests/missing.dtab-test']), { code: 2, out: '0 assertions: 0 passed, 0 failed\n', err: 'dtab: cannot read nope.dtab: no such file\n' });
  });

  it('exits 2 when no dtab is named, and on bad usage', async () => {
    assert.deepEqual(await run(['tests/noheader.dtab-test']), {
      code: 2,
      out: '0 assertions: 0 passed, 0 failed\n',
      err: 'dtab: tests/noheader.dtab-test: no dtab to test: name it in a header comment (# dtab: FILE, # config: FILE router: LABEL, # namerd: URL ns: NS) or with --dtab, --config or --namerd\n',
    });
    for (const [args, message] of [
      [[], 'no TESTFILE given'],
      [['--format', 'xml', 'tests/ok.dtab-test'], '--format must be text or json, not xml'],
      [['--router', 'x', 'tests/ok.dtab-test'], '--router goes with --config'],
      [['--dtab', 'a', '--config', 'b', 'tests/ok.dtab-test'], 'give at most one of --dtab FILE, --config FILE or --namerd URL'],
      [['--namerd', 'http://127.0.0.1:1', 'tests/ok.dtab-test'], '--namerd URL and --ns NS go together'],
      [['--snapshot', 's.yaml', '--kubeconfig', 'k', 'tests/ok.dtab-test'], '--snapshot cannot be used with --kubeconfig or --context'],
    ] as const) {
      const r = await run([...args]);
      assert.equal(r.code, 2, message);
      assert.equal(r.out, '');
      assert.ok(r.err.startsWith(`dtab: ${message}\nusage:\n`), r.err);
    }
  });

  it('exits 5 when namerd cannot be reached', async () => {
    const r = await run(['--namerd', 'http://127.0.0.1:1', '--ns', 'prod', 'tests/noheader.dtab-test']);
    assert.equal(r.code, 5);
    assert.equal(r.out, '0 assertions: 0 passed, 0 failed\n');
    assert.match(r.err, /^dtab: namerd http:\/\/127\.0\.0\.1:1 namespace prod: /);
  });

  it("Gob's examples/gob/routing.dtab-test passes, with the snapshot its header names", async () => {
    const real = (f: string) => readFileSync(join(root, f), 'utf8');
    const files = Object.fromEntries(['examples/gob/routing.dtab-test', 'examples/gob/k8s-namerd-default.dtab', 'examples/cluster.k8s-snapshot.yaml'].map((f) => [f, real(f)]));
    assert.deepEqual(await run(['examples/gob/routing.dtab-test'], files), { code: 0, out: '6 assertions: 6 passed, 0 failed\n', err: '' });
  });
});
