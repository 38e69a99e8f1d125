// `dtab diff OLD NEW`: the routing impact of replacing one dtab with another — which logical names
// change where they go (core/impact). Names compared: the prefixes of both dtabs, the --name
// paths, and with cluster data (--snapshot, or --kubeconfig/--context for a live cluster) /svc/<name>
// for every service either dtab reaches. Without those flags no cluster is contacted: /#/ names
// bind to what the namer would answer, with addresses unknown.
// Exit status: 0 compared (changes or not), 1 a file has syntax errors, 2 usage or unreadable
// input, 5 the cluster could not be read.

import { parseArgs } from 'node:util';
import { describeImpact, interpreterFor, lowerDtab, lowerPath, parseDtab, parsePath, routingImpact, type Dtab, type Path } from '../core/index.js';
import { read, ReadError, refuseConfig, syntaxErrors, UsageError, type Io } from './common.js';
import { openSources, sourceTrouble } from './sources.js';

export async function diffCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string', multiple: true, default: [] },
      snapshot: { type: 'string' },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  if (positionals.length !== 2) throw new UsageError('diff takes exactly two FILEs: OLD and NEW');
  const live = values.kubeconfig !== undefined || values.context !== undefined;
  if (values.snapshot !== undefined && live) throw new UsageError('--snapshot cannot be used with --kubeconfig or --context');
  const names: Path[] = [];
  for (const n of values.name) {
    const parsed = parsePath(n);
    if (!parsed.ok) {
      io.err(`dtab: invalid --name path: ${parsed.error.plain}\n  ${parsed.error.finagleMessageShort}\n`);
      return 2;
    }
    names.push(lowerPath(parsed.value));
  }

  const [oldFile, newFile] = positionals as [string, string];
  const oldText = read(io, oldFile);
  const newText = read(io, newFile);
  refuseConfig(oldFile, oldText, 'diff');
  refuseConfig(newFile, newText, 'diff');
  const oldSyntax = parseDtab(oldText);
  const newSyntax = parseDtab(newText);
  // Both files' errors are said before giving up.
  const oldBad = syntaxErrors(io, oldFile, oldSyntax);
  const newBad = syntaxErrors(io, newFile, newSyntax);
  if (oldBad || newBad) return 1;
  const before = lowerDtab(oldSyntax);
  const after = lowerDtab(newSyntax);

  let sources;
  try {
    sources = openSources(io, { snapshot: values.snapshot, kubeconfig: values.kubeconfig, context: values.context, live });
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new ReadError(`cannot read the snapshot ${values.snapshot}: ${(e as Error).message}`);
  }
  try {
    const services = values.snapshot !== undefined || live ? await sources.serviceNames() : undefined;
    if (sourceTrouble(sources, io)) return 5;
    const interpreter = interpreterFor({ registry: sources.registry() });
    const impact = await routingImpact({
      before,
      after,
      bindBefore: (p) => interpreter.bind(before, p),
      bindAfter: (p) => interpreter.bind(after, p),
      names,
      ...(services ? { services } : {}),
    });
    if (sourceTrouble(sources, io)) return 5;
    const lines = describeImpact(impact);
    if (values.json) {
      io.out(JSON.stringify(impact.rows.map((r) => ({ name: r.name, before: r.before, after: r.after })), null, 2) + '\n');
      // The note on names left out goes where people see it, not into the JSON.
      if (impact.cut) io.err(`dtab: ${lines[lines.length - 1]}\n`);
    } else io.out(lines.map((l) => l + '\n').join(''));
    return 0;
  } finally {
    sources.close();
  }
}

/** The routing impact of `before` → `after` in people's lines, with no cluster (for `namerd update`). */
export async function impactLines(before: Dtab, after: Dtab): Promise<string[]> {
  const interpreter = interpreterFor({});
  return describeImpact(await routingImpact({ before, after, bindBefore: (p) => interpreter.bind(before, p), bindAfter: (p) => interpreter.bind(after, p) }));
}
