// Helpers for the integration tests (they run inside the VS Code extension host).
'use strict';

const fs = require('node:fs');
const http = require('node:http');
const path = require('node:path');

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `predicate` (sync or async) until it returns a truthy value, which is returned.
 * Rejects after `timeoutMs` with `message` (and the predicate's last error, if it threw).
 */
async function waitFor(predicate, timeoutMs = 20000, { intervalMs = 50, message = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      const v = await predicate();
      if (v) return v;
      lastError = undefined;
    } catch (e) {
      lastError = e;
    }
    if (Date.now() >= deadline) {
      const why = lastError ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${why}`);
    }
    await sleep(intervalMs);
  }
}

let counter = 0;

/**
 * Asks the driver (test/e2e/host/run-tests.js) for a screenshot of the workbench and waits until it
 * is written. The extension host cannot reach the browser, so the request goes out as a console line
 * (`__SCREENSHOT__ {json}`, forwarded by the workbench to the driver) and the driver answers with
 * $E2E_SCREENSHOT_ACK_DIR/<id>.json.
 *   name:      file name without .png (in the driver's --screenshot-dir)
 *   waitFor:   CSS selector the driver waits to be visible before shooting (e.g. '.squiggly-error')
 *   settleMs:  extra time after that, for the rest of the UI to catch up (cosmetic only)
 * Resolves with the PNG's path, or null when the driver takes no screenshots (no --screenshot-dir,
 * or not running under this driver, e.g. under @vscode/test-electron).
 */
async function screenshot(name, { waitFor: selector, settleMs = 0, timeoutMs = 30000 } = {}) {
  const ackDir = process.env.E2E_SCREENSHOT_ACK_DIR;
  if (!ackDir) return null;
  const id = `${process.pid}-${Date.now()}-${++counter}`;
  const ackFile = path.join(ackDir, `${id}.json`);
  console.log(`__SCREENSHOT__ ${JSON.stringify({ id, name, waitFor: selector, settleMs, timeoutMs })}`);
  await waitFor(() => fs.existsSync(ackFile), timeoutMs + settleMs + 30000, { message: `screenshot ${name}` });
  const ack = JSON.parse(fs.readFileSync(ackFile, 'utf8'));
  if (ack.skipped) return null;
  if (!ack.ok) throw new Error(`screenshot ${name} failed: ${ack.error}`);
  return ack.path;
}

/** A request to a stand-in (as another user's namerctl, or a pipeline, would send it): status, headers and body. */
function call(method, url, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) } }, (res) => {
      let data = '';
      res.on('data', (c) => (data += c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

module.exports = { call, waitFor, screenshot, sleep };
