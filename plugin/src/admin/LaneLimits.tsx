import { TextControl, ToggleControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import { DurationControl, FieldError } from './fields';
import { numberOrNaN, numberText, type LaneEditProps } from './lane-edit';

/** A lane's holdout, quiet hours and caps. */
export function LaneLimits({ settings, update, error, utility }: LaneEditProps & { utility: boolean }) {
  return (
    <>
      <h3>{__('Measurement and limits', 'cartback')}</h3>
      <div className="cartback-field">
        <TextControl
          __next40pxDefaultSize
          __nextHasNoMarginBottom
          label={__('Holdout group (% of shoppers not messaged)', 'cartback')}
          help={__('Shoppers left alone on purpose, to measure what the messages really recover. 0–50.', 'cartback')}
          type="number"
          min={0}
          max={50}
          step={0.01}
          value={numberText(settings.holdout_percent)}
          onChange={(next: string) => update((draft) => void (draft.holdout_percent = numberOrNaN(next)))}
        />
        <FieldError message={error('holdout_percent')} />
      </div>
      <div className="cartback-row">
        <div className="cartback-field">
          <TextControl
            __next40pxDefaultSize
            __nextHasNoMarginBottom
            label={__('Quiet hours start', 'cartback')}
            type="time"
            value={settings.quiet_hours.start}
            onChange={(next: string) => update((draft) => void (draft.quiet_hours.start = next))}
          />
          <FieldError message={error('quiet_hours.start')} />
        </div>
        <div className="cartback-field">
          <TextControl
            __next40pxDefaultSize
            __nextHasNoMarginBottom
            label={__('Quiet hours end', 'cartback')}
            help={__(
              'The shopper’s own time when known, else the store’s. The same start and end means no quiet hours.',
              'cartback',
            )}
            type="time"
            value={settings.quiet_hours.end}
            onChange={(next: string) => update((draft) => void (draft.quiet_hours.end = next))}
          />
          <FieldError message={error('quiet_hours.end')} />
        </div>
      </div>
      {utility ? (
        <p className="cartback-intro">
          {__(
            'These are service messages, not marketing: the limit on marketing messages per shopper does not count them.',
            'cartback',
          )}
        </p>
      ) : (
        <div className="cartback-row">
          <div className="cartback-field">
            <TextControl
              __next40pxDefaultSize
              __nextHasNoMarginBottom
              label={__('Marketing messages per contact, at most', 'cartback')}
              help={__('Counted across all marketing lanes.', 'cartback')}
              type="number"
              min={1}
              max={100}
              step={1}
              value={numberText(settings.cap_per_contact.max)}
              onChange={(next: string) => update((draft) => void (draft.cap_per_contact.max = numberOrNaN(next)))}
            />
            <FieldError message={error('cap_per_contact.max')} />
          </div>
          <DurationControl
            label={__('within', 'cartback')}
            value={settings.cap_per_contact.window}
            onChange={(iso) => update((draft) => void (draft.cap_per_contact.window = iso))}
            error={error('cap_per_contact.window')}
          />
        </div>
      )}
      <div className="cartback-field">
        <ToggleControl
          __nextHasNoMarginBottom
          label={__('Also limit this lane’s messages to one contact', 'cartback')}
          checked={settings.lane_cap !== null}
          onChange={(on: boolean) => update((draft) => void (draft.lane_cap = on ? { max: 3, window: 'P7D' } : null))}
        />
        <FieldError message={error('lane_cap')} />
      </div>
      {settings.lane_cap && (
        <div className="cartback-row">
          <div className="cartback-field">
            <TextControl
              __next40pxDefaultSize
              __nextHasNoMarginBottom
              label={__('Messages of this lane per contact, at most', 'cartback')}
              type="number"
              min={1}
              max={100}
              step={1}
              value={numberText(settings.lane_cap.max)}
              onChange={(next: string) =>
                update((draft) => void (draft.lane_cap && (draft.lane_cap.max = numberOrNaN(next))))
              }
            />
            <FieldError message={error('lane_cap.max')} />
          </div>
          <DurationControl
            label={__('within', 'cartback')}
            value={settings.lane_cap.window}
            onChange={(iso) => update((draft) => void (draft.lane_cap && (draft.lane_cap.window = iso)))}
            error={error('lane_cap.window')}
          />
        </div>
      )}
    </>
  );
}
