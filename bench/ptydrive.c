/* ptydrive: runs a program in a pseudo-terminal the way a person at a terminal would use it, and
 * measures what they wait for and what their line carries: the time from a key to the last byte
 * of the screen's answer, the bytes of that answer, and the program's peak memory.
 *
 *   ptydrive [-s COLSxROWS] [-q QUIET_MS] SCRIPT -- PROGRAM [ARGS...]
 *
 * SCRIPT is a file of lines, each one step:
 *   start NAME        wait until the program has drawn its first screen and gone quiet; prints
 *                     the time from starting it to the last byte of that screen
 *   key NAME KEYS     sends KEYS, waits until the screen is quiet again; prints the time from the
 *                     keys to the last byte of the answer
 *   keys KEYS         the same, printing nothing (getting somewhere)
 *   hangup            sends SIGHUP (husly keeps drafts and closes cleanly) and waits for the end;
 *                     the script's end does the same
 * KEYS are bytes with C escapes: \r \n \t \e \\ and \xHH. Each printed line is
 *   NAME <tab> MILLISECONDS <tab> BYTES
 * and at the end, "rss <tab> PEAK_KB <tab> 0" from the program's own resource usage.
 *
 * "Quiet" is no output for QUIET_MS (default 250) after the answer's first byte: longer than any
 * pause inside one redraw, so
 * the last byte before it ends the answer; the quiet wait itself is not counted. Exit status 0,
 * or 1 when the program died before the script ended or a step saw no output at all.
 *
 *   ptydrive -r -- PROGRAM [ARGS...]
 *
 * runs PROGRAM without a terminal and prints "run <tab> MILLISECONDS <tab> PEAK_KB" on stderr
 * (its own output is left alone), with PROGRAM's exit status: the figures of a command. */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long quiet_ms = 250;
/* How long the first byte of an answer may take: the first screen ten minutes (a database
 * upgraded on opening), a key five seconds (some keys rightly answer nothing). */
#define START_MS 600000
#define KEY_MS   5000

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Reads the C escapes of s into out (in place is fine); returns the length. */
static size_t unescape(const char *s, char *out)
{
	size_t n = 0;
	while (*s) {
		if (*s != '\\' || !s[1]) {
			out[n++] = *s++;
			continue;
		}
		s++;
		char c = *s++;
		switch (c) {
		case 'r': out[n++] = '\r'; break;
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'e': out[n++] = 27; break;
		case 'x': {
			int hi = hex_digit(s[0]), lo = hi < 0 ? -1 : hex_digit(s[1]);
			if (lo < 0) {
				out[n++] = 'x';
				break;
			}
			out[n++] = (char)(hi * 16 + lo);
			s += 2;
			break;
		}
		default: out[n++] = c; break;
		}
	}
	return n;
}

/* Reads the program's output until it has been quiet for quiet_ms after its first byte (waiting
 * up to first_ms for that one). Returns the bytes read and
 * sets *last to when the last one came (unchanged when none came); -1 when the program ended. */
static long drain(int fd, double *last, int first_ms)
{
	char buf[65536];
	long total = 0;
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		int rc = poll(&p, 1, total ? (int)quiet_ms : first_ms);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc <= 0)
			return total;
		ssize_t got = read(fd, buf, sizeof(buf));
		if (got <= 0)
			return total > 0 ? total : -1;
		*last = now_ms();
		total += got;
	}
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

struct child {
	pid_t pid;
	int fd;
	double started;
};

static int spawn(struct child *c, unsigned short cols, unsigned short rows, char **argv)
{
	struct winsize ws = {.ws_row = rows, .ws_col = cols};
	c->started = now_ms();
	c->pid = forkpty(&c->fd, NULL, NULL, &ws);
	if (c->pid < 0) {
		perror("ptydrive: forkpty");
		return -1;
	}
	if (c->pid == 0) {
		execvp(argv[0], argv);
		perror("ptydrive: exec");
		_exit(127);
	}
	return 0;
}

/* Ends the program as a dropped SSH line does, and reads what it writes until it is gone (10 s
 * at most, then it is killed). Returns 1: the script is over. */
static int hang_up(struct child *c)
{
	kill(c->pid, SIGHUP);
	double last = 0;
	for (int i = 0; i < 40; i++)
		if (drain(c->fd, &last, KEY_MS) < 0)
			return 1;
	kill(c->pid, SIGKILL);
	return 1;
}

/* Runs PROGRAM without a terminal (its output goes where ours goes) and prints its wall time and
 * peak memory: "run <tab> MILLISECONDS <tab> PEAK_KB". */
static int run_plain(char **argv)
{
	double from = now_ms();
	pid_t pid = fork();
	if (pid < 0) {
		perror("ptydrive: fork");
		return 1;
	}
	if (pid == 0) {
		execvp(argv[0], argv);
		perror("ptydrive: exec");
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("ptydrive: wait");
		return 1;
	}
	fprintf(stderr, "run\t%.3f\t%ld\n", now_ms() - from, ru.ru_maxrss);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* Runs one script line; returns 0, 1 after hangup, or -1 when the program is gone or gave no
 * answer. */
static int step(struct child *c, char *line)
{
	char *verb = strtok(line, " \t\n");
	if (!verb || verb[0] == '#')
		return 0;
	char *name = NULL, *keys = NULL;
	if (strcmp(verb, "start") == 0 || strcmp(verb, "key") == 0)
		name = strtok(NULL, " \t\n");
	if (strcmp(verb, "key") == 0 || strcmp(verb, "keys") == 0)
		keys = strtok(NULL, "\n");
	if (strcmp(verb, "hangup") == 0)
		return hang_up(c);
	double from = c->started, last = 0;
	if (keys) {
		char buf[4096];
		size_t n = unescape(keys, buf);
		from = now_ms();
		if (write_all(c->fd, buf, n) != 0)
			return -1;
	}
	long bytes = drain(c->fd, &last, keys ? KEY_MS : START_MS);
	if (bytes < 0 || (bytes == 0 && name)) {
		fprintf(stderr, "ptydrive: no answer to '%s %s'\n", verb, name ? name : keys);
		return -1;
	}
	if (name)
		printf("%s\t%.3f\t%ld\n", name, last - from, bytes);
	return 0;
}

static int usage(void)
{
	fputs("usage: ptydrive [-s COLSxROWS] [-q QUIET_MS] SCRIPT -- PROGRAM [ARGS...]\n"
	      "       ptydrive -r -- PROGRAM [ARGS...]\n",
	      stderr);
	return 2;
}

int main(int argc, char **argv)
{
	unsigned cols = 80, rows = 24;
	int opt, plain = 0;
	while ((opt = getopt(argc, argv, "rs:q:")) != -1) {
		if (opt == 'r' && (plain = 1))
			continue;
		if (opt == 's' && sscanf(optarg, "%ux%u", &cols, &rows) == 2 && cols && rows)
			continue;
		if (opt == 'q' && (quiet_ms = atol(optarg)) > 0)
			continue;
		return usage();
	}
	if (plain)
		return optind < argc ? run_plain(argv + optind) : usage();
	if (argc - optind < 2)
		return usage();
	FILE *script = fopen(argv[optind], "r");
	if (!script) {
		perror(argv[optind]);
		return 2;
	}
	struct child c;
	if (spawn(&c, (unsigned short)cols, (unsigned short)rows, argv + optind + 1) != 0)
		return 1;
	char line[8192];
	int rc = 0;
	while (rc == 0 && fgets(line, sizeof(line), script))
		rc = step(&c, line);
	fclose(script);
	if (rc == 0)
		hang_up(&c);
	else if (rc < 0)
		kill(c.pid, SIGKILL);
	int status;
	struct rusage ru;
	if (wait4(c.pid, &status, 0, &ru) < 0) {
		perror("ptydrive: wait");
		return 1;
	}
	printf("rss\t%ld\t0\n", ru.ru_maxrss);
	return rc >= 0 ? 0 : 1;
}
