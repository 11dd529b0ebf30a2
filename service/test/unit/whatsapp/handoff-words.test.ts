import { isHandoffPayload, isHandoffRequest, handoffConfirmation } from '../../../src/whatsapp/handoff-words';
import { isStopRequest } from '../../../src/whatsapp/stop-words';

describe('isHandoffRequest', () => {
  it.each([
    // English
    'help',
    'HELP',
    'Help!',
    '  help  ',
    'help?',
    'help me',
    'help me please',
    'I need help',
    'need help pls',
    'Get help',
    'agent',
    'Agent please',
    'human',
    'a real person please',
    'live agent',
    'customer service',
    'support',
    'talk to a person',
    'Can I talk to a person?',
    'I want to speak to someone',
    'speak to someone please',
    'I would like to speak with a person',
    'talk to a human!!',
    'hi, I need an agent',
    // Hindi
    'मदद',
    'मुझे मदद चाहिए',
    'किसी से बात करनी है',
    'madad chahiye',
    'mujhe kisi se baat karni hai',
    'help ji',
    // Spanish
    'ayuda',
    'Ayúdame por favor',
    'necesito ayuda',
    'quiero hablar con una persona',
    'hablar con un asesor',
    'atención al cliente',
    // Portuguese
    'ajuda',
    'preciso de ajuda',
    'quero falar com um atendente',
    'falar com alguém por favor',
    'atendente',
  ])('%s is a request for a person', (text) => {
    expect(isHandoffRequest(text)).toBe(true);
  });

  it.each([
    // Questions and sentences about something else: a person reads them in the inbox (issue 13),
    // but they do not pause automation.
    'help me find the size chart?',
    'does this help with back pain?',
    'can you help me with the coupon code',
    'who is the agent for returns',
    'thanks for the help',
    'no help needed',
    'is support included in the price?',
    'where is my order',
    'what is the price',
    'yes',
    'ok thanks',
    'helpful',
    'helper',
    '',
    '   ',
    '🙏',
    // Other keywords
    'stop',
    'start',
    // Spanish / Portuguese / Hindi sentences
    'la talla me ayuda a elegir',
    'quero saber o preço',
    'यह कितने का है',
    // Too long to be a keyword message
    'help help help help help help help help help help help',
  ])('%s is not', (text) => {
    expect(isHandoffRequest(text)).toBe(false);
  });

  it('never overlaps with STOP words the webhook checks first', () => {
    // "stop" wins when both appear; a pure STOP message is never a handoff.
    expect(isStopRequest('stop')).toBe(true);
    expect(isHandoffRequest('stop')).toBe(false);
  });
});

describe('isHandoffPayload', () => {
  it.each([
    ['HELP', true],
    ['help', true],
    [' Help ', true],
    ['STOP', false],
    ['HELPME', false],
    ['', false],
    [null, false],
    [undefined, false],
  ] as const)('%p → %p', (payload, expected) => {
    expect(isHandoffPayload(payload)).toBe(expected);
  });
});

describe('handoffConfirmation', () => {
  it.each([
    ['en', 'Thanks — a person from our team will reply here as soon as they can. Automated reminders are paused.'],
    [null, 'Thanks — a person from our team will reply here as soon as they can. Automated reminders are paused.'],
    ['fr_FR', 'Thanks — a person from our team will reply here as soon as they can. Automated reminders are paused.'],
    ['hi_IN', expect.stringContaining('हमारी टीम')],
    ['es-MX', expect.stringContaining('una persona de nuestro equipo')],
    ['pt_BR', expect.stringContaining('uma pessoa da nossa equipe')],
  ])('in the language of %p', (locale, expected) => {
    const text = handoffConfirmation(locale);
    expect(text).toEqual(expected);
    expect(text).not.toContain('\n');
  });
});
