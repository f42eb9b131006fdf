/* A file written whole or not at all: it is written beside its path under a temporary name,
 * mode 0600 (residents' data), flushed to the disk, and renamed into place only when complete;
 * a failure removes the temporary file and leaves an older file of that name as it was. A
 * path that is not a plain file (/dev/null, a named pipe) is written to directly. */
#ifndef HUSLY_SAFEFILE_H
#define HUSLY_SAFEFILE_H

#include <stdio.h>

struct safe_file {
	FILE *f;          /* write here */
	char *path, *tmp; /* tmp NULL: not a plain file (/dev/null, a pipe), written as it is */
};

/* Returns 0 with sf->f open, or -1 with *err set. */
int safe_file_open(struct safe_file *sf, const char *path, char **err);
/* ok: flush, sync and rename into place (-1 with *err when that fails); !ok: discard. Frees
 * what sf holds either way. */
int safe_file_close(struct safe_file *sf, int ok, char **err);

#endif
