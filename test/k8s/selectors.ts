// Label and field selectors with the API server's grammar and semantics
// (k8s.io/apimachinery labels.Parse and fields.ParseSelector).

export class SelectorError extends Error {}

type LabelOp = 'exists' | '!' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
interface LabelReq {
  key: string;
  op: LabelOp;
  values: string[];
}

export type LabelSelector = (labels: Readonly<Record<string, string>>) => boolean;

const IDENT = /[A-Za-z0-9._/-]/;

/** `app=web,tier!=db,env in (a,b),!legacy`; empty matches everything. */
export function parseLabelSelector(text: string): LabelSelector {
  const src = text;
  let i = 0;
  const ws = () => {
    while (i < src.length && /\s/.test(src[i]!)) i++;
  };
  const ident = (what: string): string => {
    ws();
    const start = i;
    while (i < src.length && IDENT.test(src[i]!)) i++;
    if (i === start) throw new SelectorError(`unable to parse requirement: found '${src[i] ?? ''}', expected: ${what}`);
    return src.slice(start, i);
  };
  const value = (): string => {
    ws();
    const start = i;
    while (i < src.length && IDENT.test(src[i]!)) i++;
    return src.slice(start, i);
  };
  const reqs: LabelReq[] = [];
  ws();
  if (i >= src.length) return () => true;
  for (;;) {
    ws();
    let req: LabelReq;
    if (src[i] === '!') {
      i++;
      req = { key: ident('identifier'), op: '!', values: [] };
    } else {
      const key = ident('identifier');
      ws();
      const rest = src.slice(i);
      if (rest.startsWith('==')) {
        i += 2;
        req = { key, op: '=', values: [value()] };
      } else if (rest.startsWith('!=')) {
        i += 2;
        req = { key, op: '!=', values: [value()] };
      } else if (rest.startsWith('=')) {
        i += 1;
        req = { key, op: '=', values: [value()] };
      } else if (rest.startsWith('>') || rest.startsWith('<')) {
        i += 1;
        const v = value();
        if (!/^-?[0-9]+$/.test(v)) throw new SelectorError(`unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer`);
        req = { key, op: rest.startsWith('>') ? 'gt' : 'lt', values: [v] };
      } else if (/^(in|notin)\s*\(/.test(rest)) {
        const op = rest.startsWith('in') ? 'in' : 'notin';
        i += op.length;
        ws();
        i++; // (
        const values: string[] = [];
        for (;;) {
          values.push(value());
          ws();
          if (src[i] === ',') {
            i++;
            continue;
          }
          if (src[i] === ')') {
            i++;
            break;
          }
          throw new SelectorError(`unable to parse requirement: found '${src[i] ?? ''}', expected: ',', ')'`);
        }
        req = { key, op, values };
      } else if (rest === '' || rest.startsWith(',')) {
        req = { key, op: 'exists', values: [] };
      } else {
        throw new SelectorError(`unable to parse requirement: found '${src[i]}', expected: '=', '!=', '==', 'in', notin'`);
      }
    }
    reqs.push(req);
    ws();
    if (i >= src.length) break;
    if (src[i] !== ',') throw new SelectorError(`unable to parse requirement: found '${src[i]}', expected: ','`);
    i++;
  }
  return (labels) =>
    reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case 'exists':
          return has;
        case '!':
          return !has;
        case '=':
        case 'in':
          return has && r.values.includes(v!);
        case '!=':
        case 'notin':
          return !has || !r.values.includes(v!);
        case 'gt':
        case 'lt': {
          if (!has || !/^-?[0-9]+$/.test(v!)) return false;
          return r.op === 'gt' ? Number(v) > Number(r.values[0]) : Number(v) < Number(r.values[0]);
        }
      }
    });
}

export interface FieldReq {
  readonly field: string;
  readonly op: '=' | '!=';
  readonly value: string;
}

/** `metadata.name=world,metadata.namespace!=kube-system`, with `\,` `\=` `\\` escapes in values. */
export function parseFieldSelector(text: string): FieldReq[] {
  const reqs: FieldReq[] = [];
  if (text.trim() === '') return reqs;
  // Split on unescaped commas.
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      cur += c + text[++i];
    } else if (c === ',') {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  parts.push(cur);
  for (const part of parts) {
    const m = /^([^=!]*?)(==|!=|=)(.*)$/s.exec(part);
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${part}'`);
    const value = m[3]!.replace(/\\(.)/g, '$1');
    reqs.push({ field: m[1]!.trim(), op: m[2] === '!=' ? '!=' : '=', value });
  }
  return reqs;
}
