// The protocol's rules on when requests may come, enforced before any handler runs (LSP 3.17,
// "Server lifetime"): before `initialize`, requests get ServerNotInitialized (-32002) and
// notifications are dropped (`exit` excepted); after `shutdown`, requests get InvalidRequest
// (-32600). A request whose `params` is not an object gets InvalidParams (-32602) here, since the
// library would fail on it before the handler could say what is wrong.

import {
  ErrorCodes,
  IPCMessageReader,
  IPCMessageWriter,
  StreamMessageReader,
  StreamMessageWriter,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
  type NotificationMessage,
  type RequestMessage,
} from 'vscode-languageserver/node';

type State = 'new' | 'running' | 'shutdown';

/** Methods whose params must be objects (every request but shutdown, which has none). */
const NO_PARAMS = new Set(['shutdown']);

function isRequest(m: Message): m is RequestMessage {
  return 'method' in m && 'id' in m && (m as RequestMessage).id !== undefined && (m as RequestMessage).id !== null;
}

function isNotification(m: Message): m is NotificationMessage {
  return 'method' in m && !('id' in m);
}

/** A reader that lets through only what the protocol allows now, answering the rest itself. */
export class GateReader implements MessageReader {
  private state: State = 'new';
  /**
   * The newest version of each document that a `didChange` read so far carries. Read messages wait
   * in the connection's queue (it handles one per turn of the event loop), so a version below this
   * one has a later change already on its way.
   */
  private readonly changesRead = new Map<string, number>();

  constructor(
    private readonly inner: MessageReader,
    private readonly writer: MessageWriter,
  ) {}

  get onError() {
    return this.inner.onError;
  }

  get onClose() {
    return this.inner.onClose;
  }

  get onPartialMessage() {
    return this.inner.onPartialMessage;
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((m) => {
      const verdict = this.admit(m);
      if (verdict === true) {
        this.note(m);
        callback(m);
      }
      else if (verdict !== false && isRequest(m)) void this.writer.write({ jsonrpc: '2.0', id: m.id, error: verdict } as Message);
    });
  }

  /** true: pass it on; false: drop it; an error: answer the request with it. */
  private admit(m: Message): true | false | { code: number; message: string } {
    if (isRequest(m)) {
      if (this.state === 'new' && m.method !== 'initialize') return { code: ErrorCodes.ServerNotInitialized, message: `${m.method}: the server is not initialized yet (send initialize first)` };
      if (this.state === 'shutdown') return { code: ErrorCodes.InvalidRequest, message: `${m.method}: the server is shutting down (only exit is accepted)` };
      const p = m.params;
      if (!NO_PARAMS.has(m.method) && (typeof p !== 'object' || p === null || Array.isArray(p))) return { code: ErrorCodes.InvalidParams, message: `${m.method}: params must be an object` };
      if (m.method === 'initialize') this.state = 'running';
      if (m.method === 'shutdown') this.state = 'shutdown';
      return true;
    }
    if (isNotification(m) && this.state === 'new' && m.method !== 'exit') return false;
    return true;
  }

  /** Whether a change of `uri` newer than `version` has been read and waits to be handled. */
  changeQueued(uri: string, version: number): boolean {
    const read = this.changesRead.get(uri);
    return read !== undefined && read > version;
  }

  private note(m: Message): void {
    if (!isNotification(m) || (m.method !== 'textDocument/didChange' && m.method !== 'textDocument/didClose')) return;
    const doc = (m.params as { textDocument?: { uri?: unknown; version?: unknown } } | undefined)?.textDocument;
    if (typeof doc?.uri !== 'string') return;
    if (m.method === 'textDocument/didClose') this.changesRead.delete(doc.uri);
    else if (typeof doc.version === 'number') this.changesRead.set(doc.uri, doc.version);
  }

  dispose(): void {
    this.inner.dispose();
  }
}

/** The transport VS Code and other editors start us with: `--node-ipc` or `--stdio` (default). */
export function transport(): { reader: GateReader; writer: MessageWriter } {
  let reader: MessageReader;
  let writer: MessageWriter;
  if (process.argv.includes('--node-ipc')) {
    reader = new IPCMessageReader(process);
    writer = new IPCMessageWriter(process);
  } else {
    reader = new StreamMessageReader(process.stdin);
    writer = new StreamMessageWriter(process.stdout);
  }
  return { reader: new GateReader(reader, writer), writer };
}
