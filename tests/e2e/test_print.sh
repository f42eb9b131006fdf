#!/bin/bash
# `husly print`: one resident, everyone, those ready; PDF (read back with pdftotext and
# pdfinfo), text, standard output, and the print command with the document on its stdin;
# refusals and usage errors; files never half-written; every print in the audit log.
# shellcheck disable=SC2317 # the tests are called through run_test
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

for tool in pdftotext pdfinfo; do
	command -v "$tool" >/dev/null 2>&1 ||
		{ echo "not ok setup: $tool is not installed (make deps-test)"; exit 1; }
done

make_demo

# A configuration with the demo's shelter and a print command given as $1.
print_conf() {
	printf 'shelter = "Herberget Nordhavn"\nprint_command = "%s"\n' "$1" >"$T/print.conf"
	echo "$T/print.conf"
}

pdf_text() { pdftotext -layout "$1" - 2>/dev/null; }
pdf_pages() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

# text_has FILE WORDS...: fails unless FILE (text) holds every one.
text_has() {
	local file=$1 word
	shift
	for word in "$@"; do
		grep -qF -- "$word" "$file" ||
			fail "$file lacks '$word': $(head -c 600 "$file" | tr '\n' '|')" || return
	done
}

# A resident with Danish letters in the name and a checklist in every state.
danish_resident() {
	local db=$1 id
	id=$(sql "$db" "SELECT r.id FROM resident r JOIN stay s ON s.resident_id = r.id
		WHERE s.departure IS NULL ORDER BY r.id LIMIT 1")
	sql "$db" "UPDATE resident SET name = 'Ærlige Øjvind Åbø', name_key = 'arlige ojvind abo' WHERE id = '$id';
		UPDATE checklist_step SET status = 'todo', date = NULL, note = NULL
		  WHERE stay_id IN (SELECT id FROM stay WHERE resident_id = '$id');
		UPDATE checklist_step SET status = 'done', date = '2026-11-02'
		  WHERE step = 'income_clarified' AND stay_id IN (SELECT id FROM stay WHERE resident_id = '$id');
		UPDATE checklist_step SET status = 'doing', note = 'venter på svar fra jobcentret'
		  WHERE step = 'housing_registered' AND stay_id IN (SELECT id FROM stay WHERE resident_id = '$id');
		UPDATE checklist_step SET status = 'na'
		  WHERE step = 'furniture_applied' AND stay_id IN (SELECT id FROM stay WHERE resident_id = '$id');"
	echo "$id"
}

one_resident_pdf() {
	local db id conf
	db=$(demo_copy one)
	id=$(danish_resident "$db")
	conf=$(print_conf lpr)
	husly_run -c "$conf" -d "$db" print "Øjvind Åbø" -o "$T/one.pdf"
	expect_status 0 "print by name" || return
	[ "$(pdf_pages "$T/one.pdf")" = 1 ] || fail "one resident: $(pdf_pages "$T/one.pdf") pages" ||
		return
	pdf_text "$T/one.pdf" >"$T/one.txt"
	text_has "$T/one.txt" "Ærlige Øjvind Åbø" "Herberget Nordhavn" "$id" \
		"$(t "Move-out checklist")" "$(t "Cash benefit / income")" \
		"$(t "Housing registration")" "$(t "Furniture (establishment grant)")" \
		"$(t "Support visitation")" "$(t "done")" "$(t "in progress")" \
		"$(t "not started")" "$(t "not relevant")" "venter på svar fra jobcentret" \
		"02-11-2026" "$(t "Notes")" || return
	# The CPR number never goes on paper.
	local cpr
	cpr=$(sql "$db" "SELECT coalesce(cpr, '') FROM resident WHERE id = '$id'")
	if [ -n "$cpr" ]; then
		! grep -qF -- "${cpr:0:6}" "$T/one.txt" || ! grep -qF -- "${cpr: -4}" "$T/one.txt" ||
			fail "the CPR number is on the print-out" || return
	fi
	[ "$(stat -c %a "$T/one.pdf")" = 600 ] || fail "the PDF is mode $(stat -c %a "$T/one.pdf")" ||
		return
	# And by the id, in capitals.
	husly_run -c "$conf" -d "$db" print "${id^^}" -o "$T/byid.pdf"
	expect_status 0 "print by id" || return
	pdf_text "$T/byid.pdf" | grep -qF "Ærlige Øjvind Åbø" || fail "print by id: not the resident"
}

all_and_ready() {
	local db conf present ready
	db=$(demo_copy all)
	conf=$(print_conf lpr)
	present=$(sql "$db" "SELECT count(*) FROM stay s JOIN resident r ON r.id = s.resident_id
		WHERE s.departure IS NULL AND r.erased_at IS NULL")
	ready=$(sql "$db" "SELECT count(*) FROM stay s JOIN resident r ON r.id = s.resident_id
		WHERE s.departure IS NULL AND r.erased_at IS NULL AND s.ready_at IS NOT NULL")
	[ "$present" -gt 3 ] && [ "$ready" -gt 0 ] && [ "$ready" -lt "$present" ] ||
		fail "the demo has $present present, $ready ready: not a useful case" || return
	husly_run -c "$conf" -d "$db" print --all -o "$T/all.pdf"
	expect_status 0 "print --all" || return
	[ "$(pdf_pages "$T/all.pdf")" = "$present" ] ||
		fail "--all: $(pdf_pages "$T/all.pdf") pages for $present residents" || return
	# Each page is one resident's, and every present resident is there.
	local name page=0
	while IFS= read -r name; do
		pdf_text "$T/all.pdf" | grep -qF -- "$name" || fail "--all lacks $name" || return
	done < <(present_names "$db")
	for page in 1 "$present"; do
		pdftotext -f "$page" -l "$page" -layout "$T/all.pdf" - | grep -qF "$(t "Page %d of %d" | sed 's/%d/1/g')" ||
			fail "page $page is not page 1 of 1 of its resident" || return
	done
	husly_run -c "$conf" -d "$db" print --ready -o "$T/ready.pdf"
	expect_status 0 "print --ready" || return
	[ "$(pdf_pages "$T/ready.pdf")" = "$ready" ] ||
		fail "--ready: $(pdf_pages "$T/ready.pdf") pages for $ready ready" || return
	# Text: a form feed between residents, so one fewer than residents.
	husly_run -c "$conf" -d "$db" print --all -o "$T/all.txt"
	expect_status 0 "print --all -o .txt" || return
	[ "$(tr -cd '\f' <"$T/all.txt" | wc -c)" = $((present - 1)) ] ||
		fail "--all text: $(tr -cd '\f' <"$T/all.txt" | wc -c) form feeds for $present" || return
}

text_and_stdout() {
	local db id conf
	db=$(demo_copy text)
	id=$(danish_resident "$db")
	conf=$(print_conf lpr)
	husly_run -c "$conf" -d "$db" print "$id" -o -
	expect_status 0 "print -o -" || return
	text_has "$T/out" "Ærlige Øjvind Åbø" "[x] " "[~] " "[-] " "[ ] " \
		"venter på svar fra jobcentret" "$(t "Support visitation")" || return
	awk '{ if (length($0) > 78) exit 1 }' "$T/out" || fail "a text line is over 78 characters" ||
		return
	husly_run -c "$conf" -d "$db" print "$id" -o - --format pdf
	expect_status 0 "print -o - --format pdf" || return
	head -c 5 "$T/out" | grep -q '%PDF-' || fail "--format pdf to stdout is no PDF" || return
	husly_run -c "$conf" -d "$db" print "$id" -o "$T/x.txt"
	expect_status 0 "print -o .txt" || return
	text_has "$T/x.txt" "Ærlige Øjvind Åbø" || return
}

# Escape sequences in a name or a note reach neither the terminal nor the paper.
hostile_text() {
	local db id conf
	db=$(demo_copy hostile)
	id=$(danish_resident "$db")
	sql "$db" "UPDATE resident SET name = 'Evil' || char(27) || ']0;owned' || char(7) || 'Name'
		WHERE id = '$id'; UPDATE checklist_step SET note = 'x' || char(27) || '[2Jy'
		WHERE step = 'income_paid' AND stay_id IN (SELECT id FROM stay WHERE resident_id = '$id')"
	conf=$(print_conf lpr)
	husly_run -c "$conf" -d "$db" print "$id" -o -
	expect_status 0 "print a hostile name" || return
	! grep -q $'\033' "$T/out" || fail "an escape reached standard output" || return
	! grep -q $'\007' "$T/out" || fail "a bell reached standard output" || return
	text_has "$T/out" "Evil" "Name" "y" || return
}

print_command() {
	local db id conf
	db=$(demo_copy cmd)
	id=$(danish_resident "$db")
	conf=$(print_conf "cat > $T/captured.pdf; echo request id is lp-42")
	husly_run -c "$conf" -d "$db" print "$id"
	expect_status 0 "print to the print command" || return
	grep -qF "1" "$T/out" || fail "no page count said: $(cat "$T/out")" || return
	[ "$(pdf_pages "$T/captured.pdf")" = 1 ] || fail "the command did not get a 1-page PDF" ||
		return
	pdf_text "$T/captured.pdf" | grep -qF "Ærlige Øjvind Åbø" ||
		fail "the command's PDF lacks the resident" || return
	# A failing command: exit 1, its words and status in the message.
	conf=$(print_conf "echo lpr: The printer or class does not exist. >&2; exit 3")
	husly_run -c "$conf" -d "$db" print "$id"
	expect_status 1 "a failing print command" || return
	stderr_has "3" || return
	stderr_has "The printer or class does not exist." || return
}

refusals() {
	local db conf before
	db=$(demo_copy refuse)
	conf=$(print_conf lpr)
	husly_run -c "$conf" -d "$db" print
	expect_status 2 "print without a resident" || return
	husly_run -c "$conf" -d "$db" print --all --ready
	expect_status 2 "print --all --ready" || return
	husly_run -c "$conf" -d "$db" print --all somebody
	expect_status 2 "print --all and a name" || return
	husly_run -c "$conf" -d "$db" print --all -o "$T/x.doc"
	expect_status 2 "print -o .doc" || return
	husly_run -c "$conf" -d "$db" print --all --format rtf -o -
	expect_status 2 "print --format rtf" || return
	husly_run -c "$conf" -d "$db" print --all --colour
	expect_status 2 "print --colour" || return
	[ ! -e "$T/x.doc" ] || fail "a refused print wrote a file" || return
	husly_run -c "$conf" -d "$db" print "Nobody Withthisname" -o "$T/n.pdf"
	expect_status 1 "print someone unknown" || return
	stderr_has "Nobody Withthisname" || return
	[ ! -e "$T/n.pdf" ] || fail "a failed print left a file" || return
	# A search that finds several names them with their ids.
	local first
	first=$(sql "$db" "SELECT substr(name, 1, instr(name, ' ') - 1) AS f FROM resident
		GROUP BY f HAVING count(*) > 1 ORDER BY f LIMIT 1")
	husly_run -c "$conf" -d "$db" print "$first" -o "$T/n.pdf"
	expect_status 1 "print an ambiguous name" || return
	stderr_has "$first" || return
	[ ! -e "$T/n.pdf" ] || fail "an ambiguous print left a file" || return
	# Nobody ready: nothing printed, said so, no file; an old file of that name is kept.
	sql "$db" "UPDATE stay SET ready_at = NULL"
	echo keep >"$T/old.pdf"
	husly_run -c "$conf" -d "$db" print --ready -o "$T/old.pdf"
	expect_status 1 "print --ready with nobody ready" || return
	[ "$(cat "$T/old.pdf")" = keep ] || fail "a failed print replaced the old file" || return
	ls "$T"/old.pdf.* >/dev/null 2>&1 && { fail "a temporary file was left"; return; }
	husly_run -c "$conf" -d "$db" print --all -o "$T/no/such/dir/x.pdf"
	expect_status 1 "print into a missing directory" || return
	before=$(sql "$db" "SELECT count(*) FROM resident")
	[ "$before" -gt 0 ] || fail "no residents left?"
}

audited() {
	local db id conf n
	db=$(demo_copy audit)
	id=$(danish_resident "$db")
	conf=$(print_conf "cat > /dev/null")
	husly_run -c "$conf" -d "$db" print "$id" -o "$T/a.pdf"
	husly_run -c "$conf" -d "$db" print "$id"
	husly_run -c "$conf" -d "$db" print --all -o -
	n=$(sql "$db" "SELECT count(*) FROM audit WHERE action = 'print' AND resident_id = '$id'")
	[ "$n" = 3 ] || fail "$n audit entries for 3 prints of the resident" || return
	n=$(sql "$db" "SELECT count(DISTINCT detail) FROM audit WHERE action = 'print'")
	[ "$n" = 3 ] || fail "the audit does not say where the prints went ($n kinds)" || return
}

# Steps hidden in husly.conf stay off the paper; one added there is on it, not started.
configured_steps() {
	local db id conf
	db=$(demo_copy conf)
	id=$(danish_resident "$db")
	cat >"$T/steps.conf" <<'EOF'
checklist {
    step housing_viewing { hidden = true }
    step housing_insurance { item = "housing" label = "Indboforsikring tegnet" }
}
EOF
	husly_run -c "$T/steps.conf" -d "$db" print "$id" -o -
	expect_status 0 "print with configured steps" || return
	text_has "$T/out" "Indboforsikring tegnet" || return
	! grep -qF "$(t "Viewing")" "$T/out" || fail "a hidden step was printed" || return
}

# Options anywhere, whatever POSIXLY_CORRECT says; a second resident is a usage error; a PDF
# is never written to a terminal.
cli_contract() {
	local db id conf
	db=$(demo_copy contract)
	id=$(danish_resident "$db")
	conf=$(print_conf lpr)
	POSIXLY_CORRECT=1 husly_run -c "$conf" -d "$db" print "$id" -o "$T/posix.txt"
	expect_status 0 "print RESIDENT -o FILE with POSIXLY_CORRECT" || return
	text_has "$T/posix.txt" "Ærlige Øjvind Åbø" || return
	husly_run -c "$conf" -d "$db" print "$id" someone-else -o -
	expect_status 2 "print with two residents" || return
	stderr_has "someone-else" || return
	if command -v script >/dev/null 2>&1; then
		script -qec "$HUSLY -c $conf -d $db print $id -o - --format pdf" /dev/null \
			>"$T/tty.out" 2>&1
		local status=$?
		[ "$status" = 2 ] || fail "PDF to a terminal: exit status $status, expected 2" || return
		! grep -q '%PDF' "$T/tty.out" || fail "a PDF was written to a terminal" || return
	fi
}

# A note written in two lines, or with a tab, prints as one line of words.
note_lines() {
	local db id conf
	db=$(demo_copy lines)
	id=$(danish_resident "$db")
	sql "$db" "UPDATE checklist_step SET note = 'ring til' || char(10) || 'boligkontoret' ||
		char(9) || 'fredag' WHERE step = 'income_paid'
		AND stay_id IN (SELECT id FROM stay WHERE resident_id = '$id')"
	conf=$(print_conf lpr)
	husly_run -c "$conf" -d "$db" print "$id" -o -
	expect_status 0 "print a note with a line break" || return
	text_has "$T/out" "ring til boligkontoret fredag" || return
}

# A print that cannot happen (no stay to print) is not in the audit log.
no_stay_not_audited() {
	local db conf id
	db=$(demo_copy nostay)
	conf=$(print_conf lpr)
	id=$(sql "$db" "SELECT id FROM resident LIMIT 1")
	sql "$db" "PRAGMA foreign_keys = OFF; DELETE FROM checklist_step WHERE stay_id IN
		(SELECT id FROM stay WHERE resident_id = '$id'); DELETE FROM furniture WHERE stay_id IN
		(SELECT id FROM stay WHERE resident_id = '$id'); DELETE FROM stay WHERE resident_id = '$id'"
	husly_run -c "$conf" -d "$db" print "$id" -o "$T/nostay.txt"
	expect_status 1 "print a resident without a stay" || return
	[ ! -e "$T/nostay.txt" ] || fail "a file was written" || return
	[ "$(sql "$db" "SELECT count(*) FROM audit WHERE action = 'print'")" = 0 ] ||
		fail "a print that did not happen is in the audit log" || return
}

run_test cli_contract cli_contract
run_test note_lines note_lines
run_test no_stay_not_audited no_stay_not_audited
run_test one_resident_pdf one_resident_pdf
run_test all_and_ready all_and_ready
run_test text_and_stdout text_and_stdout
run_test hostile_text hostile_text
run_test print_command print_command
run_test refusals refusals
run_test audited audited
run_test configured_steps configured_steps
finish
