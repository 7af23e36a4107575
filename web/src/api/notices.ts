// Public notices (公示, SPEC §7 step 3) and objections (异议): county_it opens
// a notice of approved applications and closes it once its working days are
// over and every objection is resolved; anyone reads the public notices and
// files objections without signing in (the contact is never shown publicly).
import { http, type RequestOptions } from './http';
import type { Page, PageQuery } from './types';

type Opts = Pick<RequestOptions, 'silent' | 'idempotencyKey'>;
type Silent = Pick<RequestOptions, 'silent'>;

export const NOTICE_STATUSES = ['open', 'closed'] as const;
export const OBJECTION_STATUSES = ['open', 'dismissed', 'upheld'] as const;

export interface NoticeItem {
  redemption_id?: string;
  voucher_id?: string;
  provider_name: string;
  enterprise_name: string;
  voucher_code: string;
  approved_fen: number;
}

/** An objection as officials see it: with the objector's name and contact. */
export interface Objection {
  id: string;
  notice_id?: string;
  redemption_id?: string | null;
  voucher_code: string | null;
  name: string;
  contact: string;
  text: string;
  status: string;
  status_name?: string;
  resolution: string | null;
  resolved_by?: string | null;
  resolved_at?: string | null;
  created_at: string;
}

export interface NoticeRow {
  id: string;
  /** The notice number people quote: GS-<year>-<seq>. */
  notice_no?: string;
  county_code: string;
  county_name: string;
  opens_on: string;
  /** The last day of the notice: it may close once this day is over. */
  close_day: string;
  /** 00:00 +08:00 of the day after close_day. */
  earliest_close_at?: string;
  working_days?: number;
  status: string;
  status_name?: string;
  /** Officials' views: opens_on is still ahead, so the public cannot see it yet. */
  upcoming?: boolean;
  /** List rows only. */
  items_count?: number;
  /** List rows only. */
  total_fen?: number;
  /** Officials' list rows only: objections still open on the notice. */
  open_objections?: number;
  created_by?: string;
  created_at?: string;
  closed_by?: string | null;
  closed_at?: string | null;
}

/** The detail: its items name their application (redemption_id); the server sends no redemption_ids list. */
export interface Notice extends NoticeRow {
  items: NoticeItem[];
  redemption_ids?: string[];
  objections?: Objection[];
}

export interface NoticeInput {
  county_code: string;
  redemption_ids: string[];
  opens_on: string;
}

/** The server filters notices by status only (the scope is the user's). */
export interface NoticeQuery extends PageQuery {
  /** A provider of its applications: name or USCC. */
  q?: string;
  status?: string;
  /** Holds an application of this half-year ("2019H1"). */
  period?: string;
  county?: string;
  /** Opening days YYYY-MM-DD. */
  from?: string;
  to?: string;
}

/** What anyone sees of a notice. */
export interface PublicNoticeRow {
  id: string;
  notice_no?: string;
  county_name: string;
  opens_on: string;
  close_day: string;
  status: string;
  items_count: number;
  total_fen: number;
}

export interface PublicObjection {
  id: string;
  created_at: string;
  status: string;
  resolution: string | null;
}

export interface PublicNotice {
  id: string;
  notice_no?: string;
  county_name: string;
  opens_on: string;
  close_day: string;
  status: string;
  items: Pick<NoticeItem, 'provider_name' | 'enterprise_name' | 'voucher_code' | 'approved_fen'>[];
  objections: PublicObjection[];
}

export interface ObjectionInput {
  name: string;
  contact: string;
  text: string;
  voucher_code?: string;
}

export interface ResolveInput {
  decision: 'dismiss' | 'uphold';
  /** The public resolution (at most 500 characters). */
  reason: string;
  /** Upholding an objection filed without a voucher code: the voucher of the notice it concerns. */
  voucher_code?: string;
}

const id = (value: string) => encodeURIComponent(value);

export function createNotice(input: NoticeInput, opts?: Opts): Promise<Notice> {
  return http.post('/notices', input, opts);
}

export function listNotices(query: NoticeQuery, opts?: Silent): Promise<Page<NoticeRow>> {
  return http.get('/notices', { ...query }, opts);
}

export function getNotice(noticeId: string, opts?: Silent): Promise<Notice> {
  return http.get(`/notices/${id(noticeId)}`, undefined, opts);
}

/** 409 before the end of close_day or while an objection is open. */
export function closeNotice(noticeId: string, opts?: Opts): Promise<Notice> {
  return http.post(`/notices/${id(noticeId)}/close`, {}, opts);
}

/** Answers the notice, with the objection resolved. */
export function resolveObjection(objectionId: string, input: ResolveInput, opts?: Opts): Promise<Notice> {
  return http.post(`/objections/${id(objectionId)}/resolve`, input, opts);
}

export function listPublicNotices(query: PageQuery, opts?: Silent): Promise<Page<PublicNoticeRow>> {
  return http.get('/public/notices', { ...query }, opts);
}

export function getPublicNotice(noticeId: string, opts?: Silent): Promise<PublicNotice> {
  return http.get(`/public/notices/${id(noticeId)}`, undefined, opts);
}

/** 201 {id, status: "open"}; 429 when one address files too many. */
export function fileObjection(noticeId: string, input: ObjectionInput, opts?: Opts): Promise<{ id: string; status: string }> {
  return http.post(`/public/notices/${id(noticeId)}/objections`, input, opts);
}
