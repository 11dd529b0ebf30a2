import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { getLane, problemOf, saveLane, type LaneSettings, type Link, type Problem, type SettingsReply } from './api';
import { DiscountBudget } from './DiscountBudget';
import { SaveBar, type SaveNotice } from './fields';
import { laneCopy } from './lane-copy';
import { shownPaths } from './lane-edit';
import { LaneSection } from './LaneSection';
import { WhoSends } from './WhoSends';

interface LaneState {
  /** What the sidecar holds (as last read or saved). */
  saved: LaneSettings | null;
  /** What the admin is editing. */
  draft: LaneSettings | null;
  loadProblem: Problem | null;
  fields: Record<string, string>;
  notice: SaveNotice | null;
}

const EMPTY: LaneState = { saved: null, draft: null, loadProblem: null, fields: {}, notice: null };

const same = (a: LaneSettings | null, b: LaneSettings | null) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Every lane's section, in order of precedence, and the one save bar under them: it saves only
 * the lanes whose settings changed, one after the other. A lane the sidecar refuses keeps the
 * admin's edits and shows the message at the field it names; the others are saved all the same.
 */
export function LanesPanel({ lanes, link, settings }: { lanes: string[]; link: Link; settings: SettingsReply }) {
  const [state, setState] = useState<Record<string, LaneState>>({});
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<SaveNotice | null>(null);
  // False once the sidecar says it has no discounts: the messages then offer none.
  const [discounts, setDiscounts] = useState(true);
  const connected = link.state === 'connected';
  const key = lanes.join(',');

  const patch = (lane: string, change: Partial<LaneState>) =>
    setState((all) => ({ ...all, [lane]: { ...EMPTY, ...all[lane], ...change } }));

  // Read every lane once the sidecar is known to answer; each lane on its own, so one that
  // fails (an older sidecar without it) leaves the others editable.
  useEffect(() => {
    if (!connected) return;
    let live = true;
    for (const lane of lanes) {
      getLane(lane).then(
        (reply) => live && patch(lane, { saved: reply.settings, draft: reply.settings, loadProblem: null }),
        (thrown: unknown) => live && patch(lane, { loadProblem: problemOf(thrown) }),
      );
    }
    return () => {
      live = false;
    };
  }, [key, connected]);

  const lane = (name: string) => state[name] ?? EMPTY;
  // Money is typed in the store's currency; a plugin that does not say assumes 2 decimals.
  const currency = settings.currency ?? { code: 'USD', decimals: 2 };
  const offering = lanes.some((name) => (lane(name).draft?.steps ?? []).some((step) => step.incentive !== undefined));
  const changed = lanes.filter((name) => lane(name).draft !== null && !same(lane(name).draft, lane(name).saved));
  const titles = (names: string[]) => names.map((name) => laneCopy(name).title).join(', ');

  const save = async () => {
    setNotice(null);
    for (const name of lanes) patch(name, { fields: {}, notice: null });
    if (changed.length === 0) {
      setNotice({ status: 'success', message: __('Nothing to save: no lane was changed.', 'cartback') });
      return;
    }
    setBusy(true);
    const saved: string[] = [];
    const refused: string[] = [];
    for (const name of changed) {
      const draft = lane(name).draft;
      if (!draft) continue;
      try {
        const reply = await saveLane(name, draft);
        saved.push(name);
        patch(name, {
          saved: reply.settings,
          draft: reply.settings,
          fields: {},
          notice: { status: 'success', message: __('Saved in the sidecar.', 'cartback') },
        });
      } catch (thrown) {
        refused.push(name);
        const problem = problemOf(thrown);
        const path = Object.keys(problem.fields)[0];
        patch(name, {
          fields: problem.fields,
          notice: {
            status: 'error',
            message:
              path && shownPaths(draft, laneCopy(name).utility).has(path)
                ? __('Not saved: the sidecar refused the setting marked in red.', 'cartback')
                : sprintf(
                    /* translators: %s: the sidecar's explanation. */
                    __('Not saved: %s', 'cartback'),
                    problem.message,
                  ),
          },
        });
      }
    }
    setBusy(false);
    setNotice(
      refused.length === 0
        ? {
            status: 'success',
            message: sprintf(
              /* translators: %s: the lanes saved, such as "Abandoned carts, Win-back". */
              __('Saved in the sidecar: %s.', 'cartback'),
              titles(saved),
            ),
          }
        : {
            status: 'error',
            message:
              saved.length === 0
                ? sprintf(
                    /* translators: %s: the lanes not saved. */
                    __('Not saved: %s. See the message in the section.', 'cartback'),
                    titles(refused),
                  )
                : sprintf(
                    /* translators: 1: the lanes not saved, 2: the lanes saved. */
                    __('Not saved: %1$s (see the message in the section). Saved: %2$s.', 'cartback'),
                    titles(refused),
                    titles(saved),
                  ),
          },
    );
  };

  return (
    <div className="cartback-lanes">
      <DiscountBudget connected={connected} currency={currency} offering={offering} onAvailable={setDiscounts} />
      {lanes.map((name) => (
        <LaneSection
          key={name}
          lane={name}
          link={link}
          settings={lane(name).draft}
          loadProblem={lane(name).loadProblem}
          changed={changed.includes(name)}
          fields={lane(name).fields}
          notice={lane(name).notice}
          currency={currency}
          discounts={discounts}
          onChange={(draft) => patch(name, { draft })}
        >
          {name === 'payment_recovery' && <WhoSends settings={settings} />}
        </LaneSection>
      ))}
      {connected && (
        <div className="cartback-lanes-savebar" id="cartback-lanes-save">
          {changed.length > 0 && (
            <p className="cartback-unsaved-list">
              {sprintf(
                /* translators: %s: the lanes with unsaved changes. */
                __('Unsaved changes: %s', 'cartback'),
                titles(changed),
              )}
            </p>
          )}
          <SaveBar label={__('Save lane settings', 'cartback')} busy={busy} onSave={save} notice={notice} />
        </div>
      )}
    </div>
  );
}
