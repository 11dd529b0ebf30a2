import type { MessageStatus, StatusUpdate, TemplateComponent, TemplateDefinition } from '../whatsapp/types';
import { slidingWindow, type SlidingWindow } from './rate-limit';
import type { RenderedMessage } from './validate';
import type { Business } from './webhooks';

/** What the fake WhatsApp Cloud API (a test double) remembers; `/_sandbox/*` shows and resets it. */

/** A message the fake accepted, as `GET /_sandbox/messages` lists it. */
export interface SandboxMessage extends RenderedMessage {
  wamid: string;
  /** As the sender wrote it; `wa_id` is its digits. */
  to: string;
  wa_id: string;
  type: 'template' | 'text';
  template: { name: string; language: string; category: TemplateDefinition['category'] } | null;
  components: TemplateComponent[];
  biz_opaque_callback_data: string | null;
  receivedAt: string;
  /** The last status the fake reported for it (`accepted` until the first webhook). */
  status: 'accepted' | MessageStatus;
  errors?: StatusUpdate['errors'];
}

/** A send the fake refused (or held open without an answer), for `GET /_sandbox/rejections`. */
export interface Rejection {
  at: string;
  to: string | null;
  template: string | null;
  reason: 'auth' | 'invalid' | 'rate_limit' | 'injected' | 'timeout';
  /** Meta's error code (null for a request held open). */
  code: number | null;
  details: string;
  /** The HTTP status answered (null for a request held open). */
  httpStatus: number | null;
}

/** Failures queued by `POST /_sandbox/fail`, applied to the next sends that would be accepted. */
export interface FailurePlan {
  mode: 'error' | 'status' | 'timeout';
  /** Meta's error code (null for `timeout`). */
  code: number | null;
  remaining: number;
  /** For `timeout`: accept the message (statuses follow) though the request is never answered. */
  accept: boolean;
}

/** Read at use, so an in-process test may change them while the fake runs. */
export interface FakeSettings {
  webhookUrl: string | undefined;
  rateLimit: number;
  statusDelayMs: number;
}

export interface FakeState {
  readonly settings: FakeSettings;
  readonly business: Business;
  readonly templates: TemplateDefinition[];
  readonly messages: SandboxMessage[];
  readonly rejections: Rejection[];
  readonly failures: FailurePlan[];
  /** wa_id → when it last messaged us (ms), for the 24 h service window. */
  readonly lastInbound: Map<string, number>;
  /** wa_ids that stopped marketing messages in the app (their marketing sends fail with 131050). */
  readonly marketingStopped: Set<string>;
  readonly rate: SlidingWindow;
}

export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export function createState(settings: FakeSettings, business: Business, templates: TemplateDefinition[]): FakeState {
  return {
    settings,
    business,
    templates,
    messages: [],
    rejections: [],
    failures: [],
    lastInbound: new Map(),
    marketingStopped: new Set(),
    rate: slidingWindow(),
  };
}

/** Back to how the fake started: nothing received, no failures queued, the first templates. */
export function resetState(state: FakeState, templates: readonly TemplateDefinition[]): void {
  state.templates.splice(0, state.templates.length, ...structuredClone(templates));
  state.messages.length = 0;
  state.rejections.length = 0;
  state.failures.length = 0;
  state.lastInbound.clear();
  state.marketingStopped.clear();
  state.rate.clear();
}

/** Takes one failure off the queue (the plan it came from), or null when none is queued. */
export function takeFailure(state: FakeState): FailurePlan | null {
  const plan = state.failures[0];
  if (!plan) return null;
  plan.remaining -= 1;
  if (plan.remaining <= 0) state.failures.shift();
  return plan;
}
