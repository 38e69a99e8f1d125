// core/syntax/chars.ts over every UTF-16 code unit, against independent definitions: Java's
// Character.isWhitespace, Character.isDigit, Finagle's showable characters, hex digits; and the
// look-alike table entry by entry.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hexValue, isHexChar, isJavaWhitespace, isLabelChar, isNumberChar, isShowable, LOOKALIKES } from '../../core/syntax/chars.js';

const ALL = Array.from({ length: 0x10000 }, (_, c) => c);
const which = (f: (c: number) => boolean) => ALL.filter(f);
const isSurrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
const SHOWABLE = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_:.#$%-';

describe('character classes, over every code unit', () => {
  it("isShowable and isLabelChar: Finagle's showable characters (and `\\` for a label)", () => {
    assert.deepEqual(which(isShowable), [...SHOWABLE].map((ch) => ch.charCodeAt(0)).sort((a, b) => a - b));
    assert.deepEqual(which(isLabelChar), [...`${SHOWABLE}\\`].map((ch) => ch.charCodeAt(0)).sort((a, b) => a - b));
  });
  it("isJavaWhitespace: Java's Character.isWhitespace (not the no-break spaces)", () => {
    // SPACE_SEPARATOR, LINE_SEPARATOR or PARAGRAPH_SEPARATOR but not U+00A0, U+2007, U+202F; and \t \n \v \f \r, U+001C..U+001F.
    const java = which((c) => /[\p{Zs}\p{Zl}\p{Zp}]/u.test(String.fromCharCode(c)) && c !== 0xa0 && c !== 0x2007 && c !== 0x202f);
    const expected = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x1c, 0x1d, 0x1e, 0x1f, ...java].sort((a, b) => a - b);
    assert.deepEqual(which(isJavaWhitespace), expected);
    assert.deepEqual(expected, [9, 10, 11, 12, 13, 28, 29, 30, 31, 32, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x205f, 0x3000]);
  });
  it("isNumberChar: `.` and Java's Character.isDigit (any Unicode decimal digit), never a surrogate", () => {
    const expected = which((c) => c === 0x2e || (!isSurrogate(c) && /\p{Nd}/u.test(String.fromCharCode(c))));
    assert.deepEqual(which(isNumberChar), expected);
    assert.ok(isNumberChar(0x660) && isNumberChar(0x39) && isNumberChar(0x30) && !isNumberChar(0x2f) && !isNumberChar(0x3a));
  });
  it('isHexChar and hexValue', () => {
    assert.deepEqual(which(isHexChar), [...'0123456789ABCDEFabcdef'].map((ch) => ch.charCodeAt(0)).sort((a, b) => a - b));
    for (const ch of '0123456789ABCDEFabcdef') assert.equal(hexValue(ch.charCodeAt(0)), parseInt(ch, 16), ch);
  });
});

describe('look-alikes', () => {
  it('the whole table: each character, its name and what it stands for', () => {
    assert.deepEqual(
      [...LOOKALIKES].map(([c, l]) => [c.toString(16), l.name, l.replacement]),
      [
        ['a0', 'no-break space (U+00A0)', ' '],
        ['2007', 'figure space (U+2007)', ' '],
        ['202f', 'narrow no-break space (U+202F)', ' '],
        ['200b', 'zero-width space (U+200B)', ''],
        ['feff', 'zero-width no-break space (U+FEFF)', ''],
        ['2215', 'division slash (U+2215)', '/'],
        ['2044', 'fraction slash (U+2044)', '/'],
        ['ff0f', 'fullwidth solidus (U+FF0F)', '/'],
        ['2010', 'hyphen (U+2010)', '-'],
        ['2011', 'non-breaking hyphen (U+2011)', '-'],
        ['2012', 'figure dash (U+2012)', '-'],
        ['2013', 'en dash (U+2013)', '-'],
        ['2014', 'em dash (U+2014)', '-'],
        ['2212', 'minus sign (U+2212)', '-'],
        ['2192', 'rightwards arrow (U+2192)', '=>'],
        ['21d2', 'rightwards double arrow (U+21D2)', '=>'],
        ['ff1d', 'fullwidth equals sign (U+FF1D)', '='],
        ['ff1b', 'fullwidth semicolon (U+FF1B)', ';'],
        ['37e', 'Greek question mark (U+037E)', ';'],
        ['ff5c', 'fullwidth vertical line (U+FF5C)', '|'],
        ['ff06', 'fullwidth ampersand (U+FF06)', '&'],
        ['2217', 'asterisk operator (U+2217)', '*'],
        ['ff0a', 'fullwidth asterisk (U+FF0A)', '*'],
      ],
    );
  });
});
