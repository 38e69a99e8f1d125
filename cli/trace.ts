// `dtab trace`: Zipkin traces of Linkerd 1.x routers (the v2 query API).
//   dtab trace --zipkin URL TRACE_ID [--json] [--timeout SECONDS]
//       one trace (TRACE_ID: an l5d-reqid, 16 or 32 hex characters) as an indented tree: a line a
//       span (name, service, duration, kind; errors marked), Linkerd's tags on their own lines
//   dtab trace --zipkin URL --list [--service NAME] [--span NAME] [--annotation QUERY]
//       [--lookback 1h] [--limit N] [--min-duration 100ms] [--json] [--timeout SECONDS]
//       recent traces, a line each: id, start, duration, spans, root service and name, error
// DTAB_ZIPKIN_TOKEN (if set) is sent as a bearer token.
// Exit status: 0 fine; 2 usage, an invalid trace id or URL; 4 no such trace; 5 Zipkin could not be
// reached, or answered an error or something that is not its API.

import { parseArgs } from 'node:util';
import { normalizeTraceId, parseDuration, renderTraceList, renderTraceText, buildSpanTree, summarizeTrace } from '../core/index.js';
import { UsageError, type Io } from './common.js';
import { HttpError, parseBaseUrl } from '../remote/http.js';
import { ZipkinClient, ZipkinError, type ZipkinQuery } from '../remote/zipkin.js';

function duration(option: string, text: string, unitUs: number): number {
  const us = parseDuration(text);
  if (us === undefined) throw new UsageError(`${option} takes a number with a unit (us, ms, s, m, h, d), e.g. 100ms or 1h, not ${JSON.stringify(text)}`);
  if (us % unitUs !== 0) throw new UsageError(`${option} ${text} is not a whole number of ${unitUs === 1000 ? 'milliseconds' : 'microseconds'}`);
  return us / unitUs;
}

export async function traceCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      zipkin: { type: 'string' },
      list: { type: 'boolean', default: false },
      service: { type: 'string' },
      span: { type: 'string' },
      annotation: { type: 'string' },
      lookback: { type: 'string' },
      limit: { type: 'string' },
      'min-duration': { type: 'string' },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string' },
    },
  });
  if (values.zipkin === undefined) throw new UsageError('trace needs --zipkin URL (Zipkin\'s query API, e.g. http://zipkin:9411)');
  const listOnly = ['service', 'span', 'annotation', 'lookback', 'limit', 'min-duration'] as const;
  if (!values.list) {
    const stray = listOnly.find((o) => values[o] !== undefined);
    if (stray) throw new UsageError(`--${stray} goes with --list`);
    if (positionals.length !== 1) throw new UsageError('trace takes exactly one TRACE_ID (or --list)');
  } else if (positionals.length !== 0) throw new UsageError('trace --list takes no TRACE_ID');
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const s = Number(values.timeout);
    if (!(s > 0) || !Number.isFinite(s)) throw new UsageError(`--timeout takes seconds (a number above 0), not ${values.timeout}`);
    timeoutMs = s * 1000;
  }
  const query: { -readonly [K in keyof ZipkinQuery]: ZipkinQuery[K] } = {};
  if (values.list) {
    if (values.service !== undefined) query.serviceName = values.service;
    if (values.span !== undefined) query.spanName = values.span;
    if (values.annotation !== undefined) query.annotationQuery = values.annotation;
    if (values.lookback !== undefined) {
      query.lookbackMs = duration('--lookback', values.lookback, 1000);
      if (query.lookbackMs === 0) throw new UsageError('--lookback must be more than 0');
    }
    if (values['min-duration'] !== undefined) query.minDurationUs = duration('--min-duration', values['min-duration'], 1);
    if (values.limit !== undefined) {
      if (!/^\d+$/.test(values.limit) || Number(values.limit) < 1 || !Number.isSafeInteger(Number(values.limit))) throw new UsageError(`--limit takes a whole number of at least 1, not ${JSON.stringify(values.limit)}`);
      query.limit = Number(values.limit);
    }
  }

  const base = parseBaseUrl(values.zipkin);
  if (typeof base === 'string') {
    io.err(`dtab: --zipkin: ${base}\n`);
    return 2;
  }
  let traceId: string | undefined;
  if (!values.list) {
    traceId = normalizeTraceId(positionals[0]!);
    if (traceId === undefined) {
      io.err(`dtab: not a trace id: ${JSON.stringify(positionals[0])} (16 or 32 hex characters, as Linkerd's l5d-reqid)\n`);
      return 2;
    }
  }
  const token = (io.env ?? process.env).DTAB_ZIPKIN_TOKEN;
  const client = new ZipkinClient(base, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(timeoutMs !== undefined ? { timeoutMs } : {}) });
  try {
    if (traceId !== undefined) {
      const spans = await client.trace(traceId);
      io.out(values.json ? JSON.stringify(spans, null, 2) + '\n' : renderTraceText(buildSpanTree(spans)));
      return 0;
    }
    const traces = await client.traces(query);
    const summaries = traces.map(summarizeTrace);
    io.out(values.json ? JSON.stringify(summaries, null, 2) + '\n' : renderTraceList(summaries));
    return 0;
  } catch (e) {
    if (e instanceof HttpError) {
      io.err(`dtab: ${e.message}\n`);
      return e.kind === 'url' ? 2 : 5;
    }
    if (e instanceof ZipkinError) {
      io.err(`dtab: ${e.message}\n`);
      if (e.kind === 'not-found') {
        io.err('dtab: no such trace in Zipkin (Linkerd samples 1 request in 1000 by default; `dtab request --sample` sends one that is traced)\n');
        return 4;
      }
      return e.kind === 'invalid' ? 2 : 5;
    }
    throw e;
  }
}
