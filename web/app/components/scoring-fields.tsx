import { SCORING_LIMITS } from '@deal-brain/shared/field-limits';
import { TextField } from './fields';
import { SCORING_ATTRIBUTE_LABELS, SCORING_ATTRIBUTES } from '@deal-brain/shared/scoring-attributes';

type Values = Partial<Record<string, string | boolean>>;
type Errors = Partial<Record<string, string>>;

function text(value: string | boolean | undefined): string {
  return typeof value === 'string' ? value : '';
}

/**
 * A profile's name and its six weights (0–100 each), every error beside its field; the error about
 * the weights together ("at least one above 0") under their legend. Fields are named like the API's
 * input paths (`weights.price`), so its issues map straight onto them.
 */
export function ScoringProfileFields({ values, errors }: { values: Values; errors: Errors }) {
  const weightsError = errors.weights;
  return (
    <>
      <TextField
        name="name"
        label="Name"
        required
        maxLength={SCORING_LIMITS.nameLength}
        defaultValue={text(values.name)}
        error={errors.name}
      />
      <fieldset
        className="rounded-md border border-slate-200 p-4"
        {...(weightsError ? { 'aria-describedby': 'weights-error' } : {})}
      >
        <legend className="px-1 text-sm font-semibold text-slate-800">Weights</legend>
        <p className="text-xs text-slate-500">
          0 to {SCORING_LIMITS.maxWeight} each; only their ratios matter, and at least one must be above 0.
        </p>
        {weightsError ? (
          <p id="weights-error" className="mt-2 text-sm text-red-700" data-testid="error-weights">
            {weightsError}
          </p>
        ) : null}
        <div className="mt-3 grid grid-cols-2 gap-4 sm:grid-cols-3">
          {SCORING_ATTRIBUTES.map((key) => (
            <TextField
              key={key}
              name={`weights.${key}`}
              label={`${SCORING_ATTRIBUTE_LABELS[key]} weight`}
              type="number"
              inputMode="decimal"
              min={0}
              max={SCORING_LIMITS.maxWeight}
              step="any"
              required
              defaultValue={text(values[`weights.${key}`])}
              error={errors[`weights.${key}`]}
            />
          ))}
        </div>
      </fieldset>
    </>
  );
}
