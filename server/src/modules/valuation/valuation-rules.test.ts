import { describe, expect, it } from 'vitest';
import {
  containsWord,
  describeRule,
  formatCents,
  formatFactor,
  MAX_VALUE_CENTS,
  multiplyCents,
  parseScaled,
  readStoredRules,
  rulesetSchema,
  valueListing,
  type ValuationRule,
  type ValuedListing,
} from './valuation-rules.js';

/** The demo seed's ruleset (server/src/db/seed.ts) and docs/valuation.md's worked example. */
const SEED_RULES: ValuationRule[] = [
  { when: { attribute: 'RAM_GB', operator: 'BELOW', value: 16 }, adjust: { kind: 'SUBTRACT', amount: '30.00' } },
  { when: { attribute: 'RAM_GB', operator: 'ABOVE', value: 31 }, adjust: { kind: 'ADD', amount: '40.00' } },
  {
    when: { attribute: 'CONDITION', operator: 'EQUALS', value: 'FOR_PARTS' },
    adjust: { kind: 'MULTIPLY', factor: '0.3' },
  },
  { when: { attribute: 'GPU', operator: 'CONTAINS', value: 'rtx' }, adjust: { kind: 'ADD', amount: '75.00' } },
];

const listing = (overrides: Partial<ValuedListing> = {}): ValuedListing => ({
  priceCents: 10_000,
  condition: 'USED',
  cpu: null,
  gpu: null,
  ramGb: null,
  storageGb: null,
  ...overrides,
});

describe('the worked example of docs/valuation.md', () => {
  it('a gaming tower at 849.00 with 32 GB and an RTX card is worth 964.00 (+115.00), rules 1 and 3', () => {
    const tower = listing({
      priceCents: 84_900,
      cpu: 'AMD Ryzen 7 5800X',
      gpu: 'NVIDIA RTX 3070',
      ramGb: 32,
      storageGb: 1000,
    });
    expect(valueListing(tower, SEED_RULES)).toEqual({ valueCents: 96_400, deltaCents: 11_500, applied: [1, 3] });
  });

  it('a 99.99 box for parts with 8 GB: 69.99, then × 0.3 = 20.997 → 21.00 (−78.99), rules 0 and 2', () => {
    const parts = listing({ priceCents: 9_999, condition: 'FOR_PARTS', ramGb: 8 });
    expect(valueListing(parts, SEED_RULES)).toEqual({ valueCents: 2_100, deltaCents: -7_899, applied: [0, 2] });
  });

  it('the sentences', () => {
    expect(SEED_RULES.map(describeRule)).toEqual([
      'RAM below 16 GB: subtract 30.00',
      'RAM above 31 GB: add 40.00',
      'Condition is for parts: multiply by 0.3',
      'GPU contains "rtx": add 75.00',
    ]);
  });
});

describe('valueListing', () => {
  it('no rules: the price, delta 0', () => {
    expect(valueListing(listing({ priceCents: 12_345 }), [])).toEqual({
      valueCents: 12_345,
      deltaCents: 0,
      applied: [],
    });
  });

  it('null RAM, storage, CPU and GPU match no rule', () => {
    const rules: ValuationRule[] = [
      { when: { attribute: 'RAM_GB', operator: 'BELOW', value: 1_000_000 }, adjust: { kind: 'ADD', amount: '1' } },
      { when: { attribute: 'RAM_GB', operator: 'ABOVE', value: 0 }, adjust: { kind: 'ADD', amount: '1' } },
      { when: { attribute: 'STORAGE_GB', operator: 'BELOW', value: 1_000_000 }, adjust: { kind: 'ADD', amount: '1' } },
      { when: { attribute: 'CPU', operator: 'CONTAINS', value: 'intel' }, adjust: { kind: 'ADD', amount: '1' } },
      { when: { attribute: 'GPU', operator: 'CONTAINS', value: 'rtx' }, adjust: { kind: 'ADD', amount: '1' } },
    ];
    expect(valueListing(listing(), rules).applied).toEqual([]);
  });

  it('thresholds are strict: below 16 excludes 16, above 31 excludes 31', () => {
    const rules: ValuationRule[] = [
      { when: { attribute: 'RAM_GB', operator: 'BELOW', value: 16 }, adjust: { kind: 'ADD', amount: '1' } },
      { when: { attribute: 'RAM_GB', operator: 'ABOVE', value: 31 }, adjust: { kind: 'ADD', amount: '1' } },
      { when: { attribute: 'STORAGE_GB', operator: 'BELOW', value: 256 }, adjust: { kind: 'ADD', amount: '1' } },
    ];
    expect(valueListing(listing({ ramGb: 16, storageGb: 256 }), rules).applied).toEqual([]);
    expect(valueListing(listing({ ramGb: 15, storageGb: 255 }), rules).applied).toEqual([0, 2]);
    expect(valueListing(listing({ ramGb: 32 }), rules).applied).toEqual([1]);
  });

  it('rules apply in order: add then multiply differs from multiply then add', () => {
    const add: ValuationRule = {
      when: { attribute: 'CONDITION', operator: 'EQUALS', value: 'USED' },
      adjust: { kind: 'ADD', amount: '10' },
    };
    const double: ValuationRule = {
      when: { attribute: 'CONDITION', operator: 'EQUALS', value: 'USED' },
      adjust: { kind: 'MULTIPLY', factor: '2' },
    };
    expect(valueListing(listing({ priceCents: 1_000 }), [add, double]).valueCents).toBe(4_000);
    expect(valueListing(listing({ priceCents: 1_000 }), [double, add]).valueCents).toBe(3_000);
  });

  it('clamps at 0 after each step, so a later add starts from 0', () => {
    const rules: ValuationRule[] = [
      {
        when: { attribute: 'CONDITION', operator: 'EQUALS', value: 'USED' },
        adjust: { kind: 'SUBTRACT', amount: '500' },
      },
      { when: { attribute: 'CONDITION', operator: 'EQUALS', value: 'USED' }, adjust: { kind: 'ADD', amount: '5' } },
    ];
    expect(valueListing(listing({ priceCents: 10_000 }), rules)).toEqual({
      valueCents: 500,
      deltaCents: -9_500,
      applied: [0, 1],
    });
  });

  it('clamps at MAX_VALUE_CENTS, so repeated × 100 cannot overflow', () => {
    const rule: ValuationRule = {
      when: { attribute: 'CONDITION', operator: 'EQUALS', value: 'NEW' },
      adjust: { kind: 'MULTIPLY', factor: '100' },
    };
    const result = valueListing(listing({ priceCents: 99_999_999_999, condition: 'NEW' }), Array(50).fill(rule));
    expect(result.valueCents).toBe(MAX_VALUE_CENTS);
    expect(result.applied).toHaveLength(50);
  });

  it('multiplication rounds half away from zero, exactly', () => {
    expect(multiplyCents(5, 5_000)).toBe(3); // 2.5 → 3
    expect(multiplyCents(3, 5_000)).toBe(2); // 1.5 → 2
    expect(multiplyCents(-5, 5_000)).toBe(-3);
    expect(multiplyCents(4_999, 1)).toBe(0); // 0.4999 → 0
    expect(multiplyCents(5_000, 1)).toBe(1); // 0.5 → 1
    expect(multiplyCents(MAX_VALUE_CENTS, 1_000_000)).toBe(100 * MAX_VALUE_CENTS);
    // 0.1 × 3 is not 0.3 in floating point; here it is.
    expect(multiplyCents(10, 30_000)).toBe(30);
  });
});

describe('containsWord', () => {
  it.each([
    ['NVIDIA RTX 3070', 'rtx', true],
    ['nvidia geforce-rtx', 'RTX', true],
    ['RTX', 'rtx', true],
    ['(rtx)', 'rtx', true],
    ['RTX3070', 'rtx', false],
    ['GTX 1080', 'rtx', false],
    ['Intel Core i7-10700T', 'i7', true],
    ['Intel Core i7-10700T', 'i', false],
    ['Ryzen 7 5800X', '7', true],
    ['ÄRTX', 'rtx', true], // a non-ASCII letter is not a word character
    ['rtxé', 'rtx', true],
    ['Ａrtx', 'rtx', true],
    ['RTX 🚀', 'rtx', true],
    ['İntel', 'intel', false], // only A–Z are folded: İ is not I
    ['', 'rtx', false],
  ])('%j contains %j: %s', (text, word, expected) => {
    expect(containsWord(text, word)).toBe(expected);
  });

  it('a word that is not letters and digits matches nothing (it never reaches a pattern)', () => {
    expect(containsWord('a.b', '.')).toBe(false);
    expect(containsWord('anything', '.*')).toBe(false);
  });
});

describe('decimals', () => {
  it.each([
    ['12.5', 2, 1_250],
    ['12.50', 2, 1_250],
    ['0.01', 2, 1],
    ['7', 2, 700],
    ['1.1', 4, 11_000],
    ['0.0001', 4, 1],
    ['1.234', 2, null],
    ['-1', 2, null],
    ['1e3', 2, null],
    ['', 2, null],
    ['.5', 2, null],
  ])('parseScaled(%j, %i) = %j', (text, decimals, expected) => {
    expect(parseScaled(text, decimals)).toBe(expected);
  });

  it('formats cents and factors', () => {
    expect([formatCents(0), formatCents(5), formatCents(-1_230), formatCents(123_456)]).toEqual([
      '0.00',
      '0.05',
      '-12.30',
      '1234.56',
    ]);
    expect([formatFactor(11_000), formatFactor(20_000), formatFactor(3_333), formatFactor(1)]).toEqual([
      '1.1',
      '2',
      '0.3333',
      '0.0001',
    ]);
  });
});

describe('rulesetSchema', () => {
  const issues = (input: unknown) =>
    rulesetSchema
      .safeParse(input)
      .error?.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));

  it('normalises: trimmed name, lowercased word, canonical amount and factor, empty label dropped', () => {
    const parsed = rulesetSchema.parse({
      name: '  Mine ',
      rules: [
        {
          when: { attribute: 'GPU', operator: 'CONTAINS', value: ' RTX ' },
          adjust: { kind: 'ADD', amount: '75' },
          label: ' ',
        },
        { when: { attribute: 'RAM_GB', operator: 'BELOW', value: 8 }, adjust: { kind: 'MULTIPLY', factor: '0.50' } },
      ],
    });
    expect(parsed).toEqual({
      name: 'Mine',
      rules: [
        { when: { attribute: 'GPU', operator: 'CONTAINS', value: 'rtx' }, adjust: { kind: 'ADD', amount: '75.00' } },
        { when: { attribute: 'RAM_GB', operator: 'BELOW', value: 8 }, adjust: { kind: 'MULTIPLY', factor: '0.5' } },
      ],
    });
  });

  it.each([
    ['an empty name', { name: ' ', rules: [] }, 'name', 'Name is required'],
    ['a long name', { name: 'n'.repeat(101), rules: [] }, 'name', 'Name must be at most 100 characters'],
    ['51 rules', { name: 'x', rules: Array(51).fill(SEED_RULES[0]) }, 'rules', 'A ruleset has at most 50 rules'],
    [
      'a fractional threshold',
      {
        name: 'x',
        rules: [SEED_RULES[0], { ...SEED_RULES[0], when: { attribute: 'RAM_GB', operator: 'BELOW', value: 1.5 } }],
      },
      'rules.1.when.value',
      'RAM threshold must be a whole number of GB',
    ],
    [
      'storage ABOVE',
      { name: 'x', rules: [{ ...SEED_RULES[0], when: { attribute: 'STORAGE_GB', operator: 'ABOVE', value: 1 } }] },
      'rules.0.when.operator',
      'A storage rule compares with BELOW',
    ],
    [
      'two words',
      { name: 'x', rules: [{ ...SEED_RULES[0], when: { attribute: 'CPU', operator: 'CONTAINS', value: 'core i7' } }] },
      'rules.0.when.value',
      'CPU word must be a single word of letters and digits',
    ],
    [
      'a regex in the word',
      { name: 'x', rules: [{ ...SEED_RULES[0], when: { attribute: 'GPU', operator: 'CONTAINS', value: 'rtx|gtx' } }] },
      'rules.0.when.value',
      'GPU word must be a single word of letters and digits',
    ],
    [
      'an amount with three decimals',
      { name: 'x', rules: [{ ...SEED_RULES[0], adjust: { kind: 'ADD', amount: '1.234' } }] },
      'rules.0.adjust.amount',
      'Amount must be a number with at most two decimal places, like "12.50"',
    ],
    [
      'a zero amount',
      { name: 'x', rules: [{ ...SEED_RULES[0], adjust: { kind: 'SUBTRACT', amount: '0.00' } }] },
      'rules.0.adjust.amount',
      'Amount must be more than 0 and at most 1,000,000',
    ],
    [
      'a negative amount (SUBTRACT says the sign)',
      { name: 'x', rules: [{ ...SEED_RULES[0], adjust: { kind: 'ADD', amount: '-5' } }] },
      'rules.0.adjust.amount',
      'Amount must be more than 0 and at most 1,000,000',
    ],
    [
      'an amount above 1,000,000',
      { name: 'x', rules: [{ ...SEED_RULES[0], adjust: { kind: 'ADD', amount: '1000000.01' } }] },
      'rules.0.adjust.amount',
      'Amount must be more than 0 and at most 1,000,000',
    ],
    [
      'a factor above 100',
      { name: 'x', rules: [{ ...SEED_RULES[0], adjust: { kind: 'MULTIPLY', factor: '100.0001' } }] },
      'rules.0.adjust.factor',
      'Factor must be more than 0 and at most 100',
    ],
    [
      'a factor with five decimals',
      { name: 'x', rules: [{ ...SEED_RULES[0], adjust: { kind: 'MULTIPLY', factor: '1.00001' } }] },
      'rules.0.adjust.factor',
      'Factor must be a number with at most four decimal places, like "1.1"',
    ],
    [
      'a missing condition value',
      { name: 'x', rules: [{ ...SEED_RULES[0], when: { attribute: 'CONDITION', operator: 'EQUALS' } }] },
      'rules.0.when.value',
      'Condition is required',
    ],
  ])('refuses %s at its path', (_name, input, path, message) => {
    expect(issues(input)).toEqual([{ path, message }]);
  });

  it('accepts the boundaries: 50 rules, amount 1,000,000, factor 100 and 0.0001, threshold 0 and 1,000,000', () => {
    const rules = [
      { when: { attribute: 'RAM_GB', operator: 'ABOVE', value: 0 }, adjust: { kind: 'ADD', amount: '1000000' } },
      {
        when: { attribute: 'STORAGE_GB', operator: 'BELOW', value: 1_000_000 },
        adjust: { kind: 'MULTIPLY', factor: '100' },
      },
      {
        when: { attribute: 'CPU', operator: 'CONTAINS', value: 'x'.repeat(50) },
        adjust: { kind: 'MULTIPLY', factor: '0.0001' },
      },
    ];
    expect(
      rulesetSchema.safeParse({ name: 'n'.repeat(100), rules: [...rules, ...Array(47).fill(rules[0])] }).success,
    ).toBe(true);
  });
});

describe('readStoredRules', () => {
  it('reads what the schema stores', () => {
    expect(readStoredRules(JSON.parse(JSON.stringify(SEED_RULES)))).toEqual(SEED_RULES);
  });

  it('refuses anything else (the legacy shape, a non-array): a bug, not input', () => {
    expect(() =>
      readStoredRules([{ component: 'ram', match: { minGb: 32 }, adjustment: { amount: '40.00' } }]),
    ).toThrow();
    expect(() => readStoredRules({})).toThrow();
  });
});
