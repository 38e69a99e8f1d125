// Canary traffic shifts on a dtab: the pure part (edits, plan and state, the metric gate).

export { CanaryError, type CanaryErrorKind } from './errors.js';
export { canaryWeights, destinationText, finishedDestination, weightedDestination } from './weights.js';
export { findDentry, finishDentry, locateDentry, restoreDentry, rewriteDentry, sameDentry, sameDestination, type DentryEdit, type DentryRestore, type FoundDentry, type RewriteOptions } from './rewrite.js';
export { clientScope, describeBranch, evaluateGate, formatRate, gateMetrics, type BranchStats, type CanaryGate, type GateIds, type GateResult, type MetricsSnapshot } from './gate.js';
export * from './state.js';
