// 统一社会信用代码 (USCC) check, GB 32100-2015, with the organisation code
// check of GB 11714 over characters 9–17. A pure function with no imports,
// so the browser tests can load it to make fresh valid codes; the server
// checks the same rules again (src/core/uscc.c).

/** The 31 characters a USCC may use (no I, O, S, V, Z). */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** Why a code is not valid; `position` is 1-based where it points at one character. */
export type UsccProblem =
  | { kind: 'empty' }
  | { kind: 'length'; length: number }
  | { kind: 'char'; position: number }
  | { kind: 'org_check' }
  | { kind: 'check' };

export type UsccResult = { ok: true; code: string } | { ok: false; problem: UsccProblem };

/** Trimmed and upper-cased: the form the server stores. */
export function normalizeUscc(input: string): string {
  return input.trim().toUpperCase();
}

/** Check character (18th) for the first 17 characters, or '' when one is outside the alphabet. */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) return '';
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = USCC_ALPHABET.indexOf(first17[i]);
    if (v < 0) return '';
    sum += v * WEIGHTS[i];
  }
  const check = 31 - (sum % 31);
  return USCC_ALPHABET[check === 31 ? 0 : check];
}

/** GB 11714 check character over the 8 organisation code characters (USCC 9–16), or ''. */
export function orgCheckChar(org8: string): string {
  if (org8.length !== 8) return '';
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = org8.charCodeAt(i);
    let v: number;
    if (c >= 48 && c <= 57) v = c - 48;
    else if (c >= 65 && c <= 90) v = c - 65 + 10;
    else return '';
    sum += v * ORG_WEIGHTS[i];
  }
  const check = 11 - (sum % 11);
  if (check === 10) return 'X';
  if (check === 11) return '0';
  return String(check);
}

/** Validate a USCC (lower case accepted, surrounding blanks ignored). */
export function checkUscc(input: string): UsccResult {
  const code = normalizeUscc(input);
  if (code === '') return { ok: false, problem: { kind: 'empty' } };
  if (code.length !== 18) return { ok: false, problem: { kind: 'length', length: code.length } };
  for (let i = 0; i < 18; i++) {
    if (USCC_ALPHABET.indexOf(code[i]) < 0) return { ok: false, problem: { kind: 'char', position: i + 1 } };
  }
  if (orgCheckChar(code.slice(8, 16)) !== code[16]) return { ok: false, problem: { kind: 'org_check' } };
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) return { ok: false, problem: { kind: 'check' } };
  return { ok: true, code };
}

/**
 * A valid code from its parts: registration department and kind (2
 * characters, e.g. "91"), division (6 digits) and an organisation body of 8
 * characters from 0-9 and A-Z without I, O, S, V, Z; both check characters
 * are computed. Returns '' when a part is malformed.
 */
export function makeUscc(kind: string, division: string, org8: string): string {
  const body = (kind + division + org8).toUpperCase();
  if (kind.length !== 2 || division.length !== 6 || org8.length !== 8) return '';
  const orgCheck = orgCheckChar(body.slice(8, 16));
  if (!orgCheck) return '';
  const check = usccCheckChar(body + orgCheck);
  return check ? body + orgCheck + check : '';
}
