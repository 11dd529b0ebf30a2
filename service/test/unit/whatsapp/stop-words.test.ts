import {
  confirmationLanguage,
  isStartRequest,
  isStopPayload,
  isStopRequest,
  normalizeReply,
  optInConfirmation,
  optOutConfirmation,
} from '../../../src/whatsapp/stop-words';

describe('isStopRequest', () => {
  it.each([
    // English
    'stop',
    'STOP',
    'Stop',
    'STOP!',
    'stop.',
    '  stop  ',
    'stop please',
    'Please stop',
    'pls stop!!',
    'stop it',
    'Stop ✋',
    'STOP 🛑🛑',
    'stop sending me messages',
    'Stop promotions',
    'stop all',
    'STOPALL',
    'unsubscribe',
    'Unsubscribe me please',
    'opt out',
    'opt-out',
    'OPTOUT',
    'cancel',
    'end',
    'quit',
    'no more messages',
    "don't message me",
    'do not contact me',
    'i want to unsubscribe',
    'stop\nplease',
    // Hindi
    'बंद',
    'बंद करो',
    'बंद करो।',
    'कृपया बंद करें',
    'मैसेज बंद करो',
    'मत भेजो',
    'रोको',
    'स्टॉप',
    'band',
    'Band karo',
    'band kar do please',
    'bandh karo',
    'msg band karo',
    'mat bhejo',
    'stop karo',
    // Spanish
    'baja',
    'BAJA',
    'darme de baja',
    'parar',
    'detener',
    'alto',
    'cancelar',
    'no más',
    'no mas',
    'No más mensajes, por favor',
    'basta',
    'no me envíen más',
    // Portuguese
    'sair',
    'pare',
    'Pare!',
    'descadastrar',
    'me descadastre',
    'não quero mais',
    'nao quero mais receber mensagens',
    'cancelar, obrigado',
  ])('opts out on %j', (text) => {
    expect(isStopRequest(text)).toBe(true);
  });

  it.each([
    "don't stop sending deals",
    'dont stop',
    'when does the sale stop?',
    'I stopped at the shop yesterday',
    'stopwatch',
    'can I cancel my order?',
    'cancel my order',
    'the end',
    'weekend',
    'is the shop band?',
    'दुकान कब बंद होती है?',
    'la oferta se acaba pronto, no?',
    'para mi hermana',
    'quero mais ofertas',
    'quiero más ofertas',
    'no',
    'yes',
    'thanks',
    'please',
    'messages',
    '',
    '   ',
    '!!!',
    'start',
    'stop stop stop stop stop stop stop stop stop stop stop',
    'Hi, I have a question about my cart, can you help?',
  ])('does not opt out on %j', (text) => {
    expect(isStopRequest(text)).toBe(false);
  });
});

describe('isStartRequest', () => {
  it.each(['START', 'start', 'Start!', 'start please', 'unstop', 'subscribe', 'resume', 'opt in', 'opt-in', 'शुरू करो'])(
    'opts in on %j',
    (text) => {
      expect(isStartRequest(text)).toBe(true);
    },
  );

  it.each(['stop', 'start sending me deals', 'when does the sale start?', "don't start", 'yes', 'ok', ''])(
    'does not opt in on %j',
    (text) => {
      expect(isStartRequest(text)).toBe(false);
    },
  );
});

describe('isStopPayload', () => {
  it.each([
    ['STOP', true],
    ['stop', true],
    [' STOP ', true],
    ['STOP_PROMOTIONS', false],
    ['START', false],
    ['', false],
    [undefined, false],
    [null, false],
  ])('%j → %s', (payload, expected) => {
    expect(isStopPayload(payload)).toBe(expected);
  });
});

describe('normalizeReply', () => {
  it.each([
    ['  STOP!!! ', 'stop'],
    ['No MÁS', 'no mas'],
    ['não', 'nao'],
    ["don't", 'dont'],
    ['opt-out', 'opt out'],
    ['बंद करो।', 'बंद करो'],
    ['stop\u200b', 'stop'],
  ])('%j → %j', (input, output) => {
    expect(normalizeReply(input)).toBe(output);
  });
});

describe('confirmations', () => {
  it.each([
    ['en', 'en'],
    ['en-IN', 'en'],
    ['hi', 'hi'],
    ['hi_IN', 'hi'],
    ['es-MX', 'es'],
    ['pt_BR', 'pt'],
    ['PT', 'pt'],
    ['fr', 'en'],
    ['', 'en'],
    [undefined, 'en'],
  ])('%j speaks %s', (locale, lang) => {
    expect(confirmationLanguage(locale)).toBe(lang);
  });

  it('confirms an opt-out in one line that offers START', () => {
    expect(optOutConfirmation('en')).toBe(
      "You won't get any more messages from us on WhatsApp. Reply START to opt back in.",
    );
    for (const locale of ['en', 'hi', 'es', 'pt', 'de']) {
      const text = optOutConfirmation(locale);
      expect(text).not.toMatch(/[\r\n\t]/);
      expect(text).toContain('START');
      expect(text.length).toBeLessThan(200);
    }
    expect(optOutConfirmation('hi-IN')).toMatch(/WhatsApp/);
    expect(optOutConfirmation('fr')).toBe(optOutConfirmation('en'));
  });

  it('confirms an opt-in in one line that reminds of STOP', () => {
    for (const locale of ['en', 'hi', 'es', 'pt']) {
      expect(optInConfirmation(locale)).not.toMatch(/[\r\n\t]/);
      expect(optInConfirmation(locale)).toContain('STOP');
    }
  });

  it('offers a START that is recognised, and confirms with words that are not a STOP', () => {
    expect(isStartRequest('START')).toBe(true);
    for (const locale of ['en', 'hi', 'es', 'pt']) {
      expect(isStopRequest(optOutConfirmation(locale))).toBe(false);
    }
  });
});
