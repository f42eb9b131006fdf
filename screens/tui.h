/* The terminal UI, as main() starts it. */
#ifndef HUSLY_TUI_H
#define HUSLY_TUI_H

struct app;

/* Opens the database and runs the UI on the resident list; returns an exit status. */
int tui_run(struct app *app);

#endif
