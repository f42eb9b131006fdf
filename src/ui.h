/* The terminal: curses set-up, safe text output, the top line and key bar, and the one main loop
 * that drives the screens. Screens (screens/) describe themselves with struct screen and an
 * action table; the loop gives each key to the screen, then to the table, then to the global
 * keys, and redraws once per event. No curses call happens in a signal handler. */
#ifndef HUSLY_UI_H
#define HUSLY_UI_H

#include <stddef.h>
#include <wchar.h>

struct app;

/* The smallest terminal husly draws on; smaller gets a "too small" notice. */
#define UI_MIN_COLS 60
#define UI_MIN_LINES 14

/* What a key handler asks of the loop. */
enum ui_result {
	UI_IGNORED = 0, /* not handled: try the next handler */
	UI_HANDLED = 1, /* handled; redraw */
	UI_BACK = 2,    /* close this screen */
	UI_QUIT = 3,    /* leave husly */
};

/* A key as read: either a character (ch) or a curses key code (code, e.g. KEY_DOWN). */
struct ui_key {
	wint_t ch;
	int code;
};

/* An action of a screen: its keys, and the words shown in the key bar and in the ? help. */
struct ui_action {
	int id;
	wint_t ch;        /* letter or symbol key, 0 if none */
	int code;         /* curses key code alias (KEY_F(n), KEY_ENTER...), 0 if none */
	const char *key;  /* how the key is written in the bar and help (message id) */
	const char *bar;  /* short word for the key bar, NULL to keep it out of the bar */
	const char *help; /* one sentence for the help screen (message id) */
};

/* Colours by meaning; on a monochrome terminal they become bold/reverse/underline. */
enum ui_style { STYLE_NORMAL, STYLE_TITLE, STYLE_BAR, STYLE_SELECTED, STYLE_WARN, STYLE_ALERT,
		STYLE_DIM, STYLE_HEADING, STYLE_COUNT };

struct ui_screen;

/* Where a screen may draw: rows top..top+height-1, all columns. */
struct ui_area {
	int top, height, width;
};

struct ui_screen_ops {
	const char *name;
	/* Returns the screen's state, or NULL if it cannot open (it has said why with ui_message). */
	void *(*open)(struct app *app, const void *arg);
	/* The screen's title for the help page. */
	const char *(*title)(void *state);
	void (*draw)(void *state, const struct ui_area *area);
	/* First chance at every key (text entry); UI_IGNORED passes it on to the actions. */
	enum ui_result (*key)(void *state, const struct ui_key *key);
	enum ui_result (*action)(void *state, int id);
	/* The actions in force now (they may change with the screen's mode). */
	const struct ui_action *(*actions)(void *state, size_t *n);
	void (*close)(void *state);
};

/* Runs the loop with first as the bottom screen; returns when the user quits or the terminal
 * goes away (SIGHUP, SIGTERM). Returns an exit status. */
int ui_run(struct app *app, const struct ui_screen_ops *first, const void *arg);
/* The help screen, opened by ? or F1 over any screen (the loop knows no screen by name). */
void ui_set_help_screen(const struct ui_screen_ops *ops);
/* Opens another screen on top of the current one (from a key or action handler). */
void ui_push(const struct ui_screen_ops *ops, const void *arg);
/* A one-line message shown on the status line until the next key. */
void ui_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Drawing. Text is UTF-8 from anywhere (the database included): control characters and escape
 * sequences are never written raw, and on a terminal without UTF-8 letters are spelled in ASCII.
 * Returns the columns used. */
int ui_text(int y, int x, int max_cols, enum ui_style style, const char *utf8);
/* Same, right-aligned so it ends at column x_end (exclusive). */
int ui_text_right(int y, int x_end, int max_cols, enum ui_style style, const char *utf8);
/* Display width of a UTF-8 string as ui_text would draw it. */
int ui_width(const char *utf8);
/* A horizontal line across the screen at row y. */
void ui_hline(int y);
/* Fills row y with the style's background. */
void ui_fill(int y, enum ui_style style);
/* Whether the terminal shows UTF-8 (else ASCII fallbacks are used). */
int ui_is_utf8(void);
/* A symbol with its ASCII fallback: ui_sym("⚠", "!!"). */
const char *ui_sym(const char *utf8, const char *ascii);

/* The actions every screen has (help, back, quit), shown after the screen's own. */
const struct ui_action *ui_global_actions(size_t *n);
/* The screen on top (while another opens: the one it opens over), for the help to list. */
const struct ui_screen_ops *ui_top_ops(void **state);

#endif
