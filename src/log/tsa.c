/*
 * log/tsa.c — RFC 3161 time-stamps (tsa.h): the request and the check with
 * OpenSSL's TS API, the HTTP POST with libcurl.
 */
#include "log/tsa.h"
#include "core/errors.h"

#include <curl/curl.h>
#include <limits.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <stdarg.h>
#include <string.h>

static void fail(GError **err, const char *url, const char *fmt, ...) G_GNUC_PRINTF(3, 4);
static void fail(GError **err, const char *url, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *m = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	g_set_error(err, ARC_ERROR, ARC_ERROR_STORE, "tsa %s: %s", url, m);
	g_free(m);
}

/* The reason of OpenSSL's last error, or fallback; the queue emptied. */
static const char *ssl_reason(const char *fallback)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;
	ERR_clear_error();
	return r ? r : fallback;
}

/* A request over hash, with a fresh nonce; *der its DER (OPENSSL_free). */
static TS_REQ *make_request(const unsigned char hash[32], unsigned char **der, int *der_len)
{
	TS_REQ *req = TS_REQ_new();
	TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
	X509_ALGOR *alg = X509_ALGOR_new();
	ASN1_INTEGER *nonce = ASN1_INTEGER_new();
	uint64_t n;
	bool ok = req && mi && alg && nonce && RAND_bytes((unsigned char *)&n, sizeof n) == 1 &&
	          X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) &&
	          TS_MSG_IMPRINT_set_algo(mi, alg) && TS_MSG_IMPRINT_set_msg(mi, (unsigned char *)hash, 32) &&
	          TS_REQ_set_version(req, 1) && TS_REQ_set_msg_imprint(req, mi) &&
	          /* 63 bits: a positive INTEGER of at most 8 bytes, as TSAs expect. */
	          ASN1_INTEGER_set_uint64(nonce, n >> 1) && TS_REQ_set_nonce(req, nonce) &&
	          TS_REQ_set_cert_req(req, 1) && (*der_len = i2d_TS_REQ(req, der)) > 0;
	ASN1_INTEGER_free(nonce);
	X509_ALGOR_free(alg);
	TS_MSG_IMPRINT_free(mi);
	if (!ok) {
		TS_REQ_free(req);
		return NULL;
	}
	return req;
}

typedef struct {
	GByteArray *buf;
	bool too_big;
} reply_buf;

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	reply_buf *b = arg;
	size_t len = size * n;
	if (len > TSA_REPLY_MAX - b->buf->len) {
		b->too_big = true;
		return 0; /* curl stops: CURLE_WRITE_ERROR */
	}
	g_byte_array_append(b->buf, (const guint8 *)p, len);
	return len;
}

static gsize curl_ready;

/* POST der to url; the reply's body, or NULL with err. */
static GByteArray *post(const char *url, const unsigned char *der, int der_len, GError **err)
{
	if (g_once_init_enter(&curl_ready)) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		g_once_init_leave(&curl_ready, 1);
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	reply_buf b = { g_byte_array_new(), false };
	struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/timestamp-query");
	hdr = curl_slist_append(hdr, "Accept: application/timestamp-reply");
	CURL *h = curl_easy_init();
	CURLcode rc = CURLE_FAILED_INIT;
	long status = 0;
	if (h && hdr) {
		curl_easy_setopt(h, CURLOPT_URL, url);
		/* A TSA is reached over HTTP(S) only, a redirect too: never file:,
		 * never another scheme a Location could name. */
		curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
		curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
		/* A 301/302 must not turn the POST into a GET. */
		curl_easy_setopt(h, CURLOPT_POSTREDIR, (long)CURL_REDIR_POST_ALL);
		curl_easy_setopt(h, CURLOPT_POST, 1L);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, (const char *)der);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)der_len);
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(h, CURLOPT_USERAGENT, "archive/" ARCHIVE_VERSION);
		curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)TSA_TIMEOUT);
		curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, (long)TSA_TIMEOUT);
		curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)TSA_REPLY_MAX);
		curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
		rc = curl_easy_perform(h);
		curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
	}
	if (rc == CURLE_OK && status != 200) {
		fail(err, url, "HTTP status %ld", status);
	} else if (b.too_big || rc == CURLE_FILESIZE_EXCEEDED) {
		fail(err, url, "a reply larger than %d bytes", TSA_REPLY_MAX);
	} else if (rc != CURLE_OK) {
		fail(err, url, "%s", *errbuf ? errbuf : curl_easy_strerror(rc));
	}
	curl_easy_cleanup(h);
	curl_slist_free_all(hdr);
	if (rc != CURLE_OK || status != 200)
		g_clear_pointer(&b.buf, g_byte_array_unref);
	return b.buf;
}

/* reply parsed as one whole TimeStampResp, or NULL. */
static TS_RESP *parse_reply(const guint8 *data, gsize len)
{
	const unsigned char *p = data;
	TS_RESP *resp = len <= LONG_MAX ? d2i_TS_RESP(NULL, &p, (long)len) : NULL;
	if (resp && p != data + len) {
		TS_RESP_free(resp);
		resp = NULL;
	}
	ERR_clear_error();
	return resp;
}

static const char *status_name(long s)
{
	static const char *const names[] = { "granted", "grantedWithMods", "rejection", "waiting",
		                             "revocationWarning", "revocationNotification" };
	return s >= 0 && s < (long)G_N_ELEMENTS(names) ? names[s] : "unknown status";
}

/* Granted (or granted with modifications)? Else *why says what the TSA
 * said, its status and text. */
static bool granted(TS_RESP *resp, char **why)
{
	TS_STATUS_INFO *si = TS_RESP_get_status_info(resp);
	long s = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(si));
	if (s == TS_STATUS_GRANTED || s == TS_STATUS_GRANTED_WITH_MODS)
		return true;
	GString *m = g_string_new(NULL);
	g_string_append_printf(m, "refused: %s (%ld)", status_name(s), s);
	const STACK_OF(ASN1_UTF8STRING) *text = TS_STATUS_INFO_get0_text(si);
	for (int i = 0; text && i < sk_ASN1_UTF8STRING_num(text); i++) {
		ASN1_UTF8STRING *t = sk_ASN1_UTF8STRING_value(text, i);
		g_string_append_printf(m, "%s%.*s", i ? "; " : ": ", ASN1_STRING_length(t),
		                       (const char *)ASN1_STRING_get0_data(t));
	}
	*why = g_string_free(m, FALSE);
	return false;
}

GBytes *tsa_timestamp(const char *url, const void *data, size_t len, GError **err)
{
	unsigned char hash[32], *der = NULL;
	int der_len = 0;
	TS_REQ *req = NULL;
	TS_RESP *resp = NULL;
	TS_VERIFY_CTX *vctx = NULL;
	GByteArray *body = NULL;
	GBytes *out = NULL;
	char *why = NULL;
	ERR_clear_error();
	if (!EVP_Digest(data, len, hash, NULL, EVP_sha256(), NULL) ||
	    !(req = make_request(hash, &der, &der_len))) {
		fail(err, url, "no time-stamp request made: %s", ssl_reason("out of memory"));
		goto out;
	}
	if (!(body = post(url, der, der_len, err)))
		goto out;
	if (!(resp = parse_reply(body->data, body->len))) {
		fail(err, url, "the reply (%u bytes) is not an RFC 3161 TimeStampResp", body->len);
		goto out;
	}
	if (!granted(resp, &why)) {
		fail(err, url, "%s", why);
		goto out;
	}
	/* Bound to this request: imprint and nonce (and the token's version).
	 * Not the signature: whose CA to trust is the auditor's. */
	if (!(vctx = TS_REQ_to_TS_VERIFY_CTX(req, NULL))) {
		fail(err, url, "%s", ssl_reason("out of memory"));
		goto out;
	}
	TS_VERIFY_CTX_set_flags(vctx, TS_VFY_VERSION | TS_VFY_IMPRINT | TS_VFY_NONCE);
	if (TS_RESP_verify_response(vctx, resp) != 1) {
		fail(err, url, "the time-stamp is not for this request: %s",
		     ssl_reason("it does not match"));
		goto out;
	}
	out = g_byte_array_free_to_bytes(body);
	body = NULL;
out:
	ERR_clear_error();
	g_free(why);
	if (body)
		g_byte_array_unref(body);
	TS_VERIFY_CTX_free(vctx);
	TS_RESP_free(resp);
	TS_REQ_free(req);
	OPENSSL_free(der);
	return out;
}

bool tsa_reply_covers(GBytes *reply, const void *data, size_t len)
{
	gsize n = 0;
	const guint8 *p = g_bytes_get_data(reply, &n);
	TS_RESP *resp = parse_reply(p, n);
	char *why = NULL;
	unsigned char hash[32];
	bool ok = false;
	if (resp && granted(resp, &why) && EVP_Digest(data, len, hash, NULL, EVP_sha256(), NULL)) {
		TS_TST_INFO *tst = TS_RESP_get_tst_info(resp);
		TS_MSG_IMPRINT *mi = tst ? TS_TST_INFO_get_msg_imprint(tst) : NULL;
		X509_ALGOR *alg = mi ? TS_MSG_IMPRINT_get_algo(mi) : NULL;
		ASN1_OCTET_STRING *msg = mi ? TS_MSG_IMPRINT_get_msg(mi) : NULL;
		const ASN1_OBJECT *obj = NULL;
		if (alg)
			X509_ALGOR_get0(&obj, NULL, NULL, alg);
		ok = obj && OBJ_obj2nid(obj) == NID_sha256 && msg && ASN1_STRING_length(msg) == 32 &&
		     memcmp(ASN1_STRING_get0_data(msg), hash, 32) == 0;
	}
	ERR_clear_error();
	g_free(why);
	TS_RESP_free(resp);
	return ok;
}
