// `dtab`: the command line on the same core as the editor, for CI pipelines.
//   dtab check [--format text|json] [--finagle] FILE...
//   dtab fmt [--check|--write] FILE...
//   dtab show FILE
//   dtab delegate (--dtab FILE | -e TEXT) PATH [--json] [--dns]
// Exit status: 0 fine, 1 problems found (errors, unformatted files), 2 bad usage or unreadable input.

import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  checkConfigText,
  checkDtabText,
  delegateTreeToJsonText,
  dnsInetResolver,
  formatDtab,
  Interpreter,
  LineIndex,
  mayHoldConfig,
  lowerDtab,
  lowerPath,
  parsePath,
  renderDelegateTree,
  reprBound,
  showDtab,
  SystemNamer,
  type Diagnostic,
  type DtabSyntax,
} from '../core/index.js';

const USAGE = `usage:
  dtab check [--format text|json] [--finagle] FILE...   report syntax errors and warnings, in dtabs
                                                          and in linkerd/namerd configs and manifests
                                                          (.yaml, .yml, .json: every embedded dtab too)
  dtab fmt [--check|--write] FILE...                      format (namerctl style)
  dtab show FILE                                          print the canonical one-line form
  dtab delegate (--dtab FILE | -e TEXT) PATH [--json] [--dns]
                                                          explain how PATH is routed
FILE may be - for standard input.`;

class UsageError extends Error {}

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  readFile: (f: string) => string;
  writeFile: (f: string, text: string) => void;
}

const realIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  readFile: (f) => readFileSync(f === '-' ? 0 : f, 'utf8'),
  writeFile: (f, text) => writeFileSync(f, text),
};

export async function main(argv: readonly string[], io: Io = realIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return check(rest, io);
      case 'fmt':
        return fmt(rest, io);
      case 'show':
        return show(rest, io);
      case 'delegate':
        return await delegate(rest, io);
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

class ReadError extends Error {}

function read(io: Io, file: string): string {
  try {
    return io.readFile(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' ? 'permission denied' : err.message;
    throw new ReadError(`cannot read ${file}: ${why}`);
  }
}

function files(positionals: string[], min = 1): string[] {
  if (positionals.length < min) throw new UsageError('no FILE given');
  return positionals;
}

interface FileDiagnostics {
  file: string;
  index: LineIndex;
  diagnostics: readonly Diagnostic[];
}

function printDiagnostics(results: FileDiagnostics[], format: string, finagle: boolean, to: (s: string) => void): void {
  if (format === 'json') {
    const all = results.flatMap(({ file, index, diagnostics }) =>
      diagnostics.map((d) => ({ file, range: index.range(d.span), severity: d.severity, message: d.message, code: d.code })),
    );
    to(JSON.stringify(all, null, 2) + '\n');
    return;
  }
  for (const { file, index, diagnostics } of results) {
    for (const d of diagnostics) {
      const p = index.position(d.span.start);
      const message = finagle && d.finagleMessage ? d.finagleMessage : d.message;
      to(`${file}:${p.line + 1}:${p.character + 1}: ${d.severity}: ${message} [${d.code}]\n`);
    }
  }
}

function check(args: string[], io: Io): number {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, finagle: { type: 'boolean', default: false } },
  });
  if (values.format !== 'text' && values.format !== 'json') throw new UsageError(`--format must be text or json, not ${values.format}`);
  const results = files(positionals).map((file) => {
    const text = read(io, file);
    return { file, index: new LineIndex(text), diagnostics: isYamlFile(file, text) ? checkConfigText(text).diagnostics : checkDtabText(text).diagnostics };
  });
  printDiagnostics(results, values.format, values.finagle, io.out);
  return results.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
}

/** Config files and manifests are YAML (or JSON); everything else is read as a dtab. */
function isYamlFile(file: string, text: string): boolean {
  if (/\.(ya?ml|json)$/i.test(file)) return true;
  return file === '-' && mayHoldConfig(text) && !/^\s*\//.test(text);
}

function syntaxErrors(io: Io, file: string, syntax: DtabSyntax): boolean {
  if (syntax.errors.length === 0) return false;
  const index = new LineIndex(syntax.text);
  const diagnostics = checkDtabText(syntax.text).diagnostics.filter((d) => d.severity === 'error');
  printDiagnostics([{ file, index, diagnostics }], 'text', false, io.err);
  return true;
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
      if (formatted !== text) io.writeFile(file, formatted);
    } else io.out(formatted);
  }
  return status;
}

function show(args: string[], io: Io): number {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) throw new UsageError('show takes exactly one FILE');
  const file = positionals[0]!;
  const { syntax } = checkDtabText(read(io, file));
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
      json: { type: 'boolean', default: false },
      dns: { type: 'boolean', default: false },
    },
  });
  if ((values.dtab === undefined) === (values.e === undefined)) throw new UsageError('delegate needs exactly one of --dtab FILE or -e TEXT');
  if (positionals.length !== 1) throw new UsageError('delegate takes exactly one PATH');
  const source = values.dtab ?? '-e';
  const text = values.dtab !== undefined ? read(io, values.dtab) : values.e!;
  const { syntax } = checkDtabText(text);
  if (syntaxErrors(io, source, syntax)) return 1;
  const parsedPath = parsePath(positionals[0]!);
  if (!parsedPath.ok) {
    io.err(`dtab: invalid path: ${parsedPath.error.plain}\n  ${parsedPath.error.finagleMessage}\n`);
    return 2;
  }
  const dtab = lowerDtab(syntax);
  const path = lowerPath(parsedPath.value);
  const interpreter = new Interpreter([], values.dns ? new SystemNamer(dnsInetResolver()) : new SystemNamer());
  let tree;
  try {
    tree = await interpreter.delegate(dtab, path);
  } catch (e) {
    io.err(`dtab: delegation failed: ${(e as Error).message}\n`);
    return 1;
  }
  if (values.json) {
    io.out(delegateTreeToJsonText(tree) + '\n');
    return 0;
  }
  const index = new LineIndex(text);
  const dentryStarts = syntax.entries.filter((e) => e.kind === 'dentry').map((e) => e.start);
  const locate = (i: number) => {
    const at = dentryStarts[i];
    return at === undefined ? undefined : `${source}:${index.position(at).line + 1}`;
  };
  io.out(renderDelegateTree(tree, { locate }));
  try {
    io.out(`\nbound: ${reprBound(await interpreter.bind(dtab, path))}\n`);
  } catch (e) {
    io.out(`\nbound: fails: ${(e as Error).message}\n`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`dtab: internal error: ${(e as Error).stack ?? String(e)}\n`);
      process.exit(70);
    },
  );
}
