// Java's number and IPv4 literal forms, as Finagle's inet namer reads `/$/inet/<host>/<port>`.

/** Java's Integer.parseInt, for `/$/inet/<host>/<port>`. */
export function parseJavaInt(s: string): number | undefined {
  if (!/^[+-]?[0-9]+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= -2147483648 && n <= 2147483647 ? n : undefined;
}

/** Java's IPv4 literal forms (`127.1`, `10.0.1`, `1.2.3.4`, `2130706433`), or undefined. */
export function parseIPv4Literal(host: string): string | undefined {
  const parts = host.split('.');
  if (parts.length > 4 || parts.some((p) => !/^[0-9]{1,10}$/.test(p))) return undefined;
  const nums = parts.map(Number);
  const last = nums.pop()!;
  if (nums.some((x) => x > 255)) return undefined;
  const room = 4 - nums.length;
  if (last >= 2 ** (8 * room)) return undefined;
  const bytes = [...nums];
  for (let k = room - 1; k >= 0; k--) bytes.push(Math.floor(last / 2 ** (8 * k)) % 256);
  return bytes.join('.');
}
