#include "ids.h"

#include <string.h>
#include <sys/random.h>

static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

static int seeded;
static uint64_t state;

/* splitmix64: small, fast and well distributed; enough for demo data, never for secrets. */
static uint64_t splitmix64(void)
{
	uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t next64(void)
{
	if (seeded)
		return splitmix64();
	uint64_t v = 0;
	size_t got = 0;
	while (got < sizeof(v)) {
		ssize_t n = getrandom((char *)&v + got, sizeof(v) - got, 0);
		if (n > 0)
			got += (size_t)n;
	}
	return v;
}

void id_seed(uint64_t seed)
{
	seeded = seed != 0;
	state = seed;
}

void id_new(char out[ID_LEN])
{
	uint64_t v = next64();
	for (int i = 0; i < ID_LEN - 1; i++) {
		out[i] = alphabet[v & 31];
		v >>= 5;
	}
	out[ID_LEN - 1] = '\0';
}

int id_is_valid(const char *s)
{
	if (!s || strlen(s) != ID_LEN - 1)
		return 0;
	for (const char *p = s; *p; p++)
		if (!strchr(alphabet, *p))
			return 0;
	return 1;
}

uint64_t id_random(uint64_t n)
{
	/* Rejection sampling keeps it uniform. */
	uint64_t limit = UINT64_MAX - UINT64_MAX % n;
	uint64_t v;
	do
		v = next64();
	while (v >= limit);
	return v % n;
}

double id_random_unit(void)
{
	return (double)(next64() >> 11) / 9007199254740992.0;
}
