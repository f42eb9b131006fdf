# husly — see README. `make run` opens husly on a demo database, `make test` runs every test.
# Both first install the Debian packages they need (apt-get as root, sudo otherwise).
# `make fuzz` fuzzes bundle import and husly.conf for a while (tests/fuzz/fuzz.mk).

VERSION    = 0.1.0
PREFIX    ?= /usr/local
BINDIR    ?= $(PREFIX)/bin
MANDIR    ?= $(PREFIX)/share/man
DATADIR   ?= $(PREFIX)/share
LOCALEDIR ?= $(DATADIR)/locale
DOCDIR    ?= $(DATADIR)/doc/husly
DESTDIR   ?=

CC        ?= cc
PKGS       = ncursesw sqlite3 libconfuse pangocairo libsodium
CFLAGS    ?= -O2 -g
WARNINGS   = -std=c11 -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes \
             -Wmissing-prototypes -Wformat=2
HUSLY_CPPFLAGS = -D_GNU_SOURCE -DVERSION='"$(VERSION)"' -DLOCALEDIR='"$(LOCALEDIR)"' \
             -Isrc -Iscreens -Ibuild
# -isystem: warnings in the libraries' own headers (glib's) are theirs, not ours.
PKG_CFLAGS = $(patsubst -I%,-isystem %,$(shell pkg-config --cflags $(PKGS)))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
SANITIZE   = -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

# Debian packages: to build, and in addition to test.
DEB_BUILD  = gcc make pkg-config libncurses-dev libsqlite3-dev libconfuse-dev gettext \
             libpango1.0-dev libcairo2-dev fonts-dejavu-core libsodium-dev
DEB_TEST   = libcmocka-dev tmux sqlite3 poppler-utils
DEB_BENCH  = sqlite3

CORE_SRC   = $(filter-out src/main.c src/ui%.c,$(wildcard src/*.c))
UI_SRC     = $(wildcard src/ui*.c) $(wildcard screens/*.c)
CORE_OBJ   = $(CORE_SRC:%.c=build/%.o) build/schema.o
UI_OBJ     = $(UI_SRC:%.c=build/%.o)
ASAN_OBJ   = $(CORE_OBJ:build/%=build/asan/%) $(UI_OBJ:build/%=build/asan/%) build/asan/src/main.o
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=build/tests/%)
PO         = $(wildcard po/*.po)
MO         = $(PO:po/%.po=build/locale/%/LC_MESSAGES/husly.mo)
DEMO_DB    = build/demo/husly.db

.PHONY: all run test bench deps deps-test deps-bench install uninstall clean lint pot fuzz FORCE

all: husly $(MO)

husly: $(CORE_OBJ) $(UI_OBJ) build/src/main.o
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS)

build/%.o: %.c $(wildcard src/*.h screens/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(WARNINGS) $(CFLAGS) $(HUSLY_CPPFLAGS) $(PKG_CFLAGS) -MMD -c -o $@ $<

# main.c has LOCALEDIR and VERSION built in: rebuild it when they change (make install PREFIX=...
# after a build with another prefix must not install a binary that looks in the wrong place).
build/flags: FORCE
	@mkdir -p build
	@echo '$(LOCALEDIR) $(VERSION)' | cmp -s - $@ || echo '$(LOCALEDIR) $(VERSION)' > $@
build/src/main.o build/asan/src/main.o: build/flags
FORCE:

# db/schema.sql becomes a byte array, so the binary carries the one true schema (no string
# literal: ISO C limits their length).
build/schema.c: db/schema.sql
	@mkdir -p build
	{ echo '#include <stddef.h>'; \
	  echo 'extern const unsigned char husly_schema_sql[];'; \
	  echo 'extern const size_t husly_schema_sql_len;'; \
	  echo 'const unsigned char husly_schema_sql[] = {'; \
	  od -An -v -tx1 $< | sed 's/\([0-9a-f][0-9a-f]\)/0x\1,/g'; \
	  echo '};'; \
	  echo 'const size_t husly_schema_sql_len = sizeof(husly_schema_sql);'; } > $@

build/schema.o: build/schema.c
	$(CC) $(WARNINGS) $(CFLAGS) -c -o $@ $<

build/locale/%/LC_MESSAGES/husly.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# --- sanitizer build, used by the tests --------------------------------------------------
build/asan/husly: $(ASAN_OBJ)
	$(CC) $(SANITIZE) -g -o $@ $^ $(PKG_LIBS)

build/asan/%.o: %.c $(wildcard src/*.h screens/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) $(HUSLY_CPPFLAGS) $(PKG_CFLAGS) -c -o $@ $<

build/asan/schema.o: build/schema.c
	@mkdir -p $(dir $@)
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) -c -o $@ $<

build/tests/%: tests/unit/%.c tests/unit/unit.h $(ASAN_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(WARNINGS) -O1 -g $(SANITIZE) $(HUSLY_CPPFLAGS) -Itests/unit $(PKG_CFLAGS) \
	  -o $@ $< $(filter build/asan/src/%,$(filter-out build/asan/src/main.o build/asan/src/ui%.o,$(ASAN_OBJ))) \
	  build/asan/schema.o $(PKG_LIBS) $(shell pkg-config --libs cmocka)

# --- the two commands --------------------------------------------------------------------
# Installs what is missing: apt-get as root, sudo otherwise, or prints the line and stops.
define install_missing
	@missing=; \
	if command -v dpkg >/dev/null 2>&1; then \
	  for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "husly: installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then apt=apt-get; \
	  elif command -v sudo >/dev/null 2>&1; then apt="sudo apt-get"; \
	  else echo "husly: please run as root:  apt-get install -y$$missing" >&2; exit 1; fi; \
	  $$apt update -qq && DEBIAN_FRONTEND=noninteractive $$apt install -y -qq$$missing \
	    || { echo "husly: could not install; run:  sudo apt-get install -y$$missing" >&2; exit 1; }; \
	fi
endef

deps:
	$(call install_missing,$(DEB_BUILD))

deps-test:
	$(call install_missing,$(DEB_BUILD) $(DEB_TEST))

run: deps
	@$(MAKE) --no-print-directory all
	@if [ ! -f $(DEMO_DB) ]; then \
	  echo "husly: making a demo database in $(DEMO_DB)"; \
	  ./husly -c db/demo.conf -d $(DEMO_DB) demo --residents 60 --edits 300 --seed 1 || exit 1; \
	fi
	./husly -c db/demo.conf -d $(DEMO_DB)

test: deps-test
	@$(MAKE) --no-print-directory all build/asan/husly $(UNIT_BIN)
	@tests/run.sh

# Figures, not tests: see "Benchmarks" in README. BENCH_SIZES, BENCH_PARTS, BENCH_RUNS,
# BENCH_HEAVY_RUNS.
deps-bench:
	$(call install_missing,$(DEB_BUILD) $(DEB_BENCH))

bench: deps-bench
	@$(MAKE) --no-print-directory all build/bench/ptydrive
	@bench/run.sh

# The pseudo-terminal driver of bench/run.sh (forkpty is in libutil).
build/bench/ptydrive: bench/ptydrive.c
	@mkdir -p $(dir $@)
	$(CC) $(WARNINGS) $(CFLAGS) -o $@ $< -lutil

include tests/fuzz/fuzz.mk

# --- install -----------------------------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(DOCDIR)
	install -m 0755 husly $(DESTDIR)$(BINDIR)/husly
	install -m 0644 man/husly.1 $(DESTDIR)$(MANDIR)/man1/husly.1
	install -m 0644 man/husly.conf.5 $(DESTDIR)$(MANDIR)/man5/husly.conf.5
	install -m 0644 man/husly.conf.example $(DESTDIR)$(DOCDIR)/husly.conf.example
	for mo in $(MO); do \
	  lang=$${mo#build/locale/}; lang=$${lang%%/*}; \
	  install -d $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES; \
	  install -m 0644 $$mo $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/husly.mo; \
	done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/husly $(DESTDIR)$(MANDIR)/man1/husly.1 \
	  $(DESTDIR)$(MANDIR)/man5/husly.conf.5 $(DESTDIR)$(DOCDIR)/husly.conf.example
	-rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null
	for po in $(PO); do \
	  lang=$${po#po/}; lang=$${lang%.po}; \
	  rm -f $(DESTDIR)$(LOCALEDIR)/$$lang/LC_MESSAGES/husly.mo; \
	done

# --- maintenance -------------------------------------------------------------------------
pot:
	xgettext --from-code=UTF-8 -k_ -kN_ -o po/husly.pot --package-name=husly \
	  --package-version=$(VERSION) src/*.c screens/*.c
	for po in $(PO); do msgmerge -q -U --backup=none $$po po/husly.pot; done

lint:
	$(call install_missing,cppcheck clang-tidy)
	cppcheck -q --enable=warning,performance,portability --error-exitcode=1 \
	  --suppress=missingIncludeSystem -Isrc -Iscreens src screens
	clang-tidy -quiet $(CORE_SRC) $(UI_SRC) src/main.c -- $(HUSLY_CPPFLAGS) $(PKG_CFLAGS)

clean:
	rm -rf build husly

-include $(wildcard build/*/*.d build/*/*/*.d)
