// The voucher amount of SPEC §2 for an estimate in the browser, on integer
// fen with BigInt (a base of 100 lines can pass 2^53): amount =
// min(⌊base × ratio / 10000⌋, cap, or cap × (10000 + bonus) / 10000 when the
// enterprise holds a certificate valid on the issue date). The server
// computes the real amount when the contract is confirmed. Import-free, so
// the browser tests compute their expectations with it.

/** ⌊fen × bp / 10000⌋ for fen ≥ 0. */
export function applyBp(fen: bigint, bp: number): bigint {
  return (fen * BigInt(bp)) / 10000n;
}

export interface SubsidyEstimate {
  baseFen: bigint;
  ratioBp: number;
  /** ⌊base × ratio / 10000⌋. */
  subsidyFen: bigint;
  /** The program's cap, and the cap with the certificate bonus. */
  capFen: bigint;
  certifiedCapFen: bigint;
  /** The amount without and with a valid certificate. */
  amountFen: bigint;
  certifiedAmountFen: bigint;
  capped: boolean;
  certifiedCapped: boolean;
}

export function estimateSubsidy(baseFen: bigint, ratioBp: number, capFen: number, certBonusBp: number): SubsidyEstimate {
  const subsidyFen = applyBp(baseFen, ratioBp);
  const cap = BigInt(capFen);
  const certifiedCap = applyBp(cap, 10000 + certBonusBp);
  const min = (a: bigint, b: bigint) => (a < b ? a : b);
  return {
    baseFen,
    ratioBp,
    subsidyFen,
    capFen: cap,
    certifiedCapFen: certifiedCap,
    amountFen: min(subsidyFen, cap),
    certifiedAmountFen: min(subsidyFen, certifiedCap),
    capped: subsidyFen > cap,
    certifiedCapped: subsidyFen > certifiedCap,
  };
}

/** Whether a certificate valid from..until (YYYY-MM-DD) is valid on `date`. */
export function certificateValidOn(validFrom: string | null | undefined, validUntil: string | null | undefined, date: string): boolean {
  return !!validFrom && !!validUntil && validFrom <= date && date <= validUntil;
}
