/* libFuzzer target: husly.conf (see harness.h). Built and run by `make fuzz`. */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void teardown(void)
{
	fuzz_config_teardown();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char *why = NULL;
	if (fuzz_config_setup(&why) != 0) {
		fprintf(stderr, "fuzz_config: setup failed: %s\n", why ? why : "?");
		exit(1);
	}
	atexit(teardown);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *why = NULL;
	if (fuzz_config_run(data, size, &why) != 0) {
		fprintf(stderr, "fuzz_config: %s\n", why ? why : "?");
		abort(); /* a finding: libFuzzer keeps the input */
	}
	return 0;
}
