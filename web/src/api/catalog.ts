// The catalog (SPEC §4): the reference catalog (附件2), the published
// catalog and provider pages (public), and providers' catalog items with
// their versions (review by city_it). Prices are integer fen.
import { http, type RequestOptions } from './http';
import type { Page, PageQuery } from './types';

type Silent = Pick<RequestOptions, 'silent'>;

/** One service of the reference catalog: category → subcategory → service. */
export interface ReferenceService {
  id: number;
  category: string;
  subcategory: string;
  service: string;
}

/** The fields a provider fills for one version of an item. */
export interface CatalogItemFields {
  reference_service_id: number;
  name: string;
  description: string;
  specification: string;
  unit: string;
  list_price_fen: number;
  discount_price_fen: number;
  valid_from: string;
  valid_until: string;
}

/** A published item as the public sees it. */
export interface PublicCatalogItem extends CatalogItemFields {
  id: string;
  provider_id: string;
  provider_name: string;
  published_version: number;
  version: number;
  category: string;
  subcategory: string;
  service: string;
}

export interface PublicCatalogQuery extends PageQuery {
  category?: string;
  subcategory?: string;
  /** Reference service id. */
  service?: number;
  provider?: string;
  price_min?: number;
  price_max?: number;
  q?: string;
  /** YYYY-MM-DD: only items valid (有效期) on that day; without it, items whose validity has not ended today. */
  valid_on?: string;
}

/** A provider in the public directory: no phone, e-mail or bank account. */
export interface PublicProvider {
  id: string;
  uscc: string;
  name: string;
  kind: string;
  qualifications: string | null;
  published_items: number;
}

export interface PublicProviderPage extends Omit<PublicProvider, 'published_items'> {
  items: PublicCatalogItem[];
}

export interface PublicProviderQuery extends PageQuery {
  q?: string;
  kind?: string;
}

/** One version of a catalog item. */
export interface CatalogVersion extends CatalogItemFields {
  version: number;
  category: string;
  subcategory: string;
  service: string;
  version_status: string;
  status_name: string;
  reject_reason: string | null;
  version_created_at: string;
  reviewed_at: string | null;
  reviewed_by: string | null;
}

/** An item with all its versions, newest first. */
export interface CatalogItem {
  id: string;
  provider_id: string;
  provider_name: string;
  status: string;
  status_name: string;
  latest_version: number;
  published_version: number | null;
  versions: CatalogVersion[];
}

/** A row of GET /catalog-items: the item with the fields of its latest version. */
export interface CatalogItemRow extends CatalogItemFields {
  id: string;
  provider_id: string;
  provider_name: string;
  status: string;
  status_name: string;
  latest_version: number;
  published_version: number | null;
  version: number;
  category: string;
  subcategory: string;
  service: string;
  version_status: string;
  reject_reason: string | null;
  reviewed_by: string | null;
}

export interface CatalogItemQuery extends PageQuery {
  status?: string;
  /** Only items with a version waiting for review. */
  pending?: boolean;
  category?: string;
  provider?: string;
  q?: string;
}

export function referenceCatalog(): Promise<Page<ReferenceService>> {
  return http.get('/public/reference-catalog');
}

export function publicCatalog(query: PublicCatalogQuery): Promise<Page<PublicCatalogItem>> {
  return http.get('/public/catalog', { ...query });
}

export function publicProviders(query: PublicProviderQuery): Promise<Page<PublicProvider>> {
  return http.get('/public/providers', { ...query });
}

export function publicProvider(providerId: string, opts?: Silent): Promise<PublicProviderPage> {
  return http.get(`/public/providers/${encodeURIComponent(providerId)}`, undefined, opts);
}

export function listCatalogItems(query: CatalogItemQuery): Promise<Page<CatalogItemRow>> {
  return http.get('/catalog-items', { ...query, pending: query.pending ? true : undefined });
}

export function getCatalogItem(itemId: string): Promise<CatalogItem> {
  return http.get(`/catalog-items/${encodeURIComponent(itemId)}`);
}

export function createCatalogItem(fields: CatalogItemFields, opts?: Silent): Promise<CatalogItem> {
  return http.post('/catalog-items', fields, opts);
}

/** An edit makes a new version, reviewed again; the published one stays until then. */
export function updateCatalogItem(itemId: string, fields: Partial<CatalogItemFields>, opts?: Silent): Promise<CatalogItem> {
  return http.patch(`/catalog-items/${encodeURIComponent(itemId)}`, fields, opts);
}

export function publishCatalogItem(itemId: string): Promise<CatalogItem> {
  return http.post(`/catalog-items/${encodeURIComponent(itemId)}/publish`);
}

export function rejectCatalogItem(itemId: string, reason: string): Promise<CatalogItem> {
  return http.post(`/catalog-items/${encodeURIComponent(itemId)}/reject`, { reason });
}

export function withdrawCatalogItem(itemId: string): Promise<CatalogItem> {
  return http.post(`/catalog-items/${encodeURIComponent(itemId)}/withdraw`);
}
