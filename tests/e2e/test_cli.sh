#!/bin/bash
# The commands run from the shell: options, exit statuses, dump and check, configuration
# errors, and the configuration examples of the documentation.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

make_demo


help_and_version() {
	husly_run --help
	expect_status 0 "--help" || return
	local word
	for word in demo dump check --db --config; do
		grep -qw -- "$word" "$T/out" || fail "--help does not mention $word" || return
	done
	[ ! -s "$T/err" ] || fail "--help wrote to stderr" || return
	husly_run -h
	expect_status 0 "-h" || return
	husly_run --version
	expect_status 0 "--version" || return
	grep -qE '^husly [0-9]+\.[0-9]+\.[0-9]+' "$T/out" || fail "--version printed '$(cat "$T/out")'" ||
		return
	husly_run -V
	expect_status 0 "-V" || return
}

usage_errors() {
	husly_run -c db/demo.conf -d "$T/x.db" frobnicate
	expect_status 2 "an unknown command" || return
	stderr_has frobnicate || return
	husly_run --frobnicate
	expect_status 2 "an unknown option" || return
	stderr_has --frobnicate || return
	husly_run -d
	expect_status 2 "-d without a file" || return
	husly_run -c db/demo.conf -d "$T/x.db" dump extra
	expect_status 2 "dump with an argument" || return
	husly_run -c db/demo.conf -d "$T/x.db" check extra
	expect_status 2 "check with an argument" || return
	HUSLY_NOW=tomorrow husly_run -c db/demo.conf -d "$T/x.db" check
	expect_status 2 "a malformed HUSLY_NOW" || return
	stderr_has HUSLY_NOW || return
}

demo_usage_errors() {
	local arg
	for arg in "--residents x" "--residents -1" "--residents 1.5" "--edits many" "--seed" \
		"--seed abc" "--colour" "surplus"; do
		# shellcheck disable=SC2086
		husly_run -c db/demo.conf -d "$T/y.db" demo $arg
		expect_status 2 "demo $arg" || return
	done
	# None of them made anything.
	if [ -f "$T/y.db" ]; then
		husly_run -c db/demo.conf -d "$T/y.db" dump
		[ ! -s "$T/out" ] || fail "a refused demo command still added residents" || return
	fi
}

# An option without its value is named in the message; and a path with an escape sequence in it
# reaches the terminal with the ESC shown as ?, from every command and the screens.
missing_values_and_escapes_in_messages() {
	local opt
	for opt in --residents --edits --seed; do
		husly_run -c db/demo.conf -d "$T/z.db" demo "$opt"
		expect_status 2 "demo $opt without a value" || return
		stderr_has "$opt" || return
	done
	[ ! -e "$T/z.db" ] || fail "demo without a value made a database" || return
	local bad=$T/x$'\e[7m'Y what
	for what in dump check ""; do
		# shellcheck disable=SC2086 # "" is the screens: no command at all
		timeout 20 "$HUSLY" -c db/demo.conf -d "$bad" $what >"$T/out" 2>"$T/err" </dev/null
		STATUS=$?
		expect_status 1 "${what:-the screens} on a missing path with ESC in it" || return
		if LC_ALL=C grep -q $'\e' "$T/err" "$T/out"; then
			fail "${what:-the screens}: an ESC reached the terminal: $(od -c "$T/err" | head -3)"
			return
		fi
		stderr_has "$T/x?[7mY" || return
	done
	[ ! -e "$bad" ] || fail "a command created $bad" || return
	# init makes it, and says so without the ESC.
	husly_run -c db/demo.conf -d "$bad" init
	expect_status 0 "init on a path with ESC in it" || return
	! LC_ALL=C grep -q $'\e' "$T/out" "$T/err" || fail "init let an ESC through: $(od -c "$T/out" | head -3)" ||
		return
	grep -qF "$T/x?[7mY" "$T/out" || fail "init does not name the path: $(cat "$T/out")" || return
}

dump_twice_identical() {
	husly_run -c db/demo.conf -d "$DEMO_DB" dump
	expect_status 0 "dump" || return
	cp "$T/out" "$T/dump1"
	husly_run -c db/demo.conf -d "$DEMO_DB" dump
	expect_status 0 "dump again" || return
	cmp -s "$T/dump1" "$T/out" || fail "two dumps of the same database differ" || return
	[ "$(grep -c '^{"type":"resident",' "$T/out")" -eq 60 ] ||
		fail "the dump does not have 60 residents" || return
	# Every line is a JSON object (sqlite3's json_valid says so).
	local bad
	awk '{ gsub(/"/, "\"\""); print "\"" $0 "\"" }' "$T/out" >"$T/dump.csv"
	bad=$(sqlite3 :memory: "CREATE TABLE d(line TEXT);" ".import --csv $T/dump.csv d" \
		"SELECT count(*) FROM d WHERE json_valid(line) = 0 OR json_type(line) <> 'object';")
	[ "$bad" = 0 ] || fail "$bad dump lines are not JSON objects" || return
	# The same seed on another database gives the same dump.
	husly_run -c db/demo.conf -d "$T/again.db" demo --residents 60 --seed 1
	expect_status 0 "demo on a second database" || return
	husly_run -c db/demo.conf -d "$T/again.db" dump
	cmp -s "$T/dump1" "$T/out" || fail "the same seed gave another dump: $(diff "$T/dump1" "$T/out" | head -3)" ||
		return
	# Another seed does not.
	husly_run -c db/demo.conf -d "$T/other.db" demo --residents 60 --seed 2
	expect_status 0 "demo --seed 2" || return
	husly_run -c db/demo.conf -d "$T/other.db" dump
	! cmp -s "$T/dump1" "$T/out" || fail "seeds 1 and 2 gave the same dump" || return
}

check_clean() {
	husly_run -c db/demo.conf -d "$DEMO_DB" check
	expect_status 0 "check on the demo database" || return
	grep -qF "$DEMO_DB" "$T/out" || fail "check does not name the database: $(cat "$T/out")" || return
}

check_broken() {
	local db
	db=$(demo_copy overlap)
	sql "$db" "INSERT INTO stay (id, resident_id, arrival, departure, created_at, created_by,
			updated_at, updated_by)
		SELECT 'overlap00000', resident_id, '2000-01-01 10:00', '2099-01-01 10:00',
			'2026-11-25T01:14:00Z', 'sql', '2026-11-25T01:14:00Z', 'sql'
		FROM stay WHERE departure IS NULL ORDER BY id LIMIT 1" ||
		fail "could not break the database" || return
	husly_run -c db/demo.conf -d "$db" check
	expect_status 1 "check on overlapping stays" || return
	grep -q "overlap" "$T/out" || fail "check does not name the overlap: $(cat "$T/out" "$T/err")" ||
		return
	grep -q "overlap00000" "$T/out" || fail "check does not name the stay" || return
	# A stay of a resident who does not exist.
	db=$(demo_copy orphan)
	sql "$db" "PRAGMA foreign_keys = OFF;
		INSERT INTO stay (id, resident_id, arrival, created_at, created_by, updated_at,
			updated_by)
		VALUES ('orphan000000', 'nobody000000', '2026-11-24 10:00', '2026-11-25T01:14:00Z',
			'sql', '2026-11-25T01:14:00Z', 'sql')" || fail "could not break the database" || return
	husly_run -c db/demo.conf -d "$db" check
	expect_status 1 "check on a stay without its resident" || return
	grep -q "resident" "$T/out" || fail "check does not say what is missing: $(cat "$T/out")" || return
}

not_a_database() {
	printf 'this is not a database, just text\n%.0s' {1..200} >"$T/text.db"
	husly_run -c db/demo.conf -d "$T/text.db" check
	expect_status 1 "check on a text file" || return
	stderr_has "$T/text.db" || return
	sqlite3 "$T/other.sqlite" "CREATE TABLE invoices (id INTEGER PRIMARY KEY);"
	husly_run -c db/demo.conf -d "$T/other.sqlite" dump
	expect_status 1 "dump of another program's database" || return
	[ "$(sqlite3 "$T/other.sqlite" "SELECT count(*) FROM sqlite_schema")" = 1 ] ||
		fail "husly changed another program's database" || return
	# A database made by a newer husly.
	cp "$DEMO_DB" "$T/newer.db"
	sqlite3 "$T/newer.db" "PRAGMA user_version = 99"
	husly_run -c db/demo.conf -d "$T/newer.db" check
	expect_status 1 "check on a newer database" || return
}

new_database_is_private() {
	# Commands that only read do not make a database out of a mistyped path.
	husly_run -c db/demo.conf -d "$T/typo/h.db" check
	expect_status 1 "check on a database that does not exist" || return
	stderr_has "$T/typo/h.db" || return
	[ ! -e "$T/typo/h.db" ] || fail "check created $T/typo/h.db" || return
	husly_run -c db/demo.conf -d "$T/typo/h.db" dump
	expect_status 1 "dump of a database that does not exist" || return
	# demo makes one: private, in private directories.
	husly_run -c db/demo.conf -d "$T/new/dir/h.db" demo --residents 1
	expect_status 0 "demo on a new database" || return
	[ "$(stat -c %a "$T/new/dir/h.db")" = 600 ] || fail "the database is not mode 600" || return
	[ "$(stat -c %a "$T/new/dir")" = 700 ] || fail "its directory is not mode 700" || return
	[ "$(stat -c %a "$T/new")" = 700 ] || fail "its parent directory is not mode 700" || return
	husly_run -c db/demo.conf -d "$T/new/dir/h.db" check
	expect_status 0 "check on the new database" || return
	# Without -d: the default under XDG_DATA_HOME.
	husly_run -c db/demo.conf demo --residents 1
	expect_status 0 "demo on the default database" || return
	[ -f "$XDG_DATA_HOME/husly/husly.db" ] || fail "no database at \$XDG_DATA_HOME/husly/husly.db" ||
		return
	husly_run -c db/demo.conf check
	expect_status 0 "check on the default database" || return
}

# conf_error NAME CONTENT LINE: husly -c FILE check exits 2 and names FILE:LINE.
conf_error() {
	local file=$T/$1
	printf '%s' "$2" >"$file"
	husly_run -c "$file" -d "$T/x.db" check
	expect_status 2 "$1" || return
	stderr_has "$1:$3:" || return
}

bad_config() {
	conf_error unknown.conf $'shelter = "Herberget"\nterminal = "t"\nprinter = "lpr"\n' 3 ||
		return
	stderr_has printer || return
	# With comments above, as every real file has.
	conf_error commented.conf $'# husly.conf\n# for the night\nshelter = "Herberget" # name\n\nprinter = "lpr"\n' 5 ||
		return
	conf_error unterminated.conf $'shelter = "Herberget"\nterminal = "reception-1\nlanguage = "da"\n# printer\nprint_command = "lpr"\ndatabase = "/x.db"\n' 2 ||
		return
	stderr_has unterminated || return
	conf_error role.conf $'staff anna {\n  name = "Anna"\n  role = "boss"\n}\n' 3 || return
	stderr_has role || return
	conf_error language.conf $'language = "de"\n' 1 || return
	# A missing file named with -c.
	husly_run -c "$T/no-such.conf" -d "$T/x.db" check
	expect_status 2 "a missing -c file" || return
	stderr_has "$T/no-such.conf" || return
	# A bad user file (no -c) is an error too, with its own path.
	mkdir -p "$XDG_CONFIG_HOME/husly"
	printf 'shelter = "x"\nbogus = 1\n' >"$XDG_CONFIG_HOME/husly/husly.conf"
	husly_run -d "$T/x.db" check
	expect_status 2 "a bad user configuration" || return
	stderr_has "$XDG_CONFIG_HOME/husly/husly.conf:2:" || return
	rm -f "$XDG_CONFIG_HOME/husly/husly.conf"
	# The TUI says so too, before it touches the terminal.
	printf 'shelter = "x"\n\nbogus = 1\n' >"$T/tui.conf"
	husly_run -c "$T/tui.conf" -d "$T/x.db"
	expect_status 2 "the TUI with a bad configuration" || return
	stderr_has "tui.conf:3:" || return
}

# The single .EX/.EE example of husly.conf(5), and husly.conf.example, are files husly accepts.
man_examples() {
	local page=man/husly.conf.5 example=man/husly.conf.example
	[ -f "$page" ] || fail "$page does not exist" || return
	[ -f "$example" ] || fail "$example does not exist" || return
	local blocks
	blocks=$(grep -c '^\.EX' "$page")
	[ "$blocks" -eq 1 ] || fail "$page has $blocks .EX blocks, expected 1" || return
	# The block's text, roff escapes undone: \- is -, \e and \\ are \, \(dq is ", \& is nothing.
	sed -n '/^\.EX/,/^\.EE/p' "$page" | sed '1d;$d' |
		sed -e 's/\\-/-/g; s/\\(dq/"/g; s/\\&//g; s/\\e/\\/g; s/\\\\/\\/g' >"$T/man.conf"
	[ -s "$T/man.conf" ] || fail "the .EX block of $page is empty" || return
	if grep -q '^\.' "$T/man.conf"; then
		fail "the example holds roff requests: $(grep '^\.' "$T/man.conf" | head -2)"
		return
	fi
	husly_run -c "$T/man.conf" -d "$DEMO_DB" check
	expect_status 0 "the example of $page" || return
	husly_run -c "$example" -d "$DEMO_DB" check
	expect_status 0 "$example" || return
}

run_test "--help and --version" help_and_version
run_test "unknown commands and options exit 2" usage_errors
run_test "demo with bad arguments exits 2" demo_usage_errors
run_test "an option without a value is named; no ESC from a path reaches the terminal" \
	missing_values_and_escapes_in_messages
run_test "dump twice gives identical output; same seed same dump" dump_twice_identical
run_test "check on the demo database exits 0" check_clean
run_test "check on broken databases exits 1 and names the problem" check_broken
run_test "files that are not husly databases are refused" not_a_database
run_test "a new database is private" new_database_is_private
run_test "configuration errors exit 2 with FILE:LINE" bad_config
run_test "the configuration examples of the man page parse" man_examples
finish
