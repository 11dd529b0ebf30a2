/**
 * The WhatsApp Cloud API (Meta, direct) provider adapter: sends template and text messages and
 * lists templates over Graph, turning every way a call can end into a {@link SendOutcome}.
 *
 * It does not log and never throws from the send methods. Nothing it returns or throws carries
 * the access token (axios errors, which hold the request configuration and so the token, never
 * leave this module) or a full phone number (long digit runs in provider messages are masked).
 * The transport and the outcome mapping are shared with 360dialog (meta-shaped.ts).
 */
import axios, { type AxiosInstance } from 'axios';
import { ConfigError, type Config } from '../config';
import { recordAt, stringAt } from './json';
import { createExchanger, DEFAULT_TIMEOUT_MS, messageSender, templateListBody } from './meta-shaped';
import type { WhatsAppProvider } from './provider';
import { parseTemplateDefinition } from './templates';
import type { TemplateDefinition } from './types';

export { DEFAULT_TIMEOUT_MS, MAX_CALLBACK_DATA, MAX_TEXT_BODY, parseRetryAfter, redact } from './meta-shaped';

export interface CloudProviderConfig {
  /** Base URL without the version, such as https://graph.facebook.com (or the fake's URL). */
  apiUrl: string;
  /** Such as v24.0. */
  apiVersion: string;
  accessToken: string;
  phoneNumberId: string;
  wabaId: string;
  /** Whole-exchange timeout per request (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/** Pages of templates read at most (100 each): a guard against a provider that never stops paging. */
export const MAX_TEMPLATE_PAGES = 100;

/**
 * The Cloud API settings from the sidecar's configuration. Throws a ConfigError naming the first
 * missing variable.
 */
export function cloudProviderConfig(whatsapp: Config['whatsapp']): CloudProviderConfig {
  const need = (variable: string, value: string | undefined): string => {
    if (!value) throw new ConfigError(variable, `${variable} must be set when WHATSAPP_PROVIDER is cloud`);
    return value;
  };
  return {
    apiUrl: whatsapp.apiUrl,
    apiVersion: whatsapp.apiVersion,
    accessToken: need('WHATSAPP_ACCESS_TOKEN', whatsapp.accessToken),
    phoneNumberId: need('WHATSAPP_PHONE_NUMBER_ID', whatsapp.phoneNumberId),
    wabaId: need('WHATSAPP_WABA_ID', whatsapp.wabaId),
  };
}

export function createCloudProvider(config: CloudProviderConfig, httpClient?: AxiosInstance): WhatsAppProvider {
  const client = httpClient ?? axios.create();
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const base = `${config.apiUrl.replace(/\/+$/, '')}/${encodeURIComponent(config.apiVersion)}`;
  const messagesUrl = `${base}/${encodeURIComponent(config.phoneNumberId)}/messages`;
  const templatesUrl = `${base}/${encodeURIComponent(config.wabaId)}/message_templates`;
  const exchange = createExchanger({ client, timeoutMs, auth: { Authorization: `Bearer ${config.accessToken}` } });

  /** One page of templates: the usable ones and the cursor of the next page, if any. */
  async function templatePage(after: string | undefined): Promise<{ data: unknown[]; next?: string }> {
    const query = new URLSearchParams({ fields: 'name,status,category,language,components', limit: '100' });
    if (after !== undefined) query.set('after', after);
    const body = templateListBody(await exchange('GET', `${templatesUrl}?${query.toString()}`), 'data');
    const paging = recordAt(body, 'paging');
    const cursors = paging && recordAt(paging, 'cursors');
    const next = paging && stringAt(paging, 'next') && cursors ? stringAt(cursors, 'after') : undefined;
    return { data: body.data as unknown[], next };
  }

  return {
    name: 'cloud',

    ...messageSender(exchange, messagesUrl),

    /**
     * Pages through the templates: follows `paging.cursors.after` while the page has a
     * `paging.next` link, and stops on an empty page, a cursor already seen, or after
     * {@link MAX_TEMPLATE_PAGES} pages. Templates Cartback cannot fill are left out (templates.ts).
     */
    async listTemplates(): Promise<TemplateDefinition[]> {
      const templates: TemplateDefinition[] = [];
      const seen = new Set<string>();
      let after: string | undefined;
      for (let page = 0; page < MAX_TEMPLATE_PAGES; page++) {
        const { data, next } = await templatePage(after);
        for (const raw of data) {
          const template = parseTemplateDefinition(raw);
          if (template) templates.push(template);
        }
        if (data.length === 0 || next === undefined || seen.has(next)) break;
        seen.add(next);
        after = next;
      }
      return templates;
    },
  };
}
