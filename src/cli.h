/* The commands run from the shell (`husly demo`, `dump`, `check`), thin wrappers over the core. */
#ifndef HUSLY_CLI_H
#define HUSLY_CLI_H

#include <stdio.h>

struct app;

/* Exit statuses: documented in husly(1). */
enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

/* Runs the command named argv[0]; returns an exit status. Unknown command: EXIT_USAGE. */
int cli_run(struct app *app, int argc, char **argv);
/* Whether name is a command. */
int cli_is_command(const char *name);
/* Prints the usage text (to stdout for --help, stderr after a usage error). */
void cli_usage(FILE *out);

#endif
