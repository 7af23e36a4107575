/* One status type for the whole program: YQ_OK on success, a negative code
 * on failure. The message that explains a failure lives on the context that
 * failed (db handle, request), never in a global. */
#ifndef YQ_CORE_STATUS_H
#define YQ_CORE_STATUS_H

enum yq_status {
    YQ_OK = 0,
    YQ_ERR = -1,        /* internal error */
    YQ_EINVAL = -2,     /* bad input */
    YQ_ENOTFOUND = -3,  /* no such record (or out of scope) */
    YQ_ECONFLICT = -4,  /* uniqueness or state conflict */
    YQ_EBUSY = -5,      /* database busy after retries */
    YQ_EFORBIDDEN = -6, /* authenticated but not allowed */
    YQ_EUNAUTH = -7,    /* not authenticated */
    YQ_ELIMIT = -8,     /* throttled or over a size cap */
    YQ_EBADREQ = -9,    /* request malformed (not JSON, wrong shape) */
    YQ_ENOSPACE = -10,  /* storage full (disk, quota): nothing was written */
    YQ_EIO = -11,       /* storage I/O error (a failed write or fsync) */
};

/* Short English name of a status, for logs. Never NULL. */
const char *yq_status_name(int status);

#endif
