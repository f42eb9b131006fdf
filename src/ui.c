#include "ui.h"
#include "ui_input.h"

#include "app.h"
#include "clock.h"
#include "db.h"
#include "i18n.h"
#include "text.h"
#include "util.h"

#include <ctype.h>
#include <curses.h>
#include <langinfo.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#define MAX_DEPTH 16

enum { ACT_HELP = -1, ACT_BACK = -2, ACT_QUIT = -3, ACT_REDRAW = -4 };

static const struct ui_action global_actions[] = {
	{ACT_HELP, '?', KEY_F(1), N_("?"), N_("help"), N_("Show the keys of this screen.")},
	{ACT_BACK, 27, 0, N_("Esc"), NULL, N_("Go back to the previous screen.")},
	{ACT_QUIT, 'q', KEY_F(10), N_("q"), N_("quit"), N_("Leave husly.")},
	{ACT_REDRAW, 12, 0, N_("Ctrl-L"), NULL, N_("Redraw the screen.")},
};

struct frame {
	const struct ui_screen_ops *ops;
	void *state;
};

static struct {
	struct app *app;
	struct frame stack[MAX_DEPTH];
	int depth;
	const struct ui_screen_ops *push_ops; /* asked for by a handler, opened by the loop */
	const void *push_arg;
	char message[256];
	int utf8;
	attr_t styles[STYLE_COUNT];
} ui;

static volatile sig_atomic_t hangup, interrupted;
static int asking_to_quit; /* Ctrl-C asked "Quit husly?": the next key answers */

static void on_hangup(int sig)
{
	(void)sig;
	hangup = 1;
}

static void on_interrupt(int sig)
{
	(void)sig;
	interrupted = 1;
}

/* Without SA_RESTART, so a signal wakes the loop out of get_wch at once. */
static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_hangup;
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_interrupt;
	sigaction(SIGINT, &sa, NULL);
}

const struct ui_action *ui_global_actions(size_t *n)
{
	*n = ARRAY_SIZE(global_actions);
	return global_actions;
}

int ui_is_utf8(void)
{
	return ui.utf8;
}

const char *ui_sym(const char *utf8, const char *ascii)
{
	return ui.utf8 ? utf8 : ascii;
}

static void init_styles(void)
{
	attr_t *s = ui.styles;
	s[STYLE_NORMAL] = A_NORMAL;
	s[STYLE_TITLE] = A_REVERSE | A_BOLD;
	s[STYLE_BAR] = A_REVERSE;
	s[STYLE_SELECTED] = A_REVERSE;
	s[STYLE_WARN] = A_BOLD;
	s[STYLE_ALERT] = A_BOLD | A_UNDERLINE;
	s[STYLE_DIM] = A_NORMAL;
	s[STYLE_HEADING] = A_BOLD;
	if (!has_colors())
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_WHITE, COLOR_BLUE);
	init_pair(2, COLOR_RED, -1);
	init_pair(3, COLOR_WHITE, COLOR_RED);
	init_pair(4, COLOR_CYAN, -1);
	s[STYLE_TITLE] = COLOR_PAIR(1) | A_BOLD;
	s[STYLE_BAR] = COLOR_PAIR(1);
	s[STYLE_WARN] = COLOR_PAIR(2) | A_BOLD;
	s[STYLE_ALERT] = COLOR_PAIR(3) | A_BOLD;
	s[STYLE_DIM] = COLOR_PAIR(4);
}

/* --- text ------------------------------------------------------------------------------- */

/* One character as drawn: its wide character (UTF-8 terminals) or ASCII spelling, and width. */
struct glyph {
	wchar_t wc;
	const char *ascii;
	char one[2];
	int width;
};

static void glyph_of(uint32_t cp, struct glyph *g)
{
	g->wc = 0;
	g->ascii = NULL;
	if (text_is_unsafe(cp) || cp == REPLACEMENT_CHAR)
		cp = '?';
	if (ui.utf8) {
		int w = wcwidth((wchar_t)cp);
		g->wc = w < 0 ? L'?' : (wchar_t)cp;
		g->width = w < 0 ? 1 : w;
		return;
	}
	if (cp < 0x80) {
		g->one[0] = (char)cp;
		g->one[1] = '\0';
		g->ascii = g->one;
	} else {
		g->ascii = text_ascii(cp);
		if (!g->ascii)
			g->ascii = "?";
	}
	g->width = (int)strlen(g->ascii);
}

int ui_width(const char *s)
{
	int w = 0;
	size_t len = strlen(s);
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		struct glyph g;
		glyph_of(cp, &g);
		w += g.width;
	}
	return w;
}

/* Draws s at (y, x) in at most max columns, with an ellipsis when it had to be cut. */
static int draw_text(int y, int x, int max, const char *s)
{
	int total = ui_width(s);
	int budget = total > max ? max - 1 : max;
	int used = 0;
	size_t len = strlen(s);
	move(y, x);
	for (size_t i = 0; i < len && budget > 0;) {
		uint32_t cp;
		i += utf8_decode(s + i, len - i, &cp);
		struct glyph g;
		glyph_of(cp, &g);
		if (g.width == 0)
			continue;
		/* A wide character that does not fit ends the text: a narrower one after it would
		 * show the text out of order. */
		if (used + g.width > budget)
			break;
		if (g.wc) {
			wchar_t w[2] = {g.wc, 0};
			addnwstr(w, 1);
		} else {
			addstr(g.ascii);
		}
		used += g.width;
	}
	if (total > max && max > 0) {
		addstr(ui.utf8 ? "…" : ">");
		used++;
	}
	return used;
}

int ui_text(int y, int x, int max_cols, enum ui_style style, const char *s)
{
	if (!s || max_cols <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + max_cols > COLS)
		max_cols = COLS - x;
	attron(ui.styles[style]);
	int used = draw_text(y, x, max_cols, s);
	attroff(ui.styles[style]);
	return used;
}

int ui_text_right(int y, int x_end, int max_cols, enum ui_style style, const char *s)
{
	if (!s)
		return 0;
	int w = ui_width(s);
	if (w > max_cols)
		w = max_cols;
	return ui_text(y, x_end - w, w, style, s);
}

void ui_hline(int y)
{
	mvhline(y, 0, ACS_HLINE, COLS);
}

void ui_fill(int y, enum ui_style style)
{
	attron(ui.styles[style]);
	mvhline(y, 0, ' ', COLS);
	attroff(ui.styles[style]);
}

void ui_message(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui.message, sizeof(ui.message), fmt, ap);
	va_end(ap);
}

void ui_push(const struct ui_screen_ops *ops, const void *arg)
{
	ui.push_ops = ops;
	ui.push_arg = arg;
}

const struct ui_screen_ops *ui_top_ops(void **state)
{
	if (ui.depth < 1) {
		*state = NULL;
		return NULL;
	}
	*state = ui.stack[ui.depth - 1].state;
	return ui.stack[ui.depth - 1].ops;
}

/* --- frame: top line, key bar ----------------------------------------------------------- */

static const char *weekday_name(int wd)
{
	static const char *const names[] = {N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"),
					    N_("Fri"), N_("Sat"), N_("Sun")};
	return _(names[wd % 7]);
}

static const char *role_label(const char *role)
{
	if (str_eq(role, "reception"))
		return _("reception");
	if (str_eq(role, "night"))
		return _("night");
	if (str_eq(role, "coordinator"))
		return _("coordinator");
	if (str_eq(role, "read-only"))
		return _("read-only");
	return role;
}

static void draw_top_line(void)
{
	struct app *app = ui.app;
	ui_fill(0, STYLE_TITLE);
	char left[512];
	const char *dot = ui_sym("·", "-");
	if (str_empty(app->cfg.shelter))
		snprintf(left, sizeof(left), " husly %s %s", dot, app->cfg.terminal);
	else
		snprintf(left, sizeof(left), " husly %s %s %s %s", dot, app->cfg.shelter, dot,
			 app->cfg.terminal);
	char minute[LOCAL_MIN_LEN], date[DATE_LEN], right[512];
	time_to_local_minute(clock_now(), minute);
	date_iso_to_dk(minute, date);
	const char *role = app_user_role(app);
	if (str_empty(role))
		snprintf(right, sizeof(right), "%s %s %s %s %s ", weekday_name(date_weekday(minute)),
			 date, minute + 11, dot, app_user_name(app));
	else
		snprintf(right, sizeof(right), "%s %s %s %s %s (%s) ",
			 weekday_name(date_weekday(minute)), date, minute + 11, dot,
			 app_user_name(app), role_label(role));
	int rw = ui_text_right(0, COLS, COLS / 2, STYLE_TITLE, right);
	ui_text(0, 0, COLS - rw - 1, STYLE_TITLE, left);
}

static int draw_bar_entry(int x, const struct ui_action *a)
{
	if (!a->bar)
		return x;
	char entry[128];
	snprintf(entry, sizeof(entry), "%s %s", _(a->key), _(a->bar));
	int w = ui_width(entry);
	if (x + w + 1 > COLS)
		return COLS;
	int y = LINES - 1;
	x += ui_text(y, x, w, STYLE_BAR, _(a->key)) + 1;
	x += ui_text(y, x, COLS - x, STYLE_NORMAL, _(a->bar));
	return x + 2;
}

static void draw_key_bar(const struct frame *f)
{
	size_t n = 0, ng = 0;
	const struct ui_action *acts = f->ops->actions(f->state, &n);
	const struct ui_action *glob = ui_global_actions(&ng);
	int x = 1;
	for (size_t i = 0; i < n && x < COLS; i++)
		x = draw_bar_entry(x, &acts[i]);
	for (size_t i = 0; i < ng && x < COLS; i++)
		x = draw_bar_entry(x, &glob[i]);
}

static void draw_too_small(void)
{
	char msg[160];
	snprintf(msg, sizeof(msg), _("The terminal is too small (at least %d%s%d)."), UI_MIN_COLS,
		 ui_sym("×", "x"), UI_MIN_LINES);
	int y = LINES / 2, w = ui_width(msg);
	ui_text(y, w < COLS ? (COLS - w) / 2 : 0, COLS, STYLE_WARN, msg);
	ui_text(y + 1, 0, COLS, STYLE_NORMAL, _("Make it larger, or press q to quit."));
}

static void draw_all(void)
{
	erase();
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES) {
		draw_too_small();
	} else {
		struct frame *f = &ui.stack[ui.depth - 1];
		draw_top_line();
		struct ui_area area = {1, LINES - 2, COLS};
		f->ops->draw(f->state, &area);
		if (ui.message[0]) {
			move(LINES - 2, 0);
			clrtoeol();
			ui_text(LINES - 2, 1, COLS - 2, STYLE_WARN, ui.message);
		}
		draw_key_bar(f);
	}
	ui_input_end_frame(); /* the cursor in the text field drawn this frame, else hidden */
	refresh();
}

/* --- keys ------------------------------------------------------------------------------- */

static void normalise_key(int rc, wint_t ch, struct ui_key *k)
{
	k->ch = 0;
	k->code = 0;
	if (rc == KEY_CODE_YES)
		k->code = (int)ch;
	else if (ch == '\r' || ch == '\n')
		k->code = KEY_ENTER;
	else if (ch == 127 || ch == 8)
		k->code = KEY_BACKSPACE;
	else
		k->ch = ch;
}

static const struct ui_action *find_action(const struct ui_action *a, size_t n,
					   const struct ui_key *k)
{
	for (size_t i = 0; i < n; i++)
		if ((k->ch && a[i].ch == k->ch) || (k->code && a[i].code == k->code))
			return &a[i];
	return NULL;
}

static void close_top(void)
{
	struct frame *f = &ui.stack[--ui.depth];
	f->ops->close(f->state);
}

static enum ui_result global_action(int id)
{
	switch (id) {
	case ACT_BACK:
		return ui.depth > 1 ? UI_BACK : UI_HANDLED;
	case ACT_QUIT:
		return UI_QUIT;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return UI_HANDLED;
	default:
		return UI_IGNORED;
	}
}

static const struct ui_screen_ops *help_ops;

static enum ui_result dispatch(const struct ui_key *k)
{
	struct frame *f = &ui.stack[ui.depth - 1];
	if (COLS < UI_MIN_COLS || LINES < UI_MIN_LINES)
		return k->ch == 'q' || k->code == KEY_F(10) ? UI_QUIT : UI_HANDLED;
	enum ui_result r = f->ops->key ? f->ops->key(f->state, k) : UI_IGNORED;
	if (r != UI_IGNORED)
		return r;
	size_t n = 0, ng = 0;
	const struct ui_action *acts = f->ops->actions(f->state, &n); /* sets n: call it first */
	const struct ui_action *a = find_action(acts, n, k);
	if (a && (r = f->ops->action(f->state, a->id)) != UI_IGNORED)
		return r;
	const struct ui_action *glob = ui_global_actions(&ng);
	a = find_action(glob, ng, k);
	if (!a)
		return UI_IGNORED;
	if (a->id == ACT_HELP) {
		if (f->ops != help_ops)
			ui_push(help_ops, NULL);
		return UI_HANDLED;
	}
	return global_action(a->id);
}

static int open_pending(void)
{
	if (!ui.push_ops)
		return 0;
	const struct ui_screen_ops *ops = ui.push_ops;
	ui.push_ops = NULL;
	if (ui.depth == MAX_DEPTH)
		return 0;
	void *state = ops->open(ui.app, ui.push_arg);
	if (!state)
		return 0;
	ui.stack[ui.depth].ops = ops;
	ui.stack[ui.depth].state = state;
	ui.depth++;
	return 1;
}

/* Ctrl-S saves a form: the terminal must not take it as XOFF and freeze the screen. */
static void no_flow_control(void)
{
	struct termios t;
	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_iflag &= ~(tcflag_t)(IXON | IXOFF);
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
}

static int start_curses(void)
{
	const char *term = getenv("TERM");
	if (!newterm(NULL, stdout, stdin)) {
		eprintf_safe(_("husly: cannot use the terminal type '%s'\n"), term ? term : "");
		return -1;
	}
	ui.utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(150);
	curs_set(0);
	no_flow_control();
	/* Home and End as tmux, screen and the Linux console send them, whatever the terminfo. */
	define_key("\033[1~", KEY_HOME);
	define_key("\033[4~", KEY_END);
	define_key("\033[7~", KEY_HOME);
	define_key("\033[8~", KEY_END);
	/* Wake once in a while so the clock on the top line stays right. */
	timeout(15000);
	init_styles();
	return 0;
}

/* --- waiting for another husly, Ctrl-C ----------------------------------------------------- */

/* A save waiting for another husly's (db.h): said on the message line at once and each second,
 * since the loop draws again only when the save is done. The next frame replaces it. */
static void show_wait(const struct db_wait *w, void *arg)
{
	(void)arg;
	if (isendwin() || COLS < UI_MIN_COLS || LINES < UI_MIN_LINES)
		return;
	char msg[256];
	snprintf(msg, sizeof(msg),
		 _("Waiting for another husly on this database to finish saving... %ld s"),
		 w->seconds);
	int y, x;
	getyx(stdscr, y, x); /* the cursor of a text field stays where it is */
	move(LINES - 2, 0);
	clrtoeol();
	ui_text(LINES - 2, 1, COLS - 2, STYLE_WARN, msg);
	move(y, x);
	refresh();
}

/* The letter that answers yes: the first of the word (j in Danish). */
static int yes_letter(void)
{
	const char *yes = _("yes");
	return isalpha((unsigned char)yes[0]) ? tolower((unsigned char)yes[0]) : 'y';
}

static int is_yes(const struct ui_key *k)
{
	if (!k->ch || k->ch >= 0x80)
		return 0;
	int c = tolower((int)k->ch);
	return c == yes_letter() || c == 'y';
}

/* Ctrl-C: a question on the message line, answered by the next key (a second Ctrl-C is yes). */
static void ask_quit(void)
{
	asking_to_quit = 1;
	ui_message(_("Quit husly? Press %c to quit, any other key to carry on."), yes_letter());
}

void ui_set_help_screen(const struct ui_screen_ops *ops)
{
	help_ops = ops;
}

int ui_run(struct app *app, const struct ui_screen_ops *first, const void *arg)
{
	ui.app = app;
	install_signals();
	if (start_curses() != 0)
		return 1;
	db_wait_fn *told_before;
	void *told_arg;
	db_wait_notice(&told_before, &told_arg);
	db_set_wait_notice(show_wait, NULL);
	db_set_wait_abort(&hangup); /* SIGHUP and SIGTERM set it: give up the wait, keep drafts */
	ui_push(first, arg);
	if (!open_pending()) {
		db_set_wait_abort(NULL);
		db_set_wait_notice(told_before, told_arg);
		endwin();
		if (ui.message[0])
			eprintf_safe("husly: %s\n", ui.message);
		return 1;
	}
	int status = 0;
	while (ui.depth > 0 && !hangup) {
		if (interrupted) { /* Ctrl-C */
			interrupted = 0;
			if (asking_to_quit)
				break;
			ask_quit();
		}
		draw_all();
		/* Nothing read stays open while the user thinks: a reader would hold the database's
		 * write-ahead log (db.h). */
		if (app->db)
			db_end_reads(app->db);
		/* A signal that came while a key was handled or the screen drawn: get_wch would not
		 * see it (it returns early only for one that comes while it waits). */
		if (interrupted || hangup)
			continue;
		wint_t ch;
		int rc = get_wch(&ch);
		if (hangup)
			break;
		if (rc == ERR || (rc == KEY_CODE_YES && ch == KEY_RESIZE))
			continue;
		ui.message[0] = '\0';
		struct ui_key k;
		normalise_key(rc, ch, &k);
		if (asking_to_quit) {
			asking_to_quit = 0;
			if (is_yes(&k))
				break;
			continue;
		}
		enum ui_result r = dispatch(&k);
		if (r == UI_QUIT)
			break;
		if (r == UI_BACK)
			close_top();
		open_pending();
	}
	/* Closing keeps the drafts: that save waits for the lock as long as it must. */
	db_set_wait_abort(NULL);
	while (ui.depth > 0)
		close_top();
	db_set_wait_notice(told_before, told_arg);
	endwin();
	return status;
}
