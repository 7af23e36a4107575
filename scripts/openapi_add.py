#!/usr/bin/python3
"""Adds operations to src/api/openapi.json from a compact description, in the
document's own style (errors by $ref, session + CSRF security on writes).
Usage: scripts/openapi_add.py SPEC.json  (a list of operations)."""
import json
import sys

DOC = "src/api/openapi.json"
ROLE_SETS = {
    "provider": ["provider"],
    "readers": ["provider", "county_it", "county_finance", "evaluator", "city_it",
                "city_finance", "auditor", "admin"],
    "any": ["any"],
}


def error(code):
    return {"$ref": "#/components/responses/Error"}


def main():
    doc = json.load(open(DOC))
    for op in json.load(open(sys.argv[1])):
        path, method = op["path"], op["method"].lower()
        roles = ROLE_SETS.get(op["roles"], None) if isinstance(op["roles"], str) else op["roles"]
        if roles is None:
            roles = [op["roles"]]
        o = {"summary": op["summary"], "x-roles": roles}
        if "description" in op:
            o["description"] = op["description"]
        if roles != ["public"]:
            o["security"] = [{"session": [], "csrf": []}] if method != "get" else [{"session": []}]
        params = []
        for name in op.get("path_params", []):
            params.append({"$ref": "#/components/parameters/id"} if name == "id" else
                          {"name": name, "in": "path", "required": True, "schema": {"type": "string"}})
        for name in op.get("query", []):
            params.append({"name": name, "in": "query", "required": False, "schema": {"type": "string"}})
        if op.get("paged"):
            params += [{"$ref": "#/components/parameters/page"}, {"$ref": "#/components/parameters/page_size"}]
        if params:
            o["parameters"] = params
        if "body" in op:
            if op["body"] == "multipart":
                o["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"], "properties": {"file": {
                        "type": "string", "format": "binary",
                        "description": "PDF、JPEG 或 PNG（按内容识别），不超过 20 MB"}}}}}}
            else:
                o["requestBody"] = {"required": True, "content": {"application/json": {"schema": op["body"]}}}
        ok = str(op.get("status", 201 if method == "post" and op.get("creates") else 200))
        resp = {ok: {"description": op.get("ok", "成功"),
                     "content": {op.get("content", "application/json"): {"schema": {"type": "object"}}}}}
        for code in op.get("errors", ["401", "403", "404", "409", "422"]):
            resp[code] = error(code)
        o["responses"] = resp
        doc["paths"].setdefault(path, {})[method] = o
    with open(DOC, "w") as f:
        json.dump(doc, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
