// Request parameters checked before any feature runs: a request with missing or wrongly typed
// params gets JSON-RPC's InvalidParams (-32602) with a message saying what is wrong, never an
// internal error, and never an answer computed from a fractional or negative position.

import { ErrorCodes, ResponseError } from 'vscode-languageserver/node';

type Check = (v: unknown, where: string) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const natural: Check = (v, where) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= 0x7fffffff ? undefined : `${where} must be a non-negative integer`);

/** A non-negative whole number up to 2^53 (microseconds, milliseconds). */
const count: Check = (v, where) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? undefined : `${where} must be a non-negative integer`);

const position: Check = (v, where) => {
  if (!isObject(v)) return `${where} must be a position {line, character}`;
  return natural(v.line, `${where}.line`) ?? natural(v.character, `${where}.character`);
};

const range: Check = (v, where) => {
  if (!isObject(v)) return `${where} must be a range {start, end}`;
  return position(v.start, `${where}.start`) ?? position(v.end, `${where}.end`);
};

const string: Check = (v, where) => (typeof v === 'string' ? undefined : `${where} must be a string`);

/** `{url: string, …}`: a server or request from the settings. */
const urlObject: Check = (v, where) => (isObject(v) && typeof v.url === 'string' ? undefined : `${where} must be an object with a url string`);

const CHECKS: Record<string, Check> = {
  position,
  range,
  positions: (v, where) => {
    if (!Array.isArray(v)) return `${where} must be an array of positions`;
    for (let i = 0; i < v.length; i++) {
      const p = position(v[i], `${where}[${i}]`);
      if (p) return p;
    }
    return undefined;
  },
  newName: (v, where) => (typeof v === 'string' ? undefined : `${where} must be a string`),
  server: urlObject,
  admin: urlObject,
  request: urlObject,
  target: (v, where) => {
    if (isObject(v) && v.kind === 'file') return string(v.uri, `${where}.uri`);
    if (isObject(v) && v.kind === 'traffic-split') return string(v.namespace, `${where}.namespace`) ?? string(v.name, `${where}.name`);
    if (isObject(v) && v.kind === 'deployments') return string(v.stable, `${where}.stable`) ?? string(v.canary, `${where}.canary`);
    if (isObject(v) && v.kind === 'namerd' && v.ns !== undefined && !('path' in v)) return urlObject(v.server, `${where}.server`) ?? string(v.ns, `${where}.ns`);
    if (!isObject(v) || (v.kind !== 'namerd' && v.kind !== 'linkerd')) return `${where} must be {kind: "namerd", server, ns} or {kind: "linkerd", admin, router}`;
    return v.kind === 'namerd' ? (urlObject(v.server, `${where}.server`) ?? string(v.ns, `${where}.ns`)) : (urlObject(v.admin, `${where}.admin`) ?? string(v.router, `${where}.router`));
  },
  ns: (v, where) => string(v, where) ?? (v === '' ? `${where} must not be empty` : undefined),
  text: string,
  before: string,
  after: string,
  base: string,
  theirs: string,
  yours: string,
  override: string,
  baseVersion: string,
  line: natural,
  action: (v, where) => (v === 'step' || v === 'abort' || v === 'finish' || v === 'pause' || v === 'resume' || v === 'status' ? undefined : `${where} must be step, abort, finish, pause, resume or status`),
  to: string,
  from: string,
  authorization: string,
  percent: (v, where) => (typeof v === 'number' && v >= 0 && v <= 100 ? undefined : `${where} must be a number from 0 to 100`),
  names: (v, where) => (Array.isArray(v) && v.every((n) => typeof n === 'string') ? undefined : `${where} must be an array of strings`),
  path: (v, where) => (typeof v === 'string' ? undefined : `${where} must be a string`),
  traceId: string,
  serviceName: string,
  spanName: string,
  annotationQuery: string,
  minDurationUs: count,
  lookbackMs: count,
  limit: natural,
};

/**
 * Throws InvalidParams unless `params` is an object with a text document (`textDocument.uri`, or
 * `uri` for this server's own requests) and every known field it has is of the right type.
 * `required` names fields that must be present.
 */
export function checkParams(params: unknown, required: readonly string[] = [], onDocument = true): void {
  const fail = (message: string) => {
    throw new ResponseError(ErrorCodes.InvalidParams, message);
  };
  if (!isObject(params)) return fail('params must be an object');
  const uri = isObject(params.textDocument) ? params.textDocument.uri : params.uri;
  if (onDocument && typeof uri !== 'string') fail('params.textDocument.uri must be a string');
  for (const name of required) if (params[name] === undefined) fail(`params.${name} is missing`);
  for (const [name, check] of Object.entries(CHECKS)) {
    if (params[name] === undefined) continue;
    const problem = check(params[name], `params.${name}`);
    if (problem) fail(problem);
  }
}

/** A handler that checks its params first (see checkParams). */
export function checked<P, R>(required: readonly string[], handler: (params: P) => R, onDocument = true): (params: P) => R {
  return (params: P) => {
    checkParams(params, required, onDocument);
    return handler(params);
  };
}
