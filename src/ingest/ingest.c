/*
 * ingest/ingest.c — the work on one release, in the order of SPEC "What ingest
 * does": identify, parse, extract (pdf/worker.h), check and license
 * (decide.h), stamp (pdf/worker.h), bag, publish.
 *
 * Every input file is read twice: once hashed (the bundle id and the
 * manifest must be known before the first tar entry is written, since the
 * manifest precedes the payload in the tar), once streamed into the bundle,
 * where it is hashed again so that a file changed in between is caught
 * rather than archived with a wrong checksum. A PDF is read by poppler
 * too, in its worker (text, and the stamped access copy). The finished
 * bundle is hashed as it is written, never read back. (Writing the payload
 * first into a gzip member of its own and joining members afterwards would
 * save the first read, but a bundle would then be several gzip members,
 * and the copy of the payload when joining costs about what the hash pass
 * saves: SHA-256 runs at ~2 GB/s here with SHA-NI, from the page cache.)
 *
 * Releases are prepared side by side in release workers and committed to
 * the store one by one in input order: see "preparing a release" below,
 * and run.c for the run.
 */
#include "prepared.h"
#include "store/audit.h"
#include "bag/write.h"
#include "store/catalog.h"
#include "core/json.h"
#include "release/bundle_id.h"
#include "core/disk.h"
#include "core/errors.h"
#include "core/filetype.h"
#include "core/hash.h"
#include "release/license.h"
#include "pdf/pdf.h"
#include "pdf/worker.h"
#include "doc/worker.h"
#include "release/release.h"
#include "ingest/decide.h"
#include "store/retention.h"
#include "core/testhook.h"
#include "core/text.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A release document bigger than this is not a press release. */
#define RELEASE_DOC_MAX (64u << 20)

/* The order of SPEC's checks table, in which results are reported. */
static const char *const check_order[] = {
	"release.readable", "input.file", "release.title", "release.date", "release.contact",
	"attachment.present", "attachment.type", "pdf.open", "pdf.text", "pdf.matches_release",
	"document.text", "document.matches_release", "license.detected", "license.consistent",
	"pdf.active_content", "document.active_content", "pdf.stamp", NULL,
};

const char *ingest_status_name(ingest_status s)
{
	switch (s) {
	case INGEST_ARCHIVED: return "archived";
	case INGEST_ALREADY_ARCHIVED: return "already-archived";
	case INGEST_QUARANTINED: return "quarantined";
	case INGEST_DRY_RUN: break;
	}
	return "dry-run";
}

ingester *ingester_new(store *s, catalog *c, const ingest_opts *opts, GError **err)
{
	ingester *g = g_new0(ingester, 1);
	g->store = s;
	g->catalog = c;
	g->opts = *opts;
	char iso[11];
	if (opts->date && !release_parse_date(opts->date, iso)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_USAGE, "--date %s: not a date (YYYY-MM-DD)",
		            opts->date);
		goto fail;
	}
	const char *period = opts->retention ? opts->retention : store_config(s, "retention");
	if (!period)
		period = RETENTION_DEFAULT;
	if (!retention_parse(period, &g->period)) {
		g_set_error(err, ARC_ERROR, opts->retention ? ARC_ERROR_USAGE : ARC_ERROR_STORE,
		            "%s%s: not a retention period (1y 3y 5y 10y 30y semi-permanent "
		            "permanent, or Ny Nm Nd)",
		            opts->retention ? "--retention " : "archive.conf: retention = ", period);
		goto fail;
	}
	g->retention = g_strdup(period);
	/* The Decree's start (Art. 26(5)) unless the store keeps the old rule;
	 * a value that is neither stops the run before anything is written,
	 * rather than dating every bundle by a guess. */
	retention_start_rule start_rule = RETENTION_START_NEXT_YEAR;
	GHashTable *retention_conf = store_config_group(s, "retention");
	const char *start = retention_conf ? g_hash_table_lookup(retention_conf, "start") : NULL;
	if (start && !retention_start_rule_parse(start, &start_rule)) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE,
		            "archive.conf: [retention] start = %s: not a start rule "
		            "(next-year or release-date)", start);
		goto fail;
	}
	GHashTable *limits = store_config_group(s, "limits");
	if (limits) {
		GHashTableIter it;
		gpointer k, v;
		g_hash_table_iter_init(&it, limits);
		while (g_hash_table_iter_next(&it, &k, &v))
			if (!worker_limits_set(&g->opts.limits, k, v, err)) {
				g_prefix_error(err, "archive.conf: ");
				goto fail;
			}
	}
	const char *lic = store_config(s, "license");
	if (lic && !(g->default_license = kogl_parse_name(lic))) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_STORE,
		            "archive.conf: license = %s: not one of kogl-1 … kogl-4", lic);
		goto fail;
	}
	GDateTime *now = g_date_time_new_from_unix_utc(opts->now);
	char *d = g_date_time_format(now, "%Y-%m-%d");
	g_strlcpy(g->today, d, sizeof g->today);
	g_free(d);
	g_date_time_unref(now);
	if (!(g->ft = filetype_new(err)))
		goto fail;
	g->warm = pdf_warm_up();
	g->pdf = pdf_worker_new(&g->opts.limits);
	g->docw = doc_worker_new(&g->opts.limits);
	g->policy = (release_policy){ g->opts.license_type, g->default_license, g->opts.organisation,
		                      store_config(s, "organisation"), g->opts.date, g->today,
		                      g->retention, &g->period, start_rule, g->opts.now };
	/* The parser's and the licence detector's patterns, compiled here
	 * once rather than in every forked child. */
	release_init();
	kogl_init();
	return g;
fail:
	ingester_free(g);
	return NULL;
}

void ingester_free(ingester *g)
{
	if (!g)
		return;
	pdf_worker_free(g->pdf);
	doc_worker_free(g->docw);
	filetype_free(g->ft);
	pdf_warm_free(g->warm);
	g_free(g->retention);
	g_free(g);
}

void ingest_result_clear(ingest_result *res)
{
	g_free(res->id);
	g_free(res->path);
	release_record_free(res->record);
	memset(res, 0, sizeof *res);
}

/* ---- helpers over one release ---- */

static bool name_is_pdf(const char *name)
{
	return g_str_has_suffix(name, ".pdf") || g_str_has_suffix(name, ".PDF") ||
	       g_ascii_strcasecmp(name + (strlen(name) > 4 ? strlen(name) - 4 : 0), ".pdf") == 0;
}

/* Read the release document without following links, within a size cap. */
static bool read_doc(const char *path, char **data, size_t *len, GError **err)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s", g_strerror(errno));
		if (fd >= 0)
			close(fd);
		return false;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > RELEASE_DOC_MAX) {
		g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "%s",
		            S_ISREG(st.st_mode) ? "larger than 64 MiB: not a release document"
		                                : "not a regular file");
		close(fd);
		return false;
	}
	GString *s = g_string_sized_new((gsize)st.st_size + 1);
	char buf[1 << 16];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT, "read: %s", g_strerror(errno));
			close(fd);
			g_string_free(s, TRUE);
			return false;
		}
		if (n == 0)
			break;
		if (s->len + (size_t)n > RELEASE_DOC_MAX) {
			g_set_error(err, ARC_ERROR, ARC_ERROR_INPUT,
			            "larger than 64 MiB: not a release document");
			close(fd);
			g_string_free(s, TRUE);
			return false;
		}
		g_string_append_len(s, buf, n);
	}
	close(fd);
	*len = s->len;
	*data = g_string_free(s, FALSE);
	return true;
}

/* Characters that are their own NFKC form and case fold and that never
 * compose with the character before them: ASCII and precomposed Hangul
 * syllables, nearly all of any release's text. */
/*
 * The reason in a worker's error, without the path it opens with: pdf.c
 * names the file by the path it was given (the input path, often long or
 * absolute), while a check message already names it by its name in the
 * release, and should not name it twice.
 */
static const char *reason_of(const GError *e, const char *path)
{
	if (!e)
		return "the worker's result was unreadable";
	size_t n = strlen(path);
	if (strncmp(e->message, path, n) == 0 && strncmp(e->message + n, ": ", 2) == 0)
		return e->message + n + 2;
	return e->message;
}

/* The worker failed because our own disk did (full, read-only), not
 * because of the PDF: that stops the run instead of judging the PDF. */
static bool store_failed(GError **e, GError **err)
{
	if (!*e || (*e)->domain != ARC_ERROR || (*e)->code != ARC_ERROR_STORE)
		return false;
	g_propagate_error(err, g_steal_pointer(e));
	return true;
}

/* How much of an extracted text is read (for its licence, its date and
 * the title): the worker may write up to its file-size limit, and the
 * parent, which has no limits, must not hold that in memory. */
#define TEXT_READ_MAX ((uint64_t)64 << 20)

/* What an extracted text says, from one bounded read. */
typedef struct {
	uint64_t size, read; /* at most read of its size bytes were read */
	int license_type;    /* the KOGL type it states, 0 when none */
	char *date;          /* a full date on its first page, or NULL */
	bool title_found;    /* it holds the title (not looked for when NULL) */
} text_facts;

/*
 * Fill f from the text at path (a PDF's or a document's): its licence, a
 * date on its first page, whether it holds title. The file is the run's
 * own: failing to read it is a store error, not the release's.
 */
static bool read_text_facts(const char *path, const char *title, text_facts *f, GError **err)
{
	bool ok = false;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	GString *s = NULL;
	memset(f, 0, sizeof *f);
	if (fd < 0 || fstat(fd, &st) != 0)
		goto fail;
	f->size = (uint64_t)st.st_size;
	size_t max = (size_t)MIN(testhook_text_max(TEXT_READ_MAX), f->size);
	s = g_string_sized_new(max + 1);
	while (s->len < max) {
		ssize_t n = read(fd, s->str + s->len, max - s->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		if (n == 0)
			break;
		g_string_set_size(s, s->len + (gsize)n);
	}
	f->read = s->len;
	/* A cut may fall inside a character (the workers write UTF-8). */
	const char *end;
	if (!g_utf8_validate_len(s->str, s->len, &end))
		g_string_truncate(s, (gsize)(end - s->str));
	f->license_type = kogl_detect(s->str, NULL);
	char *ff = strchr(s->str, '\f'), iso[11];
	if (ff)
		*ff = '\0';
	if (release_find_date(s->str, iso))
		f->date = g_strdup(iso);
	if (ff)
		*ff = '\f';
	f->title_found = title && *title && release_title_in_text(title, s->str);
	ok = true;
	goto out;
fail:
	arc_set_errno(err, ARC_ERROR_STORE, errno, path);
out:
	if (fd >= 0)
		close(fd);
	if (s)
		g_string_free(s, TRUE);
	return ok;
}

/* What p's extracted text says (read_text_facts). */
static bool read_pdf_text(pdf_record *p, const char *title, GError **err)
{
	text_facts f;
	if (!read_text_facts(p->text_path, p->info.text_chars > 0 ? title : NULL, &f, err))
		return false;
	p->text_size = f.size;
	p->text_read = f.read;
	p->license_type = f.license_type;
	p->text_date = f.date;
	p->title_found = f.title_found;
	return true;
}

/* Run the extraction worker for one PDF and record what it found. */
static bool extract_pdf(ingester *g, release_record *r, pdf_record *p, const char *work, guint n,
                        GError **err)
{
	bool ok = true;
	char *name = g_strdup_printf("text-%u.txt", n);
	char *text = g_build_filename(work, name, NULL);
	pdf_job job = { .pdf = p->src, .text_out = text, .scratch = work };
	if ((p->early_license = release_early_license(&g->policy, r))) {
		const char *source;
		p->early_title = release_decided_title(r);
		p->early_organisation = release_decided_organisation(&g->policy, r, &source);
		job.meta = (pdf_stamp_meta){ p->early_license, p->early_title, p->early_organisation };
	}
	pdf_result res;
	GError *e = NULL;
	bool ran = pdf_worker_run(g->pdf, &job, &res, &e);
	if (!ran && job.meta.license && !(e && e->domain == ARC_ERROR && e->code == ARC_ERROR_STORE)) {
		/* Stamping ahead must never cost the extraction (a crash, a
		 * limit reached by the two together): the job as it runs
		 * without it decides, and the stamp worker runs later. */
		g_clear_error(&e);
		job.meta = (pdf_stamp_meta){ 0 };
		ran = pdf_worker_run(g->pdf, &job, &res, &e);
	}
	if (ran) {
		p->opened = true;
		p->info = res.info;
		memset(&res.info, 0, sizeof res.info); /* now p's */
		p->early_update = g_steal_pointer(&res.update);
		p->text_path = g_steal_pointer(&text);
		bool found = false;
		for (guint i = 0; i < n; i++)
			found = found || ((pdf_record *)g_ptr_array_index(r->pdfs, i))->title_found;
		char *title = found ? NULL : release_decided_title(r);
		ok = read_pdf_text(p, title, err);
		g_free(title);
	} else if (store_failed(&e, err)) {
		ok = false;
		unlink(text);
	} else {
		p->open_error = g_strdup(reason_of(e, p->src));
		unlink(text);
	}
	g_clear_error(&e);
	pdf_result_clear(&res);
	g_free(text);
	g_free(name);
	return ok;
}

/* Run the document worker for one HWP, HWPX or ODT attachment and
 * record what it found; the title is looked for only while no PDF or
 * document before it held it. */
static bool extract_doc(ingester *g, release_record *r, doc_record *d, const char *work,
                        guint n, GError **err)
{
	char *name = g_strdup_printf("doc-text-%u.txt", n);
	char *text = g_build_filename(work, name, NULL);
	g_free(name);
	doc_result res;
	GError *e = NULL;
	if (!doc_worker_run(g->docw, d->src, d->info.format, text, &res, &e)) {
		g_propagate_error(err, e);
		unlink(text);
		g_free(text);
		return false;
	}
	doc_info_clear(&d->info);
	d->info = res.info;
	memset(&res.info, 0, sizeof res.info);
	d->text_error = g_steal_pointer(&res.text_error);
	doc_result_clear(&res);
	bool ok = true;
	if (!d->text_error) {
		bool found = false;
		for (guint i = 0; i < r->pdfs->len; i++)
			found = found || ((pdf_record *)g_ptr_array_index(r->pdfs, i))->title_found;
		for (guint i = 0; i < n; i++)
			found = found || ((doc_record *)g_ptr_array_index(r->docs, i))->title_found;
		char *title = found || !d->info.text_chars ? NULL : release_decided_title(r);
		text_facts f;
		ok = read_text_facts(text, title, &f, err);
		g_free(title);
		if (ok) {
			d->text_size = f.size;
			d->text_read = f.read;
			d->license_type = f.license_type;
			d->title_found = f.title_found;
			g_free(f.date);
			d->text_path = g_steal_pointer(&text);
		}
	}
	/* A statement in the text decides; else what the header names. */
	if (!d->license_type)
		d->license_type = d->info.kogl_type;
	if (text)
		unlink(text); /* none, or a part of a text that could not be read whole */
	g_free(text);
	return ok;
}

static const char *add_access_copy(release_record *r, pdf_record *pdf, GBytes *update);

/* The access copy: the one stamped ahead, or one stamped now; into the
 * payload when its update checks out (add_access_copy), else pdf.stamp
 * says why. */
static bool stamp_pdf(ingester *g, release_record *r, pdf_record *p, const char *work,
                      GError **err)
{
	bool ok = true;
	GBytes *update = NULL;
	pdf_job job = { .pdf = p->src,
	                .scratch = work,
	                .meta = { r->license, r->title, r->organisation } };
	pdf_result res;
	GError *e = NULL;
	/* The copy stamped ahead is the one this would make, when made with
	 * the same licence, title and organisation; else it goes. */
	bool early = p->early_update && p->early_license == r->license &&
	             g_strcmp0(p->early_title, r->title) == 0 &&
	             g_strcmp0(p->early_organisation, r->organisation) == 0;
	if (early) {
		update = g_steal_pointer(&p->early_update);
	} else if (pdf_worker_run(g->pdf, &job, &res, &e)) {
		update = g_steal_pointer(&res.update);
		pdf_result_clear(&res);
	} else if (store_failed(&e, err)) {
		ok = false;
	} else {
		p->stamp_error = g_strdup(e->message);
	}
	g_clear_pointer(&p->early_update, g_bytes_unref);

	const char *bad = update ? add_access_copy(r, p, update) : NULL;
	if (update && !bad) {
		check_add(r->checks, "pdf.stamp", CHECK_LEVEL_WARNING, true, p->rel,
		          "%s: access copy stamped with %s", p->rel, r->license->id);
	} else if (update) {
		p->stamp_error = g_strdup(bad);
		check_add(r->checks, "pdf.stamp", CHECK_LEVEL_WARNING, false, p->rel,
		          "%s: no access copy: %s", p->rel, p->stamp_error);
	} else if (ok) {
		check_add(r->checks, "pdf.stamp", CHECK_LEVEL_WARNING, false, p->rel,
		          "%s: no access copy: the licence could not be written into it: %s", p->rel,
		          e ? reason_of(e, p->src) : "the PDF worker sent no update");
	}
	g_clear_error(&e);
	if (update)
		g_bytes_unref(update);
	return ok;
}

/* SHA-256 over "<sha256>  <bag path>\n" of the release's own files in bag
 * order: the same files give the same id, whatever their names on disk. */
static void content_hash(release_record *r)
{
	hash_ctx *h = hash_new(HASH_MASK(HASH_SHA256));
	for (guint i = 0; i < r->payload->len; i++) {
		payload_file *f = g_ptr_array_index(r->payload, i);
		if (strcmp(f->role, "release") && strcmp(f->role, "attachment"))
			continue;
		hash_update(h, f->sha256, 64);
		hash_update(h, "  ", 2);
		hash_update(h, f->bag_path, strlen(f->bag_path));
		hash_update(h, "\n", 1);
	}
	char hex[HASH_HEX_MAX];
	hash_final_hex(h, HASH_SHA256, hex);
	hash_free(h);
	r->content_sha256 = g_strdup(hex);
}

/* Add a file we made in the work folder (text) to the payload. */
static bool add_made_file(release_record *r, const char *bag_path, const char *src,
                          const char *role, const char *mime, GError **err)
{
	payload_file *f = release_record_add_payload(r, bag_path, src, role);
	f->mime = g_strdup(mime);
	if (!hash_file_sha256(f->src, f->sha256, &f->size, err)) {
		(*err)->code = ARC_ERROR_STORE; /* our own work folder failed us */
		return false;
	}
	return true;
}

/* Does an update end as a PDF does, in "%%EOF" and an end of line? */
static bool ends_in_eof(const guint8 *data, gsize len)
{
	while (len > 0 && strchr(" \t\r\n", data[len - 1]) && data[len - 1] != '\0')
		len--;
	return len >= 5 && memcmp(data + len - 5, "%%EOF", 5) == 0;
}

/*
 * The access copy of pdf into the payload: the original's exact bytes, as
 * first read and hashed, and then the update the PDF worker made. That
 * worker parsed a hostile PDF, and this process, which packs the bundle,
 * takes from it only bytes to append, after checking that they end as a
 * PDF update does. The copy's SHA-256 goes on from the original's. The
 * reason when it is not added.
 */
static const char *add_access_copy(release_record *r, pdf_record *pdf, GBytes *update)
{
	const payload_file *orig = NULL;
	for (guint i = 0; i < r->payload->len && !orig; i++) {
		const payload_file *f = g_ptr_array_index(r->payload, i);
		if (!strcmp(f->role, "attachment") && !strcmp(f->src, pdf->src))
			orig = f;
	}
	gsize n = 0;
	const guint8 *tail = g_bytes_get_data(update, &n);
	if (!orig || !pdf->src_hash)
		return "its original is not in the payload";
	if (!ends_in_eof(tail, n))
		return "the update the PDF worker made does not end in %%EOF";
	hash_ctx *h = hash_dup(pdf->src_hash);
	hash_update(h, tail, n);
	char *bp = g_build_filename("data/access", pdf->rel, NULL);
	payload_file *f = release_record_add_payload(r, bp, orig->src, "access");
	g_free(bp);
	f->tail = g_bytes_ref(update);
	f->mime = g_strdup("application/pdf");
	f->size = orig->size + n;
	char hex[HASH_HEX_MAX];
	hash_final_hex(h, HASH_SHA256, hex);
	hash_free(h);
	memcpy(f->sha256, hex, sizeof f->sha256);
	pdf->stamped = true;
	return NULL;
}

/* The normalised release text, written into the work folder to be
 * streamed into the bag, and hashed from memory rather than read back.
 * A plain write: the work folder is scratch space, never published as
 * it is, so g_file_set_contents' temporary file, rename and fsync would
 * buy nothing. */
static bool add_made_text(release_record *r, const char *bag_path, const char *path,
                          const char *data, GError **err)
{
	size_t len = strlen(data);
	if (!disk_write_new(path, data, len, false, err))
		return false;
	payload_file *f = release_record_add_payload(r, bag_path, path, "text");
	f->mime = g_strdup("text/plain");
	f->size = len;
	hash_sha256_hex(data, len, f->sha256);
	return true;
}

/* Append an audit line and mirror it in the catalog. */
static bool record(ingester *g, audit_entry *e, GError **err)
{
	char *line = NULL;
	bool ok = audit_append(store_dir(g->store), e, &line, err) &&
	          catalog_apply_event(g->catalog, line, err);
	g_free(line);
	audit_entry_free(e);
	return ok;
}

/* The published bundle's audit line, then its catalog row. The audit log
 * is the record and goes first; the catalog, a cache, follows (a crash in
 * between is repaired by recovery.h). */
static bool record_ingest(ingester *g, const release_record *r, const prepared *p,
                          GError **err)
{
	char year[5];
	g_strlcpy(year, r->id, sizeof year);
	char *name = g_strconcat(r->id, ".tar.gz", NULL);
	char *rel = g_build_filename("bundles", year, name, NULL);
	audit_entry *e = audit_entry_new("ingest");
	audit_entry_set(e, "id", r->id);
	audit_entry_set(e, "path", rel);
	/* The entry the transparency log keeps of the bundle: its id, the
	 * SHA-256 of its .tar.gz and of its tag manifest (SPEC). */
	audit_entry_set(e, "bundle_sha256", p->bundle_sha256);
	audit_entry_set(e, "tagmanifest_sha256", p->tagmanifest_sha256);
	audit_entry_set(e, "content_sha256", r->content_sha256);
	audit_entry_set(e, "title", r->title);
	audit_entry_set(e, "check_status", check_list_status(r->checks));
	bool ok = record(g, e, err) &&
	          catalog_add_bundle(g->catalog, rel, p->release_json, p->bundle_sha256,
	                             p->bundle_size, err);
	g_free(rel);
	g_free(name);
	return ok;
}

static bool record_quarantine(ingester *g, const release_record *r, const release_input *in,
                              const char *qdir, GError **err)
{
	json_writer *w = json_new(false);
	metadata_json_reasons(w, r);
	char *reasons = json_finish(w);
	char *base = g_path_get_basename(qdir);
	char *rel = g_build_filename("quarantine", base, NULL);
	audit_entry *e = audit_entry_new("quarantine");
	audit_entry_set(e, "release", in->source);
	audit_entry_set(e, "path", rel);
	audit_entry_set(e, "content_sha256", r->content_sha256);
	audit_entry_set_json(e, "reasons", reasons);
	bool ok = record(g, e, err);
	g_free(rel);
	g_free(base);
	g_free(reasons);
	return ok;
}

/* ---- preparing a release, and committing it ----
 *
 * prepare() does all the work on one release that nothing else in the
 * store can see: reading, hashing, identifying, extraction and stamping
 * (in workers), the checks, and the finished bundle in the release's own
 * work folder under tmp/. commit() then does, one release at a time and
 * in input order, everything that writes the store's records: publish the
 * bundle or copy the release to quarantine, the audit line, the catalog
 * row. With -j N, prepare() runs in N forked release workers at once (a
 * worker_pool of worker.h: each prepares release after release, with a
 * PDF worker of its own) and its result comes back through the worker's
 * socket; commit() stays in the parent, which holds the store lock.
 * So the store changes exactly as in a run of one release at a time: the
 * same records in the same order, the same crash points in the parent,
 * and whatever a crash leaves is in tmp/, which the next locked run
 * removes (the children hold nothing of the parent's, not even the lock,
 * and die with it: core/worker.h).
 */

void prepared_clear(prepared *p)
{
	if (p->work) {
		disk_remove_tree(p->work);
		g_free(p->work);
	}
	g_free(p->bundle);
	g_free(p->release_json);
	g_free(p->reason_json);
	g_free(p->existing);
	release_record_free(p->record);
	memset(p, 0, sizeof *p);
}

/* How each payload file goes into the gzip stream (bag/write.h): text
 * squeezed, what is compressed already stored, the unknown probed. */
static bag_packing packing_of(const payload_file *f)
{
	static const char *const stored[] = {
		"application/pdf", "image/jpeg", "image/png", "image/gif", "image/webp",
		"image/jp2", "video/", "audio/mpeg", "application/zip", "application/gzip",
		"application/x-gzip", "application/x-bzip2", "application/x-xz", "application/zstd",
		"application/x-7z-compressed", "application/vnd.rar", "application/x-rar",
		"application/epub+zip", "application/x-hwp", "application/haansofthwp",
		"application/vnd.hancom.", "application/vnd.openxmlformats-officedocument.",
		"application/vnd.oasis.opendocument.", NULL,
	};
	const char *m = f->mime ? f->mime : "";
	if (g_str_has_prefix(m, "text/") || strstr(m, "xml") || strstr(m, "json"))
		return BAG_DEFLATE;
	for (const char *const *s = stored; *s; s++)
		if (g_str_has_prefix(m, *s))
			return BAG_STORE;
	return BAG_PROBE;
}

/* Write the bag into the release's work folder (not yet published). */
static bool make_bundle(release_record *r, prepared *p, GError **err)
{
	bool ok = false;
	bag_writer *w = NULL;
	char *bag_info = metadata_bag_info(r);
	char *release_json = metadata_release_json(r);
	char *dc = metadata_dc_xml(r);
	GString *manifest = g_string_new(NULL);
	char *tmp = g_build_filename(p->work, PREP_BUNDLE_FILE, NULL);
	int fd = -1;
	uint64_t size = 0;
	for (guint i = 0; i < r->payload->len; i++) {
		payload_file *f = g_ptr_array_index(r->payload, i);
		bag_manifest_add(manifest, f->sha256, f->bag_path);
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, tmp);
		goto out;
	}
	/* Entries carry the bagging day, not the second: equal input, equal bytes. */
	GDateTime *day = g_date_time_new_utc(atoi(r->bagging_date), atoi(r->bagging_date + 5),
	                                     atoi(r->bagging_date + 8), 0, 0, 0);
	time_t mtime = (time_t)g_date_time_to_unix(day);
	g_date_time_unref(day);
	if (!(w = bag_writer_new(fd, r->id, mtime, err)))
		goto out;
	static const char bagit[] = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n";
	if (!bag_writer_add_bytes(w, "bagit.txt", bagit, strlen(bagit), err) ||
	    !bag_writer_add_bytes(w, "bag-info.txt", bag_info, strlen(bag_info), err) ||
	    !bag_writer_add_bytes(w, "manifest-sha256.txt", manifest->str, manifest->len, err) ||
	    !bag_writer_add_bytes(w, "metadata/release.json", release_json, strlen(release_json), err) ||
	    !bag_writer_add_bytes(w, "metadata/dc.xml", dc, strlen(dc), err))
		goto out;
	for (guint i = 0; i < r->pdfs->len; i++) {
		pdf_record *pdf = g_ptr_array_index(r->pdfs, i);
		char *xmp = metadata_xmp(r, pdf);
		char *path = g_strdup_printf("metadata/%s.xmp", pdf->rel);
		bool added = bag_writer_add_bytes(w, path, xmp, strlen(xmp), err);
		g_free(xmp);
		g_free(path);
		if (!added)
			goto out;
	}
	for (guint i = 0; i < r->payload->len; i++) {
		payload_file *f = g_ptr_array_index(r->payload, i);
		if (!bag_writer_add_file_tail(w, f->bag_path, f->src, f->tail, f->sha256, f->size,
		                              packing_of(f), err))
			goto out;
	}
	if (!bag_writer_finish(w, err))
		goto out;
	/* Writeback starts here, where releases are prepared side by side,
	 * without waiting for it: store_publish_bundle's fsync in the
	 * committing parent, a few releases later, then finds little or
	 * nothing left to write, and this worker goes on to the next release
	 * instead of waiting on the disk. */
	if (sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE) != 0 && errno != ENOSYS) {
		arc_set_errno(err, ARC_ERROR_STORE, errno, tmp);
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		arc_set_errno(err, ARC_ERROR_STORE, errno, tmp);
		goto out;
	}
	fd = -1;
	/* The writer hashed the bytes as it wrote them: no second read. */
	bag_writer_digest(w, p->bundle_sha256, &size);
	bag_writer_tagmanifest_digest(w, p->tagmanifest_sha256);
	p->bundle_size = (int64_t)size;
	p->bundle = g_steal_pointer(&tmp);
	p->release_json = g_steal_pointer(&release_json);
	ok = true;
out:
	/* The bag writer says "write: No space left on device"; name the
	 * file, so that it is clear which disk is full (the store's). */
	if (!ok && err && *err && (*err)->domain == ARC_ERROR && (*err)->code == ARC_ERROR_STORE &&
	    !strstr((*err)->message, tmp))
		g_prefix_error(err, "%s: ", tmp);
	if (fd >= 0)
		close(fd);
	bag_writer_free(w);
	g_free(bag_info);
	g_free(release_json);
	g_free(dc);
	g_string_free(manifest, TRUE);
	g_free(tmp);
	return ok;
}

/*
 * input.file for a file that changed or vanished between its first read
 * and packing. The bag writer names it by its input path; the check names
 * it as every other check does, by its name in the release.
 */
static void changed_input(release_record *r, const release_input *in, const GError *e)
{
	const input_file *hit = NULL;
	const char *why = e->message;
	GPtrArray *files = g_ptr_array_new();
	if (in->doc)
		g_ptr_array_add(files, in->doc);
	for (guint i = 0; i < in->attachments->len; i++)
		g_ptr_array_add(files, g_ptr_array_index(in->attachments, i));
	for (guint i = 0; i < files->len && !hit; i++) {
		const input_file *f = g_ptr_array_index(files, i);
		const char *rest = reason_of(e, f->path);
		if (rest != e->message) {
			hit = f;
			why = rest;
		}
	}
	g_ptr_array_unref(files);
	if (!hit)
		check_add(r->checks, "input.file", CHECK_LEVEL_ERROR, false, NULL, "%s", why);
	else if (strcmp(why, g_strerror(ENOENT)) == 0)
		check_add(r->checks, "input.file", CHECK_LEVEL_ERROR, false, hit->rel,
		          "%s: vanished while being archived", hit->rel);
	else
		check_add(r->checks, "input.file", CHECK_LEVEL_ERROR, false, hit->rel, "%s: %s",
		          hit->rel, why);
}

static bool name_is_utf8(const input_file *f)
{
	return g_utf8_validate(f->rel, -1, NULL);
}

/* Does e name a file of the release (the bag writer names the file it
 * was reading)? */
static bool names_input(const release_input *in, const GError *e)
{
	if (in->doc && reason_of(e, in->doc->path) != e->message)
		return true;
	for (guint i = 0; i < in->attachments->len; i++) {
		const input_file *f = g_ptr_array_index(in->attachments, i);
		if (reason_of(e, f->path) != e->message)
			return true;
	}
	return false;
}

/* An error about one input file is the release's problem (it goes to
 * quarantine); anything else stops the run. */
static bool input_problem(GError *e)
{
	return e && e->domain == ARC_ERROR && e->code == ARC_ERROR_INPUT;
}

/* The 32 bytes of a SHA-256 in hex; false when hex is not one. */
static bool sha256_bytes(const char *hex, guint8 out[32])
{
	for (int i = 0; i < 32; i++) {
		int hi = g_ascii_xdigit_value(hex[2 * i]);
		int lo = hi < 0 ? -1 : g_ascii_xdigit_value(hex[2 * i + 1]);
		if (lo < 0)
			return false;
		out[i] = (guint8)(hi << 4 | lo);
	}
	return hex[64] == '\0';
}

static int cmp32(const void *a, const void *b) { return memcmp(a, b, 32); }

static bool add_known(catalog_bundle *b, void *arg, GError **err)
{
	(void)err;
	guint8 h[32];
	if (b->content_sha256 && sha256_bytes(b->content_sha256, h))
		g_array_append_vals(arg, h, 1);
	return true;
}

bool ingest_snapshot_known(ingester *g, GError **err)
{
	g->known = g_array_new(FALSE, FALSE, 32);
	if (g->catalog && !catalog_each(g->catalog, add_known, g->known, err))
		return false;
	if (g->known->len > 1) /* qsort and bsearch want an array, never NULL */
		qsort(g->known->data, g->known->len, 32, cmp32);
	return true;
}

void ingest_forget_known(ingester *g)
{
	if (g->known)
		g_array_unref(g->known);
	g->known = NULL;
}

/* Is a bundle with this content in the store? Its id in *id, except in
 * a release worker, which has only the content hashes the parent copied
 * before the workers started (an SQLite connection must not cross fork)
 * and leaves the id to ingest_commit; what the run itself archived since,
 * ingest_commit finds. False with err when the catalog cannot say. */
static bool known_content(ingester *g, const char *content_sha256, char **id, GError **err)
{
	*id = NULL;
	if (g->known) {
		guint8 h[32];
		return g->known->len && sha256_bytes(content_sha256, h) &&
		       bsearch(h, g->known->data, g->known->len, 32, cmp32);
	}
	/* No catalog: a dry run where there is no store yet. */
	if (g->catalog)
		*id = catalog_find_content(g->catalog, content_sha256, err);
	return *id;
}

/* Everything up to a finished bundle (or a decision to quarantine), in
 * p. Returns false only when the run cannot go on. */
bool ingest_prepare(ingester *g, const release_input *in, prepared *p, GError **err)
{
	bool ok = false;
	release_doc *doc = NULL;
	GError *e = NULL;
	const input_file *unreadable = NULL; /* the file being read when reading failed */
	release_record *r = release_record_new();
	memset(p, 0, sizeof *p);
	p->record = r;

	if (!(p->work = store_make_tmpdir(g->store, err)))
		goto out;
	const char *work = p->work;

	/* input.file: links, FIFOs and devices are refused, never read. */
	for (guint i = 0; i < in->refused->len; i++) {
		const input_file *f = g_ptr_array_index(in->refused, i);
		check_add(r->checks, "input.file", CHECK_LEVEL_ERROR, false, f->rel,
		          "%s: is a %s; links, devices and FIFOs are never followed or read", f->rel,
		          input_kind_name(f->kind));
	}

	/* The release document. */
	if (!in->doc) {
		check_add(r->checks, "release.readable", CHECK_LEVEL_ERROR, false, NULL,
		          "%s: no release document (.txt, .html or .htm) at its top level", in->source);
	} else {
		char *bytes = NULL;
		size_t len = 0;
		if (read_doc(in->doc->path, &bytes, &len, &e))
			doc = release_parse(bytes, len, in->doc->rel, &e);
		g_free(bytes);
		if (doc)
			check_add(r->checks, "release.readable", CHECK_LEVEL_ERROR, true, in->doc->rel,
			          "%s: read as %s", in->doc->rel, doc->encoding);
		else
			check_add(r->checks, "release.readable", CHECK_LEVEL_ERROR, false, in->doc->rel, "%s%s%s",
			          g_str_has_prefix(e->message, in->doc->rel) ? "" : in->doc->rel,
			          g_str_has_prefix(e->message, in->doc->rel) ? "" : ": ", e->message);
		g_clear_error(&e);
	}
	r->doc = doc;

	/* input.file: a name that is not UTF-8 (EUC-KR bytes from a Windows
	 * share) can be no bag path (RFC 8493 §2.1.3); it is left out, named
	 * escaped. */
	guint bad_names = 0;
	GPtrArray *named = g_ptr_array_new();
	if (in->doc)
		g_ptr_array_add(named, in->doc);
	g_ptr_array_extend(named, in->attachments, NULL, NULL);
	for (guint i = 0; i < named->len; i++) {
		const input_file *f = g_ptr_array_index(named, i);
		if (name_is_utf8(f))
			continue;
		char *shown = text_escape(f->rel, true);
		check_add(r->checks, "input.file", CHECK_LEVEL_ERROR, false, shown,
		          "%s: the name is not valid UTF-8 (an EUC-KR or CP949 name?); rename the "
		          "file in UTF-8",
		          shown);
		g_free(shown);
		bad_names++;
	}
	g_ptr_array_unref(named);

	/* Identify and hash every file of the release (first read). */
	if (in->doc && name_is_utf8(in->doc)) {
		char *bp = g_build_filename("data/release", in->doc->rel, NULL);
		payload_file *f = release_record_add_payload(r, bp, in->doc->path, "release");
		g_free(bp);
		unreadable = in->doc;
		if (!hash_file_sha256(f->src, f->sha256, &f->size, &e) ||
		    !(f->mime = filetype_mime(g->ft, f->src, &e)))
			goto input_failed;
	}
	for (guint i = 0; i < in->attachments->len; i++) {
		const input_file *a = g_ptr_array_index(in->attachments, i);
		if (!name_is_utf8(a))
			continue;
		char *bp = g_build_filename("data/attachments", a->rel, NULL);
		payload_file *f = release_record_add_payload(r, bp, a->path, "attachment");
		g_free(bp);
		unreadable = a;
		hash_ctx *running = NULL; /* a PDF's access copy goes on from it */
		if (!hash_file_sha256_keep(f->src, f->sha256, &f->size, &running, &e) ||
		    !(f->mime = filetype_mime(g->ft, f->src, &e))) {
			hash_free(running);
			goto input_failed;
		}
		bool by_content = strcmp(f->mime, "application/pdf") == 0 || pdf_has_header(f->src);
		if (name_is_pdf(a->rel)) {
			if (f->size == 0)
				check_add(r->checks, "attachment.type", CHECK_LEVEL_ERROR, false, a->rel,
				          "%s: is empty, not a PDF", a->rel);
			else if (!pdf_has_header(f->src))
				check_add(r->checks, "attachment.type", CHECK_LEVEL_ERROR, false, a->rel,
				          "%s: named .pdf but is not a PDF: no %%PDF- header in its first "
				          "1024 bytes (libmagic: %s)",
				          a->rel, f->mime);
			else
				check_add(r->checks, "attachment.type", CHECK_LEVEL_ERROR, true, a->rel,
				          "%s: a PDF (%s)", a->rel, f->mime);
		}
		if (by_content && f->size > 0) {
			pdf_record *pdf = g_new0(pdf_record, 1);
			pdf->rel = g_strdup(a->rel);
			pdf->src = g_strdup(a->path);
			pdf->src_hash = g_steal_pointer(&running);
			g_ptr_array_add(r->pdfs, pdf);
		} else if (!by_content && f->size > 0) {
			doc_format fmt = doc_sniff(f->src);
			/* Every compound file looks alike at its start: a Word .doc
			 * or an .msg goes to no HWP reader unless libmagic or its
			 * name says HWP (then a damaged one gets document.text). */
			if (fmt == DOC_HWP && strcmp(f->mime, "application/x-hwp") != 0 &&
			    !g_str_has_suffix(a->rel, ".hwp") && !g_str_has_suffix(a->rel, ".HWP"))
				fmt = DOC_NONE;
			/* libmagic calls HWPX a zip; its mimetype entry says what it is. */
			if (fmt == DOC_HWPX) {
				g_free(f->mime);
				f->mime = g_strdup("application/hwp+zip");
			}
			if (fmt != DOC_NONE) {
				doc_record *d = g_new0(doc_record, 1);
				d->rel = g_strdup(a->rel);
				d->src = g_strdup(a->path);
				d->info.format = fmt;
				g_ptr_array_add(r->docs, d);
			}
		}
		hash_free(running); /* not a PDF's */
	}

	/*
	 * A PDF gets two files named after it, <name>.txt and <name>.xmp; a
	 * name longer than NAME_MAX - 4 bytes would make those 256 bytes or
	 * more, and a bundle that neither tar nor extract can unpack. Refused,
	 * not renamed: the bundle's names are the SPEC's.
	 */
	bool names_fit = true;
	for (guint i = 0; i < r->pdfs->len; i++) {
		const pdf_record *pdf = g_ptr_array_index(r->pdfs, i);
		const char *base = strrchr(pdf->rel, '/');
		base = base ? base + 1 : pdf->rel;
		if (strlen(base) + strlen(".xmp") > NAME_MAX) {
			names_fit = false;
			check_add(r->checks, "input.file", CHECK_LEVEL_ERROR, false, pdf->rel,
			          "%s: a PDF name of %zu bytes is too long: its text and XMP files "
			          "(name + \".txt\", \".xmp\") would exceed %d bytes, which no file "
			          "system can unpack; rename it to at most %d bytes",
			          pdf->rel, strlen(base), NAME_MAX, NAME_MAX - 4);
		}
	}

	for (guint i = 0; i < r->docs->len; i++) {
		const doc_record *d = g_ptr_array_index(r->docs, i);
		const char *base = strrchr(d->rel, '/');
		base = base ? base + 1 : d->rel;
		if (strlen(base) + strlen(".txt") > NAME_MAX) {
			names_fit = false;
			check_add(r->checks, "input.file", CHECK_LEVEL_ERROR, false, d->rel,
			          "%s: a document name of %zu bytes is too long: its text file "
			          "(name + \".txt\") would exceed %d bytes, which no file system can "
			          "unpack; rename it to at most %d bytes",
			          d->rel, strlen(base), NAME_MAX, NAME_MAX - 4);
		}
	}

	/* Every file was read: input.file passes unless something was refused. */
	if (in->refused->len == 0 && names_fit && bad_names == 0)
		check_add(r->checks, "input.file", CHECK_LEVEL_ERROR, true, NULL,
		          "only regular files, every one readable (no links, devices or FIFOs)");

	/* Extract each PDF's text in a worker (second read, by poppler). */
	for (guint i = 0; i < r->pdfs->len; i++)
		if (!extract_pdf(g, r, g_ptr_array_index(r->pdfs, i), work, i, err))
			goto out;

	/* And each HWP, HWPX and ODT attachment's, in the document worker.
	 * HWP 3 is recognised, not read: no worker for it. */
	for (guint i = 0; i < r->docs->len; i++) {
		doc_record *d = g_ptr_array_index(r->docs, i);
		if (d->info.format == DOC_HWP3)
			d->text_error = g_strdup("HWP 3, a format this tool does not read (kept byte-exact)");
		else if (!extract_doc(g, r, d, work, i, err))
			goto out;
	}

	release_decide(&g->policy, r, in);

	check_list_sort(r->checks, check_order);

	/* The id; identical content already in the store is not archived twice. */
	content_hash(r);
	r->id = bundle_id_make(r->date, r->title, r->content_sha256);
	GError *unknown = NULL;
	if (known_content(g, r->content_sha256, &p->existing, &unknown)) {
		p->kind = PREP_ALREADY;
		ok = true;
		goto out;
	}
	if (unknown) {
		/* Not knowing is not "not there": it would be archived twice. */
		g_propagate_error(err, unknown);
		goto out;
	}

	if ((check_list_has_error(r->checks) && !g->opts.force) || !r->license)
		goto quarantine;

	/* The payload we make: normalised text, extracted texts, access copies. */
	char *text = g_build_filename(work, "release.txt", NULL);
	bool made = add_made_text(r, "data/text/release.txt", text, doc ? doc->text : "", err);
	g_free(text);
	for (guint i = 0; made && i < r->pdfs->len; i++) {
		pdf_record *pdf = g_ptr_array_index(r->pdfs, i);
		char *bp = g_strdup_printf("data/text/attachments/%s.txt", pdf->rel);
		made = !pdf->opened || add_made_file(r, bp, pdf->text_path, "text", "text/plain", err);
		g_free(bp);
	}
	for (guint i = 0; made && i < r->docs->len; i++) {
		doc_record *d = g_ptr_array_index(r->docs, i);
		char *bp = g_strdup_printf("data/text/attachments/%s.txt", d->rel);
		made = !d->text_path || add_made_file(r, bp, d->text_path, "text", "text/plain", err);
		g_free(bp);
	}
	for (guint i = 0; made && i < r->pdfs->len; i++) {
		pdf_record *pdf = g_ptr_array_index(r->pdfs, i);
		if (pdf->opened)
			made = stamp_pdf(g, r, pdf, work, err);
	}
	if (!made)
		goto out;

	if (g->opts.dry_run) {
		p->kind = PREP_DRY_RUN;
		ok = true;
		goto out;
	}
	for (guint i = 0; i < r->payload->len; i++) {
		payload_file *f = g_ptr_array_index(r->payload, i);
		if (!strcmp(f->role, "release") || !strcmp(f->role, "attachment"))
			testhook_input_file(f->src);
	}
	if (!make_bundle(r, p, &e)) {
		/* A file of the release that changed or vanished is the
		 * release's problem; one of ours in the work folder that cannot
		 * be read (EIO) is the store's. */
		if (input_problem(e) && names_input(in, e)) {
			/* A file changed or vanished while being archived. */
			check_list_drop_passed(r->checks, "input.file");
			changed_input(r, in, e);
			g_clear_error(&e);
			goto quarantine;
		}
		e->code = ARC_ERROR_STORE;
		g_propagate_error(err, e);
		goto out;
	}
	p->kind = PREP_BUNDLE;
	ok = true;
	goto out;

input_failed:
	/* A file of the release could not be read (vanished, no permission). */
	check_add(r->checks, "input.file", CHECK_LEVEL_ERROR, false, unreadable->rel,
	          "%s: cannot be read: %s", unreadable->rel, reason_of(e, unreadable->path));
	g_clear_error(&e);
	if (!r->title)
		release_decide_fields(&g->policy, r);
quarantine:
	if (g->opts.dry_run) {
		p->kind = PREP_DRY_QUARANTINE;
	} else {
		p->kind = PREP_QUARANTINE;
		p->reason_json = metadata_reason_json(r, in->source);
	}
	ok = true;
out:
	if (!ok && p->work) {
		disk_remove_tree(p->work);
		g_clear_pointer(&p->work, g_free);
	}
	return ok;
}

/* Publish or quarantine, and record it, in the parent, in input order.
 * res takes the record; p is cleared (its work folder removed). */
bool ingest_commit(ingester *g, const release_input *in, prepared *p, ingest_result *res,
                   GError **err)
{
	bool ok = false;
	release_record *r = p->record;
	memset(res, 0, sizeof *res);
	res->record = g_steal_pointer(&p->record);
	res->id = g_strdup(r->id);
	char *existing = NULL;
	GError *unknown = NULL;
	switch (p->kind) {
	case PREP_BUNDLE:
		/* An earlier release of this same run may have had the same
		 * content: prepared side by side, neither could know. */
		if ((existing = catalog_find_content(g->catalog, r->content_sha256, &unknown)))
			goto already;
		if (unknown) {
			g_propagate_error(err, unknown);
			break;
		}
		ok = store_publish_bundle(g->store, p->bundle, r->id, p->bundle_sha256, &res->path, err) &&
		     record_ingest(g, r, p, err);
		res->status = INGEST_ARCHIVED;
		break;
	case PREP_ALREADY:
		/* From a release worker, which knew the content, not its id. */
		if (!(existing = g_steal_pointer(&p->existing)) &&
		    !(existing = catalog_find_content(g->catalog, r->content_sha256, err))) {
			if (err && !*err)
				g_set_error(err, ARC_ERROR, ARC_ERROR_STORE,
				            "catalog.sqlite: no longer lists the bundle holding %s",
				            r->content_sha256);
			break;
		}
	already:
		g_free(res->id);
		res->id = existing;
		res->path = store_bundle_path(g->store, existing);
		res->status = INGEST_ALREADY_ARCHIVED;
		ok = true;
		break;
	case PREP_QUARANTINE:
		ok = store_quarantine(g->store, in, p->reason_json, &res->path, err) &&
		     record_quarantine(g, r, in, res->path, err);
		res->status = INGEST_QUARANTINED;
		break;
	case PREP_DRY_RUN:
		res->status = INGEST_DRY_RUN;
		ok = true;
		break;
	case PREP_DRY_QUARANTINE:
		res->status = INGEST_QUARANTINED;
		ok = true;
		break;
	}
	prepared_clear(p);
	return ok;
}

bool ingest_release(ingester *g, const release_input *in, ingest_result *res, GError **err)
{
	prepared p;
	memset(res, 0, sizeof *res);
	if (!ingest_prepare(g, in, &p, err)) {
		prepared_clear(&p);
		return false;
	}
	return ingest_commit(g, in, &p, res, err);
}

