/**
 * Which language a step's template goes in (DESIGN.md, "Lanes"): the contact's own when an
 * approved template exists in it, else the step's. Pure: a function of the contact's locale, the
 * step and the languages WhatsApp has approved the template in.
 *
 * THE RULE:
 *
 *  1. the languages WhatsApp has approved are not known (no provider, or listing them failed):
 *     the step's language, as configured;
 *  2. the contact's locale, as Meta names languages (`pt-BR` and `pt_BR` are `pt_BR`), when every
 *     template the step may send (its template, and its text-only alternative when it has one) is
 *     approved in it;
 *  3. else the locale's bare language (`pt` for `pt_BR`) on the same terms;
 *  4. else the step's language (whose template may itself be unavailable: the send decision says
 *     so, `template_unavailable`).
 */

/** A locale as Meta names template languages: `pt-br` → `pt_BR`, `EN` → `en`; null when it is none. */
export function metaLanguage(locale: string | null | undefined): string | null {
  const match = /^([a-zA-Z]{2,3})(?:[-_]([a-zA-Z0-9]{2,4}))?$/.exec((locale ?? '').trim());
  if (!match) return null;
  const language = (match[1] as string).toLowerCase();
  const region = match[2];
  if (!region) return language;
  // A script (Hant) keeps its case as Meta spells it (zh_Hant is not used; zh_TW/zh_HK are).
  return `${language}_${region.length === 2 ? region.toUpperCase() : region}`;
}

/** The languages to try for a contact's locale, most specific first: `pt_BR` → [`pt_BR`, `pt`]. */
export function languageCandidates(locale: string | null | undefined): string[] {
  const language = metaLanguage(locale);
  if (!language) return [];
  const base = language.split('_')[0] as string;
  return base === language ? [language] : [language, base];
}

export interface TemplateChoice {
  /** The step's template, and its text-only alternative when it has one. */
  templates: readonly string[];
  /** The step's configured language. */
  stepLanguage: string;
  /** The contact's locale (the cart's, else the contact's), if known. */
  contactLocale: string | null;
  /** The languages WhatsApp approved a template in; null when that is not known. */
  approvedLanguages: (template: string) => readonly string[] | null;
}

/** The language to send the step's template in, by the rule above. */
export function chooseTemplateLanguage(choice: TemplateChoice): string {
  for (const candidate of languageCandidates(choice.contactLocale)) {
    if (candidate === choice.stepLanguage) return candidate;
    const approvedEverywhere = choice.templates.every((template) => {
      const languages = choice.approvedLanguages(template);
      return languages !== null && languages.includes(candidate);
    });
    if (approvedEverywhere) return candidate;
  }
  return choice.stepLanguage;
}
