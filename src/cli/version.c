/*
 * cli/version.c — `archive --version`: this tool's version and the
 * libraries it runs with.
 */
#include "cli/cli.h"

#include <archive.h>
#include <curl/curl.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>
#include <magic.h>
#include <poppler.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>
#include <openssl/crypto.h>

void cli_print_version(void)
{
	/* The libraries as loaded at run time, not as compiled against: what
	 * an auditor needs to reproduce a result. */
	printf("archive %s\n", ARCHIVE_VERSION);
	printf("poppler-glib %s\n", poppler_get_version());
	printf("%s\n", archive_version_string());
	printf("libmagic %d.%02d\n", magic_version() / 100, magic_version() % 100);
	printf("zlib %s\n", zlibVersion());
	printf("SQLite %s\n", sqlite3_libversion());
	printf("%s\n", OpenSSL_version(OPENSSL_VERSION));
	printf("GLib %u.%u.%u\n", glib_major_version, glib_minor_version, glib_micro_version);
	/* json-glib has no run-time version call: the one built against. */
	printf("json-glib %d.%d.%d\n", JSON_MAJOR_VERSION, JSON_MINOR_VERSION, JSON_MICRO_VERSION);
	int xv = atoi(xmlParserVersion); /* "21004" */
	printf("libxml2 %d.%d.%d\n", xv / 10000, xv / 100 % 100, xv % 100);
	printf("libcurl %s\n", curl_version_info(CURLVERSION_NOW)->version);
}

