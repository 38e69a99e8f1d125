// A three-way merge of dtab texts, dentry by dentry: for "someone pushed to namerd while you
// edited". `base` is the dtab you started from, `theirs` what namerd holds now, `yours` your text.
//
// Rules:
// - The units are dentries. A dentry is known by its prefix (Prefix.show) and which occurrence of
//   that prefix it is (a dtab may repeat a prefix: the 1st `/svc`, the 2nd `/svc`, …); its value
//   is its destination as parsed (structure, leaves and exact weights: spacing, comments,
//   parentheses around a single tree and the written form of numbers do not matter).
// - A dentry only one side changed (edited, added or removed) takes that side's change. A dentry
//   both sides changed the same way (the same destination, or both removed it) is taken once.
// - A dentry both sides changed differently (including one side removing it and the other editing
//   it, or both adding the same prefix with different destinations) is a conflict: git-style
//   markers around it, `<<<<<<< yours`, `||||||| base`, `=======`, `>>>>>>> theirs (namerd)`,
//   each side's dentry (nothing for a side that removed it) ending with `;`. VS Code's merge
//   CodeLenses act on these.
// - The order is yours. A dentry theirs added goes after its predecessor in theirs (the nearest
//   earlier dentry of theirs that yours also has, or after the dentries theirs added just before
//   it), on the line after it; with no predecessor, before your first dentry. A reorder made only
//   by theirs is not taken (order follows yours); a reorder made by yours is kept.
// - Your text is kept as it is around the dentries: comments, blank lines, layout. A dentry taken
//   from theirs is written as theirs wrote it. A dentry removed from a line of its own takes its
//   line with it; comments stay.
// - If any of the three texts has syntax errors, no dentry-level merge is tried: unless the texts
//   settle it (two are the same), the whole of yours and theirs is one conflict.
// The walks are linear in the number of dentries; nothing recurses on input depth.

import { parseDtab } from '../syntax/parser.js';
import { lowerPrefix, lowerTree } from '../syntax/lower.js';
import type { DentrySyntax, DtabSyntax } from '../syntax/ast.js';
import { TOKEN_TEXT, type NameTree } from '../model/nametree.js';
import type { Path } from '../model/path.js';
import { showPath, showPrefix } from '../print/show.js';

export interface MergeResult {
  readonly text: string;
  /** How many conflict blocks the text holds. */
  readonly conflicts: number;
}

export const CONFLICT_YOURS = '<<<<<<< yours';
export const CONFLICT_BASE = '||||||| base';
export const CONFLICT_SEPARATOR = '=======';
export const CONFLICT_THEIRS = '>>>>>>> theirs (namerd)';

interface Unit {
  readonly key: string;
  /** The destination as parsed, as one comparable string. */
  readonly value: string;
  /** The dentry's text without its `;`, and the text from its end through its `;` (e.g. ` ;`). */
  readonly body: string;
  readonly semi: string;
  readonly start: number;
  /** Past the `;` when there is one, else past the dentry. */
  readonly end: number;
}

function units(syntax: DtabSyntax): Unit[] {
  const seen = new Map<string, number>();
  const out: Unit[] = [];
  for (const e of syntax.entries) {
    // Stryker disable next-line ConditionalExpression: the only other entry kind, 'broken', comes with a syntax error, and mergeDtabs returns before units() then
    if (e.kind !== 'dentry') continue;
    const prefix = showPrefix(lowerPrefix(e.prefix));
    const n = (seen.get(prefix) ?? 0) + 1;
    seen.set(prefix, n);
    out.push(unit(syntax.text, e, `${prefix}#${n}`));
  }
  return out;
}

function unit(text: string, d: DentrySyntax, key: string): Unit {
  const end = d.semicolon ? d.semicolon.end : d.end;
  return { key, value: treeKey(lowerTree(d.dst)), body: text.slice(d.start, d.end), semi: text.slice(d.end, end), start: d.start, end };
}

/** The tree as one string: structure, paths and exact weights (iterative). */
function treeKey(tree: NameTree<Path>): string {
  // Stryker disable next-line StringLiteral: a constant start of every key leaves which keys are equal unchanged
  let out = '';
  const stack: (string | NameTree<Path>)[] = [tree];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (typeof x === 'string') {
      out += x;
      continue;
    }
    switch (x.type) {
      case 'leaf':
        out += showPath(x.value);
        break;
      case 'neg':
      case 'fail':
      case 'empty':
        out += TOKEN_TEXT[x.type];
        break;
      case 'alt':
        out += 'alt(';
        stack.push(')');
        for (let i = x.trees.length - 1; i >= 0; i--) {
          stack.push(x.trees[i]!);
          if (i > 0) stack.push(',');
        }
        break;
      case 'union':
        out += 'union(';
        stack.push(')');
        for (let i = x.trees.length - 1; i >= 0; i--) {
          stack.push(x.trees[i]!.tree);
          stack.push(`${x.trees[i]!.weight}*`);
          if (i > 0) stack.push(',');
        }
        break;
    }
  }
  return out;
}

/** The dentry's text ending with `;`. */
function withSemi(u: Unit): string {
  return u.semi !== '' ? u.body + u.semi : u.body + ';';
}

/** What becomes of one of your dentries. */
type Fate = { readonly kind: 'keep' } | { readonly kind: 'replace'; readonly by: Unit } | { readonly kind: 'remove' } | { readonly kind: 'conflict'; readonly lines: string[] };

function conflictLines(y: Unit | undefined, b: Unit | undefined, t: Unit | undefined): string[] {
  const side = (u: Unit | undefined) => (u ? [withSemi(u)] : []);
  return [CONFLICT_YOURS, ...side(y), CONFLICT_BASE, ...side(b), CONFLICT_SEPARATOR, ...side(t), CONFLICT_THEIRS];
}

export function mergeDtabs(base: string, theirs: string, yours: string): MergeResult {
  if (yours === theirs || theirs === base) return { text: yours, conflicts: 0 };
  if (yours === base) return { text: theirs, conflicts: 0 };
  const sb = parseDtab(base);
  const st = parseDtab(theirs);
  const sy = parseDtab(yours);
  if (sb.errors.length > 0 || st.errors.length > 0 || sy.errors.length > 0) {
    const nl = (s: string) => (s === '' || s.endsWith('\n') ? s : s + '\n');
    return { text: `${CONFLICT_YOURS}\n${nl(yours)}${CONFLICT_BASE}\n${nl(base)}${CONFLICT_SEPARATOR}\n${nl(theirs)}${CONFLICT_THEIRS}\n`, conflicts: 1 };
  }
  const ub = units(sb);
  const ut = units(st);
  const uy = units(sy);
  const B = new Map(ub.map((u) => [u.key, u]));
  const T = new Map(ut.map((u) => [u.key, u]));
  const Y = new Map(uy.map((u, i) => [u.key, { u, i }]));
  let conflicts = 0;

  // Your dentries.
  const fates: Fate[] = uy.map((y) => {
    const b = B.get(y.key);
    const t = T.get(y.key);
    if (b) {
      if (t && t.value === b.value) return { kind: 'keep' };
      if (y.value === b.value) return t ? { kind: 'replace', by: t } : { kind: 'remove' };
      if (t && t.value === y.value) return { kind: 'keep' };
    } else if (!t || t.value === y.value) return { kind: 'keep' };
    conflicts++;
    return { kind: 'conflict', lines: conflictLines(y, b, t) };
  });

  // Theirs' dentries you do not have: added by them, or removed by you (a conflict if they changed it).
  // Grouped by where they go: after your dentry i (-1: before your first).
  const inserts = new Map<number, string[][]>();
  let anchor = -1;
  for (const t of ut) {
    const y = Y.get(t.key);
    if (y) {
      anchor = y.i;
      continue;
    }
    const b = B.get(t.key);
    let block: string[] | undefined;
    if (!b) block = [withSemi(t)];
    else if (b.value !== t.value) {
      conflicts++;
      block = conflictLines(undefined, b, t);
    }
    if (!block) continue;
    let group = inserts.get(anchor);
    if (!group) inserts.set(anchor, (group = []));
    group.push(block);
  }

  return { text: render(yours, uy, fates, inserts), conflicts };
}

/** Your text with the fates applied and the insertions placed. */
function render(text: string, uy: readonly Unit[], fates: readonly Fate[], inserts: ReadonlyMap<number, string[][]>): string {
  const lines = (blocks: readonly string[][] | undefined): string => (blocks ?? []).map((b) => b.join('\n') + '\n').join('');
  if (uy.length === 0) {
    const more = lines(inserts.get(-1));
    return more === '' ? text : text + (text === '' || text.endsWith('\n') ? '' : '\n') + more;
  }
  // Whether some dentry is written after your dentry i (then it needs its `;`).
  // Stryker disable next-line ArrayDeclaration,BooleanLiteral: the loop below writes every element before any is read
  const laterDentry: boolean[] = new Array<boolean>(uy.length).fill(false);
  let seen = false;
  for (let i = uy.length - 1; i >= 0; i--) {
    laterDentry[i] = seen || (inserts.get(i)?.length ?? 0) > 0;
    if (fates[i]!.kind !== 'remove' || (inserts.get(i)?.length ?? 0) > 0) seen = true;
  }
  let out = text.slice(0, uy[0]!.start);
  const before = inserts.get(-1);
  if (before) {
    // On the lines before your first dentry's, which keeps its indentation.
    const indent = /[ \t]*$/.exec(out)![0];
    out = out.slice(0, out.length - indent.length);
    if (out !== '' && !out.endsWith('\n')) out += '\n';
    out += lines(before) + indent;
  }
  const atLineStart = (): boolean => /\n[ \t]*$/.test(out) || /^[ \t]*$/.test(out);
  for (let i = 0; i < uy.length; i++) {
    const u = uy[i]!;
    const fate = fates[i]!;
    let gap = text.slice(u.end, i + 1 < uy.length ? uy[i + 1]!.start : text.length);
    switch (fate.kind) {
      case 'keep':
        out += u.body + (u.semi !== '' ? u.semi : laterDentry[i] ? ';' : '');
        break;
      case 'replace':
        out += fate.by.body + (fate.by.semi !== '' ? fate.by.semi : laterDentry[i] ? ';' : '');
        break;
      case 'remove':
        // A dentry alone on its line takes the line with it.
        if (atLineStart()) {
          const m = /^[ \t]*\n/.exec(gap);
          if (m) {
            out = out.replace(/[ \t]*$/, '');
            gap = gap.slice(m[0].length);
          }
        }
        break;
      case 'conflict': {
        // The block on lines of its own: no trailing blanks left on the line before it.
        out = out.replace(/[ \t]*$/, '');
        if (!atLineStart()) out += '\n';
        // A comment after your dentry on its line stays with it, on your side of the block.
        const lines = [...fate.lines];
        // (Blanks after it on its line are dropped: the block ends the line.)
        const rest = /^[ \t]*(#[^\n]*)?/.exec(gap)!;
        if (rest[1] !== undefined) lines[1] += rest[0];
        gap = gap.slice(rest[0].length);
        out += lines.join('\n');
        if (!gap.startsWith('\n') && !gap.startsWith('\r\n')) gap = '\n' + gap;
        break;
      }
    }
    const group = inserts.get(i);
    if (!group) {
      out += gap;
      continue;
    }
    // Theirs' additions go on the lines right after this one.
    const nl = gap.indexOf('\n');
    if (nl >= 0) out += gap.slice(0, nl + 1) + lines(group) + gap.slice(nl + 1);
    else if (i + 1 < uy.length) out += '\n' + lines(group) + gap;
    // After your last dentry: what follows it on its line (a comment) stays there; no newline added at the end.
    else out += gap + '\n' + lines(group).slice(0, -1);
  }
  return out;
}
