// `dtab request` against the Linkerd stand-in: exit statuses 0/1/2/5 and the exact output (the
// measured time is the one thing replaced before comparing).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runCli } from '../support/cli.js';
import { fixedNamer, startLinkerdStandin, type LinkerdStandin } from '../linkerd/standin.js';

let l5d: LinkerdStandin;
let router: string;
before(async () => {
  l5d = await startLinkerdStandin({
    routers: [{ label: 'http', dtab: '/svc=>/#/io.l5d.fs' }],
    namers: [{ prefix: '/#/io.l5d.fs', namer: fixedNamer({ dog: ['127.0.0.1:8080'], cat: ['127.0.0.1:8081'] }, '/#/io.l5d.fs') }],
    requestIds: () => '00000000000000ab',
  });
  router = l5d.routerUrl('http');
});
after(() => l5d.stop());

const run = (args: string[], files: Record<string, string> = {}) =>
  runCli(args, { files, normaliseOut: (out) => out.replace(/^time: \d+ ms$/gm, 'time: T ms').replace(/"timeMs": [\d.e+-]+/g, '"timeMs": T') });

const DOG_BODY = '{\n  "service": "/svc/dog",\n  "client": "/#/io.l5d.fs/dog",\n  "residual": "/",\n  "address": "127.0.0.1:8080",\n  "dtab": ""\n}\n';

describe('dtab request', () => {
  it('0: prints what was sent, status, time, size, the l5d headers explained and the body', async () => {
    const r = await run(['request', '--router', router, '-H', 'Host: dog', '/bark']);
    assert.equal(r.err, '');
    assert.equal(r.code, 0);
    assert.equal(
      r.out,
      `> GET ${router}/bark\n> Host: dog\n< 200 OK\ntime: T ms\nsize: 102 bytes\n` +
        'l5d-dst-service: /svc/dog\n    the logical name Linkerd identified the request as: /svc/dog\n' +
        'l5d-dst-client: /#/io.l5d.fs/dog\n    the bound id (the client Linkerd sent the request to after delegation): /#/io.l5d.fs/dog\n' +
        'l5d-reqid: 00000000000000ab\n    the root trace id of the request; as a Zipkin trace id: GET /api/v2/trace/00000000000000ab\n' +
        '\n' +
        DOG_BODY,
    );
  });

  it('sends the override in Dtab.show form, and l5d-sample with --sample', async () => {
    l5d.clearRequests();
    const r = await run(['request', '--router', router, '-X', 'PUT', '-H', 'Host: dog', '--override-file', 'o.dtab', '--sample', '--json', '/'], {
      'o.dtab': '# canary\n/svc/dog  =>  /#/io.l5d.fs/cat ;\n',
    });
    assert.equal(r.code, 0);
    assert.deepEqual(
      l5d.requests.map((x) => [x.method, x.dtabHeaders, x.sample]),
      [['PUT', ['/svc/dog=>/#/io.l5d.fs/cat'], '1.0']],
    );
    const json = JSON.parse(r.out.replace('"timeMs": T', '"timeMs": 0'));
    assert.deepEqual(Object.keys(json), ['status', 'timeMs', 'headers', 'body']);
    assert.equal(json.status, 200);
    assert.equal(json.headers['l5d-dst-client'], '/#/io.l5d.fs/cat');
    assert.equal(json.headers['l5d-ctx-dtab'], '/svc/dog=>/#/io.l5d.fs/cat');
    assert.equal(json.body, '{"service":"/svc/dog","client":"/#/io.l5d.fs/cat","residual":"/","address":"127.0.0.1:8081","dtab":"/svc/dog=>/#/io.l5d.fs/cat"}');
  });

  it('--compare prints both, with the override first', async () => {
    const r = await run(['request', '--router', router, '-H', 'Host: dog', '--override', '/svc/dog=>/#/io.l5d.fs/cat', '--compare', '--json', '/']);
    assert.equal(r.code, 0);
    const json = JSON.parse(r.out.replaceAll('"timeMs": T', '"timeMs": 0'));
    assert.deepEqual(Object.keys(json), ['withOverride', 'without']);
    assert.equal(json.withOverride.headers['l5d-dst-client'], '/#/io.l5d.fs/cat');
    assert.equal(json.without.headers['l5d-dst-client'], '/#/io.l5d.fs/dog');
    const text = await run(['request', '--router', router, '-H', 'Host: dog', '--override', '/svc/dog=>/#/io.l5d.fs/cat', '--compare', '/']);
    assert.match(text.out, /^=== with the override\n> GET .*\n> Host: dog\n> l5d-dtab: \/svc\/dog=>\/#\/io\.l5d\.fs\/cat\n< 200 OK\n/);
    assert.ok(text.out.includes(`\n=== without the override\n> GET ${router}/\n> Host: dog\n< 200 OK\n`));
    assert.ok(text.out.endsWith(DOG_BODY));
  });

  it('1: an override with syntax errors is reported with positions and nothing is sent', async () => {
    l5d.clearRequests();
    const r = await run(['request', '--router', router, '--override', '/svc/dog => /a\n/b = /c', '/']);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.equal(
      r.err,
      '--override:2:1: error: Missing `;` between dentries: dentries are separated by `;`, not by new lines. [expected-end]\n' +
        '--override:2:5: error: Expected `>` right after `=`: write `=>` with nothing between; found a space. [split-arrow]\n' +
        'dtab: the override has errors: nothing was sent\n',
    );
    assert.equal(l5d.requests.length, 0);
  });

  it('2: usage, an unreadable override file, an invalid URL', async () => {
    const noRouter = await run(['request', '/']);
    assert.equal(noRouter.code, 2);
    assert.ok(noRouter.err.startsWith('dtab: request needs --router URL\nusage:\n'));
    assert.equal((await run(['request', '--router', router])).code, 2);
    assert.equal((await run(['request', '--router', router, 'x'])).err.split('\n')[0], 'dtab: PATH starts with /, not "x"');
    assert.equal((await run(['request', '--router', router, '--compare', '/'])).err.split('\n')[0], 'dtab: --compare needs --override or --override-file');
    assert.equal((await run(['request', '--router', router, '-H', 'nocolon', '/'])).err.split('\n')[0], 'dtab: -H takes \'Name: value\', not "nocolon"');
    assert.equal((await run(['request', '--router', router, '--override', '/a=>/b', '--override-file', 'f', '/'])).code, 2);
    assert.deepEqual(await run(['request', '--router', router, '--override-file', 'nope.dtab', '/']), { code: 2, out: '', err: 'dtab: cannot read nope.dtab: no such file\n' });
    assert.deepEqual(await run(['request', '--router', 'ftp://x', '/']), { code: 2, out: '', err: 'dtab: --router: invalid base URL: ftp://x (only http and https)\n' });
    assert.deepEqual(await run(['request', '--router', 'not a url', '/']), { code: 2, out: '', err: 'dtab: --router: invalid base URL: not a url (write it like http://namerd:4180)\n' });
  });

  it('5: Linkerd answered with an error of its own (l5d-err)', async () => {
    const r = await run(['request', '--router', router, '-H', 'Host: cow', '/']);
    assert.equal(r.code, 5);
    assert.equal(
      r.out,
      `> GET ${router}/\n> Host: cow\n< 502 Bad Gateway\ntime: T ms\nsize: 106 bytes\n` +
        'l5d-err: Unable+to+route+request%21%0A%0Aservice+name%3A+%2Fsvc%2Fcow%0Adtab%3A%0A%0Abase+dtab%3A%0A++%2Fsvc+%3D%3E+%2F%23%2Fio.l5d.fs%0Aoverride+dtab%3A%0A%0A\n' +
        "    Linkerd made this response (an error of its own, not the application's): Unable to route request!\n\n    service name: /svc/cow\n    dtab:\n\n    base dtab:\n      /svc => /#/io.l5d.fs\n    override dtab:\n" +
        '\nUnable to route request!\n\nservice name: /svc/cow\ndtab:\n\nbase dtab:\n  /svc => /#/io.l5d.fs\noverride dtab:\n\n',
    );
    const bad = await run(['request', '--router', router, '-H', 'Host: dog', '-H', 'l5d-dtab: /a=>b', '/']);
    assert.equal(bad.code, 5);
    assert.ok(bad.out.includes("< 400 Bad Request\n"));
    assert.ok(bad.out.endsWith("\nsimple expected but 'b' found at '/a=>[b]'\n"));
  });

  it('5: no answer (refused)', async () => {
    const f = await l5d.fault({ kind: 'refuse', server: 'http' });
    try {
      const r = await run(['request', '--router', router, '-H', 'Host: dog', '/']);
      assert.deepEqual(r, { code: 5, out: '', err: `dtab: ${router}: connection refused (is it running, and is this the right port?)\n` });
    } finally {
      await f.clear();
    }
  });

  it('5: no answer (timeout)', async () => {
    const f = await l5d.fault({ kind: 'delay', server: 'http' });
    try {
      const r = await run(['request', '--router', router, '--timeout', '0.05', '-H', 'Host: dog', '/']);
      assert.deepEqual(r, { code: 5, out: '', err: `dtab: ${router}: no answer within 0.05 s\n` });
    } finally {
      await f.clear();
    }
  });

  it('0: an application error (no l5d-err) is not Linkerd\'s', async () => {
    await l5d.fault({ kind: 'status', code: 500, body: 'app broke', server: 'http', times: 1 });
    const r = await run(['request', '--router', router, '-H', 'Host: dog', '/']);
    assert.equal(r.code, 0);
    assert.equal(r.out, `> GET ${router}/\n> Host: dog\n< 500 Internal Server Error\ntime: T ms\nsize: 9 bytes\n\napp broke\n`);
  });
});
