// Names of code values in the UI language. A code the UI does not know is
// shown as the server sent it (or with the server's Chinese name).
import i18n from '@/locales';
import { checkUscc } from './uscc';
import { bpToPercentText, formatBp } from './ratio';

function named(prefix: string, code: string | null | undefined, fallback?: string | null): string {
  if (!code) return '';
  const key = `${prefix}.${code}`;
  return i18n.global.te(key) ? i18n.global.t(key) : (fallback ?? code);
}

/** GB/T 4754 section: "C 制造业". */
export function industryName(code: string | null | undefined): string {
  if (!code) return '';
  const name = named('industry', code);
  return name === code ? code : `${code} ${name}`;
}

export const priorityFlagName = (code: string) => named('priorityFlag', code);
export const providerKindName = (code: string | null | undefined) => named('providerKind', code);
export const partyStatusName = (code: string, serverName?: string | null) => named('partyStatus', code, serverName);
export const catalogStatusName = (code: string, serverName?: string | null) => named('catalogStatus', code, serverName);
export const contractStatusName = (code: string, serverName?: string | null) => named('contractStatus', code, serverName);
export const voucherStatusName = (code: string, serverName?: string | null) => named('voucherStatus', code, serverName);
export const fundSourceName = (code: string) => named('fundSource', code);
export const redemptionStatusName = (code: string, serverName?: string | null) => named('redemptionStatus', code, serverName);
export const noticeStatusName = (code: string, serverName?: string | null) => named('noticeStatus', code, serverName);
export const objectionStatusName = (code: string, serverName?: string | null) => named('objectionStatus', code, serverName);
export const payoutStatusName = (code: string, serverName?: string | null) => named('payoutStatus', code, serverName);

/** A half-year redemption period for people: "2026H1" → 2026年上半年 / 2026 H1 (Jan–Jun). */
export function periodName(period: string | null | undefined): string {
  if (!period) return '';
  const m = /^(\d{4})H([12])$/.exec(period);
  if (!m) return period;
  return i18n.global.t(m[2] === '1' ? 'period.h1' : 'period.h2', { year: m[1] });
}

type TagType = 'primary' | 'success' | 'warning' | 'info' | 'danger';

/** Tag colour of a state; `kind` tells apart codes that two kinds of record share ("open"). */
export function statusTagType(code: string, kind?: string): TagType {
  if (kind === 'objection') return code === 'open' ? 'warning' : code === 'upheld' ? 'danger' : 'info';
  if (kind === 'notice') return code === 'open' ? 'primary' : 'success';
  switch (code) {
    case 'approved':
    case 'published':
    case 'confirmed':
    case 'issued':
    case 'noticed':
    case 'paid':
      return 'success';
    case 'submitted':
    case 'resubmitted':
    case 'evaluated':
    case 'returned':
    case 'pending':
    case 'partially_redeemed':
    case 'waiting':
      return 'warning';
    case 'in_notice':
      return 'primary';
    case 'rejected':
    case 'disqualified':
    case 'terminated':
      return 'danger';
    case 'draft':
      return 'primary';
    default:
      return 'info';
  }
}

/** Why a USCC is not valid, in the UI language; '' when it is valid. */
export function usccError(value: string): string {
  const result = checkUscc(value);
  if (result.ok) return '';
  const p = result.problem;
  const t = i18n.global.t;
  switch (p.kind) {
    case 'empty':
      return t('uscc.empty');
    case 'length':
      return t('uscc.length', { n: p.length });
    case 'char':
      return t('uscc.char', { n: p.position });
    case 'org_check':
      return t('uscc.org_check');
    case 'check':
      return t('uscc.check');
  }
}

/**
 * Where a ratio comes from, for people. The server says
 * "taper: 3000 bp in 2026 - 500 bp x 0 year(s)" or "table: 2026"; anything
 * else is shown as sent.
 */
export function ratioSourceText(source: string | null | undefined): string {
  if (!source) return '';
  const t = i18n.global.t;
  const taper = /^taper: (\d+) bp in (\d{4}) - (\d+) bp x (\d+) year/.exec(source);
  if (taper) {
    const [, base, first, step, years] = taper.map(Number);
    return t('voucher.ratioTaper', { first, base: formatBp(base), step: bpToPercentText(step), n: years + 1 });
  }
  // The server's own words, as recorded in a voucher's calculation: the older
  // "3000 基点" form and the current "30%，每年减 5 个百分点" one.
  const zhBp = /^逐年递减：(\d{4}) 年 (\d+) 基点，每年减 (\d+) 基点，已减 (\d+) 年/.exec(source);
  if (zhBp) {
    const [, first, base, step, years] = zhBp.map(Number);
    return t('voucher.ratioTaper', { first, base: formatBp(base), step: bpToPercentText(step), n: years + 1 });
  }
  const zhPct = /^逐年递减：(\d{4}) 年 ([\d.]+)%，每年减 ([\d.]+) 个百分点，已减 (\d+) 年/.exec(source);
  if (zhPct) {
    return t('voucher.ratioTaper', { first: Number(zhPct[1]), base: `${zhPct[2]}%`, step: zhPct[3], n: Number(zhPct[4]) + 1 });
  }
  const table = /^table: (\d{4})$/.exec(source) ?? /^年度比例表：(\d{4}) 年/.exec(source);
  if (table) return t('voucher.ratioTable', { year: table[1] });
  return source.replace(/(\d+) 基点/g, (_, bp: string) => formatBp(Number(bp)));
}
