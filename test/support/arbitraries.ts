// fast-check generators of dtab text: valid dtabs built from the grammar (with whitespace and
// comments wherever the grammar allows them), and near-valid noise for the never-throws properties.

import fc from 'fast-check';

const labelChar = fc.constantFrom(...'abcxyz019_:.#$%-'.split(''), '\\x41', '\\x2a', '\\xe2');
/** A label: never starts with `#` so it cannot be read as a comment after whitespace. */
export const label = fc
  .tuple(fc.constantFrom('svc', 'srv', 'host', 'a', 'io.l5d.k8s', 'default', 'http', 'world-v1', '#', '$'), fc.array(labelChar, { maxLength: 3 }))
  .map(([head, rest]) => head + rest.join(''));

export const ws = fc.constantFrom('', ' ', '  ', '\n', '\t', ' # note\n', '\n# c\n  ', '\u2003');
const wsNonEmpty = fc.constantFrom(' ', '\n', '\t', ' # note\n');

export const path = fc.array(label, { maxLength: 4 }).map((ls) => '/' + ls.join('/'));
export const prefix = fc.array(fc.oneof(label, fc.constant('*')), { maxLength: 4 }).map((ls) => '/' + ls.join('/'));
const weight = fc.constantFrom('1', '0', '2.', '.5', '0.25', '3', '19', '1.005', '0.333');

export const tree: fc.Arbitrary<string> = fc.letrec((tie) => ({
  simple: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    path,
    fc.constantFrom('!', '~', '$'),
    fc.tuple(ws, tie('tree') as fc.Arbitrary<string>, ws).map(([a, t, b]) => `(${a}${t}${b})`),
  ),
  weighted: fc.tuple(fc.option(fc.tuple(weight, ws, ws)), tie('simple') as fc.Arbitrary<string>).map(([w, s]) => (w ? `${w[0]}${w[1]}*${w[2]}${s}` : s)),
  tree1: fc.array(tie('weighted') as fc.Arbitrary<string>, { minLength: 1, maxLength: 3 }).chain((ts) => fc.tuple(...ts.map(() => ws)).map((sp) => ts.map((t, i) => t + sp[i]).join('&'))),
  tree: fc.array(tie('tree1') as fc.Arbitrary<string>, { minLength: 1, maxLength: 3 }).chain((ts) => fc.tuple(...ts.map(() => ws)).map((sp) => ts.map((t, i) => t + sp[i]).join('|'))),
})).tree;

export const dentry = fc.tuple(prefix, ws, ws, tree).map(([p, a, b, t]) => `${p}${a}=>${b}${t}`);

export const dtab = fc
  .tuple(ws, fc.array(fc.tuple(dentry, ws, ws), { maxLength: 6 }), fc.boolean(), wsNonEmpty)
  .map(([lead, ds, trailingSemi, end]) => lead + ds.map(([d, a, b], i) => (i > 0 ? `;${b}` : '') + d + a).join('') + (trailingSemi && ds.length ? ';' : '') + end);

/** Text that is mostly dtab-like but mutated: insertions, deletions and odd characters. */
export const noisyDtab = fc
  .tuple(dtab, fc.array(fc.tuple(fc.nat(), fc.constantFrom('', ';', '/', '=', '>', '(', ')', '*', '\\', '\u00a0', 'é', '\uffff', '#', '\n', '&', '|', '.', '..', '\\x4')), { maxLength: 5 }))
  .map(([text, edits]) => {
    let s = text;
    for (const [at, ins] of edits) {
      const i = s.length === 0 ? 0 : at % (s.length + 1);
      s = ins === '' ? s.slice(0, i) + s.slice(i + 1) : s.slice(0, i) + ins + s.slice(i);
    }
    return s;
  });

export const anyText = fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), fc.string({ unit: fc.constantFrom(...'/=>;|&*()!~$#\\x0a .\n\u00a0'.split('')), maxLength: 80 }));
