// Java's number formatting, which Finagle's output depends on.

/** Decimal digits and exponent of the shortest representation that round-trips: d.ddd × 10^exp. */
function shortestDigits(x: number): { digits: string; exp: number } {
  const [mant, e] = x.toExponential().split('e') as [string, string];
  return { digits: mant.replace('.', ''), exp: Number(e) };
}

/**
 * `String.format("%.2f", x)`: HALF_UP rounding applied to the shortest decimal representation
 * (so 1.005 -> "1.01" and 2.675 -> "2.68", unlike toFixed), plain notation for large values.
 */
export function formatFixed2(x: number): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? 'Infinity' : '-Infinity';
  const neg = x < 0 || Object.is(x, -0);
  const { digits, exp } = shortestDigits(Math.abs(x));
  // Scale to an integer count of hundredths, as a digit string, rounding HALF_UP.
  const pointPos = exp + 1; // digits before the decimal point
  let intDigits: string;
  let rest: string;
  // Stryker disable next-line EqualityOperator: when equal, the slice branch gives the same digits and an empty rest
  if (pointPos + 2 >= digits.length) {
    intDigits = digits + '0'.repeat(pointPos + 2 - digits.length);
    rest = '';
  // Stryker disable next-line EqualityOperator: at pointPos + 2 = 0 the slice branch gives intDigits '' and the same rest; '' and '0' print alike
  } else if (pointPos + 2 <= 0) {
    // Stryker disable next-line StringLiteral: '' and '0' print alike (padStart to 000, incremented to 1)
    intDigits = '0';
    rest = '0'.repeat(-(pointPos + 2)) + digits;
  } else {
    intDigits = digits.slice(0, pointPos + 2);
    rest = digits.slice(pointPos + 2);
  }
  // Stryker disable next-line EqualityOperator: charCodeAt(0) of an empty rest is NaN, never >= 0x35
  if (rest.length > 0 && rest.charCodeAt(0) >= 0x35) intDigits = incrementDecimal(intDigits);
  // Stryker disable next-line Regex: the only intDigits with leading zeros is '000' (x = 0), which padStart restores whatever is removed
  intDigits = intDigits.replace(/^0+(?=\d)/, '');
  const padded = intDigits.padStart(3, '0');
  const out = `${padded.slice(0, -2)}.${padded.slice(-2)}`;
  // Stryker disable next-line ConditionalExpression,Regex: both branches of the first conditional print `-${out}`
  return neg && /[1-9]/.test(out) ? `-${out}` : neg ? `-${out}` : out;
}

function incrementDecimal(s: string): string {
  const a = s.split('');
  let i = a.length - 1;
  while (i >= 0) {
    if (a[i] === '9') {
      a[i] = '0';
      i--;
    } else {
      a[i] = String.fromCharCode(a[i]!.charCodeAt(0) + 1);
      return a.join('');
    }
  }
  return '1' + a.join('');
}

/** Java's Double.toString: "1.0", "0.5", "1.0E7", "1.0E-4". */
export function javaDouble(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e-3 && abs < 1e7) {
    const s = String(x);
    return s.includes('.') ? s : `${s}.0`;
  }
  const { digits, exp } = shortestDigits(abs);
  const mant = digits.length === 1 ? `${digits}.0` : `${digits[0]}.${digits.slice(1)}`;
  // Stryker disable next-line EqualityOperator: x is not 0 here (0 and -0 returned above)
  return `${x < 0 ? '-' : ''}${mant}E${exp}`;
}
