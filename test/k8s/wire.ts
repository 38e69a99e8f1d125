// A raw HTTP client for looking at the stand-in's wire format in tests: plain requests, and
// watches read line by line as they stream. Only ever talks to the URL it is given (127.0.0.1).

import { request as httpRequest, type ClientRequest, type IncomingHttpHeaders, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** http or https (trusting `ca`, the stand-in's certificate, when given). */
function send(url: string, opts: RequestOptions & { ca?: string }, cb: (res: IncomingMessage) => void): ClientRequest {
  return url.startsWith('https:') ? httpsRequest(url, opts, cb) : httpRequest(url, opts, cb);
}

export interface WireResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  /** The body as JSON (undefined when it is not JSON). */
  readonly json: unknown;
}

export function call(url: string, opts: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number; ca?: string } = {}): Promise<WireResponse> {
  return new Promise((resolve, reject) => {
    const req = send(url, { method: opts.method ?? 'GET', headers: opts.headers, agent: false, ...(opts.ca ? { ca: opts.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.setTimeout(opts.timeoutMs ?? 20_000, () => req.destroy(new Error(`no answer from ${url} in time`)));
    req.on('error', reject);
    req.end(opts.body);
  });
}

export interface WatchEvent {
  readonly type: string;
  readonly object: Record<string, unknown>;
}

export interface WatchReader {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  /** Every complete line, as received. */
  readonly lines: readonly string[];
  /** The lines that parsed as JSON. */
  readonly events: readonly WatchEvent[];
  /** Resolves when the response ends (`end`) or the connection breaks (`error`). */
  readonly done: Promise<'end' | 'error'>;
  /** Waits until there are at least n events (or the stream is done); bounded by timeoutMs. */
  waitFor(n: number, timeoutMs?: number): Promise<readonly WatchEvent[]>;
  close(): void;
}

/** Opens a watch and reads its newline-delimited JSON events as they come. */
export function openWatch(url: string, headers: Record<string, string> = {}, ca?: string): Promise<WatchReader> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    const events: WatchEvent[] = [];
    let waiters: (() => void)[] = [];
    const wake = () => {
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    };
    let finished: 'end' | 'error' | undefined;
    let resolveDone!: (v: 'end' | 'error') => void;
    const done = new Promise<'end' | 'error'>((r) => (resolveDone = r));
    const finish = (how: 'end' | 'error') => {
      if (finished) return;
      finished = how;
      resolveDone(how);
      wake();
    };
    const req: ClientRequest = send(url, { headers, agent: false, ...(ca ? { ca } : {}) }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          lines.push(line);
          try {
            events.push(JSON.parse(line) as WatchEvent);
          } catch {
            // not an event: kept in lines
          }
        }
        wake();
      });
      res.on('end', () => finish('end'));
      res.on('aborted', () => finish('error'));
      res.on('error', () => finish('error'));
      res.on('close', () => finish(res.complete ? 'end' : 'error'));
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        lines,
        events,
        done,
        async waitFor(n: number, timeoutMs = 20_000) {
          const deadline = Date.now() + timeoutMs;
          while (events.length < n && !finished) {
            const left = deadline - Date.now();
            if (left <= 0) throw new Error(`watch ${url}: ${events.length} of ${n} events in time: ${JSON.stringify(lines)}`);
            await new Promise<void>((r) => {
              const t = setTimeout(r, left);
              waiters.push(() => {
                clearTimeout(t);
                r();
              });
            });
          }
          return events;
        },
        close: () => req.destroy(),
      });
    });
    req.on('error', (e) => {
      if (finished === undefined) finish('error');
      reject(e);
    });
    req.end();
  });
}
