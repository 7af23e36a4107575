/* Handlers: CSV import of enterprises by a county's 经信 department
 * (issue 10). The file comes as multipart/form-data, field "file";
 * ?dry_run=1 previews, without it the import commits or changes nothing. */
#include "api/api.h"
#include "core/import_columns.h"
#include "core/status.h"
#include "http/multipart.h"
#include "service/enterprise_import.h"

#include <stdlib.h>
#include <string.h>

void h_enterprises_import_template(struct request *req)
{
    size_t len;
    char *csv = enterprise_import_template(&len);
    http_reply_text(req, 200, "text/csv; charset=utf-8", csv, len);
    /* 企业导入模板.csv */
    http_add_header(req, "Content-Disposition",
                    "attachment; filename=\"enterprise-import-template.csv\"; filename*=UTF-8''"
                    "%E4%BC%81%E4%B8%9A%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.csv");
    free(csv);
}

void h_enterprises_import(struct request *req)
{
    const char *dry = api_query(req, "dry_run");
    bool preview = dry && (strcmp(dry, "1") == 0 || strcmp(dry, "true") == 0);
    if (dry && !preview && strcmp(dry, "0") != 0 && strcmp(dry, "false") != 0) {
        http_reply_error(req, 422, "invalid_field", "dry_run", "dry_run 须为 1 或 0");
        return;
    }
    /* A county official imports into its own county; naming another one
     * is refused by the use case. */
    const char *county = api_query(req, "county_code");
    if (!county) county = req->actor.user.county_code;
    struct multipart_part part;
    if (!api_upload(req, &part)) return;
    struct problem p;
    problem_clear(&p);
    struct import_request rq = {county, part.data, part.len, !preview, NULL, NULL};
    json_t *out = NULL;
    int rc = enterprise_import(req->db, &req->actor, &rq, &out, &p);
    if (rc == YQ_OK) {
        http_reply_json(req, preview ? 200 : 201, out);
        return;
    }
    if (out) {
        /* Refused for the rows' errors: the error carries them. */
        json_t *error =
            json_pack("{s:s, s:s, s:s}", "code", p.code, "message", p.message, "field", p.field);
        json_object_update(error, out);
        json_decref(out);
        http_reply_json(req, 422, json_pack("{s:o}", "error", error));
        return;
    }
    if (rc == YQ_ELIMIT) {
        http_reply_error(req, 413, p.code, p.field, "%s", p.message);
        return;
    }
    http_reply_problem(req, &p);
}
