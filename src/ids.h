/* Record ids that stay unique when terminals merge their data: 60 random bits written as 12
 * characters of Crockford's base32 (no i, l, o, u: nothing to misread when typed), e.g.
 * "k3m9qx2t7bvr". Normally from the kernel's random source; `husly demo` switches to a seeded
 * generator so the same seed gives the same data. */
#ifndef HUSLY_IDS_H
#define HUSLY_IDS_H

#include <stdint.h>

#define ID_LEN 13 /* 12 characters + NUL */

void id_new(char out[ID_LEN]);
/* Ids (and id_random) from now on come from a generator seeded with seed; 0 returns to the
 * kernel's random source. */
void id_seed(uint64_t seed);
/* Whether s looks like an id made by id_new. */
int id_is_valid(const char *s);

/* Uniform random number in [0, n) from the same source as the ids (n > 0). */
uint64_t id_random(uint64_t n);
/* A random double in [0, 1). */
double id_random_unit(void);

#endif
