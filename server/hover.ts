// Hover: what a dentry does in plain words, union weights as shares of traffic, what `|`, `!`,
// `~`, `$` mean, namer documentation, and on a path, where it is delegated.

import type { Hover, MarkupContent, Position } from 'vscode-languageserver-types';
import {
  explainDentry,
  Interpreter,
  namerDoc,
  renderDelegateTree,
  reprBound,
  showDentry,
  unionShares,
  type Located,
  locate,
} from '../core/index.js';
import type { Analysis } from './dtab-service.js';

const offline = new Interpreter([], undefined, { timeoutMs: 0 });

function md(lines: string[]): MarkupContent {
  return { kind: 'markdown', value: lines.filter((l) => l !== undefined).join('\n\n') };
}

export function hover(a: Analysis, position: Position): Hover | undefined {
  const chain = locate(a.syntax, a.offset(position));
  const entry = chain[0];
  if (!entry || entry.kind !== 'entry' || entry.node.kind !== 'dentry') return undefined;
  const index = a.dentries.indexOf(entry.node);
  const inner = chain[chain.length - 1]!;
  const inDst = chain.some((l) => l.kind === 'tree');
  if (inDst) {
    const h = hoverDestination(a, chain, inner);
    if (h) return h;
  }
  return { contents: md(dentryLines(a, index)), range: a.range(inDst ? entry.node.dst : entry.node.prefix) };
}

function dentryLines(a: Analysis, index: number): string[] {
  const dtab = a.dtab;
  const ex = explainDentry(dtab, index);
  const ref = (j: number) => `line ${a.lineOf(j)} (\`${showDentry(dtab.dentries[j]!)}\`)`;
  const lines = [`**\`${showDentry(dtab.dentries[index]!)}\`**`, ex.summary];
  if (ex.overrides.length > 0)
    lines.push(`Later dentries are tried first: for these requests this one is tried before ${ex.overrides.map(ref).join(', ')}, which ${ex.overrides.length > 1 ? 'are' : 'is'} only used if this one is negative.`);
  if (ex.overriddenBy.length > 0) lines.push(`${ex.overriddenBy.map(ref).join(', ')} ${ex.overriddenBy.length > 1 ? 'come' : 'comes'} later and ${ex.overriddenBy.length > 1 ? 'are' : 'is'} tried before this one.`);
  return lines;
}

function hoverDestination(a: Analysis, chain: Located[], inner: Located): Hover | undefined {
  const node = inner.kind === 'label' ? chain[chain.length - 2]! : inner;
  if (node.kind === 'path') {
    const path = node.node.labels.map((l) => l.value);
    const doc = namerDoc(path);
    if (doc) {
      return {
        contents: md([`**${doc.system ? 'System namer' : 'Namer'}** \`${doc.shape}\``, doc.doc, doc.system ? 'Built into Linkerd: no configuration needed.' : 'Answers only if a namer of this kind is configured in linkerd (or namerd).']),
        range: a.range(node.node),
      };
    }
    let text: string;
    try {
      const tree = offline.delegateSync(a.dtab, path);
      let bound: string;
      try {
        bound = reprBound(offline.bindSync(a.dtab, path));
      } catch (e) {
        bound = `fails: ${(e as Error).message}`;
      }
      const locateDentry = (i: number) => `line ${a.lineOf(i)}`;
      const rendered = renderDelegateTree(tree, { locate: locateDentry }).split('\n').slice(0, 40).join('\n');
      text = `\`\`\`\n${rendered}\n\`\`\`\n\nBinds to: \`${bound}\` (\`*\` marks what routing uses; \`/#/\` namers are not consulted here).`;
    } catch (e) {
      text = `Delegation fails: ${(e as Error).message}`;
    }
    return { contents: md([`**Delegation of \`${a.syntax.text.slice(node.node.start, node.node.end)}\`** in this dtab`, text]), range: a.range(node.node) };
  }
  if (node.kind !== 'tree') return undefined;
  const t = node.node;
  switch (t.kind) {
    case 'union': {
      const shares = unionShares(t.branches.map((b) => (b.weight ? b.weight.value : 1)));
      const src = a.syntax.text;
      const rows = t.branches.map((b, i) => `| ${shares[i]!.toFixed(1).replace(/\.0$/, '')}% | ${b.weight ? b.weight.text : '1 (default)'} | \`${src.slice(b.tree.start, b.tree.end)}\` |`);
      return {
        contents: md([
          '**Union (`&`)**: each request goes to one branch, chosen at random by weight.',
          ['| share | weight | branch |', '| ---: | ---: | --- |', ...rows].join('\n'),
          'A branch that resolves to `~` or `!` is dropped and the others share its traffic; a `$` branch keeps its share and those requests fail.',
        ]),
        range: a.range(t),
      };
    }
    case 'alt':
      return {
        contents: md(['**Alternatives (`|`)**: tried left to right; the first that is not negative (`~`) is used.', 'A `!` stops the search (the request fails); so does `$` (no endpoints). Errors are not fallen back from either.']),
        range: a.range(t),
      };
    case 'weighted':
      return { contents: md([`**Ignored weight \`${t.weight.text}\`**`, 'Weights only apply between the branches of a `&` union. Finagle parses this one and drops it.']), range: a.range(t) };
    case 'neg':
      return { contents: md(['**`~` (negative)**: "not handled here". In `a | ~ | b` it is skipped; as a whole destination, earlier dentries and then the namers are tried.']), range: a.range(t) };
    case 'fail':
      return { contents: md(['**`!` (fail)**: the request fails at once; alternatives after it and earlier dentries are not tried.']), range: a.range(t) };
    case 'empty':
      return { contents: md(['**`$` (empty)**: exists but has no endpoints: requests fail with "no brokers available", and no fallback happens.']), range: a.range(t) };
    default:
      return undefined;
  }
}
