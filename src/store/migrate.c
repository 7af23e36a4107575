/* Schema migrations. Portable SQL only (SQLite and PostgreSQL): TEXT,
 * BIGINT, INTEGER; instants as BIGINT milliseconds; no AUTOINCREMENT/SERIAL
 * (ids come from the application). */
#include "store/migrate.h"
#include "store/migrate_steps.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/id.h"
#include "store/vouchers.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct migration {
    int version;
    const char *name;
    /* Statements in pieces (each under the 4095 characters C guarantees). */
    const char *sql[4];
    /* Then, when set, a step that needs the driver's own SQL. */
    int (*step)(struct db *db);
};

static const struct migration migrations[] = {
    {1,
     "foundation",
     {"CREATE TABLE counties ("
      " code TEXT PRIMARY KEY,"
      " name TEXT NOT NULL,"
      " kind TEXT NOT NULL,"
      " target_2018 INTEGER NOT NULL,"
      " code_is_official INTEGER NOT NULL,"
      " enterprise_count INTEGER);"
      "CREATE TABLE users ("
      " id TEXT PRIMARY KEY,"
      " username TEXT NOT NULL UNIQUE,"
      " password_hash TEXT NOT NULL,"
      " role TEXT NOT NULL,"
      " display_name TEXT NOT NULL,"
      " county_code TEXT REFERENCES counties(code),"
      " locked INTEGER NOT NULL DEFAULT 0,"
      " created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL);"
      "CREATE INDEX users_county ON users(county_code);"
      "CREATE TABLE sessions ("
      " token_hash TEXT PRIMARY KEY,"
      " user_id TEXT NOT NULL REFERENCES users(id),"
      " csrf TEXT NOT NULL,"
      " created_at BIGINT NOT NULL,"
      " last_seen_at BIGINT NOT NULL,"
      " client_addr TEXT);"
      "CREATE INDEX sessions_user ON sessions(user_id);"
      "CREATE TABLE login_throttle ("
      " key TEXT PRIMARY KEY,"
      " failures INTEGER NOT NULL,"
      " last_failure_at BIGINT NOT NULL,"
      " locked_until BIGINT NOT NULL);"
      "CREATE TABLE audit_log ("
      " seq BIGINT PRIMARY KEY,"
      " at BIGINT NOT NULL,"
      " actor_id TEXT,"
      " actor_username TEXT,"
      " actor_role TEXT,"
      " entity TEXT NOT NULL,"
      " entity_id TEXT NOT NULL,"
      " action TEXT NOT NULL,"
      " before_json TEXT,"
      " after_json TEXT,"
      " request_id TEXT,"
      " client_addr TEXT,"
      " prev_hash TEXT NOT NULL,"
      " hash TEXT NOT NULL);"
      "CREATE INDEX audit_entity ON audit_log(entity, entity_id);"
      "CREATE TABLE audit_head ("
      " id INTEGER PRIMARY KEY,"
      " seq BIGINT NOT NULL,"
      " hash TEXT NOT NULL);"},
     NULL},
    {2,
     "programs_registration_catalog",
     {/* 政策方案 and its versioned parameters (JSON, validated by core/policy). */
      "CREATE TABLE programs ("
      " id TEXT PRIMARY KEY,"
      " name TEXT NOT NULL,"
      " doc_no TEXT NOT NULL,"
      " city_code TEXT NOT NULL,"
      " city_name TEXT NOT NULL,"
      " current_version INTEGER NOT NULL,"
      " created_at BIGINT NOT NULL);"
      "CREATE TABLE program_versions ("
      " program_id TEXT NOT NULL REFERENCES programs(id),"
      " version INTEGER NOT NULL,"
      " params_json TEXT NOT NULL,"
      " reason TEXT NOT NULL,"
      " changed_by TEXT,"
      " changed_at BIGINT NOT NULL,"
      " PRIMARY KEY (program_id, version));"
      /* Enterprises (SPEC §3). */
      "CREATE TABLE enterprises ("
      " id TEXT PRIMARY KEY,"
      " user_id TEXT NOT NULL REFERENCES users(id),"
      " uscc TEXT NOT NULL UNIQUE,"
      " name TEXT NOT NULL,"
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " legal_rep TEXT,"
      " address TEXT,"
      " phone TEXT,"
      " email TEXT,"
      " independent_legal_person INTEGER,"
      " industry TEXT,"
      " key_industry_tags TEXT NOT NULL DEFAULT '[]',"
      " priority_flags TEXT NOT NULL DEFAULT '[]',"
      " employees INTEGER,"
      " cert_no TEXT,"
      " cert_issuer TEXT,"
      " cert_valid_from TEXT,"
      " cert_valid_until TEXT,"
      " status TEXT NOT NULL,"
      " reject_reason TEXT,"
      " submitted_at BIGINT,"
      " reviewed_at BIGINT,"
      " reviewed_by TEXT,"
      " created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL);"
      "CREATE INDEX enterprises_county_status ON enterprises(county_code, status);"
      "CREATE INDEX enterprises_user ON enterprises(user_id);"
      "CREATE INDEX enterprises_phone ON enterprises(phone);"
      "CREATE INDEX enterprises_email ON enterprises(email);"
      "CREATE INDEX enterprises_legal_rep ON enterprises(legal_rep);"
      /* Cloud service providers (云服务商). */
      "CREATE TABLE providers ("
      " id TEXT PRIMARY KEY,"
      " user_id TEXT NOT NULL REFERENCES users(id),"
      " uscc TEXT NOT NULL UNIQUE,"
      " name TEXT NOT NULL,"
      " kind TEXT,"
      " qualifications TEXT,"
      " contact_name TEXT,"
      " phone TEXT,"
      " email TEXT,"
      " address TEXT,"
      " bank_name TEXT,"
      " bank_account TEXT,"
      " status TEXT NOT NULL,"
      " reject_reason TEXT,"
      " submitted_at BIGINT,"
      " reviewed_at BIGINT,"
      " reviewed_by TEXT,"
      " created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL);"
      "CREATE INDEX providers_user ON providers(user_id);"
      /* Reference catalog (附件2) and providers' catalog items, versioned. */
      "CREATE TABLE reference_services ("
      " id INTEGER PRIMARY KEY,"
      " category TEXT NOT NULL,"
      " subcategory TEXT NOT NULL,"
      " service TEXT NOT NULL,"
      " UNIQUE (category, subcategory, service));"
      "CREATE TABLE catalog_items ("
      " id TEXT PRIMARY KEY,"
      " provider_id TEXT NOT NULL REFERENCES providers(id),"
      " status TEXT NOT NULL,"
      " latest_version INTEGER NOT NULL,"
      " published_version INTEGER,"
      " created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL);"
      "CREATE INDEX catalog_items_provider ON catalog_items(provider_id);"
      "CREATE TABLE catalog_item_versions ("
      " item_id TEXT NOT NULL REFERENCES catalog_items(id),"
      " version INTEGER NOT NULL,"
      " reference_service_id INTEGER NOT NULL REFERENCES reference_services(id),"
      " name TEXT NOT NULL,"
      " description TEXT NOT NULL,"
      " specification TEXT NOT NULL,"
      " unit TEXT NOT NULL,"
      " list_price_fen BIGINT NOT NULL,"
      " discount_price_fen BIGINT NOT NULL,"
      " valid_from TEXT NOT NULL,"
      " valid_until TEXT NOT NULL,"
      " status TEXT NOT NULL,"
      " reject_reason TEXT,"
      " created_at BIGINT NOT NULL,"
      " reviewed_at BIGINT,"
      " reviewed_by TEXT,"
      " PRIMARY KEY (item_id, version));"
      /* 信用负面清单 (SPEC §8). */
      "CREATE TABLE negative_list ("
      " id TEXT PRIMARY KEY,"
      " uscc TEXT NOT NULL,"
      " name TEXT,"
      " reason TEXT NOT NULL,"
      " evidence TEXT NOT NULL,"
      " added_by TEXT NOT NULL,"
      " added_at BIGINT NOT NULL,"
      " lifted_at BIGINT,"
      " lifted_by TEXT,"
      " lift_reason TEXT);"
      "CREATE INDEX negative_list_uscc ON negative_list(uscc);"},
     NULL},
    {3,
     "contracts_vouchers_ledger",
     {/* Contracts (SPEC §5) and their lines and attachments. */
      "CREATE TABLE contracts ("
      " id TEXT PRIMARY KEY,"
      " program_id TEXT NOT NULL REFERENCES programs(id),"
      " enterprise_id TEXT NOT NULL REFERENCES enterprises(id),"
      " provider_id TEXT NOT NULL REFERENCES providers(id),"
      " county_code TEXT NOT NULL,"
      " contract_no TEXT NOT NULL,"
      " signed_on TEXT NOT NULL,"
      " service_start TEXT NOT NULL,"
      " service_end TEXT NOT NULL,"
      " total_fen BIGINT NOT NULL,"
      " base_fen BIGINT NOT NULL,"
      " status TEXT NOT NULL,"
      " drafted_by_role TEXT NOT NULL,"
      " drafted_by TEXT NOT NULL,"
      " confirmed_at BIGINT,"
      " confirmed_by TEXT,"
      " closed_at BIGINT,"
      " closed_by TEXT,"
      " close_reason TEXT,"
      " created_at BIGINT NOT NULL,"
      " updated_at BIGINT NOT NULL);"
      "CREATE INDEX contracts_enterprise ON contracts(enterprise_id);"
      "CREATE INDEX contracts_provider ON contracts(provider_id);"
      "CREATE INDEX contracts_county ON contracts(county_code, status);"
      "CREATE TABLE contract_lines ("
      " contract_id TEXT NOT NULL REFERENCES contracts(id),"
      " line_no INTEGER NOT NULL,"
      " catalog_item_id TEXT,"
      " catalog_version INTEGER,"
      " description TEXT NOT NULL,"
      " quantity BIGINT NOT NULL,"
      " unit TEXT NOT NULL,"
      " unit_price_fen BIGINT NOT NULL,"
      " amount_fen BIGINT NOT NULL,"
      " PRIMARY KEY (contract_id, line_no));"
      "CREATE TABLE contract_attachments ("
      " contract_id TEXT NOT NULL REFERENCES contracts(id),"
      " sha256 TEXT NOT NULL,"
      " filename TEXT NOT NULL,"
      " content_type TEXT NOT NULL,"
      " size BIGINT NOT NULL,"
      " uploaded_by TEXT NOT NULL,"
      " uploaded_at BIGINT NOT NULL,"
      " PRIMARY KEY (contract_id, sha256));"
      /* Vouchers (云服务券) and the county waitlist (先到先补). */
      "CREATE TABLE vouchers ("
      " id TEXT PRIMARY KEY,"
      " code TEXT NOT NULL UNIQUE,"
      " program_id TEXT NOT NULL REFERENCES programs(id),"
      " contract_id TEXT NOT NULL UNIQUE REFERENCES contracts(id),"
      " enterprise_id TEXT NOT NULL REFERENCES enterprises(id),"
      " provider_id TEXT NOT NULL REFERENCES providers(id),"
      " county_code TEXT NOT NULL,"
      " issue_year INTEGER NOT NULL,"
      " issued_at BIGINT NOT NULL,"
      " amount_fen BIGINT NOT NULL CHECK (amount_fen >= 0),"
      " redeemed_fen BIGINT NOT NULL DEFAULT 0,"
      " calc_json TEXT NOT NULL,"
      " status TEXT NOT NULL,"
      " service_end TEXT NOT NULL,"
      " closed_at BIGINT,"
      " close_reason TEXT);"
      "CREATE INDEX vouchers_enterprise ON vouchers(enterprise_id, program_id);"
      "CREATE INDEX vouchers_county ON vouchers(county_code, issue_year, status);"
      "CREATE TABLE voucher_serials ("
      " county_code TEXT NOT NULL,"
      " year INTEGER NOT NULL,"
      " last_serial BIGINT NOT NULL,"
      " PRIMARY KEY (county_code, year));"
      "CREATE TABLE waitlist ("
      " id TEXT PRIMARY KEY,"
      " contract_id TEXT NOT NULL UNIQUE REFERENCES contracts(id),"
      " program_id TEXT NOT NULL,"
      " enterprise_id TEXT NOT NULL,"
      " county_code TEXT NOT NULL,"
      " year INTEGER NOT NULL,"
      " amount_fen BIGINT NOT NULL,"
      " calc_json TEXT NOT NULL,"
      " confirmed_at BIGINT NOT NULL,"
      " position BIGINT NOT NULL,"
      " status TEXT NOT NULL,"
      " closed_at BIGINT,"
      " voucher_id TEXT);"
      "CREATE INDEX waitlist_queue ON waitlist(county_code, year, status, position);",
      /* The ledger (SPEC §6): accounts with two-phase balances and
       * immutable transfers whose ids come from business events. The CHECKs
       * are the last line of defence behind the checks in code: a pool can
       * never be overdrawn, a voucher never holds more than its amount. */
      "CREATE TABLE ledger_accounts ("
      " id TEXT PRIMARY KEY,"
      " kind TEXT NOT NULL,"
      " county_code TEXT,"
      " year INTEGER,"
      " source TEXT,"
      " voucher_id TEXT,"
      " limit_fen BIGINT,"
      " must_not_overdraw INTEGER NOT NULL,"
      " debits_pending BIGINT NOT NULL DEFAULT 0,"
      " debits_posted BIGINT NOT NULL DEFAULT 0,"
      " credits_pending BIGINT NOT NULL DEFAULT 0,"
      " credits_posted BIGINT NOT NULL DEFAULT 0,"
      " created_at BIGINT NOT NULL,"
      " CHECK (debits_pending >= 0 AND debits_posted >= 0 AND credits_pending >= 0"
      "  AND credits_posted >= 0),"
      " CHECK (must_not_overdraw = 0 OR"
      "  credits_posted - debits_posted - debits_pending >= 0),"
      " CHECK (limit_fen IS NULL OR credits_posted + credits_pending <= limit_fen));"
      "CREATE TABLE ledger_transfers ("
      " id TEXT PRIMARY KEY,"
      " seq BIGINT NOT NULL UNIQUE,"
      " kind TEXT NOT NULL,"
      " debit_account TEXT NOT NULL REFERENCES ledger_accounts(id),"
      " credit_account TEXT NOT NULL REFERENCES ledger_accounts(id),"
      " amount_fen BIGINT NOT NULL CHECK (amount_fen > 0),"
      " pending_id TEXT,"
      " reference TEXT,"
      " created_at BIGINT NOT NULL);"
      "CREATE INDEX ledger_transfers_pending ON ledger_transfers(pending_id);"
      "CREATE INDEX ledger_transfers_debit ON ledger_transfers(debit_account);"
      "CREATE INDEX ledger_transfers_credit ON ledger_transfers(credit_account);"
      /* Idempotency-Key (SPEC §13): the first answer, replayed for 24 h. */
      "CREATE TABLE idempotency_keys ("
      " scope TEXT NOT NULL,"
      " key TEXT NOT NULL,"
      " method TEXT NOT NULL,"
      " path TEXT NOT NULL,"
      " status INTEGER NOT NULL,"
      " body TEXT NOT NULL,"
      " created_at BIGINT NOT NULL,"
      " PRIMARY KEY (scope, key));"},
     NULL},
    {4,
     "idempotency_body_hash",
     {/* A key reused with another body is refused, not replayed. */
      "ALTER TABLE idempotency_keys ADD COLUMN body_hash TEXT NOT NULL DEFAULT '';"
      "CREATE INDEX contracts_confirmed ON contracts(confirmed_at);"},
     NULL},
    {5,
     "evaluator_counties",
     {/* 第三方评价机构 work for the counties assigned to them (SPEC §1). */
      "CREATE TABLE user_counties ("
      " user_id TEXT NOT NULL REFERENCES users(id),"
      " county_code TEXT NOT NULL REFERENCES counties(code),"
      " PRIMARY KEY (user_id, county_code));"},
     NULL},
    {6,
     "money_path_constraints",
     {/* The waitlist is one queue per county and program across years
       * (SPEC §5): a place in it is unique; an application that leaves
       * keeps the reason. */
      "ALTER TABLE waitlist ADD COLUMN close_reason TEXT;"
      "CREATE UNIQUE INDEX waitlist_queue_position ON waitlist(county_code, program_id, position);"
      "CREATE INDEX waitlist_county_waiting ON waitlist(county_code, status, confirmed_at);"
      "CREATE INDEX vouchers_due ON vouchers(status, service_end);"},
     migrate_status_checks},
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
};

enum { N_MIGRATIONS = sizeof migrations / sizeof migrations[0] };

int migrate_latest(void)
{
    return migrations[N_MIGRATIONS - 1].version;
}

static int ensure_table(struct db *db)
{
    return db_exec(db, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                       " version INTEGER PRIMARY KEY,"
                       " name TEXT NOT NULL,"
                       " applied_at BIGINT NOT NULL)");
}

int migrate_version(struct db *db)
{
    if (ensure_table(db) != YQ_OK) return YQ_ERR;
    struct db_stmt *st = db_query(db, "SELECT MAX(version) FROM schema_migrations", NULL);
    if (!st) return YQ_ERR;
    int v = 0;
    if (db_step(st) == DB_ROW && !db_col_null(st, 0)) v = (int)db_col_int64(st, 0);
    db_finalize(st);
    return v;
}

int migrate_up(struct db *db)
{
    int current = migrate_version(db);
    if (current < 0) return current;
    for (int i = 0; i < N_MIGRATIONS; i++) {
        const struct migration *m = &migrations[i];
        if (m->version <= current) continue;
        int rc = db_begin(db, true);
        if (rc != YQ_OK) return rc;
        /* Another process may have applied it while we waited for the lock. */
        struct db_stmt *st = db_query(db, "SELECT 1 FROM schema_migrations WHERE version = ?", "i",
                                      (int64_t)m->version);
        if (!st) goto fail;
        bool done = db_step(st) == DB_ROW;
        db_finalize(st);
        if (done) {
            db_rollback(db);
            continue;
        }
        for (int k = 0; k < 4 && m->sql[k]; k++)
            if ((rc = db_exec(db, m->sql[k])) != YQ_OK) goto fail;
        if (m->step && (rc = m->step(db)) != YQ_OK) goto fail;
        rc = db_run(db, "INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)",
                    "iti", (int64_t)m->version, m->name, clock_now_ms());
        if (rc != YQ_OK) goto fail;
        if ((rc = db_commit(db)) != YQ_OK) return rc;
        continue;
    fail:
        db_rollback(db);
        return rc < 0 ? rc : YQ_ERR;
    }
    return YQ_OK;
}
