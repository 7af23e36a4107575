// County-level units and their targets: GET /counties.
import { http } from './http';
import type { Page } from './types';

/** Kind codes the UI names; any other code is shown as sent. */
export const COUNTY_KINDS = ['district', 'county', 'county_city', 'zone'] as const;

export interface County {
  code: string;
  name: string;
  kind: string;
  target_2018: number;
}

export function listCounties(): Promise<Page<County>> {
  return http.get('/counties');
}
