import { describe, expect, it } from 'vitest';
import {
  conditionSubScore,
  cpuSubScore,
  effectiveWeight,
  foldAscii,
  gpuSubScore,
  priceSubScore,
  ramSubScore,
  roundScore,
  scoreListing,
  scoringWeightsSchema,
  storageSubScore,
  subScores,
  weightsFromJson,
  type ScorableListing,
} from './score.js';

const listing = (overrides: Partial<ScorableListing> = {}): ScorableListing => ({
  price: '0',
  condition: null,
  cpu: null,
  gpu: null,
  ramGb: null,
  storageGb: null,
  ...overrides,
});
const only = (attribute: string) => ({ price: 0, cpu: 0, gpu: 0, ram: 0, storage: 0, condition: 0, [attribute]: 1 });

describe('the worked example of docs/scoring.md', () => {
  const tower = listing({
    price: '849.00',
    condition: 'USED',
    cpu: 'AMD Ryzen 7 5800X',
    gpu: 'NVIDIA RTX 3070',
    ramGb: 32,
    storageGb: 1000,
  });
  const balanced = { price: 30, cpu: 25, gpu: 15, ram: 15, storage: 5, condition: 10 };

  it('has the sub-scores the document lists', () => {
    expect(subScores(tower)).toEqual({ price: 500 / 1349, cpu: 0.8, gpu: 0.8, ram: 0.5, storage: 0.5, condition: 0.6 });
    expect(subScores(tower).price).toBeCloseTo(0.370645, 6);
  });

  it('scores 59.119… under Balanced, shown as 59.1', () => {
    const score = scoreListing(tower, balanced);
    expect(score).toBe(59.11934766493699);
    expect(roundScore(score)).toBe(59.1);
  });

  it('scores 47.7 under Budget first', () => {
    const score = scoreListing(tower, { price: 60, cpu: 10, gpu: 5, ram: 10, storage: 5, condition: 10 });
    expect(roundScore(score)).toBe(47.7);
  });

  it('does not depend on the scale of the weights, only their ratios', () => {
    const tenth = Object.fromEntries(Object.entries(balanced).map(([key, value]) => [key, value / 10]));
    expect(scoreListing(tower, tenth)).toBeCloseTo(scoreListing(tower, balanced), 12);
  });
});

describe('price', () => {
  it.each([
    [0, 1],
    [500, 0.5],
    [1500, 0.25],
    ['849.00', 500 / 1349],
    [-20, 1],
    [null, 0],
  ] as const)('%s → %s', (price, expected) => {
    expect(priceSubScore(price)).toBe(expected);
  });

  it('reads a Decimal through its string form', () => {
    expect(priceSubScore({ toString: () => '1500.00' })).toBe(0.25);
  });
});

describe('RAM and storage', () => {
  it.each([
    [null, 0],
    [0, 0],
    [-8, 0],
    [16, 0.25],
    [64, 1],
    [128, 1],
  ])('RAM %s GB → %s', (gb, expected) => expect(ramSubScore(gb)).toBe(expected));

  it.each([
    [null, 0],
    [500, 0.25],
    [2000, 1],
    [8000, 1],
  ])('storage %s GB → %s', (gb, expected) => expect(storageSubScore(gb)).toBe(expected));
});

describe('condition', () => {
  it.each([
    ['NEW', 1],
    ['LIKE_NEW', 0.9],
    ['REFURBISHED', 0.8],
    ['USED', 0.6],
    ['FOR_PARTS', 0.1],
    [null, 0],
  ] as const)('%s → %s', (condition, expected) => expect(conditionSubScore(condition)).toBe(expected));
});

describe('CPU tiers', () => {
  it.each([
    ['Intel Core i9-13900K', 1],
    ['INTEL CORE I9', 1],
    ['AMD Ryzen 9 7940HS', 1],
    ['ryzen9 5950x', 1],
    ['AMD Ryzen AI 9 HX 370', 1],
    ['Intel Core Ultra 9 185H', 1],
    ['AMD Threadripper 3970X', 1],
    ['Intel(R) Xeon(R) E5-2680 v4', 1],
    ['AMD EPYC 7302', 1],
    ['Apple M2 Max', 1],
    ['Apple M1 Ultra', 1],
    ['Intel Core i7-10700T', 0.8],
    ['AMD Ryzen 7 5800X', 0.8],
    ['Core Ultra 7 155H', 0.8],
    ['Apple M3 Pro', 0.8],
    ['apple-m4-pro', 0.8],
    ['Intel Core i5-8500T', 0.6],
    ['Ryzen 5 PRO 4650GE', 0.6],
    ['Apple M2', 0.6],
    ['Intel Core i3-10100', 0.4],
    ['AMD Ryzen 3 3200G', 0.4],
    ['Intel Celeron N5105', 0.2],
    ['M2 Max', 0.2], // Apple chips are named with "Apple"
    ['Core 2 Duo', 0.2],
    ['Intel Core i9th gen', 0.2], // "i9th" is not the word i9
    ['ai9', 0.2],
    ['i95', 0.2],
    ['Ryzen 95', 0.2],
    ['Xeonic', 0.2],
    ['   ', 0],
    ['\t\n', 0],
    ['', 0],
    [null, 0],
  ])('%j → %s', (cpu, expected) => expect(cpuSubScore(cpu)).toBe(expected));

  it('the highest matching tier wins', () => {
    expect(cpuSubScore('i5 or i9')).toBe(1);
    expect(cpuSubScore('Apple M2 Pro')).toBe(0.8);
  });
});

describe('GPU tiers', () => {
  it.each([
    ['NVIDIA GeForce RTX 4090', 1],
    ['RTX 4080 SUPER', 1],
    ['rtx4090d', 1],
    ['RTX 5090', 1],
    ['AMD Radeon RX 7900 XTX', 1],
    ['rx7900xt', 1],
    ['NVIDIA RTX 3070', 0.8],
    ['RTX A2000', 0.8],
    ['rtx3060', 0.8],
    ['Radeon RX 6800 XT', 0.8],
    ['RX 7600', 0.8],
    ['RX 9070 XT', 0.8],
    ['GeForce GTX 1080', 0.5],
    ['gtx1650', 0.5],
    ['Radeon RX 580', 0.5],
    ['RX Vega 56', 0.5],
    ['Intel Arc A770', 0.5],
    ['RTX 40900', 0.8], // not a 4090: just another RTX
    ['Intel UHD Graphics 630', 0.2],
    ['search', 0.2], // "arc" inside a word is not Arc
    ['rtxa', 0.2],
    [' ', 0],
    [null, 0],
  ])('%j → %s', (gpu, expected) => expect(gpuSubScore(gpu)).toBe(expected));
});

describe('foldAscii', () => {
  it('lowers A-Z and leaves every other character as it is', () => {
    expect(foldAscii('Ryzen Ä \u212A XEON')).toBe('ryzen Ä \u212A xeon');
  });
});

describe('weights', () => {
  it('scoringWeightsSchema accepts 0..100 with at least one above 0', () => {
    expect(scoringWeightsSchema.parse(only('gpu'))).toEqual(only('gpu'));
    expect(scoringWeightsSchema.safeParse({ ...only('gpu'), price: 100 }).success).toBe(true);
  });

  it.each([
    [
      'all zero',
      { price: 0, cpu: 0, gpu: 0, ram: 0, storage: 0, condition: 0 },
      '',
      'At least one weight must be above 0',
    ],
    ['negative', { ...only('cpu'), price: -1 }, 'price', 'Price weight must be between 0 and 100'],
    ['above 100', { ...only('cpu'), storage: 100.5 }, 'storage', 'Storage weight must be between 0 and 100'],
  ])('scoringWeightsSchema refuses %s', (_name, weights, path, message) => {
    const result = scoringWeightsSchema.safeParse(weights);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([[path, message]]);
  });

  it('scoringWeightsSchema requires all six', () => {
    const { condition: _omitted, ...five } = only('cpu');
    expect(scoringWeightsSchema.safeParse(five).error?.issues[0]?.path).toEqual(['condition']);
  });

  it.each([
    [5, 5],
    [150, 100],
    [-3, 0],
    [1e-301, 0],
    ['5', 0],
    [null, 0],
    [undefined, 0],
    [Number.NaN, 0],
    [Number.POSITIVE_INFINITY, 100],
  ])('a stored weight %s counts as %s', (value, expected) => expect(effectiveWeight(value)).toBe(expected));

  it('weightsFromJson reads the six keys, missing or malformed ones as 0', () => {
    expect(weightsFromJson({ price: 1, cpu: '2', gpu: 3.5, other: 9 })).toEqual({
      price: 1,
      cpu: 0,
      gpu: 3.5,
      ram: 0,
      storage: 0,
      condition: 0,
    });
    for (const json of [null, [1, 2], 'x', 7]) expect(Object.values(weightsFromJson(json))).toEqual([0, 0, 0, 0, 0, 0]);
    // Inherited properties are not weights.
    expect(weightsFromJson(Object.create({ price: 5 }))).toMatchObject({ price: 0 });
  });
});

describe('scoreListing', () => {
  const best = listing({
    price: 0,
    condition: 'NEW',
    cpu: 'i9',
    gpu: 'RTX 4090',
    ramGb: 64,
    storageGb: 2000,
  });

  it('is 100 for a listing best at everything and 0 for one with nothing', () => {
    const all = { price: 1, cpu: 1, gpu: 1, ram: 1, storage: 1, condition: 1 };
    expect(scoreListing(best, all)).toBe(100);
    expect(scoreListing(listing({ price: null }), all)).toBe(0);
  });

  it('with one weight, is 100 × that sub-score', () => {
    const tower = listing({ price: 500, condition: 'USED', cpu: 'i5', gpu: 'gtx 1060', ramGb: 16, storageGb: 500 });
    expect(scoreListing(tower, only('price'))).toBe(50);
    expect(scoreListing(tower, only('cpu'))).toBe(60);
    expect(scoreListing(tower, only('gpu'))).toBe(50);
    expect(scoreListing(tower, only('ram'))).toBe(25);
    expect(scoreListing(tower, only('storage'))).toBe(25);
    expect(scoreListing(tower, only('condition'))).toBe(60);
  });

  it('is 0 when every weight counts as 0, and ignores keys it does not know', () => {
    expect(scoreListing(best, {})).toBe(0);
    expect(scoreListing(best, { price: -5, cpu: 'x' })).toBe(0);
    expect(scoreListing(best, { ...only('cpu'), bogus: 50 } as never)).toBe(100);
  });

  it('clamps weights above 100 (as the SQL does)', () => {
    const cheap = listing({ price: 500, cpu: 'i3' });
    expect(scoreListing(cheap, { price: 1000, cpu: 100 })).toBe(scoreListing(cheap, { price: 100, cpu: 100 }));
  });
});

describe('roundScore', () => {
  it.each([
    [59.11934766493699, 59.1],
    [47.75, 47.8],
    [0.04, 0],
    [99.96, 100],
  ])('%s → %s', (score, expected) => expect(roundScore(score)).toBe(expected));
});
