// The dtab syntax tree: every element with its exact source span (UTF-16 offsets, end exclusive),
// so editors can point at anything. Model values (byte-string labels, weights) are attached where
// they are read, so lowering to the model never re-reads the text.

import type { DtabSyntaxError } from './errors.js';

/**
 * The deepest the parser lets parentheses nest: a `(` inside 100 open ones is a syntax error
 * (`nesting-too-deep`). Finagle has no limit (its recursive parser runs until the JVM stack
 * overflows); this one keeps every tree made from parsed text shallow, so code that recurses over
 * trees may rely on it: a syntax tree is at most 4 × (MAX_NESTING + 1) nodes deep (group, alt,
 * union, weighted per level), a lowered NameTree at most 2 × (MAX_NESTING + 1) + 1. Trees built by
 * delegation stack one such tree per step, so their depth is also bounded by the step limit.
 */
export const MAX_NESTING = 100;

export type { Span } from '../text/span.js';
import type { Span } from '../text/span.js';

export interface LabelSyntax extends Span {
  readonly kind: 'label';
  /** The label's bytes as a byte string (escapes decoded). */
  readonly value: string;
}

export interface WildcardSyntax extends Span {
  readonly kind: 'wildcard';
}

export interface PathSyntax extends Span {
  readonly kind: 'path';
  readonly labels: readonly LabelSyntax[];
  /** The labels' values alone (no label nodes are made): the path as the model has it. */
  readonly values: readonly string[];
}

export interface PrefixSyntax extends Span {
  readonly kind: 'prefix';
  readonly elems: readonly (LabelSyntax | WildcardSyntax)[];
}

export interface WeightSyntax extends Span {
  readonly value: number;
  readonly text: string;
  /** The `*` after the number. */
  readonly star: Span;
}

export interface WeightedSyntax extends Span {
  readonly weight: WeightSyntax | undefined;
  readonly tree: TreeSyntax;
}

export type TreeSyntax =
  | LeafSyntax
  | AltSyntax
  | UnionSyntax
  | LoneWeightedSyntax
  | GroupSyntax
  | TokenSyntax;

export interface LeafSyntax extends Span {
  readonly kind: 'leaf';
  readonly path: PathSyntax;
}
export interface AltSyntax extends Span {
  readonly kind: 'alt';
  readonly branches: readonly TreeSyntax[];
  /** The `|` separators. */
  readonly bars: readonly Span[];
}
export interface UnionSyntax extends Span {
  readonly kind: 'union';
  readonly branches: readonly WeightedSyntax[];
  /** The `&` separators. */
  readonly amps: readonly Span[];
}
/** A weighted term that is not part of a `&` union: Finagle parses it and drops the weight. */
export interface LoneWeightedSyntax extends Span {
  readonly kind: 'weighted';
  readonly weight: WeightSyntax;
  readonly tree: TreeSyntax;
}
/** Parentheses: `( tree )`. */
export interface GroupSyntax extends Span {
  readonly kind: 'group';
  readonly tree: TreeSyntax;
}
/** `~` (neg), `!` (fail), `$` (empty). */
export interface TokenSyntax extends Span {
  readonly kind: 'neg' | 'fail' | 'empty';
}

export interface DentrySyntax extends Span {
  readonly kind: 'dentry';
  readonly prefix: PrefixSyntax;
  readonly arrow: Span;
  readonly dst: TreeSyntax;
  /** The `;` that ends this dentry, if any. */
  semicolon: Span | undefined;
}

/** A dentry that did not parse: the text it covers is kept as is, with its error. */
export interface BrokenDentrySyntax extends Span {
  readonly kind: 'broken';
  readonly error: DtabSyntaxError;
  /** The prefix, when it parsed before the error (for outlines and completion). */
  readonly prefix: PrefixSyntax | undefined;
  semicolon: Span | undefined;
}

export type EntrySyntax = DentrySyntax | BrokenDentrySyntax;

export interface DtabSyntax {
  readonly text: string;
  readonly entries: readonly EntrySyntax[];
  /** `#` comments, in source order; each span ends before its newline. */
  readonly comments: readonly Span[];
  /**
   * Every syntax error, in source order; the first is exactly what Finagle reports, except a
   * `nesting-too-deep` error (Finagle has no nesting limit: see MAX_NESTING).
   */
  readonly errors: readonly DtabSyntaxError[];
}
