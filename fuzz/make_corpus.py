#!/usr/bin/python3
"""Writes the seed corpora of fuzz/corpus/<target>/: small valid and
near-valid inputs for each libFuzzer target. Rerun after changing it; the
files are committed so that a fresh clone fuzzes from the same seeds."""
import json
import os
import struct

ROOT = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(ROOT, "corpus")


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def uscc():
    for i, s in enumerate(["91370811MA3C0000X1", "91350100M000100Y43", "91370811ma3c0000x1",
                           "  91350100M000100Y43\t", "91370811MA3C0000X2", "91350100M000100Y4",
                           "91350100M000100Y43 ", "9137081IMA3C0000X1", "11111111111111111O"]):
        write("uscc", "%02d" % i, s)


def voucher_code():
    for i, s in enumerate(["YQ2019-370811-000001-F", "YQ2019-370811-999999-X",
                           "yq2019-370811-000001-f", "YQ2019-370811-000001-G",
                           "YQ2019-370811-00001-F", "YQ2019_370811_000001_F"]):
        write("voucher_code", "%02d" % i, s)
    write("voucher_code", "make", bytes([0x07, 0xe3]) + b"370811" + b"\x00" + bytes([0, 3, 0xe9]))


def dates():
    for i, s in enumerate(["2019-01-05", "2020-02-29", "2019-02-29", "1900-01-01", "9999-12-31",
                           "2019-1-5", "2019-01-05T08:30:00+08:00", "2019-01-05 08:30:00Z",
                           "2019-01-05T08:30:00.123-05:30", "2019-01-05T24:00:00Z", "2019H1",
                           "2100H2", "1999H2", "2019h1", "2019H3"]):
        write("dates", "%02d" % i, s)


def money():
    # Bytes drive numbers: <64 picks an edge value, <160 a 16-bit number,
    # else eight raw bytes (fuzz/money.c).
    write("money", "zero", b"")
    write("money", "two-lines", bytes([2, 1, 100, 0, 3, 100, 0x27, 0x10, 0, 100, 0, 5]) +
          bytes([100, 0x0b, 0xb8, 100, 0x01, 0xf4, 0, 30, 3]) + bytes([1, 18, 30, 0, 1]))
    write("money", "overflow", bytes([1, 1, 10, 10, 1, 11, 11]))
    write("money", "deduction-bp", bytes([0] * 20) + bytes([100, 1, 77, 1, 0, 2, 1, 1, 100, 1, 244]))
    write("money", "raw", bytes([3]) + bytes([255]) + struct.pack(">q", 123456789) +
          bytes([255]) + struct.pack(">q", 98765))


def csv():
    write("csv", "holidays", "date,kind,name\n2019-01-01,holiday,元旦\n2019-02-02,workday,春节\n")
    write("csv", "quoted", 'a,"b,c","d""e"\r\n"multi\nline",x,\r\n')
    write("csv", "counties", "code,name,short,target,pilot\n370811,任城区,任城,120,yes\n")
    write("csv", "gbk", "名称,地址\n".encode("gbk") + "济宁市,任城区\n".encode("gbk"))
    write("csv", "utf8-bom", "\ufeffa,b\n1,2\n")
    write("csv", "bad-quote", 'a,b"c\n')
    write("csv", "unterminated", '"abc\n')
    write("csv", "blank-lines", "\n\r\na\n\n\nb,c")


def csv_import():
    header = "统一社会信用代码,企业名称,法定代表人,注册地址,手机号码,电子邮箱,是否独立法人,所属行业,员工人数,重点产业标签,优先支持类别\n"
    row = "91370811MA3C0000X1,济宁某科技有限公司,张三,任城区某路1号,13800000000,a@b.cn,是,C 制造业,\"1,200\",,科技型\n"
    write("csv_import", "utf8", header + row)
    write("csv_import", "utf8-bom", "\ufeff" + header + row)
    write("csv_import", "gbk", (header + row).encode("gbk"))
    write("csv_import", "gbk-excel-crlf", (header + row).replace("\n", "\r\n").encode("gbk"))
    write("csv_import", "utf16", (header + row).encode("utf-16"))
    write("csv_import", "broken-utf8", header.encode() + b"\xe6\xb5\n" + row.encode())
    write("csv_import", "cells", "  是 ,否,Y,0,35.0,\"1,200\",9.13708E+17,\u3000C制造业\u3000,从业人数（人）,*企业名称\n")


def multipart():
    b = "XyZ"
    body = ("--%s\r\nContent-Disposition: form-data; name=\"file\"; filename=\"合同.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n%%PDF-1.4 data\r\n--%s--\r\n" % (b, b))
    write("multipart", "one-file", "multipart/form-data; boundary=%s\nfile\n%s" % (b, body))
    two = ("--%s\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--%s\r\n"
           "Content-Disposition: form-data; name=\"file\"; filename=x.pdf\r\n\r\nABC\r\n--%s--\r\n"
           % (b, b, b))
    write("multipart", "two-parts", "multipart/form-data; boundary=\"%s\"\nnote\n%s" % (b, two))
    write("multipart", "no-boundary", "multipart/form-data\nfile\n--x\r\n\r\n")
    write("multipart", "filename-first", "multipart/form-data; boundary=%s\nfile\n--%s\r\n"
          "Content-Disposition: form-data; filename=\"name=file\"; name=file\r\n\r\nZ\r\n--%s--"
          % (b, b, b))
    write("multipart", "truncated", "multipart/form-data; boundary=%s\nfile\n--%s\r\n"
          "Content-Disposition: form-data; name=\"file\"\r\n\r\nno end" % (b, b))


def router():
    methods = ["GET", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"]
    paths = [("GET", "/healthz"), ("GET", "/api/v1/users/abc"), ("POST", "/api/v1/users/u1/lock"),
             ("PATCH", "/api/v1/enterprises/e-1"), ("GET", "/api/v1/vouchers/YQ2019-370811-000001-F"),
             ("POST", "/api/v1/budgets/370811/2019/fund"), ("DELETE", "/api/v1/users/abc"),
             ("HEAD", "/api/v1/openapi.json"), ("GET", "/api/v1//users"), ("GET", "/api/v1/users/"),
             ("GET", "/api/v1/users/" + "a" * 130), ("GET", "/nope")]
    for i, (m, p) in enumerate(paths):
        write("router", "%02d" % i, bytes([methods.index(m)]) + p.encode())
    write("router", "custom-method", b"\xf0BREW\n/api/v1/users")


def workdays():
    here = os.path.dirname(ROOT)
    with open(os.path.join(here, "data", "cn-holidays.csv"), "rb") as f:
        write("workdays", "official", f.read())
    write("workdays", "small", "date,kind,name\n2019-01-01,holiday,元旦\n2019-02-02,workday,春节\n"
          "2019-02-04,holiday,春节\n")
    write("workdays", "late-december", "date,kind\n2018-12-30,holiday\n2018-12-31,holiday\n"
          "2019-01-01,holiday\n")
    write("workdays", "bad-kind", "date,kind\n2019-01-01,feast\n")
    write("workdays", "bad-date", "date,kind\n2019-13-01,holiday\n")


def body_json():
    doc = json.load(open(os.path.join(os.path.dirname(ROOT), "src", "api", "openapi.json")))
    samples = {
        "string": "任城区", "integer": 100, "boolean": True, "array": ["a"], "object": {},
    }
    i = params_index = 0
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            s = (((op.get("requestBody") or {}).get("content") or {}).get("application/json") or
                 {}).get("schema")
            if not s:
                continue
            if "$ref" in s:
                s = doc["components"]["schemas"][s["$ref"].split("/")[-1]]
            body = {}
            for k, prop in (s.get("properties") or {}).items():
                t = prop.get("type")
                t = t[0] if isinstance(t, list) else t
                if k == "uscc":
                    body[k] = "91370811MA3C0000X1"
                elif prop.get("format") == "date":
                    body[k] = "2019-03-01"
                elif k == "period":
                    body[k] = "2019H1"
                elif k == "password":
                    body[k] = "correct horse battery"
                elif k == "username":
                    body[k] = "ent_rencheng"
                elif "enum" in prop:
                    body[k] = prop["enum"][0]
                else:
                    body[k] = samples.get(t, "x")
            if path.endswith("/parameters"):
                params_index = i
            write("json", "%02d-%s" % (i, method), bytes([i]) + json.dumps(body, ensure_ascii=False).encode())
            i += 1
    with open(os.path.join(os.path.dirname(ROOT), "data", "programs", "jining-2018.json"), "rb") as f:
        program = json.load(f)
    params = program.get("parameters", program)
    # The target picks the operation by first byte, in document order.
    write("json", "program-parameters", bytes([params_index]) + json.dumps(
        {"parameters": params, "reason": "年度调整"}, ensure_ascii=False).encode())
    write("json", "empty", bytes([0]))
    write("json", "blank", bytes([1]) + b" \r\n\t")
    write("json", "array", bytes([2]) + b"[1,2]")
    write("json", "dup", bytes([3]) + b'{"a":1,"a":2}')
    write("json", "big-int", bytes([4]) + b'{"amount_fen": 92233720368547758070}')
    write("json", "nul", bytes([6]) + b'{"name":"a\\u0000b"}')


def dictionaries():
    """fuzz/<target>.dict: the words the inputs are made of."""
    doc = json.load(open(os.path.join(os.path.dirname(ROOT), "src", "api", "openapi.json")))
    words = set()

    def walk(o):
        if isinstance(o, dict):
            for k, v in o.items():
                if k == "properties":
                    words.update(v.keys())
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(doc)
    json_words = sorted('"%s"' % w for w in words) + ['"{"', '"}"', '"["', '"]"', '":"', '","',
                                                     '"null"', '"true"', '"false"', '"\\\\u0000"']
    segments = sorted({seg for p in doc["paths"] for seg in p.split("/") if seg})
    multipart_words = ["multipart/form-data", "boundary=", "Content-Disposition: form-data",
                       "name=", "filename=", "\\x0d\\x0a", "\\x0d\\x0a\\x0d\\x0a", "--"]
    for target, entries in (("json", json_words),
                            ("router", ['"/%s"' % s for s in segments]),
                            ("multipart", ['"%s"' % w for w in multipart_words])):
        with open(os.path.join(ROOT, target + ".dict"), "w") as f:
            f.write("# Written by fuzz/make_corpus.py\n")
            for e in entries:
                f.write(e + "\n")


if __name__ == "__main__":
    for f in (uscc, voucher_code, dates, money, csv, csv_import, multipart, router, workdays, body_json,
              dictionaries):
        f()
