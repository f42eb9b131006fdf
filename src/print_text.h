/* Shared by the plain-text renderers (print_text.c: the checklist sheet; print_doc.c: documents
 * of sections): UTF-8 lines of at most LINE_COLS columns, one column per code point (right for
 * Danish), built in a strbuf. The text put here is safe already (print.h). */
#ifndef HUSLY_PRINT_TEXT_H
#define HUSLY_PRINT_TEXT_H

#include <stddef.h>

#include "print.h"
#include "util.h"

#define LINE_COLS 78

/* Where text goes on the line being written: col columns are written, wrapped lines start at
 * indent, and no line passes right. */
struct cursor {
	struct strbuf *sb;
	size_t col;
	size_t indent;
	size_t right;
};

/* The columns s takes (0 for NULL). */
size_t txt_cols(const char *s);
void txt_put_repeat(struct strbuf *sb, char c, size_t n);
/* Spaces up to column col (none when the cursor is there or past it). */
void txt_pad_to(struct cursor *c, size_t col);
/* A line break, then spaces up to the cursor's indent. */
void txt_new_line(struct cursor *c);
/* text (NULL: none) word-wrapped from the cursor on; a newline in text starts a new line. Leaves
 * the cursor where the text ends, without a newline. */
void txt_put_wrapped(struct cursor *c, const char *text);
/* A whole paragraph: indented, wrapped at LINE_COLS, ended by a newline. */
void txt_put_paragraph(struct strbuf *sb, const char *text, size_t indent);
/* text, then a line of ch under it as long as the text: a heading. */
void txt_put_underlined(struct strbuf *sb, const char *text, char ch);
/* The title at the left and the shelter at the right of one line when both fit. */
void txt_put_title(struct strbuf *sb, const char *title, const char *shelter);

#endif
