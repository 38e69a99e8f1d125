// Routing assertions (`.dtab-test` files) in VS Code's Test Explorer: one test item per file, one
// child per assertion. The language server parses and runs them (linkerdDtab/runTests); this is UI
// only. Files are found in the workspace and among open documents; a file's assertions run again
// when it or the dtab it tests (or its snapshot) is saved. A failure shows expected and actual as a
// diff on the assertion's line, with the delegation steps as a stack whose frames open the
// dentries that made them.

import * as vscode from 'vscode';
import { RunTests, send, type RequestSender, type TestAssertionResult, type TestRunResult } from '../protocol/messages';

const LANGUAGE = 'linkerd-dtab-test';

/** The last state of an assertion, as the Test Explorer was told it (for tests and the UI). */
export interface ReportedResult {
  readonly state: 'passed' | 'failed' | 'errored' | 'skipped';
  readonly expected: string;
  readonly actual?: string;
  readonly message?: string;
  readonly steps?: readonly { readonly text: string; readonly uri?: string; readonly line?: number }[];
}

export class DtabTestExplorer implements vscode.Disposable {
  readonly controller: vscode.TestController;
  /** By test item id (`<file uri>#<line>`). */
  readonly results = new Map<string, ReportedResult>();
  /** Test file URI → the files its last run read. */
  private readonly dependencies = new Map<string, readonly string[]>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Completed runs, counted (tests wait on it). */
  runs = 0;
  private readonly runDone = new vscode.EventEmitter<void>();
  /** Fires after each run ends. */
  readonly onDidRun = this.runDone.event;

  constructor(private readonly client: () => Promise<RequestSender>) {
    this.controller = vscode.tests.createTestController('linkerdDtab.tests', 'Dtab routing tests');
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discover();
      else await this.refresh(item);
    };
    this.controller.createRunProfile('Run', vscode.TestRunProfileKind.Run, (request, token) => this.run(request, token), true);
    this.controller.refreshHandler = () => this.discover();
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.dtab-test');
    this.disposables.push(
      this.controller,
      this.runDone,
      watcher,
      watcher.onDidCreate((uri) => void this.refresh(this.fileItem(uri))),
      watcher.onDidDelete((uri) => this.remove(uri)),
      vscode.workspace.onDidOpenTextDocument((doc) => {
        if (doc.languageId === LANGUAGE && !this.controller.items.get(doc.uri.toString())) void this.refresh(this.fileItem(doc.uri));
      }),
      vscode.workspace.onDidSaveTextDocument((doc) => void this.saved(doc.uri)),
    );
    // The workspace's test files are listed once the server is up (not only when the Testing view opens).
    void this.client().then(() => this.discover(), () => undefined);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }

  /** Every `.dtab-test` file of the workspace, and the open ones. */
  async discover(): Promise<void> {
    const found = await vscode.workspace.findFiles('**/*.dtab-test', '**/node_modules/**', 1000);
    for (const doc of vscode.workspace.textDocuments) if (doc.languageId === LANGUAGE) found.push(doc.uri);
    await Promise.all(found.map((uri) => this.refresh(this.fileItem(uri))));
  }

  private fileItem(uri: vscode.Uri): vscode.TestItem {
    const id = uri.toString();
    let item = this.controller.items.get(id);
    if (!item) {
      item = this.controller.createTestItem(id, vscode.workspace.asRelativePath(uri), uri);
      item.canResolveChildren = true;
      this.controller.items.add(item);
    }
    return item;
  }

  private remove(uri: vscode.Uri): void {
    this.controller.items.delete(uri.toString());
    this.dependencies.delete(uri.toString());
  }

  /** Asks the server for the file's assertions (running them) and makes one child per assertion. */
  private async refresh(file: vscode.TestItem): Promise<TestRunResult | undefined> {
    if (!file.uri) return undefined;
    let result: TestRunResult;
    try {
      result = await send(await this.client(), RunTests, { uri: file.uri.toString() });
    } catch (e) {
      file.error = (e as Error).message;
      return undefined;
    }
    if (!result.ok) {
      file.error = result.message;
      return result;
    }
    file.error = result.problem ?? (result.problems.length > 0 ? result.problems.map((p) => `line ${p.range.start.line + 1}: ${p.message}`).join('\n') : undefined);
    this.dependencies.set(file.id, result.dependencies);
    const children = result.assertions.map((a) => {
      const id = `${file.id}#${a.line}`;
      const child = file.children.get(id) ?? this.controller.createTestItem(id, '', file.uri);
      child.label = `${a.path} => ${a.expected}`;
      child.description = `line ${a.line + 1}`;
      child.range = new vscode.Range(a.range.start.line, a.range.start.character, a.range.end.line, a.range.end.character);
      return child;
    });
    file.children.replace(children);
    return result;
  }

  /** A saved test file runs again; so does every test file whose last run read the saved file. */
  private async saved(uri: vscode.Uri): Promise<void> {
    const id = uri.toString();
    const files = [...this.controller.items].map(([, item]) => item).filter((item) => item.id === id || (this.dependencies.get(item.id) ?? []).includes(id));
    if (files.length === 0) return;
    await this.run(new vscode.TestRunRequest(files), new vscode.CancellationTokenSource().token);
  }

  /** Runs the files of the request (whole files; only the included assertions are reported). */
  async run(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    try {
      const wanted = new Set((request.include ?? []).map((i) => i.id));
      const excluded = new Set((request.exclude ?? []).map((i) => i.id));
      const files = new Map<string, vscode.TestItem>();
      if (request.include) {
        for (const item of request.include) {
          const file = item.parent ?? item;
          files.set(file.id, file);
        }
      } else this.controller.items.forEach((item) => files.set(item.id, item));
      for (const file of files.values()) {
        if (token.isCancellationRequested || excluded.has(file.id)) break;
        const picked = (child: vscode.TestItem) => !excluded.has(child.id) && (!request.include || wanted.has(file.id) || wanted.has(child.id));
        file.children.forEach((c) => {
          if (picked(c)) run.enqueued(c);
        });
        const result = await this.refresh(file);
        if (!result || !result.ok) {
          run.appendOutput(`${file.label}: ${file.error ?? 'not run'}\r\n`);
          continue;
        }
        for (const a of result.assertions) {
          const child = file.children.get(`${file.id}#${a.line}`);
          if (!child || !picked(child)) continue;
          this.report(run, child, a);
        }
      }
    } finally {
      run.end();
      this.runs++;
      this.runDone.fire();
    }
  }

  private report(run: vscode.TestRun, item: vscode.TestItem, a: TestAssertionResult): void {
    const steps = (a.steps ?? []).map((s) => ({ text: s.text, ...(s.location ? { uri: s.location.uri, line: s.location.range.start.line } : {}) }));
    const location = item.uri && item.range ? new vscode.Location(item.uri, item.range) : undefined;
    if (a.state === 'passed') {
      run.passed(item);
      this.results.set(item.id, { state: 'passed', expected: a.expected, ...(a.actual !== undefined ? { actual: a.actual } : {}), steps });
      return;
    }
    if (a.state === 'skipped') {
      const message = new vscode.TestMessage(a.message ?? 'not run');
      if (location) message.location = location;
      run.errored(item, message);
      this.results.set(item.id, { state: 'errored', expected: a.expected, ...(a.message !== undefined ? { message: a.message } : {}) });
      return;
    }
    const text = a.message ?? `expected ${a.expected}, got ${a.actual ?? '?'}`;
    const message = vscode.TestMessage.diff(text, a.expected, a.actual ?? '');
    if (location) message.location = location;
    // The delegation steps, as a stack: each frame opens the dentry that made that step.
    message.stackTrace = steps.map((s) => new vscode.TestMessageStackFrame(s.text, s.uri ? vscode.Uri.parse(s.uri) : undefined, s.line !== undefined ? new vscode.Position(s.line, 0) : undefined));
    run.failed(item, message);
    this.results.set(item.id, { state: 'failed', expected: a.expected, ...(a.actual !== undefined ? { actual: a.actual } : {}), message: text, steps });
  }
}
