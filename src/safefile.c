#include "safefile.h"

#include "i18n.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int safe_file_open(struct safe_file *sf, const char *path, char **err)
{
	memset(sf, 0, sizeof(*sf));
	sf->path = xstrdup(path);
	sf->tmp = xasprintf("%s.XXXXXX", path);
	int fd = mkstemp(sf->tmp); /* mode 0600 */
	sf->f = fd >= 0 ? fdopen(fd, "w") : NULL;
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
