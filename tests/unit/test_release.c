/* Unit tests: decoding and parsing of release documents, dates. */
#include "unit.h"
#include "core/errors.h"
#include "release/release.h"

/* An English release laid out as the ministry's site serves it (after
 * the sample release of the Ministry of Science and ICT, KOGL Type 1). */
static const char english_release[] =
	"Search Area\n"
	"\n"
	"News & Notice\n"
	"\n"
	"  \xe2\x80\xa2 Home\n"
	"  \xe2\x80\xa2 News & Notice\n"
	"  \xe2\x80\xa2 Press Releases\n"
	"\n"
	"Press Releases\n"
	"\n"
	"No Barriers Between Ministries in AI and Digital Diplomacy\n"
	"\n"
	"\n"
	"- All-out preparations for the \"AI Seoul Summit\" and \"AI Global Forum\"\n"
	"\n"
	"- MSIT and MOFA held the inauguration ceremony\n"
	"\n"
	"The Ministry of Science and ICT (Minister Lee Jong Ho) and the Ministry of Foreign "
	"Affairs announced the launch of the council on the morning of May 10.\n"
	"\n"
	"The \"AI Seoul Summit,\" to be held on May 21-22, will consist of two sessions.\n"
	"\n"
	"For further information, please contact the Public Relations Division (Phone: "
	"+82-44-202-4034, E-mail: of the Ministry of Science and ICT.\n"
	"\n"
	"Please refer to the attached PDF.\n"
	"\n"
	"KOGL Korea Open Government License, BY Type 1 : Source Indication The works of the "
	"Ministry of Science and ICT can be used under the terms of \"KOGL Type 1\".";

/* A Korean release as a Korean ministry site serves it. */
static const char korean_release[] =
	"본문 바로가기\n"
	"주메뉴 바로가기\n"
	"검색\n"
	"홈 > 알림·소식 > 보도자료\n"
	"  · 홈\n"
	"  · 알림·소식\n"
	"보도자료\n"
	"\n"
	"AI·디지털 외교에 부처 간 벽은 없다\n"
	"\n"
	"- 과기정통부·외교부, AI·디지털 외교 정책협의회 출범\n"
	"- AI 서울 정상회의 준비 총력\n"
	"\n"
	"□ 과학기술정보통신부(장관 이종호)와 외교부(장관 조태열)는 2024년 5월 10일 서울 "
	"외교부 청사에서 정책협의회 출범식을 개최하였다고 밝혔다.\n"
	"\n"
	"ㅇ 양 부처는 인공지능과 디지털 분야의 국제 규범 형성에 협력하기로 하였다.\n"
	"\n"
	"문의: 과학기술정보통신부 대변인실 (전화 044-202-4034, 이메일 press@msit.go.kr)\n"
	"\n"
	"붙임 1. 정책협의회 개요\n"
	"\n"
	"공공누리 제1유형: 출처표시\n";

static release_doc *parse_str(const char *s, const char *name)
{
	GError *err = NULL;
	release_doc *doc = release_parse(s, strlen(s), name, &err);
	if (!doc) {
		fprintf(stderr, "release_parse(%s): %s\n", name, err ? err->message : "no error set");
		g_clear_error(&err);
	}
	return doc;
}

/* Parse bytes that must fail; the message must name the file and say why. */
static void expect_failure(const char *bytes, size_t len, const char *name, const char *why)
{
	GError *err = NULL;
	release_doc *doc = release_parse(bytes, len, name, &err);
	EXPECT(doc == NULL);
	EXPECT(err != NULL);
	if (err) {
		char *want = g_strdup_printf("%s: %s", name, why);
		EXPECT(err->domain == ARC_ERROR);
		EXPECT_INT(err->code, ARC_ERROR_INPUT);
		if (!g_str_has_prefix(err->message, want))
			fprintf(stderr, "message \"%s\" does not start with \"%s\"\n", err->message, want);
		EXPECT(g_str_has_prefix(err->message, want));
		g_free(want);
		g_error_free(err);
	}
	release_doc_free(doc);
}

TEST(date_each_form)
{
	char iso[11];
	EXPECT(release_parse_date("2024-05-10", iso));
	EXPECT_STR(iso, "2024-05-10");
	EXPECT(release_parse_date("May 10, 2024", iso));
	EXPECT_STR(iso, "2024-05-10");
	EXPECT(release_parse_date("September 3 2023", iso));
	EXPECT_STR(iso, "2023-09-03");
	EXPECT(release_parse_date("Sept. 3, 2023", iso));
	EXPECT_STR(iso, "2023-09-03");
	EXPECT(release_parse_date("10 May 2024", iso));
	EXPECT_STR(iso, "2024-05-10");
	EXPECT(release_parse_date("1st Dec 2023", iso));
	EXPECT_STR(iso, "2023-12-01");
	EXPECT(release_parse_date("2024.05.10", iso));
	EXPECT_STR(iso, "2024-05-10");
	EXPECT(release_parse_date("2024. 5. 10.", iso));
	EXPECT_STR(iso, "2024-05-10");
	EXPECT(release_parse_date("2024년 5월 10일", iso));
	EXPECT_STR(iso, "2024-05-10");
	EXPECT(release_parse_date("2024년5월9일", iso));
	EXPECT_STR(iso, "2024-05-09");
	EXPECT(release_parse_date("  2024-1-2 ", iso));
	EXPECT_STR(iso, "2024-01-02");
}

TEST(date_only_real_dates)
{
	char iso[11] = "unchanged";
	EXPECT(release_parse_date("2024-02-29", iso));
	EXPECT_STR(iso, "2024-02-29");
	EXPECT(!release_parse_date("2024-02-30", iso));
	EXPECT(!release_parse_date("2023-02-29", iso));
	EXPECT(!release_parse_date("2024-13-01", iso));
	EXPECT(!release_parse_date("2024-00-10", iso));
	EXPECT(!release_parse_date("2024-04-31", iso));
	EXPECT(!release_parse_date("May 32, 2024", iso));
	EXPECT(!release_parse_date("2024년 2월 30일", iso));
	EXPECT(!release_parse_date("2024. 13. 1.", iso));
	/* No year: never invent one. */
	EXPECT(!release_parse_date("May 10", iso));
	EXPECT(!release_parse_date("5월 10일", iso));
	/* One date, not text around one. */
	EXPECT(!release_parse_date("on May 10, 2024", iso));
	EXPECT(!release_parse_date("2024-05-10x", iso));
	EXPECT(!release_parse_date("12024-05-10", iso));
	EXPECT(!release_parse_date("", iso));
	EXPECT(!release_parse_date(NULL, iso));
}

TEST(date_find_first_in_text)
{
	char iso[11];
	EXPECT(release_find_date("Held on May 10, 2024 and again on 2024-06-01.", iso));
	EXPECT_STR(iso, "2024-05-10");
	EXPECT(release_find_date("개최일 2024-06-01, 공고 2024년 5월 10일", iso));
	EXPECT_STR(iso, "2024-06-01");
	EXPECT(release_find_date("보도시점 2024. 5. 9.(목) 12:00", iso));
	EXPECT_STR(iso, "2024-05-09");
	/* An impossible date is passed over, not taken, not the end. */
	EXPECT(release_find_date("typo 2024-02-30, then 3 March 2024", iso));
	EXPECT_STR(iso, "2024-03-03");
	EXPECT(!release_find_date("on May 10, and May 21-22; call 044-202-4034", iso));
	EXPECT(!release_find_date("version 12024-05-10", iso));
	EXPECT(!release_find_date("", iso));
}

TEST(parse_english_release)
{
	release_doc *doc = parse_str(english_release, "x.txt");
	EXPECT(doc != NULL);
	if (!doc)
		return;
	EXPECT_STR(doc->encoding, "UTF-8");
	EXPECT_STR(doc->title, "No Barriers Between Ministries in AI and Digital Diplomacy");
	EXPECT_INT(doc->subtitles->len, 2);
	if (doc->subtitles->len == 2) {
		EXPECT_STR(g_ptr_array_index(doc->subtitles, 0),
		           "All-out preparations for the \"AI Seoul Summit\" and \"AI Global Forum\"");
		EXPECT_STR(g_ptr_array_index(doc->subtitles, 1),
		           "MSIT and MOFA held the inauguration ceremony");
	}
	EXPECT(g_str_has_prefix(doc->body, "The Ministry of Science and ICT (Minister"));
	EXPECT(g_str_has_suffix(doc->body, "will consist of two sessions."));
	EXPECT(strstr(doc->body, "\n\nThe \"AI Seoul Summit,\"") != NULL);
	EXPECT(g_str_has_prefix(doc->contact, "For further information"));
	EXPECT_STR(doc->contact_phone, "+82-44-202-4034");
	EXPECT_STR(doc->contact_email, NULL);
	EXPECT_STR(doc->date, NULL);
	EXPECT_STR(doc->organisation, "Ministry of Science and ICT");
	EXPECT_INT(doc->license_type, 1);
	EXPECT_INT(doc->license_types_stated, 1u << 1);
	EXPECT(g_str_has_prefix(doc->license_statement, "KOGL Korea Open Government License, BY Type 1"));
	EXPECT(doc->mentions_attachment);
	EXPECT_STR(doc->language, "en");
	/* Navigation gone, the text starts at the title and ends with one newline. */
	EXPECT(g_str_has_prefix(doc->text, "No Barriers Between Ministries"));
	EXPECT(strstr(doc->text, "Search Area") == NULL);
	EXPECT(strstr(doc->text, "Press Releases") == NULL);
	EXPECT(strstr(doc->text, "\xe2\x80\xa2") == NULL);
	EXPECT(g_str_has_suffix(doc->text, "\"KOGL Type 1\".\n"));
	release_doc_free(doc);
}

TEST(parse_korean_release)
{
	release_doc *doc = parse_str(korean_release, "보도자료.txt");
	EXPECT(doc != NULL);
	if (!doc)
		return;
	EXPECT_STR(doc->title, "AI·디지털 외교에 부처 간 벽은 없다");
	EXPECT_INT(doc->subtitles->len, 2);
	if (doc->subtitles->len == 2) {
		EXPECT_STR(g_ptr_array_index(doc->subtitles, 0),
		           "과기정통부·외교부, AI·디지털 외교 정책협의회 출범");
		EXPECT_STR(g_ptr_array_index(doc->subtitles, 1), "AI 서울 정상회의 준비 총력");
	}
	/* The body opens with "□" as Korean bodies do: not a subtitle. */
	EXPECT(g_str_has_prefix(doc->body, "□ 과학기술정보통신부"));
	EXPECT(g_str_has_suffix(doc->body, "협력하기로 하였다."));
	EXPECT_STR(doc->contact,
	           "문의: 과학기술정보통신부 대변인실 (전화 044-202-4034, 이메일 press@msit.go.kr)");
	EXPECT_STR(doc->contact_phone, "044-202-4034");
	EXPECT_STR(doc->contact_email, "press@msit.go.kr");
	EXPECT_STR(doc->date, "2024-05-10");
	EXPECT_STR(doc->organisation, "과학기술정보통신부");
	EXPECT_INT(doc->license_type, 1);
	EXPECT_STR(doc->license_statement, "공공누리 제1유형: 출처표시");
	EXPECT(doc->mentions_attachment);
	EXPECT_STR(doc->language, "ko");
	EXPECT(g_str_has_prefix(doc->text, "AI·디지털 외교에 부처 간 벽은 없다\n\n- 과기정통부"));
	EXPECT(strstr(doc->text, "바로가기") == NULL);
	EXPECT(strstr(doc->text, "검색") == NULL);
	EXPECT(strstr(doc->text, "알림·소식") == NULL);
	EXPECT(strstr(doc->text, "보도자료") == NULL);
	release_doc_free(doc);
}

TEST(korean_header_lines_are_not_the_title)
{
	const char *s = "보도자료\n"
	                "  • 정책브리핑\n"
	                "보도일시: 2024. 5. 9.(목) 12:00\n"
	                "2024. 5. 9.\n"
	                "과학기술정보통신부, 양자 전략 발표\n"
	                "○ 양자 기술 투자 확대\n"
	                "본문입니다. 2024년 5월 10일 발표.\n";
	release_doc *doc = parse_str(s, "h.txt");
	EXPECT(doc != NULL);
	if (!doc)
		return;
	EXPECT_STR(doc->title, "과학기술정보통신부, 양자 전략 발표");
	EXPECT_INT(doc->subtitles->len, 1);
	EXPECT_STR(doc->date, "2024-05-09");
	/* Header lines are content and stay; navigation does not. */
	EXPECT(g_str_has_prefix(doc->text, "보도일시: 2024. 5. 9.(목) 12:00\n"));
	EXPECT_STR(doc->body, "본문입니다. 2024년 5월 10일 발표.");
	EXPECT_STR(doc->contact, NULL);
	EXPECT_STR(doc->contact_phone, NULL);
	EXPECT_INT(doc->license_type, 0);
	EXPECT_STR(doc->license_statement, NULL);
	EXPECT(!doc->mentions_attachment);
	release_doc_free(doc);
}

/* Where no line stands as a headline does, there is no title, and the doc
 * says why: never a skip link, a label or the body's first sentence. */
TEST(no_headline_says_why)
{
	struct { const char *text, *why; } cases[] = {
		{ "본문 바로가기 메인메뉴 바로가기\n브리핑룸\n보도자료\n"
		  "정부는 오늘 새 계획을 발표했다고 밝혔다.\n두 번째 문단입니다.\n",
		  "the body begins with a sentence (\"정부는 오늘 새 계획을 발표했다고 밝혔다.\") "
		  "before any line that can be a headline" },
		{ "Skip Menu\nPress Releases\n<Spokesperson Kim>\nGood afternoon.\n",
		  "the body begins with a speaker's tag (\"<Spokesperson Kim>\") before any line "
		  "that can be a headline" },
		{ "□ 정부는 오늘 새 계획을 발표했다.\n", "the body begins with a paragraph marker "
		  "(\"□ 정부는 오늘 새 계획을 발표했다.\") before any line that can be a headline" },
		{ "Skip Menu\nPress Releases\nDate 2024.05.01\n",
		  "every line of the page is site navigation, a label, a date or metadata, or a "
		  "contact" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		release_doc *doc = parse_str(cases[i].text, "n.txt");
		EXPECT(doc != NULL);
		if (!doc)
			continue;
		EXPECT_STR(doc->title, NULL);
		EXPECT_STR(doc->title_problem, cases[i].why);
		release_doc_free(doc);
	}
}

/* The structural rules, one page each: what the headline is told by. */
TEST(headline_by_structure)
{
	struct { const char *text, *title, *org; } cases[] = {
		/* eight short words, no punctuation: a headline, not a menu row */
		{ "보도자료\n인공지능 반도체 산업 도약을 위한 민관 협력 강화\n\n정부는 오늘 계획을 밝혔다.\n",
		  "인공지능 반도체 산업 도약을 위한 민관 협력 강화", NULL },
		/* the line a department line stands under; other stories listed above */
		{ "다른 기사 제목 하나\n\n또 다른 기사의 제목\n\n통일백서 발간\n통일부 대변인실\n\n"
		  "□ 통일부는 올해 통일백서를 발간했다.\n",
		  "통일백서 발간", "통일부" },
		/* sidebar headlines above; its words come back in the body */
		{ "오세훈표 안심소득 청년 돕는다\n\n고령자 통계 분석 발표\n\n「2019 통일백서」 발간\n\n"
		  "폰트 확대 폰트 축소 프린트하기\n□ 정부는 「2019 통일백서」를 펴냈습니다.\n",
		  "「2019 통일백서」 발간", NULL },
		/* a date with its weekday glued to the headline is not part of it */
		{ "콘텐츠 영역\n질병청, 여름철 코로나19 대응(8.12.월)\n\n질병관리청은 오늘 대책을 발표했다.\n",
		  "질병청, 여름철 코로나19 대응", "질병관리청" /* the first sentence's subject */ },
		/* a headline that ends like a sentence, the date line under it */
		{ "9월 19일 프레스센터에서 전해드립니다.\n2018-09-19\n▲진행자: 안녕하세요.\n",
		  "9월 19일 프레스센터에서 전해드립니다.", NULL },
		/* the site's name above, a division under: the ministry is the site's */
		{ "외교부\n\n외교부 브리핑\n\n대변인 정례브리핑(1.15)\n\n부서명\n언론담당관실\n작성일\n"
		  "2026-01-15\n\nI. 모두 발언\n\n안녕하십니까? 브리핑을 시작하겠습니다.\n",
		  "대변인 정례브리핑(1.15)", "외교부" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		release_doc *doc = parse_str(cases[i].text, "s.txt");
		EXPECT(doc != NULL);
		if (!doc)
			continue;
		EXPECT_STR(doc->title, cases[i].title);
		EXPECT_STR(doc->organisation, cases[i].org);
		release_doc_free(doc);
	}
}

/* Site chrome wherever it stands: what a cleaned text never holds. */
TEST(chrome_by_structure)
{
	const char *page =
		"본문 바로가기\n보도자료\n정부, 새 계획 발표\n2025.04.21 과학기술정보통신부\n"
		"크게 작게 위로 아래로 댓글로 가기 인쇄 첨부\n"
		"정부는 오늘 새 계획을 발표했다고 밝혔다.\n---|\nworld1\n"
		"연락처\n\n과학기술정보통신부\n홍보담당관실\n2100-7337\n"
		"목록\n60, Sajik-ro 8-gil, Jongno-gu, Seoul\nCopyright © Ministry. All Rights Reserved.\n";
	release_doc *doc = parse_str(page, "c.txt");
	EXPECT(doc != NULL);
	if (!doc)
		return;
	EXPECT_STR(doc->title, "정부, 새 계획 발표");
	EXPECT_STR(doc->contact, "연락처\n\n과학기술정보통신부\n홍보담당관실\n2100-7337");
	EXPECT_STR(doc->contact_phone, "2100-7337");
	static const char *const gone[] = { "본문 바로가기", "크게 작게", "---|", "world1", "목록",
		                            "Sajik-ro", "Copyright" };
	for (size_t i = 0; i < G_N_ELEMENTS(gone); i++)
		if (strstr(doc->text, gone[i])) {
			fprintf(stderr, "left in the text: %s\n", gone[i]);
			EXPECT(0);
		}
	EXPECT(g_str_has_prefix(doc->text, "정부, 새 계획 발표\n2025.04.21 과학기술정보통신부\n"));
	release_doc_free(doc);
}

TEST(text_is_normalised)
{
	/* Decomposed 한 (U+1112 U+1161 U+11AB), CRLF, lone CR, trailing
	 * blanks and an ideographic space, five blank lines, no final LF. */
	const char *s = "Home\r\n"
	                "Title \xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab  \r\n"
	                "\r\n\r\n\r\n\r\n\r\n"
	                "Para one\t \rPara two\xe3\x80\x80\n"
	                "  indented";
	release_doc *doc = parse_str(s, "n.txt");
	EXPECT(doc != NULL);
	if (!doc)
		return;
	EXPECT_STR(doc->text, "Title 한\n\n\nPara one\nPara two\n  indented\n");
	EXPECT_STR(doc->title, "Title 한");
	release_doc_free(doc);

	doc = parse_str("Title\n\n\n\n", "m.txt");
	EXPECT(doc != NULL);
	if (doc)
		EXPECT_STR(doc->text, "Title\n");
	release_doc_free(doc);
}

/* The Korean release in another encoding parses as in UTF-8. */
static void expect_encoding(const char *to, const char *bom, size_t bomlen, const char *want)
{
	gsize n = 0;
	GError *err = NULL;
	char *conv = g_convert(korean_release, -1, to, "UTF-8", NULL, &n, &err);
	EXPECT(conv != NULL);
	if (!conv) {
		fprintf(stderr, "g_convert to %s: %s\n", to, err->message);
		g_error_free(err);
		return;
	}
	GByteArray *b = g_byte_array_new();
	g_byte_array_append(b, (const guint8 *)bom, (guint)bomlen);
	g_byte_array_append(b, (const guint8 *)conv, (guint)n);
	release_doc *doc = release_parse((const char *)b->data, b->len, "k.txt", &err);
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_STR(doc->encoding, want);
		EXPECT_STR(doc->title, "AI·디지털 외교에 부처 간 벽은 없다");
		EXPECT_STR(doc->contact_email, "press@msit.go.kr");
		EXPECT(g_str_has_prefix(doc->text, "AI·디지털"));
		EXPECT(strstr(doc->text, "\xef\xbb\xbf") == NULL);
	} else {
		fprintf(stderr, "%s: %s\n", want, err->message);
		g_error_free(err);
	}
	release_doc_free(doc);
	g_byte_array_free(b, TRUE);
	g_free(conv);
}

TEST(encodings_each)
{
	expect_encoding("UTF-8", "", 0, "UTF-8");
	expect_encoding("UTF-8", "\xef\xbb\xbf", 3, "UTF-8 with BOM");
	expect_encoding("UTF-16LE", "\xff\xfe", 2, "UTF-16LE with BOM");
	expect_encoding("UTF-16BE", "\xfe\xff", 2, "UTF-16BE with BOM");
	expect_encoding("CP949", "", 0, "EUC-KR");
	expect_encoding("EUC-KR", "", 0, "EUC-KR");
}

TEST(unreadable_inputs_fail_naming_the_file)
{
	expect_failure("", 0, "empty.txt", "empty");
	expect_failure(" \n\t\r\n  ", 7, "blank.txt", "empty");
	expect_failure("\xef\xbb\xbf\n", 4, "bom.txt", "empty");
	expect_failure("\xff\xfe", 2, "bom16.txt", "empty");
	/* A PNG header: NUL bytes. */
	expect_failure("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, "img.txt", "not text (binary data)");
	/* Control bytes without a NUL. */
	char junk[256];
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (char)(1 + (i * 37) % 255);
	expect_failure(junk, sizeof junk, "junk.txt", "not text (binary data)");
	/* UTF-16 with BOM whose content is binary. */
	expect_failure("\xff\xfe\x01\x00\x02\x00\x03\x00\x00\x00", 10, "b16.txt",
	               "not text (binary data)");
	/* Latin-1: neither UTF-8 nor EUC-KR. */
	const char *latin1 = "Caf\xe9 na\xef" "ve r\xe9sum\xe9 \xe0 la cr\xe8me br\xfbl\xe9" "e.\n";
	expect_failure(latin1, strlen(latin1), "l1.txt",
	               "undecodable: neither UTF-8, UTF-16 with BOM nor EUC-KR");
	/* Odd-length UTF-16: a truncated file. */
	expect_failure("\xff\xfeT\x00i\x00t", 7, "odd.txt", "undecodable");
	/* Bad UTF-8 after a UTF-8 BOM is not guessed at. */
	expect_failure("\xef\xbb\xbfTitle \xc0\n", 11, "badbom.txt", "undecodable");
}

TEST(contact_forms)
{
	release_doc *doc = parse_str("Title\n\nBody text.\n\n"
	                             "Contact: Jane Kim, (044) 202-4512, jane.kim@msit.go.kr\n"
	                             "Deputy: Lee, 02-123-4567\n\nEnd.\n", "c.txt");
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_STR(doc->contact, "Contact: Jane Kim, (044) 202-4512, jane.kim@msit.go.kr\n"
		                         "Deputy: Lee, 02-123-4567");
		EXPECT_STR(doc->contact_phone, "(044) 202-4512");
		EXPECT_STR(doc->contact_email, "jane.kim@msit.go.kr");
		EXPECT_STR(doc->body, "Body text.");
	}
	release_doc_free(doc);

	/* Prose that says 문의 is not the contact line. */
	doc = parse_str("제목\n\n자세한 사항은 콜센터(1335)로 문의하면 된다.\n\n"
	                "담당 부서: 인공지능정책과 사무관 김철수 (044-202-6000)\n", "k.txt");
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_STR(doc->contact, "담당 부서: 인공지능정책과 사무관 김철수 (044-202-6000)");
		EXPECT_STR(doc->contact_phone, "044-202-6000");
		EXPECT_STR(doc->contact_email, NULL);
		EXPECT_STR(doc->body, "자세한 사항은 콜센터(1335)로 문의하면 된다.");
	}
	release_doc_free(doc);

	doc = parse_str("Title\n\nNo contact at all, and no date 2024-99-99.\n", "n.txt");
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_STR(doc->contact, NULL);
		EXPECT_STR(doc->contact_phone, NULL);
		EXPECT_STR(doc->contact_email, NULL);
		EXPECT_STR(doc->date, NULL);
		EXPECT(!doc->mentions_attachment);
	}
	release_doc_free(doc);
}

TEST(organisation_fallbacks)
{
	struct { const char *text, *org; } cases[] = {
		{ "Title\n\nThe Ministry of Foreign Affairs announced a plan with the Ministry of "
		  "Science and ICT.\n", "Ministry of Foreign Affairs" },
		{ "Title\n\nThe Ministry of Science and ICT and the Ministry of Foreign Affairs met.\n",
		  "Ministry of Science and ICT" },
		{ "Title\n\nMinistry of Science and ICT Minister Lee said so.\n",
		  "Ministry of Science and ICT" },
		{ "제목\n\n해양경찰청과 외교부는 합동 훈련을 했다.\n", "해양경찰청" },
		{ "제목\n\n외교부는 과학기술정보통신부와 함께 발표했다.\n", "외교부" },
		{ "Title\n\nThe Korea Institute of Science and Technology (KIST) opened a lab.\n",
		  "Korea Institute of Science and Technology" },
		{ "Title\n\nKOGL Type 1: Source Indication. The works of the Korea Internet & "
		  "Security Agency can be used freely. The Ministry of Science and ICT agreed.\n",
		  "Korea Internet & Security Agency" },
		{ "제목\n\n외교부와 함께.\n\n공공누리 제1유형 — 과학기술정보통신부의 저작물\n",
		  "과학기술정보통신부" },
		{ "Title\n\nNobody in particular.\n", NULL },
		/* a ministry the body names after its opening is not the issuer */
		{ "Title\n\nToday the president met officials of the Ministry of Foreign Affairs.\n",
		  NULL },
		{ "제목\n\n대통령은 오늘 외교부 관계자들을 만났다.\n", NULL },
		/* the date and department line; names with a list in them */
		{ "Title\nDate 2022.03.02 Ministry of Trade, Industry and Energy\n\nExports rose.\n",
		  "Ministry of Trade, Industry and Energy" },
		{ "Title\n\nThe Ministry of Agriculture, Food and Rural Affairs said so.\n",
		  "Ministry of Agriculture, Food and Rural Affairs" },
		{ "제목\n2025.04.21 과학기술정보통신부\n\n외교부는 오늘 발표했다.\n", "과학기술정보통신부" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		release_doc *doc = parse_str(cases[i].text, "o.txt");
		EXPECT(doc != NULL);
		if (doc)
			EXPECT_STR(doc->organisation, cases[i].org);
		release_doc_free(doc);
	}
}

TEST(attachment_and_language)
{
	struct { const char *text; bool attach; const char *lang; } cases[] = {
		{ "Title\n\nSee the attached file for the schedule.\n", true, "en" },
		{ "Title\n\nThe attachment lists the members.\n", true, "en" },
		{ "Title\n\nNothing else.\n", false, "en" },
		{ "제목\n\n자세한 내용은 별첨 자료를 참고하시기 바랍니다.\n", true, "ko" },
		{ "제목\n\n첨부 파일을 확인하세요.\n", true, "ko" },
		{ "제목\n\n과기정통부는 AI Seoul Summit과 AI Global Forum을 준비했다.\n", false, "ko" },
		{ "Title\n\nMinister Lee (이종호) met Minister Cho (조태열) in Seoul today.\n",
		  false, "en" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		release_doc *doc = parse_str(cases[i].text, "a.txt");
		EXPECT(doc != NULL);
		if (!doc)
			continue;
		if (doc->mentions_attachment != cases[i].attach)
			fprintf(stderr, "case %zu: mentions_attachment %d\n", i, doc->mentions_attachment);
		EXPECT(doc->mentions_attachment == cases[i].attach);
		EXPECT_STR(doc->language, cases[i].lang);
		release_doc_free(doc);
	}
}

TEST(html_entities_and_structure)
{
	const char *html = "<html><head><title>MSIT</title><style>p{}</style>"
	                   "<script>var a = '<p>Home</p>';</script></head><body>"
	                   "<div>Home</div><div>Press Releases</div>"
	                   "<h1>Quantum &amp; AI Plan</h1><p>- A subtitle</p>"
	                   "<p>Body &lt;text&gt; on 2024-06-03&#46;</p><!-- <p>x</p> -->"
	                   "<p>KOGL Type 2</p></body></html>";
	release_doc *doc = parse_str(html, "page.html");
	EXPECT(doc != NULL);
	if (!doc)
		return;
	EXPECT_STR(doc->title, "Quantum & AI Plan");
	EXPECT_INT(doc->subtitles->len, 1);
	EXPECT_STR(doc->body, "Body <text> on 2024-06-03.");
	EXPECT_STR(doc->date, "2024-06-03");
	EXPECT_INT(doc->license_type, 2);
	EXPECT(strstr(doc->text, "var a") == NULL);
	EXPECT(strstr(doc->text, "p{}") == NULL);
	release_doc_free(doc);
}

/* ---- HTML ---- */

/* A press release page as ministry sites serve it: chrome all around. */
static const char html_page[] =
	"<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
	"<meta name=\"date\" content=\"2024-06-03T09:00:00+09:00\">"
	"<title>Press Releases | Ministry of Science and ICT</title>"
	"<style>body { font: 12px sans-serif }</style>"
	"<script>var menu = '<h1>Script Title</h1>';</script></head><body>"
	"<a href=\"#content\" class=\"skip\">Skip to content</a>"
	"<header><h1 class=\"logo\">Ministry of Science and ICT</h1>"
	"<form><label>Search Area</label><input name=q><button>Search</button></form></header>"
	"<nav><ul><li>Home</li><li>News &amp; Notice</li><li>Press Releases</li></ul></nav>"
	"<div id=\"gnb\"><a href=\"/menu\">Main menu item</a></div>"
	"<div class=\"lnb-wrap\">Local menu entry</div>"
	"<div class=\"breadcrumb\">Home &gt; News &amp; Notice &gt; Press Releases</div>"
	"<div role=\"navigation\">Role nav entry</div>"
	"<aside>Related: another release</aside>"
	"<noscript>Enable JavaScript</noscript>"
	"<main><h2>Press Releases</h2>"
	"<article class=\"board-view\">"
	"<header class=\"entry-header\"><h1>Quantum &amp; AI Plan</h1></header>"
	"<h3>- Investment doubled by 2030</h3>"
	"<p>- Three new research centres</p>"
	"<div class=\"content\"><p>The Ministry of Science and ICT announced the plan "
	"on <b>June&nbsp;3</b>.<br>Line two of the first paragraph.</p>"
	"<p>Second paragraph.</p>"
	"<table><tr><td>Cell A</td><td>Cell B</td></tr></table>"
	"<p>Contact: Quantum Division, 044-202-4512, quantum@msit.go.kr</p></div>"
	"<div class=\"file\"><a href=\"/files/plan.pdf\">plan.pdf</a> "
	"<a href=\"/download.do?id=7\">Download</a> "
	"<a href=\"/fileDown.do?no=8\">보도자료.hwp</a> "
	"<a href=\"/view.do?no=9\">붙임 1. 개요</a> "
	"<a href=\"/files/%EB%B6%99%EC%9E%84.zip\"><img src=z.png></a> "
	"<a href=\"/files/plan.pdf\">plan.pdf</a> "
	"<a href=\"/other.html\">Other page</a></div>"
	"<footer class=\"byline\">Posted by the Quantum Division</footer>"
	"</article>"
	"<div class=\"btn-area\"><a href=\"/list\">List</a></div></main>"
	"<footer><p>KOGL Type 1: Source Indication. The works of the Ministry of Science and ICT "
	"can be used freely.</p><p>Copyright Ministry of Science and ICT. Call 02-999-9999.</p>"
	"<a href=\"/download/app.zip\">Download our app</a></footer>"
	"</body></html>";

TEST(html_page_fields)
{
	release_doc *doc = parse_str(html_page, "page.html");
	EXPECT(doc != NULL);
	if (!doc)
		return;
	EXPECT_STR(doc->encoding, "UTF-8");
	EXPECT_STR(doc->title, "Quantum & AI Plan");
	EXPECT_INT(doc->subtitles->len, 2);
	if (doc->subtitles->len == 2) {
		EXPECT_STR(g_ptr_array_index(doc->subtitles, 0), "Investment doubled by 2030");
		EXPECT_STR(g_ptr_array_index(doc->subtitles, 1), "Three new research centres");
	}
	EXPECT_STR(doc->body, "The Ministry of Science and ICT announced the plan on June 3.\n"
	                      "Line two of the first paragraph.\n\nSecond paragraph.\n\nCell A\tCell B");
	EXPECT_STR(doc->contact, "Contact: Quantum Division, 044-202-4512, quantum@msit.go.kr");
	EXPECT_STR(doc->contact_phone, "044-202-4512");
	EXPECT_STR(doc->contact_email, "quantum@msit.go.kr");
	/* The meta date, not a visible one. */
	EXPECT_STR(doc->date, "2024-06-03");
	EXPECT_STR(doc->date_source, "html-meta");
	/* The footer's statement: the licence, and the issuer it names. */
	EXPECT_INT(doc->license_type, 1);
	EXPECT_INT(doc->license_types_stated, 1u << 1);
	EXPECT(g_str_has_prefix(doc->license_statement, "KOGL Type 1: Source Indication."));
	EXPECT_STR(doc->organisation, "Ministry of Science and ICT");
	EXPECT_STR(doc->language, "en");
	/* The text: the article, from its title, with the statement last. */
	EXPECT(g_str_has_prefix(doc->text, "Quantum & AI Plan\n\n- Investment doubled by 2030\n"));
	EXPECT(g_str_has_suffix(doc->text, "\n\nKOGL Type 1: Source Indication. The works of the "
	                                   "Ministry of Science and ICT can be used freely.\n"));
	EXPECT(strstr(doc->text, "Posted by the Quantum Division") != NULL);
	static const char *const gone[] = {
		"Search Area", "News & Notice", "Press Releases", "Skip to content", "Main menu",
		"Local menu", "Role nav", "Related:", "JavaScript", "Script Title", "font:",
		"Copyright", "02-999-9999", "Download our app", "\nList\n", "Home",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(gone); i++) {
		if (strstr(doc->text, gone[i]))
			fprintf(stderr, "\"%s\" left in the text\n", gone[i]);
		EXPECT(strstr(doc->text, gone[i]) == NULL);
	}
	release_doc_free(doc);
}

TEST(html_attachment_links)
{
	release_doc *doc = parse_str(html_page, "page.html");
	EXPECT(doc != NULL);
	if (!doc)
		return;
	const char *want[] = { "plan.pdf", "Download", "보도자료.hwp", "붙임 1. 개요", "붙임.zip" };
	EXPECT_INT(doc->attachment_links->len, G_N_ELEMENTS(want));
	for (guint i = 0; i < doc->attachment_links->len && i < G_N_ELEMENTS(want); i++)
		EXPECT_STR(g_ptr_array_index(doc->attachment_links, i), want[i]);
	EXPECT(doc->mentions_attachment);
	release_doc_free(doc);

	/* A link alone says there is an attachment; the text need not. */
	doc = parse_str("<h1>T</h1><p>Body.</p><p><a href=\"/f/Report.HWPX?x=1\">get it</a></p>", "l.html");
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_INT(doc->attachment_links->len, 1);
		if (doc->attachment_links->len == 1)
			EXPECT_STR(g_ptr_array_index(doc->attachment_links, 0), "Report.HWPX");
		EXPECT(doc->mentions_attachment);
	}
	release_doc_free(doc);
	doc = parse_str("<h1>T</h1><p>Body with <a href=\"/x.html\">a link</a>.</p>", "n.html");
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_INT(doc->attachment_links->len, 0);
		EXPECT(!doc->mentions_attachment);
	}
	release_doc_free(doc);
	/* Text releases have no links, but an array. */
	doc = parse_str("Title\n\nBody.\n", "t.txt");
	EXPECT(doc != NULL);
	if (doc)
		EXPECT(doc->attachment_links != NULL && doc->attachment_links->len == 0);
	release_doc_free(doc);
}

TEST(html_headline_choice)
{
	struct { const char *html, *title; } cases[] = {
		/* The <article>'s <h1>, not the logo's nor the board's. */
		{ "<body><div class=logo><h1>MSIT</h1></div><h1>Press Releases</h1>"
		  "<article><h1>Real Title</h1><p>Body.</p></article></body>", "Real Title" },
		/* No <h1>: the first <h2>/<h3> of the content. */
		{ "<body><main><h2>보도자료</h2><div class=view><h3>양자 전략 발표</h3>"
		  "<p>본문입니다.</p></div></main></body>", "양자 전략 발표" },
		/* The article with a headline wins over a teaser article. */
		{ "<body><article><p>Teaser without heading</p></article>"
		  "<article><h2>Second Article Title</h2><p>Body.</p></article></body>",
		  "Second Article Title" },
		/* A heading that is the site's name is its logo. */
		{ "<html><head><title>Quantum Plan | Ministry of Science and ICT</title></head>"
		  "<body><h1>Ministry of Science and ICT</h1><h2>Quantum Plan Announced</h2>"
		  "<p>Body.</p></body></html>", "Quantum Plan Announced" },
		/* No heading at all: <title> without the site's name. */
		{ "<html><head><title>Quantum Plan - 과학기술정보통신부</title></head>"
		  "<body><p>Body of the page.</p></body></html>", "Quantum Plan" },
		/* <title> that names only the board: the first line, as for text. */
		{ "<html><head><title>Press Releases | MSIT</title></head>"
		  "<body><p>Home</p><p>First Line Title</p><p>Body.</p></body></html>", "First Line Title" },
		/* <br> in a headline is a space; its inline tags are text. */
		{ "<article><h1>Two<br>Lines <em>and</em>\n  more</h1><p>x</p></article>",
		  "Two Lines and more" },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		release_doc *doc = parse_str(cases[i].html, "h.html");
		EXPECT(doc != NULL);
		if (doc)
			EXPECT_STR(doc->title, cases[i].title);
		if (doc && (!doc->title || strcmp(doc->title, cases[i].title) != 0))
			fprintf(stderr, "case %zu: text <<%s>>\n", i, doc->text);
		release_doc_free(doc);
	}
}

TEST(html_subtitles_as_list_items)
{
	release_doc *doc = parse_str("<article><h1>Title</h1><ul><li>First point</li><li>- Second point</li>"
	                             "</ul><p>Body starts.</p><ol><li>one</li><li>two</li></ol></article>",
	                             "s.html");
	EXPECT(doc != NULL);
	if (!doc)
		return;
	EXPECT_INT(doc->subtitles->len, 2);
	if (doc->subtitles->len == 2) {
		EXPECT_STR(g_ptr_array_index(doc->subtitles, 0), "First point");
		EXPECT_STR(g_ptr_array_index(doc->subtitles, 1), "Second point");
	}
	EXPECT_STR(doc->body, "Body starts.\n\n1. one\n2. two");
	release_doc_free(doc);
}

TEST(html_dates)
{
	struct { const char *html, *date, *source; } cases[] = {
		{ "<head><meta property=\"article:published_time\" content=\"2024-05-09T10:00:00Z\">"
		  "</head><h1>T</h1><p>Held on 1 June 2024.</p>", "2024-05-09", "html-meta" },
		{ "<head><meta name=\"DC.date\" content=\"2023. 12. 1.\"></head><h1>T</h1><p>x</p>",
		  "2023-12-01", "html-meta" },
		{ "<head><meta name=\"dcterms.date\" content=\"2024-02-29\"></head><h1>T</h1><p>x</p>",
		  "2024-02-29", "html-meta" },
		/* An impossible meta date is no date: the visible one. */
		{ "<head><meta name=\"date\" content=\"2024-02-30\"></head>"
		  "<h1>T</h1><p>등록일 2024년 5월 10일</p>", "2024-05-10", "text" },
		{ "<h1>T</h1><p>Published <time datetime=\"2024-05-10\">May 10, 2024</time></p>",
		  "2024-05-10", "text" },
		/* Other metas are not dates; a date in the footer is not the release's. */
		{ "<head><meta name=\"description\" content=\"2024-01-01\"></head><h1>T</h1>"
		  "<p>No date.</p><footer>Updated 2024-03-03</footer>", NULL, NULL },
	};
	for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
		release_doc *doc = parse_str(cases[i].html, "d.html");
		EXPECT(doc != NULL);
		if (!doc)
			continue;
		EXPECT_STR(doc->date, cases[i].date);
		EXPECT_STR(doc->date_source, cases[i].source);
		release_doc_free(doc);
	}
	release_doc *doc = parse_str("Title\n\nOn 2024-05-10.\n", "d.txt");
	EXPECT(doc != NULL);
	if (doc)
		EXPECT_STR(doc->date_source, "text");
	release_doc_free(doc);
}

TEST(html_euc_kr_page)
{
	const char *page =
		"<html><head><meta charset=\"euc-kr\"><title>보도자료 &lt; 과학기술정보통신부</title></head>"
		"<body><nav>홈 알림·소식</nav><div class=\"location\">홈 &gt; 알림·소식 &gt; 보도자료</div>"
		"<div id=\"contents\"><h3>AI·디지털 외교에 부처 간 벽은 없다</h3>"
		"<p>- 과기정통부·외교부 정책협의회 출범</p>"
		"<p>과학기술정보통신부는 2024년 5월 10일 협의회를 출범하였다고 밝혔다.</p>"
		"<p>문의: 대변인실 (전화 044-202-4034, 이메일 press@msit.go.kr)</p>"
		"<p>공공누리 제1유형: 출처표시</p></div></body></html>";
	gsize n = 0;
	char *euc = g_convert(page, -1, "CP949", "UTF-8", NULL, &n, NULL);
	EXPECT(euc != NULL);
	if (!euc)
		return;
	GError *err = NULL;
	release_doc *doc = release_parse(euc, n, "k.html", &err);
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_STR(doc->encoding, "EUC-KR");
		EXPECT_STR(doc->title, "AI·디지털 외교에 부처 간 벽은 없다");
		EXPECT_INT(doc->subtitles->len, 1);
		EXPECT_STR(doc->date, "2024-05-10");
		EXPECT_STR(doc->date_source, "text");
		EXPECT_STR(doc->contact_email, "press@msit.go.kr");
		EXPECT_STR(doc->organisation, "과학기술정보통신부");
		EXPECT_INT(doc->license_type, 1);
		EXPECT_STR(doc->language, "ko");
		EXPECT(g_str_has_prefix(doc->text, "AI·디지털 외교에"));
		EXPECT(strstr(doc->text, "알림·소식") == NULL);
	} else {
		fprintf(stderr, "%s\n", err->message);
		g_clear_error(&err);
	}
	release_doc_free(doc);
	g_free(euc);

	/* The http-equiv form; few Hangul, so only the declaration tells. */
	const char *latin = "<html><head><meta http-equiv=\"Content-Type\" "
	                    "content=\"text/html; charset=ks_c_5601-1987\"></head>"
	                    "<body><h1>Plan \xc7\xd1</h1><p>Body \xa1\xae text \xa1\xaf "
	                    "\xa1\xae \xa1\xaf \xa1\xae \xa1\xaf.</p></body></html>";
	doc = release_parse(latin, strlen(latin), "q.html", &err);
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_STR(doc->encoding, "EUC-KR");
		EXPECT_STR(doc->title, "Plan 한");
	}
	g_clear_error(&err);
	release_doc_free(doc);

	/* Another declared charset is honoured too; a .txt has none to declare. */
	const char *l1 = "<meta charset=\"iso-8859-1\"><h1>Caf\xe9</h1><p>Cr\xe8me.</p>";
	doc = release_parse(l1, strlen(l1), "l1.html", &err);
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_STR(doc->encoding, "ISO-8859-1");
		EXPECT_STR(doc->title, "Café");
	}
	g_clear_error(&err);
	release_doc_free(doc);
	expect_failure(l1, strlen(l1), "l1.txt", "undecodable");

	/* A page in UTF-8 that says EUC-KR is UTF-8: the bytes decide. */
	doc = parse_str("<meta charset=\"euc-kr\"><h1>한국어 제목</h1><p>본문.</p>", "u.html");
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_STR(doc->encoding, "UTF-8");
		EXPECT_STR(doc->title, "한국어 제목");
	}
	release_doc_free(doc);

	/* UTF-16 with BOM. */
	gsize n16 = 0;
	char *u16 = g_convert("\xef\xbb\xbf<h1>UTF-16 Title</h1><p>Body.</p>", -1, "UTF-16LE", "UTF-8",
	                      NULL, &n16, NULL);
	EXPECT(u16 != NULL);
	if (u16) {
		u16[0] = '\xff';
		u16[1] = '\xfe';
		doc = release_parse(u16, n16, "w.html", &err);
		EXPECT(doc != NULL);
		if (doc) {
			EXPECT_STR(doc->encoding, "UTF-16LE with BOM");
			EXPECT_STR(doc->title, "UTF-16 Title");
		}
		g_clear_error(&err);
		release_doc_free(doc);
	}
	g_free(u16);
}

TEST(html_without_text_is_empty)
{
	static const char *const pages[] = {
		"<html><head><title>Press Releases | MSIT</title></head><body></body></html>",
		"<html><body><nav>Home News</nav><header>Search Area</header><script>x()</script>"
		"<footer>Copyright</footer></body></html>",
		"<!-- nothing -->",
		"<html></html>",
		"<p>&nbsp;&#32;</p>",
		"<html><body><div id=\"gnb\">Home</div><style>p{}</style></body></html>",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(pages); i++)
		expect_failure(pages[i], strlen(pages[i]), "e.html", "empty");
	expect_failure("", 0, "e.html", "empty");
	expect_failure("\n \n", 3, "e.htm", "empty");
}

TEST(html_malformed_never_crashes)
{
	static const char *const pages[] = {
		"<html><body><h1>Unclosed <b>bold <i>italic<p>Para one<p>Para two<div><span>",
		"<h1>Title</h1><p>Body <a href=\"x.pdf\">link<p><table><tr><td>cell<td>",
		"</p></div></body></html><h1>Ends first</h1>",
		"<<<>>><!-- unterminated comment <h1>x</h1>",
		"<h1 class=\"a\" class=\"b\" =\"\" <p>attr soup</p>",
		"<![CDATA[ cdata ]]><?php echo 1; ?><h1>T</h1>",
		"<script>never closed <h1>T</h1>",
		"<h1>Title</h1><p>\x01\x02 control bytes \x7f in the body \x1b[0m</p>",
		"<a href><a href=\"\"><a href=\"?\"><a href=\"/\">/</a><h1>T</h1>",
		"<svg><h1>in svg</h1></svg><math><p>m</p></math><h1>Real</h1>",
		"&#0;&#xD800;&#x110000;&#99999999999;&bogus;<h1>Entities &amp</h1>",
		"<h1>Title</h1><pre>pre\r\n  kept\r\rlines</pre>",
	};
	for (size_t i = 0; i < G_N_ELEMENTS(pages); i++) {
		GError *err = NULL;
		release_doc *doc = release_parse(pages[i], strlen(pages[i]), "m.html", &err);
		/* Either parsed, with valid UTF-8 text, or refused with a reason. */
		EXPECT((doc != NULL) != (err != NULL));
		if (doc) {
			EXPECT(g_utf8_validate(doc->text, -1, NULL));
			EXPECT(g_str_has_suffix(doc->text, "\n"));
			for (const char *p = doc->text; *p; p++)
				EXPECT(*p == '\n' || *p == '\t' || (unsigned char)*p >= 0x20);
		}
		g_clear_error(&err);
		release_doc_free(doc);
	}

	/* NUL bytes in a page: binary, as for text. */
	static const char nul[] = "<html><body><h1>T</h1>\0\0\0<p>x</p></body></html>";
	expect_failure(nul, sizeof nul - 1, "b.html", "not text (binary data)");
	/* Random bytes named .html. */
	char junk[4096];
	guint32 x = 12345;
	for (size_t i = 0; i < sizeof junk; i++) {
		x = x * 1103515245u + 12345u;
		junk[i] = (char)(x >> 24);
	}
	GError *err = NULL;
	release_doc *doc = release_parse(junk, sizeof junk, "r.html", &err);
	EXPECT(doc == NULL && err != NULL);
	g_clear_error(&err);
	release_doc_free(doc);

	/* 10,000 nested <div>s (and as many unclosed <b>s): no recursion, no
	 * quadratic walk. libxml2 stops building the tree at depth 256 (its
	 * guard against such pages), so what stands deeper is not in the
	 * text; what stands before is. */
	GString *deep = g_string_new("<html><body><article><h1>Deep Title</h1>");
	for (int i = 0; i < 10000; i++)
		g_string_append(deep, "<div><b>");
	g_string_append(deep, "<p>Deep body.</p>");
	for (int i = 0; i < 10000; i++)
		g_string_append(deep, "</div>");
	g_string_append(deep, "</article></body></html>");
	gint64 t0 = g_get_monotonic_time();
	doc = release_parse(deep->str, deep->len, "deep.html", &err);
	gint64 ms = (g_get_monotonic_time() - t0) / 1000;
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_STR(doc->title, "Deep Title");
		EXPECT(g_str_has_prefix(doc->text, "Deep Title\n"));
	}
	if (ms > 5000)
		fprintf(stderr, "10,000 nested divs took %lld ms\n", (long long)ms);
	EXPECT(ms <= 5000);
	g_clear_error(&err);
	release_doc_free(doc);
	g_string_free(deep, TRUE);

	/* 100 levels, as generated layouts nest: all of it is read. */
	deep = g_string_new("<article><h1>Nested Title</h1>");
	for (int i = 0; i < 100; i++)
		g_string_append(deep, "<div><span>");
	g_string_append(deep, "Nested body.");
	for (int i = 0; i < 100; i++)
		g_string_append(deep, "</span></div>");
	g_string_append(deep, "<p>After.</p></article>");
	doc = release_parse(deep->str, deep->len, "nested.html", &err);
	EXPECT(doc != NULL);
	if (doc)
		EXPECT_STR(doc->body, "Nested body.\n\nAfter.");
	g_clear_error(&err);
	release_doc_free(doc);
	g_string_free(deep, TRUE);
}

/* The sample release in four forms (fixtures/forms): the same fields. */
TEST(forms_fixture_same_fields)
{
	static const char *const files[] = {
		"text/msit-2024-05-10-ai-digital-diplomacy.txt",
		"html/msit-2024-05-10-ai-digital-diplomacy.html",
		"euc-kr/msit-2024-05-10-ai-digital-diplomacy-euc-kr.txt",
		"utf-16/msit-2024-05-10-ai-digital-diplomacy-utf-16.txt",
	};
	static const char *const encodings[] = { "UTF-8", "UTF-8", "EUC-KR", "UTF-16LE with BOM" };
	release_doc *docs[G_N_ELEMENTS(files)] = { NULL };
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++) {
		char *path = g_build_filename(unit_fixtures(), "forms", files[i], NULL);
		char *bytes = NULL;
		gsize len = 0;
		GError *err = NULL;
		if (g_file_get_contents(path, &bytes, &len, &err))
			docs[i] = release_parse(bytes, len, files[i], &err);
		if (err)
			fprintf(stderr, "%s: %s\n", path, err->message);
		g_clear_error(&err);
		EXPECT(docs[i] != NULL);
		if (docs[i])
			EXPECT_STR(docs[i]->encoding, encodings[i]);
		g_free(bytes);
		g_free(path);
	}
	release_doc *t = docs[0];
	for (size_t i = 1; t && i < G_N_ELEMENTS(files); i++) {
		release_doc *d = docs[i];
		if (!d)
			continue;
		EXPECT_STR(d->title, t->title);
		EXPECT_INT(d->subtitles->len, t->subtitles->len);
		for (guint j = 0; j < d->subtitles->len && j < t->subtitles->len; j++)
			EXPECT_STR(g_ptr_array_index(d->subtitles, j), g_ptr_array_index(t->subtitles, j));
		EXPECT_STR(d->body, t->body);
		EXPECT_STR(d->contact, t->contact);
		EXPECT_STR(d->contact_phone, t->contact_phone);
		EXPECT_STR(d->contact_email, t->contact_email);
		EXPECT_STR(d->organisation, t->organisation);
		EXPECT_INT(d->license_type, t->license_type);
		EXPECT_INT(d->license_types_stated, t->license_types_stated);
		EXPECT_STR(d->license_statement, t->license_statement);
		EXPECT(d->mentions_attachment == t->mentions_attachment);
		EXPECT_STR(d->language, t->language);
	}
	if (t)
		EXPECT_STR(t->title, "No Barriers Between Ministries in AI and Digital Diplomacy");
	if (docs[1]) {
		EXPECT_STR(docs[1]->date, "2024-05-10");
		EXPECT_STR(docs[1]->date_source, "html-meta");
		EXPECT_INT(docs[1]->attachment_links->len, 1);
		if (docs[1]->attachment_links->len == 1)
			EXPECT_STR(g_ptr_array_index(docs[1]->attachment_links, 0),
			           "msit-2024-05-10-ai-digital-diplomacy.pdf");
		EXPECT(strstr(docs[1]->text, "Search Area") == NULL);
		EXPECT(strstr(docs[1]->text, "News & Notice") == NULL);
		EXPECT(strstr(docs[1]->text, "Copyright") == NULL);
	}
	/* The Korean letterhead heads the EUC-KR form's text but is not its title. */
	if (docs[2])
		EXPECT(g_str_has_prefix(docs[2]->text, "과학기술정보통신부 보도자료\n"));
	for (size_t i = 0; i < G_N_ELEMENTS(files); i++)
		release_doc_free(docs[i]);
}

/* The real sample release; the project keeps it in its fixtures. */
TEST(sample_release_fixture)
{
	char *path = g_build_filename(unit_fixtures(), "releases", "msit-2024-05-10-ai-digital-diplomacy",
	                              "msit-2024-05-10-ai-digital-diplomacy.txt", NULL);
	char *bytes = NULL;
	gsize len = 0;
	GError *err = NULL;
	if (!g_file_get_contents(path, &bytes, &len, &err)) {
		fprintf(stderr, "sample release missing: %s\n", err->message);
		g_error_free(err);
		EXPECT(!"sample release fixture present");
		g_free(path);
		return;
	}
	release_doc *doc = release_parse(bytes, len, "msit-2024-05-10-ai-digital-diplomacy.txt", &err);
	EXPECT(doc != NULL);
	if (doc) {
		EXPECT_STR(doc->encoding, "UTF-8");
		EXPECT_STR(doc->title, "No Barriers Between Ministries in AI and Digital Diplomacy");
		EXPECT_INT(doc->subtitles->len, 2);
		if (doc->subtitles->len == 2)
			EXPECT_STR(g_ptr_array_index(doc->subtitles, 1),
			           "MSIT and MOFA held the inauguration ceremony for the "
			           "\"AI and Digital Diplomacy Policy Council\"");
		EXPECT(g_str_has_prefix(doc->body, "The Ministry of Science and ICT (Minister Lee"));
		EXPECT(g_str_has_suffix(doc->body, "leading scientific technology.\""));
		EXPECT_STR(doc->contact_phone, "+82-44-202-4034");
		EXPECT_STR(doc->contact_email, NULL);
		EXPECT_STR(doc->date, NULL);
		EXPECT_STR(doc->organisation, "Ministry of Science and ICT");
		EXPECT_INT(doc->license_type, 1);
		EXPECT_INT(doc->license_types_stated, 1u << 1);
		EXPECT(doc->mentions_attachment);
		EXPECT_STR(doc->language, "en");
		EXPECT(g_str_has_prefix(doc->text, "No Barriers Between Ministries"));
		EXPECT(g_str_has_suffix(doc->text, "KOGL Type 1\".\n"));
	} else {
		fprintf(stderr, "%s\n", err->message);
		g_error_free(err);
	}
	release_doc_free(doc);
	g_free(bytes);
	g_free(path);
}

UNIT_MAIN(date_each_form, date_only_real_dates, date_find_first_in_text, parse_english_release,
          parse_korean_release, korean_header_lines_are_not_the_title, no_headline_says_why, headline_by_structure, chrome_by_structure, text_is_normalised,
          encodings_each, unreadable_inputs_fail_naming_the_file, contact_forms,
          organisation_fallbacks, attachment_and_language, html_entities_and_structure, html_page_fields,
          html_attachment_links, html_headline_choice, html_subtitles_as_list_items, html_dates,
          html_euc_kr_page, html_without_text_is_empty, html_malformed_never_crashes,
          forms_fixture_same_fields, sample_release_fixture)
