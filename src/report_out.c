/* husly report's text and CSV (report.h). Labels come from the lists and husly.conf, codes from
 * the database (which sync fills): the text is made safe for a terminal, the CSV quoted. */
#include "report.h"

#include "i18n.h"
#include "kommune.h"
#include "lists.h"
#include "print_doc.h"
#include "text.h"
#include "util.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *destination_label(const char *code)
{
	return *code ? choice_label(&list_destinations, code) : _("not recorded");
}

static const char *kommune_label(const char *code)
{
	const struct kommune *k = kommune_by_code(code);
	return k ? k->name : *code ? code : _("not recorded");
}

/* A number of days with one decimal and a decimal comma, as Danes write it. */
static void decimal_comma(double v, char out[32])
{
	snprintf(out, 32, "%.1f", v);
	char *dot = strchr(out, '.');
	if (dot)
		*dot = ',';
}

static const char *const kind_codes[STAY_KINDS] = {"short", "episodic", "long"};
static const char *const kind_names[STAY_KINDS] = {N_("short"), N_("episodic"), N_("long")};
static const struct {
	const char *code, *label;
} risks[RISK_FACTORS] = {
    [RISK_MISUSE] = {"misuse", N_("misuse")},
    [RISK_ALCOHOL] = {"alcohol", N_("alcohol")},
    [RISK_DRUGS] = {"drugs", N_("drugs")},
    [RISK_MENTAL] = {"mental_illness", N_("mental illness")},
    [RISK_BOTH] = {"both", N_("both misuse and mental illness")},
    [RISK_EITHER] = {"either", N_("misuse or mental illness")},
    [RISK_PRISON] = {"prison", N_("prison")},
    [RISK_ANY] = {"any_risk", N_("at least one risk factor")},
};

/* The share in per cent with one decimal and a comma; "-" of nobody. */
static void share(long n, long of, char out[32])
{
	if (of == 0)
		snprintf(out, 32, "-");
	else
		decimal_comma(100.0 * (double)n / (double)of, out);
}

static const char *const problem_codes[] = {
    [REG_NO_CPR] = "no_cpr", [REG_DUPLICATE] = "duplicate",
    [REG_NO_DISCHARGE] = "no_discharge", [REG_OVERLAP] = "overlap"};

/* How the stay ended, for the register: "" when it did not end in the period. */
static const char *ended(const struct register_stay *s)
{
	if (!s->departure)
		return "";
	return str_eq(s->destination ? s->destination : "", "died") ? _("died") : _("discharged");
}

static char *problem_text(const struct register_problem *p)
{
	switch (p->kind) {
	case REG_NO_CPR: return xasprintf(_("no CPR number: resident %s"), p->ids);
	case REG_DUPLICATE:
		return xasprintf(_("CPR number %s on more than one resident: %s"), p->cpr, p->ids);
	case REG_NO_DISCHARGE:
		return xasprintf(_("CPR number %s: a stay without a discharge before a later "
				   "stay: %s"),
				 *p->cpr ? p->cpr : "-", p->ids);
	default:
		return xasprintf(_("CPR number %s: stays that overlap: %s"), *p->cpr ? p->cpr : "-",
				 p->ids);
	}
}

/* --- text -------------------------------------------------------------------------------- */

static void put(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) >= 0) {
		text_fput_safe(s, out);
		free(s);
	}
	va_end(ap);
}

static void text_counts(FILE *out, const char *title, const struct report_counts *c,
			const char *(*label)(const char *))
{
	put(out, "\n%s\n", title);
	if (c->n == 0)
		put(out, "  %s\n", _("none"));
	for (size_t i = 0; i < c->n; i++)
		put(out, "  %6ld  %s\n", c->items[i].n, label(c->items[i].code));
}

static void text_ready(FILE *out, const struct report *r)
{
	put(out, "\n%s\n", _("Days from ready to moving out (departures with a ready date)"));
	put(out, "  %-24s %ld\n", _("departures counted"), r->ready_n);
	if (r->ready_n == 0)
		return;
	const struct {
		const char *what;
		double v;
	} rows[] = {
	    {N_("smallest"), r->ready_min}, {N_("lower quartile"), r->ready_q1},
	    {N_("median"), r->ready_median}, {N_("upper quartile"), r->ready_q3},
	    {N_("largest"), r->ready_max},
	};
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		char v[32];
		decimal_comma(rows[i].v, v);
		put(out, "  %-24s %s\n", _(rows[i].what), v);
	}
}

static void text_limit(FILE *out, const struct refund_limit *l)
{
	char change[DATE_LEN];
	date_iso_to_dk(l->change, change);
	put(out, _("\nDays per resident and calendar year (the state refund limit: %d days a year, "
		   "%d from %s)\n"),
	    l->before, l->after, change);
}

static void text_days(FILE *out, const struct report *r)
{
	text_limit(out, &r->limit);
	long over = 0;
	for (size_t i = 0; i < r->nyears; i++)
		over += r->years[i].over > 0;
	put(out, "  %6zu  %s\n", r->nyears, _("residents and years counted"));
	put(out, "  %6ld  %s\n", over, _("of those over the limit"));
	const char *paying = NULL;
	for (size_t i = 0; i < r->nover; i++) {
		const struct report_days *d = &r->over_by_paying[i];
		if (!paying || !str_eq(paying, d->paying))
			put(out, "  %s\n", kommune_label(d->paying));
		paying = d->paying;
		put(out, _("    %d  %s (%s): %ld day(s) over the limit\n"), d->year, d->name,
		    d->resident_id, d->over);
	}
}

/* Characters, not bytes: printf's widths would count æ, ø and å twice. */
static int chars(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* text padded to width characters: on the left (right-aligned) when right, else after it. */
static void put_padded(FILE *out, const char *text, int width, int right)
{
	int pad = width - chars(text);
	if (right && pad > 0)
		put(out, "%*s", pad, "");
	put(out, "%s", text);
	if (!right && pad > 0)
		put(out, "%*s", pad, "");
}

static void text_vive(FILE *out, const struct report *r)
{
	put(out, "\n%s\n", _("Risk factors by type of stay (VIVE), per cent of the residents"));
	put(out, "  %-32s", "");
	for (int k = 0; k < STAY_KINDS; k++) {
		put(out, " ");
		put_padded(out, _(kind_names[k]), 12, 1);
	}
	put(out, "\n");
	for (int f = 0; f < RISK_FACTORS; f++) {
		put(out, "  ");
		put_padded(out, _(risks[f].label), 32, 0);
		for (int k = 0; k < STAY_KINDS; k++) {
			char v[32];
			share(r->vive[f][k], r->vive_n[k], v);
			put(out, " %12s", v);
		}
		put(out, "\n");
	}
	put(out, "  %-32s", "N");
	for (int k = 0; k < STAY_KINDS; k++)
		put(out, " %12ld", r->vive_n[k]);
	put(out, "\n");
}

static void text_register(FILE *out, const struct report *r)
{
	put(out, "\n%s\n", _("National register: admissions and discharges in the period (CPR)"));
	if (r->nproblems > 0)
		put(out, "  %s\n", _("Problems the register would reject; fix them before reporting:"));
	for (size_t i = 0; i < r->nproblems; i++) {
		char *t = problem_text(&r->problems[i]);
		put(out, "  ! %s\n", t);
		free(t);
	}
	if (r->nreg == 0)
		put(out, "  %s\n", _("none"));
	for (size_t i = 0; i < r->nreg; i++) {
		const struct register_stay *s = &r->reg[i];
		char in[DATE_LEN], left[DATE_LEN] = "";
		date_iso_to_dk(s->arrival, in);
		if (s->departure)
			date_iso_to_dk(s->departure, left);
		put(out, "  %-10s  %s  %-10s  %s; %s: %s", *s->cpr ? s->cpr : "-", in,
		    *left ? left : "-", _(kind_names[s->kind]), _("before"),
		    s->previous_living ? choice_label(&list_living, s->previous_living) : "-");
		if (s->departure)
			put(out, "; %s, %s: %s", ended(s), _("went to"),
			    destination_label(s->destination ? s->destination : ""));
		put(out, "\n");
	}
}

int report_write_text(const struct report *r, FILE *out)
{
	char from[DATE_LEN], to[DATE_LEN];
	date_iso_to_dk(r->from, from);
	date_iso_to_dk(r->to, to);
	put(out, _("Report for %s to %s\n"), from, to);
	put(out, "\n  %6ld  %s\n", r->stays, _("stays in the period"));
	put(out, "  %6ld  %s\n", r->residents, _("residents in the period"));
	put(out, "  %6ld  %s\n", r->arrivals, _("arrivals"));
	put(out, "  %6ld  %s\n", r->departures, _("departures"));
	text_counts(out, _("Where those who left went"), &r->destinations, destination_label);
	text_ready(out, r);
	text_counts(out, _("Residents by home municipality"), &r->home, kommune_label);
	text_counts(out, _("Stays by paying municipality"), &r->paying, kommune_label);
	text_days(out, r);
	text_vive(out, r);
	text_register(out, r);
	put(out, "\n%s\n", _("Monitoring indicators"));
	put(out, "  %6ld  %s\n", r->over_ready_limit,
	    _("stayed more than 120 days after being ready to move"));
	put(out, "  %6ld  %s\n", r->over_ready_unassessed,
	    _("of those: not assessed and with no plan"));
	return ferror(out) ? -1 : 0;
}

/* --- CSV --------------------------------------------------------------------------------- */

/* A field in double quotes, a quote doubled: a label may hold ';', quotes or a newline. One that
 * begins as a formula would (= + - @) gets a ' first, so a spreadsheet shows it, never runs it. */
static void csv_field(FILE *out, const char *s)
{
	fputc('"', out);
	if (strchr("=+-@\t\r", *s) && *s)
		fputc('\'', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void csv_row(FILE *out, const char *section, const char *code, const char *label,
		    const char *value)
{
	csv_field(out, section);
	fputc(';', out);
	csv_field(out, code);
	fputc(';', out);
	csv_field(out, label);
	fputc(';', out);
	fputs(value, out); /* a number or a date: never quoted, so spreadsheets read it as one */
	fputs("\r\n", out);
}

static void csv_long(FILE *out, const char *section, const char *code, const char *label,
		     long v)
{
	char s[32];
	snprintf(s, sizeof(s), "%ld", v);
	csv_row(out, section, code, label, s);
}

static void csv_counts(FILE *out, const char *section, const struct report_counts *c,
		       const char *(*label)(const char *))
{
	for (size_t i = 0; i < c->n; i++)
		csv_long(out, section, c->items[i].code, label(c->items[i].code), c->items[i].n);
}

static void csv_ready(FILE *out, const struct report *r)
{
	csv_long(out, "ready_days", "n", _("departures counted"), r->ready_n);
	if (r->ready_n == 0)
		return;
	const struct {
		const char *code, *what;
		double v;
	} rows[] = {
	    {"min", N_("smallest"), r->ready_min},    {"q1", N_("lower quartile"), r->ready_q1},
	    {"median", N_("median"), r->ready_median}, {"q3", N_("upper quartile"), r->ready_q3},
	    {"max", N_("largest"), r->ready_max},
	};
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		char v[32];
		decimal_comma(rows[i].v, v);
		csv_row(out, "ready_days", rows[i].code, _(rows[i].what), v);
	}
}

static void csv_days(FILE *out, const struct report *r)
{
	char change[DATE_LEN];
	date_iso_to_dk(r->limit.change, change);
	csv_long(out, "refund_limit", "before", _("days a year before the change"), r->limit.before);
	csv_long(out, "refund_limit", "after", _("days a year from the change"), r->limit.after);
	csv_row(out, "refund_limit", "change", _("the change"), change);
	for (size_t i = 0; i < r->nyears; i++) {
		const struct report_days *d = &r->years[i];
		char *code = xasprintf("%d/%s", d->year, d->resident_id);
		csv_long(out, "year_days", code, d->name, d->days);
		free(code);
	}
	for (size_t i = 0; i < r->nover; i++) {
		const struct report_days *d = &r->over_by_paying[i];
		char *code = xasprintf("%s/%d/%s", d->paying, d->year, d->resident_id);
		char *label = xasprintf("%s: %s", kommune_label(d->paying), d->name);
		csv_long(out, "refund_over", code, label, d->over);
		free(code);
		free(label);
	}
}

static void csv_vive(FILE *out, const struct report *r)
{
	for (int k = 0; k < STAY_KINDS; k++) {
		char *code = xasprintf("n/%s", kind_codes[k]);
		char *label = xasprintf("N, %s", _(kind_names[k]));
		csv_long(out, "vive", code, label, r->vive_n[k]);
		free(code);
		free(label);
	}
	for (int f = 0; f < RISK_FACTORS; f++)
		for (int k = 0; k < STAY_KINDS; k++) {
			char v[32];
			share(r->vive[f][k], r->vive_n[k], v);
			char *code = xasprintf("%s/%s", risks[f].code, kind_codes[k]);
			char *label = xasprintf("%s, %s (%%)", _(risks[f].label), _(kind_names[k]));
			csv_row(out, "vive", code, label, v);
			free(code);
			free(label);
		}
}

/* A row whose value is text: quoted. */
static void csv_text_row(FILE *out, const char *section, const char *code, const char *label,
			 const char *value)
{
	csv_field(out, section);
	fputc(';', out);
	csv_field(out, code);
	fputc(';', out);
	csv_field(out, label);
	fputc(';', out);
	csv_field(out, value);
	fputs("\r\n", out);
}

static void csv_register_stay(FILE *out, const struct register_stay *s)
{
	char in[DATE_LEN], left[DATE_LEN] = "";
	date_iso_to_dk(s->arrival, in);
	if (s->departure)
		date_iso_to_dk(s->departure, left);
	const struct {
		const char *field, *label, *value;
		int text;
	} f[] = {
	    {"admission", N_("admission"), in, 0},
	    {"discharge", N_("discharge"), left, 0},
	    {"stay_type", N_("type of stay"), kind_codes[s->kind], 1},
	    {"previous_living", N_("where they stayed before"),
	     s->previous_living ? s->previous_living : "", 1},
	    {"ended", N_("how the stay ended"),
	     !s->departure ? "" : str_eq(s->destination ? s->destination : "", "died") ? "died"
										 : "discharged",
	     1},
	    {"destination", N_("where they went"), s->destination ? s->destination : "", 1},
	};
	for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
		char *code = xasprintf("%s/%s/%s", s->cpr, s->stay_id, f[i].field);
		if (f[i].text)
			csv_text_row(out, "register", code, _(f[i].label), f[i].value);
		else
			csv_row(out, "register", code, _(f[i].label), f[i].value);
		free(code);
	}
}

static void csv_register(FILE *out, const struct report *r)
{
	for (size_t i = 0; i < r->nproblems; i++) {
		char *t = problem_text(&r->problems[i]);
		csv_text_row(out, "register_problem", problem_codes[r->problems[i].kind], t,
			     r->problems[i].ids);
		free(t);
	}
	for (size_t i = 0; i < r->nreg; i++)
		csv_register_stay(out, &r->reg[i]);
}

int report_write_csv(const struct report *r, FILE *out)
{
	char from[DATE_LEN], to[DATE_LEN];
	date_iso_to_dk(r->from, from);
	date_iso_to_dk(r->to, to);
	fputs("\xEF\xBB\xBF", out); /* the byte-order mark: Excel then reads UTF-8 */
	fputs("section;code;label;value\r\n", out);
	csv_row(out, "period", "from", _("first day"), from);
	csv_row(out, "period", "to", _("last day"), to);
	csv_long(out, "figure", "stays", _("stays in the period"), r->stays);
	csv_long(out, "figure", "residents", _("residents in the period"), r->residents);
	csv_long(out, "figure", "arrivals", _("arrivals"), r->arrivals);
	csv_long(out, "figure", "departures", _("departures"), r->departures);
	csv_counts(out, "destination", &r->destinations, destination_label);
	csv_ready(out, r);
	csv_counts(out, "home_kommune", &r->home, kommune_label);
	csv_counts(out, "paying_kommune", &r->paying, kommune_label);
	csv_days(out, r);
	csv_vive(out, r);
	csv_register(out, r);
	csv_long(out, "indicator", "over_120_after_ready",
		 _("stayed more than 120 days after being ready to move"), r->over_ready_limit);
	csv_long(out, "indicator", "over_120_not_assessed",
		 _("of those: not assessed and with no plan"), r->over_ready_unassessed);
	return ferror(out) ? -1 : 0;
}

/* --- PDF (print_doc.h) ------------------------------------------------------------------- */

static void doc_long(struct doc *d, const char *label, long v)
{
	char s[32];
	snprintf(s, sizeof(s), "%ld", v);
	doc_field(d, label, s);
}

static void doc_counts(struct doc *d, const char *heading, const struct report_counts *c,
		       const char *(*label)(const char *))
{
	doc_section(d, heading);
	if (c->n == 0)
		doc_text(d, _("none"));
	for (size_t i = 0; i < c->n; i++)
		doc_long(d, label(c->items[i].code), c->items[i].n);
}

static void doc_figures(struct doc *d, const struct report *r)
{
	doc_section(d, _("Stays"));
	doc_long(d, _("stays in the period"), r->stays);
	doc_long(d, _("residents in the period"), r->residents);
	doc_long(d, _("arrivals"), r->arrivals);
	doc_long(d, _("departures"), r->departures);
	doc_counts(d, _("Where those who left went"), &r->destinations, destination_label);
	doc_section(d, _("Days from ready to moving out (departures with a ready date)"));
	doc_long(d, _("departures counted"), r->ready_n);
	const double v[] = {r->ready_min, r->ready_q1, r->ready_median, r->ready_q3, r->ready_max};
	const char *what[] = {N_("smallest"), N_("lower quartile"), N_("median"),
			      N_("upper quartile"), N_("largest")};
	for (size_t i = 0; r->ready_n > 0 && i < ARRAY_SIZE(v); i++) {
		char s[32];
		decimal_comma(v[i], s);
		doc_field(d, _(what[i]), s);
	}
	doc_counts(d, _("Residents by home municipality"), &r->home, kommune_label);
	doc_counts(d, _("Stays by paying municipality"), &r->paying, kommune_label);
	doc_section(d, _("Monitoring indicators"));
	doc_long(d, _("stayed more than 120 days after being ready to move"), r->over_ready_limit);
	doc_long(d, _("of those: not assessed and with no plan"), r->over_ready_unassessed);
}

static void doc_days(struct doc *d, const struct report *r)
{
	char change[DATE_LEN];
	date_iso_to_dk(r->limit.change, change);
	doc_section(d, _("Days per resident and calendar year"));
	char *limit = xasprintf(_("The state refund limit: %d days a year, %d from %s."),
				r->limit.before, r->limit.after, change);
	doc_text(d, limit);
	free(limit);
	long over = 0;
	for (size_t i = 0; i < r->nyears; i++)
		over += r->years[i].over > 0;
	doc_long(d, _("residents and years counted"), (long)r->nyears);
	doc_long(d, _("of those over the limit"), over);
	const char *paying = NULL;
	for (size_t i = 0; i < r->nover; i++) {
		const struct report_days *o = &r->over_by_paying[i];
		if (!paying || !str_eq(paying, o->paying))
			doc_subsection(d, kommune_label(o->paying));
		paying = o->paying;
		char *who = xasprintf("%d  %s (%s)", o->year, o->name, o->resident_id);
		char *n = xasprintf(_("%ld day(s) over the limit"), o->over);
		doc_field(d, who, n);
		free(who);
		free(n);
	}
}

static void doc_vive(struct doc *d, const struct report *r)
{
	doc_section(d, _("Risk factors by type of stay (VIVE), per cent of the residents"));
	char *head = xasprintf("%s / %s / %s", _(kind_names[0]), _(kind_names[1]),
			       _(kind_names[2]));
	doc_field(d, "", head);
	free(head);
	for (int f = 0; f < RISK_FACTORS; f++) {
		char v[STAY_KINDS][32];
		for (int k = 0; k < STAY_KINDS; k++)
			share(r->vive[f][k], r->vive_n[k], v[k]);
		char *row = xasprintf("%s / %s / %s", v[0], v[1], v[2]);
		doc_field(d, _(risks[f].label), row);
		free(row);
	}
	char *n = xasprintf("%ld / %ld / %ld", r->vive_n[0], r->vive_n[1], r->vive_n[2]);
	doc_field(d, "N", n);
	free(n);
}

static void doc_register(struct doc *d, const struct report *r)
{
	doc_section(d, _("National register: admissions and discharges in the period (CPR)"));
	if (r->nproblems > 0)
		doc_text(d, _("Problems the register would reject; fix them before reporting:"));
	for (size_t i = 0; i < r->nproblems; i++) {
		char *t = problem_text(&r->problems[i]);
		doc_entry(d, t, NULL);
		free(t);
	}
	if (r->nreg == 0)
		doc_text(d, _("none"));
	for (size_t i = 0; i < r->nreg; i++) {
		const struct register_stay *s = &r->reg[i];
		char in[DATE_LEN], left[DATE_LEN] = "-";
		date_iso_to_dk(s->arrival, in);
		if (s->departure)
			date_iso_to_dk(s->departure, left);
		char *line = xasprintf("%s  %s - %s", *s->cpr ? s->cpr : "-", in, left);
		char *text = xasprintf("%s; %s: %s%s%s%s%s", _(kind_names[s->kind]), _("before"),
				       s->previous_living
					   ? choice_label(&list_living, s->previous_living)
					   : "-",
				       s->departure ? "; " : "", s->departure ? ended(s) : "",
				       s->departure ? ", " : "",
				       s->departure ? destination_label(s->destination
									    ? s->destination
									    : "")
						    : "");
		doc_entry(d, line, text);
		free(line);
		free(text);
	}
}

long report_write_pdf(const struct report *r, const char *shelter, const char *printed_by,
		      FILE *out, char **err)
{
	char from[DATE_LEN], to[DATE_LEN], now[LOCAL_MIN_LEN], day[DATE_LEN];
	date_iso_to_dk(r->from, from);
	date_iso_to_dk(r->to, to);
	time_to_local_minute(clock_now(), now);
	date_iso_to_dk(now, day);
	char *period = xasprintf(_("%s to %s"), from, to);
	char *printed = xasprintf(_("Printed %s %s by %s"), day, now + 11,
				  printed_by ? printed_by : "?");
	struct doc d;
	doc_init(&d, _("Report"), shelter, period, printed);
	free(period);
	free(printed);
	doc_figures(&d, r);
	doc_days(&d, r);
	doc_vive(&d, r);
	doc_register(&d, r);
	long pages = doc_write(&d, PRINT_PDF, out, err);
	doc_free(&d);
	return pages;
}
