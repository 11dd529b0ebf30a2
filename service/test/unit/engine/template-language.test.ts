import { chooseTemplateLanguage, languageCandidates, metaLanguage } from '../../../src/engine/template-language';

const approved =
  (table: Record<string, string[]>) =>
  (template: string): readonly string[] | null =>
    table[template] ?? [];

describe('metaLanguage and languageCandidates', () => {
  it.each<[string | null, string | null, string[]]>([
    ['pt_BR', 'pt_BR', ['pt_BR', 'pt']],
    ['pt-br', 'pt_BR', ['pt_BR', 'pt']],
    ['EN', 'en', ['en']],
    ['hi_IN', 'hi_IN', ['hi_IN', 'hi']],
    ['', null, []],
    [null, null, []],
    ['português', null, []],
  ])('%j → %j, tried as %j', (locale, language, candidates) => {
    expect(metaLanguage(locale)).toBe(language);
    expect(languageCandidates(locale)).toEqual(candidates);
  });
});

describe('chooseTemplateLanguage', () => {
  const cart = ['cart_reminder_1', 'cart_reminder_1_text'];
  it.each<[string, string | null, Record<string, string[]> | null, string[], string]>([
    ['the contact’s own when approved', 'pt_BR', { cart_reminder_1: ['en', 'pt_BR'] }, ['cart_reminder_1'], 'pt_BR'],
    [
      'the bare language when the regional one is not',
      'pt_BR',
      { cart_reminder_1: ['en', 'pt'] },
      ['cart_reminder_1'],
      'pt',
    ],
    [
      'the regional one before the bare one',
      'pt_BR',
      { cart_reminder_1: ['pt', 'pt_BR'] },
      ['cart_reminder_1'],
      'pt_BR',
    ],
    [
      'the step’s when none is approved in the contact’s',
      'hi_IN',
      { cart_reminder_1: ['en'] },
      ['cart_reminder_1'],
      'en',
    ],
    ['the step’s when the locale is unknown', null, { cart_reminder_1: ['en', 'pt_BR'] }, ['cart_reminder_1'], 'en'],
    ['the step’s when the approvals are unknown', 'pt_BR', null, ['cart_reminder_1'], 'en'],
    [
      'the step’s when the text-only alternative is not approved in the contact’s',
      'pt_BR',
      { cart_reminder_1: ['en', 'pt_BR'], cart_reminder_1_text: ['en'] },
      cart,
      'en',
    ],
    [
      'the contact’s when both templates are approved in it',
      'pt-BR',
      { cart_reminder_1: ['en', 'pt_BR'], cart_reminder_1_text: ['en', 'pt_BR'] },
      cart,
      'pt_BR',
    ],
  ])('%s', (_what, contactLocale, table, templates, expected) => {
    expect(
      chooseTemplateLanguage({
        templates,
        stepLanguage: 'en',
        contactLocale,
        approvedLanguages: table === null ? () => null : approved(table),
      }),
    ).toBe(expected);
  });
});
