import { LspClient } from '../test/support/lsp-client.js';
import { join } from 'node:path';
(async () => {
  const lines: string[] = [];
  for (let i = 0; i < 10000; i++) lines.push(`/svc/service-${i}  => /#/io.l5d.k8s/team-${i % 37}/http/service-${i} ;`);
  const c = new LspClient({}, join(process.cwd(), 'dist', 'server.js'), { KUBECONFIG: '/nonexistent', HOME: '/nonexistent' });
  await c.start();
  const uri = 'file:///x.dtab';
  await c.open(uri, lines.join('\n'));
  let version = 1;
  for (let i = 0; i < 30; i++) {
    const line = 5000 + (i % 20);
    const at = { line, character: 6 };
    version++;
    const next = c.diagnostics(uri, version);
    await c.change(uri, version, [i % 2 === 0 ? { range: { start: at, end: at }, text: 'x' } : { range: { start: at, end: { line, character: 7 } }, text: '' }]);
    await next;
    await new Promise((r) => setTimeout(r, 40));
  }
  const t: number[] = [];
  for (let i = 0; i < 100; i++) {
    const s = performance.now();
    await c.connection.sendRequest('textDocument/completion', { textDocument: { uri }, position: { line: 3000 + i, character: lines[3000 + i]!.indexOf('=>') + 3 } });
    t.push(performance.now() - s);
  }
  console.log(t.slice(0, 15).map((x) => x.toFixed(1)).join(' '));
  t.sort((x, y) => x - y);
  console.log('median', t[50]!.toFixed(2), 'p95', t[95]!.toFixed(2));
  await c.stop();
})();
