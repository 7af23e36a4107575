// The one HTTP client of the UI. Every request goes through `request`: it
// sends the session cookie, adds X-CSRF-Token (the yq_csrf cookie) to every
// non-GET request, and turns the server's error JSON
// {"error":{"code","message","field"}} into a thrown ApiError whose message
// is shown with ElMessage.error unless the caller asks for `silent`.
// A 401 (except from /auth/me and /auth/login) calls the handler installed
// with onUnauthorized, which sends the user to the login page. `upload`
// (multipart, e.g. contract attachments) and `download` (files such as a
// list's ?format=xlsx) go through the same checks. A POST that moves money
// or opens a record may carry an Idempotency-Key (see useIdempotencyKey):
// the server answers a repeat of the same key with the first answer.
// Every answered request of a signed-in page renews the server's idle
// timer: its time is kept (localStorage, shared by the browser's tabs) for
// the session watch (layout/components/SessionWatch.vue).
import { ElMessage } from 'element-plus';
import i18n from '@/locales';

export const API_BASE = '/api/v1';
const CSRF_COOKIE = 'yq_csrf';
const CSRF_HEADER = 'X-CSRF-Token';
const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** An error answer from the server, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** A read that failed, as RecordFailed shows it: its status (0: no answer) and message. */
export interface ReadFailure {
  status: number;
  message: string;
}

export function readFailure(e: unknown): ReadFailure {
  return e instanceof ApiError ? { status: e.status, message: e.message } : { status: 0, message: String(e) };
}

export type QueryValue = string | number | boolean | null | undefined;

export interface RequestOptions {
  /** Query parameters; null, undefined and '' are left out. */
  query?: Record<string, QueryValue>;
  /** JSON body. */
  body?: unknown;
  /** Do not show the error message: the caller shows it its own way. */
  silent?: boolean;
  /** Sent as Idempotency-Key: a repeat with the same key changes nothing (SPEC §13). */
  idempotencyKey?: string;
}

/** A fresh random Idempotency-Key (128 bits, hex); works outside secure contexts too. */
export function newIdempotencyKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const ACTIVITY_KEY = 'yq.lastActivity';
let lastActivityHere = 0;

/** When the server last answered a request of this browser (ms, this clock); 0 if unknown. */
export function lastActivity(): number {
  let shared = 0;
  try {
    shared = Number(localStorage.getItem(ACTIVITY_KEY)) || 0;
  } catch {
    // No storage: this tab's own record.
  }
  return Math.max(shared, lastActivityHere);
}

/** Record that the server has just answered (the session's idle timer was renewed). */
export function noteActivity(at: number = Date.now()): void {
  lastActivityHere = at;
  try {
    localStorage.setItem(ACTIVITY_KEY, String(at));
  } catch {
    // No storage: kept for this tab.
  }
}

type UnauthorizedHandler = () => void;
let unauthorizedHandler: UnauthorizedHandler | null = null;

/** Install what to do when the session is gone (normally: go to /login). */
export function onUnauthorized(handler: UnauthorizedHandler): void {
  unauthorizedHandler = handler;
}

/** The value of cookie `name`, or '' when it is not set. */
export function readCookie(name: string): string {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return '';
}

function buildUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === null || value === undefined || value === '') continue;
    params.append(key, String(value));
  }
  const qs = params.toString();
  return API_BASE + path + (qs ? `?${qs}` : '');
}

async function readError(res: Response): Promise<ApiError> {
  const t = i18n.global.t;
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // Not JSON (a proxy page, an empty body): fall back to the status.
  }
  const err = (body as { error?: { code?: unknown; message?: unknown; field?: unknown } } | null)?.error;
  if (err && typeof err.message === 'string' && err.message) {
    return new ApiError(
      res.status,
      typeof err.code === 'string' ? err.code : 'error',
      err.message,
      typeof err.field === 'string' && err.field ? err.field : undefined,
    );
  }
  return new ApiError(res.status, 'http_' + res.status, t('error.http', { status: res.status }));
}

/**
 * Send one request to /api/v1 + path and return the parsed JSON answer.
 * Throws ApiError on a non-2xx answer or a network failure, after showing
 * its message (unless opts.silent).
 */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = readCookie(CSRF_COOKIE);
    if (csrf) headers[CSRF_HEADER] = csrf;
  }
  if (opts.idempotencyKey) headers[IDEMPOTENCY_HEADER] = opts.idempotencyKey;
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  return send<T>(buildUrl(path, opts.query), { method, headers, body, credentials: 'same-origin' }, path, opts);
}

/**
 * Send a multipart form (file uploads) to /api/v1 + path, with the CSRF
 * header; the browser sets the multipart Content-Type. Errors as `request`.
 */
export async function upload<T>(path: string, form: FormData, opts: Pick<RequestOptions, 'silent' | 'idempotencyKey'> = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const csrf = readCookie(CSRF_COOKIE);
  if (csrf) headers[CSRF_HEADER] = csrf;
  if (opts.idempotencyKey) headers[IDEMPOTENCY_HEADER] = opts.idempotencyKey;
  return send<T>(buildUrl(path), { method: 'POST', headers, body: form, credentials: 'same-origin' }, path, opts);
}

/**
 * GET a file (e.g. a list with format=xlsx) and hand it to the browser as a
 * download named `filename`. Errors as `request` (the answer is JSON then).
 */
export async function download(path: string, query: Record<string, QueryValue>, filename: string, opts: Pick<RequestOptions, 'silent'> = {}): Promise<void> {
  const blob = await send<Blob>(buildUrl(path, query), { method: 'GET', credentials: 'same-origin' }, path, opts, true);
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
}

/** fetch + the error handling of `request`; returns the JSON answer, or a Blob when `asBlob`. */
async function send<T>(url: string, init: RequestInit, path: string, opts: Pick<RequestOptions, 'silent'>, asBlob = false): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    const error = new ApiError(0, 'network', i18n.global.t('error.network'));
    if (!opts.silent) ElMessage.error(error.message);
    throw error;
  }
  // Public answers do not involve the session; any other answer, even an
  // error other than 401, came through a live session and renewed it.
  if (res.status !== 401 && !path.startsWith('/public/')) noteActivity();
  if (!res.ok) {
    const error = await readError(res);
    if (res.status === 401 && path !== '/auth/me' && path !== '/auth/login') {
      unauthorizedHandler?.();
    } else if (!opts.silent) {
      ElMessage.error(error.message);
    }
    throw error;
  }
  if (asBlob) return (await res.blob()) as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : {}) as T;
}

export const http = {
  get: <T>(path: string, query?: Record<string, QueryValue>, opts?: Omit<RequestOptions, 'query'>) =>
    request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) =>
    request<T>('PATCH', path, { ...opts, body: body ?? {} }),
  put: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) =>
    request<T>('PUT', path, { ...opts, body: body ?? {} }),
};

/** Show an error caught from `request({silent: true})` when the caller has nowhere better to put it. */
export function showError(e: unknown): void {
  if (e instanceof ApiError) ElMessage.error(e.message);
  else throw e;
}
