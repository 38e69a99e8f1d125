// What the cluster adds to the language features: names for completion inside `/#/io.l5d.k8s/…`
// paths (namespaces, then ports, then services), and warnings for a namespace, service or port
// that does not exist there, with the closest name as a quick fix. Over the K8sSource interface:
// a live cache or a snapshot, given by the host.

import type { NamerSpec } from '../delegate/namer-registry.js';
import { K8S_NAMER_KINDS, type K8sNamerKind } from '../k8s/namers.js';
import { k8sCandidates, k8sCursorSegment, k8sPathProblems, type K8sPathShape } from '../k8s/paths.js';
import type { K8sSource } from '../k8s/types.js';
import { elemToText, startsWith } from '../model/path.js';
import { leaves, locate } from '../syntax/locate.js';
import { lowerPath } from '../syntax/lower.js';
import type { DtabAnalysis } from './analysis.js';
import type { Completion } from './completion.js';
import type { DeepDiagnostic } from './deep.js';

/** A Kubernetes namer of the config (or assumed), with the source that answers it. */
export interface K8sNamerUse {
  readonly shape: K8sPathShape;
  readonly source: K8sSource;
}

/** The Kubernetes namers among these specs, with their sources (those that have one). */
export function k8sNamerUses(specs: readonly NamerSpec[], sourceFor: (spec: NamerSpec) => K8sSource | undefined, podNamespace?: string): K8sNamerUse[] {
  const out: K8sNamerUse[] = [];
  for (const spec of specs) {
    if (!(K8S_NAMER_KINDS as readonly string[]).includes(spec.kind)) continue;
    const source = sourceFor(spec);
    if (!source) continue;
    const sel = spec.params.labelSelector;
    out.push({
      shape: {
        kind: spec.kind as K8sNamerKind,
        prefix: spec.prefix,
        ...(typeof sel === 'string' ? { labelSelector: sel } : {}),
        ...(spec.kind === 'io.l5d.k8s.ns' && podNamespace ? { namespace: podNamespace } : {}),
      },
      source,
    });
  }
  return out;
}

function prefixOf(shape: K8sPathShape): string[] {
  return (shape.prefix ?? `/#/${shape.kind ?? 'io.l5d.k8s'}`).split('/').filter((e) => e !== '');
}

/** Names for the segment under the cursor, when the term being typed is a Kubernetes path. */
export function clusterCompletions(a: DtabAnalysis, offset: number, token: number, uses: readonly K8sNamerUse[]): Completion[] {
  // The whole term, so that the segments after the cursor count too (a port typed before an
  // existing service is a port of that service); the edit still replaces only up to the cursor.
  const path = locate(a.syntax, offset).find((l) => l.kind === 'path');
  const end = path !== undefined && path.node.start === token && path.node.end > offset ? path.node.end : offset;
  const term = a.text.slice(token, end);
  for (const use of uses) {
    const cursor = k8sCursorSegment(term, offset - token, use.shape);
    if (!cursor) continue;
    const span = { start: token + cursor.start, end: offset };
    const names = k8sCandidates(cursor, use.source, use.shape);
    const status = use.source.status(cursor.namespace);
    return names.slice(0, 200).map((name, i) => ({
      label: name,
      kind: 'path' as const,
      detail: `${cursor.role} in ${status.source}`,
      edit: { span, text: name },
      sortText: `0${String(i).padStart(4, '0')}`,
      filterText: name,
    }));
  }
  return [];
}

/**
 * Warnings for `/#/…` paths of Kubernetes namers that name what does not exist in the source's
 * cluster. A path whose rest comes at run time (`/#/io.l5d.k8s/default/http`, a prefix target)
 * is judged on the segments it has. Code `k8s-*`, `origin` the cluster's name.
 */
export async function clusterDiagnostics(a: DtabAnalysis, uses: readonly K8sNamerUse[]): Promise<DeepDiagnostic[]> {
  const out: DeepDiagnostic[] = [];
  if (uses.length === 0) return out;
  for (const d of a.dentries) {
    for (const leaf of leaves(d.dst)) {
      const path = lowerPath(leaf.path);
      for (const use of uses) {
        const prefix = prefixOf(use.shape);
        if (!startsWith(path, prefix)) continue;
        const status = use.source.status();
        if (status.state === 'connecting' || status.state === 'unreachable' || status.state === 'unauthorized' || status.state === 'forbidden') break;
        // With a labelSelector, the label value is one more segment (it may come at run time too).
        const needed = (use.shape.kind === 'io.l5d.k8s.ns' ? 2 : 3) + (use.shape.labelSelector !== undefined ? 1 : 0);
        const labels = leaf.path.labels;
        if (path.length < prefix.length + needed) {
          // A prefix target: only the namespace can be judged (the service comes at run time).
          if (use.shape.kind === 'io.l5d.k8s.ns' || path.length <= prefix.length) break;
          const ns = elemToText(path[prefix.length]!).toLowerCase();
          const known = use.source.namespaces();
          if (known.length > 0 && !known.includes(ns)) {
            const label = labels[prefix.length]!;
            // Judged as a whole path with that namespace: the rest filled in (port, service, label value).
            const rest = ['http', '_', '_'].slice(0, needed - 1);
            const problems = await k8sPathProblems([...path.slice(0, prefix.length + 1), ...rest], use.source, use.shape);
            const p = problems.find((x) => x.code === 'k8s-no-namespace');
            if (p) out.push(toDiagnostic(p.message, p.code, { start: label.start, end: label.end }, status.source, p.suggestion));
          }
          break;
        }
        const problems = await k8sPathProblems(path, use.source, use.shape);
        for (const p of problems) {
          const label = labels[Math.min(p.index, labels.length - 1)]!;
          out.push(toDiagnostic(p.message, p.code, { start: label.start, end: label.end }, status.source, p.suggestion));
        }
        break;
      }
    }
  }
  return out;
}

function toDiagnostic(message: string, code: string, span: { start: number; end: number }, origin: string, suggestion: string | undefined): DeepDiagnostic {
  return {
    span,
    severity: 'warning',
    code,
    origin: `cluster: ${origin}`,
    message,
    ...(suggestion ? { fixes: [{ title: `Change to \`${suggestion}\``, edits: [{ span, text: suggestion }] }] } : {}),
  };
}

/**
 * Why a `/#/` path of a Kubernetes namer is negative, in the cluster's words ("no port named grpc
 * on service world (ports: http, admin)"), or undefined when no namer of these uses answers it.
 */
export async function explainNegative(path: readonly string[], uses: readonly K8sNamerUse[]): Promise<string | undefined> {
  for (const use of uses) {
    if (!startsWith(path, prefixOf(use.shape))) continue;
    const problems = await k8sPathProblems(path, use.source, use.shape);
    return problems[0]?.message;
  }
  return undefined;
}
