// Unknown words in configs (keys, `kind` and `protocol` values): the known word that was probably
// meant, and the characters that cannot be seen or only look like ASCII, named, so that a message
// never suggests `http` for a `http` that has a NUL or a Cyrillic letter in it.

import { LOOKALIKES } from '../syntax/chars.js';

/** Words longer than this get no suggestion (no key or kind is nearly this long). */
const MAX_WORD = 64;

/** Levenshtein distance, two rows. */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let cur = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** The closest known name, if it is close enough to be what was meant. */
export function didYouMean(word: string, known: readonly string[]): string | undefined {
  if (word.length > MAX_WORD) return undefined;
  const lower = word.toLowerCase();
  const exactCase = known.find((k) => k.toLowerCase() === lower);
  if (exactCase) return exactCase;
  let best: string | undefined;
  let bestD = Infinity;
  for (const k of known) {
    if (Math.abs(k.length - lower.length) >= bestD) continue;
    const dd = distance(lower, k.toLowerCase());
    if (dd < bestD) {
      bestD = dd;
      best = k;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 4)) ? best : undefined;
}

/** Characters that show as nothing, or as a space: controls, format characters, odd spaces, lone surrogates. */
const INVISIBLE =
  // eslint-disable-next-line no-control-regex, no-misleading-character-class -- matching these characters is the point
  /[\u0000-\u001f\u007f-\u00a0\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufffb]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

// eslint-disable-next-line no-misleading-character-class -- the same characters, one at a time
const INVISIBLE_CHAR = new RegExp(INVISIBLE.source);

const C0 = ['NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'tab', 'line feed', 'VT', 'form feed', 'carriage return', 'SO', 'SI', 'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US'];
const NAMES: Record<number, string> = {
  0x7f: 'DEL',
  0x85: 'next line',
  0xad: 'soft hyphen',
  0x200b: 'zero-width space',
  0x200c: 'zero-width non-joiner',
  0x200d: 'zero-width joiner',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
  0x2060: 'word joiner',
  0xfeff: 'zero-width no-break space',
};

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/** `U+0000 (NUL)`, `no-break space (U+00A0)`, `` `р` (U+0440) ``. */
function nameOf(ch: string): string {
  const c = ch.codePointAt(0)!;
  const look = LOOKALIKES.get(c);
  if (look) return look.name;
  const name = c < 0x20 ? C0[c] : NAMES[c];
  if (name) return `${hex(c)} (${name})`;
  if (INVISIBLE_CHAR.test(ch)) return hex(c);
  return `\`${ch}\` (${hex(c)})`;
}

/** Text with its invisible characters written as escapes (`\n`, `\t`, `\u0000`), for messages. */
export function visible(text: string): string {
  return text.replace(INVISIBLE, (ch) => {
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    if (ch === '\r') return '\\r';
    return `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

/**
 * For an unknown word: the known word meant, and, when the word has characters outside printable
 * ASCII, a sentence naming them (then the suggestion is never a bare "Did you mean", which would
 * show the same-looking word).
 */
export function unknownWord(word: string, known: readonly string[]): { guess: string | undefined; hint: string } {
  const odd: string[] = [];
  for (const ch of word) if (!/^[\x21-\x7e]$/.test(ch) && !odd.includes(ch)) odd.push(ch);
  if (odd.length === 0) {
    const guess = didYouMean(word, known);
    return { guess, hint: guess ? ` Did you mean \`${guess}\`?` : '' };
  }
  // Without the invisible characters, and with the lookalikes replaced, which known word is it?
  let cleaned = '';
  let replaced = false;
  for (const ch of word) {
    const look = LOOKALIKES.get(ch.codePointAt(0)!);
    if (look) {
      cleaned += look.replacement;
      replaced ||= look.replacement !== '';
    } else if (!INVISIBLE_CHAR.test(ch)) cleaned += ch;
  }
  const guess = cleaned === '' ? undefined : didYouMean(cleaned, known);
  const names = odd.slice(0, 3).map(nameOf);
  const listed = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  const more = odd.length > 3 ? ` (and ${odd.length - 3} more)` : '';
  const it = odd.length === 1 ? 'it' : 'them';
  const what = odd.length === 1 ? 'the character' : 'the characters';
  const tail = !guess
    ? ''
    : guess !== cleaned
      ? `; the closest known name is \`${guess}\``
      : replaced
        ? `; in plain ASCII, it is \`${guess}\``
        : `: without ${it}, it is \`${guess}\``;
  return { guess, hint: ` It contains ${what} ${listed}${more}${tail}.` };
}

/** A word or value for a message: long ones are cut in the middle (a message is one line to read). */
export function shorten(text: string, max = 100): string {
  if (text.length <= max) return text;
  const head = Math.floor(max * 0.7);
  return `${text.slice(0, head)}…${text.slice(text.length - (max - head - 1))}`;
}
