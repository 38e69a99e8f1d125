// Resolving `/$/inet/<host>/<port>` for real, as Finagle's InetResolver does: DNS, with an
// unknown host answering `neg` and other failures `failed`.

import { lookup } from 'node:dns/promises';
import { boundAddr, literalInetResolver, type Addr, type InetResolver } from '../core/index.js';

export function dnsInetResolver(timeoutMs = 2000): InetResolver {
  return {
    anyHost: '0.0.0.0',
    resolve(host, port) {
      const literal = literalInetResolver.resolve(host, port) as Addr;
      if (literal.type === 'bound') return literal;
      const timeout = new Promise<Addr>((res) => setTimeout(() => res({ type: 'failed', cause: `DNS lookup of ${host} timed out` }), timeoutMs).unref());
      const answer = lookup(host, { all: true }).then(
        (addrs): Addr => boundAddr(addrs.map((a) => ({ ip: a.address, port, meta: {} }))),
        (e: NodeJS.ErrnoException): Addr =>
          e.code === 'ENOTFOUND' || e.code === 'ENODATA' ? { type: 'neg' } : { type: 'failed', cause: `${host}: ${e.message}` },
      );
      return Promise.race([answer, timeout]);
    },
  };
}
