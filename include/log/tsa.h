/*
 * log/tsa.h — RFC 3161 time-stamps of the log's checkpoints (SPEC,
 * "Transparency log": `[log] tsa = URL`).
 *
 * A TimeStampReq over the SHA-256 of some bytes (a checkpoint note, as
 * stored), with a fresh nonce and cert_req set, is POSTed to the TSA
 * (libcurl, Content-Type application/timestamp-query); its TimeStampResp is
 * checked here only for what binds it to this request: the status granted,
 * the token's message imprint that hash and its nonce ours. The TSA's
 * signature and certificate chain are not checked: which CA to trust is the
 * auditor's choice, made with `openssl ts -verify -CAfile`.
 */
#ifndef ARC_TSA_H
#define ARC_TSA_H

#include <stdbool.h>
#include <stddef.h>
#include <glib.h>

/* The largest reply read from a TSA; past it the request fails. */
#define TSA_REPLY_MAX (1024 * 1024)
/* Seconds a request may take, connecting included. */
#define TSA_TIMEOUT 10

/* A time-stamp of data[0..len) from the TSA at url: the TimeStampResp,
 * DER, as the TSA sent it (one whole DER object, nothing after it), in a
 * GBytes the caller unrefs. Only http and https, redirects included.
 * Errors: ARC_ERROR_STORE, "tsa URL: reason" (curl's message, the HTTP
 * status, or the TSA's status and text). */
GBytes *tsa_timestamp(const char *url, const void *data, size_t len, GError **err);

/* Is reply (a TimeStampResp, DER) a granted time-stamp whose message
 * imprint is the SHA-256 of data[0..len)? Its signature is not checked. */
bool tsa_reply_covers(GBytes *reply, const void *data, size_t len);

#endif
