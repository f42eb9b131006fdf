#include "config.h"

#include "clock.h"

#include "lists.h"
#include "util.h"

#include <confuse.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const role_names[] = {"reception", "night", "coordinator", "read-only"};

const char *role_name(enum role r)
{
	return role_names[r];
}

/* libconfuse reports through a callback; we keep the first message, as "FILE:LINE: msg". */
static struct {
	const char *file; /* the file being parsed: libconfuse may pass NULL inside sections */
	const char *text; /* its text, as libconfuse reads it (see read_without_comments) */
	cfg_t *top;
	char *message;
	struct config *conf; /* where the list entries and steps go as they are read */
} parse;

/* Reports a mistake at a line of our own choosing (on_error takes libconfuse's). */
static void error_at(int line, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void error_at(int line, const char *fmt, ...)
{
	if (parse.message)
		return;
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	parse.message = xasprintf("%s:%d: %s", parse.file ? parse.file : "?", line, msg);
	free(msg);
}

static int is_word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* The line where the section "keyword title" that closes on line `end` opens: libconfuse gives
 * a section the line of its closing brace, and a list value the line of its last element. The
 * last "keyword title" (title NULL: "keyword =") outside quotes at or before that line; `end`
 * if there is none. */
static int opening_line(const char *keyword, const char *title, int end)
{
	const char *s = parse.text;
	if (!s)
		return end;
	size_t klen = strlen(keyword), tlen = title ? strlen(title) : 0;
	int line = 1, found = end;
	char quote = 0;
	for (const char *p = s; *p && line <= end; p++) {
		if (quote) {
			if (*p == '\\' && p[1]) {
				if (*++p == '\n')
					line++;
			} else if (*p == quote) {
				quote = 0;
			} else if (*p == '\n') {
				line++;
			}
			continue;
		}
		if (*p == '\n') {
			line++;
		} else if (*p == '"' || *p == '\'') {
			quote = *p;
		} else if (strncmp(p, keyword, klen) == 0 && (p == s || !is_word_char(p[-1])) &&
			   !is_word_char(p[klen])) {
			const char *q = p + klen;
			while (*q && strchr(" \t\r\n", *q))
				q++;
			if (!title) {
				if (*q == '=' || *q == '+')
					found = line;
				continue;
			}
			if (*q == '"' || *q == '\'')
				q++;
			if (strncmp(q, title, tlen) == 0 && !is_word_char(q[tlen]))
				found = line;
		}
	}
	return found;
}

static void on_error(cfg_t *cfg, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
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

/* A staff member is given one of the three roles; read-only is what the table's absence of a
 * login means, not a role to hand out. */
static int validate_role(cfg_t *cfg, cfg_opt_t *opt)
{
	return validate_choice(cfg, opt, "role", role_names, 3);
}

/* An unknown login may be given a role without power over others' data: never coordinator
 * (erase, audit, conflicts, import), which needs a name in the staff table. */
static int validate_unknown_login(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const allowed[] = {"read-only", "night", "reception"};
	return validate_choice(cfg, opt, "unknown_login", allowed, ARRAY_SIZE(allowed));
}

static int validate_group(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);
	if (v && *v && !getgrnam(v)) {
		cfg_error(cfg, "group '%s' does not exist on this machine", v);
		return -1;
	}
	return 0;
}

static int validate_retention(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, cfg_opt_size(opt) - 1);
	if (v < 0 || v > 1200) {
		cfg_error(cfg, "retention_months %ld is not between 0 (off) and 1200", v);
		return -1;
	}
	return 0;
}

/* The beds the shelter has, for the overview's free beds; 0: not configured. */
static int validate_beds(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, cfg_opt_size(opt) - 1);
	if (v < 0 || v > 100000) {
		cfg_error(cfg, "beds %ld is not between 0 (not configured) and 100000", v);
		return -1;
	}
	return 0;
}

static int validate_language(cfg_t *cfg, cfg_opt_t *opt)
{
	static const char *const langs[] = {"da", "en"};
	return validate_choice(cfg, opt, "language", langs, ARRAY_SIZE(langs));
}

static int validate_refund_days(cfg_t *cfg, cfg_opt_t *opt)
{
	long v = cfg_opt_getnint(opt, cfg_opt_size(opt) - 1);
	if (v < 1 || v > 366) {
		cfg_error(cfg, "%s %ld is not between 1 and 366 days", cfg_opt_name(opt), v);
		return -1;
	}
	return 0;
}

/* name and range of the typology's keys */
static int validate_stay_type(cfg_t *cfg, cfg_opt_t *opt)
{
	static const struct {
		const char *name;
		long min, max;
	} range[] = {{"stay_type_years", 1, 20},
		     {"stay_type_long_days", 1, 7300},
		     {"stay_type_episodic_stays", 2, 1000}};
	long v = cfg_opt_getnint(opt, cfg_opt_size(opt) - 1);
	for (size_t i = 0; i < ARRAY_SIZE(range); i++)
		if (str_eq(cfg_opt_name(opt), range[i].name) && (v < range[i].min || v > range[i].max)) {
			cfg_error(cfg, "%s %ld is not between %ld and %ld", range[i].name, v,
				  range[i].min, range[i].max);
			return -1;
		}
	return 0;
}

static int validate_refund_change(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);
	int y, m, d;
	if (!v || strlen(v) != 10 || date_parse_iso(v, &y, &m, &d) != 0) {
		cfg_error(cfg, "refund_limit_change '%s' is not a date YYYY-MM-DD", v ? v : "");
		return -1;
	}
	return 0;
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

/* --- the answer lists and the checklist ----------------------------------------------- */

/* A code: lower-case a-z, digits and _, at most 64 of them. */
static int is_code(const char *s)
{
	size_t n = 0;
	for (; s && s[n]; n++)
		if (!((s[n] >= 'a' && s[n] <= 'z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_'))
			return 0;
	return n > 0 && n <= 64;
}

static const char code_rule[] = "may hold only a-z, 0-9 and _";

/* "cause, substance, ..." from a list's codes or the configurable lists' names. */
static char *names_of(const struct choice_list *list)
{
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	if (list)
		for (size_t i = 0; i < list->n; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "", list->items[i].code);
	else
		for (size_t i = 0; i < configurable_lists_count; i++)
			sb_addf(&sb, "%s%s", i ? ", " : "", configurable_lists[i]->name);
	return sb.buf;
}

static char *where(int line)
{
	return xasprintf("%s:%d", parse.file ? parse.file : "?", line);
}

/* *dst = the value of key in sec, if sec sets it. */
static void set_str(char **dst, cfg_t *sec, const char *key)
{
	if (cfg_size(sec, key)) {
		free(*dst);
		*dst = xstrdup(cfg_getstr(sec, key));
	}
}

/* `entry CODE { ... }`, when its braces close: checked and kept in parse.conf. A later entry of
 * the same list and code changes the keys it sets (also across files); where is its line. cfg
 * is the list section. */
static int validate_entry(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *e = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	const char *list = cfg_title(cfg), *code = cfg_title(e);
	if (!list_configurable(list)) {
		char *names = names_of(NULL);
		error_at(opening_line("list", list, cfg->line), "list '%s' is not one of: %s",
			 list ? list : "", names);
		free(names);
		return -1;
	}
	int line = opening_line("entry", code, cfg->line);
	if (!is_code(code)) {
		error_at(line, "entry '%s' of list %s: a code %s", code ? code : "", list,
			 code_rule);
		return -1;
	}
	struct config *c = parse.conf;
	struct list_entry_conf *x = NULL;
	for (size_t i = 0; i < c->nentries && !x; i++)
		if (str_eq(c->entries[i].list, list) && str_eq(c->entries[i].code, code))
			x = &c->entries[i];
	if (!x) {
		c->entries = xrealloc(c->entries, (c->nentries + 1) * sizeof(*c->entries));
		x = &c->entries[c->nentries++];
		memset(x, 0, sizeof(*x));
		x->list = xstrdup(list);
		x->code = xstrdup(code);
	}
	set_str(&x->label, e, "label");
	if (cfg_size(e, "hidden"))
		x->hidden = cfg_getbool(e, "hidden") != cfg_false;
	free(x->where);
	x->where = where(line);
	return 0;
}

/* `list NAME { ... }` with no entries still names a list that must exist. */
static int validate_list(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *name = cfg_title(cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1));
	if (list_configurable(name))
		return 0;
	char *names = names_of(NULL);
	error_at(opening_line("list", name, cfg->line), "list '%s' is not one of: %s",
		 name ? name : "", names);
	free(names);
	return -1;
}

/* `step CODE { ... }` inside `checklist`, when its braces close; like validate_entry. */
static int validate_step(cfg_t *cfg, cfg_opt_t *opt)
{
	cfg_t *st = cfg_opt_getnsec(opt, cfg_opt_size(opt) - 1);
	const char *code = cfg_title(st);
	int line = opening_line("step", code, cfg->line);
	if (!is_code(code)) {
		error_at(line, "step '%s': a code %s", code ? code : "", code_rule);
		return -1;
	}
	struct config *c = parse.conf;
	struct step_conf *x = NULL;
	for (size_t i = 0; i < c->nsteps && !x; i++)
		if (str_eq(c->steps[i].code, code))
			x = &c->steps[i];
	if (!x) {
		c->steps = xrealloc(c->steps, (c->nsteps + 1) * sizeof(*c->steps));
		x = &c->steps[c->nsteps++];
		memset(x, 0, sizeof(*x));
		x->code = xstrdup(code);
	}
	set_str(&x->item, st, "item");
	set_str(&x->label, st, "label");
	set_str(&x->after, st, "after");
	if (cfg_size(st, "hidden"))
		x->hidden = cfg_getbool(st, "hidden") != cfg_false;
	free(x->where);
	x->where = where(line);
	return 0;
}

static int validate_item(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);
	for (size_t i = 0; i < list_items.n; i++)
		if (str_eq(v, list_items.items[i].code))
			return 0;
	char *names = names_of(&list_items);
	cfg_error(cfg, "item '%s' is not one of: %s", v ? v : "", names);
	free(names);
	return -1;
}

static int validate_after(cfg_t *cfg, cfg_opt_t *opt)
{
	const char *v = cfg_opt_getnstr(opt, cfg_opt_size(opt) - 1);
	if (is_code(v))
		return 0;
	cfg_error(cfg, "after '%s': a step code %s", v ? v : "", code_rule);
	return -1;
}

/* `order = { ... }`: libconfuse calls this as the values are read. */
static int validate_order(cfg_t *cfg, cfg_opt_t *opt)
{
	for (unsigned i = 0; i < cfg_opt_size(opt); i++) {
		const char *v = cfg_opt_getnstr(opt, i);
		if (!is_code(v)) {
			cfg_error(cfg, "order: '%s' is not a step code: a code %s", v ? v : "",
				  code_rule);
			return -1;
		}
	}
	free(parse.conf->step_order_where);
	parse.conf->step_order_where = where(opening_line("order", NULL, cfg->line));
	return 0;
}

static cfg_t *config_new(void)
{
	static cfg_opt_t staff_opts[] = {
		CFG_STR("name", NULL, CFGF_NONE),
		CFG_STR("role", "reception", CFGF_NONE),
		CFG_END(),
	};
	/* No defaults: a key left out changes nothing (see set_str). */
	static cfg_opt_t entry_opts[] = {
		CFG_STR("label", NULL, CFGF_NODEFAULT),
		CFG_BOOL("hidden", cfg_false, CFGF_NODEFAULT),
		CFG_END(),
	};
	static cfg_opt_t list_opts[] = {
		CFG_SEC("entry", entry_opts, CFGF_MULTI | CFGF_TITLE),
		CFG_END(),
	};
	static cfg_opt_t step_opts[] = {
		CFG_STR("item", NULL, CFGF_NODEFAULT),
		CFG_STR("label", NULL, CFGF_NODEFAULT),
		CFG_STR("after", NULL, CFGF_NODEFAULT),
		CFG_BOOL("hidden", cfg_false, CFGF_NODEFAULT),
		CFG_END(),
	};
	static cfg_opt_t checklist_opts[] = {
		CFG_SEC("step", step_opts, CFGF_MULTI | CFGF_TITLE),
		CFG_STR_LIST("order", NULL, CFGF_NONE),
		CFG_END(),
	};
	static cfg_opt_t opts[] = {
		CFG_STR("shelter", "", CFGF_NONE),
		CFG_STR("terminal", "", CFGF_NONE),
		CFG_STR("database", "", CFGF_NONE),
		CFG_STR("language", "da", CFGF_NONE),
		CFG_STR("print_command", "lpr", CFGF_NONE),
		CFG_STR("sync_key_file", "", CFGF_NONE),
		CFG_STR("unknown_login", "read-only", CFGF_NONE),
		CFG_STR("group", "", CFGF_NONE),
		CFG_INT("retention_months", 0, CFGF_NONE),
		CFG_INT("beds", 0, CFGF_NONE),
		CFG_INT("refund_limit_days_before", 120, CFGF_NONE),
		CFG_INT("refund_limit_days", 90, CFGF_NONE),
		CFG_STR("refund_limit_change", "2026-04-01", CFGF_NONE),
		CFG_INT("stay_type_years", 3, CFGF_NONE),
		CFG_INT("stay_type_long_days", 180, CFGF_NONE),
		CFG_INT("stay_type_episodic_stays", 3, CFGF_NONE),
		CFG_SEC("staff", staff_opts, CFGF_MULTI | CFGF_TITLE),
		CFG_SEC("list", list_opts, CFGF_MULTI | CFGF_TITLE),
		CFG_SEC("checklist", checklist_opts, CFGF_NONE),
		CFG_END(),
	};
	cfg_t *cfg = cfg_init(opts, CFGF_NONE);
	cfg_set_error_function(cfg, on_error);
	cfg_set_validate_func(cfg, "staff|role", validate_role);
	cfg_set_validate_func(cfg, "language", validate_language);
	cfg_set_validate_func(cfg, "unknown_login", validate_unknown_login);
	cfg_set_validate_func(cfg, "group", validate_group);
	cfg_set_validate_func(cfg, "retention_months", validate_retention);
	cfg_set_validate_func(cfg, "beds", validate_beds);
	cfg_set_validate_func(cfg, "refund_limit_days_before", validate_refund_days);
	cfg_set_validate_func(cfg, "refund_limit_days", validate_refund_days);
	cfg_set_validate_func(cfg, "refund_limit_change", validate_refund_change);
	cfg_set_validate_func(cfg, "stay_type_years", validate_stay_type);
	cfg_set_validate_func(cfg, "stay_type_long_days", validate_stay_type);
	cfg_set_validate_func(cfg, "stay_type_episodic_stays", validate_stay_type);
	cfg_set_validate_func(cfg, "print_command", validate_not_empty);
	cfg_set_validate_func(cfg, "list", validate_list);
	cfg_set_validate_func(cfg, "list|entry", validate_entry);
	cfg_set_validate_func(cfg, "list|entry|label", validate_not_empty);
	cfg_set_validate_func(cfg, "checklist|step", validate_step);
	cfg_set_validate_func(cfg, "checklist|step|item", validate_item);
	cfg_set_validate_func(cfg, "checklist|step|label", validate_not_empty);
	cfg_set_validate_func(cfg, "checklist|step|after", validate_after);
	cfg_set_validate_func(cfg, "checklist|order", validate_order);
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
	parse.text = text;
	parse.top = cfg;
	parse.message = NULL;
	int rc = cfg_parse_buf(cfg, text);
	parse.top = NULL;
	parse.text = NULL;
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
	c->sync_key_file = xstrdup(cfg_getstr(cfg, "sync_key_file"));
	c->unknown_login = parse_role(cfg_getstr(cfg, "unknown_login"));
	c->group = xstrdup(cfg_getstr(cfg, "group"));
	c->retention_months = (int)cfg_getint(cfg, "retention_months");
	c->beds = (int)cfg_getint(cfg, "beds");
	c->refund_limit_days_before = (int)cfg_getint(cfg, "refund_limit_days_before");
	c->refund_limit_days = (int)cfg_getint(cfg, "refund_limit_days");
	c->refund_limit_change = xstrdup(cfg_getstr(cfg, "refund_limit_change"));
	c->stay_type_years = (int)cfg_getint(cfg, "stay_type_years");
	c->stay_type_long_days = (int)cfg_getint(cfg, "stay_type_long_days");
	c->stay_type_episodic_stays = (int)cfg_getint(cfg, "stay_type_episodic_stays");
	c->nstaff = cfg_size(cfg, "staff");
	c->staff = xcalloc(c->nstaff, sizeof(*c->staff));
	for (size_t i = 0; i < c->nstaff; i++) {
		cfg_t *s = cfg_getnsec(cfg, "staff", (unsigned)i);
		const char *name = cfg_getstr(s, "name");
		c->staff[i].login = xstrdup(cfg_title(s));
		c->staff[i].name = xstrdup(str_empty(name) ? cfg_title(s) : name);
		c->staff[i].role = parse_role(cfg_getstr(s, "role"));
	}
	/* The entries and steps are in c already (see validate_entry); `order` is the last one
	 * given. */
	cfg_t *ck = cfg_getsec(cfg, "checklist");
	size_t n = ck ? cfg_size(ck, "order") : 0;
	if (n) {
		c->nstep_order = n;
		c->step_order = xcalloc(n, sizeof(*c->step_order));
		for (size_t i = 0; i < n; i++)
			c->step_order[i] = xstrdup(cfg_getnstr(ck, "order", (unsigned)i));
	} else {
		free(c->step_order_where);
		c->step_order_where = NULL;
	}
}

/* Set while the system file is read alone for its access keys (keep_system_access). */
static int system_only;

static int keep_system_access(struct config *c, char **err);

int config_load(struct config *c, const char *explicit_file, char **err)
{
	memset(c, 0, sizeof(*c));
	*err = NULL;
	cfg_t *cfg = config_new();
	parse.conf = c;
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
	parse.conf = NULL;
	if (rc == 0)
		rc = lists_check(c, err);
	if (rc == 0 && !system_only)
		rc = keep_system_access(c, err);
	if (rc != 0)
		config_free(c);
	return rc;
}

void config_apply_system_access(struct config *c, const struct config *sys)
{
	if (sys->nstaff == 0)
		return;
	for (size_t i = 0; i < c->nstaff; i++) {
		free(c->staff[i].login);
		free(c->staff[i].name);
	}
	free(c->staff);
	c->nstaff = sys->nstaff;
	c->staff = xcalloc(sys->nstaff, sizeof(*c->staff));
	for (size_t i = 0; i < sys->nstaff; i++) {
		c->staff[i].login = xstrdup(sys->staff[i].login);
		c->staff[i].name = xstrdup(sys->staff[i].name);
		c->staff[i].role = sys->staff[i].role;
	}
	c->unknown_login = sys->unknown_login;
	free(c->group);
	c->group = xstrdup(sys->group);
}

/* Who may do what is the system file's to say: a user's own file, or -c, must not make its
 * user a coordinator. When /etc/husly/husly.conf has a staff table, its staff, unknown_login
 * and group stand, whatever the other files say. */
static int keep_system_access(struct config *c, char **err)
{
	if (access(SYSTEM_CONFIG, F_OK) != 0)
		return 0;
	struct config sys;
	system_only = 1;
	int rc = config_load(&sys, SYSTEM_CONFIG, err);
	system_only = 0;
	if (rc != 0)
		return -1;
	config_apply_system_access(c, &sys);
	config_free(&sys);
	return 0;
}

void config_free(struct config *c)
{
	free(c->shelter);
	free(c->terminal);
	free(c->database);
	free(c->language);
	free(c->print_command);
	free(c->sync_key_file);
	free(c->group);
	free(c->refund_limit_change);
	for (size_t i = 0; i < c->nstaff; i++) {
		free(c->staff[i].login);
		free(c->staff[i].name);
	}
	free(c->staff);
	for (size_t i = 0; i < c->nentries; i++) {
		free(c->entries[i].list);
		free(c->entries[i].code);
		free(c->entries[i].label);
		free(c->entries[i].where);
	}
	free(c->entries);
	for (size_t i = 0; i < c->nsteps; i++) {
		free(c->steps[i].code);
		free(c->steps[i].item);
		free(c->steps[i].label);
		free(c->steps[i].after);
		free(c->steps[i].where);
	}
	free(c->steps);
	for (size_t i = 0; i < c->nstep_order; i++)
		free(c->step_order[i]);
	free(c->step_order);
	free(c->step_order_where);
	memset(c, 0, sizeof(*c));
}

const struct staff_member *config_staff(const struct config *c, const char *login)
{
	for (size_t i = 0; i < c->nstaff; i++)
		if (str_eq(c->staff[i].login, login))
			return &c->staff[i];
	return NULL;
}
