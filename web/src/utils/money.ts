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

/** Integer fen → "¥12,345.67" (the one display format of amounts). */
export function formatMoney(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isInteger(fen)) return '—';
  const sign = fen < 0 ? '-' : '';
  const abs = String(Math.abs(fen)).padStart(3, '0');
  const yuan = abs.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${yuan}.${abs.slice(-2)}`;
}
