#include "safefile.h"

#include "filemode.h"
#include "i18n.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Something that is not a plain file (/dev/null, a pipe, a terminal) is written to as it is:
 * renaming over it would replace a device with a file. */
static int open_special(struct safe_file *sf, const char *path, char **err)
{
	sf->f = fopen(path, "w");
	if (!sf->f) {
		*err = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
		return -1;
	}
	sf->path = xstrdup(path);
	return 0;
}

int safe_file_open(struct safe_file *sf, const char *path, char **err)
{
	memset(sf, 0, sizeof(*sf));
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
		return open_special(sf, path, err);
	sf->path = xstrdup(path);
	sf->tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(sf->tmp); /* mode 0600; 0660 with the group of a shared install */
	sf->f = fd >= 0 && filemode_apply(fd) == 0 ? fdopen(fd, "w") : NULL;
	if (sf->f)
		return 0;
	*err = xasprintf(_("cannot write %s: %s"), path, strerror(errno));
	if (fd >= 0) {
		close(fd);
		unlink(sf->tmp);
	}
	free(sf->path);
	free(sf->tmp);
	memset(sf, 0, sizeof(*sf));
	return -1;
}

int safe_file_close(struct safe_file *sf, int ok, char **err)
{
	int failed = !ok;
	if (!sf->tmp) { /* a device or a pipe */
		if (fclose(sf->f) != 0 && ok) {
			*err = xasprintf(_("cannot write %s: %s"), sf->path, strerror(errno));
			failed = 1;
		}
		free(sf->path);
		memset(sf, 0, sizeof(*sf));
		return failed ? -1 : 0;
	}
	if (ok && (fflush(sf->f) != 0 || fsync(fileno(sf->f)) != 0))
		failed = 1;
	if (fclose(sf->f) != 0)
		failed = 1;
	if (!failed && rename(sf->tmp, sf->path) != 0)
		failed = 1;
	if (failed && ok)
		*err = xasprintf(_("cannot write %s: %s"), sf->path, strerror(errno));
	if (failed)
		unlink(sf->tmp);
	free(sf->path);
	free(sf->tmp);
	memset(sf, 0, sizeof(*sf));
	return failed ? -1 : 0;
}
