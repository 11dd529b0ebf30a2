import { Button, TextControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';
import { durationSeconds } from './duration';
import { DurationControl, FieldError } from './fields';
import type { StoreCurrency } from './api';
import type { LaneEditProps } from './lane-edit';
import { StepIncentive } from './StepIncentive';

const MAX_STEPS = 5;

/**
 * A lane's messages: when each is sent and with which approved WhatsApp template. Which values
 * fill a template's parameters is kept as the sidecar sent it (a new message copies the last
 * one's), so this screen never offers a parameter the lane cannot use — such as a coupon in
 * payment reminders. The other lanes' messages may each offer a discount (StepIncentive).
 */
export function LaneSteps({
  settings,
  update,
  error,
  stepHelp,
  unshown,
  offers,
  currency,
}: LaneEditProps & {
  stepHelp: string;
  unshown: [string, string][];
  /** Whether this lane's messages may carry a discount (not payment reminders). */
  offers: boolean;
  currency: StoreCurrency;
}) {
  const addStep = () =>
    update((draft) => {
      const last = draft.steps[draft.steps.length - 1];
      if (!last) return;
      const seconds = durationSeconds(last.delay) ?? 0;
      draft.steps.push({ ...JSON.parse(JSON.stringify(last)), delay: `PT${Math.floor(seconds / 3600) + 24}H` });
    });

  return (
    <>
      <h3>{__('Messages', 'cartback')}</h3>
      <FieldError message={error('steps')} />
      <ol className="cartback-steps">
        {settings.steps.map((step, i) => (
          <li key={i} className="cartback-step" data-step={i}>
            <DurationControl
              label={sprintf(
                /* translators: %d: the message's number (1, 2, 3). */
                __('Message %d: send after', 'cartback'),
                i + 1,
              )}
              help={stepHelp}
              value={step.delay}
              onChange={(iso) => update((draft) => void (draft.steps[i] && (draft.steps[i].delay = iso)))}
              error={error(`steps[${i}].delay`)}
            />
            <div className="cartback-row">
              <div className="cartback-field">
                <TextControl
                  __next40pxDefaultSize
                  __nextHasNoMarginBottom
                  label={__('WhatsApp template', 'cartback')}
                  value={step.template}
                  onChange={(next: string) =>
                    update((draft) => void (draft.steps[i] && (draft.steps[i].template = next.trim())))
                  }
                />
                <FieldError message={error(`steps[${i}].template`)} />
              </div>
              <div className="cartback-field">
                <TextControl
                  __next40pxDefaultSize
                  __nextHasNoMarginBottom
                  label={__('Template language', 'cartback')}
                  value={step.language}
                  onChange={(next: string) =>
                    update((draft) => void (draft.steps[i] && (draft.steps[i].language = next.trim())))
                  }
                />
                <FieldError message={error(`steps[${i}].language`)} />
              </div>
            </div>
            {offers && (
              <StepIncentive
                step={step}
                index={i}
                currency={currency}
                error={error}
                change={(edit) =>
                  update((draft) => {
                    const target = draft.steps[i];
                    if (target) edit(target);
                  })
                }
              />
            )}
            {unshown
              .filter(([path]) => path.startsWith(`steps[${i}]`))
              .map(([path, message]) => (
                <FieldError key={path} message={message} />
              ))}
            {settings.steps.length > 1 && (
              <Button variant="link" isDestructive onClick={() => update((draft) => void draft.steps.splice(i, 1))}>
                {__('Remove this message', 'cartback')}
              </Button>
            )}
          </li>
        ))}
      </ol>
      {settings.steps.length < MAX_STEPS && (
        <Button __next40pxDefaultSize variant="secondary" onClick={addStep}>
          {__('Add a message', 'cartback')}
        </Button>
      )}
    </>
  );
}
