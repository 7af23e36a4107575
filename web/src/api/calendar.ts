// The official working-day calendar (SPEC §7): the n working days after a
// date, weekends and holidays off, adjusted working weekends on. Public.
import { http, type RequestOptions } from './http';

export interface Workdays {
  from: string;
  n: number;
  days: string[];
  /** The n-th working day after `from`. */
  until: string;
}

/** 400 (calendar_not_published) when the count runs into a year whose holidays are not loaded yet. */
export function workdaysAfter(from: string, n: number, opts?: Pick<RequestOptions, 'silent'>): Promise<Workdays> {
  return http.get('/calendar/workdays', { from, n }, opts);
}
