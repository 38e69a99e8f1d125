// io.l5d.fs: a directory of files, one per service, each line `host port` (Linkerd's FsNamer).
// `/#/io.l5d.fs/<file>/<residual…>` binds to the file's addresses; a file that does not exist is
// negative. The files are read through `read` (the host's file system, given by the I/O side).

import { NamingError } from '../delegate/errors.js';
import type { NamerSpec } from '../delegate/namer-registry.js';
import { literalInetResolver, type InetResolver, type Namer } from '../delegate/system-namers.js';
import { parseJavaInt } from '../model/inet.js';
import { boundAddr, boundName, type Addr, type Address, type Name } from '../model/names.js';
import { leaf, NEG, type NameTree } from '../model/nametree.js';
import { elemToText, type Path } from '../model/path.js';

/** A file's text, undefined when it does not exist; may answer later. */
export type FileReader = (name: string) => string | undefined | Promise<string | undefined>;

/** The addresses of a file's `host port` lines (blank lines and `#` comments skipped). */
export function parseAddressFile(text: string, inet: InetResolver = literalInetResolver): { addrs: Address[]; problems: string[] } {
  const addrs: Address[] = [];
  const problems: string[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/#.*/, '').trim();
    if (line === '') continue;
    const parts = line.split(/\s+/);
    const port = parts.length === 2 ? parseJavaInt(parts[1]!) : undefined;
    if (port === undefined || port < 0 || port > 65535) {
      problems.push(`line ${i + 1}: expected \`host port\`, found \`${line.slice(0, 60)}\``);
      continue;
    }
    const r = inet.resolve(parts[0]!, port);
    if (!(r instanceof Promise) && r.type === 'bound') for (const a of r.addrs) addrs.push(a);
    else if (!(r instanceof Promise)) problems.push(`line ${i + 1}: ${parts[0]} ${r.type === 'failed' ? `(${r.cause})` : 'does not resolve'}`);
  }
  return { addrs, problems };
}

export function fsNamer(spec: NamerSpec, read: FileReader, inet: InetResolver = literalInetResolver): Namer {
  const prefix = spec.prefix.split('/').filter(Boolean);
  return {
    lookup(path: Path): NameTree<Name> | Promise<NameTree<Name>> {
      if (path.length === 0) return NEG;
      const file = elemToText(path[0]!);
      // One file of rootDir: no separators (either kind), no way up.
      if (file.includes('/') || file.includes('\\') || file === '.' || file === '..' || file.includes('\0')) return NEG;
      const answer = (text: string | undefined): NameTree<Name> => {
        if (text === undefined) return NEG;
        const { addrs } = parseAddressFile(text, inet);
        const addr: Addr = boundAddr(addrs);
        return leaf(boundName([...prefix, path[0]!], path.slice(1), addr));
      };
      let text: string | undefined | Promise<string | undefined>;
      try {
        text = read(file);
      } catch (e) {
        throw new NamingError(`io.l5d.fs: cannot read ${file}: ${(e as Error).message}`);
      }
      return text instanceof Promise ? text.then(answer) : answer(text);
    },
  };
}
