// Plain-English explanations of dtabs, for hovers and other places people read (Markdown-safe:
// code in backticks). The wording follows how Linkerd actually routes (bind), not the delegator.

import { ANY, type Dtab, type Prefix } from './model/dtab.js';
import type { NameTree } from './model/nametree.js';
import type { Path } from './model/path.js';
import { formatFixed2 } from './print/numbers.js';
import { showPath, showPrefixElem } from './print/show.js';
import { SYSTEM_NAMERS } from './delegate/system-namers.js';
import { NAMER_KINDS } from './config/namers.js';

/** `/svc/<any>/api/…` for a prefix: what requests it applies to. */
export function describePrefix(prefix: Prefix): string {
  const shown = prefix.map((e) => (e === ANY ? '<any>' : showPrefixElem(e)));
  return `\`/${shown.join('/')}${prefix.length ? '/' : ''}…\``;
}

function dest(p: Path, residual: boolean): string {
  return `\`${showPath(p)}${residual ? (p.length ? '/…' : '…') : ''}\``;
}

/** How a leaf's description starts. */
const SENT_TO = 'are sent to ';

/** What a destination does with a request, as a sentence fragment ("are sent to …"). */
export function describeDestination(tree: NameTree<Path>, residual = true): string {
  switch (tree.type) {
    case 'leaf':
      return `${SENT_TO}${dest(tree.value, residual)}`;
    case 'neg':
      return 'are not handled here (`~`, negative): earlier dentries, then the namers, are tried instead';
    case 'fail':
      return 'fail at once (`!`): no other dentry is tried';
    case 'empty':
      return 'resolve to no endpoints (`$`): they fail, and no other dentry is tried';
    case 'alt':
      return tree.trees
        .map((t, i) => {
          const d = describeDestination(t, residual);
          if (i === 0) return d;
          return `if that is negative (\`~\`), ${d.startsWith(SENT_TO) ? `they go to ${d.slice(SENT_TO.length)}` : `they ${d}`}`;
        })
        .join('; ');
    case 'union': {
      const total = tree.trees.reduce((s, w) => s + w.weight, 0);
      const parts = tree.trees.map((w) => {
        const pct = total > 0 ? (100 * w.weight) / total : 100 / tree.trees.length;
        const d = describeDestination(w.tree, residual);
        return `${formatPercent(pct)} ${d.startsWith(SENT_TO) ? `to ${d.slice(SENT_TO.length)}` : d}`;
      });
      return `are split by weight: ${parts.join(', ')}`;
    }
  }
}

function formatPercent(p: number): string {
  const rounded = Math.round(p * 10) / 10;
  return `${Number.isInteger(rounded) ? rounded : formatFixed2(rounded).replace(/0$/, '')}%`;
}

/** The weights of a union as percentages of the traffic, in order. */
export function unionShares(weights: readonly number[]): number[] {
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => (total > 0 ? (100 * w) / total : 100 / weights.length));
}

export interface DentryExplanation {
  /** "Requests for `/host/world/…` are sent to `/srv/world-v1/…`." */
  readonly summary: string;
  /** Earlier dentries that this one is tried before (it overrides them for these paths). */
  readonly overrides: readonly number[];
  /** Later dentries that are tried before this one for all of its paths. */
  readonly overriddenBy: readonly number[];
}

export function explainDentry(dtab: Dtab, index: number): DentryExplanation {
  const d = dtab.dentries[index]!;
  const summary = `Requests for ${describePrefix(d.prefix)} ${describeDestination(d.dst)}.`;
  // Dentries that also match every path this one matches.
  const general = dtab.generalizations(d.prefix);
  return {
    summary,
    overrides: general.filter((j) => j < index),
    overriddenBy: general.filter((j) => j > index),
  };
}

/**
 * Documentation of the configured namers that have a default prefix, by the path's first two labels
 * (`/#/io.l5d.k8s`): from the one namer catalogue, core/config/namers.ts.
 */
export const CONFIGURED_NAMERS: readonly { kind: string; shape: string; doc: string }[] = NAMER_KINDS.filter((n) => n.defaultPrefix === `/#/${n.kind}`).map(({ kind, shape, doc }) => ({ kind, shape, doc }));

export function namerDoc(path: Path): { shape: string; doc: string; system: boolean } | undefined {
  if (path[0] === '$') {
    const n = SYSTEM_NAMERS.find((x) => x.kind === path[1]);
    return n && { shape: n.shape, doc: n.doc, system: true };
  }
  if (path[0] === '#') {
    const n = CONFIGURED_NAMERS.find((x) => x.kind === path[1]);
    return n && { shape: n.shape, doc: n.doc, system: false };
  }
  return undefined;
}
