/* gettext: English message ids in the code, Danish in po/da.po. */
#ifndef HUSLY_I18N_H
#define HUSLY_I18N_H

#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
