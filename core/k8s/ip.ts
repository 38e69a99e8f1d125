// IP literals as the JVM reads and prints them (InetAddress.getByName / getHostAddress), for the
// k8s namers (endpoint IPs) and transformers (same-/24 tests). No DNS: hosts that are not IP
// literals are left alone.

import { parseIPv4Literal } from '../model/inet.js';

/** The bytes of an IP literal (4 for IPv4, 16 for IPv6), as Java's InetAddress holds them; undefined if not a literal. */
export function ipBytes(text: string): number[] | undefined {
  const v4 = parseIPv4Literal(text);
  if (v4 !== undefined) return v4.split('.').map(Number);
  const v6 = parseIPv6(text);
  if (v6 === undefined) return undefined;
  // Java turns an IPv4-mapped IPv6 literal (::ffff:a.b.c.d) into an Inet4Address.
  if (v6.bytes.slice(0, 10).every((b) => b === 0) && v6.bytes[10] === 0xff && v6.bytes[11] === 0xff) return v6.bytes.slice(12);
  return v6.bytes;
}

/**
 * The text Java prints for an IP literal (`InetAddress.getByName(ip).getHostAddress`): IPv4 in
 * dotted decimal, IPv6 as eight hex groups without leading zeros (`fd00:0:0:0:0:0:0:1`).
 * Anything else (a host name) is returned as it is.
 */
export function javaHostAddress(text: string): string {
  const v4 = parseIPv4Literal(text);
  if (v4 !== undefined) return v4;
  const v6 = parseIPv6(text);
  if (v6 === undefined) return text;
  const b = v6.bytes;
  if (b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff) return b.slice(12).join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  return groups.join(':') + (v6.scope !== undefined ? `%${v6.scope}` : '');
}

/** Whether two IP literals are on the same subnet under an IPv4 netmask (Linkerd's Netmask.local). */
export function sameSubnet(a: string, b: string, mask: readonly number[] = [255, 255, 255, 0]): boolean {
  const x = ipBytes(a);
  const y = ipBytes(b);
  // Different address families (or not an IP at all) are never local.
  if (x === undefined || y === undefined || x.length !== mask.length || y.length !== mask.length) return false;
  for (let i = 0; i < mask.length; i++) if ((x[i]! & mask[i]!) !== (y[i]! & mask[i]!)) return false;
  return true;
}

function parseIPv6(text: string): { bytes: number[]; scope?: string } | undefined {
  let s = text;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  let scope: string | undefined;
  const pct = s.indexOf('%');
  if (pct >= 0) {
    scope = s.slice(pct + 1);
    s = s.slice(0, pct);
    if (scope.length === 0) return undefined;
  }
  if (!s.includes(':')) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  // A dotted IPv4 part may only end the address: in the half after `::` if there is one.
  const parseHalf = (h: string, last: boolean): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (last && i === parts.length - 1 && p.includes('.')) {
        const v4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(p) ? p.split('.').map(Number) : undefined;
        if (!v4 || v4.some((n) => n > 255)) return undefined;
        out.push(...v4);
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      const n = parseInt(p, 16);
      out.push(n >> 8, n & 0xff);
    }
    return out;
  };
  const head = parseHalf(halves[0]!, halves.length === 1);
  const tail = halves.length === 2 ? parseHalf(halves[1]!, true) : [];
  if (head === undefined || tail === undefined) return undefined;
  if (halves.length === 1) return head.length === 16 ? { bytes: head, scope } : undefined;
  if (head.length + tail.length > 14) return undefined;
  return { bytes: [...head, ...new Array<number>(16 - head.length - tail.length).fill(0), ...tail], scope };
}
