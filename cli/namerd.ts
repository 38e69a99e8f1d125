// `dtab namerd …`: namerd's dtab store from the command line (namerctl's commands, on the core).
//   dtab namerd ls | get NS | create NS FILE | update NS FILE [--version V] [--force] [--dry-run]
//             | delete NS | delegate NS PATH [--dtab TEXT] [--compare]      [--base-url URL] [--json]
// Base URL: --base-url, else NAMERCTL_BASE_URL, else `base-url` in .namerctl.yaml/.yml/.json from
// the working directory upwards. DTAB_NAMERD_TOKEN (if set) is sent as a bearer token.
// Exit: 0 ok, 1 the file has errors, 2 usage/unreadable/invalid base URL, 3 conflict (412/409),
// 4 not found, 5 network or other HTTP error.

import { dirname, join, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import {
  compareDelegateTrees,
  decodeDelegateTree,
  decodeDentries,
  delegateTreeToJsonText,
  Dtab,
  interpreterFor,
  isNamerctlJson,
  lowerDtab,
  lowerPath,
  parseDtab,
  parseNamerctlFile,
  parsePath,
  prettyDtab,
  renderDelegateTree,
  showDtab,
  type JsonDentry,
} from '../core/index.js';
import { read, ReadError, syntaxErrors, UsageError, type Io } from './common.js';
import { impactLines } from './diff.js';
import { parseBaseUrl, joinUrl } from '../remote/http.js';
import { NamerdClient, NamerdError, type DtabBody } from '../remote/namerd.js';

const CONFIG_FILES = ['.namerctl.yaml', '.namerctl.yml', '.namerctl.json'];

/** Where the base URL comes from: --base-url, NAMERCTL_BASE_URL, then .namerctl.* upwards. */
export function baseUrl(flag: string | undefined, io: Io): URL {
  const env = io.env ?? process.env;
  let text = flag;
  let from = '--base-url';
  if (text === undefined && env.NAMERCTL_BASE_URL !== undefined && env.NAMERCTL_BASE_URL !== '') {
    text = env.NAMERCTL_BASE_URL;
    from = 'NAMERCTL_BASE_URL';
  }
  if (text === undefined) {
    const found = findConfig(io);
    if (found) ({ text, from } = found);
  }
  if (text === undefined) throw new UsageError('no namerd base URL: pass --base-url URL, set NAMERCTL_BASE_URL, or put `base-url: URL` in .namerctl.yaml');
  const url = parseBaseUrl(text);
  if (typeof url === 'string') throw new ReadError(`${from}: ${url}`);
  return url;
}

function findConfig(io: Io): { text: string; from: string } | undefined {
  let dir = resolvePath(io.cwd ?? process.cwd());
  for (;;) {
    for (const name of CONFIG_FILES) {
      const file = join(dir, name);
      let text: string;
      try {
        text = io.readFile(file);
      } catch {
        continue;
      }
      let v: unknown;
      try {
        v = name.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
      } catch (e) {
        throw new ReadError(`${file}: cannot read it: ${(e as Error).message.split('\n')[0]}`);
      }
      const url = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)['base-url'] : undefined;
      if (typeof url !== 'string') throw new ReadError(`${file}: no \`base-url\` string in it`);
      return { text: url, from: file };
    }
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

/** A client of the namerd the flag (or the environment, or .namerctl.*) names; DTAB_NAMERD_TOKEN as a bearer token. */
export function clientFor(flag: string | undefined, io: Io): NamerdClient {
  const env = io.env ?? process.env;
  const token = env.DTAB_NAMERD_TOKEN;
  return new NamerdClient(baseUrl(flag, io), token ? { authorization: `Bearer ${token}` } : {});
}

/** A dtab file: namerctl's JSON (`{"version","dtab"}`, when it starts with `{` or `[`) or dtab text, checked by the core. */
type Input = { ok: true; body: DtabBody; dtab: Dtab; version: string | undefined } | { ok: false };

function readInput(io: Io, file: string): Input {
  const text = read(io, file);
  if (isNamerctlJson(text)) {
    const f = parseNamerctlFile(text);
    if (!f.ok) {
      io.err(`${file}: ${f.message}\n`);
      return { ok: false };
    }
    return { ok: true, body: f.dentries, dtab: f.dtab, version: f.version };
  }
  const syntax = parseDtab(text);
  if (syntaxErrors(io, file, syntax)) return { ok: false };
  return { ok: true, body: text, dtab: lowerDtab(syntax), version: undefined };
}

/** The exit status for a namerd failure (`writing`: namerd rejecting the file itself is the input's error, 1). */
export function exitFor(e: NamerdError, writing: boolean): number {
  switch (e.kind) {
    case 'conflict':
    case 'exists':
      return 3;
    case 'not-found':
      return 4;
    case 'invalid':
      // namerd rejected the file itself.
      return writing ? 1 : 5;
    default:
      return 5;
  }
}

export async function namerdCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      'base-url': { type: 'string' },
      json: { type: 'boolean', default: false },
      version: { type: 'string' },
      force: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      dtab: { type: 'string' },
      compare: { type: 'boolean', default: false },
    },
  });
  const want = (n: number, shape: string) => {
    if (positionals.length !== n) throw new UsageError(`namerd ${sub} takes ${shape}`);
  };
  const only = (allowed: string[]) => {
    for (const k of ['version', 'force', 'dry-run', 'dtab', 'compare'] as const)
      if (values[k] !== undefined && values[k] !== false && !allowed.includes(k)) throw new UsageError(`--${k} does not go with namerd ${sub}`);
  };
  const writing = sub === 'create' || sub === 'update';
  try {
    switch (sub) {
      case 'ls':
      case 'list': {
        want(0, 'no arguments');
        only([]);
        const names = await clientFor(values['base-url'], io).list();
        io.out(values.json ? JSON.stringify(names) + '\n' : names.map((n) => n + '\n').join(''));
        return 0;
      }
      case 'get': {
        want(1, 'NS');
        only([]);
        const ns = positionals[0]!;
        const d = await clientFor(values['base-url'], io).get(ns);
        if (values.json) io.out(JSON.stringify({ ...(d.version !== undefined ? { version: d.version } : {}), dtab: d.dentries }) + '\n');
        else io.out((d.version !== undefined ? `# version ${d.version}\n` : '') + prettyDtab(d.dentries));
        return 0;
      }
      case 'create': {
        want(2, 'NS FILE');
        only(['dry-run']);
        const [ns, file] = positionals as [string, string];
        const input = readInput(io, file);
        if (!input.ok) return 1;
        const client = clientFor(values['base-url'], io);
        if (values['dry-run']) {
          io.out(wouldSend('POST', client, ns, input.body, undefined));
          return 0;
        }
        await client.create(ns, input.body);
        io.out(`Created ${ns}\n`);
        return 0;
      }
      case 'update':
        return await update(positionals, values, io);
      case 'delete':
      case 'rm': {
        want(1, 'NS');
        only([]);
        await clientFor(values['base-url'], io).delete(positionals[0]!);
        io.out(`Deleted ${positionals[0]}\n`);
        return 0;
      }
      case 'delegate':
        return await delegate(positionals, values, io);
      case undefined:
        throw new UsageError('namerd needs a command: ls, get, create, update, delete or delegate');
      default:
        throw new UsageError(`unknown namerd command: ${sub}`);
    }
  } catch (e) {
    if (e instanceof NamerdError) {
      io.err(`dtab: ${e.message}\n`);
      return exitFor(e, writing);
    }
    throw e;
  }
}

type Values = { 'base-url'?: string; json?: boolean; version?: string; force?: boolean; 'dry-run'?: boolean; dtab?: string; compare?: boolean };

function wouldSend(method: string, client: NamerdClient, ns: string, body: DtabBody, ifMatch: string | undefined): string {
  const url = joinUrl(client.base, `/api/1/dtabs/${encodeURIComponent(ns)}`);
  const ct = typeof body === 'string' ? 'application/dtab' : 'application/json';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `would send (--dry-run, nothing sent):\n${method} ${url.href}\nContent-Type: ${ct}\n${ifMatch !== undefined ? `If-Match: ${ifMatch}\n` : ''}\n${text}${text.endsWith('\n') ? '' : '\n'}`;
}

async function update(positionals: string[], values: Values, io: Io): Promise<number> {
  if (positionals.length !== 2) throw new UsageError('namerd update takes NS FILE');
  if (values.dtab !== undefined || values.compare) throw new UsageError('--dtab and --compare go with namerd delegate');
  if (values.force && values.version !== undefined) throw new UsageError('--force and --version cannot be used together');
  const [ns, file] = positionals as [string, string];
  // The file is checked first: nothing is sent for a file with errors.
  const input = readInput(io, file);
  if (!input.ok) return 1;
  const client = clientFor(values['base-url'], io);
  // What namerd has now: the base of the routing impact, and the version the change is based on
  // (--version, the JSON file's, or the current one).
  let now: Awaited<ReturnType<NamerdClient['get']>> | undefined;
  try {
    now = await client.get(ns);
  } catch (e) {
    if (!(e instanceof NamerdError && e.kind === 'not-found')) throw e;
  }
  const current = now?.version;
  let ifMatch: string | undefined;
  if (values.force) ifMatch = undefined;
  else if (values.version !== undefined) ifMatch = values.version;
  else if (input.version !== undefined) ifMatch = input.version;
  else {
    if (current === undefined) {
      io.err(`dtab: namespace ${ns} does not exist on ${client.server}: create it with \`dtab namerd create ${ns} ${file}\` (or update with --force)\n`);
      return 4;
    }
    ifMatch = current;
  }

  // Before anything is sent: what the change does to routing (names bound with the namers
  // Linkerd ships; /#/ leaves unresolved, as no cluster is contacted).
  if (now) {
    const lines = await impactLines(lowerDtab(parseDtab(now.text)), input.dtab);
    io.out(`routing impact of ${ns} (version ${current ?? '?'} → ${file}):\n${lines.map((l) => `  ${l}\n`).join('')}`);
  }

  if (values['dry-run']) {
    io.out(wouldSend('PUT', client, ns, input.body, ifMatch));
    return 0;
  }
  try {
    await client.update(ns, input.body, ifMatch !== undefined ? { version: ifMatch } : {});
  } catch (e) {
    if (e instanceof NamerdError && e.kind === 'not-found' && ifMatch !== undefined)
      throw new NamerdError('not-found', e.server, `namespace ${ns} does not exist on ${e.server} (404 Not Found): it was deleted since version ${ifMatch} was read; create it with \`dtab namerd create ${ns} ${file}\``, 404);
    throw e;
  }
  const after = await client.version(ns).catch(() => undefined);
  io.out(`Updated ${ns} (version ${current ?? 'none: created'} → ${after ?? '?'})\n`);
  return 0;
}

async function delegate(positionals: string[], values: Values, io: Io): Promise<number> {
  if (positionals.length !== 2) throw new UsageError('namerd delegate takes NS PATH');
  if (values.version !== undefined || values.force || values['dry-run']) throw new UsageError('--version, --force and --dry-run go with namerd update');
  const [ns, pathText] = positionals as [string, string];
  const parsedPath = parsePath(pathText);
  if (!parsedPath.ok) {
    io.err(`dtab: invalid path: ${parsedPath.error.plain}\n  ${parsedPath.error.finagleMessageShort}\n`);
    return 2;
  }
  let extra = Dtab.empty;
  if (values.dtab !== undefined) {
    const syntax = parseDtab(values.dtab);
    if (syntaxErrors(io, '--dtab', syntax)) return 1;
    extra = lowerDtab(syntax);
  }
  const client = clientFor(values['base-url'], io);
  const json = await client.delegate(ns, pathText, values.dtab !== undefined ? showDtab(extra) : undefined);
  const decoded = decodeDelegateTree(json);
  if (!decoded.ok) {
    io.err(`dtab: ${client.server} sent a delegate tree this tool cannot read: ${decoded.error}\n`);
    return 5;
  }
  io.out(values.json ? delegateTreeToJsonText(decoded.tree) + '\n' : renderDelegateTree(decoded.tree));
  if (!values.compare) return 0;
  // The same delegation here: namerd's stored dtab ++ --dtab, with this tool's interpreter. namerd's
  // namers are not known here, so their leaves are unresolved (not a difference in address).
  let stored: JsonDentry[] = [];
  try {
    stored = (await client.get(ns)).dentries;
  } catch (e) {
    if (!(e instanceof NamerdError && e.kind === 'not-found')) throw e;
  }
  const decodedStored = decodeDentries(stored);
  const storedDtab = decodedStored.ok ? decodedStored.dtab : Dtab.empty;
  const local = await interpreterFor().delegate(new Dtab([...storedDtab.dentries, ...extra.dentries]), lowerPath(parsedPath.value));
  const diffs = compareDelegateTrees(local, decoded.tree);
  if (diffs.length === 0) io.out(`\ncompared with a local delegation (${storedDtab.size} stored dentries${extra.size ? ` ++ ${extra.size} from --dtab` : ''}): no differences\n`);
  else {
    io.out(`\ncompared with a local delegation: ${diffs.length} difference${diffs.length === 1 ? '' : 's'}\n`);
    for (const d of diffs) io.out(`  ${d.where}\n    here:   ${d.local}\n    namerd: ${d.remote}\n`);
  }
  return 0;
}
