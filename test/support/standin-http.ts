// The HTTP plumbing the stand-ins (test/linkerd, test/zipkin, test/namerd, test/k8s) share: a
// listener on 127.0.0.1 that can be closed with its connections and opened again on the same port,
// a request body reader, and the fault registry (refuse, delay, status, malformed; each with where
// it applies, `times`, hits and clear()).
//
//   const listener = new Listener((req, res) => void handle(req, res));
//   const faults = new Faults<FaultSpec>(() => [listener]);
//   await listener.listen(0);
//   // in handle():  if (await faults.intercept(res, (spec) => applies(spec, req), '[{"cut')) return;

import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface ListenerOptions {
  /** Makes the server (default: node:http's, with requireHostHeader off). */
  readonly create?: (handler: RequestListener) => Server;
  /** Runs first when the listener closes (e.g. ending watch streams). */
  readonly beforeClose?: () => void;
}

/** A server on 127.0.0.1; close() destroys its connections; listen(port) again reopens it. */
export class Listener {
  server: Server | undefined;
  /** The port listened on last (0 before the first listen). */
  port = 0;
  private readonly sockets = new Set<Socket>();

  constructor(
    private readonly handler: RequestListener,
    private readonly options: ListenerOptions = {},
  ) {}

  async listen(port: number): Promise<void> {
    const server = this.options.create ? this.options.create(this.handler) : createServer({ requireHostHeader: false }, this.handler);
    server.on('connection', (s: Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.options.beforeClose?.();
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

/** A request's body as UTF-8 (what arrived, if the request fails). */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

/** The faults every stand-in knows; a stand-in's own specs add where they apply (server, path, match). */
export type CommonFault =
  /** The listener (and its connections) closed: connections are refused until clear(), same port after. */
  | { readonly kind: 'refuse' }
  /** Requests held before they are handled: for `ms`, or (no `ms`) until clear() or stop(). */
  | { readonly kind: 'delay'; readonly ms?: number; readonly times?: number }
  /** Answer with this status (and body, headers) instead of handling the request. */
  | { readonly kind: 'status'; readonly code: number; readonly body?: string; readonly headers?: Readonly<Record<string, string>>; readonly times?: number }
  /** 200 `application/json` with a body that is not JSON. */
  | { readonly kind: 'malformed'; readonly body?: string; readonly times?: number };

export interface FaultHandle {
  /** How many requests it applied to. */
  readonly hits: number;
  clear(): Promise<void>;
}

export interface ActiveFault<S> {
  readonly spec: S;
  hits: number;
  remaining: number;
  /** Lets the requests it holds go on. */
  readonly release: () => void;
  /** Settles on release (clear() or stop()). */
  readonly released: Promise<void>;
}

type Spec = { readonly kind: string; readonly times?: number };

/**
 * The faults set on a stand-in, in the order set. A `refuse` fault closes the listeners
 * `refuseTargets` names (a listener already refused stays with the fault that closed it) and
 * opens them again on the same port when cleared; every other kind applies to requests.
 */
export class Faults<S extends Spec> {
  private active: ActiveFault<S>[] = [];
  private readonly refused = new Map<Listener, ActiveFault<S>>();
  private stopped = false;

  constructor(
    /** The listeners a refuse fault closes (throws for a spec naming none). */
    private readonly refuseTargets: (spec: S) => readonly Listener[],
    /** How many requests a fault without `times` applies to (default: every one until cleared). */
    private readonly defaultTimes: (spec: S) => number = () => Infinity,
  ) {}

  async add(spec: S): Promise<FaultHandle> {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const f: ActiveFault<S> = { spec, hits: 0, remaining: spec.times ?? this.defaultTimes(spec), release, released };
    if (spec.kind === 'refuse') {
      for (const l of this.refuseTargets(spec)) {
        if (this.refused.has(l)) continue;
        this.refused.set(l, f);
        await l.close();
      }
    } else this.active.push(f);
    return {
      get hits() {
        return f.hits;
      },
      clear: () => this.clear(f),
    };
  }

  private async clear(f: ActiveFault<S>): Promise<void> {
    this.active = this.active.filter((x) => x !== f);
    f.release();
    for (const [l, g] of [...this.refused]) {
      if (g !== f) continue;
      this.refused.delete(l);
      if (!this.stopped) await l.listen(l.port);
    }
  }

  async clearAll(): Promise<void> {
    for (const f of [...this.active, ...new Set(this.refused.values())]) await this.clear(f);
  }

  /** Releases every held request and drops the request faults; refused listeners stay closed. */
  stop(): void {
    this.stopped = true;
    for (const f of this.active) f.release();
    this.active = [];
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /**
   * The request faults that apply, in the order set; each is counted (hits, `times`) when the
   * iteration reaches it, so one that answers the request leaves the later ones uncounted.
   */
  *matching(applies: (spec: S) => boolean): Generator<ActiveFault<S>, void, undefined> {
    for (const f of [...this.active]) {
      if (!applies(f.spec)) continue;
      f.hits++;
      if (--f.remaining <= 0) this.active = this.active.filter((x) => x !== f);
      yield f;
    }
  }

  /**
   * Applies the common request faults: delays in turn, then the first status or malformed answer
   * (`malformed` is the body when the spec gives none). True when the request is done with:
   * answered, or the stand-in stopped or the client went away while it was held.
   */
  async intercept(this: Faults<S & CommonFault>, res: ServerResponse, applies: (spec: S) => boolean, malformed: string): Promise<boolean> {
    for (const f of this.matching(applies)) {
      const spec: CommonFault = f.spec;
      switch (spec.kind) {
        case 'delay':
          await (spec.ms === undefined ? f.released : Promise.race([f.released, new Promise<void>((r) => setTimeout(r, spec.ms).unref())]));
          if (this.stopped || res.destroyed) return true;
          break;
        case 'status':
          res.writeHead(spec.code, { ...(spec.headers ?? {}), 'Content-Length': Buffer.byteLength(spec.body ?? '') });
          res.end(spec.body ?? '');
          return true;
        case 'malformed': {
          const broken = spec.body ?? malformed;
          res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(broken) });
          res.end(broken);
          return true;
        }
      }
    }
    return false;
  }
}
