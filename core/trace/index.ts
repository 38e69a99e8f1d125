// Zipkin traces of Linkerd 1.x routers, without I/O: decoding, the span tree, Linkerd's tags, text.
export { decodeStrings, decodeTrace, decodeTraces, normalizeTraceId, serviceOf, type Annotation as ZipkinAnnotation, type Decoded, type Endpoint as ZipkinEndpoint, type Span as ZipkinSpan, type SpanKind } from './span.js';
export { buildSpanTree, flattenSpanTree, type SpanNode, type SpanTree, type TreeRow } from './tree.js';
export { linkerdView, spanFailure, type LinkerdView } from './linkerd.js';
export { formatDuration, formatTimestamp, linkerdTagLines, MAX_SHOWN, parseDuration, renderTraceList, renderTraceText, summarizeTrace, termSafe, type TraceSummary } from './render.js';
export { MAX_ROWS, MAX_TAGS, traceView, type TraceRowData, type TraceViewData } from './view.js';
