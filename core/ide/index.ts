// The language layer: every dtab feature on plain text and offsets, free of any editor protocol
// (as rust-analyzer's `ide` crate). The language server converts its results to LSP shapes; the
// CLI prints them.

export { DtabAnalysis, analyzeDtab, type AnalysisOptions } from './analysis.js';
export { definition, references, prepareRename, rename, labelProblem, RenameError, type SpanEdit } from './navigation.js';
export { symbols, folding, selectionSpans, suggestPaths, MAX_SUGGESTIONS, type DtabSymbol, type Fold } from './structure.js';
export { formatEdits, formatRangeEdits } from './format.js';
export { deepDiagnostics, deepDiagnosticsSync, DOCUMENT_CYCLE_WORK, type DeepDiagnostic, type Pause } from './deep.js';
export { hover, delegationLines, boundByNamer, escapeMarkdown, fenced, type HoverResult } from './hover.js';
export { complete, completionContext, MAX_NAMES, type Completion, type CompletionContext, type CompletionKind } from './completion.js';
export { clusterCompletions, clusterDiagnostics, explainNegative, k8sNamerUses, type K8sNamerUse } from './cluster.js';
export { acceptEdits, assertionAt, completeDtabTest, completionPath, dtabTestDiagnostics, expectedRange, type TestDiagnostic } from './dtab-test.js';
export { IncrementalDtab, textChange, combineChanges, type IncrementalVersion, type TextChange } from './incremental.js';
