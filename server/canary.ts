// Canary shifts from the editor: the same engine, the same state file (`.dtab-canary.json` in the
// workspace folder) and the same messages as `dtab canary`, so a canary started in the editor can be
// stepped from a pipeline and the other way round. A dtab file open in the editor is read from its
// buffer and written as an edit the client applies and saves; everything else (namerd, Kubernetes,
// the state file) is written where it lives.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describeStatus, LineIndex, parseCanaryState, serializeCanaryState, type CanaryState } from '../core/index.js';
import type { CanaryActionParams, CanaryResult, CanaryStartParams, Range } from '../protocol/messages.js';
import { canaryCommand } from '../cli/canary.js';
import { ReadError, UsageError, type Io } from '../cli/common.js';

export const STATE_FILE = '.dtab-canary.json';

export interface CanaryHost {
  trusted(): boolean;
  /** The workspace folder whose state file is used (the first one). */
  folder(): string | undefined;
  /** The URLs the settings allow (namerd servers and linkerd admins). */
  allowed(url: string, list: 'namerd' | 'linkerdAdmins'): Promise<string | undefined>;
  /** The kubeconfig and context of the editor's cluster settings (empty: KUBECONFIG, then ~/.kube/config; its current context). */
  kube(): { readonly kubeconfig: string; readonly context: string };
}

/** The smallest edit from `before` to `after`: one range, the text between the common ends. */
export function minimalEdit(before: string, after: string): { range: Range; newText: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let end = 0;
  while (end < max - start && before.charCodeAt(before.length - 1 - end) === after.charCodeAt(after.length - 1 - end)) end++;
  const index = new LineIndex(before);
  return { range: { start: index.position(start), end: index.position(before.length - end) }, newText: after.slice(start, after.length - end) };
}

export class Canaries {
  constructor(private readonly host: CanaryHost) {}

  private stateFile(): string | undefined {
    const folder = this.host.folder();
    return folder ? join(folder, STATE_FILE) : undefined;
  }

  private refuse(message: string, code = 2): CanaryResult {
    return { code, output: `dtab: ${message}\n` };
  }

  /** The state file's canary, if any. */
  state(): CanaryState | undefined {
    const file = this.stateFile();
    if (!file) return undefined;
    try {
      return parseCanaryState(readFileSync(file, 'utf8'), file);
    } catch {
      return undefined;
    }
  }

  private result(code: number, output: string, edits: CanaryResult['edits'] = []): CanaryResult {
    const state = this.state();
    return { code, output, ...(state ? { state, summary: describeStatus(state)[0] } : {}), ...(edits.length ? { edits } : {}) };
  }

  /** Runs `dtab canary <args>` with the editor's files: open dtabs from their buffers, written as edits. */
  private async run(args: string[], files: Readonly<Record<string, string>> = {}, env: NodeJS.ProcessEnv = {}): Promise<CanaryResult> {
    const stateFile = this.stateFile()!;
    let output = '';
    const buffers = new Map<string, string>();
    for (const [uri, text] of Object.entries(files)) if (uri.startsWith('file:')) buffers.set(fileURLToPath(uri), text);
    const written = new Map<string, string>();
    const io: Io = {
      out: (s) => (output += s),
      err: (s) => (output += s),
      readFile: (f) => written.get(f) ?? buffers.get(f) ?? readFileSync(f, 'utf8'),
      writeFile: (f, text) => {
        if (buffers.has(f)) written.set(f, text);
        else writeFileSync(f, text);
      },
      env: { ...env },
      cwd: this.host.folder() ?? process.cwd(),
    };
    let code: number;
    try {
      code = await canaryCommand([...args, '--state', stateFile], io);
    } catch (e) {
      // What `dtab canary` exits 2 for (a usage error, an unreadable state or file), said the same way.
      if (!(e instanceof UsageError || e instanceof ReadError || /^ERR_PARSE_ARGS_/.test(String((e as NodeJS.ErrnoException).code)))) throw e;
      return this.result(2, `${output}dtab: ${(e as Error).message}\n`);
    }
    const edits = [...written].map(([f, text]) => ({ uri: pathToFileURL(f).href, ...minimalEdit(buffers.get(f)!, text) }));
    return this.result(code, output, edits);
  }

  private async common(): Promise<CanaryResult | undefined> {
    if (!this.host.trusted()) return this.refuse('canary shifts are off in an untrusted workspace: trust the workspace first');
    if (!this.stateFile()) return this.refuse('open a folder first: the canary keeps its state in .dtab-canary.json there');
    return undefined;
  }

  async start(p: CanaryStartParams & { readonly files?: Readonly<Record<string, string>> }): Promise<CanaryResult> {
    const no = await this.common();
    if (no) return no;
    // Only what was given: the engine says what a target needs (a dtab canary --name and --to, a
    // TrafficSplit --from and --to, Deployments neither), in the CLI's words.
    const args = ['start', ...(p.name !== undefined ? ['--name', p.name] : []), ...(p.to !== undefined ? ['--to', p.to] : [])];
    const env: NodeJS.ProcessEnv = {};
    switch (p.target.kind) {
      case 'file':
        if (!p.target.uri.startsWith('file:')) return this.refuse(`${p.target.uri} is not a file on disk: a canary writes a dtab file, a namerd namespace or Kubernetes objects`);
        args.push('--file', fileURLToPath(p.target.uri));
        break;
      case 'namerd': {
        const url = await this.host.allowed(p.target.server.url, 'namerd');
        if (!url) return this.refuse(`${p.target.server.url} is not in linkerdDtab.namerd.servers: add it to the settings first`);
        args.push('--namerd', url, '--ns', p.target.ns);
        Object.assign(env, namerdToken(p.target.server.authorization));
        break;
      }
      case 'traffic-split':
        args.push('--traffic-split', `${p.target.namespace}/${p.target.name}`, ...this.kubeArgs());
        Object.assign(env, kubeEnv());
        break;
      case 'deployments':
        args.push('--deployments', `${p.target.stable},${p.target.canary}`, ...this.kubeArgs());
        Object.assign(env, kubeEnv());
        break;
    }
    if (p.from !== undefined) args.push('--from', p.from);
    if (p.steps?.length) args.push('--steps', p.steps.join(','));
    if (p.pauseSeconds?.length) args.push('--pause', p.pauseSeconds.join(','));
    if (p.metrics) {
      const admin = await this.host.allowed(p.metrics.admin.url, 'linkerdAdmins');
      if (!admin) return this.refuse(`${p.metrics.admin.url} is not in linkerdDtab.linkerd.admins: add it to the settings first`);
      args.push('--admin', admin, '--router', p.metrics.router);
      if (p.metrics.stableId) args.push('--stable-id', p.metrics.stableId);
      if (p.metrics.canaryId) args.push('--canary-id', p.metrics.canaryId);
    }
    if (p.gate?.minSuccessRate !== undefined) args.push('--min-success-rate', String(p.gate.minSuccessRate));
    if (p.gate?.minRequests !== undefined) args.push('--min-requests', String(p.gate.minRequests));
    this.abortOnGate = p.abortOnGate === true;
    return this.run(args, p.files ?? {}, env);
  }

  /** The cluster settings' kubeconfig and context, as the CLI's options (kept in the state for later steps). */
  private kubeArgs(): string[] {
    const { kubeconfig, context } = this.host.kube();
    return [...(kubeconfig ? ['--kubeconfig', kubeconfig] : []), ...(context ? ['--context', context] : [])];
  }

  /** Whether a failed gate aborts (the editor's choice at start; the CLI's --abort-on-gate). */
  private abortOnGate = false;

  async action(p: CanaryActionParams): Promise<CanaryResult> {
    const no = await this.common();
    if (no) return no;
    const files = p.files ?? {};
    // A canary in namerd writes there at every step: with the server's credentials, as at start.
    const env = namerdToken(p.authorization);
    switch (p.action) {
      case 'status':
        return this.result(this.state() ? 0 : 2, this.state() ? '' : 'no canary in this workspace\n');
      case 'pause':
      case 'resume': {
        const state = this.state();
        if (!state) return this.refuse('no canary in this workspace');
        const want = p.action === 'pause' ? 'paused' : 'running';
        if (state.status !== 'running' && state.status !== 'paused') return this.refuse(`the canary of ${state.plan.name} is ${state.status}`);
        state.status = want;
        writeFileSync(this.stateFile()!, serializeCanaryState(state));
        return this.result(0, `canary ${state.plan.name} ${want === 'paused' ? 'paused' : 'resumed'} at ${state.percent}%\n`);
      }
      case 'step':
        return this.run(['step', ...(p.percent !== undefined ? ['--percent', String(p.percent)] : []), ...(this.abortOnGate ? ['--abort-on-gate'] : [])], files, env);
      case 'abort':
        return this.run(['abort'], files, env);
      case 'finish':
        return this.run(['finish', ...(p.keepFallback ? ['--keep-fallback'] : []), ...(this.abortOnGate ? ['--abort-on-gate'] : [])], files, env);
    }
  }
}

/** A bearer token for namerd as the CLI takes it (DTAB_NAMERD_TOKEN). */
function namerdToken(authorization: string | undefined): NodeJS.ProcessEnv {
  const m = authorization === undefined ? null : /^bearer +(.+)$/i.exec(authorization);
  return m ? { DTAB_NAMERD_TOKEN: m[1]! } : {};
}

/** The server's KUBECONFIG, which the CLI reads from its environment when no --kubeconfig is given. */
function kubeEnv(): NodeJS.ProcessEnv {
  return process.env.KUBECONFIG ? { KUBECONFIG: process.env.KUBECONFIG } : {};
}
