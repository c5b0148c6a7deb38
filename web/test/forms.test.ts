import { describe, expect, it } from 'vitest';
import { parseSignIn, parseSignUp, providerFieldErrors } from '~/auth/forms.server';
import { pageSize, parseListingForm } from '~/lib/listing-form.server';

function form(values: Record<string, string>): FormData {
  const data = new FormData();
  for (const [name, value] of Object.entries(values)) data.set(name, value);
  return data;
}

describe('parseListingForm', () => {
  it('turns the form into the GraphQL input, empty optional fields as null', () => {
    const { input, errors } = parseListingForm(
      form({
        title: ' Mini PC ',
        price: '1,299.50',
        condition: 'USED',
        url: '',
        cpu: 'i5',
        ramGb: '16',
        storageGb: '',
      }),
    );
    expect(errors).toEqual({});
    expect(input).toEqual({
      title: ' Mini PC ',
      price: '1299.50',
      condition: 'USED',
      url: null,
      cpu: 'i5',
      gpu: null,
      ramGb: 16,
      storageGb: null,
      notes: null,
    });
  });

  it('leaves the rules to the API: empty title, negative price and javascript: URLs pass through', () => {
    const { input } = parseListingForm(form({ title: '', price: '-5', url: 'javascript:alert(1)' }));
    expect(input).toMatchObject({ title: '', price: '-5', url: 'javascript:alert(1)' });
  });

  it('reports values of the wrong shape beside their fields', () => {
    const { input, errors, values } = parseListingForm(
      form({ title: 'x', price: 'cheap', ramGb: '8.5', storageGb: 'lots', condition: 'BROKEN' }),
    );
    expect(input).toBeNull();
    expect(errors).toEqual({
      price: 'Price must be a number, like 199.99',
      ramGb: 'RAM must be a whole number of GB',
      storageGb: 'Storage must be a whole number of GB',
      condition: 'Choose a condition from the list',
    });
    expect(values.price).toBe('cheap');
    expect(parseListingForm(form({ title: 'x' })).errors).toEqual({ price: 'Price is required' });
  });
});

describe('pageSize', () => {
  it.each([
    [null, 20],
    ['5', 5],
    ['0', 20],
    ['101', 20],
    ['2.5', 20],
    ['abc', 20],
  ])('%s → %i', (param, size) => {
    expect(pageSize(param)).toBe(size);
  });
});

describe('local sign-in and sign-up forms', () => {
  it('normalises and validates the email', () => {
    expect(parseSignIn(form({ email: ' Alice@Example.com ' }))).toEqual({ email: 'alice@example.com', errors: {} });
    expect(parseSignIn(form({})).errors.email).toBe('Email is required');
    expect(parseSignIn(form({ email: 'nope' })).errors.email).toMatch(/valid email/);
  });

  it('requires names on sign-up', () => {
    expect(parseSignUp(form({ email: 'a@b.co', firstName: ' ', lastName: 'x'.repeat(101) })).errors).toEqual({
      firstName: 'First name is required',
      lastName: 'Last name must be at most 100 characters',
    });
  });

  it("maps the provider's issues to fields by their path, the rest to the form", () => {
    const issues = [
      { path: ['email'], message: 'must be a valid email address' },
      { path: ['firstName'], message: 'must be a string' },
      { path: ['firstName'], message: 'must be at most 100 characters' },
      { path: [], message: 'odd' },
      { path: ['lastName', 0], message: 'nested' },
    ];
    // The message is not parsed: it may say anything.
    expect(providerFieldErrors({ message: 'email: ignored; lastName: ignored', issues })).toEqual({
      email: 'Email must be a valid email address',
      firstName: 'First name must be a string',
      form: 'odd',
    });
  });

  it('shows a 400 without issues as a form error', () => {
    expect(providerFieldErrors({ message: 'Invalid request', issues: [] })).toEqual({ form: 'Invalid request' });
  });
});
