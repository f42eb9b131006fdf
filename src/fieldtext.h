/* A stored field as staff read it: the label they know it by and its value in words (labels for
 * codes, Danish dates, yes/no for flags, municipalities by name). Shared by the resident's
 * history on screen and the print-outs, so both say the same thing. No database, no terminal. */
#ifndef HUSLY_FIELDTEXT_H
#define HUSLY_FIELDTEXT_H

/* The label of a field of a shared record ("Room", "Acting municipality"), translated; the
 * field's own name when husly has no label for it, so nothing stored goes unshown. */
const char *field_label(const char *field);

/* Whether a field ties records together or says what they are (resident_id, stay_id, kind,
 * list, code, item, step, thing): the subject of a change names the step, answer or thing
 * already, and the ids mean nothing to staff. */
int field_structural(const char *field);

/* How a CPR number is shown: masked DDMMYY-XXXX on screens, whole only where the person's
 * own number is meant to be read (their subject access). */
enum cpr_shown { CPR_MASKED, CPR_WHOLE };

/* A stored value in words: labels for codes, Danish dates ("dd-mm-yyyy", "dd-mm-yyyy hh:mm"
 * for an arrival or departure), yes/no for flags, a municipality by name, a CPR number as
 * cpr says, "-" for none. A new string, not yet safe for a terminal (text_sanitize it). */
char *field_value_text(const char *field, const char *value, enum cpr_shown cpr);

/* What a change of a field is about, in the words of the resident's history: "Room",
 * "Alcohol: Answer", "Note" (a new string). row_id tells which step, answer or thing. */
char *field_change_subject(const char *tbl, const char *row_id, const char *field);

/* A municipality in words: "Helsingør (217)", "Uden fast bopæl / ukendt"; the code itself when
 * unknown, "" for NULL (a new string). */
char *kommune_in_words(const char *code);

#endif
