/* The bodies of the fuzz targets (tests/fuzz/fuzz_*.c, built with libFuzzer by `make fuzz`),
 * shared with the regression test that feeds them every file of tests/fuzz/corpus and
 * tests/fuzz/regress on each `make test` (tests/unit/test_fuzz_corpus.c).
 *
 * Each *_run takes one input and returns 0 when husly behaved, or -1 with *why set (a new string)
 * naming the rule it broke; a crash or a sanitizer report is a failure too. The libFuzzer
 * targets abort on -1, so the input becomes a finding. */
#ifndef HUSLY_FUZZ_HARNESS_H
#define HUSLY_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* HUSLY_NOW="2026-11-25 02:14" in Copenhagen: the bundles of the corpus were made then
 * (tests/fuzz/make-corpus.sh), and the fuzzed imports happen then too. */
#define FUZZ_NOW 1795569240

/* The test shelter key (hex): tests/fuzz/make-corpus.sh seals the corpus bundles with it. Only
 * for tests; it seals nothing but made-up data. */
#define FUZZ_KEY_HEX "3c36a115b7c6eac2619e13b2268810349e4fe34231ccd65e8a22fda587afae38"

/* Bundle import, the way `husly import` does it (sync_import), into a small demo database made
 * once by fuzz_bundle_setup and put back before every input. The input is
 *
 *   'S' TEXT   the text of a bundle (JSON Lines), sealed here with the test key;
 *   'P' TEXT   the same, written here as a plain bundle (imported as with --plaintext);
 *   anything else: the bytes of a bundle file (sealed with the test key, or plain).
 *
 * The first two let the fuzzer reach the changes inside, past the seal and the checksum. The
 * rules checked: a refused import leaves the database exactly as it was (its dump) and says why
 * in text safe for a terminal; an accepted one leaves a database `husly check` finds sound (but
 * for what two terminals can make between them without fault: two open stays of a resident, two
 * residents with one CPR number), and importing the same bundle again adds and changes nothing. */
int fuzz_bundle_setup(char **why);
int fuzz_bundle_run(const uint8_t *data, size_t size, char **why);
void fuzz_bundle_teardown(void);

/* husly.conf, read with config_load from a file holding the input. The rules checked: a
 * refusal says where ("FILE:..."); a configuration config_load accepts, lists_configure
 * accepts too. */
int fuzz_config_setup(char **why);
int fuzz_config_run(const uint8_t *data, size_t size, char **why);
void fuzz_config_teardown(void);

#endif
