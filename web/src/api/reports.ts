// Reports (SPEC §9): county progress against targets.
import { http } from './http';
import type { Page } from './types';

export interface CountyProgress {
  county_code: string;
  county_name: string;
  /** 附件3 sets 2018's targets only; other years: null. */
  target: number | null;
  enterprises_on_cloud: number;
  vouchers: number;
  voucher_amount_fen: number;
}

export interface ProgressReport extends Page<CountyProgress> {
  year: number;
}

export function getCountyProgress(year: number): Promise<ProgressReport> {
  return http.get('/reports/county-progress', { year });
}
