/* Synchronisation by bundle files, from the keyboard: this terminal's peers (the terminals it has
 * sent bundles to or read bundles from), when each was last exported to and imported from, and
 * how many changes each has not been sent yet. `e` writes a bundle for the selected peer to a
 * file, `i` reads one, `k` shows the conflicts imports have kept. Bundles are always sealed with
 * the shelter key here: plain bundles are for the command line (--plaintext), where someone has
 * asked for one by name. */
#include "screens.h"

#include "app.h"
#include "bundle.h"
#include "i18n.h"
#include "safefile.h"
#include "sync.h"
#include "text.h"
#include "ui_input.h"
#include "util.h"

#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { A_EXPORT = 1, A_IMPORT, A_CONFLICTS, A_UP, A_DOWN, A_BACK, A_GO, A_CANCEL };

static const struct ui_action browse_actions[] = {
	{A_EXPORT, 'e', 0, N_("e"), N_("export"), N_("Write the changes the selected peer has not been sent yet to a bundle file, sealed with the shelter key. With no peers yet, the bundle is for \"default\".")},
	{A_IMPORT, 'i', 0, N_("i"), N_("import"), N_("Read a bundle file from another terminal and merge its changes. A damaged bundle, or one sealed with another key, changes nothing.")},
	{A_CONFLICTS, 'k', 0, N_("k"), N_("conflicts"), N_("Show the open conflicts: values that lost when two terminals changed the same field.")},
	{A_UP, 0, KEY_UP, N_("Up"), NULL, N_("The peer above.")},
	{A_DOWN, 0, KEY_DOWN, N_("Down"), NULL, N_("The peer below.")},
	{A_BACK, 27, 0, N_("Esc"), N_("back"), N_("Back to the list.")},
};

/* While a file name is typed: these, then the field's editing keys (ui_input_actions). */
static const struct ui_action export_actions[] = {
	{A_GO, 0, KEY_ENTER, N_("Enter"), N_("export"), N_("Write the bundle to this file. An existing file is never replaced.")},
	{A_CANCEL, 27, 0, N_("Esc"), N_("cancel"), N_("Export nothing.")},
};
static const struct ui_action import_actions[] = {
	{A_GO, 0, KEY_ENTER, N_("Enter"), N_("import"), N_("Read the bundle in this file and merge it. A path typed after the one shown starts afresh at // or /~/.")},
	{A_CANCEL, 27, 0, N_("Esc"), N_("cancel"), N_("Import nothing.")},
};
#define TYPING_ACTIONS_MAX 24
#define PATH_MAX_BYTES     4096
#define DATE_COL           16 /* "dd-mm-yyyy hh:mm" */
#define PENDING_COL        10

enum mode { MODE_BROWSE, MODE_EXPORT, MODE_IMPORT };

/* Bringing others' changes in is a coordinator's (as `husly import` is), and so is reviewing
 * the conflicts; a bundle holds whole CPR numbers, so exporting is for those who may see them
 * (as `husly export` is). */
static const struct action_rule browse_rules[] = {
	{A_EXPORT, ACTION_SEES_CPR},
	{A_IMPORT, ACTION_COORDINATOR},
	{A_CONFLICTS, ACTION_COORDINATOR},
};

struct sync_state {
	struct app *app;
	struct ui_action browse[ARRAY_SIZE(browse_actions)]; /* those the user's role may do */
	size_t nbrowse;
	struct peer_info *peers;
	size_t npeers, sel, top;
	char *sel_name;    /* the selected peer, so the cursor stays on it when others come */
	long conflicts;    /* open conflicts, -1 when they could not be counted */
	char *key_problem; /* why the configured key cannot be used; NULL when it can */
	char *result;      /* what the last export or import did, kept on the screen */
	int result_failed;
	enum mode mode;
	char *export_peer; /* the peer the bundle being named is for */
	struct ui_input input;
	struct ui_action export_typing[TYPING_ACTIONS_MAX], import_typing[TYPING_ACTIONS_MAX];
	size_t nexport_typing, nimport_typing;
};

/* --- loading ------------------------------------------------------------------------------ */

static int have_key_file(const struct sync_state *s)
{
	return !str_empty(s->app->cfg.sync_key_file);
}

/* The configured key into key: 1 when loaded, 0 when none is configured, -1 (with the reason
 * in s->key_problem) when it cannot be read. Read afresh each time: a key copied in while husly
 * runs is used at once. */
static int load_key(struct sync_state *s, struct shelter_key *key)
{
	free(s->key_problem);
	s->key_problem = NULL;
	if (!have_key_file(s))
		return 0;
	if (key_load_file(s->app->cfg.sync_key_file, key, &s->key_problem) == 0)
		return 1;
	if (!s->key_problem)
		s->key_problem = xstrdup("?");
	return -1;
}

/* Reads the peers and counts the open conflicts again: another husly (the command line, a
 * cron job) may have exported or imported meanwhile. The cursor stays on the same peer. */
static void reload(struct sync_state *s)
{
	peers_free(s->peers, s->npeers);
	char *err = NULL;
	if (db_peers(s->app->db, &s->peers, &s->npeers, &err) != 0) {
		ui_message("%s", err ? err : _("Could not read the peers."));
		free(err);
		err = NULL;
	}
	for (size_t i = 0; s->sel_name && i < s->npeers; i++)
		if (str_eq(s->peers[i].name, s->sel_name))
			s->sel = i;
	if (s->sel >= s->npeers)
		s->sel = s->npeers ? s->npeers - 1 : 0;
	struct conflict_info *c;
	size_t n;
	s->conflicts = db_conflicts(s->app->db, NULL, 0, &c, &n, &err) == 0 ? (long)n : -1;
	if (s->conflicts >= 0)
		conflicts_free(c, n);
	free(err);
}

static void select_peer(struct sync_state *s, size_t i)
{
	if (i >= s->npeers)
		return;
	s->sel = i;
	free(s->sel_name);
	s->sel_name = xstrdup(s->peers[i].name);
}

/* The peer e exports to: the selected one, or the default one before there are any. */
static const char *export_peer(const struct sync_state *s)
{
	return s->npeers ? s->peers[s->sel].name : SYNC_DEFAULT_PEER;
}

/* --- drawing -------------------------------------------------------------------------------- */

/* "Synchronisation" on the left, "Terminal: reception-1" on the right. */
static int draw_heading(const struct sync_state *s, const struct ui_area *a)
{
	char *right = xasprintf(_("Terminal: %s"), s->app->cfg.terminal);
	int rw = ui_text_right(a->top, a->width - 1, a->width / 2, STYLE_NORMAL, right);
	ui_text(a->top, 1, a->width - 3 - rw, STYLE_HEADING, _("Synchronisation"));
	free(right);
	return a->top + 1;
}

/* Wrapped lines of text from row y, at most max rows; returns the next row. */
static int draw_wrapped(int y, int max, int width, enum ui_style style, const char *text)
{
	struct page p = {0};
	page_add_wrapped(&p, style, 0, width, text);
	page_draw(&p, y, max < (int)p.n ? max : (int)p.n, width);
	y += max < (int)p.n ? max : (int)p.n;
	page_clear(&p);
	return y;
}

/* Whether bundles are sealed here, and if not, how to make them so. */
static int draw_key_state(const struct sync_state *s, int y, int width)
{
	char *text;
	enum ui_style style = STYLE_WARN;
	if (!have_key_file(s))
		text = xasprintf(_("%s No shelter key, so no bundle can be made or read here. Make one "
				   "with 'husly keygen -o FILE', copy it to every terminal of the "
				   "shelter, and set sync_key_file in husly.conf."),
				 ui_sym("⚠", "!!"));
	else if (s->key_problem)
		text = xasprintf(_("%s The shelter key cannot be used: %s"), ui_sym("⚠", "!!"),
				 s->key_problem);
	else {
		text = xasprintf(_("Bundles are sealed with the shelter key %s."),
				 s->app->cfg.sync_key_file);
		style = STYLE_NORMAL;
	}
	y = draw_wrapped(y, 3, width, style, text);
	free(text);
	return y;
}

/* The columns: the name takes what the two times and the count leave. */
static int name_width(int width)
{
	int w = width - 2 - 2 * (DATE_COL + 2) - PENDING_COL - 1;
	return w < 8 ? 8 : w;
}

static void draw_columns(int y, int width)
{
	int x = 1, nw = name_width(width);
	ui_text(y, x, nw, STYLE_HEADING, _("Peer"));
	x += nw + 2;
	ui_text(y, x, DATE_COL, STYLE_HEADING, _("Last export"));
	x += DATE_COL + 2;
	ui_text(y, x, DATE_COL, STYLE_HEADING, _("Last import"));
	x += DATE_COL + 1;
	ui_text_right(y, x + PENDING_COL, PENDING_COL, STYLE_HEADING, _("Not sent"));
}

static void draw_peer(const struct peer_info *p, int y, int width, int selected)
{
	enum ui_style st = selected ? STYLE_SELECTED : STYLE_NORMAL;
	char when[40], count[32];
	int x = 1, nw = name_width(width);
	if (selected)
		ui_fill(y, STYLE_SELECTED);
	ui_text(y, x, nw, st, p->name);
	x += nw + 2;
	ui_text(y, x, DATE_COL, st,
		p->last_export ? utc_dk_minute(p->last_export, when, sizeof(when)) : _("never"));
	x += DATE_COL + 2;
	ui_text(y, x, DATE_COL, st,
		p->last_import ? utc_dk_minute(p->last_import, when, sizeof(when)) : _("never"));
	x += DATE_COL + 1;
	snprintf(count, sizeof(count), "%ld", p->pending);
	ui_text_right(y, x + PENDING_COL, PENDING_COL, st, count);
}

/* The peers in rows from y, scrolled so the selected one shows; returns the next row. */
static int draw_peers(struct sync_state *s, int y, int rows, int width)
{
	draw_columns(y++, width);
	rows--;
	if (!s->npeers) {
		char *text = xasprintf(_("No bundles made or read yet. e makes the first one, for "
					 "\"%s\"."),
				       SYNC_DEFAULT_PEER);
		y = draw_wrapped(y, rows, width, STYLE_DIM, text);
		free(text);
		return y;
	}
	size_t shown = rows > 1 ? (size_t)rows : 1;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + shown)
		s->top = s->sel - shown + 1;
	for (size_t i = s->top; i < s->npeers && i < s->top + shown; i++)
		draw_peer(&s->peers[i], y++, width, i == s->sel);
	return y;
}

static void draw_conflicts(const struct sync_state *s, int y, int width)
{
	if (s->conflicts < 0) {
		ui_text(y, 1, width - 2, STYLE_WARN, _("Could not count the conflicts."));
		return;
	}
	if (s->conflicts == 0) {
		ui_text(y, 1, width - 2, STYLE_NORMAL, _("No open conflicts."));
		return;
	}
	char *text = xasprintf(ngettext("%s %ld open conflict: k shows it",
					"%s %ld open conflicts: k shows them", (unsigned long)s->conflicts),
			       ui_sym("⚠", "!!"), s->conflicts);
	ui_text(y, 1, width - 2, STYLE_WARN, text);
	free(text);
}

/* "Export for default to file:" and under it the file name, across the whole line: a path
 * is long, and the one who types it should see all of it. */
static void draw_prompt(struct sync_state *s, int y, int width)
{
	char *label = s->mode == MODE_EXPORT ? xasprintf(_("Export for %s to file:"), s->export_peer)
					     : xstrdup(_("Import from file:"));
	ui_text(y, 1, width - 2, STYLE_HEADING, label);
	ui_input_draw(&s->input, y + 1, 1, width - 2, STYLE_SELECTED);
	free(label);
}

static void sync_draw(void *state, const struct ui_area *a)
{
	struct sync_state *s = state;
	reload(s);
	int bottom = a->top + a->height - 1;
	int y = draw_heading(s, a);
	y = draw_key_state(s, y, a->width);
	ui_hline(y++);
	/* Below the peers: a blank row, the conflicts, the last result (a blank row and up to 3
	 * more), the prompt (2 rows). The peers get what is left. */
	int prompt = s->mode != MODE_BROWSE ? 2 : 0;
	int tail = 2 + (s->result ? 4 : 0) + prompt;
	int rows = bottom - y - tail;
	y = draw_peers(s, y, rows > 2 ? rows : 2, a->width) + 1;
	draw_conflicts(s, y++, a->width);
	int room = bottom - prompt - y - 1;
	if (s->result && room > 0)
		draw_wrapped(y + 1, room < 3 ? room : 3, a->width,
			     s->result_failed ? STYLE_WARN : STYLE_NORMAL, s->result);
	if (prompt)
		draw_prompt(s, bottom - prompt, a->width);
	ui_hline(bottom);
}

/* --- export and import ---------------------------------------------------------------------- */

/* A name as it may stand in a file name: letters, digits, '.', '-'; the rest '_'. */
static void file_safe(char *name)
{
	for (char *c = name; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		      (*c >= '0' && *c <= '9') || *c == '.' || *c == '-'))
			*c = '_';
}

static const char *home_dir(void)
{
	const char *home = getenv("HOME");
	return str_empty(home) ? "." : home;
}

/* "$HOME/husly-reception-1-default-20261125-0214.bundle": who made it, for whom, and when, so
 * bundles on a USB stick tell themselves apart and a second one a minute later gets a name of
 * its own. */
static char *default_export_path(const struct sync_state *s)
{
	char now[LOCAL_MIN_LEN], stamp[16];
	time_to_local_minute(clock_now(), now);
	snprintf(stamp, sizeof(stamp), "%.4s%.2s%.2s-%.2s%.2s", now, now + 5, now + 8, now + 11,
		 now + 14);
	char *terminal = xstrdup(s->app->cfg.terminal ? s->app->cfg.terminal : "husly");
	char *peer = xstrdup(export_peer(s));
	file_safe(terminal);
	file_safe(peer);
	char *path = xasprintf("%s/husly-%s-%s-%s.bundle", home_dir(), terminal, peer, stamp);
	free(terminal);
	free(peer);
	return path;
}

/* Where the path starts: typed over a prefilled directory, a second '/' or a '~' after a '/'
 * starts afresh, as in Emacs ("/home/ole//media/usb/a.bundle" is "/media/usb/a.bundle"), so
 * a path typed whole after the prefill needs no Ctrl-U first. */
static size_t fresh_start(const char *p, size_t len)
{
	for (size_t i = len; i-- > 1;)
		if (p[i - 1] == '/' &&
		    (p[i] == '/' || (p[i] == '~' && (i + 1 == len || p[i + 1] == '/'))))
			return i;
	return 0;
}

/* What was typed, trimmed, with a leading ~ for the home directory (a new string; NULL when
 * nothing was typed). */
static char *typed_path(const char *typed)
{
	while (*typed == ' ')
		typed++;
	size_t len = strlen(typed);
	while (len && typed[len - 1] == ' ')
		len--;
	size_t start = fresh_start(typed, len);
	typed += start;
	len -= start;
	if (!len)
		return NULL;
	if (typed[0] == '~' && (len == 1 || typed[1] == '/'))
		return xasprintf("%s%.*s", home_dir(), (int)len - 1, typed + 1);
	return xstrndup(typed, len);
}

static void set_result(struct sync_state *s, int failed, char *text)
{
	free(s->result);
	s->result = text;
	s->result_failed = failed;
}

static void start_typing(struct sync_state *s, enum mode mode, const char *initial)
{
	ui_input_init(&s->input, initial, PATH_MAX_BYTES);
	s->mode = mode;
}

static void stop_typing(struct sync_state *s)
{
	ui_input_free(&s->input);
	s->mode = MODE_BROWSE;
}

/* e: the file name line, prefilled; refused at once without a usable key, since the screen
 * makes only sealed bundles. */
static void start_export(struct sync_state *s)
{
	struct shelter_key key;
	int have = load_key(s, &key);
	if (have == 0) {
		ui_message("%s", _("No shelter key: run husly keygen -o FILE, set sync_key_file."));
		return;
	}
	if (have < 0) {
		ui_message(_("The shelter key cannot be used: %s"), s->key_problem);
		return;
	}
	free(s->export_peer);
	s->export_peer = xstrdup(export_peer(s));
	char *path = default_export_path(s);
	start_typing(s, MODE_EXPORT, path);
	free(path);
}

/* Writes the bundle whole or not at all, then records it as sent: a bundle that never reached
 * its file is not counted as sent. */
static int write_bundle(struct sync_state *s, const char *path, const struct shelter_key *key,
			long *changes, char **err)
{
	struct safe_file sf;
	long long upto = 0;
	if (safe_file_open(&sf, path, err) != 0)
		return -1;
	int rc = sync_export(s->app->db, s->export_peer, 0, s->app->cfg.terminal, key, sf.f,
			     changes, &upto, err);
	if (safe_file_close(&sf, rc == 0, rc == 0 ? err : NULL) != 0 || rc != 0)
		return -1;
	return sync_export_done(s->app->db, s->export_peer, upto, *changes, 0, err);
}

/* Says what an export did, on the status line and (with the file's name) on the screen. */
static void report_export(struct sync_state *s, const char *path, long changes, const char *err)
{
	if (err) {
		ui_message(_("Not exported: %s"), err);
		set_result(s, 1, xasprintf(_("Not exported: %s"), err));
		return;
	}
	ui_message(ngettext("%ld change exported for %s.", "%ld changes exported for %s.",
			    (unsigned long)changes),
		   changes, s->export_peer);
	set_result(s, 0,
		   xasprintf(ngettext("Exported %ld change for %s to %s.",
				      "Exported %ld changes for %s to %s.", (unsigned long)changes),
			     changes, s->export_peer, path));
}

/* Enter on the file name: the bundle, unless the name is taken or the key cannot be read. The
 * name stays to correct when it fails. */
static void do_export(struct sync_state *s)
{
	char *path = typed_path(s->input.buf);
	struct shelter_key key;
	if (!path) {
		ui_message("%s", _("Type the name of the file to write."));
	} else if (access(path, F_OK) == 0) {
		/* An older bundle of that name may not have reached its peer yet. */
		ui_message("%s", _("That file exists already: choose another name."));
	} else if (load_key(s, &key) != 1) {
		ui_message(_("The shelter key cannot be used: %s"),
			   s->key_problem ? s->key_problem : "?");
	} else {
		char *err = NULL;
		long changes = 0;
		show_busy(_("Exporting..."));
		int rc = write_bundle(s, path, &key, &changes, &err);
		explicit_bzero(&key, sizeof(key));
		report_export(s, path, changes, rc == 0 ? NULL : err ? err : "?");
		if (rc == 0)
			stop_typing(s);
		free(err);
	}
	free(path);
}

static void start_import(struct sync_state *s)
{
	char *dir = xasprintf("%s/", home_dir());
	start_typing(s, MODE_IMPORT, dir);
	free(dir);
}

/* Merges the bundle in path, all or nothing. key is NULL when none is configured: a sealed
 * bundle is then refused with words that say so. */
static int read_bundle(struct sync_state *s, const char *path, const struct shelter_key *key,
		       struct sync_counts *c, char **err)
{
	FILE *in = fopen(path, "rb");
	if (!in) {
		*err = xasprintf(_("cannot read %s: %s"), path, strerror(errno));
		return -1;
	}
	int rc = sync_import(s->app->db, in, path, key, 0, c, err);
	fclose(in);
	return rc;
}

/* Says what an import did, on the status line and (with the file's name) on the screen. */
static void report_import(struct sync_state *s, const char *path, const struct sync_counts *c,
			  const char *err)
{
	if (err) {
		ui_message(_("Not imported, nothing was changed: %s"), err);
		set_result(s, 1, xasprintf(_("Not imported, nothing was changed: %s"), err));
		return;
	}
	char *summary = sync_counts_text(c);
	ui_message(_("Imported: %s"), summary);
	set_result(s, 0, xasprintf(_("Imported %s: %s"), path, summary));
	free(summary);
}

/* Enter on the file name: the bundle merged, all or nothing; the name stays when it fails. */
static void do_import(struct sync_state *s)
{
	char *path = typed_path(s->input.buf);
	struct shelter_key key;
	int have = path ? load_key(s, &key) : 0;
	if (!path) {
		ui_message("%s", _("Type the name of the bundle file."));
	} else if (have < 0) {
		ui_message(_("The shelter key cannot be used: %s"), s->key_problem);
	} else {
		struct sync_counts c;
		char *err = NULL;
		show_busy(_("Importing..."));
		int rc = read_bundle(s, path, have ? &key : NULL, &c, &err);
		if (have)
			explicit_bzero(&key, sizeof(key));
		report_import(s, path, &c, rc == 0 ? NULL : err ? err : "?");
		if (rc == 0)
			stop_typing(s);
		free(err);
	}
	free(path);
}

/* --- the screen ------------------------------------------------------------------------------ */

static void *sync_open(struct app *app, const void *arg)
{
	(void)arg;
	struct sync_state *s = xcalloc(1, sizeof(*s));
	s->app = app;
	s->nbrowse = actions_for_user(app, browse_actions, ARRAY_SIZE(browse_actions), browse_rules,
				      ARRAY_SIZE(browse_rules), s->browse);
	s->nexport_typing = ui_input_with_actions(s->export_typing, TYPING_ACTIONS_MAX,
						  export_actions, ARRAY_SIZE(export_actions));
	s->nimport_typing = ui_input_with_actions(s->import_typing, TYPING_ACTIONS_MAX,
						  import_actions, ARRAY_SIZE(import_actions));
	struct shelter_key key;
	if (load_key(s, &key) == 1) /* only to say on the screen whether it can be used */
		explicit_bzero(&key, sizeof(key));
	return s;
}

static const char *sync_title(void *state)
{
	(void)state;
	return _("Synchronisation");
}

static void sync_close(void *state)
{
	struct sync_state *s = state;
	peers_free(s->peers, s->npeers);
	free(s->sel_name);
	free(s->key_problem);
	free(s->result);
	free(s->export_peer);
	if (s->mode != MODE_BROWSE)
		ui_input_free(&s->input);
	free(s);
}

/* While a file name is typed, the keys go to it: letters are text, not actions. */
static enum ui_result sync_key(void *state, const struct ui_key *k)
{
	struct sync_state *s = state;
	return s->mode != MODE_BROWSE ? ui_input_key(&s->input, k) : UI_IGNORED;
}

static enum ui_result sync_action(void *state, int id)
{
	struct sync_state *s = state;
	switch (id) {
	case A_EXPORT: start_export(s); break;
	case A_IMPORT: start_import(s); break;
	case A_CONFLICTS: ui_push(&conflicts_screen, NULL); break;
	case A_UP: select_peer(s, s->sel ? s->sel - 1 : 0); break;
	case A_DOWN: select_peer(s, s->sel + 1); break;
	case A_GO:
		if (s->mode == MODE_EXPORT)
			do_export(s);
		else
			do_import(s);
		break;
	case A_CANCEL: stop_typing(s); break;
	case A_BACK: return UI_BACK;
	default: return UI_IGNORED;
	}
	return UI_HANDLED;
}

static const struct ui_action *sync_actions(void *state, size_t *n)
{
	struct sync_state *s = state;
	if (s->mode == MODE_EXPORT) {
		*n = s->nexport_typing;
		return s->export_typing;
	}
	if (s->mode == MODE_IMPORT) {
		*n = s->nimport_typing;
		return s->import_typing;
	}
	*n = s->nbrowse;
	return s->browse;
}

const struct ui_screen_ops sync_screen = {
	"sync",	     sync_open,	   sync_title, sync_draw, sync_key,
	sync_action, sync_actions, sync_close,
};
