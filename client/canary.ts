// Canary shifts in the editor: "Dtab: Start canary…" (and a code lens on each dentry), a Canary view
// with the plan, where it is, the per-branch metrics of each step and every change written, and
// Promote / Pause / Resume / Abort / Finish. The engine is the language server's (the same as
// `dtab canary`, with the same state file in the workspace folder), so a window reload or a crash
// resumes where it was, and a pipeline can take over. Notifications only for decisions and failures.

import * as vscode from 'vscode';
import { CanaryAction, CanaryStart, send, SuggestPaths, type CanaryActionParams, type CanaryResult, type CanaryStartParams, type CanaryTarget, type RequestSender } from '../protocol/messages';
import { parseNamespaceUri, SCHEME as NAMERD_SCHEME } from './namerd';
import { Credentials, linkerdAdmins, networkAllowed } from './network';

/** The parts of core/canary's CanaryState the UI shows (the server sends the whole state). */
interface Branch {
  readonly role: string;
  readonly id: string;
  readonly requests: number;
  readonly success: number;
  readonly failures: number;
  readonly successRate: number | null;
}
interface State {
  readonly backend: { readonly kind: string; readonly file?: string; readonly url?: string; readonly ns?: string; readonly namespace?: string; readonly name?: string };
  readonly plan: { readonly name: string; readonly stable: string; readonly canary: string; readonly steps: readonly number[]; readonly pauseSeconds?: readonly number[] };
  readonly position: number;
  readonly percent: number;
  readonly status: 'running' | 'paused' | 'aborted' | 'finished' | 'gate-failed';
  readonly history: readonly { readonly at: string; readonly action: string; readonly percent?: number; readonly written?: string; readonly metrics?: readonly Branch[]; readonly message?: string }[];
}

type Item = { kind: 'summary' } | { kind: 'step'; index: number } | { kind: 'branch'; branch: Branch } | { kind: 'history'; index: number } | { kind: 'histories' } | { kind: 'output' };

const active = (s: State | undefined) => s !== undefined && s.status !== 'aborted' && s.status !== 'finished';

/** The last path element: `/srv/world-v2` → `world-v2`. */
function short(dest: string): string {
  const last = dest.trim().split('/').filter(Boolean).pop();
  return last ?? dest;
}

export class CanaryView implements vscode.TreeDataProvider<Item>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Item | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  readonly view: vscode.TreeView<Item>;
  readonly item: vscode.StatusBarItem;
  /** The last state the server sent, and what the engine said last. */
  state: State | undefined;
  lastOutput = '';
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly client: () => Promise<RequestSender>,
    private readonly credentials: Credentials,
    private readonly log: vscode.OutputChannel,
  ) {
    this.view = vscode.window.createTreeView('linkerdDtab.canary', { treeDataProvider: this });
    this.item = vscode.window.createStatusBarItem('linkerdDtab.canary', vscode.StatusBarAlignment.Left, 9);
    this.item.name = 'Dtab canary';
    this.item.command = 'linkerdDtab.canary.focus';
    this.disposables.push(this.view, this.item);
  }

  /** Reads the workspace's canary (after activation: a reload resumes where it was). */
  async load(): Promise<void> {
    if (!vscode.workspace.isTrusted) return;
    const r = await send(await this.client(), CanaryAction, { action: 'status' });
    this.show(r, false);
  }

  private show(r: CanaryResult, logIt = true): void {
    this.state = r.state as State | undefined;
    this.lastOutput = r.output;
    if (logIt && r.output) this.log.appendLine(`[canary] ${r.output.trimEnd()}`);
    const s = this.state;
    if (s && active(s)) {
      this.item.text = `$(debug-step-over) canary ${s.plan.name} ${s.percent}% → ${short(s.plan.canary)}${s.status === 'paused' ? ' (paused)' : s.status === 'gate-failed' ? ' (gate failed)' : ''}`;
      this.item.tooltip = r.summary ?? '';
      this.item.backgroundColor = s.status === 'gate-failed' ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      this.item.show();
    } else this.item.hide();
    void vscode.commands.executeCommand('setContext', 'linkerdDtab.canaryActive', active(s));
    void vscode.commands.executeCommand('setContext', 'linkerdDtab.canaryPaused', s?.status === 'paused');
    this.view.message = s ? undefined : 'No canary in this workspace.';
    this.changed.fire(undefined);
    this.schedule();
  }

  /** A step whose plan has a pause moves on by itself once the pause has passed (unless paused). */
  private schedule(): void {
    clearTimeout(this.timer);
    const s = this.state;
    if (!s || s.status !== 'running' || s.position < 0) return;
    const pause = s.plan.pauseSeconds?.[s.position];
    if (pause === undefined || pause === 0 || s.position >= s.plan.steps.length - 1) return;
    const since = [...s.history].reverse().find((h) => h.action === 'step');
    if (!since) return;
    const wait = Date.parse(since.at) + pause * 1000 - Date.now();
    this.timer = setTimeout(() => void this.act('step'), Math.max(0, wait) + 200);
  }

  /**
   * The dtab file the canary writes, with its open buffer's text when the buffer is what counts: it
   * has unsaved edits, or it is what is on disk. An unedited buffer that differs from the disk (a
   * pipeline wrote the file; VS Code has not reloaded it yet) is left out: the disk is newer.
   */
  private async files(uri?: vscode.Uri): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    const file = uri?.toString() ?? (this.state?.backend.kind === 'file' && this.state.backend.file ? vscode.Uri.file(this.state.backend.file).toString() : undefined);
    if (!file) return out;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file);
    if (!doc) return out;
    if (!doc.isDirty) {
      const disk = await Promise.resolve(vscode.workspace.fs.readFile(doc.uri)).then((b) => new TextDecoder().decode(b), () => undefined);
      if (disk !== doc.getText()) return out;
    }
    out[file] = doc.getText();
    return out;
  }

  /** Applies the edits the engine made to open dtabs, and saves them (linkerd reads the file). */
  private async apply(r: CanaryResult): Promise<void> {
    if (!r.edits?.length) return;
    const edit = new vscode.WorkspaceEdit();
    for (const e of r.edits) edit.replace(vscode.Uri.parse(e.uri), new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character), e.newText);
    if (!(await vscode.workspace.applyEdit(edit))) {
      void vscode.window.showErrorMessage('The canary could not edit the dtab: see the "Dtab (Linkerd)" output for what it wrote.');
      return;
    }
    for (const uri of new Set(r.edits.map((e) => e.uri))) await vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri)?.save();
  }

  /** A result: edits applied, the view updated; failures and gate decisions said. */
  private async after(r: CanaryResult, what: string): Promise<CanaryResult> {
    await this.apply(r);
    this.show(r);
    if (r.code === 6) void vscode.window.showWarningMessage(`Canary ${what}: the gate failed. ${r.output.trim()}`, 'Abort', 'Show').then((pick) => {
        if (pick === 'Abort') void this.act('abort');
        else if (pick === 'Show') this.focus();
      });
    else if (r.code !== 0) void vscode.window.showErrorMessage(`Canary ${what} failed: ${r.output.trim()}`);
    return r;
  }

  focus(): void {
    void vscode.commands.executeCommand('linkerdDtab.canary.focus');
  }

  /** Starts a canary: with full params (tests, automation), or asking for each part. */
  async start(params?: CanaryStartParams | { uri?: string; line?: number; prefix?: string; destination?: string }): Promise<CanaryResult | undefined> {
    if (!networkAllowed()) return undefined;
    const full = params && 'target' in params ? params : await this.ask(params);
    if (!full) return undefined;
    const uri = full.target.kind === 'file' ? vscode.Uri.parse(full.target.uri) : undefined;
    const r = await send(await this.client(), CanaryStart, { ...full, files: await this.files(uri) });
    const out = await this.after(r, 'start');
    if (r.code === 0) this.focus();
    return out;
  }

  async act(action: CanaryActionParams['action'], extra: { percent?: number; keepFallback?: boolean } = {}): Promise<CanaryResult> {
    // A canary in namerd writes there at every step: with the credentials stored for that server.
    const backend = this.state?.backend;
    const authorization = backend?.kind === 'namerd' && backend.url ? await this.credentials.authorization(backend.url) : undefined;
    const r = await send(await this.client(), CanaryAction, { action, ...extra, files: await this.files(), ...(authorization ? { authorization } : {}) });
    return this.after(r, action);
  }

  async finish(keepFallback?: boolean): Promise<CanaryResult | undefined> {
    let keep = keepFallback;
    if (keep === undefined) {
      const s = this.state;
      const pick = await vscode.window.showQuickPick(
        [
          { label: `${s?.plan.canary ?? 'the canary'} alone`, keep: false },
          { label: `${s?.plan.canary ?? 'canary'} | ${s?.plan.stable ?? 'stable'}`, description: 'the stable destination as the fallback', keep: true },
        ],
        { title: 'Finish the canary: the dentry becomes' },
      );
      if (!pick) return undefined;
      keep = pick.keep;
    }
    return this.act('finish', { keepFallback: keep });
  }

  /** Asks for the target, the name, the destinations, the steps and an optional gate. */
  private async ask(from?: { uri?: string; line?: number; prefix?: string; destination?: string }): Promise<CanaryStartParams | undefined> {
    const editor = vscode.window.activeTextEditor;
    const uri = from?.uri ? vscode.Uri.parse(from.uri) : editor?.document.languageId === 'linkerd-dtab' ? editor.document.uri : undefined;
    let target: CanaryTarget | undefined;
    if (uri?.scheme === 'file') target = { kind: 'file', uri: uri.toString() };
    else if (uri?.scheme === NAMERD_SCHEME) {
      const at = parseNamespaceUri(uri);
      if (at) target = { kind: 'namerd', server: await this.credentials.ref(at.server.url), ns: at.ns };
    }
    if (!target) {
      const kind = await vscode.window.showQuickPick(['SMI TrafficSplit (namespace/name)', 'Deployments replica ratio (namespace/stable, namespace/canary)'], { title: 'Start canary: where does traffic shift?' });
      if (!kind) return undefined;
      if (kind.startsWith('SMI')) {
        const ref = await vscode.window.showInputBox({ title: 'TrafficSplit', placeHolder: 'default/world', validateInput: (v) => (/^[^/\s]+\/[^/\s]+$/.test(v) ? undefined : 'namespace/name') });
        if (!ref) return undefined;
        const [namespace, name] = ref.split('/') as [string, string];
        target = { kind: 'traffic-split', namespace, name };
      } else {
        const stable = await vscode.window.showInputBox({ title: 'Stable Deployment', placeHolder: 'default/world-v1' });
        const canary = stable && (await vscode.window.showInputBox({ title: 'Canary Deployment', placeHolder: 'default/world-v2' }));
        if (!stable || !canary) return undefined;
        target = { kind: 'deployments', stable, canary };
      }
    }
    // What each target needs (as `dtab canary start`): a dtab canary the dentry's prefix and the
    // destinations; a TrafficSplit its stable and canary backend services; Deployments nothing more.
    let name: string | undefined;
    let stable: string | undefined;
    let to: string | undefined;
    if (target.kind === 'file' || target.kind === 'namerd') {
      name = from?.prefix;
      if (!name) {
        const suggested = uri ? await send(await this.client(), SuggestPaths, { uri: uri.toString() }) : [];
        name = await vscode.window.showQuickPick(suggested.length ? suggested : ['/svc/'], { title: 'The logical name whose dentry shifts (its prefix)' });
        if (!name) return undefined;
      }
      stable = from?.destination ?? (await vscode.window.showInputBox({ title: `Stable destination of ${name} (empty: where its dentry routes now)`, value: '' }));
      if (stable === undefined) return undefined;
      to = await vscode.window.showInputBox({ title: `Canary destination for ${name}`, value: stable ? stable.replace(/v(\d+)$/, (_, n: string) => `v${Number(n) + 1}`) : '', prompt: 'e.g. /srv/world-v2' });
      if (!to) return undefined;
    } else if (target.kind === 'traffic-split') {
      stable = await vscode.window.showInputBox({ title: `Stable backend service of ${target.namespace}/${target.name}`, placeHolder: 'world-v1' });
      if (!stable) return undefined;
      to = await vscode.window.showInputBox({ title: `Canary backend service of ${target.namespace}/${target.name}`, value: stable.replace(/v(\d+)$/, (_, n: string) => `v${Number(n) + 1}`) });
      if (!to) return undefined;
    }
    const stepsText = await vscode.window.showInputBox({ title: 'Steps (percent of traffic to the canary)', value: '10, 25, 50, 100', validateInput: (v) => (/^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/.test(v) ? undefined : 'numbers separated by commas') });
    if (!stepsText) return undefined;
    const steps = stepsText.split(',').map((s) => Number(s.trim()));
    const admins = linkerdAdmins();
    const gatePick = await vscode.window.showQuickPick(
      [{ label: 'No metrics gate', admin: undefined as string | undefined, router: undefined as string | undefined }, ...admins.flatMap((a) => (a.routers.length ? a.routers : ['http']).map((router) => ({ label: `Gate on linkerd ${a.name}, router ${router}`, description: a.url, admin: a.url, router })))],
      { title: 'Per-branch metrics and a gate from linkerd\'s /admin/metrics.json?' },
    );
    if (!gatePick) return undefined;
    let metrics: CanaryStartParams['metrics'];
    let gate: CanaryStartParams['gate'];
    if (gatePick.admin && gatePick.router) {
      const rate = await vscode.window.showInputBox({ title: 'Minimum success rate of the canary at each step (0-1, empty: none)', value: '0.99' });
      const min = await vscode.window.showInputBox({ title: 'Minimum requests to the canary at each step (empty: none)', value: '10' });
      metrics = { admin: await this.credentials.ref(gatePick.admin), router: gatePick.router };
      gate = { ...(rate ? { minSuccessRate: Number(rate) } : {}), ...(min ? { minRequests: Number(min) } : {}) };
    }
    return { target, ...(name ? { name } : {}), ...(stable ? { from: stable } : {}), ...(to ? { to } : {}), steps, ...(metrics ? { metrics } : {}), ...(gate ? { gate } : {}) };
  }

  // ---- the view ----

  getChildren(item?: Item): Item[] {
    const s = this.state;
    if (!s) return [];
    if (!item) {
      const last = [...s.history].reverse().find((h) => h.metrics);
      return [{ kind: 'summary' }, ...s.plan.steps.map((_, index) => ({ kind: 'step' as const, index })), ...(last?.metrics ?? []).map((branch) => ({ kind: 'branch' as const, branch })), { kind: 'histories' }];
    }
    if (item.kind === 'histories') return s.history.map((_, index) => ({ kind: 'history' as const, index })).reverse();
    return [];
  }

  getTreeItem(item: Item): vscode.TreeItem {
    const s = this.state!;
    switch (item.kind) {
      case 'summary': {
        const t = new vscode.TreeItem(`${s.plan.name}: ${s.percent}% → ${s.plan.canary}`);
        t.description = `${s.status} · ${s.backend.kind === 'file' ? vscode.workspace.asRelativePath(s.backend.file ?? '') : s.backend.kind === 'namerd' ? `namerd ${s.backend.ns}` : s.backend.kind}`;
        t.tooltip = `from ${s.plan.stable}`;
        t.iconPath = new vscode.ThemeIcon(s.status === 'gate-failed' ? 'warning' : s.status === 'paused' ? 'debug-pause' : s.status === 'aborted' ? 'discard' : s.status === 'finished' ? 'pass' : 'play');
        return t;
      }
      case 'step': {
        const p = s.plan.steps[item.index]!;
        const done = item.index <= s.position;
        const t = new vscode.TreeItem(`${p}% to ${short(s.plan.canary)}`);
        const pause = s.plan.pauseSeconds?.[item.index];
        t.description = `${item.index === s.position ? 'current' : done ? 'done' : 'next'}${pause ? ` · pause ${pause} s` : ''}`;
        t.iconPath = new vscode.ThemeIcon(item.index === s.position ? 'arrow-right' : done ? 'check' : 'circle-outline');
        return t;
      }
      case 'branch': {
        const b = item.branch;
        const t = new vscode.TreeItem(`${b.role} ${b.id}`);
        t.description = `${b.requests} requests · ${b.successRate === null ? 'no success rate' : `${(b.successRate * 100).toFixed(1)}% success`}`;
        t.iconPath = new vscode.ThemeIcon('pulse');
        return t;
      }
      case 'histories': {
        const t = new vscode.TreeItem('Changes written', vscode.TreeItemCollapsibleState.Collapsed);
        t.iconPath = new vscode.ThemeIcon('history');
        return t;
      }
      case 'history': {
        const h = s.history[item.index]!;
        const t = new vscode.TreeItem(`${h.action}${h.percent !== undefined ? ` ${h.percent}%` : ''}`);
        t.description = `${new Date(h.at).toLocaleTimeString()}${h.written ? ` · ${h.written.split('\n')[0]}` : ''}`;
        const tip = new vscode.MarkdownString();
        tip.appendText(`${h.at}${h.message ? ` — ${h.message}` : ''}`);
        if (h.written) tip.appendCodeblock(h.written, 'linkerd-dtab');
        t.tooltip = tip;
        return t;
      }
      case 'output':
        return new vscode.TreeItem(this.lastOutput);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.changed.dispose();
  }
}
