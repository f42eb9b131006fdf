/* The two renderers of the move-out checklist, fed sheets built by hand (no database): the text
 * one's boxes, wrapping at 78 columns and form feeds between sheets; the PDF one read back with
 * pdftotext and pdfinfo (poppler-utils): the words in it with æ, ø and å, exactly one page for
 * an ordinary sheet, a page per sheet, and a long sheet continued under the resident's name.
 * Every name here is made up. */
#include "unit.h"

#include "print.h"
#include "text.h"

#include <stdint.h>

/* The statuses as print.c puts them in words (the Danish of the screens). */
static const char *const statuses[4] = {"todo", "doing", "done", "na"};
static const char *const status_words[4] = {"ikke startet", "i gang", "færdig",
					    "ikke relevant"};

static const char *const item_titles[4] = {"Indkomst", "Bolig", "Møbler og udstyr", "Støtte"};

static const char *const thing_labels[12] = {"Seng", "Sofa", "Spisebord", "Stole",
					     "Køleskab", "Komfur", "Vaskemaskine", "Dyne",
					     "Lampe", "Gryder", "Tallerkener", "Støvsuger"};

#define LONG_NOTE_END "SLUTORD"

/* A note of about 2000 characters: Danish words, a long unbroken "word" (a pasted link), and a
 * word at the end to find it by. */
static char *long_note(void)
{
	struct strbuf sb;
	sb_init(&sb);
	while (sb.len < 1700)
		sb_add(&sb, "Øjvind har ringet til kommunen igen, og sagsbehandleren vender tilbage "
			    "på fredag med svar om både depositum og indskud. ");
	sb_add(&sb, "https://www.borger.dk/");
	for (int i = 0; i < 12; i++)
		sb_add(&sb, "boligstøtte-og-indskudslån/");
	sb_add(&sb, " " LONG_NOTE_END);
	return sb.buf;
}

/* A step: label, status i % 4, a date and responsible for some, the note given ("" none). */
static void make_step(struct sheet_step *st, const char *label, int i, const char *note)
{
	st->label = xstrdup(label);
	strlcpy_trunc(st->status, statuses[i % 4], sizeof(st->status));
	st->status_text = xstrdup(status_words[i % 4]);
	st->date = xstrdup(i % 4 == 2 ? "12-11-2026" : "");
	st->responsible = xstrdup(i % 3 == 0 ? "Kommunen (Jobcenter Horsens)" : "Herberget");
	st->note = xstrdup(note);
}

/* Steps per item: husly's default checklist (17 steps), and one too long for a page. */
static const size_t usual_steps[4] = {4, 7, 3, 3};
static const size_t many_steps[4] = {15, 15, 15, 15};

/* The four items with nsteps[i] steps each; with_notes: every step has a one-line note, else a
 * few steps have short ones. */
static void make_items(struct sheet *s, const size_t nsteps[4], int with_notes)
{
	s->nitems = 4;
	s->items = xcalloc(s->nitems, sizeof(*s->items));
	int n = 0;
	for (size_t i = 0; i < s->nitems; i++) {
		struct sheet_item *it = &s->items[i];
		it->title = xstrdup(item_titles[i]);
		it->nsteps = nsteps[i];
		it->steps = xcalloc(it->nsteps, sizeof(*it->steps));
		for (size_t j = 0; j < it->nsteps; j++, n++) {
			char label[64], note[96];
			snprintf(label, sizeof(label), "Trin %d: søg om hjælp", n + 1);
			snprintf(note, sizeof(note), "Notat %d: ring til sagsbehandleren på tirsdag",
				 n + 1);
			make_step(&it->steps[j], label, n, with_notes || n % 6 == 1 ? note : "");
		}
		it->extra = xstrdup(i == 3 ? "CTI · bevilget 03-11-2026 · start 01-12-2026" : "");
	}
	struct sheet_item *furniture = &s->items[2];
	furniture->nthings = ARRAY_SIZE(thing_labels);
	furniture->things = xcalloc(furniture->nthings, sizeof(*furniture->things));
	for (size_t k = 0; k < furniture->nthings; k++) {
		furniture->things[k].label = xstrdup(thing_labels[k]);
		furniture->things[k].state_text = xstrdup(k % 3 == 0 ? "" : k % 3 == 1 ? "behov"
										     : "har");
		strlcpy_trunc(furniture->things[k].state, k % 3 == 0 ? "" : k % 3 == 1 ? "needed"
										       : "have",
			      sizeof(furniture->things[k].state));
	}
}

/* A whole sheet for the made-up resident name, with nsteps[i] steps in item i. */
static struct sheet *make_sheet(const char *name, const size_t nsteps[4], int with_notes)
{
	static const char *const labels[] = {"Id", "Født", "Ankomst", "Dage", "Hjemkommune",
					     "Værelse", "Kontaktperson"};
	static const char *const values[] = {"7Q2KX9", "14-03-1971", "01-11-2026", "22",
					     "Horsens", "12", "Bodil Ågård"};
	struct sheet *s = xcalloc(1, sizeof(*s));
	s->shelter = xstrdup("Herberget Nordhavn");
	s->title = xstrdup("Tjekliste til udflytning");
	s->resident = xstrdup(name);
	s->nfields = ARRAY_SIZE(labels);
	for (size_t i = 0; i < s->nfields; i++) {
		s->fields[i].label = labels[i];
		s->fields[i].value = xstrdup(values[i]);
	}
	s->progress = xasprintf("7 af %zu trin færdige", nsteps[0] + nsteps[1] + nsteps[2] + nsteps[3]);
	make_items(s, nsteps, with_notes);
	s->printed = xstrdup("Udskrevet 23-11-2026 18:40 af Mette Holm (mette)");
	return s;
}

/* Every string of a made-up sheet is allocated as sheet_load's are: husly frees it. */
static void free_sheet(struct sheet *s)
{
	sheet_free(s);
	free(s);
}

/* Renders the sheets to path in format; returns the pages printer_close reports. */
static long render(const char *path, enum print_format format, struct sheet **sheets, size_t n)
{
	FILE *out = fopen(path, "wb");
	if (!out)
		print_error("cannot write %s: %s\n", path, strerror(errno));
	assert_non_null(out);
	char *err = NULL;
	struct printer *p = printer_open(format, out, &err);
	if (!p)
		print_error("printer_open: %s\n", err ? err : "(no message)");
	assert_non_null(p);
	for (size_t i = 0; i < n; i++)
		unit_check_ok(printer_sheet(p, sheets[i], &err), err, "printer_sheet");
	err = NULL;
	long pages = printer_close(p, &err);
	if (pages < 0)
		fail_msg("printer_close: %s", err ? err : "(no message)");
	assert_null(err);
	assert_int_equal(fclose(out), 0);
	return pages;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		print_error("cannot read %s: %s\n", path, strerror(errno));
	assert_non_null(f);
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_addn(&sb, buf, n);
	fclose(f);
	return sb.buf;
}

/* What a command prints on its standard output; the test fails when it does not exit 0. */
static char *command_output(const char *command)
{
	FILE *f = popen(command, "r");
	if (!f)
		print_error("cannot run %s\n", command);
	assert_non_null(f);
	struct strbuf sb;
	sb_init(&sb);
	sb_add(&sb, "");
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sb_addn(&sb, buf, n);
	if (pclose(f) != 0)
		fail_msg("%s failed", command);
	return sb.buf;
}

/* The text of pages first..last of a PDF (0, 0: all), as pdftotext -layout reads it. */
static char *pdf_text(const char *path, int first, int last)
{
	char *cmd = first ? xasprintf("pdftotext -layout -f %d -l %d '%s' -", first, last, path)
			  : xasprintf("pdftotext -layout '%s' -", path);
	char *text = command_output(cmd);
	free(cmd);
	return text;
}

static long pdf_pages(const char *path)
{
	char *cmd = xasprintf("pdfinfo '%s'", path);
	char *info = command_output(cmd);
	const char *at = strstr(info, "\nPages:");
	long pages = at ? strtol(at + strlen("\nPages:"), NULL, 10) : -1;
	free(info);
	free(cmd);
	return pages;
}

/* The longest line of text, in code points. */
static size_t longest_line(const char *text)
{
	size_t longest = 0;
	const char *s = text;
	while (*s) {
		size_t len = strcspn(s, "\n");
		size_t cols = 0;
		for (size_t i = 0; i < len; cols++) {
			uint32_t cp;
			i += utf8_decode(s + i, len - i, &cp);
		}
		longest = cols > longest ? cols : longest;
		s += len + (s[len] == '\n');
	}
	return longest;
}

static size_t count(const char *haystack, const char *needle)
{
	size_t n = 0;
	for (const char *s = strstr(haystack, needle); s; s = strstr(s + 1, needle))
		n++;
	return n;
}

/* The words of a sheet that every rendering must carry. */
static void assert_sheet_words(const char *text)
{
	assert_contains(text, "Ærlige Øjvind Åbo");
	assert_contains(text, "Herberget Nordhavn");
	assert_contains(text, "Tjekliste til udflytning");
	assert_contains(text, "7 af 17 trin færdige");
	assert_contains(text, "Født: 14-03-1971");
	assert_contains(text, "Kontaktperson: Bodil Ågård");
	for (size_t i = 0; i < ARRAY_SIZE(status_words); i++)
		assert_contains(text, status_words[i]);
	for (size_t i = 0; i < ARRAY_SIZE(item_titles); i++)
		assert_contains(text, item_titles[i]);
	for (size_t i = 0; i < ARRAY_SIZE(thing_labels); i++)
		assert_contains(text, thing_labels[i]);
	assert_contains(text, "behov");
	assert_contains(text, "Trin 1: søg om hjælp");
	assert_contains(text, "Trin 17: søg om hjælp");
	assert_contains(text, "Notat 2: ring til sagsbehandleren på tirsdag");
	assert_contains(text, "12-11-2026");
	assert_contains(text, "Kommunen (Jobcenter Horsens)");
	assert_contains(text, "CTI · bevilget 03-11-2026 · start 01-12-2026");
	assert_contains(text, "Notes");
	assert_contains(text, "Signature, resident");
	assert_contains(text, "Signature, staff");
	assert_contains(text, "Udskrevet 23-11-2026 18:40 af Mette Holm (mette)");
}

/* --- text ------------------------------------------------------------------------------- */

static void test_text_sheet(void **state)
{
	char *path = unit_path(*state, "sheet.txt");
	struct sheet *s = make_sheet("Ærlige Øjvind Åbo", usual_steps, 0);
	assert_int_equal(render(path, PRINT_TEXT, &s, 1), 1);
	char *text = read_file(path);
	assert_sheet_words(text);
	/* A box for each status, before the step's label. */
	assert_contains(text, "[ ] Trin 1: søg om hjælp");
	assert_contains(text, "[~] Trin 2: søg om hjælp");
	assert_contains(text, "[x] Trin 3: søg om hjælp");
	assert_contains(text, "[-] Trin 4: søg om hjælp");
	/* Leader dots up to the status, then date and responsible in their columns; a
	 * responsible that would pass column 78 goes to the next line, under the status. */
	assert_contains(text, "[x] Trin 3: søg om hjælp .......... færdig         12-11-2026  "
			      "Herberget\n");
	assert_contains(text, "[~] Trin 2: søg om hjælp .......... i gang                     "
			      "Herberget\n");
	assert_contains(text, "[ ] Trin 1: søg om hjælp .......... ikke startet\n"
			      "                                    Kommunen (Jobcenter Horsens)\n");
	/* The note indented under its step. */
	assert_contains(text, "\n      Notat 2: ring til sagsbehandleren på tirsdag\n");
	/* Things: ticked when a state is recorded. */
	assert_contains(text, "[ ] Seng");
	assert_contains(text, "[ ] Sofa – behov"); /* needed: not there yet */
	assert_contains(text, "[x] Spisebord – har");
	assert_null(strchr(text, '\f'));
	assert_true(longest_line(text) <= 78);
	assert_int_equal(text[strlen(text) - 1], '\n');
	free(text);
	free_sheet(s);
	free(path);
}

/* Notes of any length wrap within 78 columns, an unbroken link included, and nothing is lost. */
static void test_text_long_note(void **state)
{
	char *path = unit_path(*state, "long.txt");
	struct sheet *s = make_sheet("Ærlige Øjvind Åbo", usual_steps, 1);
	char *note = long_note();
	assert_true(strlen(note) >= 1900);
	free(s->items[1].steps[2].note);
	s->items[1].steps[2].note = note;
	free(s->items[0].steps[0].label);
	s->items[0].steps[0].label = xstrdup("Søg om kontanthjælp, førtidspension eller anden "
					     "forsørgelse hos kommunen");
	assert_int_equal(render(path, PRINT_TEXT, &s, 1), 1);
	char *text = read_file(path);
	assert_true(longest_line(text) <= 78);
	assert_contains(text, LONG_NOTE_END "\n");
	assert_contains(text, "Notat 17: ring til sagsbehandleren på tirsdag");
	/* Every line of the long note is indented under its step. */
	assert_contains(text, "\n      Øjvind har ringet til kommunen igen,");
	free(text);
	free_sheet(s);
	free(path);
}

static void test_text_two_sheets(void **state)
{
	char *path = unit_path(*state, "two.txt");
	struct sheet *sheets[2] = {make_sheet("Ærlige Øjvind Åbo", usual_steps, 0),
				   make_sheet("Søren Æbelø", usual_steps, 0)};
	assert_int_equal(render(path, PRINT_TEXT, sheets, 2), 2);
	char *text = read_file(path);
	/* One form feed, on its own line, between the sheets and not after the last. */
	assert_int_equal(count(text, "\f"), 1);
	assert_contains(text, "\n\f\nTjekliste til udflytning");
	const char *ff = strchr(text, '\f');
	assert_non_null(ff);
	assert_true(strstr(text, "Ærlige Øjvind Åbo") < ff);
	assert_true(strstr(text, "Søren Æbelø") > ff);
	assert_true(longest_line(text) <= 78);
	free(text);
	free_sheet(sheets[0]);
	free_sheet(sheets[1]);
	free(path);
}

/* A write that fails (a full disk) is reported, not lost: by the sheet or by the close. */
static void write_error(enum print_format format, const char *words)
{
	FILE *full = fopen("/dev/full", "w");
	if (!full)
		skip();
	struct sheet *s = make_sheet("Ærlige Øjvind Åbo", usual_steps, 0);
	char *err = NULL;
	struct printer *p = printer_open(format, full, &err);
	assert_non_null(p);
	int rc = printer_sheet(p, s, &err);
	char *close_err = NULL;
	long pages = printer_close(p, &close_err);
	assert_true(rc != 0 || pages < 0);
	assert_contains(rc != 0 ? err : close_err, words);
	free(err);
	free(close_err);
	fclose(full);
	free_sheet(s);
}

static void test_text_write_error(void **state)
{
	(void)state;
	write_error(PRINT_TEXT, "Could not write");
}

/* --- PDF -------------------------------------------------------------------------------- */

static void test_pdf_sheet_one_page(void **state)
{
	char *path = unit_path(*state, "sheet.pdf");
	struct sheet *s = make_sheet("Ærlige Øjvind Åbo", usual_steps, 0);
	assert_int_equal(render(path, PRINT_PDF, &s, 1), 1);
	assert_int_equal(pdf_pages(path), 1);
	char *text = pdf_text(path, 0, 0);
	assert_sheet_words(text);
	assert_contains(text, "Page 1 of 1");
	assert_false(unit_contains(text, "continued"));
	/* Reading order: the header, the items in order, the signatures, the footer. */
	const char *name = strstr(text, "Ærlige Øjvind Åbo");
	const char *income = strstr(text, "Indkomst");
	const char *support = strstr(text, "Støtte");
	const char *sign = strstr(text, "Signature, staff");
	assert_true(name < income && income < support && support < sign);
	free(text);
	free_sheet(s);
	free(path);
}

/* An ordinary sheet with a note on every step still fits on one page. */
static void test_pdf_notes_one_page(void **state)
{
	char *path = unit_path(*state, "notes.pdf");
	struct sheet *s = make_sheet("Ærlige Øjvind Åbo", usual_steps, 1);
	assert_int_equal(render(path, PRINT_PDF, &s, 1), 1);
	assert_int_equal(pdf_pages(path), 1);
	char *text = pdf_text(path, 0, 0);
	assert_contains(text, "Notat 1: ring til sagsbehandleren på tirsdag");
	assert_contains(text, "Notat 17: ring til sagsbehandleren på tirsdag");
	free(text);
	free_sheet(s);
	free(path);
}

static void test_pdf_two_sheets(void **state)
{
	char *path = unit_path(*state, "two.pdf");
	struct sheet *sheets[2] = {make_sheet("Ærlige Øjvind Åbo", usual_steps, 0),
				   make_sheet("Søren Æbelø", usual_steps, 0)};
	assert_int_equal(render(path, PRINT_PDF, sheets, 2), 2);
	assert_int_equal(pdf_pages(path), 2);
	/* Each sheet on a page of its own, numbered as a sheet of its own. */
	char *first = pdf_text(path, 1, 1);
	char *second = pdf_text(path, 2, 2);
	assert_contains(first, "Ærlige Øjvind Åbo");
	assert_false(unit_contains(first, "Søren Æbelø"));
	assert_contains(first, "Page 1 of 1");
	assert_contains(second, "Søren Æbelø");
	assert_contains(second, "Page 1 of 1");
	free(first);
	free(second);
	free_sheet(sheets[0]);
	free_sheet(sheets[1]);
	free(path);
}

/* 60 steps do not fit on a page: the sheet continues under "Name (continued)", every step is
 * there once, and the pages are numbered x of y. */
static void test_pdf_continued(void **state)
{
	char *path = unit_path(*state, "long.pdf");
	struct sheet *s = make_sheet("Ærlige Øjvind Åbo", many_steps, 0);
	long pages = render(path, PRINT_PDF, &s, 1);
	assert_true(pages >= 2);
	assert_int_equal(pdf_pages(path), pages);
	char *second = pdf_text(path, 2, 2);
	assert_contains(second, "Ærlige Øjvind Åbo (continued)");
	char *label = xasprintf("Page 2 of %ld", pages);
	assert_contains(second, label);
	free(label);
	char *all = pdf_text(path, 0, 0);
	assert_contains(all, "Trin 1: søg om hjælp");
	assert_contains(all, "Trin 60: søg om hjælp");
	assert_int_equal(count(all, "Trin 37: søg om hjælp"), 1);
	assert_contains(all, "Signature, resident");
	assert_int_equal(count(all, "Udskrevet 23-11-2026"), (size_t)pages);
	free(all);
	free(second);
	free_sheet(s);
	free(path);
}

/* A 2000-character note wraps, nothing of it clipped, whatever page it ends on. */
static void test_pdf_long_note(void **state)
{
	char *path = unit_path(*state, "note.pdf");
	struct sheet *s = make_sheet("Ærlige Øjvind Åbo", usual_steps, 1);
	free(s->items[1].steps[2].note);
	s->items[1].steps[2].note = long_note();
	long pages = render(path, PRINT_PDF, &s, 1);
	assert_true(pages >= 1);
	assert_int_equal(pdf_pages(path), pages);
	char *text = pdf_text(path, 0, 0);
	assert_contains(text, LONG_NOTE_END);
	assert_contains(text, "depositum og indskud");
	assert_contains(text, "Notat 17: ring til sagsbehandleren på tirsdag");
	free(text);
	free_sheet(s);
	free(path);
}

static void test_pdf_write_error(void **state)
{
	(void)state;
	write_error(PRINT_PDF, "Could not write the PDF");
}

int main(void)
{
	unit_pin_english();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_text_sheet, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_text_long_note, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_text_two_sheets, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test(test_text_write_error),
		cmocka_unit_test_setup_teardown(test_pdf_sheet_one_page, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_pdf_notes_one_page, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_pdf_two_sheets, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_pdf_continued, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test_setup_teardown(test_pdf_long_note, unit_setup_tmpdir,
						unit_teardown_tmpdir),
		cmocka_unit_test(test_pdf_write_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
