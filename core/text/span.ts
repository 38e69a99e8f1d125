// A stretch of text: UTF-16 offsets, end exclusive. Every layer points at text with it.

export interface Span {
  readonly start: number;
  readonly end: number;
}
