import { BaseControl, Button, Notice, SelectControl, TextControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { fromParts, toParts, type DurationUnit } from './duration';

/** A field's error, shown right under it (the sidecar's or WordPress's words). */
export function FieldError({ message }: { message?: string | undefined }) {
  if (!message) return null;
  return (
    <p className="cartback-field-error" role="alert">
      {message}
    </p>
  );
}

/** What a section's save ended with. */
export interface SaveNotice {
  status: 'success' | 'error';
  message: string;
}

/** A section's save button and, once it was pressed, how the save went. */
export function SaveBar({
  label,
  busy,
  onSave,
  notice,
}: {
  label: string;
  busy: boolean;
  onSave: () => void;
  notice: SaveNotice | null;
}) {
  return (
    <>
      <div className="cartback-actions">
        <Button __next40pxDefaultSize variant="primary" onClick={onSave} isBusy={busy} disabled={busy}>
          {label}
        </Button>
      </div>
      {notice && (
        <Notice status={notice.status} isDismissible={false}>
          {notice.message}
        </Notice>
      )}
    </>
  );
}

const UNITS: { label: string; value: DurationUnit }[] = [
  { label: __('minutes', 'cartback'), value: 'minutes' },
  { label: __('hours', 'cartback'), value: 'hours' },
  { label: __('days', 'cartback'), value: 'days' },
];

let nextId = 0;

interface DurationControlProps {
  label: string;
  help?: string;
  /** ISO 8601 duration, such as PT15M. */
  value: string;
  onChange: (iso: string) => void;
  error?: string | undefined;
}

/**
 * A duration as a whole number and a unit; the value kept and sent is the ISO form the sidecar
 * stores. A stored duration this editor cannot split (fractions, months) is shown as ISO text.
 */
export function DurationControl({ label, help, value, onChange, error }: DurationControlProps) {
  const [id] = useState(() => `cartback-duration-${++nextId}`);
  const parts = toParts(value);
  const [amount, setAmount] = useState(parts ? String(parts.amount) : '');
  const [unit, setUnit] = useState<DurationUnit>(parts?.unit === 'seconds' ? 'minutes' : (parts?.unit ?? 'minutes'));

  // A new value from outside (loaded, or reset) that differs from what is typed: show it. Only
  // `value` is a dependency: the typed amount and unit are compared, not watched.
  useEffect(() => {
    const current = toParts(value);
    if (current && fromParts({ amount: Number(amount), unit }) !== value) {
      setAmount(String(current.amount));
      if (current.unit !== 'seconds') setUnit(current.unit);
    }
  }, [value]);

  if (!parts || parts.unit === 'seconds') {
    return (
      <div className="cartback-field">
        <TextControl
          __next40pxDefaultSize
          __nextHasNoMarginBottom
          label={label}
          help={
            help ? `${help} ${__('(ISO 8601, such as PT15M)', 'cartback')}` : __('ISO 8601, such as PT15M', 'cartback')
          }
          value={value}
          onChange={(next: string) => onChange(next.trim())}
        />
        <FieldError message={error} />
      </div>
    );
  }

  const emit = (nextAmount: string, nextUnit: DurationUnit) => {
    setAmount(nextAmount);
    setUnit(nextUnit);
    onChange(fromParts({ amount: nextAmount === '' ? 0 : Number(nextAmount), unit: nextUnit }));
  };

  return (
    <div className="cartback-field">
      <BaseControl __nextHasNoMarginBottom id={id} label={label} help={help}>
        <div className="cartback-duration">
          <input
            id={id}
            className="components-text-control__input cartback-duration__amount"
            type="number"
            min={0}
            step={1}
            value={amount}
            aria-invalid={error ? true : undefined}
            onChange={(event) => emit(event.target.value, unit)}
          />
          <SelectControl
            __next40pxDefaultSize
            __nextHasNoMarginBottom
            label={__('Unit', 'cartback')}
            hideLabelFromVision
            value={unit}
            options={UNITS}
            onChange={(next: string) => emit(amount, next as DurationUnit)}
          />
        </div>
      </BaseControl>
      <FieldError message={error} />
    </div>
  );
}
