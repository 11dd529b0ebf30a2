import { Card, CardBody, CardHeader, TextareaControl } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { problemOf, saveSettings, type SettingsReply } from './api';
import { FieldError, SaveBar, type SaveNotice } from './fields';

/** The opt-in checkbox's wording; changing the wording makes a new version. */
export function ConsentSection({
  settings,
  onSaved,
}: {
  settings: SettingsReply;
  onSaved: (settings: SettingsReply) => void;
}) {
  const [text, setText] = useState(settings.consent.text);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<SaveNotice | null>(null);
  const [error, setError] = useState<string | undefined>(undefined);
  const version = settings.consent.version;

  const save = async () => {
    setBusy(true);
    setNotice(null);
    setError(undefined);
    try {
      const reply = await saveSettings({ consent_text: text });
      setText(reply.consent.text);
      onSaved(reply);
      setNotice({
        status: 'success',
        message:
          reply.consent.version !== version
            ? sprintf(
                /* translators: %d: the new version number. */
                __(
                  'Saved as version %d. Shoppers who opted in earlier keep the wording they agreed to in the consent ledger.',
                  'cartback',
                ),
                reply.consent.version,
              )
            : sprintf(
                /* translators: %d: the version number. */
                __('Saved. The wording did not change, so it is still version %d.', 'cartback'),
                reply.consent.version,
              ),
      });
    } catch (thrown) {
      const problem = problemOf(thrown);
      setError(problem.fields.consent_text ?? problem.message);
      setNotice({ status: 'error', message: problem.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card className="cartback-section" id="cartback-consent">
      <CardHeader>
        <h2>{__('Opt-in text', 'cartback')}</h2>
        <span className="cartback-version">
          {sprintf(
            /* translators: %d: version number. */
            __('Version %d', 'cartback'),
            version,
          )}
        </span>
      </CardHeader>
      <CardBody>
        <div className="cartback-field">
          <TextareaControl
            __nextHasNoMarginBottom
            label={__('Checkbox text at checkout', 'cartback')}
            help={__(
              'Say who will message the shopper, on WhatsApp, about what, and that they can reply STOP. Changing the wording saves it as a new version.',
              'cartback',
            )}
            value={text}
            rows={3}
            onChange={(next: string) => setText(next)}
          />
          <FieldError message={error} />
        </div>
        <SaveBar label={__('Save opt-in text', 'cartback')} busy={busy} onSave={save} notice={notice} />
      </CardBody>
    </Card>
  );
}
