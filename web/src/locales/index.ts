// vue-i18n setup: zh-CN by default, English as the second language. The
// choice is kept in localStorage; Element Plus follows it (see App.vue).
import { createI18n } from 'vue-i18n';
import zhCN from './zh-CN';
import en from './en';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

const STORAGE_KEY = 'yq_locale';
const DEFAULT_LOCALE: Locale = 'zh-CN';

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

function storedLocale(): Locale {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return isLocale(value) ? value : DEFAULT_LOCALE;
  } catch {
    return DEFAULT_LOCALE;
  }
}

const i18n = createI18n<[typeof zhCN], Locale, false>({
  legacy: false,
  locale: storedLocale(),
  fallbackLocale: DEFAULT_LOCALE,
  messages: { 'zh-CN': zhCN, en },
});

/** Switch the UI language and remember it. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  document.documentElement.lang = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    // Storage refused (private mode): the choice lasts for this page only.
  }
}

export function currentLocale(): Locale {
  return i18n.global.locale.value;
}

document.documentElement.lang = storedLocale();

export default i18n;

/**
 * The name of a role in the UI language; a code the UI does not know
 * (e.g. "operator", the command line in audit entries) is shown as sent.
 */
export function roleName(code: string | null | undefined): string {
  if (!code) return '';
  const key = `role.${code}`;
  return i18n.global.te(key) ? i18n.global.t(key) : code;
}
