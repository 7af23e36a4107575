// Element Plus form rules shared by the forms: USCC, mobile, e-mail, yuan.
// Each accepts an empty value (say `required` apart) and answers in the UI
// language at validation time.
import type { FormItemRule } from 'element-plus';
import i18n from '@/locales';
import { usccError } from './labels';
import { yuanToFen } from './money';

const t = (key: string) => i18n.global.t(key);

type Check = (value: string) => string;

function rule(check: Check, trigger: 'blur' | 'change' = 'blur'): FormItemRule {
  return {
    trigger,
    validator: (_rule, value: unknown, callback) => {
      const text = typeof value === 'string' ? value.trim() : value == null ? '' : String(value);
      const message = text === '' ? '' : check(text);
      if (message) callback(new Error(message));
      else callback();
    },
  };
}

/** Mainland mobile number, as the server accepts it (1, then 3–9, then 9 digits). */
export const MOBILE_PATTERN = /^1[3-9]\d{9}$/;
export const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const usccRule = (): FormItemRule => rule(usccError);
export const mobileRule = (): FormItemRule => rule((v) => (MOBILE_PATTERN.test(v) ? '' : t('profile.rules.phone')));
export const emailRule = (): FormItemRule => rule((v) => (EMAIL_PATTERN.test(v) ? '' : t('profile.rules.email')));
/** A telephone number as people write one (as the server: 7–20 digits with spaces, -, ( ) or a leading +). */
export const PHONE_PATTERN = /^\+?[\d\s()-]+$/;
const phoneLike = (v: string) => PHONE_PATTERN.test(v) && ((d) => d >= 7 && d <= 20)(v.replace(/\D/g, '').length);
/** A way to reach someone: a telephone number or an e-mail address. */
export const contactRule = (): FormItemRule => rule((v) => (phoneLike(v) || EMAIL_PATTERN.test(v) ? '' : t('publicNotice.contactInvalid')));
export const yuanRule = (): FormItemRule => rule((v) => (yuanToFen(v) === null ? t('money.invalid') : ''));

/**
 * A field that must be filled; `when` makes it conditional (e.g. only when
 * submitting). `required: true` only draws the asterisk: with a validator,
 * the validator alone decides.
 */
export function requiredRule(message: () => string, when: () => boolean = () => true, trigger: 'blur' | 'change' = 'blur'): FormItemRule {
  return {
    required: true,
    trigger,
    validator: (_rule, value: unknown, callback) => {
      const empty =
        value === null ||
        value === undefined ||
        (typeof value === 'string' && value.trim() === '') ||
        (Array.isArray(value) && value.length === 0);
      if (empty && when()) callback(new Error(message()));
      else callback();
    },
  };
}
