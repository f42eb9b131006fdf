/* Text: UTF-8 decoding, the search key of names, and what may reach a terminal. */
#include "unit.h"

#include "text.h"

/* Asserts text_fold(in) == expect. */
static void fold_is(const char *in, const char *expect)
{
	char *f = text_fold(in);
	if (strcmp(f, expect) != 0)
		fail_msg("text_fold(\"%s\") = \"%s\", expected \"%s\"", in, f, expect);
	free(f);
}

static void sanitized_is(const char *in, const char *expect)
{
	char *s = text_sanitize(in);
	if (strcmp(s, expect) != 0)
		fail_msg("text_sanitize gave \"%s\", expected \"%s\"", s, expect);
	free(s);
}

static void test_fold_danish_spellings(void **state)
{
	(void)state;
	char *a = text_fold("Søren Ærø");
	char *b = text_fold("Soeren Aeroe");
	char *c = text_fold("Soren Aro");
	assert_string_equal(a, b);
	assert_string_equal(b, c);
	assert_string_equal(a, "soren aro");
	free(a);
	free(b);
	free(c);
	/* å and aa, æ and ae, ö/ä/ü as in German names */
	fold_is("Åse Ågård", "ase agard");
	fold_is("Aase Aagaard", "ase agard");
	fold_is("Mændenes Hjem", "mandenes hjem");
	fold_is("Maendenes Hjem", "mandenes hjem");
	fold_is("Jørgen Müller", "jorgen muller");
	fold_is("Jörgen Mueller", "jorgen mueller"); /* ü is u, but ue stays ue */
	fold_is("Bjørnsdóttir", "bjornsdottir");
	fold_is("Zoë Ñúñez", "zo nunez"); /* ë is e, and oe is o */
}

static void test_fold_case_and_punctuation(void **state)
{
	(void)state;
	fold_is("JENS HANSEN", "jens hansen");
	fold_is("ÆRØ", "aro");
	fold_is("  Jens--Peter,   Hansen!! ", "jens peter hansen");
	fold_is("O'Brien", "o brien");
	fold_is("Hans\tJensen\n", "hans jensen");
	fold_is("", "");
	fold_is("   ", "");
	fold_is("...", "");
	fold_is("Room 12b", "room 12b");
	/* Control characters and escape sequences are spaces, never kept. */
	fold_is("Jens\x1b[31mHansen", "jens 31mhansen");
	/* Other scripts are kept as they are (lower case is not attempted). */
	fold_is("Иван Петров", "Иван Петров");
	/* Malformed bytes do not stop the fold. */
	fold_is("Jens\xff\xfeHansen", "jens hansen");
}

static void test_fold_is_idempotent(void **state)
{
	(void)state;
	const char *names[] = {"Søren Ærø", "Aase Aagaard", "Mette-Marie Østergård", "Kim", "Zoë"};
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		char *once = text_fold(names[i]);
		char *twice = text_fold(once);
		assert_string_equal(once, twice);
		free(once);
		free(twice);
	}
}

static void test_sanitize(void **state)
{
	(void)state;
	sanitized_is("plain text", "plain text");
	sanitized_is("Søren Ærø æøå ÆØÅ", "Søren Ærø æøå ÆØÅ");
	sanitized_is("emoji \xf0\x9f\x98\x80 and \xe2\x9a\xa0", "emoji \xf0\x9f\x98\x80 and \xe2\x9a\xa0");
	sanitized_is("a\x1b]0;pwned\x07" "b", "a?]0;pwned?b");
	sanitized_is("red\x1b[31mtext", "red?[31mtext");
	sanitized_is("bell\x07", "bell?");
	sanitized_is("del\x7f", "del?");
	sanitized_is("tab\tnl\ncr\r", "tab?nl?cr?");
	sanitized_is("c1 \xc2\x9b" "31m", "c1 ?31m");     /* U+009B CSI, as UTF-8 */
	sanitized_is("c1 \xc2\x80 \xc2\x9f", "c1 ? ?");   /* first and last C1 */
	sanitized_is("nbsp\xc2\xa0ok", "nbsp\xc2\xa0ok"); /* U+00A0 is the first safe one */
	sanitized_is("bidi \xe2\x80\xae" "evil", "bidi ?evil");    /* U+202E */
	sanitized_is("\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8f\xd8\x9c", "?????");
	sanitized_is("raw \x9b byte", "raw ? byte");      /* a lone C1 byte: invalid UTF-8 */
	sanitized_is("bad \xff\xfe end", "bad ?? end");
	sanitized_is("cut \xc3", "cut ?");                /* truncated sequence */
	sanitized_is("over \xc0\xaf long", "over ?? long"); /* overlong '/' */
	sanitized_is("", "");
}

static void test_is_unsafe(void **state)
{
	(void)state;
	const uint32_t unsafe[] = {0x00, 0x07, 0x1b, 0x1f, 0x7f, 0x80, 0x9b, 0x9f,
				   0x202a, 0x202e, 0x2066, 0x2069, 0x200e, 0x200f, 0x061c};
	const uint32_t safe[] = {' ', 'a', '~', 0xa0, 0xe6, 0xf8, 0xe5, 0x2014, 0x26a0, 0x1f600,
				 0x202f, 0x2065, 0x206a};
	for (size_t i = 0; i < ARRAY_SIZE(unsafe); i++)
		if (!text_is_unsafe(unsafe[i]))
			fail_msg("U+%04X should be unsafe", (unsigned)unsafe[i]);
	for (size_t i = 0; i < ARRAY_SIZE(safe); i++)
		if (text_is_unsafe(safe[i]))
			fail_msg("U+%04X should be safe", (unsigned)safe[i]);
}

static void decodes(const char *s, size_t len, uint32_t cp, size_t used)
{
	uint32_t got = 0;
	size_t n = utf8_decode(s, len, &got);
	if (got != cp || n != used)
		fail_msg("utf8_decode gave U+%04X using %zu bytes, expected U+%04X using %zu",
			 (unsigned)got, n, (unsigned)cp, used);
}

static void test_utf8_decode(void **state)
{
	(void)state;
	decodes("a", 1, 'a', 1);
	decodes("\xc3\xb8", 2, 0xf8, 2);
	decodes("\xe2\x82\xac", 3, 0x20ac, 3);
	decodes("\xf0\x9f\x98\x80", 4, 0x1f600, 4);
	decodes("\xf4\x8f\xbf\xbf", 4, 0x10ffff, 4);
	/* Overlong forms of '/', NUL and U+07FF / U+FFFF. */
	decodes("\xc0\xaf", 2, REPLACEMENT_CHAR, 1);
	decodes("\xc0\x80", 2, REPLACEMENT_CHAR, 1);
	decodes("\xe0\x80\xaf", 3, REPLACEMENT_CHAR, 1);
	decodes("\xe0\x9f\xbf", 3, REPLACEMENT_CHAR, 1);
	decodes("\xf0\x8f\xbf\xbf", 4, REPLACEMENT_CHAR, 1);
	/* Surrogates (CESU-8). */
	decodes("\xed\xa0\x80", 3, REPLACEMENT_CHAR, 1);
	decodes("\xed\xbf\xbf", 3, REPLACEMENT_CHAR, 1);
	decodes("\xed\x9f\xbf", 3, 0xd7ff, 3);
	/* Beyond U+10FFFF, stray continuation bytes, bytes that never appear. */
	decodes("\xf4\x90\x80\x80", 4, REPLACEMENT_CHAR, 1);
	decodes("\x80", 1, REPLACEMENT_CHAR, 1);
	decodes("\xbf", 1, REPLACEMENT_CHAR, 1);
	decodes("\xfe", 1, REPLACEMENT_CHAR, 1);
	decodes("\xff", 1, REPLACEMENT_CHAR, 1);
	decodes("\xf8\x88\x80\x80\x80", 5, REPLACEMENT_CHAR, 1);
	/* Truncated: by the length given, and by a byte that is not a continuation. */
	decodes("\xc3\xb8", 1, REPLACEMENT_CHAR, 1);
	decodes("\xe2\x82\xac", 2, REPLACEMENT_CHAR, 1);
	decodes("\xe2\x82" "a", 3, REPLACEMENT_CHAR, 1);
	decodes("", 0, REPLACEMENT_CHAR, 1);
}

static void test_utf8_round_trip(void **state)
{
	(void)state;
	const uint32_t cps[] = {0x01, 0x7f, 0x80, 0x7ff, 0x800, 0xd7ff, 0xe000, 0xfffd, 0xffff,
				0x10000, 0x10ffff};
	for (size_t i = 0; i < ARRAY_SIZE(cps); i++) {
		char buf[4];
		size_t n = utf8_encode(cps[i], buf);
		uint32_t back;
		assert_int_equal(utf8_decode(buf, n, &back), n);
		assert_int_equal(back, cps[i]);
	}
}

/* What an import takes as text: well-formed UTF-8 without NUL, controls and U+FFFD included. */
static void test_is_utf8(void **state)
{
	(void)state;
	static const char good[] = "Søren \x1b]0;x\x07 \xc2\x9b \xe2\x80\xae \xef\xbf\xbd \xf0\x9f\x98\x80";
	assert_true(text_is_utf8(good, sizeof(good) - 1));
	assert_true(text_is_utf8("", 0));
	static const char *const bad[] = {
		"\xc3\x28",         /* a lead byte without its continuation */
		"\xff",              /* never in UTF-8 */
		"\xc0\xaf",         /* overlong '/' */
		"\xed\xa0\x80",     /* a UTF-16 surrogate */
		"\xf4\x90\x80\x80", /* past U+10FFFF */
		"ab\xe2\x80",       /* cut short */
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		assert_false(text_is_utf8(bad[i], strlen(bad[i])));
	assert_false(text_is_utf8("a\0b", 3)); /* a NUL inside */
}

static void test_ascii_fallbacks(void **state)
{
	(void)state;
	assert_string_equal(text_ascii(0xf8), "oe");
	assert_string_equal(text_ascii(0xd8), "Oe");
	assert_string_equal(text_ascii(0xe6), "ae");
	assert_string_equal(text_ascii(0xc6), "Ae");
	assert_string_equal(text_ascii(0xe5), "aa");
	assert_string_equal(text_ascii(0xc5), "Aa");
	assert_string_equal(text_ascii(0xe9), "e");
	assert_null(text_ascii('a'));
	assert_null(text_ascii(0x1f600));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_danish_spellings),
		cmocka_unit_test(test_fold_case_and_punctuation),
		cmocka_unit_test(test_fold_is_idempotent),
		cmocka_unit_test(test_sanitize),
		cmocka_unit_test(test_is_unsafe),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_utf8_round_trip),
		cmocka_unit_test(test_is_utf8),
		cmocka_unit_test(test_ascii_fallbacks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
