// The conformance world of namers (see test/fixtures/conformance/README.md): a fixture of the
// runner, not product code. It plugs into the real Interpreter through the public Namer interface.

import { leaf, NEG } from '../../core/model/nametree.js';
import { elemToText, textToElem, type Path } from '../../core/model/path.js';
import { Interpreter } from '../../core/delegate/interpreter.js';
import { boundAddr, boundName } from '../../core/model/names.js';
import { SystemNamer, type InetResolver, type Namer } from '../../core/delegate/system-namers.js';
import { showPath } from '../../core/print/show.js';

const ENDPOINTS: Record<string, { ip: string; port: number; node: string }[]> = {
  'default/http/hello': [
    { ip: '10.1.1.1', port: 7777, node: 'node-a' },
    { ip: '10.1.1.2', port: 7777, node: 'node-b' },
  ],
  'default/http/world-v1': [{ ip: '10.1.2.1', port: 7778, node: 'node-a' }],
  'default/http/world-v2': [{ ip: '10.1.3.1', port: 7779, node: 'node-b' }],
};

const K8S_PREFIX: Path = ['#', 'io.l5d.k8s'];

const k8s: Namer = {
  lookup(path) {
    if (path.length < 3) return NEG;
    const [ns, port, svc] = path.slice(0, 3).map((e) => elemToText(e).toLowerCase()) as [string, string, string];
    const eps = ENDPOINTS[`${ns}/${port}/${svc}`];
    if (!eps) return NEG;
    const id = [...K8S_PREFIX, ...[ns, port, svc].map(textToElem)];
    const addr = boundAddr(eps.map((e) => ({ ip: e.ip, port: e.port, meta: { nodeName: e.node } })));
    return leaf(boundName(id, path.slice(3), addr));
  },
};

const ERROR_PREFIX: Path = ['#', 'error'];
const error: Namer = {
  lookup(path) {
    throw new Error(`error naming ${showPath([...ERROR_PREFIX, ...path])}`);
  },
};

const worldInet: InetResolver = {
  anyHost: '0.0.0.0',
  resolve(host, port) {
    const ip = host === '127.1' || host === '127.0.0.1' || host === 'localhost' ? '127.0.0.1' : host;
    return boundAddr([{ ip, port, meta: {} }]);
  },
};

export function conformanceInterpreter(): Interpreter {
  return new Interpreter(
    [
      { prefix: K8S_PREFIX, namer: k8s },
      { prefix: ERROR_PREFIX, namer: error },
    ],
    new SystemNamer(worldInet),
  );
}
