// Program parameters in words (SPEC §2): each value as a government user
// reads it (ratio in %, cap in yuan, taper in percentage points, …) and the
// changes between two versions.
import i18n from '@/locales';
import type { ProgramParameters } from '@/api/programs';
import { industryName } from '@/utils/labels';
import { formatMoney } from '@/utils/money';
import { bpToPercentText, formatBp } from '@/utils/ratio';
import { tagName } from '@/utils/wording';

const t = (key: string, named?: Record<string, unknown>) => (named ? i18n.global.t(key, named) : i18n.global.t(key));

export type ParamKey = keyof ProgramParameters;

/** Display order, and the label of each parameter. */
export const PARAM_LABELS: Record<ParamKey, string> = {
  ratio_bp: 'programs.ratio',
  taper_bp_per_year: 'programs.taper',
  year_ratios: 'programs.yearRatios',
  cap_fen: 'programs.cap',
  cert_bonus_bp: 'programs.certBonus',
  vouchers_per_enterprise: 'programs.vouchersPer',
  notice_working_days: 'programs.noticeDays',
  redemption_period: 'programs.redemptionPeriod',
  partial_last: 'programs.partialLast',
  window_starts_on: 'programs.windowStart',
  window_ends_on: 'programs.windowEnd',
  eligible_industries: 'programs.eligibleIndustries',
  key_industry_tags: 'programs.keyTags',
};

/** One parameter's value in words; `all` gives context (the bonus shows the raised cap). */
export function describeParam(key: ParamKey, all: ProgramParameters): string {
  switch (key) {
    case 'ratio_bp':
      return formatBp(all.ratio_bp);
    case 'taper_bp_per_year':
      return t('programs.taperValue', { p: bpToPercentText(all.taper_bp_per_year) });
    case 'year_ratios':
      return all.year_ratios.length
        ? all.year_ratios.map((r) => t('programs.yearRatioItem', { year: r.year, ratio: formatBp(r.ratio_bp) })).join('；')
        : t('programs.yearRatiosNone');
    case 'cap_fen':
      return formatMoney(all.cap_fen);
    case 'cert_bonus_bp': {
      // Integer fen, rounded down like the server's voucher amount.
      const raised = Math.floor((all.cap_fen * (10000 + all.cert_bonus_bp)) / 10000);
      return t('programs.certBonusValue', { p: formatBp(all.cert_bonus_bp), cap: formatMoney(raised) });
    }
    case 'vouchers_per_enterprise':
      return t('programs.vouchersPerValue', { n: all.vouchers_per_enterprise });
    case 'notice_working_days':
      return t('programs.noticeDaysValue', { n: all.notice_working_days });
    case 'redemption_period':
      return all.redemption_period === 'half_year' ? t('programs.halfYear') : all.redemption_period;
    case 'partial_last':
      return all.partial_last ? t('common.yes') : t('common.no');
    case 'window_starts_on':
      return all.window_starts_on;
    case 'window_ends_on':
      return all.window_ends_on;
    case 'eligible_industries':
      return all.eligible_industries.length ? all.eligible_industries.map(industryName).join('、') : t('programs.anyIndustry');
    case 'key_industry_tags':
      return all.key_industry_tags.length ? all.key_industry_tags.map(tagName).join('、') : t('common.none');
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** The keys whose values differ between two versions, in display order. */
export function changedKeys(before: ProgramParameters, after: ProgramParameters): ParamKey[] {
  return (Object.keys(PARAM_LABELS) as ParamKey[]).filter((k) => !same(before[k], after[k]));
}

/** "基础补贴比例：30% → 25%" for each changed parameter. */
export function describeChanges(before: ProgramParameters, after: ProgramParameters): string[] {
  return changedKeys(before, after).map((k) =>
    t('programs.changeItem', { name: t(PARAM_LABELS[k]), from: describeParam(k, before), to: describeParam(k, after) }),
  );
}
