// server/test-service.ts and server/canary.ts in-process, through their host interfaces (no LSP
// connection): `.dtab-test` files (which dtab a header names: a `.dtab` file, a config and router;
// missing and unreadable files; the open document's text before the file; `# snapshot:` before the
// editor's registry; passing and failing assertions) as the diagnostics, quick fixes, completion
// items and Test Explorer results the client receives, compared whole, with the caches kept
// between runs; and canary shifts from the editor (untrusted, no folder, start/step/pause/resume/
// abort/finish/status on a dtab file open in the editor (edits returned) or not (written to disk),
// on namerd and with a metrics gate on the stand-ins, a state file missing or broken) with every
// exit status, output, edit and the state file's content, and minimalEdit on its edge cases.
// Every test has its own temporary directory; the stand-ins listen on 127.0.0.1 only.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, CompletionItemKind, DiagnosticSeverity, type CompletionItem } from 'vscode-languageserver-types';
import { LineIndex, serializeCanaryState, type CanaryState, type NamerRegistry } from '../../core/index.js';
import type { CanaryResult, TestRunResult } from '../../protocol/messages.js';
import { Sources } from '../../remote/sources.js';
import { Canaries, minimalEdit, STATE_FILE, type CanaryHost } from '../../server/canary.js';
import { DtabTestService, isDtabTestDocument, type TestHost } from '../../server/test-service.js';
import { startLinkerdStandin, type LinkerdStandin } from '../linkerd/standin.js';
import { startNamerdStandin, type NamerdStandin } from '../namerd/standin.js';
import { snapshotList, worldService } from '../support/snapshot.js';

const pos = (line: number, character: number) => ({ line, character });
const range = (l1: number, c1: number, l2: number, c2: number) => ({ start: pos(l1, c1), end: pos(l2, c2) });
const uriOf = (file: string) => pathToFileURL(file).href;

/** A fresh temporary directory for each test of the enclosing describe, removed after it. */
function tempDirs(prefix: string): { readonly path: string } {
  const holder = { path: '' };
  beforeEach(() => {
    holder.path = mkdtempSync(join(tmpdir(), prefix));
  });
  afterEach(() => rmSync(holder.path, { recursive: true, force: true }));
  return holder;
}

// ---- .dtab-test files -------------------------------------------------------------------------

/** The editor as the test service sees it: open documents, files (recorded), a registry. */
class Host implements TestHost {
  readonly open = new Map<string, string>();
  readonly reads: string[] = [];
  /** Files whose reading throws this message. */
  readonly failing = new Map<string, string>();
  reg: NamerRegistry | undefined;
  openText(uri: string): string | undefined {
    return this.open.get(uri);
  }
  async readFile(file: string): Promise<string | undefined> {
    this.reads.push(file);
    const failure = this.failing.get(file);
    if (failure !== undefined) throw new Error(failure);
    try {
      return readFileSync(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }
  registry(): NamerRegistry | undefined {
    return this.reg;
  }
}

/** A cluster with one service, world, in namespace default (port http), at `ip`. */
const cluster = (ip: string) => snapshotList(worldService('default', ip));
const registryOf = (ip: string) => new Sources({ snapshot: { text: cluster(ip), name: 'editor' }, live: false }).registry();

/** The tested dtab: a comment, then dentries 0 to 3 on lines 1 to 4. */
const APP = '# app\n/svc => /$/inet/127.1/1;\n/svc/x => /$/inet/127.1/2;\n/srv => /#/io.l5d.k8s/default/http;\n/loop => /loop/x;\n';
/** Every kind of line: passing, failing, not simplified, unchecked addresses, a failing delegation, wrong addresses, a syntax error. */
const TESTS = [
  '# dtab: app.dtab',
  '/svc/x => /$/inet/127.1/2 | /$/inet/127.1/1/x',
  '/svc/y => /x',
  '/svc/w => /a | ~',
  '/srv/hello => /#/io.l5d.k8s/default/http/hello @ 10.1.1.1:7777',
  '/loop => /x',
  '/svc/q => /$/inet/127.1/1/q @ 127.0.0.1:9',
  '/svc/z =>',
  '',
].join('\n');

const SYNTAX_MESSAGE = "An assertion is 'PATH => EXPECTED': Expected a destination here (a path, '~', '!', '$' or '('), found the end of the text.";
const UNCHECKED = 'addresses not checked: a name is bound by a namer with no cluster data here (give a snapshot or a cluster)';
const err = (r: ReturnType<typeof range>, code: string, message: string, severity: DiagnosticSeverity = DiagnosticSeverity.Error) => ({ range: r, severity, code, source: 'dtab-test', message });
/** The diagnostic of a problem with the tested dtab, on the header (or first line) `r`. */
const sourceProblem = (r: ReturnType<typeof range>, message: string) => err(r, 'test-source', message);

/** The assertions of a Test Explorer answer, which is ok. */
function assertionsOf(r: TestRunResult) {
  assert.ok(r.ok);
  return r.assertions;
}

/** A step of the delegation, located on line `line` (0 to `end`) of `uri`. */
const step = (text: string, uri?: string, line?: number, end?: number, start = 0) => (uri === undefined ? { text } : { text, location: { uri, range: range(line!, start, line!, end!) } });

describe('DtabTestService: which dtab a file tests', () => {
  const dir = tempDirs('mst-which-');

  it('no header: the problem on the first line, nothing read, every assertion skipped', async () => {
    const host = new Host();
    const s = new DtabTestService(host);
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    const run = await s.run(uri, '/a => ~\n/b => /c\n', 2);
    const PLAIN = "No dtab to test: name it in a header comment, e.g. '# dtab: ../app.dtab' or '# config: linkerd.yaml router: http'.";
    const problem = 'No dtab to test: name it in a header comment, e.g. `# dtab: ../app.dtab` or `# config: linkerd.yaml router: http`.';
    assert.deepEqual([run.uri, run.version, run.problem, run.dependencies, run.outcomes, run.tested, run.interpreter], [uri, 2, problem, [], undefined, undefined, undefined]);
    assert.deepEqual(host.reads, []);
    assert.equal(s.lastRun(uri), run);
    assert.deepEqual(s.diagnostics(run), [sourceProblem(range(0, 0, 0, 7), "No dtab to test: name it in a header comment, e.g. '# dtab: ../app.dtab' or '# config: linkerd.yaml router: http'.")]);
    assert.deepEqual(s.result(run), {
      ok: true,
      uri,
      version: 2,
      dependencies: [],
      problem: PLAIN,
      problems: [{ range: range(0, 0, 0, 7), message: "No dtab to test: name it in a header comment, e.g. '# dtab: ../app.dtab' or '# config: linkerd.yaml router: http'." }],
      assertions: [
        { line: 0, range: range(0, 0, 0, 7), path: '/a', expected: '~', state: 'skipped', message: PLAIN },
        { line: 1, range: range(1, 0, 1, 8), path: '/b', expected: '/c', state: 'skipped', message: PLAIN },
      ],
    });
  });

  it('a namerd header: tested from the command line only', async () => {
    const s = new DtabTestService(new Host());
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    const run = await s.run(uri, '# namerd: http://x:1 ns: a\n/svc/world => ~\n');
    const PLAIN = "namerd namespaces are tested from the command line ('dtab test'); the editor tests '# dtab:' and '# config:' files.";
    const problem = 'namerd namespaces are tested from the command line (`dtab test`); the editor tests `# dtab:` and `# config:` files.';
    assert.deepEqual([run.problem, run.dependencies, run.outcomes], [problem, [], undefined]);
    assert.deepEqual(s.diagnostics(run), [sourceProblem(range(0, 0, 0, 26), "namerd namespaces are tested from the command line ('dtab test'); the editor tests '# dtab:' and '# config:' files.")]);
    // No version: none in the result.
    assert.deepEqual(s.result(run), {
      ok: true,
      uri,
      dependencies: [],
      problem: PLAIN,
      problems: [{ range: range(0, 0, 0, 26), message: "namerd namespaces are tested from the command line ('dtab test'); the editor tests '# dtab:' and '# config:' files." }],
      assertions: [{ line: 1, range: range(1, 0, 1, 15), path: '/svc/world', expected: '~', state: 'skipped', message: PLAIN }],
    });
  });

  it('a document not on disk: a relative dtab cannot be found, an absolute one can; a relative snapshot cannot', async () => {
    writeFileSync(join(dir.path, 'app.dtab'), APP);
    writeFileSync(join(dir.path, 'cluster.json'), cluster('10.0.0.2'));
    const host = new Host();
    const s = new DtabTestService(host);
    const rel = await s.run('untitled:Untitled-1', '# dtab: app.dtab\n/svc/a => /$/inet/127.1/1/a\n', 1);
    assert.deepEqual([rel.problem, rel.dependencies, host.reads], ['app.dtab is relative to a file that is not on disk: save this file first.', [], []]);
    assert.deepEqual(s.diagnostics(rel), [sourceProblem(range(0, 0, 0, 16), 'app.dtab is relative to a file that is not on disk: save this file first.')]);

    const app = join(dir.path, 'app.dtab');
    const abs = await s.run('untitled:Untitled-1', `# dtab: ${app}\n/svc/a => /$/inet/127.1/1/a\n`, 2);
    assert.equal(abs.problem, undefined);
    assert.deepEqual(abs.dependencies, [uriOf(app)]);
    assert.deepEqual(abs.outcomes!.map((o) => [o.ok, o.actual]), [[true, '/$/inet/127.1/1/a']]);
    assert.deepEqual(s.diagnostics(abs), []);

    const snapRel = await s.run('untitled:Untitled-1', `# dtab: ${app}\n# snapshot: cluster.json\n/svc/a => ~\n`, 3);
    assert.deepEqual([snapRel.problem, snapRel.dependencies, snapRel.outcomes], ['The snapshot is relative to a file that is not on disk: save this file first.', [uriOf(app)], undefined]);
    assert.deepEqual(s.diagnostics(snapRel), [sourceProblem(range(0, 0, 0, 8 + app.length), 'The snapshot is relative to a file that is not on disk: save this file first.')]);

    const cl = join(dir.path, 'cluster.json');
    const snapAbs = await s.run('untitled:Untitled-1', `# dtab: ${app}\n# snapshot: ${cl}\n/srv/world => /#/io.l5d.k8s/default/http/world @ 10.0.0.2:8080\n`, 4);
    assert.deepEqual([snapAbs.problem, snapAbs.dependencies], [undefined, [uriOf(app), uriOf(cl)]]);
    assert.deepEqual(snapAbs.outcomes!.map((o) => [o.ok, o.actual, o.note]), [[true, '/#/io.l5d.k8s/default/http/world @ 10.0.0.2:8080', undefined]]);
  });

  it('a dtab that does not exist, one that cannot be read, one with syntax errors (the line in the dtab)', async () => {
    const host = new Host();
    const s = new DtabTestService(host);
    const uri = uriOf(join(dir.path, 'tests', 't.dtab-test'));
    mkdirSync(join(dir.path, 'tests'));
    const missing = join(dir.path, 'nope.dtab');
    const r1 = await s.run(uri, '# dtab: ../nope.dtab\n/svc/world => ~\n', 1);
    assert.deepEqual([r1.problem, r1.dependencies], [`${missing} does not exist.`, [uriOf(missing)]]);
    assert.deepEqual(host.reads, [missing]);
    assert.deepEqual(s.result(r1), {
      ok: true,
      uri,
      version: 1,
      dependencies: [uriOf(missing)],
      problem: `${missing} does not exist.`,
      problems: [{ range: range(0, 0, 0, 20), message: `${missing} does not exist.` }],
      assertions: [{ line: 1, range: range(1, 0, 1, 15), path: '/svc/world', expected: '~', state: 'skipped', message: `${missing} does not exist.` }],
    });

    const locked = join(dir.path, 'locked.dtab');
    writeFileSync(locked, APP);
    host.failing.set(locked, 'permission denied');
    const r2 = await s.run(uri, '# dtab: ../locked.dtab\n/svc/world => ~\n', 2);
    assert.deepEqual([r2.problem, r2.dependencies], ['Cannot read ../locked.dtab: permission denied', [uriOf(locked)]]);
    assert.deepEqual(s.diagnostics(r2), [sourceProblem(range(0, 0, 0, 22), 'Cannot read ../locked.dtab: permission denied')]);

    const broken = join(dir.path, 'broken.dtab');
    writeFileSync(broken, '/a => /b;\n/c => /d\n/e => /f;\n');
    const r3 = await s.run(uri, '# dtab: ../broken.dtab\n/svc/world => ~\n', 3);
    const message = `The tested dtab (${broken}) has syntax errors: line 3: Missing \`;\` between dentries: dentries are separated by \`;\`, not by new lines.`;
    assert.deepEqual([r3.problem, r3.dependencies, r3.outcomes], [message, [uriOf(broken)], undefined]);
    assert.deepEqual(s.diagnostics(r3), [sourceProblem(range(0, 0, 0, 22), message.replaceAll('`', "'"))]);
  });

  it("the tested dtab's open document wins over its file, and is read from the file once closed", async () => {
    const app = join(dir.path, 'app.dtab');
    writeFileSync(app, APP);
    const host = new Host();
    const s = new DtabTestService(host);
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    host.open.set(uriOf(app), '/svc => /$/inet/127.1/5;\n');
    const r1 = await s.run(uri, '# dtab: app.dtab\n/svc/a => /$/inet/127.1/1/a\n');
    assert.deepEqual(host.reads, []);
    assert.deepEqual(r1.outcomes!.map((o) => [o.ok, o.actual]), [[false, '/$/inet/127.1/5/a']]);
    host.open.delete(uriOf(app));
    const r2 = await s.run(uri, '# dtab: app.dtab\n/svc/a => /$/inet/127.1/1/a\n');
    assert.deepEqual(host.reads, [app]);
    assert.deepEqual(r2.outcomes!.map((o) => [o.ok, o.actual]), [[true, '/$/inet/127.1/1/a']]);
  });

  const L5D = [
    'namers:',
    '- kind: io.l5d.k8s',
    '  prefix: /k8s',
    'routers:',
    '- protocol: http',
    '  label: edge',
    '  dtab: |',
    '    /srv => /#/k8s/default/http;',
    '    /svc => /srv;',
    '  servers:',
    '  - port: 4140',
    '- protocol: http',
    '  label: other',
    '  dtab: |',
    '    /svc => /$/inet/127.1/1;',
    '    /x => /y /z',
    '  servers:',
    '  - port: 4141',
    '',
  ].join('\n');

  it("a config and router: the router's dtab, the config's namers, dentries located in the config", async () => {
    const l5d = join(dir.path, 'l5d.yaml');
    writeFileSync(l5d, L5D);
    writeFileSync(join(dir.path, 'cluster.json'), cluster('10.0.0.1'));
    const s = new DtabTestService(new Host());
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    const run = await s.run(uri, '# config: l5d.yaml router: edge\n# snapshot: cluster.json\n/svc/world => /#/k8s/default/http/world @ 10.0.0.1:8080\n', 5);
    assert.deepEqual(s.result(run), {
      ok: true,
      uri,
      version: 5,
      dependencies: [uriOf(l5d), uriOf(join(dir.path, 'cluster.json'))],
      problems: [],
      assertions: [
        {
          line: 2,
          range: range(2, 0, 2, 55),
          path: '/svc/world',
          expected: '/#/k8s/default/http/world @ 10.0.0.1:8080',
          actual: '/#/k8s/default/http/world @ 10.0.0.1:8080',
          state: 'passed',
          steps: [
            step('/svc/world'),
            step('/srv/world  <- /svc=>/srv', uriOf(l5d), 8, 16, 4),
            step('/#/k8s/default/http/world  => bound /#/k8s/default/http/world: 10.0.0.1:8080  <- /srv=>/#/k8s/default/http', uriOf(l5d), 7, 31, 4),
          ],
        },
      ],
    });
  });

  it('a config: two dtabs and no router named, a router that is not there, a router whose dtab is broken (its line in the config)', async () => {
    const l5d = join(dir.path, 'l5d.yaml');
    writeFileSync(l5d, L5D);
    const s = new DtabTestService(new Host());
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    const problems: [string, string | undefined][] = [];
    for (const header of ['# config: l5d.yaml', '# config: l5d.yaml router: zz', '# config: l5d.yaml router: other']) {
      const run = await s.run(uri, `${header}\n/svc/world => ~\n`);
      assert.deepEqual(run.dependencies, [uriOf(l5d)]);
      assert.deepEqual(s.diagnostics(run), [sourceProblem(range(0, 0, 0, header.length), run.problem!.replaceAll('`', "'"))]);
      problems.push([header, run.problem]);
    }
    assert.deepEqual(problems, [
      ['# config: l5d.yaml', `${l5d}: it has 2 dtabs: say which with --router (edge, other)`],
      ['# config: l5d.yaml router: zz', `${l5d}: no router or namespace labelled zz has a dtab (there are: edge, other)`],
      ['# config: l5d.yaml router: other', `The tested dtab (${l5d} router other) has syntax errors: line 16: Missing \`;\` between dentries: dentries are separated by \`;\`, not by new lines.`],
    ]);
  });

  it("a config's only dtab; io.l5d.fs reads its rootDir from the config's directory (with a snapshot's registry)", async () => {
    mkdirSync(join(dir.path, 'conf', 'disco'), { recursive: true });
    mkdirSync(join(dir.path, 'tests'));
    writeFileSync(join(dir.path, 'conf', 'disco', 'web'), '127.0.0.1 8080\n');
    const l5d = join(dir.path, 'conf', 'l5d.yaml');
    writeFileSync(l5d, 'namers:\n- kind: io.l5d.fs\n  rootDir: disco\nrouters:\n- protocol: http\n  dtab: |\n    /svc => /#/io.l5d.fs;\n  servers:\n  - port: 4140\n');
    writeFileSync(join(dir.path, 'cluster.json'), '{"apiVersion":"v1","kind":"List","items":[]}');
    const s = new DtabTestService(new Host());
    const uri = uriOf(join(dir.path, 'tests', 't.dtab-test'));
    const withSnapshot = await s.run(uri, '# config: ../conf/l5d.yaml\n# snapshot: ../cluster.json\n/svc/web => /#/io.l5d.fs/web @ 127.0.0.1:8080\n/svc/web => /#/io.l5d.fs/web @ 127.0.0.1:9\n');
    assert.deepEqual(assertionsOf(s.result(withSnapshot)), [
      {
        line: 2,
        range: range(2, 0, 2, 45),
        path: '/svc/web',
        expected: '/#/io.l5d.fs/web @ 127.0.0.1:8080',
        actual: '/#/io.l5d.fs/web @ 127.0.0.1:8080',
        state: 'passed',
        steps: [step('/svc/web'), step('/#/io.l5d.fs/web  => bound /#/io.l5d.fs/web: 127.0.0.1:8080  <- /svc=>/#/io.l5d.fs', uriOf(l5d), 6, 24, 4)],
      },
      {
        line: 3,
        range: range(3, 0, 3, 42),
        path: '/svc/web',
        expected: '/#/io.l5d.fs/web @ 127.0.0.1:9',
        actual: '/#/io.l5d.fs/web @ 127.0.0.1:8080',
        state: 'failed',
        message: '/svc/web: expected /#/io.l5d.fs/web @ 127.0.0.1:9, got /#/io.l5d.fs/web @ 127.0.0.1:8080',
        steps: [step('/svc/web'), step('/#/io.l5d.fs/web  => bound /#/io.l5d.fs/web: 127.0.0.1:8080  <- /svc=>/#/io.l5d.fs', uriOf(l5d), 6, 24, 4)],
      },
    ]);
    // Without cluster data (no snapshot, no registry in the editor): the namer is not asked.
    const without = await s.run(uri, '# config: ../conf/l5d.yaml\n/svc/web => /#/io.l5d.fs/web @ 127.0.0.1:9\n');
    assert.deepEqual(assertionsOf(s.result(without)), [
      {
        line: 1,
        range: range(1, 0, 1, 42),
        path: '/svc/web',
        expected: '/#/io.l5d.fs/web @ 127.0.0.1:9',
        actual: '/#/io.l5d.fs/web',
        state: 'passed',
        note: UNCHECKED,
        steps: [step('/svc/web'), step('/#/io.l5d.fs/web  => bound /#/io.l5d.fs/web: unresolved here: io.l5d.fs resolves it at run time  <- /svc=>/#/io.l5d.fs', uriOf(l5d), 6, 24, 4)],
      },
    ]);
  });
});

describe("DtabTestService: cluster data from `# snapshot:` or the editor's registry", () => {
  const dir = tempDirs('mst-snap-');
  const ASSERT = '/srv/world => /#/io.l5d.k8s/default/http/world @ 10.0.0.1:8080\n';

  it("the editor's registry when there is no snapshot header: addresses compared", async () => {
    writeFileSync(join(dir.path, 'app.dtab'), APP);
    const host = new Host();
    const s = new DtabTestService(host);
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    const text = `# dtab: app.dtab\n${ASSERT}/srv/world => /#/io.l5d.k8s/default/http/world @ 10.0.0.9:8080\n`;
    const none = await s.run(uri, text);
    assert.deepEqual(none.outcomes!.map((o) => [o.ok, o.actual, o.note]), [
      [true, '/#/io.l5d.k8s/default/http/world', UNCHECKED],
      [true, '/#/io.l5d.k8s/default/http/world', UNCHECKED],
    ]);
    assert.deepEqual(s.diagnostics(none), [err(range(1, 14, 1, 62), 'addresses-unchecked', UNCHECKED, DiagnosticSeverity.Information), err(range(2, 14, 2, 62), 'addresses-unchecked', UNCHECKED, DiagnosticSeverity.Information)]);
    host.reg = registryOf('10.0.0.1');
    const run = await s.run(uri, text);
    assert.deepEqual(run.dependencies, [uriOf(join(dir.path, 'app.dtab'))]);
    assert.deepEqual(run.outcomes!.map((o) => [o.ok, o.actual, o.note]), [
      [true, '/#/io.l5d.k8s/default/http/world @ 10.0.0.1:8080', undefined],
      [false, '/#/io.l5d.k8s/default/http/world @ 10.0.0.1:8080', undefined],
    ]);
    assert.deepEqual(s.diagnostics(run), [err(range(2, 14, 2, 62), 'assertion-failed', '/srv/world: expected /#/io.l5d.k8s/default/http/world @ 10.0.0.9:8080, got /#/io.l5d.k8s/default/http/world @ 10.0.0.1:8080')]);
  });

  it("a snapshot header wins over the editor's registry; the snapshot's open document wins over its file", async () => {
    writeFileSync(join(dir.path, 'app.dtab'), APP);
    const snap = join(dir.path, 'cluster.json');
    writeFileSync(snap, cluster('10.0.0.2'));
    const host = new Host();
    host.reg = registryOf('10.0.0.1');
    const s = new DtabTestService(host);
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    const text = `# dtab: app.dtab\n# snapshot: cluster.json\n${ASSERT}`;
    const run = await s.run(uri, text);
    assert.deepEqual(run.dependencies, [uriOf(join(dir.path, 'app.dtab')), uriOf(snap)]);
    assert.deepEqual(s.diagnostics(run), [err(range(2, 14, 2, 62), 'assertion-failed', '/srv/world: expected /#/io.l5d.k8s/default/http/world @ 10.0.0.1:8080, got /#/io.l5d.k8s/default/http/world @ 10.0.0.2:8080')]);
    assert.deepEqual(host.reads, [join(dir.path, 'app.dtab'), snap]);
    host.open.set(uriOf(snap), cluster('10.0.0.1'));
    const again = await s.run(uri, text);
    assert.deepEqual(s.diagnostics(again), []);
    assert.deepEqual(again.outcomes!.map((o) => [o.ok, o.actual]), [[true, '/#/io.l5d.k8s/default/http/world @ 10.0.0.1:8080']]);
    assert.deepEqual(host.reads, [join(dir.path, 'app.dtab'), snap, join(dir.path, 'app.dtab')]);
  });

  it('a snapshot that does not exist, cannot be read, or is not a snapshot', async () => {
    writeFileSync(join(dir.path, 'app.dtab'), APP);
    writeFileSync(join(dir.path, 'bad.json'), '{"kind": 3');
    writeFileSync(join(dir.path, 'locked.json'), cluster('10.0.0.1'));
    const host = new Host();
    host.failing.set(join(dir.path, 'locked.json'), 'permission denied');
    const s = new DtabTestService(host);
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    const out: [string | undefined, readonly string[]][] = [];
    for (const f of ['nope.json', 'bad.json', 'locked.json']) {
      const run = await s.run(uri, `# dtab: app.dtab\n# snapshot: ${f}\n/svc/world => ~\n`);
      assert.equal(run.outcomes, undefined);
      assert.deepEqual(s.diagnostics(run), [sourceProblem(range(0, 0, 0, 16), run.problem!)]);
      out.push([run.problem, run.dependencies]);
    }
    const app = uriOf(join(dir.path, 'app.dtab'));
    assert.deepEqual(out, [
      ['Cannot read the snapshot nope.json: no such file', [app, uriOf(join(dir.path, 'nope.json'))]],
      [`Cannot read the snapshot bad.json: Snapshot ${join(dir.path, 'bad.json')}: not YAML or JSON: Flow map must end with a } (at offset 10)`, [app, uriOf(join(dir.path, 'bad.json'))]],
      ['Cannot read the snapshot locked.json: permission denied', [app, uriOf(join(dir.path, 'locked.json'))]],
    ]);
  });

  it('keeps one snapshot source per file while its text is the same; a new text replaces (and closes) it; close() closes all', async () => {
    writeFileSync(join(dir.path, 'app.dtab'), APP);
    const snap = join(dir.path, 'cluster.json');
    writeFileSync(snap, cluster('10.0.0.1'));
    const host = new Host();
    const s = new DtabTestService(host);
    const cache = (s as unknown as { snapshots: Map<string, { text: string; sources: Sources }> }).snapshots;
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    const text = `# dtab: app.dtab\n# snapshot: cluster.json\n${ASSERT}`;
    await s.run(uri, text);
    assert.deepEqual([...cache.keys()], [snap]);
    const first = cache.get(snap)!;
    const closed: string[] = [];
    const spy = (name: string, sources: Sources) => {
      const close = sources.close.bind(sources);
      sources.close = () => {
        closed.push(name);
        close();
      };
    };
    spy('first', first.sources);
    await s.run(uri, text);
    assert.equal(cache.get(snap), first, 'the same text: the same sources');
    assert.deepEqual(closed, []);
    host.open.set(uriOf(snap), cluster('10.0.0.3'));
    const run = await s.run(uri, text);
    assert.deepEqual(run.outcomes!.map((o) => o.actual), ['/#/io.l5d.k8s/default/http/world @ 10.0.0.3:8080']);
    const second = cache.get(snap)!;
    assert.notEqual(second, first);
    assert.equal(second.text, cluster('10.0.0.3'));
    assert.deepEqual(closed, ['first']);
    spy('second', second.sources);
    s.close();
    assert.deepEqual(closed, ['first', 'second']);
    assert.equal(cache.size, 0);
  });
});

describe('DtabTestService: diagnostics, quick fixes and the Test Explorer', () => {
  const dir = tempDirs('mst-ide-');
  let s: DtabTestService;
  let uri: string;
  let app: string;
  beforeEach(() => {
    writeFileSync(join(dir.path, 'app.dtab'), APP);
    s = new DtabTestService(new Host());
    uri = uriOf(join(dir.path, 't.dtab-test'));
    app = uriOf(join(dir.path, 'app.dtab'));
  });

  const FAILED_Y = err(range(2, 10, 2, 12), 'assertion-failed', '/svc/y: expected /x, got /$/inet/127.1/1/y');
  const FAILED_W = err(range(3, 10, 3, 16), 'assertion-failed', '/svc/w: expected /a | ~, got /$/inet/127.1/1/w');
  const FAILED_Q = err(range(6, 10, 6, 41), 'assertion-failed', '/svc/q: expected /$/inet/127.1/1/q @ 127.0.0.1:9, got /$/inet/127.1/1/q @ 127.0.0.1:1');
  const fix = (diagnostic: ReturnType<typeof err>, edits: { range: ReturnType<typeof range>; newText: string }[]) => ({
    title: 'Accept the actual result',
    kind: CodeActionKind.QuickFix,
    isPreferred: true,
    diagnostics: [diagnostic],
    edit: { changes: { [uri]: edits } },
  });
  const FIX_Y = () => fix(FAILED_Y, [{ range: range(2, 10, 2, 12), newText: '/$/inet/127.1/1/y' }]);
  const FIX_W = () => fix(FAILED_W, [{ range: range(3, 10, 3, 16), newText: '/$/inet/127.1/1/w' }]);
  const FIX_Q = () => fix(FAILED_Q, [{ range: range(6, 10, 6, 27), newText: '/$/inet/127.1/1/q' }, { range: range(6, 28, 6, 41), newText: '@ 127.0.0.1:1' }]);

  it('diagnostics: errors, the warning and the information, in order, with exact ranges', async () => {
    const run = await s.run(uri, TESTS, 4);
    assert.deepEqual(s.diagnostics(run), [
      FAILED_Y,
      err(range(3, 10, 3, 16), 'test-not-simplified', "Results are compared simplified, as Finagle simplifies them, so this never holds: write '/a'.", DiagnosticSeverity.Warning),
      FAILED_W,
      err(range(4, 14, 4, 62), 'addresses-unchecked', UNCHECKED, DiagnosticSeverity.Information),
      err(range(5, 9, 5, 11), 'assertion-failed', '/loop: expected /x, got fails: Max recursion level reached.'),
      FAILED_Q,
      err(range(7, 9, 7, 9), 'test-syntax', SYNTAX_MESSAGE),
    ]);
  });

  it('the Test Explorer: every assertion with its state, actual result, note, message and located steps', async () => {
    const run = await s.run(uri, TESTS, 4);
    const at = (line: number, end: number) => [app, line, end] as const;
    assert.deepEqual(s.result(run), {
      ok: true,
      uri,
      version: 4,
      dependencies: [app],
      // The file's own errors only: not the warning, not the failed assertions.
      problems: [{ range: range(7, 9, 7, 9), message: SYNTAX_MESSAGE }],
      assertions: [
        {
          line: 1,
          range: range(1, 0, 1, 45),
          path: '/svc/x',
          expected: '/$/inet/127.1/2 | /$/inet/127.1/1/x',
          actual: '/$/inet/127.1/2 | /$/inet/127.1/1/x',
          state: 'passed',
          steps: [step('/svc/x  (alternatives: the first that is not negative wins)'), step('/$/inet/127.1/2  => bound /$/inet/127.1/2: 127.0.0.1:2  <- /svc/x=>/$/inet/127.1/2', ...at(2, 25))],
        },
        {
          line: 2,
          range: range(2, 0, 2, 12),
          path: '/svc/y',
          expected: '/x',
          actual: '/$/inet/127.1/1/y',
          state: 'failed',
          message: '/svc/y: expected /x, got /$/inet/127.1/1/y',
          steps: [step('/svc/y'), step('/$/inet/127.1/1/y  => bound /$/inet/127.1/1 residual /y: 127.0.0.1:1  <- /svc=>/$/inet/127.1/1', ...at(1, 23))],
        },
        {
          line: 3,
          range: range(3, 0, 3, 16),
          path: '/svc/w',
          expected: '/a | ~',
          actual: '/$/inet/127.1/1/w',
          state: 'failed',
          message: '/svc/w: expected /a | ~, got /$/inet/127.1/1/w',
          steps: [step('/svc/w'), step('/$/inet/127.1/1/w  => bound /$/inet/127.1/1 residual /w: 127.0.0.1:1  <- /svc=>/$/inet/127.1/1', ...at(1, 23))],
        },
        {
          line: 4,
          range: range(4, 0, 4, 62),
          path: '/srv/hello',
          expected: '/#/io.l5d.k8s/default/http/hello @ 10.1.1.1:7777',
          actual: '/#/io.l5d.k8s/default/http/hello',
          state: 'passed',
          note: UNCHECKED,
          steps: [
            step('/srv/hello'),
            step('/#/io.l5d.k8s/default/http/hello  => bound /#/io.l5d.k8s/default/http/hello: unresolved here: io.l5d.k8s resolves it at run time  <- /srv=>/#/io.l5d.k8s/default/http', ...at(3, 34)),
          ],
        },
        { line: 5, range: range(5, 0, 5, 11), path: '/loop', expected: '/x', actual: 'fails: Max recursion level reached.', state: 'failed', message: '/loop: expected /x, got fails: Max recursion level reached.', steps: [] },
        {
          line: 6,
          range: range(6, 0, 6, 41),
          path: '/svc/q',
          expected: '/$/inet/127.1/1/q @ 127.0.0.1:9',
          actual: '/$/inet/127.1/1/q @ 127.0.0.1:1',
          state: 'failed',
          message: '/svc/q: expected /$/inet/127.1/1/q @ 127.0.0.1:9, got /$/inet/127.1/1/q @ 127.0.0.1:1',
          steps: [step('/svc/q'), step('/$/inet/127.1/1/q  => bound /$/inet/127.1/1 residual /q: 127.0.0.1:1  <- /svc=>/$/inet/127.1/1', ...at(1, 23))],
        },
      ],
    });
  });

  it('the Test Explorer of a run without outcomes ("not run"), and of one without a tested dtab (steps not located)', async () => {
    const run = await s.run(uri, '# dtab: app.dtab\n/svc/y => /x\n', 4);
    assert.deepEqual(assertionsOf(s.result({ ...run, outcomes: undefined })), [{ line: 1, range: range(1, 0, 1, 12), path: '/svc/y', expected: '/x', state: 'skipped', message: 'not run' }]);
    assert.deepEqual(assertionsOf(s.result({ ...run, tested: undefined })), [
      {
        line: 1,
        range: range(1, 0, 1, 12),
        path: '/svc/y',
        expected: '/x',
        actual: '/$/inet/127.1/1/y',
        state: 'failed',
        message: '/svc/y: expected /x, got /$/inet/127.1/1/y',
        steps: [step('/svc/y'), step('/$/inet/127.1/1/y  => bound /$/inet/127.1/1 residual /y: 127.0.0.1:1  <- /svc=>/$/inet/127.1/1')],
      },
    ]);
  });

  it('quick fixes: one per failing assertion that has an actual result, its diagnostic only, the addresses too', async () => {
    await s.run(uri, TESTS, 4);
    assert.deepEqual(s.codeActions(uri, range(0, 0, 9, 0)), [FIX_Y(), FIX_W(), FIX_Q()]);
    assert.deepEqual(s.codeActions(uri, range(5, 0, 5, 11)), [], 'a failed delegation has nothing to accept');
    assert.deepEqual(s.codeActions(uri, range(1, 0, 1, 45)), [], 'a passing assertion has nothing to fix');
    assert.deepEqual(s.codeActions(uri, range(4, 0, 4, 62)), [], 'nor has one with unchecked addresses');
    assert.deepEqual(s.codeActions(uriOf(join(dir.path, 'other.dtab-test')), range(0, 0, 9, 0)), [], 'a file never run');
  });

  it('quick fixes: a range touching an assertion at either end counts; one next to it does not', async () => {
    await s.run(uri, TESTS, 4);
    assert.deepEqual(s.codeActions(uri, range(2, 0, 2, 0)), [FIX_Y()], 'an empty range at its start');
    assert.deepEqual(s.codeActions(uri, range(2, 12, 2, 12)), [FIX_Y()], 'an empty range at its end');
    assert.deepEqual(s.codeActions(uri, range(1, 45, 2, 0)), [FIX_Y()], 'a range ending at its start');
    assert.deepEqual(s.codeActions(uri, range(2, 12, 3, 0)), [FIX_Y(), FIX_W()], 'a range from the end of one to the start of the next');
    assert.deepEqual(s.codeActions(uri, range(1, 45, 1, 45)), [], 'the end of the line before');
    assert.deepEqual(s.codeActions(uri, range(3, 16, 3, 16)), [FIX_W()]);
  });

  it('quick fixes: only for the version that was run (when both are known)', async () => {
    await s.run(uri, '# dtab: app.dtab\n/svc/y => /x\n', 3);
    const actions = [fix(err(range(1, 10, 1, 12), 'assertion-failed', '/svc/y: expected /x, got /$/inet/127.1/1/y'), [{ range: range(1, 10, 1, 12), newText: '/$/inet/127.1/1/y' }])];
    assert.deepEqual(s.codeActions(uri, range(1, 0, 1, 0), 3), actions);
    assert.deepEqual(s.codeActions(uri, range(1, 0, 1, 0), 4), []);
    assert.deepEqual(s.codeActions(uri, range(1, 0, 1, 0), 2), []);
    assert.deepEqual(s.codeActions(uri, range(1, 0, 1, 0)), actions, 'no version asked');
    await s.run(uri, '# dtab: app.dtab\n/svc/y => /x\n');
    assert.deepEqual(s.codeActions(uri, range(1, 0, 1, 0), 9), actions, 'no version run');
  });
});

describe('DtabTestService: completion', () => {
  const dir = tempDirs('mst-complete-');
  const T = '# dtab: app.dtab\n/svc/y => /x\n/loop => /x\n/s\n';
  const actualItem = (label: string, r: ReturnType<typeof range>, filterText: string): CompletionItem => ({
    label,
    kind: CompletionItemKind.Reference,
    detail: 'what this path routes to now',
    textEdit: { range: r, newText: label },
    sortText: '0',
    filterText,
  });
  const pathItem = (label: string, detail: string, r: ReturnType<typeof range>, i: number): CompletionItem => ({ label, kind: CompletionItemKind.Reference, detail, textEdit: { range: r, newText: label }, sortText: `1${String(i).padStart(5, '0')}` });

  it("a destination: what the line's path routes to now, first (nothing when the delegation fails)", async () => {
    writeFileSync(join(dir.path, 'app.dtab'), APP);
    const s = new DtabTestService(new Host());
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    assert.deepEqual(await s.completion(uri, T, pos(1, 12)), [actualItem('/$/inet/127.1/1/y', range(1, 10, 1, 12), '/x')]);
    assert.deepEqual(await s.completion(uri, T, pos(2, 11)), []);
    const items = await s.completion(uri, '# dtab: app.dtab\n/svc/y => /x |\n', pos(1, 14));
    assert.deepEqual(items[0], actualItem('/$/inet/127.1/1/y', range(1, 14, 1, 14), '/$/inet/127.1/1/y'));
    assert.deepEqual(items.slice(1, 3).map((i) => i.label), ['/#/io.l5d.fs', '/#/io.l5d.serversets']);
    assert.deepEqual(items.at(-1), { label: 'weight * path', kind: CompletionItemKind.Snippet, detail: 'a weighted union branch', insertText: '${1:1} * ${2:/path}', insertTextFormat: 2, sortText: '5' });
  });

  it("a path: the tested dtab's prefixes (no wildcards), then the file's other paths; without a tested dtab only those", async () => {
    writeFileSync(join(dir.path, 'app.dtab'), APP + '/svc/* => /z;\n');
    const s = new DtabTestService(new Host());
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    const text = '# dtab: app.dtab\n/svc/y => /x\n/s\n/svc/q => /x\n/svc/y => /z\n';
    assert.deepEqual(await s.completion(uri, text, pos(2, 2)), [
      pathItem('/svc', 'a prefix of the tested dtab', range(2, 0, 2, 2), 0),
      pathItem('/svc/x', 'a prefix of the tested dtab', range(2, 0, 2, 2), 1),
      pathItem('/srv', 'a prefix of the tested dtab', range(2, 0, 2, 2), 2),
      pathItem('/svc/y', 'asserted on line 2', range(2, 0, 2, 2), 3),
      pathItem('/svc/q', 'asserted on line 4', range(2, 0, 2, 2), 4),
    ]);
    const untitled = 'untitled:Untitled-1';
    const noHeader = '/svc/y => /x\n/s\n';
    assert.deepEqual(await s.completion(untitled, noHeader, pos(1, 2)), [pathItem('/svc/y', 'asserted on line 1', range(1, 0, 1, 2), 0)]);
    assert.deepEqual(await s.completion(untitled, noHeader, pos(0, 12)), [], 'no tested dtab: no actual result');
  });

  it('reuses the last run of the same text (nothing read again, its version kept); runs a new text', async () => {
    writeFileSync(join(dir.path, 'app.dtab'), APP);
    const host = new Host();
    const s = new DtabTestService(host);
    const uri = uriOf(join(dir.path, 't.dtab-test'));
    const run = await s.run(uri, T, 7);
    assert.equal(host.reads.length, 1);
    // The dtab changes on disk: the kept run still answers with the dtab it read.
    writeFileSync(join(dir.path, 'app.dtab'), '/svc => /$/inet/127.1/8;\n');
    assert.deepEqual(await s.completion(uri, T, pos(1, 12)), [actualItem('/$/inet/127.1/1/y', range(1, 10, 1, 12), '/x')]);
    assert.equal(s.lastRun(uri), run);
    assert.equal(host.reads.length, 1);
    const edited = T + '/svc/v => /x\n';
    assert.deepEqual(await s.completion(uri, edited, pos(4, 12)), [actualItem('/$/inet/127.1/8/v', range(4, 10, 4, 12), '/x')]);
    assert.equal(host.reads.length, 2);
    const last = s.lastRun(uri)!;
    assert.notEqual(last, run);
    assert.deepEqual([last.version, last.file.text], [undefined, edited]);
  });
});

describe('DtabTestService: lastRun, forget, dependents', () => {
  const dir = tempDirs('mst-deps-');

  it('the test files whose last run read a file; forget drops a file', async () => {
    writeFileSync(join(dir.path, 'app.dtab'), APP);
    writeFileSync(join(dir.path, 'cluster.json'), cluster('10.0.0.1'));
    const s = new DtabTestService(new Host());
    const [a, b, c] = ['a', 'b', 'c'].map((n) => uriOf(join(dir.path, `${n}.dtab-test`))) as [string, string, string];
    const app = uriOf(join(dir.path, 'app.dtab'));
    const snap = uriOf(join(dir.path, 'cluster.json'));
    const ra = await s.run(a, '# dtab: app.dtab\n# snapshot: cluster.json\n/svc/a => ~\n');
    await s.run(b, '# dtab: app.dtab\n/svc/b => ~\n');
    await s.run(c, '/svc/c => ~\n');
    assert.deepEqual(ra.dependencies, [app, snap]);
    assert.deepEqual(s.dependents(app), [a, b]);
    assert.deepEqual(s.dependents(snap), [a]);
    assert.deepEqual(s.dependents(uriOf(join(dir.path, 'other.dtab'))), []);
    assert.equal(s.lastRun(a), ra);
    s.forget(a);
    assert.equal(s.lastRun(a), undefined);
    assert.deepEqual(s.dependents(app), [b]);
    assert.deepEqual(s.dependents(snap), []);
    // A run again that no longer names the snapshot.
    await s.run(b, '# dtab: app.dtab\n# snapshot: cluster.json\n/svc/b => ~\n');
    assert.deepEqual(s.dependents(snap), [b]);
    await s.run(b, '/svc/b => ~\n');
    assert.deepEqual(s.dependents(app), []);
    s.close();
  });
});

describe('isDtabTestDocument', () => {
  it('by language, or by the .dtab-test extension', () => {
    const doc = (uri: string, languageId: string) => TextDocument.create(uri, languageId, 1, '');
    assert.deepEqual(
      [
        doc('file:///a.txt', 'linkerd-dtab-test'),
        doc('file:///a.dtab-test', 'plaintext'),
        doc('untitled:x.dtab-test', 'linkerd-dtab'),
        doc('file:///a.dtab', 'linkerd-dtab'),
        doc('file:///a.dtab-test.bak', 'plaintext'),
        doc('file:///a.dtab-tests', 'yaml'),
      ].map(isDtabTestDocument),
      [true, true, true, false, false, false],
    );
  });
});

// ---- canary shifts ----------------------------------------------------------------------------

describe('minimalEdit', () => {
  const edit = (before: string, after: string) => minimalEdit(before, after);
  /** Applies an edit made against `before`. */
  const apply = (before: string, e: ReturnType<typeof minimalEdit>) => {
    const lines = new LineIndex(before);
    return before.slice(0, lines.offset(e.range.start)) + e.newText + before.slice(lines.offset(e.range.end));
  };
  const cases: [string, string, ReturnType<typeof minimalEdit>][] = [
    ['', '', { range: range(0, 0, 0, 0), newText: '' }],
    ['abc', 'abc', { range: range(0, 3, 0, 3), newText: '' }],
    ['', 'xy', { range: range(0, 0, 0, 0), newText: 'xy' }],
    ['xy', '', { range: range(0, 0, 0, 2), newText: '' }],
    ['abc', 'abXc', { range: range(0, 2, 0, 2), newText: 'X' }],
    ['abc', 'aXc', { range: range(0, 1, 0, 2), newText: 'X' }],
    ['xbc', 'ybc', { range: range(0, 0, 0, 1), newText: 'y' }],
    ['abx', 'aby', { range: range(0, 2, 0, 3), newText: 'y' }],
    ['abc', 'ab', { range: range(0, 2, 0, 3), newText: '' }],
    ['bc', 'abc', { range: range(0, 0, 0, 0), newText: 'a' }],
    // The common start and end never overlap: a repeated character is inserted (or removed) once.
    ['aa', 'aaa', { range: range(0, 2, 0, 2), newText: 'a' }],
    ['aaa', 'aa', { range: range(0, 2, 0, 3), newText: '' }],
    ['aba', 'aa', { range: range(0, 1, 0, 2), newText: '' }],
    ['a\nb\nc\n', 'a\nBX\nc\n', { range: range(1, 0, 1, 1), newText: 'BX' }],
    ['one\ntwo\nthree', 'one\nthree', { range: range(1, 1, 2, 1), newText: '' }],
    ['a\r\nb', 'a\r\nc', { range: range(1, 0, 1, 1), newText: 'c' }],
    ['x\n', 'x\ny\nz\n', { range: range(1, 0, 1, 0), newText: 'y\nz\n' }],
  ];
  for (const [before, after, expected] of cases) {
    it(`${JSON.stringify(before)} → ${JSON.stringify(after)}`, () => {
      const e = edit(before, after);
      assert.deepEqual(e, expected);
      assert.equal(apply(before, e), after);
    });
  }
});

const V1 = '/#/io.l5d.fs/world-v1';
const V2 = '/#/io.l5d.fs/world-v2';
const WORLD = '# the world\n/svc => /host;\n/host/world => /#/io.l5d.fs/world-v1; # current\n';
/** `text` with the /host/world dentry routing to `dst`. */
const withDst = (text: string, dst: string) => text.replace(`/host/world => ${V1};`, `/host/world => ${dst};`);
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The value with every ISO time under an `at` key as 'AT' (anything else under `at` is kept, and fails the comparison). */
function timeless<T>(v: T): T {
  if (Array.isArray(v)) return v.map(timeless) as T;
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, k === 'at' && typeof x === 'string' && ISO.test(x) ? 'AT' : timeless(x)])) as T;
  return v;
}

/** Applies a canary's edits (all made against `text`, not overlapping) to `text`. */
function applyEdits(text: string, edits: CanaryResult['edits']): string {
  const lines = new LineIndex(text);
  const sorted = [...(edits ?? [])].sort((a, b) => lines.offset(b.range.start) - lines.offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, lines.offset(e.range.start)) + e.newText + out.slice(lines.offset(e.range.end));
  return out;
}

/** A workspace folder with world.dtab, and the editor's host (settings: `allow`, asked questions recorded). */
class Workspace {
  readonly file: string;
  readonly uri: string;
  readonly stateFile: string;
  readonly asked: [string, string][] = [];
  readonly allow = new Map<string, string>();
  readonly canaries: Canaries;
  constructor(
    readonly dir: string,
    host: Partial<CanaryHost> = {},
  ) {
    this.file = join(dir, 'world.dtab');
    this.uri = uriOf(this.file);
    this.stateFile = join(dir, STATE_FILE);
    writeFileSync(this.file, WORLD);
    this.canaries = new Canaries({
      trusted: () => true,
      folder: () => dir,
      allowed: async (url, list) => {
        this.asked.push([url, list]);
        return this.allow.get(`${list} ${url}`);
      },
      kube: () => ({ kubeconfig: '', context: '' }),
      ...host,
    });
  }
  disk(): string {
    return readFileSync(this.file, 'utf8');
  }
  stateOnDisk(): unknown {
    return JSON.parse(readFileSync(this.stateFile, 'utf8'));
  }
  start(more: Partial<Parameters<Canaries['start']>[0]> = {}): Promise<CanaryResult> {
    return this.canaries.start({ target: { kind: 'file', uri: this.uri }, name: '/host/world', to: V2, ...more });
  }
}

const DENTRY_V1 = `/host/world => ${V1}`;
const at10 = `/host/world => 1 * ${V2} & 9 * ${V1}`;
const summary = (percent: number) => `canary /host/world ${percent}% → ${V2} (from ${V1})`;
const PLAN = { name: '/host/world', stable: V1, canary: V2, steps: [10, 25, 50, 100] };
const START = { at: 'AT', action: 'start', percent: 0 };
const stepped = (percent: number, written: string) => ({ at: 'AT', action: 'step', percent, written });
/** The state of a canary on world.dtab (`shift`: where the dentry starts, 27 in WORLD). */
function fileState(file: string, o: { position: number; percent: number; status: string; history: object[]; current: string; hash?: string; shift?: number; plan?: object; lastMetrics?: object }) {
  const at = o.shift ?? 27;
  return {
    version: 1,
    backend: { kind: 'file', file },
    plan: o.plan ?? PLAN,
    position: o.position,
    percent: o.percent,
    status: o.status,
    original: { dentryText: DENTRY_V1, fileHash: o.hash ?? sha256(WORLD), range: { start: at, end: at + DENTRY_V1.length } },
    history: o.history,
    current: { dentryText: o.current, range: { start: at, end: at + o.current.length } },
    ...(o.lastMetrics ? { lastMetrics: o.lastMetrics } : {}),
  };
}

describe('Canaries: refusals', () => {
  const dir = tempDirs('mst-refuse-');
  const ACTIONS = ['status', 'pause', 'resume', 'step', 'abort', 'finish'] as const;

  it('an untrusted workspace: every command refused (exit 2), nothing written', async () => {
    const w = new Workspace(dir.path, { trusted: () => false });
    const refused = { code: 2, output: 'dtab: canary shifts are off in an untrusted workspace: trust the workspace first\n' };
    assert.deepEqual(await w.start(), refused);
    assert.deepEqual(await w.canaries.start({ target: { kind: 'namerd', server: { url: 'http://namerd:4180' }, ns: 'a' }, name: '/host/world', to: V2 }), refused);
    for (const action of ACTIONS) assert.deepEqual(await w.canaries.action({ action }), refused, action);
    assert.deepEqual(w.asked, []);
    assert.equal(existsSync(w.stateFile), false);
    assert.equal(w.disk(), WORLD);
  });

  it('no folder open: every command refused (exit 2), no state', async () => {
    const w = new Workspace(dir.path, { folder: () => undefined });
    const refused = { code: 2, output: 'dtab: open a folder first: the canary keeps its state in .dtab-canary.json there\n' };
    assert.deepEqual(await w.start(), refused);
    for (const action of ACTIONS) assert.deepEqual(await w.canaries.action({ action }), refused, action);
    assert.equal(w.canaries.state(), undefined);
    assert.equal(existsSync(w.stateFile), false);
  });

  it('a target that is not a file on disk; a namerd or a linkerd admin that the settings do not list', async () => {
    const w = new Workspace(dir.path);
    assert.deepEqual(await w.canaries.start({ target: { kind: 'file', uri: 'untitled:Untitled-1' }, name: '/host/world', to: V2 }), {
      code: 2,
      output: 'dtab: untitled:Untitled-1 is not a file on disk: a canary writes a dtab file, a namerd namespace or Kubernetes objects\n',
    });
    assert.deepEqual(await w.canaries.start({ target: { kind: 'namerd', server: { url: 'http://namerd:4180', authorization: 'Bearer t' }, ns: 'a' }, name: '/host/world', to: V2 }), {
      code: 2,
      output: 'dtab: http://namerd:4180 is not in linkerdDtab.namerd.servers: add it to the settings first\n',
    });
    assert.deepEqual(await w.start({ metrics: { admin: { url: 'http://l5d:9990' }, router: 'http' } }), { code: 2, output: 'dtab: http://l5d:9990 is not in linkerdDtab.linkerd.admins: add it to the settings first\n' });
    assert.deepEqual(w.asked, [
      ['http://namerd:4180', 'namerd'],
      ['http://l5d:9990', 'linkerdAdmins'],
    ]);
    assert.equal(existsSync(w.stateFile), false);
    assert.equal(w.disk(), WORLD);
  });
});

describe('Canaries: the state file', () => {
  const dir = tempDirs('mst-state-');

  for (const [what, content] of [
    ['missing', undefined],
    ['not JSON', '{"version":'],
    ['of another version', '{"version":2}'],
  ] as const) {
    it(`${what}: no canary (status exit 2, pause and resume refused), the file left as it is`, async () => {
      const w = new Workspace(dir.path);
      if (content !== undefined) writeFileSync(w.stateFile, content);
      assert.equal(STATE_FILE, '.dtab-canary.json');
      assert.equal(w.canaries.state(), undefined);
      assert.deepEqual(await w.canaries.action({ action: 'status' }), { code: 2, output: 'no canary in this workspace\n' });
      assert.deepEqual(await w.canaries.action({ action: 'pause' }), { code: 2, output: 'dtab: no canary in this workspace\n' });
      assert.deepEqual(await w.canaries.action({ action: 'resume' }), { code: 2, output: 'dtab: no canary in this workspace\n' });
      assert.equal(existsSync(w.stateFile) ? readFileSync(w.stateFile, 'utf8') : undefined, content);
    });
  }
});

describe('Canaries: a dtab file', () => {
  const dir = tempDirs('mst-canary-');

  it('not open in the editor: start, step, step to a percent, finish keeping the fallback, each written to disk', async () => {
    const w = new Workspace(dir.path);
    const r0 = await w.start();
    const s0 = fileState(w.file, { position: -1, percent: 0, status: 'running', history: [START], current: DENTRY_V1 });
    assert.deepEqual(timeless(r0), {
      code: 0,
      output: `started canary /host/world: ${V1} → ${V2} in file ${w.file}\n  dentry: ${DENTRY_V1}\n  steps: 10% → 25% → 50% → 100%\n  state: ${w.stateFile}\n  next: dtab canary step (→ 10%)\n`,
      state: s0,
      summary: summary(0),
    });
    assert.deepEqual(w.stateOnDisk(), r0.state);
    assert.deepEqual(w.canaries.state(), r0.state);
    assert.equal(w.disk(), WORLD);

    const r1 = await w.canaries.action({ action: 'step' });
    const h1 = [START, stepped(10, at10)];
    assert.deepEqual(timeless(r1), {
      code: 0,
      output: `canary /host/world: 0% → 10% (file ${w.file})\n  wrote: ${at10}\n  next: dtab canary step (→ 25%)\n`,
      state: fileState(w.file, { position: 0, percent: 10, status: 'running', history: h1, current: at10 }),
      summary: summary(10),
    });
    assert.equal(w.disk(), withDst(WORLD, `1 * ${V2} & 9 * ${V1}`));
    assert.deepEqual(w.stateOnDisk(), r1.state);

    const at33 = `/host/world => 33 * ${V2} & 67 * ${V1}`;
    const r2 = await w.canaries.action({ action: 'step', percent: 33 });
    const h2 = [...h1, stepped(33, at33)];
    assert.deepEqual(timeless(r2), {
      code: 0,
      output: `canary /host/world: 10% → 33% (file ${w.file})\n  wrote: ${at33}\n  next: dtab canary step (→ 50%)\n`,
      state: fileState(w.file, { position: 1, percent: 33, status: 'running', history: h2, current: at33 }),
      summary: summary(33),
    });
    assert.equal(w.disk(), withDst(WORLD, `33 * ${V2} & 67 * ${V1}`));

    const fallback = `/host/world => ${V2} | ${V1}`;
    const r3 = await w.canaries.action({ action: 'finish', keepFallback: true });
    const finished = fileState(w.file, { position: 3, percent: 100, status: 'finished', history: [...h2, { at: 'AT', action: 'finish', percent: 100, written: fallback, message: 'the stable destination kept as the fallback' }], current: fallback });
    assert.deepEqual(timeless(r3), {
      code: 0,
      output: `finished canary /host/world: all traffic to ${V2}, ${V1} as the fallback (file ${w.file})\n  wrote: ${fallback}\n`,
      state: finished,
      summary: summary(100),
    });
    assert.equal(w.disk(), withDst(WORLD, `${V2} | ${V1}`));
    assert.deepEqual(timeless(await w.canaries.action({ action: 'status' })), { code: 0, output: '', state: finished, summary: summary(100) });
    assert.deepEqual(await w.canaries.action({ action: 'pause' }), { code: 2, output: 'dtab: the canary of /host/world is finished\n' });
    assert.deepEqual(await w.canaries.action({ action: 'resume' }), { code: 2, output: 'dtab: the canary of /host/world is finished\n' });
  });

  it("open in the editor: read from its buffer, written as the edit to make; other buffers and non-file documents ignored", async () => {
    const w = new Workspace(dir.path);
    const buffer = '# unsaved\n' + WORLD;
    const other = uriOf(join(dir.path, 'other.dtab'));
    const r0 = await w.start({ files: { [w.uri]: buffer } });
    const hash = sha256(buffer);
    assert.deepEqual(timeless(r0).state, fileState(w.file, { position: -1, percent: 0, status: 'running', history: [START], current: DENTRY_V1, hash, shift: 37 }));
    assert.equal(r0.edits, undefined);

    const r1 = await w.canaries.action({ action: 'step', files: { [w.uri]: buffer, [other]: '/a => /b;\n', 'untitled:Untitled-1': '/host/world => /x;\n' } });
    assert.deepEqual(timeless(r1), {
      code: 0,
      output: `canary /host/world: 0% → 10% (file ${w.file})\n  wrote: ${at10}\n  next: dtab canary step (→ 25%)\n`,
      state: fileState(w.file, { position: 0, percent: 10, status: 'running', history: [START, stepped(10, at10)], current: at10, hash, shift: 37 }),
      summary: summary(10),
      edits: [{ uri: w.uri, range: range(3, 15, 3, 15), newText: `1 * ${V2} & 9 * ` }],
    });
    assert.equal(w.disk(), WORLD, 'the file on disk is the client\'s to save');
    assert.equal(existsSync(join(dir.path, 'other.dtab')), false);
    const applied = applyEdits(buffer, r1.edits);
    assert.equal(applied, withDst(buffer, `1 * ${V2} & 9 * ${V1}`));

    const r2 = await w.canaries.action({ action: 'abort', files: { [w.uri]: applied } });
    assert.deepEqual(timeless(r2), {
      code: 0,
      output: `aborted canary /host/world (dtab canary abort): restored ${DENTRY_V1}\n  ${w.file} is byte-identical to what the canary started from\n`,
      state: fileState(w.file, {
        position: -1,
        percent: 0,
        status: 'aborted',
        history: [START, stepped(10, at10), { at: 'AT', action: 'abort', percent: 0, written: DENTRY_V1, message: 'dtab canary abort' }],
        current: DENTRY_V1,
        hash,
        shift: 37,
      }),
      summary: summary(0),
      edits: [{ uri: w.uri, range: range(3, 15, 3, 47), newText: '' }],
    });
    assert.equal(applyEdits(applied, r2.edits), buffer);
    assert.equal(w.disk(), WORLD);
    assert.deepEqual(await w.canaries.action({ action: 'pause' }), { code: 2, output: 'dtab: the canary of /host/world is aborted\n' });
  });

  it('finish with the file open: the canary alone, as an edit; abort of a file not open: restored on disk (changed elsewhere: said so)', async () => {
    const w = new Workspace(dir.path);
    assert.equal((await w.start()).code, 0);
    assert.equal((await w.canaries.action({ action: 'step' })).code, 0);
    const disk = w.disk();
    const r = await w.canaries.action({ action: 'finish', files: { [w.uri]: disk } });
    assert.deepEqual([r.code, r.output, r.edits], [0, `finished canary /host/world: all traffic to ${V2} (file ${w.file})\n  wrote: /host/world => ${V2}\n`, [{ uri: w.uri, range: range(2, 15, 2, 68), newText: V2 }]]);
    assert.equal(applyEdits(disk, r.edits), withDst(WORLD, V2));
    assert.deepEqual(timeless((r.state as CanaryState).history.at(-1)), { at: 'AT', action: 'finish', percent: 100, written: `/host/world => ${V2}`, message: 'the canary alone' });
    assert.equal(w.disk(), disk);

    // Another canary, on a file changed elsewhere meanwhile, aborted from disk.
    rmSync(w.stateFile);
    writeFileSync(w.file, WORLD);
    assert.equal((await w.start()).code, 0);
    assert.equal((await w.canaries.action({ action: 'step' })).code, 0);
    writeFileSync(w.file, w.disk() + '/moon => /x;\n');
    const a = await w.canaries.action({ action: 'abort' });
    assert.deepEqual([a.code, a.output, a.edits], [0, `aborted canary /host/world (dtab canary abort): restored ${DENTRY_V1}\n  the dentry is back as it was; ${w.file} has other changes made since the canary started, kept as they are\n`, undefined]);
    assert.equal(w.disk(), WORLD + '/moon => /x;\n');
  });

  it('pause and resume: the status written to the state file, whatever it was', async () => {
    const w = new Workspace(dir.path);
    await w.start();
    await w.canaries.action({ action: 'step' });
    const running = w.canaries.state()!;
    assert.equal(running.status, 'running');
    const paused = { ...running, status: 'paused' as const };
    const expectPaused = { code: 0, output: 'canary /host/world paused at 10%\n', state: paused, summary: summary(10) };
    assert.deepEqual(await w.canaries.action({ action: 'pause' }), expectPaused);
    assert.equal(readFileSync(w.stateFile, 'utf8'), serializeCanaryState(paused));
    assert.deepEqual(await w.canaries.action({ action: 'pause' }), expectPaused);
    assert.equal(readFileSync(w.stateFile, 'utf8'), serializeCanaryState(paused));
    const expectRunning = { code: 0, output: 'canary /host/world resumed at 10%\n', state: running, summary: summary(10) };
    assert.deepEqual(await w.canaries.action({ action: 'resume' }), expectRunning);
    assert.equal(readFileSync(w.stateFile, 'utf8'), serializeCanaryState(running));
    assert.deepEqual(await w.canaries.action({ action: 'resume' }), expectRunning);
    assert.equal(readFileSync(w.stateFile, 'utf8'), serializeCanaryState(running));
    assert.deepEqual(await w.canaries.action({ action: 'status' }), { code: 0, output: '', state: running, summary: summary(10) });
    assert.equal(w.disk(), withDst(WORLD, `1 * ${V2} & 9 * ${V1}`));
  });

  it('--from that is not where the dentry routes: exit 4, no state; empty steps and pauses: the defaults', async () => {
    const w = new Workspace(dir.path);
    assert.deepEqual(await w.start({ from: '/#/io.l5d.fs/world-v0' }), {
      code: 4,
      output: `dtab: the /host/world dentry in ${w.file} routes to ${V1}, not to the stable destination /#/io.l5d.fs/world-v0: nothing to shift from (give --from "${V1}", or fix the dentry first)\n`,
    });
    assert.equal(existsSync(w.stateFile), false);
    const r = await w.start({ from: V1, steps: [], pauseSeconds: [] });
    assert.deepEqual(timeless(r).state, fileState(w.file, { position: -1, percent: 0, status: 'running', history: [START], current: DENTRY_V1 }));
    rmSync(w.stateFile);
    const s = await w.start({ steps: [50, 100], pauseSeconds: [0, 60] });
    assert.deepEqual((s.state as CanaryState).plan, { ...PLAN, steps: [50, 100], pauseSeconds: [0, 60] });
    assert.equal(s.output.split('\n')[2], '  steps: 50% → 100%');
  });
});

describe('Canaries: a metrics gate (linkerd stand-in)', () => {
  const dir = tempDirs('mst-gate-');
  let l5d: LinkerdStandin;
  before(async () => {
    l5d = await startLinkerdStandin({ routers: [{ label: 'http', dtab: WORLD }] });
  });
  after(() => l5d.stop());

  const workspace = () => {
    const w = new Workspace(dir.path);
    w.allow.set('linkerdAdmins l5d', l5d.adminUrl);
    return w;
  };
  /** Steps 50 and 100, a gate that no traffic passes. */
  const GATED = { steps: [50, 100], metrics: { admin: { url: 'l5d' }, router: 'http' }, gate: { minSuccessRate: 0.9, minRequests: 0 } };
  const at50 = `/host/world => 1 * ${V2} & 1 * ${V1}`;
  const gateFailed = (wanted: string) =>
    `dtab: the gate failed at 50%: ${wanted} was not applied\n  the canary ${V2} completed no requests: its success rate is unknown (90.00% required)\n  stable ${V1}: 0 requests, no completed requests\n  canary ${V2}: 0 requests, no completed requests\n`;
  const aborted = `aborted canary /host/world (the gate failed (--abort-on-gate)): restored ${DENTRY_V1}\n`;

  it('the plan: the admin the settings give, the router, the ids given (else the destinations), the gate', async () => {
    const w = workspace();
    const r = await w.start({ ...GATED, metrics: { admin: { url: 'l5d' }, router: 'http', stableId: '/#/io.l5d.fs/s', canaryId: '/#/io.l5d.fs/c' }, pauseSeconds: [0, 0] });
    const plan = { ...PLAN, steps: [50, 100], pauseSeconds: [0, 0], gate: { minSuccessRate: 0.9, minRequests: 0 }, metrics: { admin: l5d.adminUrl, router: 'http', stableId: '/#/io.l5d.fs/s', canaryId: '/#/io.l5d.fs/c' } };
    assert.deepEqual(timeless(r), {
      code: 0,
      output: `started canary /host/world: ${V1} → ${V2} in file ${w.file}\n  dentry: ${DENTRY_V1}\n  steps: 50% → 100%\n  state: ${w.stateFile}\n  next: dtab canary step (→ 50%)\n`,
      state: fileState(w.file, { position: -1, percent: 0, status: 'running', history: [START], current: DENTRY_V1, plan, lastMetrics: { at: 'AT', values: {} } }),
      summary: summary(0),
    });
    assert.deepEqual(w.asked, [['l5d', 'linkerdAdmins']]);
    rmSync(w.stateFile);
    const d = await w.start({ metrics: { admin: { url: 'l5d' }, router: 'http' }, gate: { minSuccessRate: 0 } });
    assert.deepEqual((d.state as CanaryState).plan, { ...PLAN, gate: { minSuccessRate: 0 }, metrics: { admin: l5d.adminUrl, router: 'http', stableId: V1, canaryId: V2 } });
    rmSync(w.stateFile);
    const n = await w.start({ metrics: { admin: { url: 'l5d' }, router: 'http' }, gate: { minRequests: 0 } });
    assert.deepEqual((n.state as CanaryState).plan.gate, { minRequests: 0 });
  });

  it('abortOnGate: a failed gate at a step aborts the canary (the file restored)', async () => {
    const w = workspace();
    assert.equal((await w.start({ ...GATED, abortOnGate: true })).code, 0);
    assert.equal((await w.canaries.action({ action: 'step' })).output, `canary /host/world: 0% → 50% (file ${w.file})\n  wrote: ${at50}\n  next: dtab canary step (→ 100%)\n`);
    const r = await w.canaries.action({ action: 'step' });
    assert.deepEqual([r.code, r.output, r.summary, r.edits], [6, gateFailed('100%') + aborted + `  ${w.file} is byte-identical to what the canary started from\n`, summary(0), undefined]);
    assert.deepEqual(
      timeless((r.state as CanaryState).history).map((h) => [h.action, h.percent, h.written, h.message]),
      [
        ['start', 0, undefined, undefined],
        ['step', 50, at50, undefined],
        ['gate-failed', 50, undefined, `the canary ${V2} completed no requests: its success rate is unknown (90.00% required)`],
        ['abort', 0, DENTRY_V1, 'the gate failed (--abort-on-gate)'],
      ],
    );
    assert.equal((r.state as CanaryState).status, 'aborted');
    assert.equal(w.disk(), WORLD);
  });

  it('abortOnGate: a failed gate at finish aborts the canary, as an edit of the open file', async () => {
    const w = workspace();
    assert.equal((await w.start({ ...GATED, abortOnGate: true })).code, 0);
    assert.equal((await w.canaries.action({ action: 'step' })).code, 0);
    const open = w.disk();
    const r = await w.canaries.action({ action: 'finish', files: { [w.uri]: open } });
    assert.deepEqual([r.code, r.output, r.edits], [6, gateFailed('finish') + aborted + `  ${w.file} is byte-identical to what the canary started from\n`, [{ uri: w.uri, range: range(2, 15, 2, 47), newText: '' }]]);
    assert.equal(applyEdits(open, r.edits), WORLD);
    assert.equal((r.state as CanaryState).status, 'aborted');
  });

  it('without abortOnGate (a later start forgets an earlier one\'s): the gate fails, nothing written, the canary stays (gate-failed)', async () => {
    const w = workspace();
    assert.equal((await w.start({ ...GATED, abortOnGate: true })).code, 0);
    assert.equal((await w.canaries.action({ action: 'abort' })).code, 0);
    rmSync(w.stateFile);
    assert.equal((await w.start(GATED)).code, 0);
    assert.equal((await w.canaries.action({ action: 'step' })).code, 0);
    const written = w.disk();
    const r = await w.canaries.action({ action: 'step' });
    assert.deepEqual([r.code, r.output, r.summary, (r.state as CanaryState).status], [6, gateFailed('100%'), summary(50), 'gate-failed']);
    assert.equal(w.disk(), written);
    const f = await w.canaries.action({ action: 'finish', files: { [w.uri]: written } });
    assert.deepEqual([f.code, f.output, f.edits, (f.state as CanaryState).status], [6, gateFailed('finish'), undefined, 'gate-failed']);
    assert.deepEqual(await w.canaries.action({ action: 'pause' }), { code: 2, output: 'dtab: the canary of /host/world is gate-failed\n' });
    assert.deepEqual(await w.canaries.action({ action: 'resume' }), { code: 2, output: 'dtab: the canary of /host/world is gate-failed\n' });
  });
});

describe('Canaries: a namerd namespace (namerd stand-in)', () => {
  const dir = tempDirs('mst-namerd-');
  const NS = `/svc=>/host;/host/world=>${V1}`;
  let nd: NamerdStandin;
  let guarded: NamerdStandin;
  before(async () => {
    nd = await startNamerdStandin({});
    guarded = await startNamerdStandin({ token: 'sekret' });
  });
  after(async () => {
    await nd.stop();
    await guarded.stop();
  });

  it('the URL the settings give; a bearer authorization is the token (others are not sent)', async () => {
    guarded.set('a', NS);
    const w = new Workspace(dir.path);
    w.allow.set('namerd nd', guarded.url);
    const start = (authorization?: string) => w.canaries.start({ target: { kind: 'namerd', server: { url: 'nd', ...(authorization !== undefined ? { authorization } : {}) }, ns: 'a' }, name: '/host/world', to: V2 });
    const refused = { code: 5, output: `dtab: ${guarded.url} refused to get namespace a (401 Unauthorized): it wants credentials; set DTAB_NAMERD_TOKEN to a bearer token it accepts\n` };
    assert.deepEqual(await start(), refused);
    assert.deepEqual(await start('Basic c2VrcmV0'), refused);
    assert.deepEqual(await start('sekret'), refused);
    assert.deepEqual(await start('Digest sekret'), refused, 'another scheme is not a bearer token, whatever follows it');
    assert.equal(existsSync(w.stateFile), false);
    const r = await start('Bearer sekret');
    assert.deepEqual(timeless(r), {
      code: 0,
      output: `started canary /host/world: ${V1} → ${V2} in namerd ${guarded.url} namespace a\n  dentry: /host/world=>${V1}\n  steps: 10% → 25% → 50% → 100%\n  state: ${w.stateFile}\n  next: dtab canary step (→ 10%)\n`,
      state: {
        version: 1,
        backend: { kind: 'namerd', url: `${guarded.url}/`, ns: 'a' },
        plan: PLAN,
        position: -1,
        percent: 0,
        status: 'running',
        original: { dentryText: `/host/world=>${V1}`, namerdText: NS, namerdVersion: 'AAAAAAAAAAE=', range: { start: 12, end: 46 } },
        history: [START],
        current: { dentryText: `/host/world=>${V1}`, range: { start: 12, end: 46 } },
      },
      summary: summary(0),
    });
    assert.deepEqual(w.asked, Array.from({ length: 5 }, () => ['nd', 'namerd']));
    assert.equal(guarded.get('a')!.text, NS);
  });

  it('a step writes the namespace (no edits), an abort puts it back', async () => {
    nd.set('b', NS);
    const w = new Workspace(dir.path);
    w.allow.set(`namerd ${nd.url}`, nd.url);
    assert.equal((await w.canaries.start({ target: { kind: 'namerd', server: { url: nd.url }, ns: 'b' }, name: '/host/world', to: V2 })).code, 0);
    const r = await w.canaries.action({ action: 'step', files: { [w.uri]: WORLD } });
    assert.deepEqual([r.code, r.output, r.edits, r.summary], [0, `canary /host/world: 0% → 10% (namerd ${nd.url} namespace b)\n  wrote: /svc=>/host;/host/world=>1 * ${V2} & 9 * ${V1}\n  next: dtab canary step (→ 25%)\n`, undefined, summary(10)]);
    assert.equal(nd.get('b')!.text, `/svc=>/host;/host/world=>${V2} & 9.00*${V1}`);
    assert.equal(w.disk(), WORLD);
    const a = await w.canaries.action({ action: 'abort' });
    assert.deepEqual([a.code, a.output, a.edits], [0, `aborted canary /host/world (dtab canary abort): restored /host/world=>${V1}\n  namespace b is as the canary found it\n`, undefined]);
    assert.equal(nd.get('b')!.text, NS);
  });
});

describe('Canaries: what `dtab canary` exits 2 for comes back as a result, in its words', () => {
  const dir = tempDirs('mst-usage-');
  it('a step with no canary, steps that go down, a second start, a percent out of range', async () => {
    const w = new Workspace(dir.path);
    const noState = await w.canaries.action({ action: 'step' });
    assert.equal(noState.code, 2);
    assert.equal(noState.output, `dtab: no canary state in ${w.stateFile}: start one with \`dtab canary start\` (or give --state FILE)\n`);
    assert.deepEqual(await w.start({ steps: [10, 5] }), { code: 2, output: 'dtab: canary start: the plan.steps: must increase: 10 then 5\n' });
    assert.equal((await w.start()).code, 0);
    const again = await w.start();
    assert.deepEqual([again.code, again.output, again.summary], [2, `dtab: a canary of /host/world is running at 0% (${w.stateFile}): finish or abort it first\n`, summary(0)]);
    const percent = await w.canaries.action({ action: 'step', percent: 150 });
    assert.deepEqual([percent.code, percent.output], [2, 'dtab: --percent takes a number from 0 to 100, not "150"\n']);
  });
});

describe('Canaries: a namerd canary steps with the credentials it started with', () => {
  const dir = tempDirs('mst-token-');
  let guarded: NamerdStandin;
  before(async () => {
    guarded = await startNamerdStandin({ token: 'sekret' });
  });
  after(() => guarded.stop());
  it('each action sends the Authorization it is given as the token; without it, namerd refuses (exit 5)', async () => {
    guarded.set('a', `/svc=>/host;/host/world=>${V1}`);
    const w = new Workspace(dir.path);
    w.allow.set('namerd nd', guarded.url);
    assert.equal((await w.canaries.start({ target: { kind: 'namerd', server: { url: 'nd', authorization: 'Bearer sekret' }, ns: 'a' }, name: '/host/world', to: V2 })).code, 0);
    const refused = await w.canaries.action({ action: 'step' });
    assert.deepEqual([refused.code, refused.output], [5, `dtab: ${guarded.url} refused to get namespace a (401 Unauthorized): it wants credentials; set DTAB_NAMERD_TOKEN to a bearer token it accepts\n`]);
    assert.equal(guarded.get('a')!.text, `/svc=>/host;/host/world=>${V1}`);
    const stepped = await w.canaries.action({ action: 'step', authorization: 'bearer sekret' });
    assert.equal(stepped.code, 0, stepped.output);
    assert.equal(guarded.get('a')!.text, `/svc=>/host;/host/world=>${V2} & 9.00*${V1}`);
    const aborted = await w.canaries.action({ action: 'abort', authorization: 'Bearer sekret' });
    assert.equal(aborted.code, 0, aborted.output);
    assert.equal(guarded.get('a')!.text, `/svc=>/host;/host/world=>${V1}`);
  });
});
