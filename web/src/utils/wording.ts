// Words that are data in Chinese (catalog units, the program's key-industry
// tags) shown in the UI language. The stored value never changes; only what
// a reader sees does. Unknown words (a unit a provider typed) are shown as
// they are.
import i18n from '@/locales';

const UNIT_KEYS: Record<string, string> = {
  月: 'month',
  年: 'year',
  次: 'time',
  套: 'set',
  个: 'piece',
  台: 'device',
  '用户·月': 'userMonth',
  '用户·年': 'userYear',
  'GB·月': 'gbMonth',
  'TB·年': 'tbYear',
};

const TAG_KEYS: Record<string, string> = {
  新一代信息技术: 'nextGenIt',
  高端装备: 'highEndEquipment',
  新能源新材料: 'newEnergyMaterials',
  智慧海洋: 'smartOcean',
  医养健康: 'healthCare',
  绿色化工: 'greenChemicals',
  现代高效农业: 'modernAgriculture',
  文化创意: 'culturalCreative',
  精品旅游: 'boutiqueTourism',
  现代金融: 'modernFinance',
};

function named(section: string, keys: Record<string, string>, word: string | null | undefined): string {
  if (!word) return '';
  const code = keys[word];
  const key = `wording.${section}.${code}`;
  return code && i18n.global.te(key) ? i18n.global.t(key) : word;
}

/** A catalog unit ("月") in the UI language. */
export function unitName(unit: string | null | undefined): string {
  return named('units', UNIT_KEYS, unit);
}

/** A key-industry tag ("高端装备") in the UI language. */
export function tagName(tag: string | null | undefined): string {
  return named('tags', TAG_KEYS, tag);
}

/**
 * A program's name with its document number in brackets, unless the name
 * already says it (the demo program is "演示方案（…）" with doc_no "演示":
 * no "（演示）" after it, and never "（演示）（演示）").
 */
export function programTitle(name: string | null | undefined, docNo: string | null | undefined): string {
  const n = (name ?? '').trim();
  const d = (docNo ?? '').trim();
  if (!d || n.includes(d)) return n;
  return `${n}（${d}）`;
}
