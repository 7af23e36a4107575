// What the operator says about the site: the footer of a government site
// and the texts a sign-up consents to (public, cacheable).
import { http } from './http';

/** Each member present only when the operator configured it. */
export interface SiteInfo {
  host_org?: string;
  operator_org?: string;
  contact?: string;
  icp?: string;
  gov_code?: string;
}

export interface Agreements {
  version: string;
  user_agreement: string;
  privacy_notice: string;
}

let site: Promise<SiteInfo> | null = null;

/** The footer's facts, asked once per page load; {} when they cannot be read. */
export function fetchSite(): Promise<SiteInfo> {
  site ??= http.get<SiteInfo>('/public/site', undefined, { silent: true }).catch(() => {
    site = null;
    return {};
  });
  return site;
}

export function fetchAgreements(): Promise<Agreements> {
  return http.get('/public/agreements', undefined, { silent: true });
}
