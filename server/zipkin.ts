// Zipkin traces for the editor: the services Zipkin knows, recent traces summarized, one trace as
// waterfall rows. Requests go only to the Zipkin of the settings (`linkerdDtab.zipkin.url`), none
// in an untrusted workspace (the same check as the other network features, server/network.ts).
// The HTTP client is remote/zipkin.ts; decoding, the tree and Linkerd's tags are the core's.

import { summarizeTrace, traceView } from '../core/index.js';
import type { Failure, TraceSummaryView, TraceView, ZipkinRef, ZipkinTracesParams } from '../protocol/messages.js';
import { HttpError } from '../remote/http.js';
import { ZipkinClient, ZipkinError } from '../remote/zipkin.js';
import { allowedUrl, RemoteError, type NetworkHost } from './network.js';

const fail = (kind: Failure['kind'], message: string): Failure => ({ ok: false, kind, message });

function failureOf(e: unknown): Failure {
  if (e instanceof ZipkinError) return fail(e.kind, e.message);
  if (e instanceof HttpError) return fail('network', e.message);
  if (e instanceof RemoteError) return fail(e.kind, e.message);
  return fail('server', (e as Error).message);
}

/** At most this many traces in a list. */
export const MAX_TRACES = 100;

export class Zipkin {
  constructor(private readonly host: Pick<NetworkHost, 'trusted' | 'settings'>) {}

  private async client(ref: ZipkinRef): Promise<ZipkinClient> {
    const { url, timeoutMs } = await allowedUrl(this.host, ref.url, 'zipkin');
    return new ZipkinClient(url, { ...(ref.authorization ? { authorization: ref.authorization } : {}), timeoutMs });
  }

  async services(server: ZipkinRef): Promise<{ ok: true; services: readonly string[] } | Failure> {
    try {
      return { ok: true, services: await (await this.client(server)).services() };
    } catch (e) {
      return failureOf(e);
    }
  }

  async traces(p: ZipkinTracesParams): Promise<{ ok: true; traces: readonly TraceSummaryView[] } | Failure> {
    try {
      const client = await this.client(p.server);
      const traces = await client.traces({
        ...(p.serviceName ? { serviceName: p.serviceName } : {}),
        ...(p.spanName ? { spanName: p.spanName } : {}),
        ...(p.annotationQuery ? { annotationQuery: p.annotationQuery } : {}),
        ...(p.minDurationUs !== undefined ? { minDurationUs: p.minDurationUs } : {}),
        ...(p.lookbackMs !== undefined && p.lookbackMs > 0 ? { lookbackMs: p.lookbackMs } : {}),
        limit: Math.min(Math.max(p.limit ?? 20, 1), MAX_TRACES),
      });
      return { ok: true, traces: traces.slice(0, MAX_TRACES).map(summarizeTrace) };
    } catch (e) {
      return failureOf(e);
    }
  }

  async trace(server: ZipkinRef, traceId: string): Promise<{ ok: true; trace: TraceView } | Failure> {
    try {
      const spans = await (await this.client(server)).trace(traceId);
      return { ok: true, trace: traceView(spans) };
    } catch (e) {
      return failureOf(e);
    }
  }
}
