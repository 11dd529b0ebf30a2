import { TextControl } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { FieldError } from './fields';
import { majorText, toMinor } from './money';

interface MoneyControlProps {
  label: string;
  help?: string;
  /** Minor units; null: none. */
  value: number | null;
  /** Digits of the currency's minor unit. */
  decimals: number;
  /** Minor units, NaN for what is not an amount (the sidecar names it), null when emptied and `optional`. */
  onChange: (minor: number | null) => void;
  optional?: boolean;
  error?: string | undefined;
}

/**
 * An amount typed in major units (₹100, 12.50) and kept in minor units. What is typed is kept as
 * typed ("12.5" stays "12.5" rather than jumping to "12.50"); a new value from outside replaces it.
 */
export function MoneyControl({ label, help, value, decimals, onChange, optional, error }: MoneyControlProps) {
  const [text, setText] = useState(majorText(value, decimals));

  // Only `value` is a dependency: the typed text is compared, not watched.
  useEffect(() => {
    const typed = text.trim() === '' ? null : toMinor(text, decimals);
    const same = typed === value || (typed !== null && value !== null && Number.isNaN(typed) && Number.isNaN(value));
    if (!same) setText(majorText(value, decimals));
  }, [value, decimals]);

  return (
    <div className="cartback-field">
      <TextControl
        __next40pxDefaultSize
        __nextHasNoMarginBottom
        label={label}
        help={help}
        inputMode="decimal"
        value={text}
        onChange={(next: string) => {
          setText(next);
          onChange(next.trim() === '' ? (optional ? null : Number.NaN) : toMinor(next, decimals));
        }}
      />
      <FieldError message={error} />
    </div>
  );
}
