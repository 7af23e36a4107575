// Money in the UI. The API speaks integer fen (分) only; people type and read
// yuan. Conversion works on the digits of the text (never parseFloat * 100),
// so "0.29" is 29 fen and not 28.999….

/** Largest fen amount the UI accepts (keeps integers exact in JavaScript). */
export const MAX_FEN = Number.MAX_SAFE_INTEGER;

const YUAN_PATTERN = /^(\d+)(?:\.(\d{0,2}))?$/;

/**
 * Yuan text → integer fen: "12,345.6" → 1234560, "¥0.29" → 29. Accepts an
 * optional ¥, thousands commas and at most two decimals; returns null for
 * anything else (negative, three decimals, letters, empty).
 */
export function yuanToFen(text: string): number | null {
  const cleaned = text.trim().replace(/^[¥￥]/, '').replace(/,/g, '').trim();
  const m = YUAN_PATTERN.exec(cleaned);
  if (!m) return null;
  const whole = m[1].replace(/^0+(?=\d)/, '');
  const cents = (m[2] ?? '').padEnd(2, '0');
  const digits = (whole + cents).replace(/^0+(?=\d)/, '');
  // Compare as text first: beyond 16 digits Number() would round silently.
  if (digits.length > String(MAX_FEN).length) return null;
  const fen = Number(digits);
  return Number.isSafeInteger(fen) ? fen : null;
}

/** Integer fen → plain yuan text for an input box: 1234560 → "12345.60". */
export function fenToYuanText(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isInteger(fen)) return '';
  const sign = fen < 0 ? '-' : '';
  const abs = String(Math.abs(fen)).padStart(3, '0');
  return `${sign}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

/** Integer fen → "¥12,345.67" (the one display format of amounts); bigint for sums beyond 2^53. */
export function formatMoney(fen: number | bigint | null | undefined): string {
  if (fen === null || fen === undefined || (typeof fen === 'number' && !Number.isInteger(fen))) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = String(fen < 0 ? -fen : fen).padStart(3, '0');
  const yuan = abs.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${abs.slice(-2)}`;
}

const UPPER_DIGITS = '零壹贰叁肆伍陆柒捌玖';
const UPPER_UNITS = ['', '拾', '佰', '仟'];
const UPPER_SECTIONS = ['', '万', '亿', '万亿'];

/** 0–9999 in upper-case digits, without leading zeros: 1005 → 壹仟零伍. */
function upperSection(n: number): string {
  let out = '';
  let zero = false;
  for (let pos = 3; pos >= 0; pos--) {
    const d = Math.floor(n / 10 ** pos) % 10;
    if (d === 0) {
      zero = out !== '';
    } else {
      if (zero) out += '零';
      out += UPPER_DIGITS[d] + UPPER_UNITS[pos];
      zero = false;
    }
  }
  return out;
}

/**
 * Integer fen → the amount in Chinese upper-case (大写金额) as written on
 * payment documents: 3096000 → 叁万零玖佰陆拾元整, 1640902 → 壹万陆仟肆佰零玖元零贰分,
 * 50 → 伍角. Returns '' for a negative or non-integer amount.
 */
export function fenToChineseUpper(fen: number | bigint): string {
  if (typeof fen === 'number' && (!Number.isSafeInteger(fen) || fen < 0)) return '';
  const total = BigInt(fen);
  if (total < 0n) return '';
  let yuan = total / 100n;
  const jiao = Number((total / 10n) % 10n);
  const cents = Number(total % 10n);
  const sections: number[] = [];
  for (; yuan > 0n; yuan /= 10000n) sections.push(Number(yuan % 10000n));
  if (sections.length > UPPER_SECTIONS.length) return '';
  let out = '';
  let gap = false;
  for (let i = sections.length - 1; i >= 0; i--) {
    const n = sections[i];
    if (n === 0) {
      gap = out !== '';
      continue;
    }
    if (gap || (out !== '' && n < 1000)) out += '零';
    out += upperSection(n) + UPPER_SECTIONS[i];
    gap = false;
  }
  if (out === '' && jiao === 0 && cents === 0) return '零元整';
  if (out !== '') out += '元';
  if (jiao === 0 && cents === 0) return `${out}整`;
  if (jiao > 0) return out + UPPER_DIGITS[jiao] + '角' + (cents > 0 ? UPPER_DIGITS[cents] + '分' : '整');
  return out + (out !== '' ? '零' : '') + UPPER_DIGITS[cents] + '分';
}
