/* Handlers: what the operator says about the site (the footer of a
 * government site: 主办单位, 承办单位, contact, ICP 备案号, 政府网站标识码)
 * and the texts a sign-up consents to. Both come from the server's
 * configuration (cli/config.h), read once at start: cheap and cacheable. */
#include "api/api.h"
#include "http/json.h"

#include <string.h>

static const char default_agreement[] =
    "济宁市云服务券平台用户协议\n\n"
    "一、本平台由济宁市有关主管部门主办，用于企业与云服务商办理云服务券（以下简称“云券”）的"
    "注册、申领、签约、兑现等业务。\n"
    "二、注册单位应如实填写统一社会信用代码、名称、联系人等信息，并上传真实、有效的营业执照；"
    "因信息不实造成的后果由注册单位承担。\n"
    "三、注册单位应妥善保管账号和密码，对以本账号进行的全部操作负责；发现账号被盗用应立即修改密码"
    "并联系平台运营单位。\n"
    "四、云券仅用于购买已纳入服务目录的云服务，不得转让、套现或虚构交易；"
    "经查实的违规行为将按政策列入信用负面清单，并追回已拨付资金。\n"
    "五、平台依据政策对注册资料、合同与兑现申请进行审核，审核结果以平台记录为准。\n"
    "六、本协议的修订将在平台公布；修订后继续使用平台即视为同意修订后的协议。";

static const char default_privacy[] =
    "济宁市云服务券平台隐私政策\n\n"
    "一、收集的信息：为办理云券业务，平台收集单位名称、统一社会信用代码、营业执照、"
    "法定代表人、联系人姓名、手机号码、电子邮箱、开户银行信息，以及登录与操作记录。\n"
    "二、使用目的：上述信息仅用于资格审核、签约与兑现、资金拨付、监督检查与统计分析，"
    "不用于与云券业务无关的用途。\n"
    "三、共享与公开：除依政策须公示的信息（如兑现公示、信用负面清单）及法律法规要求外，"
    "平台不向第三方提供注册单位的信息。\n"
    "四、保存与安全：信息保存在政务云环境中，按国家有关规定采取访问控制、加密传输、"
    "审计留痕等措施；营业执照仅申请单位和审核人员可以查看。\n"
    "五、您的权利：注册单位可登录平台查询、更正本单位资料；对个人信息处理有疑问的，"
    "可通过页脚所列联系方式咨询。";

/* Adds key: value when the operator set it. */
static void set_if(json_t *o, const char *key, const char *value)
{
    if (value && value[0]) json_object_set_new(o, key, json_string(value));
}

void h_public_site(struct request *req)
{
    const struct api_options *opt = api_options();
    json_t *o = json_object();
    set_if(o, "host_org", opt->site_host_org);
    set_if(o, "operator_org", opt->site_operator_org);
    set_if(o, "contact", opt->site_contact);
    set_if(o, "icp", opt->site_icp);
    set_if(o, "gov_code", opt->site_gov_code);
    http_add_header(req, "Cache-Control", "public, max-age=300");
    http_reply_json(req, 200, o);
}

const char *api_agreement_version(void)
{
    const char *v = api_options()->agreement_version;
    return v && v[0] ? v : "2026-1";
}

void h_public_agreements(struct request *req)
{
    const struct api_options *opt = api_options();
    const char *agreement = opt->agreement_text ? opt->agreement_text : default_agreement;
    const char *privacy = opt->privacy_text ? opt->privacy_text : default_privacy;
    http_add_header(req, "Cache-Control", "public, max-age=300");
    http_reply_json(req, 200,
                    json_pack("{s:s, s:s, s:s}", "version", api_agreement_version(),
                              "user_agreement", agreement, "privacy_notice", privacy));
}
