// Linkerd 1.x per-request headers, without I/O: the `l5d-dtab` override in the form Linkerd reads
// (Finagle's Dtab.show), the `l5d-err` encoding (java.net.URLEncoder over ISO-8859-1, as
// LinkerdHeaders.Err.respond writes it) and its decoding, what each l5d header on a response
// means, and bodies made readable. Sources: linkerd/linkerd@1.7.5
// linkerd/protocol/http/src/main/scala/com/twitter/finagle/buoyant/linkerd/LinkerdHeaders.scala.

import { Dtab, type Dentry } from '../model/dtab.js';
import { showDtab } from '../print/show.js';

/**
 * The `l5d-dtab` value for these dentries: Finagle's Dtab.show (one line, `;` between dentries,
 * no spaces around `=>`, no comments). Linkerd reads it back with Dtab.read.
 */
export function overrideHeader(dentries: Dentry | readonly Dentry[] | Dtab): string {
  if (dentries instanceof Dtab) return showDtab(dentries);
  return showDtab(new Dtab(Array.isArray(dentries) ? (dentries as readonly Dentry[]) : [dentries as Dentry]));
}

const HEX = '0123456789ABCDEF';

function urlSafe(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x2e || c === 0x2d || c === 0x2a || c === 0x5f;
}

/**
 * java.net.URLEncoder.encode(message, "ISO-8859-1"): letters, digits and `.-*_` as they are, a
 * space as `+`, every other character as `%XX` of its ISO-8859-1 byte; a character ISO-8859-1
 * cannot hold (a surrogate pair counts as one) becomes `?`, i.e. `%3F`.
 */
export function encodeL5dErr(message: string): string {
  let out = '';
  for (let i = 0; i < message.length; i++) {
    let c = message.charCodeAt(i);
    if (urlSafe(c)) out += message[i];
    else if (c === 0x20) out += '+';
    else {
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < message.length) {
        const d = message.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) i++;
      }
      if (c > 0xff) c = 0x3f;
      out += '%' + HEX[c >> 4] + HEX[c & 15];
    }
  }
  return out;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  return -1;
}

/**
 * The message of an `l5d-err` header: `+` is a space, `%XX` an ISO-8859-1 byte (one character).
 * A `%` not followed by two hex digits is kept as it is; never throws.
 */
export function decodeL5dErr(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (ch === '+') out += ' ';
    else if (ch === '%' && i + 2 < value.length && hexValue(value.charCodeAt(i + 1)) >= 0 && hexValue(value.charCodeAt(i + 2)) >= 0) {
      out += String.fromCharCode(hexValue(value.charCodeAt(i + 1)) * 16 + hexValue(value.charCodeAt(i + 2)));
      i += 2;
    } else out += ch;
  }
  return out;
}

export interface ExplainedHeader {
  readonly name: string;
  readonly value: string;
  /** What the header says, for l5d headers; absent for every other header. */
  readonly meaning?: string;
}

function meaningOf(name: string, value: string): string | undefined {
  switch (name.toLowerCase()) {
    case 'l5d-err':
      return `Linkerd made this response (an error of its own, not the application's): ${decodeL5dErr(value)}`;
    case 'l5d-dst-service':
      return `the logical name Linkerd identified the request as: ${value}`;
    case 'l5d-dst-client':
      return `the bound id (the client Linkerd sent the request to after delegation): ${value}`;
    case 'l5d-dst-residual':
      return `the residual path (what is left of the name after the bound id): ${value}`;
    case 'l5d-reqid':
      return `the root trace id of the request; as a Zipkin trace id: GET /api/v2/trace/${value}`;
    case 'l5d-retryable':
      return value === 'true'
        ? 'Linkerd says the request is safe to retry (it was not delivered to the application)'
        : 'Linkerd does not know the request to be safe to retry';
    case 'l5d-ctx-dtab':
      return `the local dtab (l5d-ctx-dtab then l5d-dtab) Linkerd passes on to the next Linkerd: ${value}`;
    case 'l5d-ctx-deadline':
      return 'the request deadline passed between Linkerds (timestamp and deadline, in nanoseconds since the epoch)';
    case 'l5d-ctx-trace':
      return 'the trace context passed between Linkerds (base64 of span id, parent id, trace id and flags)';
    case 'l5d-dtab':
      return `a dtab override (l5d-dtab): ${value}`;
    case 'l5d-sample':
      return `the trace sample rate asked for: ${value}`;
  }
  if (/^l5d-ctx-/i.test(name)) return 'context passed between Linkerds';
  return undefined;
}

/**
 * The headers of a response (in order as received, or as a map), each with what it means when it
 * is an l5d header; every other header is passed through with no meaning.
 */
export function explainResponseHeaders(headers: Readonly<Record<string, string>> | readonly (readonly [string, string])[]): ExplainedHeader[] {
  const list: readonly (readonly [string, string])[] = Array.isArray(headers) ? headers : Object.entries(headers as Readonly<Record<string, string>>);
  return list.map(([name, value]) => {
    const meaning = meaningOf(name, value);
    return meaning === undefined ? { name, value } : { name, value, meaning };
  });
}

/** Whether a Content-Type names JSON (`application/json`, `application/problem+json`, any parameters). */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' || (media.startsWith('application/') && media.endsWith('+json'));
}

/**
 * The body for people: JSON (by its Content-Type, and only if it parses) indented by two spaces,
 * its numbers and strings kept exactly as written (`1.0` stays `1.0`); anything else as it is.
 */
export function prettyBody(contentType: string | undefined, body: string): string {
  if (!isJsonContentType(contentType)) return body;
  try {
    JSON.parse(body);
  } catch {
    return body;
  }
  return reindentJson(body);
}

/** Re-indents valid JSON text token by token (never re-printing a number or a string). */
function reindentJson(text: string): string {
  let out = '';
  let depth = 0;
  const nl = () => '\n' + '  '.repeat(depth);
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (ch === '{' || ch === '[') {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j]!)) j++;
      const close = ch === '{' ? '}' : ']';
      if (text[j] === close) {
        out += ch + close;
        i = j;
      } else {
        depth++;
        out += ch + nl();
      }
    } else if (ch === '}' || ch === ']') {
      depth--;
      out += nl() + ch;
    } else if (ch === ',') out += ',' + nl();
    else if (ch === ':') out += ': ';
    else if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') continue;
    else out += ch;
  }
  return out;
}
