#include "config.h"

#include "util.h"

#include <confuse.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const role_names[] = {"reception", "night", "coordinator"};

const char *role_name(enum role r)
{
	return role_names[r];
}

/* libconfuse reports through a callback; we keep the first message, as "FILE:LINE: msg". */
static struct {
	const char *file; /* the file being parsed: libconfuse may pass NULL inside sections */
	cfg_t *top;
	char *message;
} parse;

static void on_error(cfg_t *cfg, const char *fmt, va_list ap)
{
	if (parse.message)
		return;
	/* parse.file: libconfuse reads the text from memory (see parse_file), not the file. */
	const char *file = parse.file ? parse.file : (cfg && cfg->filename ? cfg->filename : "?");
	int line = cfg && cfg->line ? cfg->line : (parse.top ? parse.top->line : 0);
	char *msg = xvasprintf(fmt, ap);
	parse.message = line ? xasprintf("%s:%d: %s", file, line, msg) : xasprintf("%s: %s", file, msg);
	free(msg);
}

static int validate_choice(cfg_t *cfg, cfg_opt_t *opt, const char *what,
			   const char *const *choices, size_t n)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);
	for (size_t i = 0; i < n; i++)
		if (v && strcmp(v, choices[i]) == 0)
			return 0;
	struct strbuf sb;
	sb_init(&sb);
	for (size_t i = 0; i < n; i++)
		sb_addf(&sb, "%s%s", i ? ", " : "", choices[i]);
	cfg_error(cfg, "%s '%s' is not one of: %s", what, v ? v : "", sb.buf);
	sb_free(&sb);
	return -1;
}

static int validate_role(cfg_t *cfg, cfg_opt_t *opt)
{
	return validate_choice(cfg, opt, "role", role_names, ARRAY_SIZE(role_names));
}

static int validate_language(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const langs[] = {"da", "en"};
	return validate_choice(cfg, opt, "language", langs, ARRAY_SIZE(langs));
}

static int validate_not_empty(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);
	if (str_empty(v)) {
		cfg_error(cfg, "'%s' must not be empty", cfg_opt_name(opt));
		return -1;
	}
	return 0;
}

static cfg_t *config_new(void)
{
	static cfg_opt_t staff_opts[] = {
		CFG_STR("name", NULL, CFGF_NONE),
		CFG_STR("role", "reception", CFGF_NONE),
		CFG_END(),
	};
	static cfg_opt_t opts[] = {
		CFG_STR("shelter", "", CFGF_NONE),
		CFG_STR("terminal", "", CFGF_NONE),
		CFG_STR("database", "", CFGF_NONE),
		CFG_STR("language", "da", CFGF_NONE),
		CFG_STR("print_command", "lpr", CFGF_NONE),
		CFG_SEC("staff", staff_opts, CFGF_MULTI | CFGF_TITLE),
		CFG_END(),
	};
	cfg_t *cfg = cfg_init(opts, CFGF_NONE);
	cfg_set_error_function(cfg, on_error);
	cfg_set_validate_func(cfg, "staff|role", validate_role);
	cfg_set_validate_func(cfg, "language", validate_language);
	cfg_set_validate_func(cfg, "print_command", validate_not_empty);
	return cfg;
}

/* Reads a configuration file into memory with its comments blanked out (every character but the
 * newlines becomes a space). libconfuse 3.3 miscounts lines after comments (a '#' line counts
 * three times), so it gets the file without them and its line numbers are the file's own.
 * libconfuse reports an unterminated string only at the end of the file; *bad_line is set to
 * the line where it began (the first string running past the end of its line: husly's values
 * are one line each), or 0 when every quote is closed. Returns the text (free it). */
static char *read_without_comments(FILE *f, int *bad_line)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		sb_addn(&sb, chunk, n);
	char *s = sb.buf;
	int line = 1, start = 0, first_multiline = 0;
	char quote = 0;
	enum { CODE, LINE_COMMENT, BLOCK_COMMENT } state = CODE;
	for (size_t i = 0; i < sb.len; i++) {
		char c = s[i];
		if (quote) {
			if (c == '\\' && i + 1 < sb.len) {
				if (s[++i] == '\n')
					line++;
				continue;
			}
			if (c == quote)
				quote = 0;
			else if (c == '\n' && !first_multiline)
				first_multiline = start;
		} else if (state == LINE_COMMENT) {
			if (c == '\n')
				state = CODE;
			else
				s[i] = ' ';
		} else if (state == BLOCK_COMMENT) {
			if (c == '*' && i + 1 < sb.len && s[i + 1] == '/') {
				s[i] = s[i + 1] = ' ';
				i++;
				state = CODE;
			} else if (c != '\n') {
				s[i] = ' ';
			}
		} else if (c == '"' || c == '\'') {
			quote = c;
			start = line;
		} else if (c == '#' || (c == '/' && i + 1 < sb.len && s[i + 1] == '/')) {
			state = LINE_COMMENT;
			s[i] = ' ';
		} else if (c == '/' && i + 1 < sb.len && s[i + 1] == '*') {
			state = BLOCK_COMMENT;
			s[i] = s[i + 1] = ' ';
			i++;
		}
		if (c == '\n')
			line++;
	}
	*bad_line = quote ? (first_multiline ? first_multiline : start) : 0;
	return s;
}

/* Parses one file into cfg. missing_ok: a file that does not exist is skipped. */
static int parse_file(cfg_t *cfg, const char *file, int missing_ok, char **err)
{
	FILE *f = fopen(file, "r");
	if (!f) {
		if (missing_ok && errno == ENOENT)
			return 0;
		*err = xasprintf("%s: %s", file, strerror(errno));
		return -1;
	}
	int bad_line;
	char *text = read_without_comments(f, &bad_line);
	int read_failed = ferror(f), read_errno = errno;
	fclose(f);
	if (read_failed) {
		*err = xasprintf("%s: %s", file, strerror(read_errno ? read_errno : EIO));
		free(text);
		return -1;
	}
	if (bad_line) {
		*err = xasprintf("%s:%d: unterminated string: a quote opened here is never closed",
				 file, bad_line);
		free(text);
		return -1;
	}
	parse.file = file;
	parse.top = cfg;
	parse.message = NULL;
	int rc = cfg_parse_buf(cfg, text);
	parse.top = NULL;
	free(text);
	if (rc == CFG_SUCCESS)
		return 0;
	*err = parse.message ? parse.message : xasprintf("%s: syntax error", file);
	parse.message = NULL;
	return -1;
}

char *config_user_file(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	if (!str_empty(xdg))
		return xasprintf("%s/husly/husly.conf", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.config/husly/husly.conf", str_empty(home) ? "." : home);
}

char *config_default_database(void)
{
	const char *xdg = getenv("XDG_DATA_HOME");
	if (!str_empty(xdg))
		return xasprintf("%s/husly/husly.db", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/husly/husly.db", str_empty(home) ? "." : home);
}

static char *default_terminal(void)
{
	char host[256];
	if (gethostname(host, sizeof(host)) != 0 || host[0] == '\0')
		return xstrdup("terminal");
	host[sizeof(host) - 1] = '\0';
	return xstrdup(host);
}

static enum role parse_role(const char *s)
{
	for (size_t i = 0; i < ARRAY_SIZE(role_names); i++)
		if (str_eq(s, role_names[i]))
			return (enum role)i;
	return ROLE_RECEPTION;
}

static void copy_values(struct config *c, cfg_t *cfg)
{
	c->shelter = xstrdup(cfg_getstr(cfg, "shelter"));
	const char *term = cfg_getstr(cfg, "terminal");
	c->terminal = str_empty(term) ? default_terminal() : xstrdup(term);
	const char *db = cfg_getstr(cfg, "database");
	c->database = str_empty(db) ? config_default_database() : xstrdup(db);
	c->database_is_default = str_empty(db);
	c->language = xstrdup(cfg_getstr(cfg, "language"));
	c->print_command = xstrdup(cfg_getstr(cfg, "print_command"));
	c->nstaff = cfg_size(cfg, "staff");
	c->staff = xcalloc(c->nstaff, sizeof(*c->staff));
	for (size_t i = 0; i < c->nstaff; i++) {
		cfg_t *s = cfg_getnsec(cfg, "staff", (unsigned)i);
		const char *name = cfg_getstr(s, "name");
		c->staff[i].login = xstrdup(cfg_title(s));
		c->staff[i].name = xstrdup(str_empty(name) ? cfg_title(s) : name);
		c->staff[i].role = parse_role(cfg_getstr(s, "role"));
	}
}

int config_load(struct config *c, const char *explicit_file, char **err)
{
	memset(c, 0, sizeof(*c));
	*err = NULL;
	cfg_t *cfg = config_new();
	int rc = 0;
	if (explicit_file) {
		rc = parse_file(cfg, explicit_file, 0, err);
	} else {
		char *user = config_user_file();
		rc = parse_file(cfg, SYSTEM_CONFIG, 1, err);
		if (rc == 0)
			rc = parse_file(cfg, user, 1, err);
		free(user);
	}
	if (rc == 0)
		copy_values(c, cfg);
	cfg_free(cfg);
	return rc;
}

void config_free(struct config *c)
{
	free(c->shelter);
	free(c->terminal);
	free(c->database);
	free(c->language);
	free(c->print_command);
	for (size_t i = 0; i < c->nstaff; i++) {
		free(c->staff[i].login);
		free(c->staff[i].name);
	}
	free(c->staff);
	memset(c, 0, sizeof(*c));
}

const struct staff_member *config_staff(const struct config *c, const char *login)
{
	for (size_t i = 0; i < c->nstaff; i++)
		if (str_eq(c->staff[i].login, login))
			return &c->staff[i];
	return NULL;
}
