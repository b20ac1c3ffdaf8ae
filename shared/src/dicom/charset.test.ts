import { describe, expect, it } from 'vitest';
import { decodeDicomText, parseSpecificCharacterSet, splitValues } from './charset';
import { formatPersonName, parsePersonName } from './person-name';
import { encodeText } from './test-support/writer';

const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));
const utf8 = (s: string): Uint8Array => encodeText(s, 'utf-8');

describe('Specific Character Set decoding', () => {
  it('reads ISO_IR 100 (Latin-1): Buc^Jérôme, Äneas^Rüdiger', () => {
    const cs = parseSpecificCharacterSet('ISO_IR 100');
    expect(decodeDicomText(bytes('Buc^J', [0xe9], 'r', [0xf4], 'me'), cs, { personName: true })).toBe('Buc^Jérôme');
    expect(decodeDicomText(bytes([0xc4], 'neas^R', [0xfc], 'diger'), cs)).toBe('Äneas^Rüdiger');
    expect(cs.unsupported).toEqual([]);
  });

  it('reads ISO_IR 192 (UTF-8), including characters outside Latin-1', () => {
    const cs = parseSpecificCharacterSet('ISO_IR 192');
    expect(decodeDicomText(utf8('Wang^XiaoDong=王^小東='), cs)).toBe('Wang^XiaoDong=王^小東=');
    expect(decodeDicomText(utf8('Łukasz^Œuvray'), cs)).toBe('Łukasz^Œuvray');
  });

  it('reads the default repertoire as ASCII (and a stray high byte as Latin-1 rather than dropping it)', () => {
    const none = parseSpecificCharacterSet(undefined);
    expect(none.terms).toEqual([]);
    expect(decodeDicomText(bytes('Doe^John'), none)).toBe('Doe^John');
    expect(decodeDicomText(bytes('M', [0xfc], 'ller'), none)).toBe('Müller');
  });

  it('reads other ISO 8859 parts through TextDecoder (Latin-2, Cyrillic, Greek)', () => {
    expect(decodeDicomText(bytes([0xa3], 'ukasz'), parseSpecificCharacterSet('ISO_IR 101'))).toBe('Łukasz');
    expect(decodeDicomText(Uint8Array.from([0xbb, 0xee, 0xda, 0xe1]), parseSpecificCharacterSet('ISO_IR 144'))).toBe('Люкс');
    expect(decodeDicomText(Uint8Array.from([0xc4, 0xe9, 0xef]), parseSpecificCharacterSet('ISO_IR 126'))).toBe('Διο');
  });

  it('reads ISO 2022 IR 100 with and without escape sequences (PS3.5 code extensions)', () => {
    const cs = parseSpecificCharacterSet('ISO 2022 IR 100');
    expect(cs.codeExtensions).toBe(true);
    // G1 is Latin-1 from the start; an explicit ESC - A changes nothing.
    expect(decodeDicomText(bytes('Buc^J', [0xe9], 'r', [0xf4], 'me'), cs, { personName: true })).toBe('Buc^Jérôme');
    expect(decodeDicomText(bytes([0x1b, 0x2d, 0x41], 'Buc^J', [0xe9], 'r', [0xf4], 'me'), cs)).toBe('Buc^Jérôme');
  });

  it('switches G1 between Latin-1 and Cyrillic by escape sequences, and resets at delimiters', () => {
    const cs = parseSpecificCharacterSet('ISO 2022 IR 100\\ISO 2022 IR 144');
    // "J<e9>r<f4>me^" then ESC - L (Cyrillic) "Люкс", then "=": back to the initial Latin-1.
    const value = bytes('J', [0xe9], 'r', [0xf4], 'me^', [0x1b, 0x2d, 0x4c, 0xbb, 0xee, 0xda, 0xe1], '=', [0xe9]);
    expect(decodeDicomText(value, cs, { personName: true })).toBe('Jérôme^Люкс=é');
  });

  it('reads Japanese ISO 2022 IR 87 (JIS X 0208 in G0) from the PS3.5 example', () => {
    const cs = parseSpecificCharacterSet('\\ISO 2022 IR 87');
    // Yamada^Tarou=山田^太郎 (PS3.5 H.3.1, ideographic group only)
    const value = Uint8Array.from([
      0x59, 0x61, 0x6d, 0x61, 0x64, 0x61, 0x5e, 0x54, 0x61, 0x72, 0x6f, 0x75, 0x3d, 0x1b, 0x24, 0x42, 0x3b, 0x33,
      0x45, 0x44, 0x1b, 0x28, 0x42, 0x5e, 0x1b, 0x24, 0x42, 0x42, 0x40, 0x4f, 0x3a, 0x1b, 0x28, 0x42,
    ]);
    expect(decodeDicomText(value, cs, { personName: true })).toBe('Yamada^Tarou=山田^太郎');
  });

  it('reads Korean ISO 2022 IR 149 (KS X 1001 in G1) from the PS3.5 example', () => {
    const cs = parseSpecificCharacterSet('\\ISO 2022 IR 149');
    // Hong^Gildong=洪^吉洞 (PS3.5 I.2)
    const value = Uint8Array.from([
      0x48, 0x6f, 0x6e, 0x67, 0x5e, 0x47, 0x69, 0x6c, 0x64, 0x6f, 0x6e, 0x67, 0x3d, 0x1b, 0x24, 0x29, 0x43, 0xfb,
      0xf3, 0x5e, 0x1b, 0x24, 0x29, 0x43, 0xd1, 0xce, 0xd4, 0xd7,
    ]);
    expect(decodeDicomText(value, cs, { personName: true })).toBe('Hong^Gildong=洪^吉洞');
  });

  it('reads GB18030 (PS3.5 K.2) and Japanese half-width katakana (ISO_IR 13, ISO 2022 IR 13)', () => {
    const gb = Uint8Array.from([...'Wang^XiaoDong='].map((c) => c.charCodeAt(0)).concat([0xcd, 0xf5, 0x5e, 0xd0, 0xa1, 0xb6, 0xab, 0x3d]));
    expect(decodeDicomText(gb, parseSpecificCharacterSet('GB18030'), { personName: true })).toBe('Wang^XiaoDong=王^小东=');
    // ﾔﾏﾀﾞ^ﾀﾛｳ (PS3.5 H.3.2, phonetic group): JIS X 0201 katakana in the high half.
    const kana = Uint8Array.from([0xd4, 0xcf, 0xc0, 0xde, 0x5e, 0xc0, 0xdb, 0xb3]);
    expect(decodeDicomText(kana, parseSpecificCharacterSet('ISO_IR 13'), { personName: true })).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ');
    expect(decodeDicomText(kana, parseSpecificCharacterSet('ISO 2022 IR 13'), { personName: true })).toBe('ﾔﾏﾀﾞ^ﾀﾛｳ');
  });

  it('names a term it cannot decode and falls back to Latin-1 for its bytes', () => {
    const cs = parseSpecificCharacterSet('ISO_IR 999');
    expect(cs.unsupported).toEqual(['ISO_IR 999']);
    expect(decodeDicomText(bytes('Ren', [0xe9]), cs)).toBe('René');
  });

  it('splits values and trims padding', () => {
    expect(splitValues('A \\ B\0')).toEqual(['A', 'B']);
  });
});

describe('person names', () => {
  it('splits groups and components and formats family name first', () => {
    const pn = parsePersonName('Doe^John^A^Dr^Jr');
    expect(pn.alphabetic).toEqual({ family: 'Doe', given: 'John', middle: 'A', prefix: 'Dr', suffix: 'Jr' });
    expect(formatPersonName(pn)).toBe('Dr Doe, John A Jr');
    expect(formatPersonName(parsePersonName('Buc^Jérôme'))).toBe('Buc, Jérôme');
    expect(formatPersonName(parsePersonName('Yamada^Tarou=山田^太郎=やまだ^たろう'))).toBe('Yamada, Tarou (山田, 太郎)');
    expect(formatPersonName(parsePersonName('=山田^太郎'))).toBe('山田, 太郎');
    expect(formatPersonName(parsePersonName('ANONYMOUS'))).toBe('ANONYMOUS');
  });
});
