/* The husly.conf fuzz target's body: see harness.h. */
#include "harness.h"

#include "config.h"
#include "lists.h"
#include "util.h"

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
	char *dir;  /* a private temporary directory */
	char *file; /* the configuration file made from the input */
} fc;

int fuzz_config_setup(char **why)
{
	if (fc.dir)
		return 0;
	setlocale(LC_ALL, "C.UTF-8");
	const char *tmp = getenv("TMPDIR");
	fc.dir = xasprintf("%s/husly-fuzz-XXXXXX", str_empty(tmp) ? "/tmp" : tmp);
	if (!mkdtemp(fc.dir)) {
		*why = xasprintf("mkdtemp %s: %s", fc.dir, strerror(errno));
		free(fc.dir);
		fc.dir = NULL;
		return -1;
	}
	fc.file = xasprintf("%s/husly.conf", fc.dir);
	return 0;
}

void fuzz_config_teardown(void)
{
	if (fc.file)
		unlink(fc.file);
	if (fc.dir)
		rmdir(fc.dir);
	free(fc.dir);
	free(fc.file);
	memset(&fc, 0, sizeof(fc));
}

static int write_input(const uint8_t *data, size_t size, char **why)
{
	FILE *f = fopen(fc.file, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0) {
		*why = xasprintf("cannot write %s: %s", fc.file, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	return 0;
}

int fuzz_config_run(const uint8_t *data, size_t size, char **why)
{
	*why = NULL;
	if (!fc.dir && fuzz_config_setup(why) != 0)
		return -1;
	if (write_input(data, size, why) != 0)
		return -1;
	struct config c;
	char *err = NULL;
	int rc = 0;
	if (config_load(&c, fc.file, &err) != 0) {
		/* "FILE:LINE: what" or "FILE: what": the message says where. */
		size_t n = strlen(fc.file);
		if (!err || strncmp(err, fc.file, n) != 0 || err[n] != ':')
			*why = xasprintf("a refusal that does not say where: %s", err ? err : "(none)"),
			rc = -1;
		free(err);
		return rc;
	}
	if (lists_configure(&c, &err) != 0) {
		*why = xasprintf("config_load accepted what lists_configure refuses: %s",
				 err ? err : "?");
		free(err);
		rc = -1;
	}
	lists_reset();
	config_free(&c);
	return rc;
}
