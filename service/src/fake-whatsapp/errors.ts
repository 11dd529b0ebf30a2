import { randomBytes } from 'node:crypto';
import type { GraphErrorResponse } from '../whatsapp/types';

/**
 * Meta's error codes the fake WhatsApp Cloud API (a test double) can answer with, and the titles
 * Meta gives them (reference/whatsapp.md, "Error codes"). Any other code may still be injected
 * through `POST /_sandbox/fail`; it then gets a generic title.
 */
const TITLES: Record<number, string> = {
  1: 'An unknown error occurred',
  2: 'Service temporarily unavailable',
  100: 'Invalid parameter',
  190: 'Invalid OAuth access token',
  130429: 'Rate limit hit',
  130472: "User's number is part of an experiment",
  131000: 'Something went wrong',
  131008: 'Required parameter is missing',
  131009: 'Parameter value is not valid',
  131016: 'Service unavailable',
  131026: 'Message undeliverable',
  131047: 'Re-engagement message',
  131048: 'Spam rate limit hit',
  131049: 'This message was not delivered to maintain healthy ecosystem engagement',
  131050: 'User has stopped marketing messages',
  131056: '(Business Account, Consumer Account) pair rate limit hit',
  131057: 'Account in maintenance mode',
  132000: 'Number of parameters does not match the expected number of params',
  132001: 'Template name does not exist in the translation',
  132012: 'Parameter format does not match format in the created template',
  132015: 'Template is paused',
  132016: 'Template is disabled',
  132018: 'There was an issue with the parameters in your template',
};

/** What Meta says in `error_data.details` when the caller gave no detail of its own. */
const DETAILS: Record<number, string> = {
  130429: 'Cloud API message throughput has been reached.',
  131026: 'Message undeliverable.',
  131047: 'More than 24 hours have passed since the recipient last replied to the sender number.',
  131050: 'This recipient has chosen to stop receiving marketing messages on WhatsApp from your business.',
  132018: 'Param text cannot have new-line/tab characters or more than 4 consecutive spaces.',
};

/** A refusal before it is put in Meta's wire shape: the code and the detail for this case. */
export interface MetaFailure {
  code: number;
  details?: string;
}

export function errorTitle(code: number): string {
  return TITLES[code] ?? `Error ${code}`;
}

export function errorDetails(failure: MetaFailure): string {
  return failure.details ?? DETAILS[failure.code] ?? `${errorTitle(failure.code)}.`;
}

/** HTTP status of a refusal: 401 for an access-token problem, 400 for everything else. */
export function httpStatusOf(code: number): number {
  return code === 190 ? 401 : 400;
}

/** A refusal in Meta's wire shape, with a random `fbtrace_id` as the real API gives. */
export function graphError(failure: MetaFailure): GraphErrorResponse {
  return {
    error: {
      message: `(#${failure.code}) ${errorTitle(failure.code)}`,
      type: 'OAuthException',
      code: failure.code,
      error_data: { messaging_product: 'whatsapp', details: errorDetails(failure) },
      fbtrace_id: randomBytes(17).toString('base64url'),
    },
  };
}

/** The `errors` entry of a `failed` status webhook. */
export function statusError(failure: MetaFailure): {
  code: number;
  title: string;
  message: string;
  error_data: { details: string };
} {
  const title = errorTitle(failure.code);
  return { code: failure.code, title, message: title, error_data: { details: errorDetails(failure) } };
}
