/**
 * Recognising an opt-out (STOP) or opt-in (START) reply, and the one-line confirmation to send
 * back. Pure.
 *
 * A reply counts only as a whole message: after normalising (lower case, Latin accents and
 * punctuation, symbols and emoji removed, apostrophes dropped, whitespace collapsed), what is left
 * must be a known keyword phrase, optionally surrounded by polite filler ("please", "por favor",
 * "ji", …) and by words that only name what to stop ("messages", "sending", "me", "mensajes", …).
 * So "STOP!", "stop please", "please stop sending me messages", "बंद करो" and "no más" opt out,
 * while "don't stop sending deals" or "when does the sale stop?" do not: any other word in the
 * message (here "dont", "when") means it is a sentence, not a keyword.
 *
 * START: a user who stopped can opt back in by replying START (or "unstop", "subscribe",
 * "resume", "opt in" and equivalents in Hindi, Spanish and Portuguese). The reply is an explicit,
 * sender-specific request written in this sender's chat, so it is a valid opt-in for the consent
 * ledger (recorded with the confirmation text that offered it). Recognising it is deliberately
 * stricter than STOP — a short list, polite filler only — because a false START would message
 * someone who asked us to stop, while a false STOP only costs a nudge.
 */

/** Lower case, accents stripped from Latin letters (Devanagari signs kept), punctuation gone. */
export function normalizeReply(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .normalize('NFC')
    .toLowerCase()
    .replace(/[\p{Cf}\uFE00-\uFE0F\u20E3'’‘`´]/gu, '')
    .replace(/[\p{P}\p{S}\p{Cc}\p{Z}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export const words = (list: string): Set<string> => new Set(list.split(/\s+/).filter(Boolean).map(normalizeReply));
export const phrases = (list: readonly string[]): Set<string> => new Set(list.map(normalizeReply));

/** Polite filler, allowed around either keyword. */
export const FILLER = words(`
  please pls plz pleas kindly thanks thank you thx ty ok okay now just hi hello hey sir i want to would like id
  ji bhai yaar ab abhi kripya जी भाई यार अब अभी कृपया प्लीज प्लीज़
  por favor porfa porfavor gracias ya ahora quiero
  pf pfv pfvr obrigado obrigada obg agora ja`);

/** Words that only say what to stop; allowed around STOP keywords, never on their own. */
const STOP_OBJECTS = words(`
  me it this that them all these those messages message msgs msg messaging texts text texting sending send
  notifications notification alerts updates promotions promotion promos promo offers deals marketing ads spam
  whatsapp from us anymore immediately right away
  मुझे ये यह सब मैसेज मेसेज मैसेजेस संदेश भेजना व्हाट्सएप mujhe ye yeh sab bhejna
  mensajes mensaje msj promociones ofertas publicidad mas de enviar
  mensagens mensagem promocoes promocao mais receber isso`);

const STOP_PHRASES = phrases([
  // English (and the usual carrier keywords)
  'stop',
  'stopall',
  'unsubscribe',
  'unsub',
  'opt out',
  'optout',
  'opt me out',
  'cancel',
  'end',
  'quit',
  'revoke',
  'remove',
  'remove me',
  'no more',
  'dont send',
  'do not send',
  'dont message',
  'do not message',
  'dont text',
  'do not text',
  'dont contact',
  'do not contact',
  'leave me alone',
  // Hindi, in Devanagari and transliterated
  'बंद',
  'बंद करो',
  'बंद करें',
  'बंद करे',
  'बंद कर दो',
  'बंद कर दें',
  'बंद कीजिए',
  'बंद कीजिये',
  'बंद कर दीजिए',
  'रोको',
  'रोक दो',
  'रोकें',
  'रोकिए',
  'मत भेजो',
  'मत भेजिए',
  'मत भेजें',
  'ना भेजें',
  'अनसब्सक्राइब',
  'स्टॉप',
  'स्टाप',
  'स्टॉप करो',
  'stop karo',
  'stop kar do',
  'band',
  'bandh',
  'band karo',
  'bandh karo',
  'band kro',
  'band kar do',
  'band kardo',
  'bandh kar do',
  'band karen',
  'band karein',
  'band kare',
  'band kijiye',
  'roko',
  'rok do',
  'rokdo',
  'rokiye',
  'mat bhejo',
  'mat bhejiye',
  'mat bhejna',
  // Spanish
  'baja',
  'de baja',
  'dar de baja',
  'darme de baja',
  'dame de baja',
  'parar',
  'para',
  'detener',
  'detente',
  'detengan',
  'alto',
  'cancelar',
  'cancela',
  'basta',
  'no mas',
  'no quiero mas',
  'no enviar',
  'no envien',
  'no me envien',
  'no me envies',
  'no me manden',
  'desuscribir',
  'desuscribirme',
  'salir',
  // Portuguese
  'pare',
  'sair',
  'descadastrar',
  'descadastre',
  'descadastra',
  'chega',
  'remover',
  'remova',
  'nao quero mais',
  'nao envie mais',
  'nao enviar mais',
  'nao mande mais',
  'nao me envie',
  'nao me mande',
  'sair da lista',
  'cancelar inscricao',
  'cancelar assinatura',
]);

const START_PHRASES = phrases([
  'start',
  'unstop',
  'subscribe',
  'resubscribe',
  'resume',
  'opt in',
  'optin',
  'start again',
  'शुरू',
  'शुरू करो',
  'स्टार्ट',
  'चालू करो',
  'shuru',
  'shuru karo',
  'chalu karo',
  'reanudar',
  'dar de alta',
  'darme de alta',
  'suscribirme',
  'reativar',
  'voltar a receber',
]);

const START_FILLER = words('please pls plz ji कृपया por favor');

/**
 * True when, after removing some leading and trailing `strippable` words, exactly one of
 * `keywords` is left. Messages of more than 10 words are never keywords. Also used for the
 * handoff request (handoff-words.ts).
 */
export function isKeywordMessage(text: string, keywords: Set<string>, strippable: (word: string) => boolean): boolean {
  const tokens = normalizeReply(text).split(' ').filter(Boolean);
  if (tokens.length === 0 || tokens.length > 10) return false;
  for (let i = 0; i < tokens.length; i++) {
    if (i > 0 && !strippable(tokens[i - 1] ?? '')) break;
    for (let j = tokens.length; j > i; j--) {
      if (keywords.has(tokens.slice(i, j).join(' '))) return true;
      if (!strippable(tokens[j - 1] ?? '')) break;
    }
  }
  return false;
}

/** True when a whole inbound message asks to stop receiving messages (see the module comment). */
export function isStopRequest(text: string): boolean {
  return isKeywordMessage(text, STOP_PHRASES, (w) => FILLER.has(w) || STOP_OBJECTS.has(w));
}

/** True when a whole inbound message asks to opt back in (START; see the module comment). */
export function isStartRequest(text: string): boolean {
  return isKeywordMessage(text, START_PHRASES, (w) => START_FILLER.has(w));
}

/** The quick-reply payload of the opt-out button on Cartback's marketing templates. */
export const STOP_PAYLOAD = 'STOP';

/** True for the template opt-out button's payload ("STOP", any case, surrounding space ignored). */
export function isStopPayload(payload: string | null | undefined): boolean {
  return typeof payload === 'string' && payload.trim().toUpperCase() === STOP_PAYLOAD;
}

export type ConfirmationLanguage = 'en' | 'hi' | 'es' | 'pt';

const OPT_OUT: Record<ConfirmationLanguage, string> = {
  en: "You won't get any more messages from us on WhatsApp. Reply START to opt back in.",
  hi: 'अब आपको WhatsApp पर हमारी ओर से कोई संदेश नहीं मिलेगा। फिर से जुड़ने के लिए START लिखकर भेजें।',
  es: 'Ya no recibirás más mensajes nuestros por WhatsApp. Responde START para volver a suscribirte.',
  pt: 'Você não receberá mais mensagens nossas no WhatsApp. Responda START para voltar a receber.',
};

const OPT_IN: Record<ConfirmationLanguage, string> = {
  en: "You're subscribed to our WhatsApp messages again. Reply STOP any time to opt out.",
  hi: 'आप फिर से WhatsApp पर हमारे संदेश पाएंगे। बंद करने के लिए कभी भी STOP लिखकर भेजें।',
  es: 'Vuelves a recibir nuestros mensajes por WhatsApp. Responde STOP cuando quieras para darte de baja.',
  pt: 'Você voltará a receber nossas mensagens no WhatsApp. Responda STOP a qualquer momento para sair.',
};

/** The confirmation language for a locale such as "hi", "es_MX" or "pt-BR"; English otherwise. */
export function confirmationLanguage(locale: string | null | undefined): ConfirmationLanguage {
  const lang = (locale ?? '').toLowerCase().split(/[-_]/)[0];
  return lang === 'hi' || lang === 'es' || lang === 'pt' ? lang : 'en';
}

/** One line (no newline) confirming an opt-out, for `sendText` inside the service window. */
export function optOutConfirmation(locale?: string | null): string {
  return OPT_OUT[confirmationLanguage(locale)];
}

/** One line confirming an opt-in by START. */
export function optInConfirmation(locale?: string | null): string {
  return OPT_IN[confirmationLanguage(locale)];
}
