import Joi from 'joi';
import type { D360Options } from './d360';
import { FAKE_DEFAULTS } from './server';
import { D360_SECRET_HEADER } from '../whatsapp/webhook';

/** Settings of `npm run fake:whatsapp`, the fake WhatsApp Cloud API (a test double). */
export interface FakeConfig {
  port: number;
  host: string;
  webhookUrl: string | undefined;
  appSecret: string;
  accessToken: string;
  rateLimit: number;
  phoneNumberId: string;
  wabaId: string;
  statusDelayMs: number;
  logLevel: string;
  /** FAKE_D360_API_KEY set: 360dialog mode (d360.ts), its webhooks carrying FAKE_WEBHOOK_SECRET. */
  dialog360?: D360Options;
}

export class FakeConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
    this.name = 'FakeConfigError';
  }
}

const schema = Joi.object({
  PORT: Joi.number().port().default(8790),
  FAKE_HOST: Joi.string().hostname().default('127.0.0.1'),
  FAKE_WEBHOOK_URL: Joi.string().uri({ scheme: ['http', 'https'] }),
  FAKE_APP_SECRET: Joi.string().default('fake-app-secret'),
  FAKE_ACCESS_TOKEN: Joi.string()
    .pattern(/^\S+$/)
    .default('fake-access-token')
    .messages({ 'string.pattern.base': '{{#label}} must not contain spaces' }),
  FAKE_RATE_LIMIT: Joi.number().integer().min(1).default(FAKE_DEFAULTS.rateLimit),
  FAKE_PHONE_NUMBER_ID: Joi.string()
    .pattern(/^\d+$/)
    .default(FAKE_DEFAULTS.phoneNumberId)
    .messages({ 'string.pattern.base': '{{#label}} must be digits' }),
  FAKE_WABA_ID: Joi.string()
    .pattern(/^\d+$/)
    .default(FAKE_DEFAULTS.wabaId)
    .messages({ 'string.pattern.base': '{{#label}} must be digits' }),
  FAKE_STATUS_DELAY_MS: Joi.number().integer().min(0).max(600_000).default(FAKE_DEFAULTS.statusDelayMs),
  FAKE_D360_API_KEY: Joi.string()
    .pattern(/^\S+$/)
    .messages({ 'string.pattern.base': '{{#label}} must not contain spaces' }),
  FAKE_WEBHOOK_SECRET: Joi.string(),
  LOG_LEVEL: Joi.string().valid('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent').default('info'),
});

/**
 * Reads and validates the settings. Pure: the caller passes the environment. Empty counts as
 * unset. Throws FakeConfigError naming the first variable at fault, without repeating its value.
 */
export function loadFakeConfig(env: NodeJS.ProcessEnv): FakeConfig {
  const input: Record<string, string> = {};
  for (const name of Object.keys(schema.describe().keys as object)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[name] = value;
  }
  const { error, value: v } = schema.validate(input, { abortEarly: true, errors: { wrap: { label: false } } });
  if (error) {
    const detail = error.details[0];
    throw new FakeConfigError(String(detail?.path[0] ?? 'configuration'), detail?.message ?? error.message);
  }
  return {
    port: v.PORT,
    host: v.FAKE_HOST,
    webhookUrl: v.FAKE_WEBHOOK_URL,
    appSecret: v.FAKE_APP_SECRET,
    accessToken: v.FAKE_ACCESS_TOKEN,
    rateLimit: v.FAKE_RATE_LIMIT,
    phoneNumberId: v.FAKE_PHONE_NUMBER_ID,
    wabaId: v.FAKE_WABA_ID,
    statusDelayMs: v.FAKE_STATUS_DELAY_MS,
    logLevel: v.LOG_LEVEL,
    ...(v.FAKE_D360_API_KEY
      ? {
          dialog360: {
            apiKey: v.FAKE_D360_API_KEY,
            webhookHeaders: v.FAKE_WEBHOOK_SECRET ? { [D360_SECRET_HEADER]: v.FAKE_WEBHOOK_SECRET } : {},
          },
        }
      : {}),
  };
}
