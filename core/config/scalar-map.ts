// Where each character of a YAML string value stands in the file: literal (`|`) and folded (`>`)
// block scalars, plain and quoted scalars, with YAML's folding and escapes undone. Dtabs embedded in
// configs are parsed from the value, and every diagnostic is mapped back through this.
//
// The value is rebuilt from the source with a map alongside, then compared with the value the
// YAML parser produced: if the two ever differ (a form not handled here), positions fall back to
// the scalar's start rather than pointing at a wrong character.

import type { Scalar } from 'yaml';

export interface ScalarMap {
  readonly value: string;
  /** Source offset of each value character; map[value.length] is just past the last. */
  readonly map: Int32Array;
  /** Where each value character's source ends (after a whole escape such as `\u00e9`). */
  readonly ends: Int32Array;
  /** False when the value could not be mapped exactly (positions point at the scalar). */
  readonly exact: boolean;
}

interface Builder {
  chars: string[];
  offs: number[];
  ends: number[];
}

function push(b: Builder, ch: string, at: number, end = at + 1): void {
  b.chars.push(ch);
  b.offs.push(at);
  b.ends.push(end);
}

/** Maps a span of the value to a span of the source. */
export function mapSpan(m: ScalarMap, start: number, end: number): { start: number; end: number } {
  const s = m.map[Math.min(start, m.value.length)]!;
  if (end <= start) return { start: s, end: s };
  const e = end - 1 < m.value.length ? m.ends[end - 1]! : m.map[m.value.length]!;
  return { start: s, end: Math.max(e, s) };
}

interface SourceToken {
  type: string;
  offset: number;
  indent: number;
  source: string;
  props?: { type: string; offset: number; source: string }[];
}

export function scalarMap(node: Scalar, text: string): ScalarMap {
  const value = String(node.value);
  const tok = (node as unknown as { srcToken?: SourceToken }).srcToken;
  let built: Builder | undefined;
  try {
    if (tok && tok.type === 'block-scalar') built = blockScalar(tok, text, node.type === 'BLOCK_FOLDED');
    else if (tok && tok.type === 'scalar') built = flowLines(tok.source, tok.offset, 'plain');
    else if (tok && tok.type === 'single-quoted-scalar') built = flowLines(tok.source.slice(1, -1), tok.offset + 1, 'single');
    else if (tok && tok.type === 'double-quoted-scalar') built = flowLines(tok.source.slice(1, -1), tok.offset + 1, 'double');
  } catch {
    built = undefined;
  }
  if (built) {
    // Chomping: the parser's value decides how many trailing newlines there are.
    let rebuilt = built.chars.join('');
    while (rebuilt.length > value.length && rebuilt.endsWith('\n')) {
      built.chars.pop();
      built.offs.pop();
      built.ends.pop();
      rebuilt = rebuilt.slice(0, -1);
    }
    if (rebuilt === value) {
      const map = new Int32Array(value.length + 1);
      built.offs.forEach((o, i) => (map[i] = o));
      map[value.length] = value.length > 0 ? built.ends[value.length - 1]! : (node.range?.[0] ?? 0);
      return { value, map, ends: Int32Array.from(built.ends), exact: true };
    }
  }
  const at = node.range?.[0] ?? 0;
  return { value, map: new Int32Array(value.length + 1).fill(at), ends: new Int32Array(value.length).fill(at + 1), exact: false };
}

interface Line {
  /** The line's text, without its line break (`\n` or `\r\n`). */
  text: string;
  start: number;
  /** Where its line break is, and where it ends (equal when the text ends without one). */
  breakAt: number;
  breakEnd: number;
}

/** Splits at `\n` and `\r\n`; offsets are `base` + position in `src`. */
function splitLines(src: string, base: number, keepLastEmpty: boolean): Line[] {
  const lines: Line[] = [];
  let pos = 0;
  while (pos < src.length || (keepLastEmpty && pos === src.length)) {
    const nl = src.indexOf('\n', pos);
    const end = nl < 0 ? src.length : nl;
    const cr = end > pos && src.charCodeAt(end - 1) === 0x0d ? 1 : 0;
    lines.push({ text: src.slice(pos, end - cr), start: base + pos, breakAt: base + end - cr, breakEnd: nl < 0 ? base + end : base + end + 1 });
    if (nl < 0) break;
    pos = end + 1;
  }
  return lines;
}

/** `|` and `>` block scalars: strip the content indentation; fold lines for `>`. */
function blockScalar(tok: SourceToken, text: string, folded: boolean): Builder {
  const props = tok.props ?? [];
  const last = props[props.length - 1];
  const bodyStart = last ? last.offset + last.source.length : tok.offset;
  const header = props.find((p) => p.type === 'block-scalar-header')?.source ?? '|';
  const body = text.slice(bodyStart, bodyStart + tok.source.length);
  const lines = splitLines(body, bodyStart, false);
  // Content indentation: an explicit indicator, else the first non-empty line's.
  const explicit = /[1-9]/.exec(header);
  let indent: number;
  if (explicit) indent = tok.indent + Number(explicit[0]);
  else {
    const first = lines.find((l) => l.text.trim() !== '');
    indent = first ? first.text.length - first.text.trimStart().length : 0;
  }
  const b: Builder = { chars: [], offs: [], ends: [] };
  if (!folded) {
    for (const l of lines) {
      const content = l.text.length > indent ? l.text.slice(indent) : '';
      for (let i = 0; i < content.length; i++) push(b, content[i]!, l.start + indent + i);
      push(b, '\n', l.breakAt, l.breakEnd);
    }
    return b;
  }
  // Folding: a line break between two plain lines becomes a space; empty lines are kept as
  // newlines (the break before them is dropped); breaks around more-indented lines are kept.
  let seenText = false;
  let pendingEmpty: Line[] = [];
  let prevBreak: Line | undefined;
  let prevMore = false;
  for (const l of lines) {
    const content = l.text.length > indent ? l.text.slice(indent) : '';
    if (content.trim() === '') {
      pendingEmpty.push(l);
      continue;
    }
    const more = /^[ \t]/.test(content);
    const br = (x: Line, ch = '\n') => push(b, ch, x.breakAt, x.breakEnd);
    if (seenText && prevBreak) {
      if (pendingEmpty.length > 0) {
        if (more || prevMore) br(prevBreak);
        for (const e of pendingEmpty) br(e);
      } else if (more || prevMore) br(prevBreak);
      else br(prevBreak, ' ');
    } else for (const e of pendingEmpty) br(e);
    pendingEmpty = [];
    for (let i = 0; i < content.length; i++) push(b, content[i]!, l.start + indent + i);
    seenText = true;
    prevMore = more;
    prevBreak = l;
  }
  if (seenText && prevBreak) push(b, '\n', prevBreak.breakAt, prevBreak.breakEnd);
  for (const e of pendingEmpty) push(b, '\n', e.breakAt, e.breakEnd);
  return b;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};

/**
 * Plain and quoted (flow) scalars: lines are trimmed and joined by a space, empty lines give
 * newlines; `''` in single quotes and backslash escapes in double quotes are undone.
 */
function flowLines(src: string, base: number, style: 'plain' | 'single' | 'double'): Builder {
  const b: Builder = { chars: [], offs: [], ends: [] };
  const lines = splitLines(src, base, true);
  let escapedBreak = false;
  let empties: Line[] = [];
  const last = lines.length - 1;
  lines.forEach((l, k) => {
    let text = l.text;
    let start = l.start;
    // Continuation lines lose their leading white space; all but the last lose trailing white space.
    if (k > 0) {
      const lead = text.length - text.replace(/^[ \t]+/, '').length;
      text = text.slice(lead);
      start += lead;
    }
    if (k < last && !(style === 'double' && /\\$/.test(text))) text = text.replace(/[ \t]+$/, '');
    if (k > 0) {
      if (text === '' && k < last) {
        empties.push(l);
        return;
      }
      // A line break folds into a space, or into one newline per empty line between.
      const prev = lines[k - 1]!;
      if (escapedBreak) escapedBreak = false;
      else if (empties.length > 0) for (const e of empties) push(b, '\n', e.breakAt, e.breakEnd);
      else push(b, ' ', prev.breakAt, prev.breakEnd);
      empties = [];
    }
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (style === 'single' && c === "'" && text[i + 1] === "'") {
        push(b, "'", start + i, start + i + 2);
        i++;
      } else if (style === 'double' && c === '\\') {
        const e = text[i + 1];
        if (e === undefined) {
          escapedBreak = true; // `\` at the end of a line joins it to the next without a space
          break;
        }
        if (e === 'x' || e === 'u' || e === 'U') {
          const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const code = parseInt(text.slice(i + 2, i + 2 + n), 16);
          // One entry per UTF-16 unit (offsets in the value are UTF-16): `\U0001F600` is two.
          const chars = String.fromCodePoint(code);
          for (let k = 0; k < chars.length; k++) push(b, chars[k]!, start + i, start + i + 2 + n);
          i += 1 + n;
        } else {
          const v = ESCAPES[e];
          if (v === undefined) throw new Error(`unknown escape \\${e}`);
          push(b, v, start + i, start + i + 2);
          i++;
        }
      } else push(b, c, start + i);
    }
  });
  return b;
}
