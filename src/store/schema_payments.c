/* Migrations 7 onwards: redemption, notices, payouts, voucher
 * verification, targets and awards, list indexes, the reports' read model
 * (store/migrations.h). */
#include "store/migrations.h"
#include "store/migrate_steps.h"

const struct migration schema_payments[] = {
    {7,
     "redemption",
     {/* Redemption applications (兑现, SPEC §7): one per provider, county
       * and half-year; an item per voucher. An item is active while its
       * application is open: a voucher is claimed once per period. */
      "CREATE TABLE redemptions ("
      " id TEXT PRIMARY KEY,"
      " program_id TEXT NOT NULL REFERENCES programs(id),"
      " provider_id TEXT NOT NULL REFERENCES providers(id),"
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " period TEXT NOT NULL,"
      " status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'evaluated', 'returned',"
      "  'approved', 'rejected', 'withdrawn', 'in_notice', 'noticed', 'paid')),"
      " claim_fen BIGINT NOT NULL DEFAULT 0 CHECK (claim_fen >= 0),"
      " approved_fen BIGINT NOT NULL DEFAULT 0 CHECK (approved_fen >= 0),"
      " score_hundredths INTEGER,"
      " scores_json TEXT,"
      " evaluation_note TEXT,"
      " evaluated_by TEXT,"
      " evaluated_at BIGINT,"
      " review_note TEXT,"
      " reviewed_by TEXT,"
      " reviewed_at BIGINT,"
      " notice_id TEXT,"
      " payout_id TEXT,"
      " submitted_at BIGINT,"
      " created_by TEXT NOT NULL,"
      " created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL);"
      "CREATE INDEX redemptions_county ON redemptions(county_code, status);"
      "CREATE INDEX redemptions_provider ON redemptions(provider_id, period);"
      "CREATE TABLE redemption_items ("
      " redemption_id TEXT NOT NULL REFERENCES redemptions(id),"
      " voucher_id TEXT NOT NULL REFERENCES vouchers(id),"
      " line_no INTEGER NOT NULL,"
      " period TEXT NOT NULL,"
      " active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),"
      " service_desc TEXT NOT NULL,"
      " fee_fen BIGINT NOT NULL CHECK (fee_fen >= 0),"
      " claim_fen BIGINT NOT NULL CHECK (claim_fen > 0),"
      " invoice_nos TEXT NOT NULL,"
      " deduction_kind TEXT NOT NULL DEFAULT 'none'"
      "  CHECK (deduction_kind IN ('none', 'amount', 'bp')),"
      " deduction_bp INTEGER NOT NULL DEFAULT 0,"
      " deduction_fen BIGINT NOT NULL DEFAULT 0 CHECK (deduction_fen >= 0),"
      " quality_note TEXT,"
      " adjustment_fen BIGINT NOT NULL DEFAULT 0 CHECK (adjustment_fen >= 0),"
      " adjustment_reason TEXT,"
      " approved_fen BIGINT NOT NULL DEFAULT 0 CHECK (approved_fen >= 0),"
      " paid_fen BIGINT NOT NULL DEFAULT 0 CHECK (paid_fen >= 0),"
      " clawed_back_fen BIGINT NOT NULL DEFAULT 0 CHECK (clawed_back_fen >= 0),"
      " PRIMARY KEY (redemption_id, voucher_id),"
      " CHECK (approved_fen <= claim_fen AND clawed_back_fen <= paid_fen));"
      "CREATE UNIQUE INDEX redemption_items_once ON redemption_items(voucher_id, period)"
      " WHERE active = 1;"
      "CREATE INDEX redemption_items_voucher ON redemption_items(voucher_id);"
      "CREATE TABLE redemption_files ("
      " redemption_id TEXT NOT NULL REFERENCES redemptions(id),"
      " sha256 TEXT NOT NULL,"
      " filename TEXT NOT NULL,"
      " content_type TEXT NOT NULL,"
      " size BIGINT NOT NULL,"
      " uploaded_by TEXT NOT NULL,"
      " uploaded_at BIGINT NOT NULL,"
      " PRIMARY KEY (redemption_id, sha256));",
      /* Public notices (公示) with objections, payout batches (集中兑付)
       * and clawbacks (追回). */
      "CREATE TABLE notices ("
      " id TEXT PRIMARY KEY,"
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " opens_on TEXT NOT NULL,"
      " close_day TEXT NOT NULL,"
      " working_days INTEGER NOT NULL CHECK (working_days >= 5),"
      " status TEXT NOT NULL CHECK (status IN ('open', 'closed')),"
      " created_by TEXT NOT NULL,"
      " created_at BIGINT NOT NULL,"
      " closed_by TEXT,"
      " closed_at BIGINT);"
      "CREATE INDEX notices_county ON notices(county_code, status);"
      "CREATE TABLE objections ("
      " id TEXT PRIMARY KEY,"
      " notice_id TEXT NOT NULL REFERENCES notices(id),"
      " redemption_id TEXT REFERENCES redemptions(id),"
      " voucher_code TEXT,"
      " name TEXT NOT NULL,"
      " contact TEXT NOT NULL,"
      " text TEXT NOT NULL,"
      " client_addr TEXT NOT NULL,"
      " status TEXT NOT NULL CHECK (status IN ('open', 'dismissed', 'upheld')),"
      " resolution TEXT,"
      " resolved_by TEXT,"
      " resolved_at BIGINT,"
      " created_at BIGINT NOT NULL);"
      "CREATE INDEX objections_notice ON objections(notice_id, status);"
      "CREATE TABLE payouts ("
      " id TEXT PRIMARY KEY,"
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " status TEXT NOT NULL CHECK (status IN ('draft', 'paid')),"
      " total_fen BIGINT NOT NULL CHECK (total_fen >= 0),"
      " paid_on TEXT,"
      " reference TEXT,"
      " created_by TEXT NOT NULL,"
      " created_at BIGINT NOT NULL,"
      " paid_by TEXT,"
      " paid_at BIGINT);"
      "CREATE TABLE clawbacks ("
      " id TEXT PRIMARY KEY,"
      " redemption_id TEXT NOT NULL REFERENCES redemptions(id),"
      " voucher_id TEXT NOT NULL REFERENCES vouchers(id),"
      " county_code TEXT NOT NULL,"
      " amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),"
      " reason TEXT NOT NULL,"
      " evidence TEXT NOT NULL,"
      " created_by TEXT NOT NULL,"
      " created_at BIGINT NOT NULL);"
      "CREATE INDEX clawbacks_voucher ON clawbacks(voucher_id);"},
     NULL},
    {8,
     "voucher_verification",
     {/* Public verification (SPEC §5) is reached by the QR code, which
       * carries a random token; a code typed without it is throttled per
       * address, so that codes cannot be enumerated (issue 9). */
      "ALTER TABLE vouchers ADD COLUMN verify_token TEXT;"
      "CREATE TABLE public_throttle ("
      " key TEXT PRIMARY KEY,"
      " window_start BIGINT NOT NULL,"
      " hits INTEGER NOT NULL);"},
     migrate_verify_tokens},
    {9,
     "targets_assessment_awards",
     {/* 考核与奖补 (SPEC §9, issue 10). Targets per county and year, each
       * change a new version (who, when, why); performance scores; the
       * city award pool with its weights and, once posted, each county's
       * share; benchmark enterprises and experience centres. */
      "CREATE TABLE county_targets ("
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),"
      " version INTEGER NOT NULL CHECK (version >= 1),"
      " target INTEGER NOT NULL CHECK (target >= 0),"
      " enterprise_count INTEGER CHECK (enterprise_count IS NULL OR enterprise_count >= 0),"
      " reason TEXT NOT NULL, set_by TEXT NOT NULL, set_at BIGINT NOT NULL,"
      " PRIMARY KEY (county_code, year, version));"
      "CREATE TABLE county_scores ("
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),"
      " score_hundredths INTEGER NOT NULL CHECK (score_hundredths BETWEEN 0 AND 10000),"
      " note TEXT, set_by TEXT NOT NULL, set_at BIGINT NOT NULL,"
      " PRIMARY KEY (county_code, year));"
      "CREATE TABLE award_allocations ("
      " id TEXT PRIMARY KEY,"
      " year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),"
      " pool_fen BIGINT NOT NULL CHECK (pool_fen > 0),"
      " w_completion INTEGER NOT NULL CHECK (w_completion >= 0),"
      " w_penetration INTEGER NOT NULL CHECK (w_penetration >= 0),"
      " w_disbursed INTEGER NOT NULL CHECK (w_disbursed >= 0),"
      " w_performance INTEGER NOT NULL CHECK (w_performance >= 0),"
      " reference TEXT NOT NULL,"
      " status TEXT NOT NULL CHECK (status IN ('draft', 'posted')),"
      " created_by TEXT NOT NULL, created_at BIGINT NOT NULL,"
      " updated_by TEXT NOT NULL, updated_at BIGINT NOT NULL,"
      " posted_by TEXT, posted_at BIGINT,"
      " CHECK (w_completion + w_penetration + w_disbursed + w_performance = 100));"
      "CREATE TABLE award_shares ("
      " allocation_id TEXT NOT NULL REFERENCES award_allocations(id),"
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " measures_json TEXT NOT NULL,"
      " score BIGINT NOT NULL CHECK (score >= 0),"
      " share_fen BIGINT NOT NULL CHECK (share_fen >= 0),"
      " transfer_id TEXT,"
      " PRIMARY KEY (allocation_id, county_code));"
      "CREATE TABLE award_recipients ("
      " id TEXT PRIMARY KEY,"
      " kind TEXT NOT NULL CHECK (kind IN ('benchmark_enterprise', 'experience_centre')),"
      " year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),"
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " name TEXT NOT NULL, uscc TEXT, reason TEXT NOT NULL,"
      " amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),"
      " status TEXT NOT NULL CHECK (status IN ('recorded', 'paid')),"
      " recorded_by TEXT NOT NULL, recorded_at BIGINT NOT NULL,"
      " paid_by TEXT, paid_at BIGINT, payment_reference TEXT);"},
     migrate_awards},
    {10,
     "list_order_indexes",
     {/* The lists' sort orders, so that a page (and a whole-list export,
       * read page by page) walks an index instead of sorting every row:
       * 100,000 vouchers took 0.8 s a page (issue 10). */
      "CREATE INDEX vouchers_list_order ON vouchers(issued_at DESC, id);"
      "CREATE INDEX contracts_list_order ON contracts(created_at DESC, id);"
      "CREATE INDEX enterprises_list_order ON enterprises((submitted_at IS NULL), submitted_at,"
      " created_at, id);"
      "CREATE INDEX providers_list_order ON providers((submitted_at IS NULL), submitted_at,"
      " created_at, id);"
      "CREATE INDEX redemptions_list_order ON redemptions(updated_at DESC, id);"},
     NULL},
    {11,
     "city_read_model",
     {/* The city-level reads at province scale (issue 10): p99 < 100 ms
       * for the completion report, county progress and the city
       * dashboard. 上云企业: the instant each enterprise came on the cloud
       * in a county (its first confirmed contract with catalog services,
       * as docs/reports.md defines it), kept by the contract store in the
       * confirming, cancelling or terminating transaction and filled
       * here from the contracts; `ledger check` recomputes it. Finding it
       * was a grouping over every contract on every request. */
      "CREATE TABLE enterprise_on_cloud ("
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " enterprise_id TEXT NOT NULL REFERENCES enterprises(id),"
      " first_at BIGINT NOT NULL,"
      " PRIMARY KEY (county_code, enterprise_id));"
      "CREATE INDEX enterprise_on_cloud_county ON enterprise_on_cloud(county_code, first_at);"
      "CREATE INDEX enterprise_on_cloud_first ON enterprise_on_cloud(first_at, county_code);"
      "INSERT INTO enterprise_on_cloud(county_code, enterprise_id, first_at)"
      " SELECT county_code, enterprise_id, MIN(confirmed_at) FROM contracts"
      " WHERE status = 'confirmed' AND base_fen > 0 GROUP BY county_code, enterprise_id;",
      /* Covering indexes for the year's figures: a year's vouchers by
       * county without reading each row (vouchers_county leads with the
       * county, not the year, and holds no amount), the year's confirmed
       * contracts, and a county's applications of one period. */
      "CREATE INDEX vouchers_year ON vouchers(issue_year, county_code, status, amount_fen,"
      " issued_at);"
      "CREATE INDEX contracts_confirmed_year ON contracts(status, confirmed_at, base_fen,"
      " county_code, enterprise_id);"
      "CREATE INDEX redemptions_period ON redemptions(period, county_code);"
      "CREATE INDEX redemptions_submitted ON redemptions(submitted_at);",
      /* Money paid less clawed back, per county, provider, half-year
       * period and the month of the batch's payment date: what the
       * completion report and the dashboards sum (they read every item of
       * a year's applications on each request). Kept by the payout store
       * where an item is paid or clawed back; `ledger check` recomputes it. */
      "CREATE TABLE county_paid ("
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " provider_id TEXT NOT NULL REFERENCES providers(id),"
      " period TEXT NOT NULL,"
      " paid_month TEXT NOT NULL,"
      " paid_fen BIGINT NOT NULL CHECK (paid_fen >= 0),"
      " PRIMARY KEY (county_code, period, provider_id, paid_month));"
      "CREATE INDEX county_paid_month ON county_paid(paid_month, county_code);"
      "INSERT INTO county_paid(county_code, provider_id, period, paid_month, paid_fen)"
      " SELECT r.county_code, r.provider_id, r.period, SUBSTR(p.paid_on, 1, 7),"
      " SUM(i.paid_fen - i.clawed_back_fen) FROM redemption_items i JOIN redemptions r ON"
      " r.id = i.redemption_id JOIN payouts p ON p.id = r.payout_id WHERE p.status = 'paid'"
      " GROUP BY r.county_code, r.provider_id, r.period, SUBSTR(p.paid_on, 1, 7);",
      /* Counters per county, year and month (China time) and per county
       * and year (store/stats.h), filled by the step. */
      "CREATE TABLE county_months ("
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " year INTEGER NOT NULL, month INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),"
      " contracts BIGINT NOT NULL CHECK (contracts >= 0),"
      " new_on_cloud BIGINT NOT NULL CHECK (new_on_cloud >= 0),"
      " vouchers BIGINT NOT NULL CHECK (vouchers >= 0),"
      " voucher_fen BIGINT NOT NULL CHECK (voucher_fen >= 0),"
      " PRIMARY KEY (county_code, year, month));"
      "CREATE INDEX county_months_year ON county_months(year, county_code);"
      "CREATE TABLE county_years ("
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " year INTEGER NOT NULL,"
      " enterprises_confirmed BIGINT NOT NULL CHECK (enterprises_confirmed >= 0),"
      " PRIMARY KEY (year, county_code));"},
     migrate_city_counters},
    {12,
     "covering indexes for the city dashboard",
     /* The city dashboard summed a year's applications and payments by
      * reading each row from its table after the index found it (p99
      * 153 ms at four connections on a 16-city province); indexes that
      * hold the summed columns answer from the index alone. Each replaces
      * a narrower one with the same leading columns. */
     {"DROP INDEX redemptions_period;"
      "CREATE INDEX redemptions_period ON redemptions(period, county_code, status, claim_fen,"
      " approved_fen);"
      "DROP INDEX redemptions_submitted;"
      "CREATE INDEX redemptions_submitted ON redemptions(submitted_at, status, claim_fen,"
      " county_code);"
      "DROP INDEX county_paid_month;"
      "CREATE INDEX county_paid_month ON county_paid(paid_month, county_code, paid_fen);"
      "CREATE INDEX county_paid_period ON county_paid(period, county_code, paid_fen);"},
     NULL},
    {13,
     "sign-up consent and business licence",
     /* What a sign-up consented to (the version of the user agreement and
      * privacy notice, when, from where): one row per account. The
      * business licence (营业执照) an enterprise or a provider uploads
      * for its reviewer: the latest one per party, the file itself stored
      * by its SHA-256 like the other attachments (service/files.h). */
     {"CREATE TABLE signup_consents ("
      " user_id TEXT PRIMARY KEY REFERENCES users(id),"
      " version TEXT NOT NULL,"
      " accepted_at BIGINT NOT NULL,"
      " client_addr TEXT NOT NULL);"
      "CREATE TABLE party_licences ("
      " party_id TEXT PRIMARY KEY,"
      " kind TEXT NOT NULL CHECK (kind IN ('enterprise', 'provider')),"
      " sha256 TEXT NOT NULL,"
      " filename TEXT NOT NULL,"
      " content_type TEXT NOT NULL,"
      " size BIGINT NOT NULL CHECK (size > 0),"
      " uploaded_by TEXT NOT NULL,"
      " uploaded_at BIGINT NOT NULL);"},
     NULL},
    {14,
     "indexes of the confirmation path",
     /* Found by tracing a confirmation's statements (issue 12): whether
      * the enterprise already came on the cloud in the year was counted
      * through the index of all the year's confirmed contracts (every
      * confirmation read more as the rush went on), and an enterprise's
      * waiting applications were counted by scanning the whole queue. */
     {"DROP INDEX contracts_enterprise;"
      "CREATE INDEX contracts_enterprise ON contracts(enterprise_id, county_code, status,"
      " confirmed_at, base_fen);"
      "CREATE INDEX waitlist_enterprise ON waitlist(enterprise_id, program_id, status);"},
     NULL},
    {15,
     "business numbers of payout batches and notices",
     /* People quote a batch or a notice by a number of their own, never by
      * the internal id (issue 11): ZF-<county>-<yyyymm>-<seq> and
      * GS-<year>-<seq> (store/business_no.h), given to the rows made so far
      * in the order they were made. */
     {"ALTER TABLE payouts ADD COLUMN batch_no TEXT;"
      "ALTER TABLE notices ADD COLUMN notice_no TEXT;"
      "CREATE UNIQUE INDEX payouts_batch_no ON payouts(batch_no);"
      "CREATE UNIQUE INDEX notices_notice_no ON notices(notice_no);"},
     migrate_business_numbers},
    {16,
     "parallel writers: audit shards, shared sequences",
     /* County-scoped writers run in parallel on PostgreSQL (store/db.h
      * db_begin_scoped), so nothing they write may be one global row: the
      * audit chain becomes one chain per shard (a county's, or global),
      * each with its own head; the entries written so far are the global
      * shard's first entries, their hashes unchanged (chain 1). The seq of
      * audit entries and ledger transfers comes from a SEQUENCE on
      * PostgreSQL (store/seq.h). A county's latest confirmation is found
      * through its own index. */
     {"ALTER TABLE audit_log ADD COLUMN shard TEXT NOT NULL DEFAULT 'global';"
      "ALTER TABLE audit_log ADD COLUMN shard_seq BIGINT;"
      "ALTER TABLE audit_log ADD COLUMN chain INTEGER NOT NULL DEFAULT 1;"
      "UPDATE audit_log SET shard_seq = seq;"
      "CREATE UNIQUE INDEX audit_shard_seq ON audit_log(shard, shard_seq);"
      "CREATE TABLE audit_heads ("
      " shard TEXT PRIMARY KEY,"
      " seq BIGINT NOT NULL,"
      " hash TEXT NOT NULL);"
      "INSERT INTO audit_heads(shard, seq, hash) SELECT 'global', seq, hash FROM audit_head;"
      "DROP TABLE audit_head;"
      "CREATE INDEX contracts_county_confirmed ON contracts(county_code, confirmed_at);"},
     migrate_sequences},
    {17,
     "the queue ahead of an application, from an index",
     /* How many wait ahead of an application (its answer, and the
      * contract's page) was counted over the queue's positions with a
      * table read for each to see its status: every confirmation that
      * joined the queue read more as the queue grew (a tenth of the
      * writer's time in a rush, issue 12). With the status in the index
      * the count reads the index alone. */
     {"CREATE INDEX waitlist_ahead ON waitlist(county_code, program_id, status, position);"},
     NULL},
    {18,
     "how many wait in each queue",
     /* Kept by the transaction that changes the queue (join +1; served,
      * cancelled or lapsed -1), so that a confirmation joining the queue
      * learns how many wait ahead of it without counting the queue
      * (issue 12); `ledger check` compares it with the queue itself. */
     {"CREATE TABLE waitlist_queues ("
      " county_code TEXT NOT NULL,"
      " program_id TEXT NOT NULL,"
      " waiting BIGINT NOT NULL CHECK (waiting >= 0),"
      " PRIMARY KEY (county_code, program_id));"
      "INSERT INTO waitlist_queues(county_code, program_id, waiting)"
      " SELECT county_code, program_id, COUNT(*) FROM waitlist WHERE status = 'waiting'"
      " GROUP BY county_code, program_id;"},
     NULL},
    {19,
     "fewer indexes written by a confirmation",
     /* Every index holding a column a confirmation writes costs the
      * writer a B-tree update and a page (issue 12). Each one dropped here
      * was checked with EXPLAIN QUERY PLAN against every statement the
      * store runs (docs/benchmarks.md, "Sixth session"): no list, count or
      * read loses its index. contracts_county (county, status) and
      * contracts_county_confirmed (county, confirmed_at) become one index
      * whose prefix serves both (a county's latest confirmation is read
      * as the latest of each closed-or-confirmed status); the whole-table
      * confirmed_at index served only the span `ledger check` reads;
      * enterprise_on_cloud_county served no query (its prefix is the
      * primary key's), waitlist_queue only a queue page filtered by year,
      * which waitlist_county_waiting finds as well. */
     {"DROP INDEX IF EXISTS contracts_county;"
      "DROP INDEX IF EXISTS contracts_county_confirmed;"
      "CREATE INDEX contracts_county_status ON contracts(county_code, status, confirmed_at);"
      "DROP INDEX IF EXISTS contracts_confirmed;"
      "DROP INDEX IF EXISTS enterprise_on_cloud_county;"
      "DROP INDEX IF EXISTS waitlist_queue;"},
     NULL},
    {20,
     "what was clawed back from each voucher",
     /* A clawback (追回) returns paid money to the county pool, not to the
      * voucher: the voucher's redeemed figure goes down, but what it may
      * still claim does not go up. Kept on the voucher by the clawback's
      * own guarded write, so that every read of what is left (the list,
      * the record, the QR page, the enterprise's home) says amount −
      * redeemed − clawed back, which is what a claim is checked against;
      * `ledger check` compares it with the clawbacks. */
     {"ALTER TABLE vouchers ADD COLUMN clawed_back_fen BIGINT NOT NULL DEFAULT 0"
      " CHECK (clawed_back_fen >= 0);"
      "UPDATE vouchers SET clawed_back_fen = (SELECT COALESCE(SUM(k.amount_fen), 0) FROM"
      " clawbacks k WHERE k.voucher_id = vouchers.id) WHERE id IN (SELECT voucher_id FROM"
      " clawbacks);"},
     NULL},
    {21,
     "status checks without temporary tables (SQLite)",
     /* migrate_steps.c: the triggers standing for CHECK on SQLite test
      * `NOT (c = 'a' OR …)` instead of `c NOT IN (…)`; PostgreSQL keeps
      * its CHECK constraints, nothing to do there. */
     {NULL},
     migrate_status_checks_or},
    {22,
     "registration state resubmitted",
     /* migrate_steps.c: a rejected enterprise or provider submitted again
      * is "resubmitted" (SPEC §3), reviewed like a submission. */
     {NULL},
     migrate_party_resubmitted},
    {23,
     "calendar years added by the operator",
     /* store/calendar.c: the State Council's days of each year published
      * after the binary was built (`yunquan calendar import`), read with
      * the compiled-in data/cn-holidays.csv. */
     {"CREATE TABLE calendar_days ("
      " day TEXT PRIMARY KEY,"
      " kind TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),"
      " name TEXT NOT NULL,"
      " added_by TEXT NOT NULL,"
      " added_at BIGINT NOT NULL);"},
     NULL},
};

const size_t schema_payments_count = sizeof schema_payments / sizeof schema_payments[0];
