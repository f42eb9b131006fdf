#include "filemode.h"

#include "i18n.h"
#include "util.h"

#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int have_group;
static gid_t group_id;
static char group_name[64];

int filemode_set_group(const char *name, char **err)
{
	have_group = 0;
	group_name[0] = '\0';
	if (str_empty(name))
		return 0;
	const struct group *g = getgrnam(name);
	if (!g) {
		*err = xasprintf(_("group '%s' does not exist on this machine"), name);
		return -1;
	}
	have_group = 1;
	group_id = g->gr_gid;
	strlcpy_trunc(group_name, name, sizeof(group_name));
	return 0;
}

mode_t filemode_file(void)
{
	return have_group ? 0660 : 0600;
}

mode_t filemode_dir(void)
{
	return have_group ? 02770 : 0700;
}

int filemode_apply(int fd)
{
	if (have_group && fchown(fd, (uid_t)-1, group_id) != 0)
		return -1;
	return fchmod(fd, filemode_file());
}

int filemode_apply_dir(const char *path)
{
	if (have_group && chown(path, (uid_t)-1, group_id) != 0)
		return -1;
	return chmod(path, filemode_dir());
}

/* Whether the group bits of a file with this owner group are allowed: only on a shared install,
 * and only for its group. */
static int group_allowed(const struct stat *sb)
{
	return have_group && sb->st_gid == group_id;
}

int filemode_check_shared_dir(const char *db_path, char **err)
{
	if (!have_group)
		return 0;
	const char *slash = strrchr(db_path, '/');
	char *dir = !slash	     ? xstrdup(".")
		    : slash == db_path ? xstrdup("/")
				       : xasprintf("%.*s", (int)(slash - db_path), db_path);
	struct stat sb;
	int rc = 0;
	if (stat(dir, &sb) == 0 && (sb.st_gid != group_id || !(sb.st_mode & S_ISGID))) {
		*err = xasprintf(_("%s: the database's directory must belong to the group %s and pass "
				   "it on to the files made in it, or other staff cannot open them: "
				   "chgrp %s %s && chmod 2770 %s"),
				 db_path, group_name, group_name, dir, dir);
		rc = -1;
	}
	free(dir);
	return rc;
}

int filemode_check_private(const char *path, const char *what, char **err)
{
	struct stat sb;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return 0;
	mode_t open_to = sb.st_mode & (S_IRWXG | S_IRWXO);
	if (group_allowed(&sb))
		open_to &= ~(mode_t)S_IRWXG;
	if (!open_to)
		return 0;
	const char *who = (open_to & S_IRWXO) ? _("every user of this machine")
					      : _("the members of its group");
	unsigned mode = (unsigned)(sb.st_mode & 07777);
	if (have_group)
		*err = xasprintf(_("%s: %s is open to %s (mode %04o), and husly will not use it. "
				   "Make it the group's alone: chgrp %s %s && chmod 660 %s"),
				 path, what, who, mode, group_name, path, path);
	else
		*err = xasprintf(_("%s: %s is open to %s (mode %04o), and husly will not use it. "
				   "Make it private: chmod 600 %s (or set `group` in husly.conf for a "
				   "database shared by several logins)"),
				 path, what, who, mode, path);
	return -1;
}
