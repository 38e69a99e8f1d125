import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../support/cli.js';

const run = (args: string[], files: Record<string, string> = {}) => runCli(args, { files, writes: { fail: 'diff writes nothing' } });

const K8S = '/srv => /#/io.l5d.k8s/default/http;\n/svc => /srv;\n';
const OLD = K8S + '/svc/world => /srv/world-v1;\n';
const NEW = K8S + '/svc/world => 1 * /srv/world-v2 & 9 * /srv/world-v1;\n';
const FILES = { 'old.dtab': OLD, 'new.dtab': NEW };

describe('dtab diff', () => {
  it('prints the names whose routing changes, and exits 0', async () => {
    const r = await run(['diff', 'old.dtab', 'new.dtab'], FILES);
    assert.deepEqual(r, { code: 0, out: '/svc/world: world-v1 100% → world-v1 90%, world-v2 10%\n1 logical name changes where it goes (3 names compared)\n', err: '' });
  });

  it('says so when nothing changes, and exits 0', async () => {
    const r = await run(['diff', 'old.dtab', 'same.dtab'], { ...FILES, 'same.dtab': '# the same, written otherwise\n' + OLD.replace(/ => /g, '=>') });
    assert.deepEqual(r, { code: 0, out: 'no logical name changes where it goes (3 names compared)\n', err: '' });
  });

  it('prints [{name, before, after}] with --json, the bound trees as NameTree.show', async () => {
    const r = await run(['diff', '--json', 'old.dtab', 'new.dtab', '--name', '/svc/world/x', '--name', '/other'], FILES);
    assert.equal(r.code, 0);
    assert.equal(r.err, '');
    assert.deepEqual(JSON.parse(r.out), [
      { name: '/svc/world/x', before: '/#/io.l5d.k8s/default/http/world-v1/x', after: '/#/io.l5d.k8s/default/http/world-v2/x & 9.00*/#/io.l5d.k8s/default/http/world-v1/x' },
      { name: '/svc/world', before: '/#/io.l5d.k8s/default/http/world-v1', after: '/#/io.l5d.k8s/default/http/world-v2 & 9.00*/#/io.l5d.k8s/default/http/world-v1' },
    ]);
    assert.equal((await run(['diff', '--json', 'old.dtab', 'old.dtab'], FILES)).out, '[]\n');
  });

  it('compares /svc/<service> for the services of a snapshot', async () => {
    const snapshot = readFileSync(join(__dirname, '..', '..', 'examples', 'cluster.k8s-snapshot.yaml'), 'utf8');
    const r = await run(['diff', 'old.dtab', 'hello.dtab', '--snapshot', 'cluster.yaml'], { ...FILES, 'hello.dtab': OLD + '/svc/hello => /srv/world-v2;\n', 'cluster.yaml': snapshot });
    assert.deepEqual(r, {
      code: 0,
      out: '/svc/hello: /#/io.l5d.k8s/default/http/hello → /#/io.l5d.k8s/default/http/world-v2\n1 logical name changes where it goes (6 names compared)\n',
      err: '',
    });
  });

  it('exits 1 with the syntax errors of both files, as dtab check prints them', async () => {
    const files = { 'a.dtab': '/a = /b;\n', 'b.dtab': '/a => /b;\n/c =>' };
    const r = await run(['diff', 'a.dtab', 'b.dtab'], files);
    const check = await run(['check', '--no-deep', 'a.dtab', 'b.dtab'], files);
    assert.equal(r.err, check.out);
    assert.deepEqual(r, {
      code: 1,
      out: '',
      err: [
        'a.dtab:1:5: error: Expected `>` right after `=`: write `=>` with nothing between; found a space. [split-arrow]',
        'b.dtab:2:6: error: Expected a destination here (a path, `~`, `!`, `$` or `(`), found the end of the text. [expected-term]',
        '',
      ].join('\n'),
    });
  });

  it('exits 2 for bad usage and unreadable input', async () => {
    const usage = await run(['diff', 'old.dtab'], FILES);
    assert.equal(usage.code, 2);
    assert.ok(usage.err.startsWith('dtab: diff takes exactly two FILEs: OLD and NEW\nusage:\n'));
    assert.match(usage.err, /dtab diff OLD NEW \[--name PATH\]\.\.\. \[--snapshot FILE \| --kubeconfig FILE \[--context NAME\]\] \[--json\]/);
    const both = await run(['diff', 'old.dtab', 'new.dtab', '--snapshot', 's.yaml', '--kubeconfig', 'k'], FILES);
    assert.equal(both.code, 2);
    assert.ok(both.err.startsWith('dtab: --snapshot cannot be used with --kubeconfig or --context\n'));
    assert.deepEqual(await run(['diff', 'old.dtab', 'missing.dtab'], FILES), { code: 2, out: '', err: 'dtab: cannot read missing.dtab: no such file\n' });
    const name = await run(['diff', 'old.dtab', 'new.dtab', '--name', 'svc'], FILES);
    assert.equal(name.code, 2);
    assert.equal(name.err, "dtab: invalid --name path: A path starts with `/`; found `s`.\n  '/' expected but 's' found at '[s]vc'\n");
    assert.deepEqual(await run(['diff', 'old.dtab', 'new.dtab', '--snapshot', 'bad.yaml'], { ...FILES, 'bad.yaml': '- just\n- a list\n' }), {
      code: 2,
      out: '',
      err: 'dtab: cannot read the snapshot bad.yaml: Snapshot bad.yaml: expected a Kubernetes List or object, not a list (at offset 0)\n',
    });
    const config = await run(['diff', 'l5d.yaml', 'new.dtab'], { ...FILES, 'l5d.yaml': 'routers: []\n' });
    assert.equal(config.code, 2);
    assert.match(config.err, /^dtab: l5d\.yaml is a YAML\/JSON file, not a dtab: `dtab diff` reads dtab text\./);
  });

  it('exits 5 when the cluster cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtab-diff-'));
    const kubeconfig = join(dir, 'config');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters:\n- cluster: {server: "https://127.0.0.1:1"}\n  name: dead\ncontexts:\n- context: {cluster: dead, user: u}\n  name: dead\ncurrent-context: dead\nusers:\n- name: u\n  user: {token: x}\n',
    );
    const r = await run(['diff', 'old.dtab', 'new.dtab', '--kubeconfig', kubeconfig], FILES);
    assert.deepEqual(r, { code: 5, out: '', err: "dtab: cannot list the cluster's services: cannot reach the Kubernetes API at https://127.0.0.1:1: connection refused\n" });
  });
});
