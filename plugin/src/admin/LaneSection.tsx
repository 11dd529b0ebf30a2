import { Card, CardBody, CardHeader, Notice, Spinner, ToggleControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { ReactNode } from 'react';
import type { LaneSettings, Link, Problem, StoreCurrency } from './api';
import { DurationControl, FieldError, type SaveNotice } from './fields';
import { laneCopy } from './lane-copy';
import { shownPaths } from './lane-edit';
import { LaneLimits } from './LaneLimits';
import { LaneOwnFields } from './LaneOwnFields';
import { LaneSteps } from './LaneSteps';

export interface LaneSectionProps {
  lane: string;
  link: Link;
  /** The draft being edited; null until read from the sidecar. */
  settings: LaneSettings | null;
  loadProblem: Problem | null;
  /** The draft differs from what the sidecar holds. */
  changed: boolean;
  /** Field (sidecar path) → the sidecar's message, from the last save. */
  fields: Record<string, string>;
  notice: SaveNotice | null;
  /** The store's currency, for the discounts' amounts. */
  currency: StoreCurrency;
  /** The sidecar can send discounts (false: one from before them). */
  discounts: boolean;
  onChange: (settings: LaneSettings) => void;
  /** Said at the top of the section (such as who else messages the shopper). */
  children?: ReactNode;
}

/**
 * One lane's settings as a section of the screen: shown once the sidecar is known to answer
 * (until then, why it does not); saved with the other lanes by the one save bar (LanesPanel).
 * The sidecar validates; its message is shown next to the field its path names.
 */
export function LaneSection(props: LaneSectionProps) {
  const { lane, link, settings, loadProblem, changed, fields, notice, currency, discounts, onChange, children } = props;
  const copy = laneCopy(lane);
  const card = (body: ReactNode) => (
    <Card className="cartback-section cartback-lane" id={`cartback-lane-${lane}`}>
      <CardHeader>
        <h2>{copy.title}</h2>
        {changed && <span className="cartback-unsaved">{__('Unsaved changes', 'cartback')}</span>}
      </CardHeader>
      <CardBody>
        {copy.intro && <p className="cartback-intro">{copy.intro}</p>}
        {children}
        {body}
      </CardBody>
    </Card>
  );

  if (link.state !== 'connected') {
    return card(
      link.state === 'not_connected' ? (
        <p className="cartback-lane-unavailable" data-code={link.code}>
          {link.message}
        </p>
      ) : (
        <Spinner />
      ),
    );
  }
  if (!settings) {
    return card(
      loadProblem ? (
        <Notice status="error" isDismissible={false}>
          {loadProblem.message}
        </Notice>
      ) : (
        <Spinner />
      ),
    );
  }

  const update = (change: (draft: LaneSettings) => void) => {
    const draft = JSON.parse(JSON.stringify(settings)) as LaneSettings;
    change(draft);
    onChange(draft);
  };
  const error = (path: string) => fields[path];
  const shown = shownPaths(settings, copy.utility);
  const unshown = Object.entries(fields).filter(([path]) => !shown.has(path));
  const edit = { settings, update, error };

  return card(
    <>
      <div className="cartback-field">
        <ToggleControl
          __nextHasNoMarginBottom
          label={__('Send these messages', 'cartback')}
          checked={settings.enabled}
          onChange={(on: boolean) => update((draft) => void (draft.enabled = on))}
        />
        <FieldError message={error('enabled')} />
      </div>
      <DurationControl
        label={copy.trigger}
        help={copy.triggerHelp}
        value={settings.inactivity_delay}
        onChange={(iso) => update((draft) => void (draft.inactivity_delay = iso))}
        error={error('inactivity_delay')}
      />
      <LaneSteps
        {...edit}
        stepHelp={copy.stepHelp}
        unshown={unshown}
        offers={discounts && !copy.utility}
        currency={currency}
      />
      <LaneOwnFields {...edit} lane={lane} />
      <LaneLimits {...edit} utility={copy.utility} />
      {notice && (
        <Notice status={notice.status} isDismissible={false} className="cartback-lane-notice">
          {notice.message}
        </Notice>
      )}
    </>,
  );
}
