// The dtab core: a pure library (no editor, no protocol) shared by the CLI and the language server.

export * from './syntax/ast.js';
export { DtabSyntaxError, finagleMessage, type SyntaxErrorCode } from './syntax/errors.js';
export { parseDentry, parseDtab, parsePath, parsePrefix, parseTree, type ParseResult } from './syntax/parser.js';
export { lowerDentry, lowerDtab, lowerPath, lowerPrefix, lowerTree } from './syntax/lower.js';
export * from './model/path.js';
export * from './model/nametree.js';
export * from './model/dtab.js';
export * from './print/show.js';
export { formatFixed2, javaDouble } from './print/numbers.js';
export { formatDtab, printTree, type FormatOptions } from './print/format.js';
export * from './print/repr.js';
export * from './delegate/names.js';
export * from './delegate/errors.js';
export * from './delegate/system-namers.js';
export * from './delegate/delegate-tree.js';
export { Interpreter, type BoundTree, type ConfiguredNamer, type InterpreterOptions } from './delegate/interpreter.js';
export * from './check/check.js';
export * from './text/lines.js';
export * from './delegate/explain.js';
export { renderDelegateTree, describeAddr, describeNode, type RenderOptions } from './delegate/render.js';
export { dnsInetResolver } from './delegate/dns.js';
export * from './syntax/locate.js';
export * from './check/deep.js';
export * from './explain.js';
export { checkConfigText, mayHoldConfig, type ConfigFileResult, type FoundConfig } from './config/config.js';
export { catalogue, detectConfig, didYouMean, validateConfig, type ConfigKind, type EmbeddedDtab } from './config/validate.js';
export { scalarMap, mapSpan, type ScalarMap } from './config/scalar-map.js';
