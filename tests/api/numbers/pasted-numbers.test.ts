import { readPastedNumbers, type PastedEntry } from '../../../api/numbers/pasted-numbers';

const read = (pasted: string | readonly string[]): PastedEntry[] => readPastedNumbers(pasted, 'US');
const e164s = (entries: PastedEntry[]): string[] => entries.flatMap((e) => (e.e164 === undefined ? [] : [e.e164]));
const rejected = (entries: PastedEntry[]) => entries.filter((e) => e.e164 === undefined);

describe('readPastedNumbers', () => {
  describe('separators', () => {
    it('splits on new lines (\\n and \\r\\n)', () => {
      expect(read('+12125550100\n+12125550101\r\n+12125550102')).toEqual([
        { input: '+12125550100', e164: '+12125550100' },
        { input: '+12125550101', e164: '+12125550101' },
        { input: '+12125550102', e164: '+12125550102' },
      ]);
      expect(read('123\nabc\r\n2125550100')).toEqual([
        { input: '123', reason: 'too short to be a phone number' },
        { input: 'abc', reason: 'no phone number found' },
        { input: '2125550100', e164: '+12125550100' },
      ]);
    });

    it('splits on commas', () => {
      expect(e164s(read('+12125550100,+12125550101, +12125550102'))).toEqual([
        '+12125550100',
        '+12125550101',
        '+12125550102',
      ]);
      expect(read('+12125550100,123,abc')).toEqual([
        { input: '+12125550100', e164: '+12125550100' },
        { input: '123', reason: 'too short to be a phone number' },
        { input: 'abc', reason: 'no phone number found' },
      ]);
    });

    it('splits on semicolons', () => {
      expect(e164s(read('+12125550100;+12125550101 ; +12125550102'))).toEqual([
        '+12125550100',
        '+12125550101',
        '+12125550102',
      ]);
      expect(read('+12125550100;123;abc')).toEqual([
        { input: '+12125550100', e164: '+12125550100' },
        { input: '123', reason: 'too short to be a phone number' },
        { input: 'abc', reason: 'no phone number found' },
      ]);
    });

    it('mixes every separator in one paste', () => {
      const entries = read('+12125550100\n+12125550101\r\n+12125550102,+12125550103;+12125550104');
      expect(e164s(entries)).toEqual([
        '+12125550100',
        '+12125550101',
        '+12125550102',
        '+12125550103',
        '+12125550104',
      ]);
      expect(rejected(entries)).toEqual([]);
    });

    it('finds several space-separated numbers in one piece', () => {
      expect(read('+12125550100 +12125550101')).toEqual([
        { input: '+12125550100', e164: '+12125550100' },
        { input: '+12125550101', e164: '+12125550101' },
      ]);
    });

    it('finds formatted numbers side by side in one piece', () => {
      expect(e164s(read('+1 212 555 0100 +44 20 7946 0958'))).toEqual(['+12125550100', '+442079460958']);
    });

    it('finds national numbers separated by a space', () => {
      expect(e164s(read('2125550100 2125550101'))).toEqual(['+12125550100', '+12125550101']);
    });

    it('ignores blank pieces', () => {
      expect(read('\n\n+12125550100,,\r\n ;  ;\n')).toEqual([{ input: '+12125550100', e164: '+12125550100' }]);
    });

    it('finds nothing in a paste of blanks and separators only', () => {
      expect(read(' , ;\n\r\n  ')).toEqual([]);
      expect(read('')).toEqual([]);
    });
  });

  describe('normalises one number written in many ways to E.164', () => {
    it.each([
      ['+1 (212) 555-0100'],
      ['tel:+12125550100'],
      ['12125550100'],
      ['2125550100'],
      ['(212) 555-0100'],
      ['+1-212-555-0100'],
      ['+12125550100'],
    ])('%s is +12125550100', (pasted) => {
      const entries = read(pasted);
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ e164: '+12125550100' });
      expect(entries[0]).not.toHaveProperty('reason');
    });

    it('keeps what was pasted as the input', () => {
      expect(read('+1 (212) 555-0100')).toEqual([{ input: '+1 (212) 555-0100', e164: '+12125550100' }]);
    });
  });

  describe('numbers of other countries', () => {
    it.each([
      ['+44 20 7946 0958', '+442079460958'],
      ['+49 30 901820', '+4930901820'],
      ['+33 1 42 68 53 00', '+33142685300'],
    ])('accepts %s as %s', (pasted, e164) => {
      expect(read(pasted)).toEqual([{ input: pasted, e164 }]);
    });
  });

  describe('extensions', () => {
    it.each([
      ['+12125550100 ext. 123', '123'],
      ['+1 212 555 0100 x45', '45'],
      ['+12125550100#123', '123'],
      ['+1-212-555-0100;ext=5', '5'],
    ])('reports %s with the extension as the reason', (pasted, ext) => {
      const entries = read(pasted);
      expect(entries).toHaveLength(1);
      expect(entries[0]!.e164).toBeUndefined();
      expect(entries[0]).toEqual({ input: pasted, reason: expect.stringContaining('extension') });
      expect((entries[0] as { reason: string }).reason).toContain(ext);
    });

    it('keeps the extension of a tel: URI with its number, though semicolons separate pieces', () => {
      const entries = read('tel:+1-212-555-0100;ext=5; +12125550101');
      expect(e164s(entries)).toEqual(['+12125550101']);
      expect(rejected(entries)).toEqual([
        { input: '+1-212-555-0100;ext=5', reason: expect.stringContaining('extension (5)') },
      ]);
    });

    it('reports the extension without losing the numbers around it', () => {
      const entries = read('+12125550100\n+12125550101 ext. 7\n+12125550102');
      expect(e164s(entries)).toEqual(['+12125550100', '+12125550102']);
      expect(rejected(entries)).toEqual([
        { input: '+12125550101 ext. 7', reason: expect.stringContaining('extension (7)') },
      ]);
    });
  });

  describe('pieces with no valid number', () => {
    it.each([
      ['123', 'too short to be a phone number'],
      ['555-0100', 'too short to be a phone number'],
      ['+1 212 555 01', 'too short to be a phone number'],
      ['+1212555010012345678', 'too long to be a phone number'],
      ['1234567890123456789012', 'too long to be a phone number'],
      ['+999 1234 5678', 'unknown country code (start international numbers with + and the country code)'],
      ['hello', 'no phone number found'],
      ['abc', 'no phone number found'],
      ['+1 212 055 0100', 'not a valid +1 number'],
    ])('reports %s: %s', (pasted, reason) => {
      expect(read(pasted)).toEqual([{ input: pasted, reason }]);
    });

    it('reports every bad piece and keeps the good ones, in order', () => {
      expect(read('+12125550100\n123\nhello\n+12125550101')).toEqual([
        { input: '+12125550100', e164: '+12125550100' },
        { input: '123', reason: 'too short to be a phone number' },
        { input: 'hello', reason: 'no phone number found' },
        { input: '+12125550101', e164: '+12125550101' },
      ]);
    });
  });

  describe('labels and leftovers', () => {
    it('takes the number from a label such as "Main: +12125550100" and reports no error', () => {
      expect(read('Main: +12125550100')).toEqual([{ input: '+12125550100', e164: '+12125550100' }]);
    });

    it('ignores words around a number when they hold no digits', () => {
      expect(read('Main: +12125550100 (office)')).toEqual([{ input: '+12125550100', e164: '+12125550100' }]);
    });

    it('reports a fragment with digits after a valid number', () => {
      expect(read('+12125550100 999')).toEqual([
        { input: '+12125550100', e164: '+12125550100' },
        { input: '999', reason: 'too short to be a phone number' },
      ]);
    });

    it('reports a fragment with digits before a valid number', () => {
      expect(read('42 +12125550100')).toEqual([
        { input: '42', reason: 'too short to be a phone number' },
        { input: '+12125550100', e164: '+12125550100' },
      ]);
    });
  });

  describe('a list of texts', () => {
    it('reads every element as pasted text', () => {
      expect(read(['+12125550100', '2125550101, 2125550102', '', 'nope'])).toEqual([
        { input: '+12125550100', e164: '+12125550100' },
        { input: '2125550101', e164: '+12125550101' },
        { input: '2125550102', e164: '+12125550102' },
        { input: 'nope', reason: 'no phone number found' },
      ]);
    });

    it('finds nothing in an empty list', () => {
      expect(read([])).toEqual([]);
    });
  });

  it('uses the default region for national numbers', () => {
    expect(readPastedNumbers('020 7946 0958', 'GB')).toEqual([{ input: '020 7946 0958', e164: '+442079460958' }]);
    expect(e164s(readPastedNumbers('2125550100', 'US'))).toEqual(['+12125550100']);
  });
});
