// `dtab request`: one request through a Linkerd 1.x router, with a dtab override sent as `l5d-dtab`
// (checked by the core first, sent in Finagle's Dtab.show form), and the answer explained: status,
// time, size, what each l5d header says, the body (JSON indented).
//   dtab request --router URL [--override TEXT | --override-file FILE] [-X METHOD] [-H 'K: V']... PATH
//                [--compare] [--sample] [--json] [--timeout SECONDS]
// Exit status: 0 an answer that Linkerd did not make as an error; 1 the override has syntax errors
// (nothing is sent); 2 usage, unreadable file, invalid URL; 5 no answer (refused, timeout), or
// Linkerd answered with an error of its own (`l5d-err`).

import { parseArgs } from 'node:util';
import { explainResponseHeaders, lowerDtab, overrideHeader, parseDtab, prettyBody } from '../core/index.js';
import { read, syntaxErrors, UsageError, type Io } from './common.js';
import { HttpError, parseBaseUrl, statusText } from '../remote/http.js';
import { compare, sendThroughRouter, type RouterRequest, type RouterResult } from '../remote/linkerd.js';

function parseHeader(h: string): [string, string] {
  const i = h.indexOf(':');
  const name = i === -1 ? '' : h.slice(0, i).trim();
  if (name === '' || /[\s:]/.test(name)) throw new UsageError(`-H takes 'Name: value', not ${JSON.stringify(h)}`);
  return [name, h.slice(i + 1).trim()];
}

function describe(r: RouterResult): string {
  const res = r.response;
  let out = `> ${r.sent.method} ${r.sent.url}\n`;
  for (const [k, v] of r.sent.headers) out += `> ${k}: ${v}\n`;
  out += `< ${statusText(res)}\n`;
  out += `time: ${Math.round(res.timeMs)} ms\n`;
  out += `size: ${res.bytes} bytes${res.truncated ? ` (only the first ${Buffer.byteLength(res.body)} kept)` : ''}\n`;
  for (const h of explainResponseHeaders(res.rawHeaders)) {
    if (h.meaning === undefined) continue;
    const meaning = h.meaning.replace(/\n+$/, '').split('\n').map((l) => (l === '' ? '' : `    ${l}`));
    out += `${h.name}: ${h.value}\n${meaning.join('\n')}\n`;
  }
  if (res.body !== '') {
    const body = prettyBody(res.headers['content-type'], res.body);
    out += `\n${body}${body.endsWith('\n') ? '' : '\n'}`;
  }
  return out;
}

function asJson(r: RouterResult): { status: number; timeMs: number; headers: Readonly<Record<string, string>>; body: string } {
  return { status: r.response.status, timeMs: r.response.timeMs, headers: r.response.headers, body: r.response.body };
}

/** 5 when Linkerd made the answer as an error of its own (l5d-err), else 0. */
function statusOf(r: RouterResult): number {
  return r.response.headers['l5d-err'] !== undefined ? 5 : 0;
}

export async function requestCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      router: { type: 'string' },
      override: { type: 'string' },
      'override-file': { type: 'string' },
      method: { type: 'string', short: 'X' },
      header: { type: 'string', short: 'H', multiple: true },
      compare: { type: 'boolean', default: false },
      sample: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      timeout: { type: 'string' },
    },
  });
  if (values.router === undefined) throw new UsageError('request needs --router URL');
  if (positionals.length !== 1) throw new UsageError('request takes exactly one PATH');
  const path = positionals[0]!;
  if (!path.startsWith('/')) throw new UsageError(`PATH starts with /, not ${JSON.stringify(path)}`);
  if (values.override !== undefined && values['override-file'] !== undefined) throw new UsageError('--override and --override-file cannot be used together');
  const hasOverride = values.override !== undefined || values['override-file'] !== undefined;
  if (values.compare && !hasOverride) throw new UsageError('--compare needs --override or --override-file');
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    const s = Number(values.timeout);
    if (!(s > 0) || !Number.isFinite(s)) throw new UsageError(`--timeout takes seconds (a number above 0), not ${values.timeout}`);
    timeoutMs = s * 1000;
  }
  const headers = (values.header ?? []).map(parseHeader);

  const base = parseBaseUrl(values.router);
  if (typeof base === 'string') {
    io.err(`dtab: --router: ${base}\n`);
    return 2;
  }

  // The override: checked by the core first; sent in Dtab.show form.
  let override: string | undefined;
  if (hasOverride) {
    const where = values['override-file'] ?? '--override';
    const text = values['override-file'] !== undefined ? read(io, values['override-file']) : values.override!;
    const syntax = parseDtab(text);
    if (syntaxErrors(io, where, syntax)) {
      io.err('dtab: the override has errors: nothing was sent\n');
      return 1;
    }
    override = overrideHeader(lowerDtab(syntax));
  }

  const req: RouterRequest = {
    url: base,
    method: values.method ?? 'GET',
    path,
    headers,
    sample: values.sample,
    ...(override !== undefined ? { override } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  };
  try {
    if (values.compare) {
      const both = await compare({ ...req, override: override! });
      if (values.json) io.out(JSON.stringify({ withOverride: asJson(both.withOverride), without: asJson(both.without) }, null, 2) + '\n');
      else io.out(`=== with the override\n${describe(both.withOverride)}\n=== without the override\n${describe(both.without)}`);
      return Math.max(statusOf(both.withOverride), statusOf(both.without));
    }
    const r = await sendThroughRouter(req);
    io.out(values.json ? JSON.stringify(asJson(r), null, 2) + '\n' : describe(r));
    return statusOf(r);
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    io.err(`dtab: ${e.message}\n`);
    return e.kind === 'url' ? 2 : 5;
  }
}
