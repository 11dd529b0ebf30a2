import type { Line, MinorUnits } from '@cartback/shared';
import type {
  BodyParameter,
  CurrencyParameter,
  ImageParameter,
  TemplateComponent,
  TextParameter,
} from '../whatsapp/types';
import type { LaneStep, ParameterMapping, ParameterName, TextParameterName } from './lanes';

/**
 * Fills a cart template's parameters from the live facts (DESIGN.md, "Render"), producing the
 * Cloud API's `template.components`. Pure: no IO, no clock.
 *
 * WhatsApp rejects a parameter that is empty or holds a newline, a tab or more than 4 consecutive
 * spaces, so every text parameter is sanitised (`sanitizeParameter`) and never empty: a missing
 * first name becomes a friendly word, and a missing link or coupon code, which no word can stand
 * in for, is a RenderError (the message must not go).
 */

export interface CartFacts {
  /** The shopper's first name, or null when not known. */
  firstName: string | null;
  lines: readonly Line[];
  /** The cart total in minor units of `currency`. */
  total: MinorUnits;
  /** ISO 4217 code, such as INR. */
  currency: string;
  storeName: string;
  /** The tracked link's code, appended to the URL button's approved prefix (`…/r/{{1}}`). */
  linkCode: string;
  /** The step's discount code, when it offers one. */
  couponCode?: string | null;
  /** The coupon's worth as shown ("₹100 off", "10% off"), when the step offers one. */
  couponValue?: string | null;
  /**
   * The products a win-back journey offers (the enrollment's `offer`, engine/winback.ts), most
   * relevant first: they fill `product_name` (the first), `product_names` (all, as one list),
   * `product_price` and `product_image` (the first's). Absent for a cart.
   */
  products?: readonly OfferedProduct[];
  /**
   * The unpaid order a payment-recovery step is about: it fills `order_number` and `order_total`
   * (minor units of `currency`); its pay link is the tracked link (`pay_link` = `linkCode`, which
   * /r/ redirects to the order's pay page). Absent for other lanes.
   */
  order?: { number: string; total: MinorUnits };
}

/** A product a message offers, as the enrollment keeps it. */
export interface OfferedProduct {
  /** The product's (or variation's) id in the store, for the live check (engine/catalog.ts); absent in hand-made offers. */
  product_id?: number;
  name: string;
  /** Minor units of the facts' currency. */
  price: number;
  image_url: string | null;
}

export interface RenderOptions {
  /** BCP 47 (`en-IN`) or WooCommerce-style (`en_IN`); an unusable one falls back to `en`. */
  locale: string;
  /** Longest name parameter (first name, item name, store name), in UTF-16 units. Default 60. */
  maxParamLength?: number;
  /** Stands in for a missing first name ("Hi there"). Default `there`. */
  fallbackFirstName?: string;
  /**
   * The image header when the first item has no image: WooCommerce's placeholder image (or the
   * one the admin set there), as the plugin reports it. Without either, an image header cannot
   * be filled (WhatsApp would refuse the send with 132000): see `renderStep`.
   */
  defaultImageUrl?: string | null;
}

/** A value the template needs is missing or unusable; the message must not be sent. */
export class RenderError extends Error {
  constructor(
    readonly parameter: ParameterName,
    message: string,
  ) {
    super(message);
    this.name = 'RenderError';
  }
}

export const DEFAULT_MAX_PARAM_LENGTH = 60;
const FALLBACK_ITEM_NAME = 'your item';
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

function isControl(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/**
 * A text parameter as WhatsApp accepts it: control characters (newlines, tabs, …) become spaces,
 * any run of two or more whitespace characters becomes one space, and the ends are trimmed. A
 * lone no-break space (as in Intl's "1.299,00 €") is kept. May return '' (callers never send it).
 */
export function sanitizeParameter(text: string): string {
  const spaced = Array.from(text, (char) => (isControl(char) ? ' ' : char)).join('');
  return spaced.replace(/\s{2,}/g, ' ').trim();
}

/**
 * Shortens `text` to at most `max` UTF-16 units, ending it with "…", without splitting a
 * character (an emoji, a letter with its accents). Text that fits is returned as is.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let kept = '';
  for (const { segment } of graphemes.segment(text)) {
    if (kept.length + segment.length + 1 > max) break;
    kept += segment;
  }
  return `${kept.trimEnd()}…`;
}

/** `en_IN` → `en-IN`; a tag Intl cannot use → `en`. */
export function toBcp47(locale: string): string {
  try {
    const [canonical] = Intl.getCanonicalLocales(locale.replace(/_/g, '-'));
    return canonical ?? 'en';
  } catch {
    return 'en';
  }
}

/** The currency's number of minor-unit digits (2 for INR and EUR, 0 for JPY, 3 for KWD). */
export function fractionDigits(currency: string): number {
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** Minor units as an exact decimal string, for Intl to format without a float: 129900, 2 → "1299.00". */
function decimalString(minor: number, digits: number): `${number}` {
  if (digits === 0) return `${minor}`;
  const padded = String(minor).padStart(digits + 1, '0');
  return `${padded.slice(0, -digits)}.${padded.slice(-digits)}` as `${number}`;
}

/** Major amount × 1000 from minor units, in integers (rounded half up beyond 3 digits). */
function amount1000(minor: number, digits: number): number {
  if (digits <= 3) return minor * 10 ** (3 - digits);
  const divisor = 10 ** (digits - 3);
  const remainder = minor % divisor;
  return (minor - remainder) / divisor + (2 * remainder >= divisor ? 1 : 0);
}

/**
 * The cart total as a `currency` parameter: `amount_1000` computed with integers from minor
 * units, and `fallback_value` formatted for the locale (en-IN INR 129900 → "₹1,299.00").
 */
export function currencyParameter(total: MinorUnits, currency: string, locale: string): CurrencyParameter {
  const code = currency.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code))
    throw new RenderError('cart_total', `Currency ${JSON.stringify(currency)} is not ISO 4217`);
  if (!Number.isSafeInteger(total) || total < 0) {
    throw new RenderError('cart_total', `The total must be a non-negative integer in minor units, not ${total}`);
  }
  const digits = fractionDigits(code);
  const amount = amount1000(total, digits);
  if (!Number.isSafeInteger(amount)) throw new RenderError('cart_total', `The total ${total} is too large`);
  const formatted = new Intl.NumberFormat(toBcp47(locale), { style: 'currency', currency: code }).format(
    decimalString(total, digits),
  );
  return { type: 'currency', currency: { fallback_value: sanitizeParameter(formatted), code, amount_1000: amount } };
}

function text(value: string): TextParameter {
  return { type: 'text', text: value };
}

function required(parameter: ParameterName, value: string | null | undefined, what: string): string {
  const clean = sanitizeParameter(value ?? '');
  if (clean === '') throw new RenderError(parameter, `No ${what} to fill ${parameter} with`);
  return clean;
}

/** The text of one text parameter. */
function textValue(name: TextParameterName, facts: CartFacts, options: RenderOptions): string {
  const max = options.maxParamLength ?? DEFAULT_MAX_PARAM_LENGTH;
  switch (name) {
    case 'first_name': {
      const fallback = sanitizeParameter(options.fallbackFirstName ?? '') || 'there';
      return truncate(sanitizeParameter(facts.firstName ?? '') || fallback, max);
    }
    case 'item_count':
      return String(facts.lines.reduce((sum, line) => sum + line.quantity, 0));
    case 'first_item_name': {
      const first = facts.lines[0];
      if (!first) throw new RenderError(name, 'The cart has no lines to name');
      return truncate(sanitizeParameter(first.name) || FALLBACK_ITEM_NAME, max);
    }
    case 'store_name':
      return truncate(required(name, facts.storeName, 'store name'), max);
    case 'link_code':
      return required(name, facts.linkCode, 'link code');
    case 'coupon_code':
      return required(name, facts.couponCode, 'coupon code');
    case 'coupon_value':
      return required(name, facts.couponValue, 'coupon value');
    case 'product_name': {
      const first = facts.products?.[0];
      if (!first) throw new RenderError(name, 'No product to name');
      return truncate(sanitizeParameter(first.name) || FALLBACK_ITEM_NAME, max);
    }
    case 'product_names': {
      const names = (facts.products ?? []).map((p) => sanitizeParameter(p.name)).filter((n) => n !== '');
      if (names.length === 0) throw new RenderError(name, 'No products to name');
      // Each name shortened so the list of up to 3 stays readable ("A, B and C").
      const list = new Intl.ListFormat(toBcp47(options.locale), { style: 'long', type: 'conjunction' });
      return sanitizeParameter(list.format(names.map((n) => truncate(n, max))));
    }
    case 'order_number':
      if (!facts.order) throw new RenderError(name, 'No order to number');
      return truncate(required(name, facts.order.number, 'order number'), max);
    case 'pay_link':
      if (!facts.order) throw new RenderError(name, 'No order to pay');
      return required(name, facts.linkCode, 'link code');
    default: {
      // Every text parameter is handled above; lane settings keep a lane's steps to the
      // parameters its facts fill (lane-types.ts, LANE_PARAMETERS).
      const unknown: never = name;
      throw new RenderError(unknown, `${String(unknown)} cannot be filled`);
    }
  }
}

/**
 * Whether WhatsApp can show the image at this URL in a template's image header: it takes JPEG and
 * PNG only (a WebP one — WooCommerce's own placeholder since 8.x, or a product photo uploaded as
 * WebP — fails the send). WordPress names every image file, and every size of it, with its type's
 * extension, so the path's extension is what is judged; a URL without one is not trusted.
 */
export function isWhatsAppImage(url: string | null | undefined): url is string {
  if (!url || !URL.canParse(url)) return false;
  return /\.(jpe?g|png)$/i.test(new URL(url).pathname);
}

/**
 * The image for an image header: the first item's, else the store's placeholder, each only when
 * WhatsApp can show it (JPEG or PNG); null for none.
 */
export function headerImage(facts: CartFacts, options: RenderOptions): string | null {
  const first = facts.products ? facts.products[0]?.image_url : facts.lines[0]?.image_url;
  if (isWhatsAppImage(first)) return first;
  return isWhatsAppImage(options.defaultImageUrl) ? options.defaultImageUrl : null;
}

/**
 * The `template.components` for a cart template: the header (the first item's image, else
 * `defaultImageUrl`; a RenderError when there is neither), the body parameters in mapping order, and one button
 * component per mapped button with `index` = its position (`"0"` the link, `"1"` the STOP reply).
 * Throws a RenderError when a value the mapping needs is missing or unusable, and a RangeError for
 * a `maxParamLength` under 2.
 */
export function renderTemplate(
  mapping: ParameterMapping,
  facts: CartFacts,
  options: RenderOptions,
): TemplateComponent[] {
  const max = options.maxParamLength ?? DEFAULT_MAX_PARAM_LENGTH;
  if (!Number.isInteger(max) || max < 2) throw new RangeError(`maxParamLength must be an integer ≥ 2, not ${max}`);
  const components: TemplateComponent[] = [];

  if (mapping.header === 'first_item_image') {
    const link = headerImage(facts, options);
    if (!link)
      throw new RenderError('first_item_image', 'No image for the header: the first item has none, nor the store');
    const image: ImageParameter = { type: 'image', image: { link } };
    components.push({ type: 'header', parameters: [image] });
  } else if (mapping.header === 'product_image') {
    if (!facts.products) throw new RenderError(mapping.header, 'product_image is not filled from a cart');
    const link = headerImage(facts, options);
    if (!link) throw new RenderError('product_image', 'No image for the header: the product has none, nor the store');
    components.push({ type: 'header', parameters: [{ type: 'image', image: { link } }] });
  } else if (mapping.header !== null) {
    components.push({ type: 'header', parameters: [text(textValue(mapping.header, facts, options))] });
  }

  if (mapping.body.length > 0) {
    const parameters: BodyParameter[] = mapping.body.map((name) => {
      if (name === 'cart_total') return currencyParameter(facts.total, facts.currency, options.locale);
      const product = facts.products?.[0];
      if (name === 'product_price' && product) return currencyParameter(product.price, facts.currency, options.locale);
      if (name === 'order_total' && facts.order) {
        return currencyParameter(facts.order.total, facts.currency, options.locale);
      }
      if (name === 'product_price' || name === 'order_total') {
        throw new RenderError(name, `${name} is not filled from a cart`);
      }
      return text(textValue(name, facts, options));
    });
    components.push({ type: 'body', parameters });
  }

  mapping.buttons.forEach((button, position) => {
    const index = String(position);
    if (button.type === 'url') {
      components.push({
        type: 'button',
        sub_type: 'url',
        index,
        parameters: [text(textValue(button.parameter, facts, options))],
      });
    } else {
      components.push({
        type: 'button',
        sub_type: 'quick_reply',
        index,
        parameters: [{ type: 'payload', payload: button.payload }],
      });
    }
  });
  return components;
}

/** A step rendered: the template to send (the step's, or its text-only alternative) and its components. */
export interface RenderedStep {
  template: string;
  components: TemplateComponent[];
}

/**
 * Renders a step. A step whose template has an image header but no image to put there (neither the
 * first item nor the store's placeholder has a JPEG or PNG) goes as its `template_without_image`, the
 * same body and buttons without the header; without one it is a RenderError on
 * the image parameter (the step must not go: WhatsApp would refuse it). A win-back step's image is
 * its first product's (`CartFacts.products`).
 */
export function renderStep(
  step: Pick<LaneStep, 'template' | 'template_without_image' | 'parameters'>,
  facts: CartFacts,
  options: RenderOptions,
): RenderedStep {
  const header = step.parameters.header;
  // A cart's image is its first item's; a win-back's its first product's (engine/winback.ts).
  const imageHeader = header === 'first_item_image' || (header === 'product_image' && facts.products !== undefined);
  if (imageHeader && !headerImage(facts, options)) {
    if (!step.template_without_image) {
      throw new RenderError(
        header,
        'No image for the header (the first item has none, nor the store) and the step names no template_without_image',
      );
    }
    return {
      template: step.template_without_image,
      components: renderTemplate({ ...step.parameters, header: null }, facts, options),
    };
  }
  return { template: step.template, components: renderTemplate(step.parameters, facts, options) };
}

/** The body parameters of rendered components (empty when the template has none). */
export function bodyParameters(components: readonly TemplateComponent[]): BodyParameter[] {
  for (const component of components) if (component.type === 'body') return component.parameters;
  return [];
}

/**
 * The body as the shopper would read it, for logs and the demo: each `{{n}}` replaced by the n-th
 * parameter (a currency by its fallback value). A placeholder without a parameter is left as is.
 * Meta refuses a body over 1,024 characters: check the preview's length against BODY_MAX_LENGTH.
 */
export function renderedBodyPreview(bodyText: string, params: ReadonlyArray<BodyParameter | string>): string {
  return bodyText.replace(/\{\{\s*(\d+)\s*\}\}/g, (placeholder: string, n: string) => {
    const param = params[Number(n) - 1];
    if (param === undefined) return placeholder;
    if (typeof param === 'string') return param;
    return param.type === 'text' ? param.text : param.currency.fallback_value;
  });
}

/** Meta's limit on a template body after its parameters are filled in. */
export const BODY_MAX_LENGTH = 1024;
