/*
 * release/contact.c — the contact of a release: the line that gives it, its phone
 * number and e-mail address.
 */
#include "parse.h"

#include <string.h>

static GRegex *re_phone, *re_email, *re_tel;

void contact_init(void)
{
	static gsize done;
	if (!g_once_init_enter(&done))
		return;
	/* +82-44-202-4034, 044-202-4034, 02-123-4567, (044) 202-4034 */
	re_phone = text_regex("(?<![0-9])(?:\\+?82[-. ]?(?:\\(0\\))?[0-9]{1,2}|\\(0[0-9]{1,2}\\)|0[0-9]{1,2})"
	                      "[-. ]?[0-9]{3,4}[-. ][0-9]{4}(?![0-9])"
	                      /* "2100-7337" without its area code, as a line of its own */
	                      "|^[0-9]{3,4}-[0-9]{4}$"
	                      /* "Tel0442158710": no separators, glued to its label */
	                      "|(?<=Tel|TEL|tel)0[0-9]{8,10}(?![0-9])",
	                      G_REGEX_MULTILINE);
	re_tel = text_regex("\\b(?:tel|phone|fax)\\b\\.?\\s*:?\\s*\\+?[0-9(]", G_REGEX_CASELESS);
	re_email = text_regex("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}", 0);
	g_once_init_leave(&done, 1);
}

static const char *const contact_openers[] = {
	"contact", "for further information", "for more information", "inquiries",
	"enquiries", "inquiry", "media contact", "press contact",
	"문의", "담당", "전화", "이메일", "연락처", "보도문의", "취재문의",
};

static const char *const contact_words[] = {
	"contact", "for further information", "inquiries", "enquiries",
	"문의", "담당", "전화", "이메일", "연락처",
};

/* Compact forms of a contact's label standing alone, its lines below it. */
static const char *const block_labels[] = {
	"연락처", "문의", "문의처", "담당", "담당자", "보도문의", "취재문의", "contact", "contacts",
	"contactus", "mediacontact", "presscontact", "inquiries", "enquiries", "contactinformation",
};

bool contact_is_label(const char *line)
{
	char *c = text_compact(text_skip_decoration(line));
	size_t n = strlen(c);
	while (n > 0 && c[n - 1] == ':')
		c[--n] = '\0';
	bool yes = false;
	for (size_t i = 0; i < G_N_ELEMENTS(block_labels) && !yes; i++)
		yes = strcmp(c, block_labels[i]) == 0;
	g_free(c);
	return yes;
}

char *contact_find_phone(const char *s)
{
	contact_init();
	/* +82-44-202-4034, 044-202-4034, 02-123-4567, (044) 202-4034 */
	return text_first_match(re_phone, 0, s);
}

char *contact_find_email(const char *s)
{
	contact_init();
	return text_first_match(re_email, 0, s);
}


/* The line is lower-cased once for all the words (the words are lower
 * case): lower-casing it for each word was 3% of all ingest time. */
bool contact_has_word(const char *line)
{
	char *lower = g_utf8_strdown(line, -1);
	bool found = false;
	for (size_t i = 0; i < G_N_ELEMENTS(contact_words) && !found; i++)
		found = strstr(lower, contact_words[i]) != NULL;
	g_free(lower);
	return found;
}

static bool has_phone(const char *s)
{
	char *phone = contact_find_phone(s);
	bool yes = phone != NULL;
	g_free(phone);
	return yes;
}

bool contact_has_number(const char *s)
{
	if (has_phone(s))
		return true;
	char *email = contact_find_email(s);
	bool yes = email != NULL;
	g_free(email);
	return yes;
}

/* "Tel+82 44 215 4510", "전화: 044-…", "Phone (044) …": a phone label
 * and a number. */
static bool is_phone_line(const char *s)
{
	static const char *const labels[] = { "tel", "phone", "전화" };
	for (size_t i = 0; i < G_N_ELEMENTS(labels); i++)
		if (g_ascii_strncasecmp(s, labels[i], strlen(labels[i])) == 0)
			return has_phone(s);
	return false;
}

/*
 * A line that gives the contact, not merely one that says "contact": it
 * opens with a contact word ("For further information, please contact …",
 * "문의: …"), or it says one and holds a phone number or an e-mail address
 * without being a sentence of Korean prose ("…로 문의하면 된다.").
 */
bool contact_is_line(const char *line)
{
	const char *s = text_skip_decoration(line);
	if (is_phone_line(s) || (g_regex_match(re_tel, line, 0, NULL) && has_phone(line)))
		return true; /* "Tel+82 …"; "… (Tel 82-2-759-4431, Fax …)" */
	if (!contact_has_word(line))
		return false;
	/* Korean words take particles and suffixes ("문의처", "담당자"). */
	for (size_t i = 0; i < G_N_ELEMENTS(contact_openers); i++) {
		const char *o = contact_openers[i];
		if ((o[0] & 0x80) ? g_str_has_prefix(s, o) : text_starts_with_word(s, o))
			return true;
	}
	if (g_str_has_suffix(line, "다."))
		return false;
	char *phone = contact_find_phone(line);
	char *email = phone ? NULL : contact_find_email(line);
	bool found = phone || email;
	g_free(phone);
	g_free(email);
	return found;
}

