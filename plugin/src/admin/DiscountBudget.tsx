import { Card, CardBody, CardHeader, Notice, Spinner } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import {
  getIncentives,
  problemOf,
  saveIncentives,
  type IncentiveBudget,
  type Problem,
  type StoreCurrency,
} from './api';
import { SaveBar, type SaveNotice } from './fields';
import { formatMoney } from './money';
import { MoneyControl } from './MoneyControl';

interface DiscountBudgetProps {
  connected: boolean;
  currency: StoreCurrency;
  /** A lane's message (as edited) offers a discount. */
  offering: boolean;
  /** Told false when the sidecar has no discounts (one from before them). */
  onAvailable: (available: boolean) => void;
}

/**
 * The store-wide monthly discount budget (kept in the sidecar, `GET/PUT /cartback/v1/incentives`)
 * and this month's use of it. A coupon goes out only while the month's budget covers its ceiling;
 * 0, the default, means none does — said plainly when a message offers a discount.
 */
export function DiscountBudget({ connected, currency, offering, onAvailable }: DiscountBudgetProps) {
  const [budget, setBudget] = useState<IncentiveBudget | null>(null);
  const [draft, setDraft] = useState<number | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [available, setAvailable] = useState(true);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<SaveNotice | null>(null);

  useEffect(() => {
    if (!connected) return;
    let live = true;
    getIncentives().then(
      (reply) => {
        if (!live) return;
        if ('available' in reply) {
          setAvailable(false);
          onAvailable(false);
          return;
        }
        setBudget(reply);
        setDraft(reply.monthly_budget);
        setLoadProblem(null);
      },
      (thrown: unknown) => live && setLoadProblem(problemOf(thrown)),
    );
    return () => {
      live = false;
    };
  }, [connected]);

  if (!connected) return null;
  const money = (minor: number) => formatMoney(minor, budget?.currency || currency.code, currency.decimals);

  const save = async () => {
    setNotice(null);
    setFields({});
    setBusy(true);
    try {
      const reply = await saveIncentives({ monthly_budget: draft ?? Number.NaN });
      setBudget(reply);
      setDraft(reply.monthly_budget);
      setNotice({ status: 'success', message: __('Saved in the sidecar.', 'cartback') });
    } catch (thrown) {
      const problem = problemOf(thrown);
      const named = problem.fields.monthly_budget !== undefined;
      setFields(named ? problem.fields : {});
      setNotice({
        status: 'error',
        message: named
          ? __('Not saved: the sidecar refused the budget.', 'cartback')
          : sprintf(
              /* translators: %s: the sidecar's explanation. */
              __('Not saved: %s', 'cartback'),
              problem.message,
            ),
      });
    }
    setBusy(false);
  };

  return (
    <Card className="cartback-section cartback-budget" id="cartback-discount-budget">
      <CardHeader>
        <h2>{__('Discounts', 'cartback')}</h2>
      </CardHeader>
      <CardBody>
        {!available ? (
          <Notice status="warning" isDismissible={false}>
            {__('This sidecar cannot send discounts yet. Update the sidecar to offer coupons in messages.', 'cartback')}
          </Notice>
        ) : budget === null ? (
          loadProblem ? (
            <Notice status="error" isDismissible={false}>
              {loadProblem.message}
            </Notice>
          ) : (
            <Spinner />
          )
        ) : (
          <>
            <MoneyControl
              label={sprintf(
                /* translators: %s: the store's currency code, such as INR. */
                __('Monthly discount budget (%s)', 'cartback'),
                budget.currency || currency.code,
              )}
              help={__(
                'The most the coupons Cartback sends may be worth in a calendar month. 0: no discounts are sent.',
                'cartback',
              )}
              value={draft}
              decimals={currency.decimals}
              onChange={setDraft}
              error={fields.monthly_budget}
            />
            <p className="cartback-budget-use" data-month={budget.month}>
              {sprintf(
                /* translators: 1: the month (YYYY-MM), 2: committed, 3: redeemed, 4: remaining — amounts of money. */
                __('This month (%1$s): %2$s committed, %3$s redeemed, %4$s remaining.', 'cartback'),
                budget.month,
                money(budget.committed),
                money(budget.redeemed),
                money(budget.remaining),
              )}
            </p>
            {budget.monthly_budget === 0 && offering && (
              <Notice status="warning" isDismissible={false} className="cartback-budget-warning">
                {__('No discount goes out until you set a monthly budget.', 'cartback')}
              </Notice>
            )}
            <SaveBar label={__('Save budget', 'cartback')} busy={busy} onSave={() => void save()} notice={notice} />
          </>
        )}
      </CardBody>
    </Card>
  );
}
