/**
 * Reads one template from a `GET /{version}/{WABA id}/message_templates` page into a
 * {@link TemplateDefinition}, defensively. Pure.
 *
 * A template is left out (undefined) when Cartback could not fill it correctly: a status or
 * category this code does not know, or a component, header format or button type outside
 * {@link TemplateDefinition} (a VIDEO header, a PHONE_NUMBER or COPY_CODE button, …). Leaving out
 * a single button instead would shift the positions of the others, and a button's position is the
 * `index` the send request must name. The engine then sees the template as unavailable
 * (`template_unavailable`) rather than sending a malformed message. Unknown extra fields are
 * dropped.
 */
import { isRecord, recordsAt, stringAt, textAt, type JsonRecord } from './json';
import { TEMPLATE_CATEGORIES, TEMPLATE_STATUSES, type TemplateDefinition } from './types';

type Status = TemplateDefinition['status'];
type Category = TemplateDefinition['category'];
type Component = TemplateDefinition['components'][number];
type Button = Extract<Component, { type: 'BUTTONS' }>['buttons'][number];

const STATUSES: readonly Status[] = TEMPLATE_STATUSES;
const CATEGORIES: readonly Category[] = TEMPLATE_CATEGORIES;

function oneOf<T extends string>(values: readonly T[], value: string | undefined): T | undefined {
  return values.find((v) => v === value?.toUpperCase());
}

function parseButton(raw: JsonRecord): Button | undefined {
  const type = stringAt(raw, 'type')?.toUpperCase();
  const text = textAt(raw, 'text') ?? '';
  if (type === 'QUICK_REPLY') return { type, text };
  const url = stringAt(raw, 'url');
  if (type === 'URL' && url !== undefined) return { type, text, url };
  return undefined;
}

function parseComponent(raw: JsonRecord): Component | undefined {
  const type = stringAt(raw, 'type')?.toUpperCase();
  const text = textAt(raw, 'text');
  switch (type) {
    case 'HEADER': {
      const format = stringAt(raw, 'format')?.toUpperCase();
      if (format !== 'IMAGE' && format !== 'TEXT') return undefined;
      if (format === 'TEXT' && text === undefined) return undefined;
      return text === undefined ? { type, format } : { type, format, text };
    }
    case 'BODY':
    case 'FOOTER':
      return text === undefined ? undefined : { type, text };
    case 'BUTTONS': {
      if (!Array.isArray(raw.buttons)) return undefined;
      const buttons: Button[] = [];
      for (const b of raw.buttons as unknown[]) {
        const button = isRecord(b) ? parseButton(b) : undefined;
        if (!button) return undefined;
        buttons.push(button);
      }
      return { type, buttons };
    }
    default:
      return undefined;
  }
}

/** One template from the list, or undefined when it is malformed or cannot be filled (above). */
export function parseTemplateDefinition(raw: unknown): TemplateDefinition | undefined {
  if (!isRecord(raw)) return undefined;
  const id = typeof raw.id === 'number' ? String(raw.id) : stringAt(raw, 'id');
  const name = stringAt(raw, 'name');
  const language = stringAt(raw, 'language');
  const status = oneOf(STATUSES, stringAt(raw, 'status'));
  const category = oneOf(CATEGORIES, stringAt(raw, 'category'));
  if (!id || !name || !language || !status || !category || !Array.isArray(raw.components)) return undefined;
  const components: Component[] = [];
  for (const c of recordsAt(raw, 'components')) {
    const component = parseComponent(c);
    if (!component) return undefined;
    components.push(component);
  }
  if (components.length !== raw.components.length) return undefined;
  return { id, name, language, status, category, components };
}
