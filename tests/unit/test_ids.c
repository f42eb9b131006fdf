/* Record ids: their alphabet, their uniqueness, and the seeded generator of `husly demo`. */
#include "unit.h"

#include "ids.h"

static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

static int cmp_ids(const void *a, const void *b)
{
	return memcmp(a, b, ID_LEN);
}

static void test_id_shape(void **state)
{
	(void)state;
	id_seed(0);
	for (int i = 0; i < 1000; i++) {
		char id[ID_LEN];
		memset(id, 'X', sizeof(id));
		id_new(id);
		assert_int_equal(strlen(id), 12);
		assert_int_equal(ID_LEN, 13);
		for (int j = 0; j < 12; j++)
			if (!strchr(alphabet, id[j]))
				fail_msg("id %s has '%c', not in the alphabet", id, id[j]);
		assert_true(id_is_valid(id));
	}
}

static void test_id_is_valid(void **state)
{
	(void)state;
	assert_true(id_is_valid("k3m9qx2t7bvr"));
	assert_true(id_is_valid("000000000000"));
	assert_true(id_is_valid("zzzzzzzzzzzz"));
	const char *bad[] = {
		"",		 "k3m9qx2t7bv",	   /* 11 */
		"k3m9qx2t7bvrr", /* 13 */
		"K3M9QX2T7BVR",	 /* upper case */
		"k3m9qx2t7bvi",	 "k3m9qx2t7bvl", "k3m9qx2t7bvo", "k3m9qx2t7bvu", /* i l o u */
		"k3m9qx2t7bv-",	 "k3m9qx2t7bv ", "k3m9qx 2t7bv", "k3m9qx2t7bvø", "../../etc/pa",
	};
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (id_is_valid(bad[i]))
			fail_msg("id_is_valid accepted \"%s\"", bad[i]);
	assert_false(id_is_valid(NULL));
}

static void test_ids_unique(void **state)
{
	(void)state;
	enum { N = 100000 };
	id_seed(0);
	char(*ids)[ID_LEN] = xcalloc(N, ID_LEN);
	for (int i = 0; i < N; i++)
		id_new(ids[i]);
	qsort(ids, N, ID_LEN, cmp_ids);
	for (int i = 1; i < N; i++)
		if (strcmp(ids[i - 1], ids[i]) == 0)
			fail_msg("id %s made twice", ids[i]);
	/* Every character of the alphabet turns up in every position. */
	for (int pos = 0; pos < 12; pos++) {
		int seen[32] = {0};
		for (int i = 0; i < N; i++)
			seen[strchr(alphabet, ids[i][pos]) - alphabet] = 1;
		for (int c = 0; c < 32; c++)
			if (!seen[c])
				fail_msg("'%c' never appears at position %d", alphabet[c], pos);
	}
	free(ids);
}

static void sequence(uint64_t seed, char out[][ID_LEN], int n)
{
	id_seed(seed);
	for (int i = 0; i < n; i++)
		id_new(out[i]);
}

static void test_seeded_sequence(void **state)
{
	(void)state;
	char a[20][ID_LEN], b[20][ID_LEN], c[20][ID_LEN], r1[20][ID_LEN], r2[20][ID_LEN];
	sequence(42, a, 20);
	sequence(42, b, 20);
	sequence(43, c, 20);
	for (int i = 0; i < 20; i++) {
		assert_string_equal(a[i], b[i]);
		assert_true(id_is_valid(a[i]));
		assert_string_not_equal(a[i], c[i]);
		if (i > 0)
			assert_string_not_equal(a[i], a[i - 1]);
	}
	/* The same seed gives the same numbers too, not only the same ids. */
	id_seed(7);
	uint64_t x = id_random(1000000);
	double u = id_random_unit();
	id_seed(7);
	assert_int_equal(id_random(1000000), x);
	assert_true(id_random_unit() == u);

	/* Seed 0: back to the kernel's random source, so two runs differ from each other and
	 * from the seeded sequence. */
	sequence(0, r1, 20);
	sequence(0, r2, 20);
	int same = 0;
	for (int i = 0; i < 20; i++)
		same += strcmp(r1[i], r2[i]) == 0 || strcmp(r1[i], a[i]) == 0;
	assert_int_equal(same, 0);
	/* And seeding again after that gives the seeded sequence again. */
	sequence(42, b, 20);
	assert_memory_equal(a, b, sizeof(a));
	id_seed(0);
}

static void test_random_ranges(void **state)
{
	(void)state;
	id_seed(99);
	int hits[7] = {0};
	for (int i = 0; i < 7000; i++) {
		uint64_t v = id_random(7);
		assert_true(v < 7);
		hits[v]++;
	}
	for (int i = 0; i < 7; i++)
		assert_in_range(hits[i], 800, 1200);
	for (int i = 0; i < 1000; i++) {
		double u = id_random_unit();
		assert_true(u >= 0.0 && u < 1.0);
		assert_int_equal(id_random(1), 0);
	}
	id_seed(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_id_shape),
		cmocka_unit_test(test_id_is_valid),
		cmocka_unit_test(test_ids_unique),
		cmocka_unit_test(test_seeded_sequence),
		cmocka_unit_test(test_random_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
