import { SelectControl, TextControl, ToggleControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import type { Incentive, LaneStep, StoreCurrency } from './api';
import { DurationControl, FieldError } from './fields';
import { numberOrNaN, numberText } from './lane-edit';
import { MoneyControl } from './MoneyControl';

/** What a step offers when the admin first turns the discount on: 10 %, at most 10 in major units, for 2 days. */
export function defaultIncentive(step: LaneStep, currency: StoreCurrency): Incentive {
  return {
    type: 'percent',
    amount: 10,
    ceiling: 10 * 10 ** currency.decimals,
    expires_after: 'P2D',
    minimum_spend: null,
    template_without_incentive: step.template,
  };
}

interface StepIncentiveProps {
  step: LaneStep;
  index: number;
  currency: StoreCurrency;
  /** Changes this step's discount (undefined: none). */
  change: (edit: (step: LaneStep) => void) => void;
  error: (path: string) => string | undefined;
}

/**
 * A message's discount: off, or a unique coupon of a percentage or a fixed amount (typed in the
 * store's currency, kept in minor units), worth at most the ceiling, lasting the expiry, above an
 * optional minimum spend; with the template to send instead when no coupon can go out.
 */
export function StepIncentive({ step, index, currency, change, error }: StepIncentiveProps) {
  const incentive = step.incentive;
  const path = `steps[${index}].incentive`;
  const edit = (apply: (incentive: Incentive) => void) =>
    change((draft) => {
      if (draft.incentive) apply(draft.incentive);
    });

  return (
    <div className="cartback-incentive">
      <ToggleControl
        __nextHasNoMarginBottom
        label={__('Offer a discount', 'cartback')}
        help={__('Each message gets its own single-use WooCommerce coupon.', 'cartback')}
        checked={incentive !== undefined}
        onChange={(on: boolean) =>
          change((draft) => {
            if (on) draft.incentive = defaultIncentive(draft, currency);
            else delete draft.incentive;
          })
        }
      />
      <FieldError message={error(path)} />
      {incentive && (
        <>
          <div className="cartback-row">
            <div className="cartback-field">
              <SelectControl
                __next40pxDefaultSize
                __nextHasNoMarginBottom
                label={__('Discount type', 'cartback')}
                value={incentive.type}
                options={[
                  { label: __('Percentage of the cart', 'cartback'), value: 'percent' },
                  { label: __('Fixed amount off the cart', 'cartback'), value: 'fixed' },
                ]}
                onChange={(next: string) =>
                  edit((draft) => {
                    if (next === draft.type) return;
                    draft.type = next === 'fixed' ? 'fixed' : 'percent';
                    // A percentage is not an amount of money and back: start from the ceiling.
                    draft.amount = draft.type === 'fixed' ? draft.ceiling : 10;
                  })
                }
              />
              <FieldError message={error(`${path}.type`)} />
            </div>
            {incentive.type === 'percent' ? (
              <div className="cartback-field">
                <TextControl
                  __next40pxDefaultSize
                  __nextHasNoMarginBottom
                  label={__('Discount (%)', 'cartback')}
                  help={__('A whole number from 1 to 90.', 'cartback')}
                  type="number"
                  min={1}
                  max={90}
                  step={1}
                  value={numberText(incentive.amount)}
                  onChange={(next: string) => edit((draft) => void (draft.amount = numberOrNaN(next)))}
                />
                <FieldError message={error(`${path}.amount`)} />
              </div>
            ) : (
              <MoneyControl
                label={sprintf(
                  /* translators: %s: the store's currency code, such as INR. */
                  __('Discount (%s)', 'cartback'),
                  currency.code,
                )}
                value={incentive.amount}
                decimals={currency.decimals}
                onChange={(minor) => edit((draft) => void (draft.amount = minor ?? Number.NaN))}
                error={error(`${path}.amount`)}
              />
            )}
          </div>
          <div className="cartback-row">
            <MoneyControl
              label={sprintf(
                /* translators: %s: the store's currency code, such as INR. */
                __('Worth at most (%s)', 'cartback'),
                currency.code,
              )}
              help={__('The most one coupon may take off: a percentage of a large cart stops here.', 'cartback')}
              value={incentive.ceiling}
              decimals={currency.decimals}
              onChange={(minor) => edit((draft) => void (draft.ceiling = minor ?? Number.NaN))}
              error={error(`${path}.ceiling`)}
            />
            <MoneyControl
              label={sprintf(
                /* translators: %s: the store's currency code, such as INR. */
                __('Minimum spend (%s, optional)', 'cartback'),
                currency.code,
              )}
              value={incentive.minimum_spend}
              decimals={currency.decimals}
              optional
              onChange={(minor) => edit((draft) => void (draft.minimum_spend = minor))}
              error={error(`${path}.minimum_spend`)}
            />
          </div>
          <DurationControl
            label={__('Coupon expires after', 'cartback')}
            help={__('From when the message is sent: 1 hour to 30 days.', 'cartback')}
            value={incentive.expires_after}
            onChange={(iso) => edit((draft) => void (draft.expires_after = iso))}
            error={error(`${path}.expires_after`)}
          />
          <div className="cartback-field">
            <TextControl
              __next40pxDefaultSize
              __nextHasNoMarginBottom
              label={__('Template without a discount', 'cartback')}
              help={__(
                'Sent instead when no coupon can go out, such as when the month’s budget is used up.',
                'cartback',
              )}
              value={incentive.template_without_incentive}
              onChange={(next: string) => edit((draft) => void (draft.template_without_incentive = next.trim()))}
            />
            <FieldError message={error(`${path}.template_without_incentive`)} />
          </div>
        </>
      )}
    </div>
  );
}
