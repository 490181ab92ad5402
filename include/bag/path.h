/*
 * bag/path.h — paths inside a bag: the one check that a path stays inside
 * it (used by the writer, the verifier and extract), and RFC 8493
 * §2.1.3's percent-encoding of manifest paths.
 */
#ifndef ARC_BAG_PATH_H
#define ARC_BAG_PATH_H

#include <glib.h>

/*
 * Why path, relative to a bag (or to the directory a serialisation
 * unpacks into), is not a plain path inside it, or NULL when it is. Every
 * form some system reads as "elsewhere" is refused, since a tool that
 * fetches or unpacks would write where it points: empty, absolute, ".."
 * (also as "..\" which Windows reads), a home directory ("~", "~user"), a
 * Windows drive ("C:"), root or UNC path ("\server"), or environment
 * variable ("%HomeDrive%"); and an empty or "." component ("a//b",
 * "a/./b"), which a reader may drop first (bag_path_normal) but a writer
 * never makes. A trailing "/" (a directory entry) is allowed.
 */
const char *bag_path_problem(const char *path);

/* path without empty and "." components ("./top//x" → "top/x"), or NULL
 * when nothing is left. Caller frees. */
char *bag_path_normal(const char *path);

/* "%" → "%25", CR → "%0D", LF → "%0A", nothing else (a manifest line's
 * path). Caller frees. */
char *bag_encode_path(const char *path);

/* The reverse: "%25", "%0D", "%0A" (any case) decoded, every other "%"
 * kept as it is. Caller frees. */
char *bag_decode_path(const char *path);

#endif
