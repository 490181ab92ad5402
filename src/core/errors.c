/* errors.c — the ARC_ERROR domain. */
#include "core/errors.h"

#include <string.h>

G_DEFINE_QUARK(arc-error-quark, arc_error)

void arc_set_errno(GError **err, ArcErrorCode code, int errnum, const char *what)
{
	g_set_error(err, ARC_ERROR, code, "%s: %s", what, g_strerror(errnum));
}
