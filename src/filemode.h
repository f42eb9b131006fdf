/* Who may read husly's files. Databases, key files, bundles and print-outs hold residents' data:
 * they are made 0600, or 0660 owned by husly.conf's `group` on a shared install, where several
 * staff logins use one database. A database or key file that others can read is refused. */
#ifndef HUSLY_FILEMODE_H
#define HUSLY_FILEMODE_H

#include <sys/types.h>

/* The group of a shared install (husly.conf `group`; "" or NULL for none). Returns 0, or -1
 * with *err when no such group exists. */
int filemode_set_group(const char *name, char **err);
/* The mode of a new file (0600 or 0660) and of a directory husly makes (0700 or 02770: the
 * set-group-id bit gives the files made in it, SQLite's -wal and -shm included, the group). */
mode_t filemode_file(void);
mode_t filemode_dir(void);
/* Gives an open file husly's mode and, on a shared install, the group: the mode given to
 * open() is cut down by the umask, so it is set again here. Returns 0 or -1 (errno set). */
int filemode_apply(int fd);
/* The same for a directory husly has just made. */
int filemode_apply_dir(const char *path);
/* Refuses (-1 with *err naming the file, its mode and the chmod that fixes it) a file that
 * users other than its owner (and the configured group) can read or write. what names it as a
 * message says it (translated): _("the database"). A file that does not exist passes (its creator makes it private). */
int filemode_check_private(const char *path, const char *what, char **err);

/* On a shared install: refuses (-1 with *err and the chmod/chgrp that mends it) a database
 * whose directory is not the group's with the set-group-id bit, for SQLite makes the -wal and
 * -shm files there with its writer's own group otherwise. 0 when there is no group. */
int filemode_check_shared_dir(const char *db_path, char **err);

#endif
