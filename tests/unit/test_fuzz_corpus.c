/* The fuzz targets' findings stay fixed: every file of tests/fuzz/corpus (the seeds) and of
 * tests/fuzz/regress (what `make fuzz` found once, kept after the fix) goes through the same
 * harness bodies as the libFuzzer targets (tests/fuzz/harness.h), built here with gcc and the
 * sanitizers of the unit tests. Run from the top of the source tree, as tests/run.sh does. */
#include "unit.h"

#include "harness.h"

#include <dirent.h>

/* The files of dir, sorted, in a new array of new strings (none when dir does not exist). */
static char **files_in(const char *dir, size_t *n)
{
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **names = NULL;
	const struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		names = xrealloc(names, (*n + 1) * sizeof(*names));
		names[(*n)++] = unit_path(dir, e->d_name);
	}
	closedir(d);
	for (size_t i = 1; i < *n; i++) /* a few dozen files: insertion sort */
		for (size_t k = i; k > 0 && strcmp(names[k - 1], names[k]) > 0; k--) {
			char *t = names[k];
			names[k] = names[k - 1];
			names[k - 1] = t;
		}
	return names;
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s: %s", path, strerror(errno));
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_addn(&sb, buf, n);
	assert_false(ferror(f));
	fclose(f);
	*len = sb.len;
	return (unsigned char *)sb.buf;
}

/* Runs every file of dir through run; returns how many there were. */
static size_t run_dir(const char *dir, int (*run)(const uint8_t *, size_t, char **))
{
	size_t n;
	char **files = files_in(dir, &n);
	for (size_t i = 0; i < n; i++) {
		size_t len;
		unsigned char *data = slurp(files[i], &len);
		char *why = NULL;
		if (run(data, len, &why) != 0)
			fail_msg("%s: %s", files[i], why ? why : "(no reason)");
		free(data);
		free(files[i]);
	}
	free(files);
	return n;
}

static int setup(void **state)
{
	(void)state;
	unit_pin_english();
	char *why = NULL;
	if (fuzz_bundle_setup(&why) != 0 || fuzz_config_setup(&why) != 0) {
		fprintf(stderr, "setup: %s\n", why ? why : "?");
		free(why);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fuzz_bundle_teardown();
	fuzz_config_teardown();
	return 0;
}

/* The seeds must be there: a corpus that went missing would pass as empty. */
static void test_bundle_corpus(void **state)
{
	(void)state;
	assert_true(run_dir("tests/fuzz/corpus/bundle", fuzz_bundle_run) >= 10);
}

static void test_bundle_regressions(void **state)
{
	(void)state;
	run_dir("tests/fuzz/regress/bundle", fuzz_bundle_run);
}

static void test_config_corpus(void **state)
{
	(void)state;
	assert_true(run_dir("tests/fuzz/corpus/config", fuzz_config_run) >= 3);
}

static void test_config_regressions(void **state)
{
	(void)state;
	run_dir("tests/fuzz/regress/config", fuzz_config_run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundle_corpus),
		cmocka_unit_test(test_bundle_regressions),
		cmocka_unit_test(test_config_corpus),
		cmocka_unit_test(test_config_regressions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
