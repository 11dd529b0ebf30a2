import { __ } from '@wordpress/i18n';

/**
 * What the screen says about each lane: its title, what it does, and what its delays are counted
 * from. Which lanes there are, and in which order, comes from the plugin (`GET /settings`
 * `lanes`, Rest_Lanes::LANES); a lane without words here is shown with its name.
 */
export interface LaneCopy {
  title: string;
  intro: string;
  /** The label of `inactivity_delay`. */
  trigger: string;
  triggerHelp: string;
  /** What a step's delay is counted from. */
  stepHelp: string;
  /** Utility lane: never promotional, no marketing cap, fixed category. */
  utility: boolean;
}

export function laneCopy(lane: string): LaneCopy {
  switch (lane) {
    case 'payment_recovery':
      return {
        title: __('Payment reminders', 'cartback'),
        intro: __(
          'Reminds a shopper whose payment failed, or whose order still waits for payment, with the order’s own pay link; later, an offer of help from a person. Service messages: never promotional, no coupons. It comes first: while it runs, the shopper gets no other Cartback reminder.',
          'cartback',
        ),
        trigger: __('An order counts as unpaid after', 'cartback'),
        triggerHelp: __('Time since the payment failed, or since the order was placed without payment.', 'cartback'),
        stepHelp: __('Counted from the failed payment, or from the unpaid order.', 'cartback'),
        utility: true,
      };
    case 'abandoned_cart':
      return {
        title: __('Abandoned carts', 'cartback'),
        intro: __('Reminds a shopper who left items in the cart, with a link that puts the cart back.', 'cartback'),
        trigger: __('A cart counts as abandoned after', 'cartback'),
        triggerHelp: __('Time since the shopper last changed the cart.', 'cartback'),
        stepHelp: __('Counted from the shopper’s last change to the cart.', 'cartback'),
        utility: false,
      };
    case 'browse_abandonment':
      return {
        title: __('Viewed products', 'cartback'),
        intro: __(
          'Sends a shopper who looked at a product and left without it that product, with a button that puts it in the cart. Only shoppers who opted in and whom the store knows (logged in, or met before); never while a cart reminder runs for them.',
          'cartback',
        ),
        trigger: __('A viewed product counts as left after', 'cartback'),
        triggerHelp: __('Time since the view, without adding the product to the cart or buying it.', 'cartback'),
        stepHelp: __('Counted from the product view.', 'cartback'),
        utility: false,
      };
    case 'winback':
      return {
        title: __('Win-back', 'cartback'),
        intro: __(
          'Invites back customers who have not bought for a while, with products from the categories they bought most (in stock, never ones they already have).',
          'cartback',
        ),
        trigger: __('Start after the customer lapses, by', 'cartback'),
        triggerHelp: __('Time from the moment the customer counts as lapsed (see below).', 'cartback'),
        stepHelp: __('Counted from the moment the customer lapsed.', 'cartback'),
        utility: false,
      };
    default:
      return {
        title: lane,
        intro: '',
        trigger: __('Start after', 'cartback'),
        triggerHelp: '',
        stepHelp: '',
        utility: false,
      };
  }
}
