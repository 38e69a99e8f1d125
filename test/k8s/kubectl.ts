// Running the real kubectl against the stand-in, for tests: found on the machine, or installed
// from Debian's packages (kubernetes-client) when missing, never skipped. Every run is bounded
// (--request-timeout, and a kill after timeoutMs).

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    if (dir && existsSync(p)) return p;
  }
  return undefined;
}

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(cmd: string, args: readonly string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: opts.env ?? process.env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const t = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(t);
      resolve({ code: -1, stdout, stderr: stderr + String(e) });
    });
    child.on('close', (code) => {
      clearTimeout(t);
      resolve({ code, stdout, stderr });
    });
  });
}

let found: Promise<string> | undefined;

/**
 * The kubectl to test with: $K8S_STANDIN_KUBECTL when set (to try another version), else
 * /usr/bin/kubectl or one on PATH, else Debian's kubernetes-client, installed now.
 */
export function kubectlPath(): Promise<string> {
  found ??= (async () => {
    if (process.env.K8S_STANDIN_KUBECTL) return process.env.K8S_STANDIN_KUBECTL;
    const have = existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : onPath('kubectl');
    if (have) return have;
    const apt = (args: string[]) => run('apt-get', ['-o', 'DPkg::Lock::Timeout=600', ...args], { timeoutMs: 900_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    let r = await apt(['install', '-y', 'kubernetes-client']);
    if (r.code !== 0) {
      await apt(['update']);
      r = await apt(['install', '-y', 'kubernetes-client']);
    }
    const installed = existsSync('/usr/bin/kubectl') ? '/usr/bin/kubectl' : onPath('kubectl');
    if (!installed) throw new Error(`kubectl is missing and installing kubernetes-client failed:\n${r.stdout}\n${r.stderr}`);
    return installed;
  })();
  return found;
}

/** kubectl's client minor version (32 for v1.32.4). */
export async function kubectlMinor(): Promise<number> {
  const r = await run(await kubectlPath(), ['version', '--client', '-o', 'json'], { timeoutMs: 60_000, env: kubectlEnv() });
  const v = JSON.parse(r.stdout) as { clientVersion?: { minor?: string } };
  return parseInt(v.clientVersion?.minor ?? '', 10);
}

/** The environment for kubectl: nothing from the user's own cluster configuration. */
export function kubectlEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.KUBECONFIG;
  return env;
}

/** kubectl with this kubeconfig and a discovery cache of its own, bounded in time. */
export async function kubectl(kubeconfig: string, cacheDir: string, args: readonly string[], timeoutMs = 120_000): Promise<Run> {
  return run(await kubectlPath(), ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, '--request-timeout=60s', ...args], { timeoutMs, env: kubectlEnv() });
}

/** A long-running kubectl (a watch): its output so far, a way to wait for some, and kill. */
export interface Streaming {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Waits until stdout satisfies `ok`, bounded by timeoutMs (then throws with what was read). */
  waitFor(ok: (stdout: string) => boolean, timeoutMs?: number): Promise<string>;
  kill(): Promise<void>;
}

export async function kubectlStreaming(kubeconfig: string, cacheDir: string, args: readonly string[]): Promise<Streaming> {
  const child = spawn(await kubectlPath(), ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: kubectlEnv() });
  let out = '';
  let err = '';
  let exited = false;
  const listeners = new Set<() => void>();
  const wake = () => listeners.forEach((f) => f());
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    wake();
  });
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const closed = new Promise<void>((r) =>
    child.on('close', () => {
      exited = true;
      wake();
      r();
    }),
  );
  // Never outlive the test run.
  const guard = setTimeout(() => child.kill('SIGKILL'), 300_000);
  guard.unref();
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    async waitFor(ok, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      while (!ok(out)) {
        if (exited) throw new Error(`kubectl ${args.join(' ')} exited; stdout:\n${out}\nstderr:\n${err}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`kubectl ${args.join(' ')}: not there in time; stdout:\n${out}\nstderr:\n${err}`);
        await new Promise<void>((r) => {
          const f = () => {
            clearTimeout(t);
            listeners.delete(f);
            r();
          };
          const t = setTimeout(f, left);
          listeners.add(f);
        });
      }
      return out;
    },
    async kill() {
      clearTimeout(guard);
      if (!exited) child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await closed;
      clearTimeout(t);
    },
  };
}
