// Programs (政策方案, SPEC §2) and their versioned parameters.
import { http, type RequestOptions } from './http';
import type { Page } from './types';

export interface YearRatio {
  year: number;
  ratio_bp: number;
}

export interface ProgramParameters {
  ratio_bp: number;
  taper_bp_per_year: number;
  year_ratios: YearRatio[];
  cap_fen: number;
  cert_bonus_bp: number;
  vouchers_per_enterprise: number;
  notice_working_days: number;
  redemption_period: string;
  partial_last: boolean;
  eligible_industries: string[];
  key_industry_tags: string[];
  window_starts_on: string;
  window_ends_on: string;
}

export interface Program {
  id: string;
  name: string;
  doc_no: string;
  city_code: string;
  city_name: string;
  version: number;
  parameters: ProgramParameters;
}

export interface ProgramVersion {
  version: number;
  parameters: ProgramParameters;
  reason: string;
  changed_by: string;
  changed_at: string;
}

export interface ProgramDetail extends Program {
  history: ProgramVersion[];
}

export function listPrograms(): Promise<Page<Program>> {
  return http.get('/programs');
}

export function getProgram(programId: string): Promise<ProgramDetail> {
  return http.get(`/programs/${encodeURIComponent(programId)}`);
}

/** Make a new version with the changed parameters only; reason is required. */
export function updateProgramParameters(
  programId: string,
  parameters: Partial<ProgramParameters>,
  reason: string,
  opts?: Pick<RequestOptions, 'silent'>,
): Promise<ProgramDetail> {
  return http.patch(`/programs/${encodeURIComponent(programId)}/parameters`, { parameters, reason }, opts);
}

/** The ratio a program applies on a date (its year), and where it comes from. */
export interface ProgramRatio {
  program_id: string;
  date: string;
  year: number;
  ratio_bp: number;
  /** "taper: 3000 bp in 2026 - 500 bp x 0 year(s)" or "table: 2026". */
  source: string;
  version: number;
}

export function programRatio(programId: string, date: string, opts?: Pick<RequestOptions, 'silent'>): Promise<ProgramRatio> {
  return http.get(`/programs/${encodeURIComponent(programId)}/ratio`, { date }, opts);
}

/** The program whose window includes `date` (YYYY-MM-DD), as the server picks it for a new contract. */
export function programOn(programs: readonly Program[], date: string): Program | null {
  return programs.find((p) => p.parameters.window_starts_on <= date && date <= p.parameters.window_ends_on) ?? null;
}

/** One criterion of the third-party evaluation (第三方评价): weights of a program sum to 100. */
export interface EvaluationCriterion {
  name: string;
  weight: number;
}

/**
 * The program's evaluation criteria (parameters.evaluation_criteria, added
 * with redemption). Read apart from ProgramParameters so that the
 * parameters page lists what it always did; [] when the server sends none.
 */
export function evaluationCriteria(parameters: ProgramParameters): EvaluationCriterion[] {
  const list = (parameters as unknown as { evaluation_criteria?: unknown }).evaluation_criteria;
  if (!Array.isArray(list)) return [];
  return list
    .filter((c): c is EvaluationCriterion => !!c && typeof c.name === 'string' && Number.isInteger(c.weight))
    .map((c) => ({ name: c.name, weight: c.weight }));
}

/** The program whose window overlaps the days first..last (YYYY-MM-DD), e.g. a redemption period. */
export function programDuring(programs: readonly Program[], first: string, last: string): Program | null {
  return programs.find((p) => p.parameters.window_starts_on <= last && first <= p.parameters.window_ends_on) ?? null;
}
