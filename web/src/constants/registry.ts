// Code lists of registration (SPEC §3): their names live in the locale
// files (industry.*, priorityFlag.*, providerKind.*, partyStatus.*).

/** GB/T 4754-2017 sections (门类) A–T. */
export const INDUSTRY_SECTIONS = [
  'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J',
  'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T',
] as const;

/** Priority support flags (优先支持类别). */
export const PRIORITY_FLAGS = ['tech', 'innovative', 'high_growth', 'specialized', 'pilot'] as const;

/** Provider types (附件1). */
export const PROVIDER_KINDS = ['platform', 'industry', 'application'] as const;

/** Registration states of enterprises and providers. */
export const PARTY_STATUSES = ['draft', 'submitted', 'resubmitted', 'approved', 'rejected', 'disqualified'] as const;

/** Whether a registration awaits review: submitted, or resubmitted after a rejection (SPEC §3). */
export const awaitingReview = (status?: string | null): boolean => status === 'submitted' || status === 'resubmitted';

/** States of a catalog item and of its versions. */
export const CATALOG_STATUSES = ['pending', 'published', 'rejected', 'withdrawn', 'superseded'] as const;

/** Units offered in the catalog editor; the provider may type another. */
export const CATALOG_UNITS = ['月', '年', '次', '套', '个', '台', '用户·月', '用户·年', 'GB·月', 'TB·年'] as const;

