import type { Connection } from 'mysql2/promise';

/**
 * The dashboard bench's store (bench/dashboard.ts): `messages` messages over `days` days before
 * `now`, in multi-row INSERTs of `rows` rows. Proportions, per journey (enrollment): 4 lanes in
 * turn; 10 % held out (their steps are `held_out` rows); treated journeys have 2 or 3 steps (2.5
 * messages on average, held-out ones too), so journeys = messages / 2.5; two journeys per contact;
 * recipients in five countries. Of the treated messages 97 % delivered, 60 % read, 3 % failed,
 * 8 % clicked; 5 % of journeys end in a paid order two hours after they began, 80 % of those
 * attributed (recovered after a click, influenced otherwise) to the journey's first message;
 * 1 % of treated journeys stop for an opt-out. Status pricing on half of the delivered messages.
 */
export interface FillPlan {
  messages: number;
  days: number;
  now: Date;
  rows: number;
}

const LANES = ['abandoned_cart', 'browse_abandonment', 'payment_recovery', 'winback'];
/** Mobile prefixes and the full length of their numbers (with the +): Germany, India, the US, Brazil, the UK. */
const PREFIXES: Array<[string, number]> = [
  ['+49151', 14],
  ['+91981', 13],
  ['+14155', 12],
  ['+55119', 14],
  ['+44771', 13],
];
const sqlDate = (d: Date) => d.toISOString().slice(0, 23).replace('T', ' ');

export interface Filled {
  contacts: number;
  enrollments: number;
  messages: number;
  orders: number;
  clicks: number;
}

export async function fillDashboard(
  conn: Connection,
  plan: FillPlan,
  progress: (text: string) => void,
): Promise<Filled> {
  const journeys = Math.round(plan.messages / 2.5);
  const spanMs = plan.days * 86_400_000;
  const start = plan.now.getTime() - spanMs;
  const out: Filled = { contacts: 0, enrollments: 0, messages: 0, orders: 0, clicks: 0 };
  let messageId = 0;
  let contacts: unknown[][] = [];
  let enrollments: unknown[][] = [];
  let messages: unknown[][] = [];
  let clicks: unknown[][] = [];
  let orders: unknown[][] = [];
  let attributions: unknown[][] = [];
  const flush = async (force: boolean) => {
    const batches: Array<[string, unknown[][]]> = [
      ['INSERT INTO contacts (id, store_id, phone, email, attributes_at, created_at, updated_at) VALUES ?', contacts],
      [
        'INSERT INTO enrollments (id, store_id, lane, contact_id, subject_kind, subject_id, episode_at, cell, state, anchor_at, next_step, stop_reason, created_at, updated_at) VALUES ?',
        enrollments,
      ],
      [
        'INSERT INTO messages (id, store_id, enrollment_id, step, lane, category, contact_id, phone, state, due_at, template, sent_at, delivered_at, read_at, failed_at, pricing_billable, pricing_model, pricing_category, pricing_type, created_at, updated_at) VALUES ?',
        messages,
      ],
      ['INSERT INTO clicks (store_id, code, message_id, contact_id, clicked_at, last_opened_at) VALUES ?', clicks],
      [
        'INSERT INTO orders (store_id, order_id, contact_id, status, currency, total, placed_at, paid_at, created_at, updated_at) VALUES ?',
        orders,
      ],
      [
        'INSERT INTO attributions (store_id, order_id, kind, message_id, lane, step, enrollment_id, touched_at, amount, currency, refunded, decided_at) VALUES ?',
        attributions,
      ],
    ];
    for (const [statement, values] of batches) {
      if (values.length > 0 && (force || values.length >= plan.rows)) {
        await conn.query(statement, [values]);
        values.length = 0;
      }
    }
  };
  for (let j = 1; j <= journeys; j++) {
    const contact = Math.ceil(j / 2);
    const began = new Date(start + Math.floor(((j - 1) / journeys) * spanMs));
    const at = sqlDate(began);
    const lane = LANES[j % LANES.length] as string;
    const [prefix, length] = PREFIXES[contact % PREFIXES.length] as [string, number];
    const phone = `${prefix}${String(contact).padStart(length - prefix.length, '0')}`;
    if (j % 2 === 1) {
      contacts.push([contact, 1, phone, `c${contact}@example.com`, at, at, at]);
      out.contacts++;
    }
    const held = j % 10 === 0;
    const optOut = !held && j % 100 === 1;
    enrollments.push([
      j,
      1,
      lane,
      contact,
      'cart',
      `cart-${j}`,
      at,
      held ? 'holdout' : 'treatment',
      optOut ? 'stopped' : 'completed',
      at,
      3,
      optOut ? 'opted_out' : null,
      at,
      at,
    ]);
    out.enrollments++;
    const steps = j % 2 === 0 ? 2 : 3;
    let firstMessage = 0;
    let clicked = false;
    for (let step = 0; step < steps && messageId < plan.messages; step++) {
      messageId++;
      if (step === 0) firstMessage = messageId;
      const due = sqlDate(new Date(began.getTime() + step * 3_600_000));
      const failed = !held && messageId % 33 === 0;
      const delivered = !held && !failed;
      const read = delivered && messageId % 5 < 3;
      const priced = delivered && messageId % 2 === 0;
      messages.push([
        messageId,
        1,
        j,
        step,
        lane,
        lane === 'payment_recovery' ? 'utility' : 'marketing',
        contact,
        phone,
        held ? 'held_out' : failed ? 'failed' : read ? 'read' : 'delivered',
        due,
        `${lane}_${step + 1}`,
        delivered ? due : null,
        delivered ? due : null,
        read ? due : null,
        failed ? due : null,
        priced ? 1 : null,
        priced ? 'pmp' : null,
        priced ? 'marketing' : null,
        priced ? 'regular' : null,
        due,
        due,
      ]);
      out.messages++;
      if (delivered && messageId % 25 < 2) {
        clicks.push([1, `m${messageId}`, messageId, contact, due, due]);
        out.clicks++;
        if (step === 0) clicked = true;
      }
    }
    if (j % 20 === 7) {
      const placed = sqlDate(new Date(began.getTime() + 2 * 3_600_000));
      orders.push([1, j, contact, 'processing', 'USD', 4000 + (j % 50) * 100, placed, placed, placed, placed]);
      out.orders++;
      if (!held && firstMessage > 0 && j % 5 !== 0) {
        attributions.push([
          1,
          j,
          clicked ? 'recovered' : 'influenced',
          firstMessage,
          lane,
          0,
          j,
          at,
          4000 + (j % 50) * 100,
          'USD',
          0,
          placed,
        ]);
      }
    }
    await flush(false);
    if (j % 100_000 === 0) progress(`  ${messageId.toLocaleString('en')} messages…`);
    if (messageId >= plan.messages) break;
  }
  await flush(true);
  contacts = enrollments = messages = clicks = orders = attributions = [];
  return out;
}
