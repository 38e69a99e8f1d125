// Starts the real language server (dist/server.js --stdio) and speaks LSP to it, for tests and
// the LSP benchmark.

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { GateReader } from '../../server/gate.js';
import { startServer } from '../../server/server.js';
import { freshDist } from './fresh-dist.js';
import {
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export const SERVER = join(__dirname, '..', '..', 'dist', 'server.js');
/**
 * The server started in this process on in-memory streams, from the sources (no build): what
 * mutation testing needs, since its mutants live in the sources. Never sent `exit` (the connection
 * would end this process) and started without a processId (its parent watch would keep it alive).
 */
export const IN_PROCESS = 'in-process';

export class LspClient {
  readonly connection: ProtocolConnection;
  private readonly process: ChildProcess | undefined;
  /** Where the client writes to the server. */
  private readonly input: Writable;
  private readonly waiters: { uri: string; version: number | undefined; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private stderr = '';
  /** Resolves when the server process ends (for any reason). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  /** `env` is added to the server's environment (e.g. KUBECONFIG for a stand-in cluster). */
  /**
   * `server`: a server bundle to spawn, or IN_PROCESS; by default dist/server.js, or IN_PROCESS when
   * LSP_SERVER=in-process (mutation testing runs the LSP suites that way, see stryker.config.mjs).
   */
  constructor(settings: Record<string, unknown> = {}, server = process.env.LSP_SERVER === IN_PROCESS ? IN_PROCESS : SERVER, env: NodeJS.ProcessEnv = {}) {
    if (server === IN_PROCESS) {
      // The server reads this process's environment (KUBECONFIG, HOME): the test's settings go there.
      Object.assign(process.env, env);
      const toServer = new PassThrough();
      const fromServer = new PassThrough();
      const writer = new StreamMessageWriter(fromServer);
      startServer(new GateReader(new StreamMessageReader(toServer), writer), writer);
      this.process = undefined;
      this.input = toServer;
      this.exited = new Promise(() => {});
      this.connection = createProtocolConnection(new StreamMessageReader(fromServer), new StreamMessageWriter(toServer));
    } else {
      // Never a stale bundle: built first if a source is newer (see fresh-dist.ts).
      if (server === SERVER) freshDist('server.js');
      const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
      this.process = child;
      this.input = child.stdin!;
      this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
      child.stderr!.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-20_000)));
      // Writing to a server that died fails with EPIPE: the caller sees it through `alive`/`exited`.
      child.stdin!.on('error', () => {});
      this.connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    }
    this.connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      const list = this.published.get(p.uri) ?? [];
      list.push(p);
      this.published.set(p.uri, list);
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        const w = this.waiters[i]!;
        if (w.uri === p.uri && (w.version === undefined || p.version === w.version)) {
          this.waiters.splice(i, 1);
          w.resolve(p);
        }
      }
    });
    this.connection.onRequest('workspace/configuration', () => [settings]);
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.listen();
  }

  /** `rootUri`: a workspace folder (file:// URI), as an editor opens a folder. */
  async start(rootUri: string | null = null): Promise<void> {
    await this.connection.sendRequest(InitializeRequest.type, {
      processId: this.process ? process.pid : null,
      rootUri,
      ...(rootUri ? { workspaceFolders: [{ uri: rootUri, name: 'workspace' }] } : {}),
      capabilities: { workspace: { configuration: true }, textDocument: { publishDiagnostics: { versionSupport: true } } },
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
  }

  /**
   * Notifications written to the server in one write (a few KB: the pipe delivers them together),
   * so that the server reads them in one go, as it does a burst of keystrokes it was too busy to read.
   */
  sendTogether(notifications: readonly { method: string; params: unknown }[]): void {
    const bytes = notifications.map((n) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...n }), 'utf8');
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
    });
    this.input.write(Buffer.concat(bytes));
  }

  /** The next diagnostics published for `uri` (at `version`, if given). */
  diagnostics(uri: string, version?: number, timeoutMs = 10_000): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no diagnostics for ${uri} v${version} within ${timeoutMs} ms; server stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ uri, version, resolve: (p) => (clearTimeout(timer), resolve(p)) });
    });
  }

  async open(uri: string, text: string, version = 1, languageId = uri.endsWith('.dtab') ? 'linkerd-dtab' : 'yaml'): Promise<Diagnostic[]> {
    const next = this.diagnostics(uri, version);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
    return (await next).diagnostics;
  }

  async change(uri: string, version: number, changes: { range?: { start: { line: number; character: number }; end: { line: number; character: number } }; text: string }[]): Promise<void> {
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: changes as never,
    });
  }

  /** Whether the server process is still running. */
  get alive(): boolean {
    return !this.process || (this.process.exitCode === null && this.process.signalCode === null);
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }

  /** The end of what the server wrote to stderr. */
  get stderrTail(): string {
    return this.stderr;
  }

  /** Ends the server at once (a hung one cannot answer shutdown). */
  async kill(): Promise<void> {
    this.connection.dispose();
    if (!this.process) throw new Error('an in-process server cannot be killed');
    if (this.alive) this.process.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.process) {
      // Shut down (watches, sockets and timers closed), then end the streams: nothing is left running.
      try {
        await this.connection.sendRequest(ShutdownRequest.type);
      } finally {
        this.connection.dispose();
        this.input.end();
      }
      return;
    }
    const child = this.process;
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } finally {
      this.connection.dispose();
      const exited = new Promise((r) => child.once('exit', r));
      setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      await exited;
    }
  }
}
