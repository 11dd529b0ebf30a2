/**
 * The WhatsApp Cloud API's wire format for what Cartback sends and receives (the project
 * handbook's reference/whatsapp.md). Shared by the provider adapters, the engine's renderer and
 * the fake Cloud API (a test double).
 */

export interface TextParameter {
  type: 'text';
  text: string;
}

export interface CurrencyParameter {
  type: 'currency';
  currency: { fallback_value: string; code: string; amount_1000: number };
}

export interface ImageParameter {
  type: 'image';
  image: { link: string } | { id: string };
}

export interface PayloadParameter {
  type: 'payload';
  payload: string;
}

export type BodyParameter = TextParameter | CurrencyParameter;

export type TemplateComponent =
  | { type: 'header'; parameters: Array<ImageParameter | TextParameter> }
  | { type: 'body'; parameters: BodyParameter[] }
  | { type: 'button'; sub_type: 'url'; index: string; parameters: TextParameter[] }
  | { type: 'button'; sub_type: 'quick_reply'; index: string; parameters: PayloadParameter[] };

/** `POST /{version}/{phone number id}/messages` body for a template message. */
export interface TemplateMessageRequest {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: 'template';
  /** Echoed back in this message's status webhooks (≤ 512 characters). */
  biz_opaque_callback_data?: string;
  template: { name: string; language: { code: string }; components: TemplateComponent[] };
}

/** `POST …/messages` body for a free-form text (allowed inside the 24 h service window). */
export interface TextMessageRequest {
  messaging_product: 'whatsapp';
  recipient_type: 'individual';
  to: string;
  type: 'text';
  biz_opaque_callback_data?: string;
  text: { body: string };
}

export type MessageRequest = TemplateMessageRequest | TextMessageRequest;

export interface SendSuccessResponse {
  messaging_product: 'whatsapp';
  contacts: Array<{ input: string; wa_id: string }>;
  messages: Array<{ id: string; message_status?: 'accepted' | 'held_for_quality_assessment' }>;
}

export interface GraphErrorResponse {
  error: {
    message: string;
    type: string;
    code: number;
    error_subcode?: number;
    error_data?: { messaging_product: 'whatsapp'; details: string };
    fbtrace_id?: string;
  };
}

/** A template's review status, as Meta reports it. */
export const TEMPLATE_STATUSES = [
  'APPROVED',
  'IN_APPEAL',
  'PENDING',
  'REJECTED',
  'PENDING_DELETION',
  'DELETED',
  'DISABLED',
  'PAUSED',
  'LIMIT_EXCEEDED',
] as const;
export type TemplateStatus = (typeof TEMPLATE_STATUSES)[number];

export const TEMPLATE_CATEGORIES = ['MARKETING', 'UTILITY', 'AUTHENTICATION'] as const;
export type TemplateCategory = (typeof TEMPLATE_CATEGORIES)[number];

/** A template as `GET /{version}/{WABA id}/message_templates` lists it. */
export interface TemplateDefinition {
  id: string;
  name: string;
  language: string;
  status: TemplateStatus;
  category: TemplateCategory;
  components: Array<
    | { type: 'HEADER'; format: 'IMAGE' | 'TEXT'; text?: string }
    | { type: 'BODY'; text: string }
    | { type: 'FOOTER'; text: string }
    | {
        type: 'BUTTONS';
        buttons: Array<{ type: 'URL'; text: string; url: string } | { type: 'QUICK_REPLY'; text: string }>;
      }
  >;
}

export type MessageStatus = 'sent' | 'delivered' | 'read' | 'failed' | 'played';

export interface StatusUpdate {
  id: string;
  status: MessageStatus;
  /** Unix seconds, as a string. */
  timestamp: string;
  recipient_id: string;
  biz_opaque_callback_data?: string;
  pricing?: { billable: boolean; pricing_model: string; category: string };
  errors?: Array<{ code: number; title: string; message?: string; error_data?: { details: string } }>;
}

export type InboundMessage =
  | { from: string; id: string; timestamp: string; type: 'text'; text: { body: string } }
  | {
      from: string;
      id: string;
      timestamp: string;
      type: 'button';
      button: { payload: string; text: string };
      context?: { from: string; id: string };
    }
  | {
      from: string;
      id: string;
      timestamp: string;
      type: 'interactive';
      interactive: { type: 'button_reply'; button_reply: { id: string; title: string } };
    };

export interface UserPreference {
  wa_id: string;
  /** Meta's wording of the change, e.g. "User requested to stop marketing messages". */
  detail?: string;
  category: 'marketing_messages';
  value: 'stop' | 'resume';
  timestamp: string;
}

/** The body of a webhook POST from the Cloud API. */
export interface WebhookEnvelope {
  object: 'whatsapp_business_account';
  entry: Array<{
    id: string;
    changes: Array<{
      field:
        | 'messages'
        | 'user_preferences'
        | 'message_template_status_update'
        | 'template_category_update'
        | 'phone_number_quality_update';
      value: {
        messaging_product?: 'whatsapp';
        metadata?: { display_phone_number: string; phone_number_id: string };
        contacts?: Array<{ profile: { name: string }; wa_id: string }>;
        messages?: InboundMessage[];
        statuses?: StatusUpdate[];
        errors?: Array<{ code: number; title: string; message?: string }>;
        user_preferences?: UserPreference[];
      };
    }>;
  }>;
}
