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

/** The document a `textDocument/didChange` notification is about. */
function changeUri(m: Message): string | undefined {
  if (!isNotification(m) || m.method !== 'textDocument/didChange') return undefined;
  const uri = (m.params as { textDocument?: { uri?: unknown } } | undefined)?.textDocument?.uri;
  return typeof uri === 'string' ? uri : undefined;
}

/** A reader that lets through only what the protocol allows now, answering the rest itself. */
export class GateReader implements MessageReader {
  private state: State = 'new';
  /**
   * How many `didChange` notifications of each document have been read and not yet handled: read
   * messages wait in the connection's queue, which handles one per turn of the event loop.
   */
  private readonly changesWaiting = new Map<string, number>();
  /** Called when the last waiting change of a document has been handled (applied or not). */
  onChangesHandled: (uri: string) => void = () => {};

  /**
   * The connection's message strategy: counts each `didChange` out as it is handled, whatever the
   * handler did with it (applied, ignored for a closed document, refused as malformed). (Not named
   * `messageStrategy`: createConnection would take a reader with that property for its options.)
   */
  readonly handling = {
    handleMessage: (message: Message, next: (message: Message) => void): void => {
      try {
        next(message);
      } finally {
        const uri = changeUri(message);
        if (uri !== undefined) {
          const n = (this.changesWaiting.get(uri) ?? 1) - 1;
          if (n > 0) this.changesWaiting.set(uri, n);
          else {
            this.changesWaiting.delete(uri);
            this.onChangesHandled(uri);
          }
        }
      }
    },
  };

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
        const uri = changeUri(m);
        if (uri !== undefined) this.changesWaiting.set(uri, (this.changesWaiting.get(uri) ?? 0) + 1);
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

  /** Whether a change of `uri` has been read and waits to be handled. */
  changeQueued(uri: string): boolean {
    return this.changesWaiting.has(uri);
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
