/* JSON request bodies against every body schema of the API. The schemas
 * come from the real OpenAPI document (src/api/openapi.json, compiled in):
 * every operation with an application/json request body. The first input
 * byte picks the operation, the rest is the body, which goes through what
 * the handlers use: json_parse_object (src/http/json.c), json_only_fields
 * with the schema's fields, the json_get_* getters by declared type, the
 * field rules of src/core (text, username, password, USCC, dates,
 * periods), and the real service checks that need no database: the
 * enterprise and provider field rules (party_fields_check) and the
 * program parameters (program_params_parse).
 *
 * Checked: a body parses exactly when it is a JSON object (whitespace
 * only reads as {}), and every refusal is a named problem; a getter
 * succeeds exactly for the declared type and hands back the value; a
 * parsed body written out again parses to an equal object. */
#include "core/clock.h"
#include "core/period.h"
#include "core/status.h"
#include "core/uscc.h"
#include "core/validate.h"
#include "embedded.h"
#include "http/json.h"
#include "service/party_fields.h"
#include "service/programs.h"
#include "fuzz.h"

#define MAX_SCHEMAS 64
#define MAX_FIELDS 40

struct schema {
    const char *name; /* "POST /api/v1/users" */
    json_t *props;    /* object of property schemas, or NULL */
    json_t *required; /* array of names, or NULL */
    const char *ref;  /* components/schemas name when given by $ref */
};

static json_t *doc;
static struct schema schemas[MAX_SCHEMAS];
static int nschemas;
static char names[MAX_SCHEMAS][160];

static json_t *resolve(json_t *s, const char **ref)
{
    const char *r = json_string_value(json_object_get(s, "$ref"));
    *ref = NULL;
    if (!r || strncmp(r, "#/components/schemas/", 21) != 0) return s;
    *ref = r + 21;
    return json_object_get(json_object_get(json_object_get(doc, "components"), "schemas"), *ref);
}

static void load_schemas(void)
{
    doc = json_loadb(yq_data_openapi_json, yq_data_openapi_json_len, 0, NULL);
    FUZZ_CHECK(doc);
    const char *path, *method;
    json_t *ops, *op;
    json_object_foreach(json_object_get(doc, "paths"), path, ops)
    {
        json_object_foreach(ops, method, op)
        {
            json_t *s = json_object_get(
                json_object_get(json_object_get(json_object_get(op, "requestBody"), "content"),
                                "application/json"),
                "schema");
            if (!s || nschemas == MAX_SCHEMAS) continue;
            struct schema *sc = &schemas[nschemas];
            s = resolve(s, &sc->ref);
            FUZZ_CHECK(s);
            snprintf(names[nschemas], sizeof names[0], "%s %s", method, path);
            sc->name = names[nschemas];
            sc->props = json_object_get(s, "properties");
            sc->required = json_object_get(s, "required");
            nschemas++;
        }
    }
    FUZZ_CHECK(nschemas >= 30); /* the API has 31 JSON bodies */
}

static void check_problem(const struct problem *p, int rc)
{
    FUZZ_CHECK(rc < 0 && p->status == rc && p->code[0] && p->message[0]);
}

/* Whether a field name in a problem may have been cut to fit (a problem
 * keeps 127 bytes of it). */
static bool cut(const char *field)
{
    return strlen(field) + 4 >= sizeof((struct problem *)0)->field;
}

static bool is_required(const struct schema *sc, const char *field)
{
    size_t i;
    json_t *v;
    json_array_foreach(sc->required, i,
                       v) if (strcmp(json_string_value(v), field) == 0) return true;
    return false;
}

/* The core rule a string field of this name goes through, if any. */
static void string_rules(const char *field, json_t *prop, const char *s)
{
    struct problem p;
    problem_clear(&p);
    int rc = YQ_OK;
    const char *format = json_string_value(json_object_get(prop, "format"));
    char code[USCC_LEN + 1];
    int32_t day;
    int64_t ms;
    struct period period;
    if (strcmp(field, "uscc") == 0)
        rc = uscc_validate(field, s, code, &p);
    else if (strcmp(field, "username") == 0)
        rc = validate_username(field, s, &p);
    else if (strcmp(field, "password") == 0)
        rc = validate_password(field, s, &p);
    else if (format && strcmp(format, "date") == 0)
        rc = clock_parse_date(s, &day);
    else if (format && strcmp(format, "date-time") == 0)
        rc = clock_parse_iso(s, &ms);
    else if (strcmp(field, "period") == 0)
        rc = period_parse(s, &period);
    else if (strcmp(field, "text") == 0 || strcmp(field, "evidence") == 0)
        rc = validate_paragraphs(field, field, s, 2000, &p);
    else
        rc = validate_text(field, field, s, 200, &p);
    if (rc != YQ_OK && p.code[0]) FUZZ_CHECK(strcmp(p.field, field) == 0);
    if (rc == YQ_OK && strcmp(field, "uscc") != 0 && !format && strcmp(field, "period") != 0 &&
        strcmp(field, "password") != 0)
        FUZZ_CHECK(utf8_length(s) >= 0);
}

static void check_field(const struct schema *sc, json_t *body, const char *field, json_t *prop)
{
    struct problem p;
    problem_clear(&p);
    bool required = is_required(sc, field);
    json_t *v = json_object_get(body, field);
    bool absent = !v || json_is_null(v);
    const char *type = json_string_value(json_object_get(prop, "type"));
    int rc;
    if (type && strcmp(type, "string") == 0) {
        const char *s = NULL;
        rc = json_get_string(body, field, required, &s, &p);
        if (rc == YQ_OK && s) {
            FUZZ_CHECK(json_is_string(v) && strcmp(s, json_string_value(v)) == 0);
            string_rules(field, prop, s);
        }
        if (rc == YQ_OK) FUZZ_CHECK(s || absent);
        if (rc != YQ_OK) FUZZ_CHECK(strcmp(p.field, field) == 0);
        FUZZ_CHECK((rc == YQ_OK) == (absent ? !required
                                            : json_is_string(v) && strlen(json_string_value(v)) ==
                                                                       json_string_length(v)));
    } else if (type && strcmp(type, "integer") == 0) {
        int64_t n = -42;
        rc = json_get_int(body, field, required, &n, &p);
        if (rc == YQ_OK && !absent) FUZZ_CHECK(json_is_integer(v) && n == json_integer_value(v));
        if (rc != YQ_OK) FUZZ_CHECK(strcmp(p.field, field) == 0);
    } else if (type && strcmp(type, "boolean") == 0) {
        bool b = false;
        rc = json_get_bool(body, field, required, &b, &p);
        FUZZ_CHECK((rc == YQ_OK) == (absent ? !required : json_is_boolean(v)));
        if (rc == YQ_OK && !absent) FUZZ_CHECK(b == json_is_true(v));
    } else {
        return;
    }
    if (rc != YQ_OK) check_problem(&p, rc);
}

static void check_services(const struct schema *sc, json_t *body)
{
    struct problem p;
    problem_clear(&p);
    if (sc->ref &&
        (strcmp(sc->ref, "EnterpriseEdit") == 0 || strcmp(sc->ref, "ProviderEdit") == 0)) {
        json_t *columns = json_object();
        int rc = party_fields_check(sc->ref[0] == 'E' ? PARTY_ENTERPRISE : PARTY_PROVIDER, body,
                                    columns, &p);
        if (rc != YQ_OK) {
            check_problem(&p, rc);
            FUZZ_CHECK(!p.field[0] || cut(p.field) || json_object_get(body, p.field) ||
                       strchr(p.field, '.') || strchr(p.field, '['));
        }
        json_decref(columns);
    }
    json_t *params = json_object_get(body, "parameters");
    if (json_is_object(params)) {
        struct program_params pp;
        int rc = program_params_parse(params, &pp, &p);
        if (rc != YQ_OK) {
            check_problem(&p, rc);
        } else {
            char msg[160];
            FUZZ_CHECK(policy_check(&pp.policy, msg, sizeof msg) == YQ_OK);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!doc) load_schemas();
    if (size < 1) return 0;
    const struct schema *sc = &schemas[data[0] % nschemas];
    const char *text = (const char *)data + 1;
    size_t len = size - 1;

    struct problem p;
    problem_clear(&p);
    json_t *body = (json_t *)1;
    int rc = json_parse_object(text, len, &body, &p);
    if (rc != YQ_OK) {
        FUZZ_CHECK(body == NULL && rc == YQ_EBADREQ && strcmp(p.code, "malformed_json") == 0);
        return 0;
    }
    FUZZ_CHECK(json_is_object(body));

    /* Written out and read again, the body is the same object. */
    char *dumped = json_dumps(body, JSON_COMPACT | JSON_ENCODE_ANY);
    FUZZ_CHECK(dumped);
    json_t *again = NULL;
    FUZZ_CHECK(json_parse_object(dumped, strlen(dumped), &again, &p) == YQ_OK);
    FUZZ_CHECK(json_equal(body, again));
    json_decref(again);
    free(dumped);

    if (sc->props) {
        const char *allowed[MAX_FIELDS + 1];
        int n = 0;
        const char *key;
        json_t *prop;
        json_object_foreach(sc->props, key, prop) if (n < MAX_FIELDS) allowed[n++] = key;
        allowed[n] = NULL;
        problem_clear(&p);
        rc = json_only_fields(body, allowed, &p);
        if (rc != YQ_OK) {
            check_problem(&p, rc);
            FUZZ_CHECK(cut(p.field) ||
                       (json_object_get(body, p.field) && !json_object_get(sc->props, p.field)));
        }
        json_object_foreach(sc->props, key, prop) check_field(sc, body, key, prop);
    }
    check_services(sc, body);
    json_decref(body);
    return 0;
}
