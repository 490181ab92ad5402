/*
 * core/errors.h — the one error domain of the library modules.
 *
 * Library functions report failure as a GError in ARC_ERROR whose message
 * already names the file and the reason ("x.pdf: not a PDF"). The code tells
 * the command how to exit: an INPUT error fails one item (exit 1), a STORE
 * error stops the run (exit 3), LOCKED is exit 75.
 */
#ifndef ARC_ERRORS_H
#define ARC_ERRORS_H

#include <glib.h>

#define ARC_ERROR (arc_error_quark())
GQuark arc_error_quark(void);

typedef enum {
	ARC_ERROR_INPUT,   /* a bad input item: that item fails, the run goes on */
	ARC_ERROR_STORE,   /* the store or the machine: the run cannot proceed */
	ARC_ERROR_LOCKED,  /* another run holds the store lock */
	ARC_ERROR_USAGE,   /* a bad value given by the user */
} ArcErrorCode;

/* Exit codes of every command (SPEC, "Exit codes"). */
enum {
	EXIT_OK = 0,
	EXIT_ITEM_FAILED = 1,
	EXIT_USAGE = 2,
	EXIT_CANNOT_PROCEED = 3,
	EXIT_LOCKED = 75,
};

/* Set *err from errno: "<what>: <strerror(errno)>", code STORE or INPUT. */
void arc_set_errno(GError **err, ArcErrorCode code, int errnum, const char *what);

#endif
