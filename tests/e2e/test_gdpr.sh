#!/bin/bash
# The resident's rights: `husly print --subject-access` (everything stored about a person, as
# text and as PDF, nothing of anyone else, escape sequences made harmless, coordinators only,
# audited) and `husly retention` (a dry run changes nothing; --apply erases exactly those gone
# longer than the retention time, audited, and the erasures reach another database by sync).
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

for tool in pdftotext pdfinfo; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "not ok setup: $tool is not installed (make deps-test)"; exit 1; }
done

make_demo
ME=$(id -un)

# A configuration with the shelter, and husly.conf lines given as arguments.
conf() {
	local file=$T/c$RANDOM.conf
	{
		echo 'shelter = "Herberget Nordhavn"'
		for line in "$@"; do echo "$line"; done
	} >"$file"
	echo "$file"
}

# text_has FILE WORDS...: fails unless FILE holds every one, also across a wrapped line;
# text_lacks: unless it holds none.
text_has() {
	local file=$1 word flat
	shift
	flat=$(tr '\n' ' ' <"$file" | tr -s ' ')
	for word in "$@"; do
		[[ $flat == *"$word"* ]] ||
			fail "$(basename "$file") lacks '$word': $(head -c 800 "$file" | tr '\n' '|')" ||
			return
	done
}
text_lacks() {
	local file=$1 word
	shift
	for word in "$@"; do
		! grep -qF -- "$word" "$file" || fail "$(basename "$file") holds '$word'" || return
	done
}

# Two residents with notes: A, whose subject access is printed (marked with a CPR number, a
# note of their own with an escape sequence in it, and a print of their checklist), and B,
# nothing of whom may show. Sets A, B, A_NAME, B_NAME, A_NOTE, B_NOTE.
two_residents() {
	local db=$1
	A=$(sql "$db" "SELECT r.id FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL AND EXISTS (SELECT 1 FROM note WHERE resident_id = r.id)
		ORDER BY r.id LIMIT 1")
	B=$(sql "$db" "SELECT r.id FROM resident r WHERE r.id <> '$A'
		AND EXISTS (SELECT 1 FROM note WHERE resident_id = r.id) ORDER BY r.id LIMIT 1")
	sql "$db" "UPDATE resident SET name = 'Ærlige Øjvind Qvist', name_key = 'arlige ojvind qvist',
		cpr = '1203811234' WHERE id = '$A';
		UPDATE resident SET name = 'Zacharias Hemmelig', name_key = 'zacharias hemmelig'
		WHERE id = '$B';
		INSERT INTO note (id, resident_id, kind, body, created_at, created_by, updated_at,
			updated_by) VALUES ('n0000000000a', '$A', 'note',
			'Aftalt møde hos jobcentret' || char(27) || '[2J på tirsdag', '2026-11-20T09:00:00Z',
			'$ME', '2026-11-20T09:00:00Z', '$ME'),
			('n0000000000b', '$B', 'note', 'Kun om den anden beboer', '2026-11-20T09:05:00Z',
			'$ME', '2026-11-20T09:05:00Z', '$ME'),
			('n0000000000c', NULL, 'shift', 'Rolig nat i hele huset', '2026-11-20T09:10:00Z',
			'$ME', '2026-11-20T09:10:00Z', '$ME');"
	A_NAME='Ærlige Øjvind Qvist'
	B_NAME='Zacharias Hemmelig'
}

subject_access_text() {
	local db c
	db=$(demo_copy text)
	two_residents "$db"
	c=$(conf)
	husly_run -c "$c" -d "$db" print "$A" -o "$T/checklist.pdf" # an audited print, to show
	expect_status 0 "the checklist print before" || return
	husly_run -c "$c" -d "$db" print --subject-access "Øjvind Qvist" -o "$T/a.txt"
	expect_status 0 "subject access as text" || return
	local room name_change
	room=$(sql "$db" "SELECT room FROM stay WHERE resident_id = '$A' AND departure IS NULL")
	name_change=$(sql "$db" "SELECT new_value FROM history WHERE tbl = 'resident'
		AND row_id = '$A' AND field = 'name' ORDER BY hlc LIMIT 1")
	text_has "$T/a.txt" "$(t "Subject access (GDPR)")" "Herberget Nordhavn" "$A_NAME" "$A" \
		"120381-1234" "$(t "CPR number")" "$(t Room)" "$room" \
		"Aftalt møde hos jobcentret?[2J på tirsdag" \
		"$(t Name): - → $name_change" \
		"$(t "printed the move-out checklist") (pdf)" \
		"$(t "printed this overview of everything stored (subject access)") (text)" \
		"$(t "Printed %s %s by %s" | sed 's/ %s.*//')" || return
	# Nothing of anyone else, nor the shift log's entries about no one resident.
	text_lacks "$T/a.txt" "$B_NAME" "$B" "Kun om den anden beboer" "Rolig nat i hele huset" ||
		return
	[ "$(grep -c $'\e' "$T/a.txt")" = 0 ] || fail "an escape character in the text" || return
	# The same to standard output; and audited, one entry each.
	husly_run -c "$c" -d "$db" print --subject-access "$A" -o -
	expect_status 0 "subject access to standard output" || return
	text_has "$T/out" "$A_NAME" "Aftalt møde hos jobcentret?[2J på tirsdag" || return
	[ "$(grep -c $'\e' "$T/out")" = 0 ] || fail "an escape character on standard output" || return
	[ "$(sql "$db" "SELECT group_concat(detail, ',') FROM audit WHERE action = 'subject-access'
		AND resident_id = '$A' AND login = '$ME'")" = "text,text" ] ||
		fail "the subject accesses are not in the audit log as text,text" || return
}

subject_access_pdf() {
	local db c
	db=$(demo_copy pdf)
	two_residents "$db"
	c=$(conf)
	husly_run -c "$c" -d "$db" print --subject-access "$A" -o "$T/a.pdf"
	expect_status 0 "subject access as PDF" || return
	[ "$(stat -c %a "$T/a.pdf")" = 600 ] || fail "the PDF is mode $(stat -c %a "$T/a.pdf")" ||
		return
	local pages
	pages=$(pdfinfo "$T/a.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
	[ "${pages:-0}" -ge 2 ] || fail "the PDF has ${pages:-no} pages" || return
	pdftotext -layout "$T/a.pdf" "$T/a-pdf.txt"
	text_has "$T/a-pdf.txt" "$(t "Subject access (GDPR)")" "$A_NAME" "120381-1234" \
		"Aftalt møde hos jobcentret" "$(t "History")" "$(t "Page %d of %d" |
			sed "s/%d/1/; s/%d/$pages/")" || return
	text_lacks "$T/a-pdf.txt" "$B_NAME" "Kun om den anden beboer" || return
	# To the print command as well: a PDF on its standard input.
	c=$(conf "print_command = \"cat > $T/lpr.pdf\"")
	husly_run -c "$c" -d "$db" print --subject-access "$A"
	expect_status 0 "subject access to the print command" || return
	pdftotext "$T/lpr.pdf" - 2>/dev/null | grep -qF "$A_NAME" ||
		fail "the print command did not get the subject access" || return
	[ "$(sql "$db" "SELECT count(*) FROM audit WHERE action = 'subject-access'
		AND resident_id = '$A' AND detail LIKE 'command: %'")" = 1 ] ||
		fail "the print command's subject access is not audited" || return
}

coordinators_only() {
	local db role c before
	db=$(demo_copy refused)
	two_residents "$db"
	before=$(sql "$db" "SELECT count(*) FROM audit")
	for role in night reception; do
		c=$(conf "staff $ME { name = \"Kim\" role = \"$role\" }")
		husly_run -c "$c" -d "$db" print --subject-access "$A" -o "$T/refused.txt"
		expect_status 1 "subject access by $role" || return
		stderr_has "$(t coordinator)" || return
		husly_run -c "$c" -d "$db" retention --months 12 --apply --yes
		expect_status 1 "retention by $role" || return
	done
	# A login the staff table does not name may not either.
	c=$(conf "staff someoneelse { role = \"coordinator\" }")
	husly_run -c "$c" -d "$db" print --subject-access "$A" -o "$T/refused.txt"
	expect_status 1 "subject access by a login not in the staff table" || return
	[ ! -e "$T/refused.txt" ] || fail "a refused subject access wrote a file" || return
	[ "$(sql "$db" "SELECT count(*) FROM audit")" = "$before" ] ||
		fail "a refusal was audited as a subject access" || return
	# Usage: one resident, named.
	c=$(conf)
	husly_run -c "$c" -d "$db" print --subject-access -o "$T/refused.txt"
	expect_status 2 "subject access without a resident" || return
	husly_run -c "$c" -d "$db" print --subject-access --all -o "$T/refused.txt"
	expect_status 2 "subject access of everyone" || return
	husly_run -c "$c" -d "$db" print --subject-access "Nobody Withthisname" -o "$T/refused.txt"
	expect_status 1 "subject access of someone unknown" || return
	# A search that finds several names them with their ids, and prints nothing.
	local first
	first=$(sql "$db" "SELECT substr(name, 1, instr(name, ' ') - 1) AS f FROM resident
		WHERE erased_at IS NULL GROUP BY f HAVING count(*) > 1 ORDER BY f LIMIT 1")
	husly_run -c "$c" -d "$db" print --subject-access "$first" -o "$T/refused.txt"
	expect_status 1 "subject access of an ambiguous name" || return
	stderr_has "$(sql "$db" "SELECT id FROM resident WHERE name LIKE '$first %'
		ORDER BY name_key, id LIMIT 1")" || return
	[ ! -e "$T/refused.txt" ] || fail "a failed subject access wrote a file"
}

# The ids of the residents due at 12 months on 25-11-2026, by a query of the test's own: no
# open stay and every stay ended before 25-11-2025, or no stay and registered before then.
expected_due() {
	sql "$1" "SELECT r.id FROM resident r WHERE r.erased_at IS NULL
		AND NOT EXISTS (SELECT 1 FROM stay s WHERE s.resident_id = r.id
			AND (s.departure IS NULL OR s.departure >= '2025-11-25'))
		AND (EXISTS (SELECT 1 FROM stay s WHERE s.resident_id = r.id)
			OR r.created_at < '2025-11-24T23:00:00Z')
		ORDER BY r.id"
}

retention_dry_run() {
	local db c due
	db=$(demo_copy dry)
	due=$(expected_due "$db" | wc -l)
	[ "$due" -ge 2 ] || fail "the demo has only $due residents gone 12 months" || return
	[ "$(sql "$db" "SELECT count(*) FROM resident WHERE erased_at IS NULL")" -gt "$((due + 10))" ] ||
		fail "the demo has too few residents that stay" || return
	c=$(conf "retention_months = 12")
	husly_run -c "$c" -d "$db" dump
	cp "$T/out" "$T/before.jsonl"
	husly_run -c "$c" -d "$db" retention
	expect_status 0 "retention, a dry run" || return
	cp "$T/out" "$T/dry.txt"
	local id
	for id in $(expected_due "$db"); do
		grep -q "^$id  " "$T/dry.txt" || fail "the dry run does not list $id" || return
	done
	[ "$(grep -cE '^[0-9a-z]{12}  ' "$T/dry.txt")" = "$due" ] ||
		fail "the dry run lists $(grep -cE '^[0-9a-z]{12}  ' "$T/dry.txt"), expected $due" || return
	grep -qF "25-11-2025" "$T/dry.txt" || fail "the dry run does not say the cutoff" || return
	husly_run -c "$c" -d "$db" dump
	cmp -s "$T/before.jsonl" "$T/out" || fail "the dry run changed the dump" || return
	[ "$(sql "$db" "SELECT count(*) FROM audit WHERE action = 'retention'")" = 0 ] ||
		fail "the dry run erased" || return
	# Off unless configured: a configuration problem, and it says how to set it.
	husly_run -c "$(conf)" -d "$db" retention
	expect_status 2 "retention with retention_months 0" || return
	stderr_has "retention_months" || return
	husly_run -c "$(conf)" -d "$db" retention --months 0
	expect_status 2 "retention --months 0" || return
	husly_run -c "$(conf)" -d "$db" retention --months 12
	expect_status 0 "retention --months 12 without retention_months" || return
	cmp -s "$T/dry.txt" "$T/out" || fail "--months 12 lists others than retention_months = 12"
}

retention_apply() {
	local db other c expected erased
	db=$(demo_copy apply)
	other=$(demo_copy other)
	expected=$(expected_due "$db")
	local staying
	staying=$(sql "$db" "SELECT group_concat(id) FROM (SELECT id FROM resident
		WHERE erased_at IS NULL ORDER BY id)")
	c=$(conf "retention_months = 12")
	# Without a terminal to ask on, --apply wants --yes, and erases nothing.
	local dump_before
	dump_before=$("$HUSLY" -c "$c" -d "$db" dump | sha256sum)
	husly_run -c "$c" -d "$db" retention --apply
	expect_status 2 "retention --apply without --yes and no terminal" || return
	stderr_has "--yes" || return
	[ "$("$HUSLY" -c "$c" -d "$db" dump | sha256sum)" = "$dump_before" ] ||
		fail "retention --apply without --yes changed the records" || return
	# Asked on a terminal, it lists them and asks; anything but yes erases nothing.
	if command -v script >/dev/null 2>&1; then
		echo nej | script -qec "$HUSLY -c $c -d $db retention --apply" /dev/null \
			>"$T/asked.out" 2>&1
		grep -qF "$(t 'Nothing erased.')" "$T/asked.out" ||
			fail "retention did not ask: $(cat "$T/asked.out")" || return
		[ "$("$HUSLY" -c "$c" -d "$db" dump | sha256sum)" = "$dump_before" ] ||
			fail "an answer other than yes erased" || return
	fi
	husly_run -c "$c" -d "$db" retention --apply --yes
	expect_status 0 "retention --apply" || return
	erased=$(sql "$db" "SELECT id FROM resident WHERE erased_at IS NOT NULL ORDER BY id")
	[ "$erased" = "$expected" ] ||
		fail "erased: $(echo "$erased" | tr '\n' ' '); expected: $(echo "$expected" | tr '\n' ' ')" ||
		return
	[ "$(sql "$db" "SELECT count(*) FROM stay WHERE resident_id IN (SELECT id FROM resident
		WHERE erased_at IS NOT NULL)")" = 0 ] || fail "an erased resident's stays are left" || return
	[ "$(sql "$db" "SELECT group_concat(resident_id, ' ') FROM (SELECT resident_id FROM audit
		WHERE action = 'retention' AND detail = '12 months' ORDER BY resident_id)")" = \
		"$(echo "$expected" | tr '\n' ' ' | sed 's/ $//')" ] ||
		fail "the erasures are not audited as retention" || return
	husly_run -c "$c" -d "$db" check
	expect_status 0 "check after the erasures" || return
	# A second run finds no one.
	husly_run -c "$c" -d "$db" retention --apply --yes
	expect_status 0 "retention --apply again" || return
	grep -qE '^[0-9a-z]{12}  ' "$T/out" && fail "a second run erased again: $(cat "$T/out")" && return 1
	# The erasures travel: the other terminal, which has them all, erases them too.
	husly_run -c "$c" -d "$db" export --plaintext --to other -o "$T/r.bundle"
	expect_status 0 "export after the erasures" || return
	husly_run -c "$c" -d "$other" import --plaintext "$T/r.bundle"
	expect_status 0 "import of the erasures" || return
	[ "$(sql "$other" "SELECT id FROM resident WHERE erased_at IS NOT NULL ORDER BY id")" = "$expected" ] ||
		fail "the other terminal did not erase exactly those" || return
	[ "$(sql "$other" "SELECT count(*) FROM resident WHERE erased_at IS NULL")" = \
		"$(($(echo "$staying" | tr ',' '\n' | wc -l) - $(echo "$expected" | wc -l)))" ] ||
		fail "the other terminal lost others too"
}

run_test "subject access as text: every field, notes, history, audit; nothing of another; no escapes; audited" subject_access_text
run_test "subject access as PDF, and to the print command" subject_access_pdf
run_test "subject access and retention only for coordinators; usage" coordinators_only
run_test "retention dry run lists those due and changes nothing; off without retention_months" retention_dry_run
run_test "retention --apply erases exactly those due, audited; the erasures reach another database" retention_apply
finish
