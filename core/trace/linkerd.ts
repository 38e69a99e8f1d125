// What Linkerd 1.x records on its spans, read back (spec §7.2): on the server span the router label,
// the logical name (`service`), the bound id (`client`), the residual, the base and local dtabs; on
// every span the HTTP status and Linkerd's classification (`l5d.success`, `l5d.failure`), and why a
// request failed (`io.buoyant.router.Failure`, `namer.failure`). Tags of Linkerd before 1.0.0
// (`namer.path`, `dst.id`, `dst.path`) are read too. A client span's service is the bound id
// without its leading `/`, so a client span names its client even without the tag.

import { serviceOf, type Span } from './span.js';

export interface LinkerdView {
  /** `router.label`, e.g. `http`. */
  readonly router?: string;
  /** The logical name, e.g. `/svc/dog`. */
  readonly service?: string;
  /** The bound id, e.g. `/#/io.l5d.k8s/default/http/dog`. */
  readonly client?: string;
  readonly residual?: string;
  readonly dtabBase?: string;
  readonly dtabLocal?: string;
  /** `http.rsp.status`. */
  readonly status?: number;
  /** `l5d.success` (Linkerd's classifier: 1 success, 0 failure). */
  readonly success?: number;
  /** Why the request failed, when the span says so. */
  readonly failure?: string;
}

const tag = (s: Span, ...keys: string[]): string | undefined => {
  for (const k of keys) {
    const v = s.tags && Object.prototype.hasOwnProperty.call(s.tags, k) ? s.tags[k] : undefined;
    if (v !== undefined) return v;
  }
  return undefined;
};

// Stryker disable next-line ArrayDeclaration: the default is for no annotations, and whatever it holds, a string there has no .value to match
const hasAnnotation = (s: Span, value: string): boolean => (s.annotations ?? []).some((a) => a.value === value);

/** Why a span failed, in words, or undefined: the `error` tag, Linkerd's failure tags and classification, a 5xx. */
export function spanFailure(s: Span): string | undefined {
  const error = tag(s, 'error');
  if (error !== undefined) return error === '' || error === 'true' ? 'error' : error;
  const routerFailure = tag(s, 'io.buoyant.router.Failure');
  const namerFailure = tag(s, 'namer.failure');
  if (routerFailure !== undefined) return `${routerFailure} failure${namerFailure !== undefined ? `: ${namerFailure}` : ''}`;
  if (namerFailure !== undefined) return `namer failure: ${namerFailure}`;
  const status = Number(tag(s, 'http.rsp.status'));
  if (hasAnnotation(s, 'l5d.failure')) return `classified as a failure${Number.isInteger(status) && status > 0 ? ` (${status})` : ''}`;
  const success = tag(s, 'l5d.success');
  if (success !== undefined && success.trim() !== '' && Number(success) === 0) return `classified as a failure${Number.isInteger(status) && status > 0 ? ` (${status})` : ''}`;
  if (Number.isInteger(status) && status >= 500 && status <= 599) return `status ${status}`;
  return undefined;
}

export function linkerdView(s: Span): LinkerdView {
  const out: { -readonly [K in keyof LinkerdView]: LinkerdView[K] } = {};
  const router = tag(s, 'router.label');
  if (router !== undefined) out.router = router;
  const service = tag(s, 'service', 'namer.path');
  if (service !== undefined) out.service = service;
  let client = tag(s, 'client', 'dst.id');
  const svc = serviceOf(s);
  if (
    client === undefined &&
    s.kind === 'CLIENT' &&
    // Stryker disable next-line ConditionalExpression: test(undefined) reads "undefined", which does not match
    svc !== undefined &&
    /^[#$%]\//.test(svc)
  )
    client = `/${svc}`;
  if (client !== undefined) out.client = client;
  const residual = tag(s, 'residual', 'dst.path');
  if (residual !== undefined) out.residual = residual;
  const dtabBase = tag(s, 'dtab.base');
  if (dtabBase !== undefined) out.dtabBase = dtabBase;
  const dtabLocal = tag(s, 'dtab.local');
  if (dtabLocal !== undefined) out.dtabLocal = dtabLocal;
  const status = tag(s, 'http.rsp.status');
  // Stryker disable next-line StringLiteral: without the tag, any text that is not one to three digits does the same
  if (/^\d{1,3}$/.test(status ?? '')) out.status = Number(status);
  const success = tag(s, 'l5d.success');
  if (success !== undefined && success.trim() !== '' && Number.isFinite(Number(success))) out.success = Number(success);
  const failure = spanFailure(s);
  if (failure !== undefined) out.failure = failure;
  return out;
}
