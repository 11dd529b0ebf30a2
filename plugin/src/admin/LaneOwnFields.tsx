import { TextControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { DurationControl, FieldError } from './fields';
import { numberOrNaN, numberText, type LaneEditProps } from './lane-edit';

/**
 * The fields only some lanes have, shown when the sidecar's settings for the lane carry them:
 * browse abandonment's `repeat_after`; win-back's `lapse_after`, `repeat_after`, `max_products`.
 */
export function LaneOwnFields({ lane, settings, update, error }: LaneEditProps & { lane: string }) {
  const { repeat_after: repeat, lapse_after: lapse, max_products: products } = settings;
  if (repeat === undefined && lapse === undefined && products === undefined) return null;
  return (
    <>
      <h3>{__('Who gets it, and how often', 'cartback')}</h3>
      {lapse !== undefined && (
        <DurationControl
          label={__('A customer lapses when the last paid order is this old', 'cartback')}
          help={__('With no order since. Checked once a day.', 'cartback')}
          value={lapse}
          onChange={(iso) => update((draft) => void (draft.lapse_after = iso))}
          error={error('lapse_after')}
        />
      )}
      {repeat !== undefined && (
        <DurationControl
          label={
            lane === 'browse_abandonment'
              ? __('At most once per product per shopper within', 'cartback')
              : __('At most once per shopper within', 'cartback')
          }
          help={
            lane === 'browse_abandonment'
              ? __(
                  'A shopper who views the same product again within this time gets no second message about it.',
                  'cartback',
                )
              : __('A shopper still lapsed after this time may get the message again.', 'cartback')
          }
          value={repeat}
          onChange={(iso) => update((draft) => void (draft.repeat_after = iso))}
          error={error('repeat_after')}
        />
      )}
      {products !== undefined && (
        <div className="cartback-field">
          <TextControl
            __next40pxDefaultSize
            __nextHasNoMarginBottom
            label={__('Products per message (1–3)', 'cartback')}
            help={__(
              'In stock, from the categories the customer bought most, never ones they already bought.',
              'cartback',
            )}
            type="number"
            min={1}
            max={3}
            step={1}
            value={numberText(products)}
            onChange={(next: string) => update((draft) => void (draft.max_products = numberOrNaN(next)))}
          />
          <FieldError message={error('max_products')} />
        </div>
      )}
    </>
  );
}
