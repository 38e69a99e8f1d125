// Hover: what a dentry does in plain words, union weights as shares of traffic, what `|`, `!`,
// `~`, `$` mean, namer documentation, on a path where it is delegated and where it routes, and on
// a syntax error, Finagle's own words. Markdown, written for people; Finagle's forms only where
// users copy them (dentries and paths as written).

import type { Interpreter } from '../delegate/interpreter.js';
import type { DelegateTree } from '../delegate/delegate-tree.js';
import { primaryNodes } from '../delegate/explain.js';
import { describeAddr, describeBound, formatShare } from '../delegate/render.js';
import { explainDentry, namerDoc, unionShares } from '../explain.js';
import { showPath } from '../print/show.js';
import type { Span } from '../syntax/ast.js';
import { locate, type Located } from '../syntax/locate.js';
import type { DtabAnalysis } from './analysis.js';

export interface HoverResult {
  readonly markdown: string;
  readonly span: Span;
}

/**
 * Text for Markdown that shows as written: what comes from a cluster, a snapshot or an error
 * (a node name, an API's message) can hold Markdown or HTML (`![x](https://…)` would load an image).
 */
export function escapeMarkdown(text: string): string {
  // What can start a link or an image (`[`, `]`, `!`), HTML (`<`, `>`, `&`), code, emphasis or a table cell.
  return text.replace(/[\\`*_[\]!|<>&]/g, '\\$&');
}

/** A fenced code block that its content cannot close: the fence is longer than any run of backticks in it. */
export function fenced(lang: string, content: string): string {
  let longest = 0;
  for (const m of content.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${lang}\n${content}\n${fence}`;
}

function md(parts: (string | undefined)[]): string {
  return parts.filter((l): l is string => l !== undefined).join('\n\n');
}


/**
 * `clusterNote` (where cluster data came from and how fresh it is) is added to a path's delegation
 * when a leaf was bound by a configured (`/#/`) namer.
 */
export async function hover(
  a: DtabAnalysis,
  offset: number,
  interpreter: Interpreter,
  clusterNote?: string,
  whyNegative?: (path: readonly string[]) => Promise<string | undefined>,
): Promise<HoverResult | undefined> {
  const chain = locate(a.syntax, offset);
  const entry = chain[0];
  if (!entry || entry.kind !== 'entry') return undefined;
  // The syntax error under the cursor: the entry's own, or the one of the entry before it, whose
  // error can lie where this one starts (`/a => /b\n/c`: the missing `;` is reported at `/c`).
  for (const i of [entry.index, entry.index - 1]) {
    const broken = a.syntax.entries[i];
    if (broken?.kind !== 'broken') continue;
    const e = broken.error;
    if (offset < e.span.start - 1 || offset > Math.max(e.span.end, e.span.start + 1)) continue;
    return { markdown: md(['**Syntax error**', e.plain, `Finagle: \`${e.elidedFinagleMessage(120).replace(/`/g, "'")}\``]), span: e.span };
  }
  if (entry.node.kind === 'broken') return undefined;
  const index = a.dentries.indexOf(entry.node);
  const inner = chain[chain.length - 1]!;
  const inDst = chain.some((l) => l.kind === 'tree');
  if (inDst) {
    const h = await hoverDestination(a, chain, inner, interpreter, clusterNote, whyNegative);
    if (h) return h;
  }
  const span = inDst ? entry.node.dst : entry.node.prefix;
  return { markdown: md(dentryLines(a, index)), span: { start: span.start, end: span.end } };
}

function dentryLines(a: DtabAnalysis, index: number): string[] {
  const ex = explainDentry(a.dtab, index);
  const ref = (j: number) => `line ${a.lineOf(j)} (\`${a.dentryText(j)}\`)`;
  const lines = [`**\`${a.dentryText(index)}\`**`, ex.summary];
  if (ex.overrides.length > 0)
    lines.push(`Later dentries are tried first: for these requests this one is tried before ${ex.overrides.map(ref).join(', ')}, which ${ex.overrides.length > 1 ? 'are' : 'is'} only used if this one is negative.`);
  if (ex.overriddenBy.length > 0) lines.push(`${ex.overriddenBy.map(ref).join(', ')} ${ex.overriddenBy.length > 1 ? 'come' : 'comes'} later and ${ex.overriddenBy.length > 1 ? 'are' : 'is'} tried before this one.`);
  return lines;
}

/** At most this many lines of a delegation in a hover. */
const MAX_LINES = 30;

/** The delegation as indented lines for people: each step's name, share, and where it came from. */
export function delegationLines(a: DtabAnalysis, tree: DelegateTree, reasons: ReadonlyMap<DelegateTree, string> = new Map()): string[] {
  const primary = primaryNodes(tree);
  const lines: string[] = [];
  const stack: { t: DelegateTree; indent: string; share: string }[] = [{ t: tree, indent: '', share: '' }];
  while (stack.length > 0 && lines.length <= MAX_LINES) {
    const { t, indent, share } = stack.pop()!;
    const via = t.dentry ? `   (line ${a.lineOf(t.dentry.index)})` : '';
    const words = reasons.has(t) ? `${showPath(t.path)}: negative, ${reasons.get(t)}` : nodeWords(t);
    lines.push(`${primary.has(t) ? '→' : ' '} ${indent}${share}${words}${via}`);
    const inner = indent + '  ';
    if (t.type === 'delegate') stack.push({ t: t.delegate, indent: inner, share: '' });
    else if (t.type === 'transformation') stack.push({ t: t.tree, indent: inner, share: 'before: ' });
    else if (t.type === 'alt') for (let i = t.alt.length - 1; i >= 0; i--) stack.push({ t: t.alt[i]!, indent: inner, share: i > 0 ? 'else ' : '' });
    else if (t.type === 'union') {
      const shares = unionShares(t.union.map((w) => w.weight));
      for (let i = t.union.length - 1; i >= 0; i--) stack.push({ t: t.union[i]!.tree, indent: inner, share: `${formatShare(shares[i]!)} ` });
    }
  }
  if (lines.length > MAX_LINES) {
    lines.length = MAX_LINES;
    lines.push('  … (more steps: use "Dtab: Delegate path…" for the whole tree)');
  }
  return lines;
}

/** Whether a configured (`/#/`) namer bound a leaf of the tree. */
export function boundByNamer(root: DelegateTree): boolean {
  const stack: DelegateTree[] = [root];
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (t.type === 'leaf' && t.bound.id[0] === '#') return true;
    if (t.type === 'delegate') stack.push(t.delegate);
    else if (t.type === 'transformation') stack.push(t.tree);
    else if (t.type === 'alt') for (const c of t.alt) stack.push(c);
    else if (t.type === 'union') for (const w of t.union) stack.push(w.tree);
  }
  return false;
}

function nodeWords(t: DelegateTree): string {
  const path = showPath(t.path);
  switch (t.type) {
    case 'delegate':
      return path;
    case 'alt':
      return `${path}: the first that is not negative`;
    case 'union':
      return `${path}: split by weight`;
    case 'leaf':
      return `${showPath([...t.bound.id, ...t.bound.residual])}: ${describeAddr(t.bound.addr)}`;
    case 'neg':
      if (t.path.length === 0) return '~ (negative)';
      if (t.path.length >= 2 && t.path[0] === '#') return `${path}: negative, no namer has this name`;
      return `${path}: negative, nothing matches`;
    case 'fail':
      return `${t.path.length >= 2 && t.path[0] === '$' && t.path[1] === 'fail' ? path : '!'}: fails`;
    case 'empty':
      return `${path}: no endpoints`;
    case 'exception':
      return `${path}: error: ${t.message}`;
    case 'transformation':
      return `${showPath(t.bound.id)}: ${describeAddr(t.bound.addr)} (${t.name})`;
  }
}

async function hoverDestination(
  a: DtabAnalysis,
  chain: Located[],
  inner: Located,
  interpreter: Interpreter,
  clusterNote?: string,
  whyNegative?: (path: readonly string[]) => Promise<string | undefined>,
): Promise<HoverResult | undefined> {
  const node = inner.kind === 'label' ? chain[chain.length - 2]! : inner;
  const spanOf = (s: Span) => ({ start: s.start, end: s.end });
  if (node.kind === 'path') {
    const path = node.node.labels.map((l) => l.value);
    const doc = namerDoc(path);
    if (doc && path.length <= 2) {
      return {
        markdown: md([`**${doc.system ? 'System namer' : 'Namer'}** \`${doc.shape}\``, doc.doc, doc.system ? 'Built into Linkerd: no configuration needed.' : 'Answers only if a namer of this kind is configured in linkerd (or namerd).']),
        span: spanOf(node.node),
      };
    }
    let text: string;
    try {
      const tree = await interpreter.delegate(a.dtab, path);
      let bound: string;
      try {
        bound = describeBound(await interpreter.bind(a.dtab, path)).map((l) => `- ${escapeMarkdown(l)}`).join('\n');
      } catch (e) {
        bound = `- fails: ${escapeMarkdown((e as Error).message)}`;
      }
      const reasons = new Map<DelegateTree, string>();
      if (whyNegative) {
        const stack: DelegateTree[] = [tree];
        while (stack.length > 0 && reasons.size < MAX_LINES) {
          const t = stack.pop()!;
          if (t.type === 'neg' && t.path[0] === '#') {
            const why = await whyNegative(t.path);
            if (why) reasons.set(t, why);
          } else if (t.type === 'delegate') stack.push(t.delegate);
          else if (t.type === 'transformation') stack.push(t.tree);
          else if (t.type === 'alt') for (const c of t.alt) stack.push(c);
          else if (t.type === 'union') for (const w of t.union) stack.push(w.tree);
        }
      }
      text = md([fenced('text', delegationLines(a, tree, reasons).join('\n')), `**Routes to**\n\n${bound}`, clusterNote && boundByNamer(tree) ? `Cluster: ${escapeMarkdown(clusterNote)}` : undefined]);
    } catch (e) {
      text = `Delegation fails: ${escapeMarkdown((e as Error).message)}`;
    }
    const head = `**\`${a.text.slice(node.node.start, node.node.end)}\`** in this dtab${doc ? ` (${doc.system ? 'system namer' : 'namer'} \`${doc.shape}\`)` : ''}`;
    return { markdown: md([head, text]), span: spanOf(node.node) };
  }
  if (node.kind !== 'tree') return undefined;
  const t = node.node;
  switch (t.kind) {
    case 'union': {
      const shares = unionShares(t.branches.map((b) => (b.weight ? b.weight.value : 1)));
      const src = a.text;
      const rows = t.branches.map((b, i) => `| ${formatShare(shares[i]!)} | ${b.weight ? b.weight.text : '1 (default)'} | \`${src.slice(b.tree.start, b.tree.end)}\` |`);
      return {
        markdown: md([
          '**Union (`&`)**: each request goes to one branch, chosen at random by weight.',
          ['| share | weight | branch |', '| ---: | ---: | --- |', ...rows].join('\n'),
          'A branch that resolves to `~` or `!` is dropped and the others share its traffic; a `$` branch keeps its share and those requests fail.',
        ]),
        span: spanOf(t),
      };
    }
    case 'alt':
      return {
        markdown: md(['**Alternatives (`|`)**: tried left to right; the first that is not negative (`~`) is used.', 'A `!` stops the search (the request fails); so does `$` (no endpoints). Errors are not fallen back from either.']),
        span: spanOf(t),
      };
    case 'weighted':
      return { markdown: md([`**Ignored weight \`${t.weight.text}\`**`, 'Weights only apply between the branches of a `&` union. Finagle parses this one and drops it.']), span: spanOf(t) };
    case 'neg':
      return { markdown: md(['**`~` (negative)**: "not handled here". In `a | ~ | b` it is skipped; as a whole destination, earlier dentries and then the namers are tried.']), span: spanOf(t) };
    case 'fail':
      return { markdown: md(['**`!` (fail)**: the request fails at once; alternatives after it and earlier dentries are not tried.']), span: spanOf(t) };
    case 'empty':
      return { markdown: md(['**`$` (empty)**: exists but has no endpoints: requests fail with "no brokers available", and no fallback happens.']), span: spanOf(t) };
    default:
      return undefined;
  }
}
