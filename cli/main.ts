// `dtab`: the command line on the same core as the editor, for CI pipelines.
//   dtab check [--format text|json] [--finagle] [--no-deep] FILE...
//   dtab fmt [--check|--write] FILE...
//   dtab show FILE
//   dtab delegate (--dtab FILE | -e TEXT) PATH [--json] [--dns]
//   dtab diff OLD NEW [--name PATH]... [--snapshot FILE | --kubeconfig FILE [--context NAME]] [--json]
//   dtab namerd ls|get|create|update|delete|delegate … (cli/namerd.ts)
//   dtab canary start|step|abort|finish|status … (cli/canary.ts)
//   dtab test [--dtab FILE | --config FILE [--router LABEL] | --namerd URL --ns NS] [--snapshot F | --kubeconfig F] [--format text|json] TESTFILE... (cli/test.ts)
//   dtab request --router URL [--override TEXT | --override-file FILE] [-X METHOD] [-H 'K: V']... PATH [--compare] [--sample] [--json]
//   dtab trace --zipkin URL (TRACE_ID | --list …) [--json] (cli/trace.ts)
// Exit status: 0 fine, 1 problems found (errors, unformatted files), 2 bad usage or unreadable input.

import { dirname, resolve as resolvePath } from 'node:path';
import { parseArgs } from 'node:util';
import {
  analyzeDtab,
  checkConfigText,
  deepDiagnostics,
  delegateTreeToJsonText,
  describeBound,
  formatDtab,
  interpreterFor,
  LineIndex,
  lowerDtab,
  lowerPath,
  parsePath,
  renderDelegateTree,
  showDtab,
  parseDtab,
  pickConfigDtab,
  checkDtabText,
  type DtabSyntax,
  type NamerSpec,
} from '../core/index.js';
import { files, isYamlFile, printDiagnostics, read, ReadError, realIo, refuseConfig, syntaxErrors, UsageError, why, type FileDiagnostics, type Io } from './common.js';
import { requestCommand } from './request.js';
import { dnsInetResolver } from '../remote/dns.js';
import { describeStatus } from '../remote/k8s.js';
import { openSources, sourceTrouble } from './sources.js';
import { diffCommand } from './diff.js';
import { namerdCommand } from './namerd.js';
import { canaryCommand } from './canary.js';
import { traceCommand } from './trace.js';
import { testCommand } from './test.js';

const USAGE = `usage:
  dtab check [--format text|json] [--finagle] [--no-deep] FILE...
                                                          report syntax errors and warnings, in dtabs
                                                          and in linkerd/namerd configs and manifests
                                                          (.yaml, .yml, .json: every embedded dtab too);
                                                          --no-deep skips the cycle and never-used checks
  dtab fmt [--check|--write] FILE...                      format (namerctl style)
  dtab show FILE                                          print the canonical one-line form
  dtab delegate (--dtab FILE | -e TEXT | --config FILE [--router LABEL]) PATH
                [--kubeconfig FILE] [--context NAME] [--snapshot FILE] [--offline] [--json] [--watch] [--dns]
                                                          explain how PATH is routed; /#/io.l5d.k8s paths are
                                                          bound from a snapshot, the kube context (if there is
                                                          a kubeconfig), or the address a config's namer names
  dtab diff OLD NEW [--name PATH]... [--snapshot FILE | --kubeconfig FILE [--context NAME]] [--json]
                                                          which logical names change where they go: the
                                                          dentries' prefixes, each --name, and with cluster
                                                          data /svc/<service> for every service reached
  dtab test [--dtab FILE | --config FILE [--router LABEL] | --namerd URL --ns NS]
            [--snapshot FILE | --kubeconfig FILE [--context NAME]] [--format text|json] TESTFILE...
                                                          check routing assertions (.dtab-test files:
                                                          \`PATH => EXPECTED\` a line); the dtab comes from
                                                          the flags or the file's \`# dtab: FILE\` header;
                                                          exit 1 when one fails
  dtab namerd ls|get NS|delete NS [--base-url URL] [--json]
                                                          namerd's namespaces (io.l5d.httpController)
  dtab namerd create NS FILE [--dry-run]                  FILE: dtab text, or namerctl's {"version","dtab"} JSON
  dtab namerd update NS FILE [--version V | --force] [--dry-run]
                                                          replace NS if it is still the version read
                                                          (or V, or the JSON file's); --force: unconditionally
  dtab namerd delegate NS PATH [--dtab TEXT] [--json] [--compare]
                                                          namerd's delegate tree; --compare: and where a local
                                                          delegation of the same dtab differs
                                                          base URL: --base-url, NAMERCTL_BASE_URL, or base-url in
                                                          .namerctl.yaml; DTAB_NAMERD_TOKEN: a bearer token
  dtab request --router URL [--override TEXT | --override-file FILE] [-X METHOD] [-H 'K: V']... PATH
               [--compare] [--sample] [--json] [--timeout SECONDS]
                                                          send PATH through a Linkerd 1 router (identified by
                                                          its Host header) with the override as l5d-dtab, and
                                                          explain the answer; --compare: also without it
  dtab canary start (--file F | --namerd URL --ns NS) --name PREFIX --to DEST [--from DEST]
                    [--stage-url URL [--stage-header 'Host: world']... [--stage-path /]]
  dtab canary start --traffic-split NS/NAME --from SERVICE --to SERVICE | --deployments NS/STABLE,NS/CANARY
                    [--kubeconfig FILE] [--context NAME]
                    (all:) [--steps 10,25,50,100] [--pause S,S,...] [--admin URL --router LABEL
                    [--stable-id ID] [--canary-id ID] [--min-success-rate 0..1] [--min-requests N]]
                                                          plan a canary traffic shift of the last PREFIX dentry
                                                          from DEST (default: where it routes now) to --to; or of
                                                          a TrafficSplit's weights, or two Deployments' replicas;
                                                          --stage-url: first one request through the router with
                                                          PREFIX => DEST as l5d-dtab (it must answer; else exit 6)
  dtab canary step [--percent P] [--abort-on-gate]        the next step (or P%): checks the gate on linkerd's
                                                          client counters since the last step, then writes the
                                                          dentry as a weighted union (1 * canary & 9 * stable)
  dtab canary abort                                       put the dentry (weights, replicas) back exactly as found
  dtab canary finish [--keep-fallback] [--abort-on-gate]  all traffic to the canary (--keep-fallback: canary | stable)
  dtab canary status [--json]                             the plan, the step reached, the last metrics
                                                          all canary commands: [--state FILE] (default .dtab-canary.json)
  dtab trace --zipkin URL TRACE_ID [--json] [--timeout SECONDS]
                                                          a Zipkin trace (TRACE_ID: Linkerd's l5d-reqid) as a
                                                          tree: name, service, duration, kind, errors, and
                                                          Linkerd's tags (service, client, residual, dtabs)
  dtab trace --zipkin URL --list [--service NAME] [--span NAME] [--annotation QUERY] [--lookback 1h]
             [--limit N] [--min-duration 100ms] [--json]
                                                          recent traces (a router's server spans are service
                                                          0.0.0.0/4140); DTAB_ZIPKIN_TOKEN: a bearer token
FILE may be - for standard input. Inputs over 64 MiB are refused (DTAB_MAX_INPUT_BYTES sets the cap).
Exit status: 0 ok, 1 errors in the input (or unformatted, or delegation failed), 2 usage or unreadable input,
3 conflict (namerd, Kubernetes: changed since read, or already exists), 4 not found (no such router, namespace
or trace), 5 the cluster, namerd, linkerd or Zipkin could not be reached or refused (request: no answer, or
Linkerd answered with an error of its own, l5d-err), 6 a canary gate or stage request failed (nothing written).`;

export async function main(argv: readonly string[], io: Io = realIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest, io);
      case 'fmt':
        return fmt(rest, io);
      case 'show':
        return show(rest, io);
      case 'delegate':
        return await delegate(rest, io);
      case 'diff':
        return await diffCommand(rest, io);
      case 'namerd':
        return await namerdCommand(rest, io);
      case 'test':
        return await testCommand(rest, io);
      case 'request':
        return await requestCommand(rest, io);
      case 'canary':
        return await canaryCommand(rest, io);
      case 'trace':
        return await traceCommand(rest, io);
      case '-h':
      case '--help':
      case 'help':
        io.out(USAGE + '\n');
        return 0;
      case undefined:
        throw new UsageError('no command given');
      default:
        throw new UsageError(`unknown command: ${command}`);
    }
  } catch (e) {
    if (e instanceof UsageError || (e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' || (e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' || (e as NodeJS.ErrnoException).code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      io.err(`dtab: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof ReadError) {
      io.err(`dtab: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

async function check(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, finagle: { type: 'boolean', default: false }, 'no-deep': { type: 'boolean', default: false } },
  });
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not ${values.format}`);
  const results: FileDiagnostics[] = [];
  const unreadable: string[] = [];
  for (const file of files(positionals)) {
    let text: string;
    try {
      text = read(io, file);
    } catch (e) {
      if (!(e instanceof ReadError)) throw e;
      unreadable.push(e.message);
      continue;
    }
    if (isYamlFile(file, text)) {
      results.push({ file, index: new LineIndex(text), diagnostics: checkConfigText(text).diagnostics });
      continue;
    }
    // The same entry points as the language server: the quick checks, then the deep ones.
    const a = analyzeDtab(text);
    const diagnostics = values['no-deep'] ? [...a.diagnostics] : [...a.diagnostics, ...(await deepDiagnostics(a))];
    diagnostics.sort((x, y) => x.span.start - y.span.start || x.span.end - y.span.end);
    results.push({ file, index: new LineIndex(text), diagnostics });
  }
  printDiagnostics(results, values.format, values.finagle, io.out);
  // Every readable file was reported; then the ones that could not be read.
  for (const m of unreadable) io.err(`dtab: ${m}\n`);
  if (unreadable.length > 0) return 2;
  return results.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

function fmt(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { check: { type: 'boolean', default: false }, write: { type: 'boolean', default: false } },
  });
  if (values.check && values.write) throw new UsageError('--check and --write cannot be used together');
  let status = 0;
  for (const file of files(positionals)) {
    const text = read(io, file);
    refuseConfig(file, text, 'fmt');
    const { syntax } = checkDtabText(text);
    const formatted = formatDtab(syntax);
    if (formatted === undefined) {
      syntaxErrors(io, file, syntax);
      io.err(`${file}: not formatted: fix the syntax errors first\n`);
      status = 1;
      continue;
    }
    if (values.check) {
      if (formatted !== text) {
        io.out(`${file}: not formatted\n`);
        status = 1;
      }
    } else if (values.write) {
      if (file === '-') throw new UsageError('--write needs a file, not standard input');
      if (formatted !== text) {
        try {
          io.writeFile(file, formatted);
        } catch (e) {
          throw new ReadError(`cannot write ${file}: ${why(e)}`);
        }
      }
    } else io.out(formatted);
  }
  return status;
}

function show(args: string[], io: Io): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError('show takes exactly one FILE');
  const file = positionals[0]!;
  const text = read(io, file);
  refuseConfig(file, text, 'show');
  const { syntax } = checkDtabText(text);
  if (syntaxErrors(io, file, syntax)) return 1;
  io.out(showDtab(lowerDtab(syntax)) + '\n');
  return 0;
}

async function delegate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      dtab: { type: 'string' },
      e: { type: 'string', short: 'e' },
      config: { type: 'string' },
      router: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      snapshot: { type: 'string' },
      offline: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      watch: { type: 'boolean', default: false },
      dns: { type: 'boolean', default: false },
    },
  });
  const given = [values.dtab, values.e, values.config].filter((v) => v !== undefined).length;
  if (given !== 1) throw new UsageError('delegate needs exactly one of --dtab FILE, -e TEXT or --config FILE');
  if (values.router !== undefined && values.config === undefined) throw new UsageError('--router goes with --config');
  if (values.offline && (values.kubeconfig !== undefined || values.context !== undefined)) throw new UsageError('--offline cannot be used with --kubeconfig or --context');
  if (positionals.length !== 1) throw new UsageError('delegate takes exactly one PATH');
  const parsedPath = parsePath(positionals[0]!);
  if (!parsedPath.ok) {
    io.err(`dtab: invalid path: ${parsedPath.error.plain}\n  ${parsedPath.error.finagleMessageShort}\n`);
    return 2;
  }
  const path = lowerPath(parsedPath.value);

  // The dtab, where its lines are, and the namers that answer its /#/ paths.
  let syntax: DtabSyntax;
  let where: string;
  let lineOf: (offset: number) => number;
  let namers: readonly NamerSpec[] | undefined;
  let transformerConfigs: Extract<ReturnType<typeof pickConfigDtab>, { ok: true }>['transformers'] = [];
  if (values.config !== undefined) {
    const text = read(io, values.config);
    const result = checkConfigText(text);
    const picked = pickConfigDtab(result, values.router);
    if (!picked.ok) {
      io.err(`dtab: ${values.config}: ${picked.message}\n`);
      return picked.message.startsWith('no router or namespace labelled') ? 4 : 2;
    }
    syntax = picked.dtab.syntax;
    where = values.config;
    const index = new LineIndex(text);
    lineOf = (o) => index.position(picked.dtab.toFile({ start: o, end: o }).start).line;
    namers = picked.namers;
    transformerConfigs = picked.transformers;
  } else {
    where = values.dtab ?? '-e';
    const text = values.dtab !== undefined ? read(io, values.dtab) : values.e!;
    if (values.dtab !== undefined) refuseConfig(values.dtab, text, 'delegate');
    syntax = parseDtab(text);
    const index = new LineIndex(text);
    lineOf = (o) => index.position(o).line;
  }
  if (syntaxErrors(io, where, syntax)) return 1;
  const dtab = lowerDtab(syntax);

  // Cluster data: a snapshot, or live (the kube context, or the address a namer block names).
  let changed: (() => void) | undefined;
  const sources = openSources(io, {
    snapshot: values.snapshot,
    kubeconfig: values.kubeconfig,
    context: values.context,
    live: !values.offline,
    dns: values.dns,
    onChange: () => changed?.(),
  });
  try {
    // A router's interpreter transformers (io.l5d.k8s.daemonset, …); localnode needs the pod's POD_IP/NODE_NAME.
    const { transformers, skipped } = sources.transformers(transformerConfigs, {
      ...(process.env.POD_IP ? { podIp: process.env.POD_IP } : {}),
      ...(process.env.NODE_NAME ? { nodeName: process.env.NODE_NAME } : {}),
    });
    for (const s of skipped) io.err(`dtab: transformer ${s}\n`);
    const interpreter = interpreterFor({
      registry: sources.registry(values.config !== undefined ? dirname(resolvePath(values.config)) : undefined),
      ...(namers ? { namers } : {}),
      ...(values.dns ? { inet: dnsInetResolver() } : {}),
      ...(transformers.length > 0 ? { options: { transformers } } : {}),
    });
    const once = async (): Promise<{ code: number; out: string }> => {
      let tree;
      try {
        tree = await interpreter.delegate(dtab, path);
      } catch (e) {
        io.err(`dtab: delegation failed: ${(e as Error).message}\n`);
        return { code: sourceTrouble(sources, io) ? 5 : 1, out: '' };
      }
      if (sourceTrouble(sources, io)) return { code: 5, out: '' };
      if (values.json) return { code: 0, out: delegateTreeToJsonText(tree) + '\n' };
      const entries = syntax.entries.filter((e) => e.kind === 'dentry');
      const locate = (i: number) => {
        const e = entries[i];
        return e === undefined ? undefined : `${where}:${lineOf(e.start) + 1}`;
      };
      let out = renderDelegateTree(tree, { locate });
      try {
        out += `\nroutes to:\n${describeBound(await interpreter.bind(dtab, path)).map((l) => `  ${l}\n`).join('')}`;
      } catch (e) {
        out += `\nroutes to: fails: ${(e as Error).message}\n`;
      }
      // A one-shot read: a namespace still finishing its watches was listed just now.
      for (const st of sources.statuses()) out += `\ncluster: ${st.state === 'connecting' ? `${st.source}: read just now` : describeStatus(st)}\n`;
      return { code: 0, out };
    };
    const first = await once();
    io.out(first.out);
    if (!values.watch || first.code !== 0) return first.code;
    // --watch: one document each time the result changes, until interrupted (like namerd's watch=true).
    let last = first.out;
    await new Promise<void>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let busy = false;
      let dirty = false;
      const run = async (): Promise<void> => {
        // A change during a run is not dropped: the run is made again after it.
        if (busy) {
          dirty = true;
          return;
        }
        busy = true;
        do {
          dirty = false;
          const next = await once();
          if (next.code === 0 && next.out !== last) {
            last = next.out;
            io.out(next.out);
          }
        } while (dirty);
        busy = false;
      };
      changed = () => {
        clearTimeout(timer);
        timer = setTimeout(() => void run(), 100);
      };
      const stop = () => {
        clearTimeout(timer);
        changed = undefined;
        resolve();
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return 0;
  } finally {
    sources.close();
  }
}

if (require.main === module) {
  // The exit status is set and the process ends by itself, once stdout and stderr are flushed:
  // process.exit() right after a write cuts piped output.
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`dtab: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
