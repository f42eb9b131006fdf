# Fuzzing, included by the Makefile: `make fuzz` builds the libFuzzer targets of tests/fuzz/
# (bundle import and husly.conf) with clang and runs each for FUZZ_SECONDS, then says what it
# found (tests/fuzz/run.sh). The same harness bodies are linked into an ordinary unit test,
# build/tests/test_fuzz_corpus, which `make test` runs over the seed corpus and every finding
# kept in tests/fuzz/regress/.

FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
# clang, and libFuzzer's runtime (libclang_rt.fuzzer), which Debian 12 packs apart.
DEB_FUZZ      = clang libclang-rt-14-dev
FUZZ_SANITIZE = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_CORE_OBJ = $(CORE_OBJ:build/%=build/fuzz/%)
FUZZ_TARGETS  = build/fuzz/fuzz_bundle build/fuzz/fuzz_config
FUZZ_HARNESS  = tests/fuzz/harness_bundle.c tests/fuzz/harness_config.c

fuzz:
	$(call install_missing,$(DEB_BUILD) $(DEB_FUZZ))
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

# husly's core, instrumented for libFuzzer (coverage) and the sanitizers.
build/fuzz/%.o: %.c $(wildcard src/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARNINGS) -O1 -g -fsanitize=fuzzer-no-link $(FUZZ_SANITIZE) $(HUSLY_CPPFLAGS) \
	  $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/schema.o: build/schema.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARNINGS) -O1 -g $(FUZZ_SANITIZE) -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/harness_%.c tests/fuzz/harness.h $(FUZZ_CORE_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARNINGS) -O1 -g -fsanitize=fuzzer $(FUZZ_SANITIZE) $(HUSLY_CPPFLAGS) \
	  $(PKG_CFLAGS) -o $@ $(filter %.c,$^) $(FUZZ_CORE_OBJ) $(PKG_LIBS)

# The regression test: the harnesses built with the compiler and sanitizers of the unit tests.
build/tests/test_fuzz_corpus: tests/unit/test_fuzz_corpus.c tests/unit/unit.h tests/fuzz/harness.h \
  $(FUZZ_HARNESS) $(CORE_OBJ:build/%=build/asan/%)
	@mkdir -p $(dir $@)
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) $(HUSLY_CPPFLAGS) -Itests/unit -Itests/fuzz $(PKG_CFLAGS) \
	  -o $@ $< $(FUZZ_HARNESS) $(CORE_OBJ:build/%=build/asan/%) $(PKG_LIBS) \
	  $(shell pkg-config --libs cmocka)

# Kept: they are prerequisites of a pattern rule only, which would make them intermediate.
.SECONDARY: $(FUZZ_CORE_OBJ)
