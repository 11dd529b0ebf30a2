/**
 * Recognising a shopper's request for a person (a handoff), and the one-line confirmation sent
 * back. Pure; the same whole-message rule as STOP (stop-words.ts): after normalising, what is left
 * must be a known request phrase, optionally surrounded by polite filler ("please", "por favor",
 * "ji", …) and by words that only frame the request ("i", "need", "can", "me", "mujhe", …).
 *
 * Conservative on purpose: a false handoff costs little (automation pauses for that shopper until
 * a person closes it) but it is still a pause, so only short, clear requests count. A question
 * counts only when all it asks for is a person: "help?", "can I talk to a person?" and "I need
 * help please" are handoffs; "help me find the size chart?", "does this help with back pain?" or
 * "who is the agent for returns" are not — any other word makes it a sentence, which a person
 * reads in the inbox anyway. The payment_recovery help button (payload HELP) always counts.
 *
 * STOP wins over HELP: the webhook checks STOP first, so "stop, help" is an opt-out.
 */
import {
  FILLER,
  isKeywordMessage,
  phrases,
  words,
  type ConfirmationLanguage,
  confirmationLanguage,
} from './stop-words';
import { HELP_PAYLOAD } from '../engine/lane-types';

/** Words that only frame a request for a person; allowed around a phrase, never on their own. */
const FRAMING = words(`
  i im we me us my can could may need want wanna get a an some someone somebody urgent urgently
  मुझे हमें mujhe hume humein chahiye chaiye
  necesito puedo podria me
  preciso posso quero de`);

const HANDOFF_PHRASES = phrases([
  // English
  'help',
  'help me',
  'need help',
  'get help',
  'agent',
  'an agent',
  'human',
  'a human',
  'person',
  'a person',
  'real person',
  'a real person',
  'human agent',
  'live agent',
  'live chat',
  'operator',
  'representative',
  'support',
  'customer service',
  'customer support',
  'customer care',
  'contact support',
  'talk to a person',
  'talk to someone',
  'talk to somebody',
  'talk to a human',
  'talk to an agent',
  'talk to a real person',
  'talk to support',
  'talk with someone',
  'talk with a person',
  'speak to a person',
  'speak to someone',
  'speak to somebody',
  'speak to a human',
  'speak to an agent',
  'speak to a real person',
  'speak with someone',
  'speak with a person',
  'chat with someone',
  'chat with a person',
  // Hindi, in Devanagari and transliterated
  'मदद',
  'मदद चाहिए',
  'मदद करो',
  'मदद कीजिए',
  'मदद करें',
  'सहायता',
  'सहायता चाहिए',
  'हेल्प',
  'एजेंट',
  'किसी से बात करनी है',
  'किसी से बात कराओ',
  'इंसान से बात करनी है',
  'एजेंट से बात करनी है',
  'madad',
  'madad chahiye',
  'madad karo',
  'madad kijiye',
  'sahayata',
  'kisi se baat karni hai',
  'kisi se baat karao',
  'insaan se baat karni hai',
  'agent se baat karni hai',
  // Spanish
  'ayuda',
  'ayudame',
  'necesito ayuda',
  'agente',
  'asesor',
  'un asesor',
  'humano',
  'persona',
  'una persona',
  'soporte',
  'atencion al cliente',
  'hablar con una persona',
  'hablar con alguien',
  'hablar con un agente',
  'hablar con un asesor',
  'hablar con un humano',
  // Portuguese
  'ajuda',
  'me ajuda',
  'preciso de ajuda',
  'atendente',
  'um atendente',
  'atendimento',
  'suporte',
  'pessoa',
  'uma pessoa',
  'falar com uma pessoa',
  'falar com alguem',
  'falar com atendente',
  'falar com um atendente',
  'falar com um humano',
]);

/** True when a whole inbound text asks for a person (see the module comment). */
export function isHandoffRequest(text: string): boolean {
  return isKeywordMessage(text, HANDOFF_PHRASES, (w) => FILLER.has(w) || FRAMING.has(w));
}

/** True for the help button's payload ("HELP", any case, surrounding space ignored). */
export function isHandoffPayload(payload: string | null | undefined): boolean {
  return typeof payload === 'string' && payload.trim().toUpperCase() === HELP_PAYLOAD;
}

const HANDOFF: Record<ConfirmationLanguage, string> = {
  en: 'Thanks — a person from our team will reply here as soon as they can. Automated reminders are paused.',
  hi: 'धन्यवाद — हमारी टीम का कोई व्यक्ति जल्द से जल्द यहीं जवाब देगा। स्वचालित रिमाइंडर रोक दिए गए हैं।',
  es: 'Gracias — una persona de nuestro equipo te responderá aquí lo antes posible. Los recordatorios automáticos están en pausa.',
  pt: 'Obrigado — uma pessoa da nossa equipe vai responder aqui assim que puder. Os lembretes automáticos foram pausados.',
};

/** One line (no newline) confirming a handoff, for `sendText` inside the service window. */
export function handoffConfirmation(locale?: string | null): string {
  return HANDOFF[confirmationLanguage(locale)];
}
