// io.l5d.fs: files of `host port` lines under the namer's rootDir.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { delegateTreeToJsonText, fsNamer, Interpreter, parseAddressFile } from '../../core/index.js';
import { main } from '../../cli/main.js';
import { dtab, path } from '../support/dtab.js';

describe('io.l5d.fs', () => {
  it('reads host port lines, skipping blank lines and comments, and says what it could not read', () => {
    assert.deepEqual(parseAddressFile('# hello\n127.0.0.1 7777\n\n10.0.0.2   8080  # two\nbad line here\n127.0.0.1 99999\n'), {
      addrs: [
        { ip: '127.0.0.1', port: 7777, meta: {} },
        { ip: '10.0.0.2', port: 8080, meta: {} },
      ],
      problems: ['line 5: expected `host port`, found `bad line here`', 'line 6: expected `host port`, found `127.0.0.1 99999`'],
    });
  });

  it('binds /#/io.l5d.fs/<file> to the file\'s addresses (residual kept); a missing file is negative', () => {
    const files: Record<string, string> = { hello: '127.0.0.1 7777\n' };
    const namer = fsNamer({ kind: 'io.l5d.fs', prefix: '/#/io.l5d.fs', params: {} }, (f) => files[f]);
    const interp = new Interpreter([{ prefix: ['#', 'io.l5d.fs'], namer }]);
    assert.equal(
      delegateTreeToJsonText(interp.delegateSync(dtab('/svc => /#/io.l5d.fs'), path('/svc/hello/x'))),
      '{"type":"delegate","path":"/svc/hello/x","delegate":{"type":"leaf","path":"/#/io.l5d.fs/hello/x","dentry":{"prefix":"/svc","dst":"/#/io.l5d.fs"},"bound":{"addr":{"type":"bound","addrs":[{"ip":"127.0.0.1","port":7777,"meta":{}}],"meta":{}},"id":"/#/io.l5d.fs/hello","path":"/x"}}}',
    );
    assert.equal(delegateTreeToJsonText(interp.delegateSync(dtab('/svc => /#/io.l5d.fs'), path('/svc/nope'))), '{"type":"delegate","path":"/svc/nope","delegate":{"type":"neg","path":"/#/io.l5d.fs/nope","dentry":{"prefix":"/svc","dst":"/#/io.l5d.fs"}}}');
  });

  it('dtab delegate --config reads rootDir relative to the config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dtab-fs-'));
    mkdirSync(join(dir, 'disco'));
    writeFileSync(join(dir, 'disco', 'world'), '127.0.0.1 7778\n127.0.0.2 7778\n');
    const config = join(dir, 'linkerd.yaml');
    writeFileSync(config, 'namers:\n- kind: io.l5d.fs\n  rootDir: disco\nrouters:\n- protocol: http\n  dtab: /svc => /#/io.l5d.fs ;\n  servers:\n  - port: 4140\n');
    let out = '';
    let err = '';
    const { readFileSync } = await import('node:fs');
    const code = await main(['delegate', '--config', config, '--offline', '/svc/world'], {
      out: (s) => void (out += s),
      err: (s) => void (err += s),
      readFile: (f) => readFileSync(f, 'utf8'),
      writeFile: () => undefined,
    });
    assert.equal(code, 0, err);
    assert.match(out, /routes to:\n {2}100% → \/#\/io\.l5d\.fs\/world \(127\.0\.0\.1:7778, 127\.0\.0\.2:7778\)\n/);
  });
});
