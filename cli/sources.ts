// Cluster data for the commands that bind names (`delegate`, `diff`): the Sources a command's
// flags ask for (a snapshot file, a kubeconfig and context), and saying when they could not be read.

import { dnsInetResolver } from '../remote/dns.js';
import { Sources } from '../remote/sources.js';
import { read, type Io } from './common.js';

export interface SourceFlags {
  readonly snapshot?: string | undefined;
  readonly kubeconfig?: string | undefined;
  readonly context?: string | undefined;
  /** Whether a live cluster may be contacted at all. */
  readonly live: boolean;
  readonly dns?: boolean | undefined;
  readonly onChange?: () => void;
}

/** The Sources for these flags (the snapshot is read through `io`; POD_NAMESPACE as Linkerd reads it). */
export function openSources(io: Io, flags: SourceFlags): Sources {
  const snapshot = flags.snapshot !== undefined ? { text: read(io, flags.snapshot), name: flags.snapshot } : undefined;
  return new Sources({
    ...(snapshot ? { snapshot } : {}),
    ...(flags.kubeconfig !== undefined ? { kubeconfig: flags.kubeconfig } : {}),
    ...(flags.context !== undefined ? { context: flags.context } : {}),
    live: flags.live,
    ...(process.env.POD_NAMESPACE ? { podNamespace: process.env.POD_NAMESPACE } : {}),
    ...(flags.dns ? { inet: dnsInetResolver() } : {}),
    ...(flags.onChange ? { onChange: flags.onChange } : {}),
  });
}

/** A source that could not be read: say so on stderr (the caller exits 5). */
export function sourceTrouble(sources: Sources, io: Io): boolean {
  let bad = false;
  for (const p of sources.problems) {
    io.err(`dtab: ${p}\n`);
    bad = true;
  }
  for (const st of sources.statuses()) {
    if (st.state === 'unreachable' || st.state === 'unauthorized' || st.state === 'forbidden') {
      io.err(`dtab: ${st.message ?? `${st.source}: ${st.state}`}\n`);
      bad = true;
    }
  }
  return bad;
}
