// A line diff with bounded work, printed as `diff -u` prints it (without timestamps): Myers'
// O(ND) algorithm on the lines between the common head and tail, stopped past `maxEdits` edits or
// `maxWork` units of work; past either, the whole changed middle is one replace (every old line
// removed, every new line added), which is still a correct diff, only not the shortest.

export interface DiffOptions {
  /** The names on the `---` and `+++` lines (default `a` and `b`). */
  readonly fromFile?: string;
  readonly toFile?: string;
  /** Unchanged lines around each change (default 3, as `diff -u`). */
  readonly context?: number;
  /** The most edits (D) Myers looks for before giving up (default 1,000). */
  readonly maxEdits?: number;
  /** The most work (diagonals visited, snake steps, trace cells) before giving up (default 10,000,000). */
  readonly maxWork?: number;
}

export type DiffOp = 'equal' | 'delete' | 'insert';

/** One line of the edit script: kept (in both), deleted (from `a`) or inserted (from `b`). */
export interface DiffLine {
  readonly op: DiffOp;
  readonly text: string;
}

/** Lines with their `\n` (the last one without, when the text does not end with one). */
export function splitLinesKeepEnds(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** The edit script from `a` to `b` (lines compared exactly), bounded as the options say. */
export function diffLines(a: readonly string[], b: readonly string[], options: DiffOptions = {}): DiffLine[] {
  // Lines as numbers: one comparison each.
  const ids = new Map<string, number>();
  const intern = (l: string): number => {
    let v = ids.get(l);
    if (v === undefined) ids.set(l, (v = ids.size));
    return v;
  };
  const A = Int32Array.from(a, intern);
  const B = Int32Array.from(b, intern);
  let head = 0;
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: past either end an Int32Array reads undefined, never equal to a line id, so the bounds only stop a loop the comparison stops anyway
  while (head < A.length && head < B.length && A[head] === B[head]) head++;
  let tail = 0;
  while (tail < A.length - head && tail < B.length - head && A[A.length - 1 - tail] === B[B.length - 1 - tail]) tail++;
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ op: 'equal', text: a[i]! });
  const mid = myers(A.subarray(head, A.length - tail), B.subarray(head, B.length - tail), options.maxEdits ?? 1_000, options.maxWork ?? 10_000_000);
  if (mid === undefined) {
    for (let i = head; i < a.length - tail; i++) out.push({ op: 'delete', text: a[i]! });
    for (let j = head; j < b.length - tail; j++) out.push({ op: 'insert', text: b[j]! });
  } else {
    let i = head;
    let j = head;
    for (const op of mid) {
      if (op === 'equal') {
        out.push({ op, text: a[i++]! });
        j++;
      } else if (op === 'delete') out.push({ op, text: a[i++]! });
      else out.push({ op, text: b[j++]! });
    }
  }
  for (let i = a.length - tail; i < a.length; i++) out.push({ op: 'equal', text: a[i]! });
  return out;
}

/**
 * Myers' greedy forward search, keeping each round's frontier (only the diagonals it can reach)
 * for the walk back. Undefined when the edits or the work exceed the caps.
 */
function myers(A: Int32Array, B: Int32Array, maxEdits: number, maxWork: number): DiffOp[] | undefined {
  const n = A.length;
  const m = B.length;
  if (n === 0 || m === 0) {
    const ops: DiffOp[] = [];
    for (let i = 0; i < n; i++) ops.push('delete');
    for (let j = 0; j < m; j++) ops.push('insert');
    return ops;
  }
  const max = n + m;
  const off = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d] holds v[k] for k in [-d-1, d+1] as it was before round d.
  const trace: Int32Array[] = [];
  let work = 0;
  for (let d = 0; d <= max; d++) {
    if (d > maxEdits) return undefined;
    trace.push(v.slice(off - d - 1, off + d + 2));
    work += 2 * d + 3;
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!) ? v[off + k + 1]! : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < n && y < m && A[x] === B[y]) {
        x++;
        y++;
        work++;
      }
      v[off + k] = x;
      work++;
      if (work > maxWork) return undefined;
      if (x >= n && y >= m) return walkBack(trace, n, m);
    }
  }
  return undefined;
}

function walkBack(trace: readonly Int32Array[], n: number, m: number): DiffOp[] {
  const rev: DiffOp[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const t = trace[d]!;
    const at = (k: number): number => t[k + d + 1]!;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      rev.push('equal');
      x--;
      y--;
    }
    if (d > 0) rev.push(x === prevX ? 'insert' : 'delete');
    x = prevX;
    y = prevY;
  }
  return rev.reverse();
}

/** `diff -u a b` without timestamps; empty when the texts are the same. */
export function unifiedDiff(a: string, b: string, options: DiffOptions = {}): string {
  // Stryker disable next-line ConditionalExpression: a fast path: the same texts give a script with no change, and the check on `changes` below returns '' too
  if (a === b) return '';
  const context = Math.max(0, options.context ?? 3);
  const script = diffLines(splitLinesKeepEnds(a), splitLinesKeepEnds(b), options);
  // Where each change run starts and ends in the script.
  const changes: { start: number; end: number }[] = [];
  for (let i = 0; i < script.length; ) {
    if (script[i]!.op === 'equal') {
      i++;
      continue;
    }
    const start = i;
    while (i < script.length && script[i]!.op !== 'equal') i++;
    changes.push({ start, end: i });
  }
  // Stryker disable next-line ConditionalExpression,StringLiteral: unreachable: different texts split into different lines, so the script holds a change
  if (changes.length === 0) return '';
  // Line numbers in a and b before each script position.
  const aLine = new Int32Array(script.length + 1);
  const bLine = new Int32Array(script.length + 1);
  for (let i = 0; i < script.length; i++) {
    const op = script[i]!.op;
    aLine[i + 1] = aLine[i]! + (op === 'insert' ? 0 : 1);
    bLine[i + 1] = bLine[i]! + (op === 'delete' ? 0 : 1);
  }
  let out = `--- ${options.fromFile ?? 'a'}\n+++ ${options.toFile ?? 'b'}\n`;
  for (let c = 0; c < changes.length; ) {
    // Changes whose gap is at most twice the context share a hunk (as diff -u does).
    let last = c;
    while (last + 1 < changes.length && changes[last + 1]!.start - changes[last]!.end <= 2 * context) last++;
    const from = Math.max(0, changes[c]!.start - context);
    const to = Math.min(script.length, changes[last]!.end + context);
    const aCount = aLine[to]! - aLine[from]!;
    const bCount = bLine[to]! - bLine[from]!;
    out += `@@ -${range(aLine[from]!, aCount)} +${range(bLine[from]!, bCount)} @@\n`;
    let i = from;
    while (i < to) {
      const op = script[i]!.op;
      if (op === 'equal') {
        out += line(' ', script[i]!.text);
        i++;
        continue;
      }
      // A change run: every removed line, then every added one.
      let end = i;
      while (end < to && script[end]!.op !== 'equal') end++;
      for (let k = i; k < end; k++) if (script[k]!.op === 'delete') out += line('-', script[k]!.text);
      for (let k = i; k < end; k++) if (script[k]!.op === 'insert') out += line('+', script[k]!.text);
      i = end;
    }
    c = last + 1;
  }
  return out;
}

/** `l,n` as diff -u writes a range starting after line `before` (0-based count of lines before it). */
function range(before: number, count: number): string {
  if (count === 0) return `${before},0`;
  if (count === 1) return `${before + 1}`;
  return `${before + 1},${count}`;
}

function line(mark: string, text: string): string {
  return text.endsWith('\n') ? mark + text : `${mark}${text}\n\\ No newline at end of file\n`;
}
