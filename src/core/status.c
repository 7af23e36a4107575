/* Names of the program-wide status codes. */
#include "core/status.h"

const char *yq_status_name(int status)
{
    switch (status) {
    case YQ_OK:
        return "ok";
    case YQ_EINVAL:
        return "invalid";
    case YQ_ENOTFOUND:
        return "not_found";
    case YQ_ECONFLICT:
        return "conflict";
    case YQ_EBUSY:
        return "busy";
    case YQ_EFORBIDDEN:
        return "forbidden";
    case YQ_EUNAUTH:
        return "unauthenticated";
    case YQ_ELIMIT:
        return "limit";
    case YQ_EBADREQ:
        return "bad_request";
    case YQ_ENOSPACE:
        return "no_space";
    case YQ_EIO:
        return "io_error";
    default:
        return "error";
    }
}
