/**
 * The 360dialog provider adapter (Cloud API hosted by 360dialog): the same message bodies as Meta's
 * Cloud API, sent to `POST {base}/messages` with the `D360-API-KEY` header (the key is bound to one
 * number, so the path has no version or number id); templates listed at
 * `GET {base}/v1/configs/templates` (`waba_templates`, paged by `offset`). Transport, error
 * mapping and bodies are the Cloud adapter's (meta-shaped.ts): never throws from a send, never
 * logs, never returns the key.
 */
import axios, { type AxiosInstance } from 'axios';
import { ConfigError, type Config } from '../config';
import { numberAt } from './json';
import { createExchanger, DEFAULT_TIMEOUT_MS, messageSender, templateListBody } from './meta-shaped';
import type { WhatsAppProvider } from './provider';
import { parseTemplateDefinition } from './templates';
import type { TemplateDefinition } from './types';

export interface D360ProviderConfig {
  /** Such as https://waba-v2.360dialog.io (or the fake's URL). */
  apiUrl: string;
  apiKey: string;
  /** Whole-exchange timeout per request (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/** Templates per page, and pages read at most (a guard against a list that never ends). */
export const D360_PAGE_SIZE = 100;
export const D360_MAX_PAGES = 100;

/** The 360dialog settings: WHATSAPP_API_URL and the API key in WHATSAPP_ACCESS_TOKEN. */
export function d360ProviderConfig(whatsapp: Config['whatsapp']): D360ProviderConfig {
  if (!whatsapp.accessToken) {
    throw new ConfigError(
      'WHATSAPP_ACCESS_TOKEN',
      'WHATSAPP_ACCESS_TOKEN must be set to the 360dialog API key when WHATSAPP_PROVIDER is 360dialog',
    );
  }
  return { apiUrl: whatsapp.apiUrl, apiKey: whatsapp.accessToken };
}

export function createD360Provider(config: D360ProviderConfig, httpClient?: AxiosInstance): WhatsAppProvider {
  const base = config.apiUrl.replace(/\/+$/, '');
  const exchange = createExchanger({
    client: httpClient ?? axios.create(),
    timeoutMs: config.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    auth: { 'D360-API-KEY': config.apiKey },
  });
  return {
    name: '360dialog',

    ...messageSender(exchange, `${base}/messages`),

    /**
     * Pages through `waba_templates` by offset until a short or empty page, the `total`, or
     * {@link D360_MAX_PAGES} pages. Templates Cartback cannot fill are left out (templates.ts).
     */
    async listTemplates(): Promise<TemplateDefinition[]> {
      const templates: TemplateDefinition[] = [];
      let offset = 0;
      for (let page = 0; page < D360_MAX_PAGES; page++) {
        const query = new URLSearchParams({ limit: String(D360_PAGE_SIZE), offset: String(offset) });
        const body = templateListBody(await exchange('GET', `${base}/v1/configs/templates?${query}`), 'waba_templates');
        const data = body.waba_templates as unknown[];
        for (const raw of data) {
          const template = parseTemplateDefinition(raw);
          if (template) templates.push(template);
        }
        offset += data.length;
        const total = numberAt(body, 'total');
        if (data.length < D360_PAGE_SIZE || (total !== undefined && offset >= total)) break;
      }
      return templates;
    },
  };
}
