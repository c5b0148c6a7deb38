// The scoring and valuation form parsers (form ↔ GraphQL input, API issue paths → fields) and the
// listings table's order and number formats.
import { describe, expect, it } from 'vitest';
import { formatDelta, formatScore, listingsHref, orderParam, usableOrder } from '~/lib/listing-order';
import { DEFAULT_WEIGHTS, weightsSummary } from '~/lib/scoring';
import { scoringFormValues } from '~/lib/scoring';
import { parseScoringForm, scoringErrorsFromApi } from '~/lib/scoring-form.server';
import { rowErrors, type RuleRow } from '~/lib/valuation';
import {
  applyRowIntent,
  blankRow,
  parseIntent,
  parseRuleRows,
  ruleToRow,
  rowsToInput,
  rulesetErrorsFromApi,
  rulesetFieldOf,
} from '~/lib/valuation-form.server';

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.append(name, value);
  return data;
}

const WEIGHTS_FORM = {
  'weights.price': '30',
  'weights.cpu': '25',
  'weights.gpu': '15',
  'weights.ram': '15',
  'weights.storage': '5',
  'weights.condition': '10',
};

describe('parseScoringForm', () => {
  it('turns the form into a name and six numeric weights', () => {
    const { input, errors } = parseScoringForm(form({ name: ' Balanced ', ...WEIGHTS_FORM, 'weights.gpu': '12.5' }));
    expect(errors).toEqual({});
    expect(input).toEqual({
      name: ' Balanced ',
      weights: { price: 30, cpu: 25, gpu: 12.5, ram: 15, storage: 5, condition: 10 },
      isDefault: false,
    });
    expect(parseScoringForm(form({ name: 'x', ...WEIGHTS_FORM, isDefault: 'on' })).input?.isDefault).toBe(true);
  });

  it('leaves ranges to the API: 150, -1 and all zeros pass through', () => {
    const { input } = parseScoringForm(
      form({ name: '', ...WEIGHTS_FORM, 'weights.price': '150', 'weights.cpu': '-1', 'weights.gpu': '0' }),
    );
    expect(input?.weights).toMatchObject({ price: 150, cpu: -1, gpu: 0 });
    expect(input?.name).toBe('');
  });

  it('reports missing and non-numeric weights beside their fields, keeping what was typed', () => {
    const { input, errors, values } = parseScoringForm(
      form({ name: 'x', ...WEIGHTS_FORM, 'weights.ram': '', 'weights.storage': 'lots', 'weights.cpu': '1e3' }),
    );
    expect(input).toBeNull();
    expect(errors).toEqual({
      'weights.ram': 'RAM weight is required',
      'weights.storage': 'Storage weight must be a number from 0 to 100',
      'weights.cpu': 'CPU weight must be a number from 0 to 100',
    });
    expect(values['weights.storage']).toBe('lots');
  });

  it('round-trips a profile: its weights → form values → the same weights', () => {
    const values = scoringFormValues('Balanced', DEFAULT_WEIGHTS, true);
    expect(values).toMatchObject({ name: 'Balanced', isDefault: true, 'weights.price': '30' });
    const data = form({
      name: values.name,
      ...Object.fromEntries(Object.entries(values).filter(([k]) => k.startsWith('weights.'))),
    } as Record<string, string>);
    expect(parseScoringForm(data).input?.weights).toEqual(DEFAULT_WEIGHTS);
    expect(scoringFormValues('x', { ...DEFAULT_WEIGHTS, price: 0.1 + 0.2 })['weights.price']).toBe('0.3');
  });
});

describe('scoringErrorsFromApi', () => {
  it('puts each issue beside its field, the weights-wide one under `weights`, the rest on the form', () => {
    expect(
      scoringErrorsFromApi(
        {
          'input.name': 'Name is required',
          'input.weights.gpu': 'GPU weight must be between 0 and 100',
          'input.weights': 'At least one weight must be above 0',
          'input.id': 'Expected a ScoringProfile id',
        },
        'Name is required',
      ),
    ).toEqual({
      name: 'Name is required',
      'weights.gpu': 'GPU weight must be between 0 and 100',
      weights: 'At least one weight must be above 0',
      form: 'Expected a ScoringProfile id',
    });
    expect(scoringErrorsFromApi({ input: 'Give a name or weights to change' }, null)).toEqual({
      form: 'Give a name or weights to change',
    });
    expect(scoringErrorsFromApi({}, 'Something else')).toEqual({ form: 'Something else' });
  });
});

describe('weightsSummary', () => {
  it('lists the weights that count', () => {
    expect(weightsSummary(DEFAULT_WEIGHTS)).toBe('Price 30 · CPU 25 · GPU 15 · RAM 15 · Storage 5 · Condition 10');
    expect(weightsSummary({ price: 100, cpu: 0, gpu: 0, ram: 0, storage: 0, condition: 2.5 })).toBe(
      'Price 100 · Condition 2.5',
    );
  });
});

const row = (overrides: Partial<RuleRow>): RuleRow => ({ ...blankRow('k'), ...overrides });

describe('rule rows ↔ input', () => {
  const stored = [
    { attribute: 'RAM_GB', operator: 'BELOW', number: 16, adjustment: 'SUBTRACT', amount: '30.00', label: 'Needs RAM' },
    { attribute: 'CONDITION', operator: 'EQUALS', condition: 'FOR_PARTS', adjustment: 'MULTIPLY', factor: '0.3' },
    { attribute: 'GPU', operator: 'CONTAINS', text: 'rtx', adjustment: 'ADD', amount: '75.00', label: null },
  ];

  it('shows a stored rule as a row: the operand as the value, amount or factor as the amount', () => {
    expect(stored.map((rule, index) => ruleToRow(rule, `k${index}`))).toEqual([
      {
        key: 'k0',
        attribute: 'RAM_GB',
        operator: 'BELOW',
        value: '16',
        adjustment: 'SUBTRACT',
        amount: '30.00',
        label: 'Needs RAM',
      },
      {
        key: 'k1',
        attribute: 'CONDITION',
        operator: 'EQUALS',
        value: 'FOR_PARTS',
        adjustment: 'MULTIPLY',
        amount: '0.3',
        label: '',
      },
      {
        key: 'k2',
        attribute: 'GPU',
        operator: 'CONTAINS',
        value: 'rtx',
        adjustment: 'ADD',
        amount: '75.00',
        label: '',
      },
    ]);
  });

  it('turns rows into flat rules with only the operands each rule takes', () => {
    const rows = stored.map((rule, index) => ruleToRow(rule, `k${index}`));
    expect(rowsToInput(rows)).toEqual({
      errors: {},
      rules: [
        {
          attribute: 'RAM_GB',
          operator: 'BELOW',
          number: 16,
          adjustment: 'SUBTRACT',
          amount: '30.00',
          label: 'Needs RAM',
        },
        {
          attribute: 'CONDITION',
          operator: 'EQUALS',
          condition: 'FOR_PARTS',
          adjustment: 'MULTIPLY',
          factor: '0.3',
          label: null,
        },
        { attribute: 'GPU', operator: 'CONTAINS', text: 'rtx', adjustment: 'ADD', amount: '75.00', label: null },
      ],
    });
  });

  it('sends blanks as null for the API to name (required), and the implied operator of one-operator attributes', () => {
    const { rules } = rowsToInput([
      row({ attribute: 'CPU', operator: 'BELOW', value: '  ', adjustment: 'MULTIPLY', amount: '' }),
      row({ attribute: 'STORAGE_GB', operator: 'ABOVE', value: '512', amount: '1,000.5' }),
    ]);
    expect(rules).toEqual([
      { attribute: 'CPU', operator: 'CONTAINS', text: null, adjustment: 'MULTIPLY', factor: null, label: null },
      {
        attribute: 'STORAGE_GB',
        operator: 'BELOW',
        number: 512,
        adjustment: 'SUBTRACT',
        amount: '1000.5',
        label: null,
      },
    ]);
    // RAM takes two operators: a wrong one is the API's to refuse, beside the field.
    expect(rowsToInput([row({ operator: 'EQUALS', value: '8', amount: '1' })]).rules?.[0]?.operator).toBe('EQUALS');
  });

  it('reports values of the wrong shape beside their fields, by row', () => {
    expect(
      rowsToInput([
        row({ value: '8', amount: '1' }),
        row({ value: '8.5', amount: 'ten' }),
        row({ attribute: 'CONDITION', value: '16', adjustment: 'HALVE' }),
        row({ attribute: 'SIZE', value: '99999999999' }),
      ]),
    ).toEqual({
      rules: null,
      errors: {
        'rules.1.value': 'RAM threshold must be a whole number of GB',
        'rules.1.amount': 'Amount must be a number, like 12.50',
        'rules.2.value': 'Choose a condition',
        'rules.2.adjustment': 'Choose an adjustment from the list',
        'rules.3.attribute': 'Choose an attribute from the list',
        'rules.3.value': 'RAM threshold is too large',
      },
    });
  });
});

describe('parseRuleRows', () => {
  it('reads rows in index order, closing gaps, with unique keys', () => {
    const rows = parseRuleRows(
      form({
        name: 'x',
        'rules.10.key': 'b',
        'rules.10.attribute': 'GPU',
        'rules.10.value': 'rtx',
        'rules.2.key': 'a',
        'rules.2.attribute': 'RAM_GB',
        'rules.2.operator': 'ABOVE',
        'rules.2.value': '31',
        'rules.2.adjustment': 'ADD',
        'rules.2.amount': '40',
        'rules.2.label': 'Lots',
        'rules.11.key': 'a',
        'rules.11.attribute': 'CPU',
      }),
    );
    expect(rows.map((posted) => posted.attribute)).toEqual(['RAM_GB', 'GPU', 'CPU']);
    expect(rows[0]).toEqual({
      key: 'a',
      attribute: 'RAM_GB',
      operator: 'ABOVE',
      value: '31',
      adjustment: 'ADD',
      amount: '40',
      label: 'Lots',
    });
    expect(rows[1]).toMatchObject({ key: 'b', operator: '', amount: '' });
    // A repeated or odd key is replaced, so React keys stay unique.
    expect(rows[2]?.key).not.toBe('a');
    expect(parseRuleRows(form({ 'rules.0.key': '<script>', 'rules.0.attribute': 'CPU' }))[0]?.key).toMatch(/^n\w+$/);
  });

  it('reads at most 60 rows', () => {
    const many = Object.fromEntries(Array.from({ length: 80 }, (_v, i) => [`rules.${i}.attribute`, 'CPU']));
    expect(parseRuleRows(form(many))).toHaveLength(60);
  });
});

describe('applyRowIntent', () => {
  const rows = ['a', 'b', 'c'].map((key) => row({ key, value: key }));
  const keys = (result: { rows: RuleRow[] }) => result.rows.map((each) => each.key);

  it('parses intents', () => {
    expect(parseIntent('save')).toEqual({ kind: 'save' });
    expect(parseIntent('up:2')).toEqual({ kind: 'up', index: 2 });
    expect(parseIntent('remove:0')).toEqual({ kind: 'remove', index: 0 });
    expect(parseIntent('explode:1')).toBeNull();
    expect(parseIntent(null)).toBeNull();
  });

  it('adds a blank rule at the end', () => {
    const result = applyRowIntent(rows, { kind: 'add' });
    expect(result.rows).toHaveLength(4);
    expect(result.rows[3]).toMatchObject({ attribute: 'RAM_GB', operator: 'BELOW', value: '', adjustment: 'SUBTRACT' });
    expect(new Set(keys(result)).size).toBe(4);
  });

  it('refuses a 51st rule', () => {
    const fifty = Array.from({ length: 50 }, (_v, i) => row({ key: `k${i}` }));
    expect(applyRowIntent(fifty, { kind: 'add' })).toMatchObject({ error: 'A ruleset has at most 50 rules' });
  });

  it('removes and moves rows; moves past either end and unknown rows change nothing', () => {
    expect(keys(applyRowIntent(rows, { kind: 'remove', index: 1 }))).toEqual(['a', 'c']);
    expect(keys(applyRowIntent(rows, { kind: 'up', index: 2 }))).toEqual(['a', 'c', 'b']);
    expect(keys(applyRowIntent(rows, { kind: 'down', index: 0 }))).toEqual(['b', 'a', 'c']);
    expect(keys(applyRowIntent(rows, { kind: 'up', index: 0 }))).toEqual(['a', 'b', 'c']);
    expect(keys(applyRowIntent(rows, { kind: 'down', index: 2 }))).toEqual(['a', 'b', 'c']);
    expect(keys(applyRowIntent(rows, { kind: 'remove', index: 9 }))).toEqual(['a', 'b', 'c']);
  });

  it('gives a row whose attribute changed (without JavaScript) an operator that attribute takes', () => {
    const [changed] = applyRowIntent([row({ attribute: 'CONDITION', operator: 'BELOW' })], { kind: 'add' }).rows;
    expect(changed?.operator).toBe('EQUALS');
  });
});

describe('API issues → rule fields', () => {
  it.each([
    ['input.rules.2.number', 'rules.2.value'],
    ['input.rules.0.text', 'rules.0.value'],
    ['input.rules.1.condition', 'rules.1.value'],
    ['input.rules.3.factor', 'rules.3.amount'],
    ['input.rules.3.amount', 'rules.3.amount'],
    ['input.rules.4.operator', 'rules.4.operator'],
    ['input.rules.4.label', 'rules.4.label'],
    ['input.rules.5', 'rules.5'],
    ['input.rules', 'rules'],
    ['input.name', 'name'],
    ['input', 'form'],
    ['input.id', 'form'],
  ])('%s → %s', (path, field) => {
    expect(rulesetFieldOf(path)).toBe(field);
  });

  it('collects the issues by field; the first per field wins', () => {
    const errors = rulesetErrorsFromApi(
      {
        'input.rules.0.amount': 'Amount is required',
        'input.rules.0.factor': 'ADD takes amount, not factor',
        'input.rules.2.number': 'RAM threshold is required',
      },
      'Amount is required',
    );
    expect(errors).toEqual({ 'rules.0.amount': 'Amount is required', 'rules.2.value': 'RAM threshold is required' });
    expect(rowErrors(errors, 0)).toEqual({ amount: 'Amount is required' });
    expect(rowErrors(errors, 2)).toEqual({ value: 'RAM threshold is required' });
    expect(rowErrors(errors, 1)).toEqual({});
    expect(rulesetErrorsFromApi({}, 'Nothing to update')).toEqual({ form: 'Nothing to update' });
  });
});

describe('listings order and formats', () => {
  it('reads ?order= and falls back when the order is not available', () => {
    expect(orderParam('score')).toBe('score');
    expect(orderParam('delta')).toBe('delta');
    expect(orderParam('SCORE')).toBe('created');
    expect(orderParam(null)).toBe('created');
    expect(usableOrder('score', { score: false, delta: true })).toBe('created');
    expect(usableOrder('delta', { score: true, delta: false })).toBe('created');
    expect(usableOrder('delta', { score: false, delta: true })).toBe('delta');
  });

  it('builds the table URLs: cursors only within an order, the page size kept', () => {
    expect(listingsHref('created')).toBe('/app');
    expect(listingsHref('score', { size: 20 })).toBe('/app?order=score');
    expect(listingsHref('delta', { size: 5, after: 'a=b' })).toBe('/app?order=delta&after=a%3Db&size=5');
    expect(listingsHref('created', { before: 'x' })).toBe('/app?before=x');
  });

  it('formats scores with one decimal and deltas with their sign', () => {
    expect(formatScore(59.1)).toBe('59.1');
    expect(formatScore(47)).toBe('47.0');
    expect(formatScore(null)).toBe('—');
    expect(formatDelta('45.00')).toEqual({ text: '+45.00', tone: 'positive' });
    expect(formatDelta('-30.00')).toEqual({ text: '\u221230.00', tone: 'negative' });
    expect(formatDelta('0.00')).toEqual({ text: '0.00', tone: 'zero' });
    expect(formatDelta('-0.00')).toEqual({ text: '0.00', tone: 'zero' });
  });
});
