// Scoring profile form → GraphQL input. Field names are the API's input paths without `input.`
// (`name`, `weights.price`, …), so an API issue at `input.weights.gpu` lands beside the `weights.gpu`
// field. Only shapes are checked here (a number where a number belongs); the ranges (0–100, at least
// one above 0) are the API's, and its messages are shown as they are.
import type { PathErrors } from '~/graphql/client.server';
import { SCORING_LIMITS } from '@deal-brain/shared/field-limits';
import { SCORING_ATTRIBUTE_LABELS, SCORING_ATTRIBUTES } from '@deal-brain/shared/scoring-attributes';
import type { ScoringFormValues, Weights } from './scoring';
import { formText } from './form-text';
/** Keyed by field name, plus `weights` (about all of them) and `form`. */
export type ScoringFormErrors = Record<string, string>;

const NUMBER = /^-?\d+(\.\d+)?$|^-?\.\d+$/;

export function parseScoringForm(form: FormData): {
  values: ScoringFormValues;
  input: { name: string; weights: Weights; isDefault: boolean } | null;
  errors: ScoringFormErrors;
} {
  const values = { name: formText(form, 'name'), isDefault: formText(form, 'isDefault') !== '' } as ScoringFormValues;
  const errors: ScoringFormErrors = {};
  const weights = {} as Weights;
  for (const key of SCORING_ATTRIBUTES) {
    const field = `weights.${key}` as const;
    values[field] = formText(form, field);
    const raw = values[field].trim();
    if (raw === '') errors[field] = `${SCORING_ATTRIBUTE_LABELS[key]} weight is required`;
    else if (!NUMBER.test(raw))
      errors[field] = `${SCORING_ATTRIBUTE_LABELS[key]} weight must be a number from 0 to ${SCORING_LIMITS.maxWeight}`;
    else weights[key] = Number(raw);
  }
  if (Object.keys(errors).length > 0) return { values, input: null, errors };
  // The name is sent as typed: a blank one is the API's to refuse, with its own message.
  return { values, errors, input: { name: values.name, weights, isDefault: values.isDefault } };
}

/** The API's issues by field: `input.weights.gpu` → `weights.gpu`; `input` itself → `form`. */
export function scoringErrorsFromApi(pathErrors: PathErrors, formError: string | null): ScoringFormErrors {
  const errors: ScoringFormErrors = {};
  for (const [path, message] of Object.entries(pathErrors)) {
    const field = path.replace(/^input\.?/, '');
    const key = field === '' || !isScoringField(field) ? 'form' : field;
    errors[key] ??= message;
  }
  if (Object.keys(errors).length === 0 && formError) errors.form = formError;
  return errors;
}

function isScoringField(field: string): boolean {
  return field === 'name' || field === 'weights' || SCORING_ATTRIBUTES.some((key) => field === `weights.${key}`);
}
