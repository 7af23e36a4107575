/* Uploaded evidence (contract attachments, redemption evidence): PDF, JPEG
 * or PNG recognised by their first bytes, not by their names; at most
 * 20 MiB; stored once under the data folder by SHA-256 (written to a
 * temporary file, synced, renamed). Content-addressed: a file stored for a
 * request that then fails is harmless (no row names it). */
#ifndef YQ_SERVICE_FILES_H
#define YQ_SERVICE_FILES_H

#include "core/problem.h"

#include <stddef.h>

#define FILES_MAX (20L * 1024 * 1024)

/* Checks and stores an upload. YQ_OK with its hash, content type (static)
 * and a cleaned file name; else p filled (YQ_ELIMIT for a file too
 * large, YQ_EINVAL for an empty or unsupported one, YQ_ERR storage). */
int files_accept(const char *data_dir, const char *filename, const void *data, size_t len,
                 char hash[65], const char **type, char clean_name[256], struct problem *p);
/* Opens a stored file for reading: a file descriptor, or -1 with p filled. */
int files_open(const char *data_dir, const char *sha256, struct problem *p);

#endif
