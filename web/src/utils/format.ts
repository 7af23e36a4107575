// Display helpers shared by the views.

/**
 * An ISO 8601 instant as "YYYY-MM-DD HH:mm:ss" in the offset the server sent
 * (the platform runs on Beijing time; no conversion to the browser's zone).
 * Anything else is returned unchanged.
 */
export function formatInstant(value: string | null | undefined): string {
  if (!value) return '';
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})/.exec(value);
  return m ? `${m[1]} ${m[2]}` : value;
}

/** A JSON value pretty-printed for reading. */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Page sizes offered by every list (the API allows up to 200). */
export const PAGE_SIZES = [10, 20, 50, 100, 200];

/** Today's date (YYYY-MM-DD) in Beijing time, the platform's calendar. */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/** The year of todayInChina(). */
export function currentYearInChina(): number {
  return Number(todayInChina().slice(0, 4));
}

/** A byte count for people: 2048 → "2.0 KB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A typed text as the server keeps it: the server refuses control
 * characters (line breaks and tabs included: "…含有控制字符") in every text
 * it stores, so line breaks and tabs typed in a textarea become one space,
 * other control characters are dropped, and the ends are trimmed.
 */
export function singleLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[ \t]*[\r\n\t\v\f]+[ \t]*/g, ' ').replace(/[\u0000-\u001f\u007f]/g, '').trim();
}
