// What every `dtab` command shares: the I/O seam (tests pass their own), reading capped input,
// usage and read errors, and printing diagnostics.

import { closeSync, openSync, readSync, writeFileSync } from 'node:fs';
import { checkDtabText, LineIndex, mayHoldConfig, type Diagnostic, type DtabSyntax } from '../core/index.js';

export class UsageError extends Error {}

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  readFile: (f: string) => string;
  writeFile: (f: string, text: string) => void;
  /** The environment (NAMERCTL_BASE_URL, …); process.env when absent. */
  env?: NodeJS.ProcessEnv;
  /** Where relative lookups start (`.namerctl.yaml`); process.cwd() when absent. */
  cwd?: string;
  /** The time (history entries, pauses); new Date() when absent. */
  now?: () => Date;
}

/** The most bytes read from one input (DTAB_MAX_INPUT_BYTES, default 64 MiB). */
export function maxInputBytes(): number {
  const v = Number(process.env.DTAB_MAX_INPUT_BYTES);
  return Number.isInteger(v) && v > 0 ? v : 64 * 1024 * 1024;
}

export class TooLargeError extends Error {}

/** Reads a file or standard input in chunks, refusing more than the cap (`/dev/zero` included). */
function readCapped(file: string): string {
  const cap = maxInputBytes();
  const fd = file === '-' ? 0 : openSync(file, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, cap + 1 - total));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        if ((e as NodeJS.ErrnoException).code === 'EOF') break;
        throw e;
      }
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > cap) throw new TooLargeError(`more than ${cap} bytes (the cap; set DTAB_MAX_INPUT_BYTES to change it)`);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } finally {
    if (fd !== 0) closeSync(fd);
  }
}

export const realIo: Io = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  readFile: readCapped,
  writeFile: (f, text) => writeFileSync(f, text),
};

export class ReadError extends Error {}

export function why(e: unknown): string {
  if (e instanceof TooLargeError) return e.message;
  const err = e as NodeJS.ErrnoException;
  return err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied' : err.message;
}

export function read(io: Io, file: string): string {
  try {
    return io.readFile(file);
  } catch (e) {
    throw new ReadError(`cannot read ${file === '-' ? 'standard input' : file}: ${why(e)}`);
  }
}

/** A dtab command given a linkerd/namerd config: say so, and what to do instead. */
export function refuseConfig(file: string, text: string, command: string): void {
  if (!/\.(ya?ml|json)$/i.test(file) && !(file === '-' && isYamlFile(file, text))) return;
  const hint = command === 'delegate' ? 'copy the router\'s dtab into a .dtab file, or use -e' : 'it formats the dtabs embedded in configs when you format the YAML file in the editor';
  throw new ReadError(`${file} is a YAML/JSON file, not a dtab: \`dtab ${command}\` reads dtab text. For linkerd/namerd configs use \`dtab check ${file}\` (${hint}).`);
}

export function files(positionals: string[], min = 1): string[] {
  if (positionals.length < min) throw new UsageError('no FILE given');
  return positionals;
}

export interface FileDiagnostics {
  file: string;
  index: LineIndex;
  diagnostics: readonly Diagnostic[];
}

export function printDiagnostics(results: FileDiagnostics[], format: string, finagle: boolean, to: (s: string) => void): void {
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
      const message = finagle ? (d.finagleMessageShort ?? d.message) : d.message;
      to(`${file}:${p.line + 1}:${p.character + 1}: ${d.severity}: ${message} [${d.code}]\n`);
    }
  }
}

/** Config files and manifests are YAML (or JSON); everything else is read as a dtab. */
export function isYamlFile(file: string, text: string): boolean {
  if (/\.(ya?ml|json)$/i.test(file)) return true;
  return file === '-' && mayHoldConfig(text) && !/^\s*\//.test(text);
}

export function syntaxErrors(io: Io, file: string, syntax: DtabSyntax): boolean {
  if (syntax.errors.length === 0) return false;
  const index = new LineIndex(syntax.text);
  const diagnostics = checkDtabText(syntax.text).diagnostics.filter((d) => d.severity === 'error');
  printDiagnostics([{ file, index, diagnostics }], 'text', false, io.err);
  return true;
}

