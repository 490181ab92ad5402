/* Unit tests: core/disk — removing a tree never reaches outside it, and
 * says why when it cannot remove it all. */
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include "unit.h"
#include "core/disk.h"
#include "core/errors.h"
#include "core/testhook.h"

static char *path_in(const char *dir, const char *rel) { return g_build_filename(dir, rel, NULL); }

static void put(const char *dir, const char *rel, const char *text)
{
	char *p = path_in(dir, rel), *parent = g_path_get_dirname(p);
	g_mkdir_with_parents(parent, 0755);
	g_file_set_contents(p, text, -1, NULL);
	g_free(parent);
	g_free(p);
}

static bool exists(const char *dir, const char *rel)
{
	char *p = path_in(dir, rel);
	struct stat st;
	bool yes = lstat(p, &st) == 0;
	g_free(p);
	return yes;
}

typedef struct {
	const char *victim; /* the directory to swap, when the walk is about to open it */
	const char *aside;  /* where it goes */
	const char *target; /* what the link put in its place points to */
	int fail_with;      /* or: this errno for its open */
	int calls;
} swap_hook;

static int swap_dir(const char *path, void *arg)
{
	swap_hook *h = arg;
	if (strcmp(path, h->victim) != 0)
		return 0;
	h->calls++;
	if (h->fail_with)
		return h->fail_with;
	if (rename(path, h->aside) != 0 || symlink(h->target, path) != 0)
		fprintf(stderr, "swap %s: %s\n", path, g_strerror(errno));
	return 0;
}

/* The directory is swapped for a link to a folder outside the tree after
 * the walk saw a directory and before it opened it: the link is removed,
 * never followed, and nothing outside is touched. */
TEST(remove_tree_never_follows_a_swapped_link)
{
	char *d = unit_tmpdir();
	char *tree = path_in(d, "tree"), *outside = path_in(d, "outside");
	char *victim = path_in(tree, "a"), *aside = path_in(d, "aside");
	put(tree, "a/f", "in the tree");
	put(tree, "z", "in the tree");
	put(outside, "keep", "outside");
	put(outside, "sub/keep", "outside");
	swap_hook h = { victim, aside, outside, 0, 0 };
	testhook_set_dir_open(swap_dir, &h);
	disk_remove_tree(tree);
	testhook_set_dir_open(NULL, NULL);
	EXPECT_INT(h.calls, 1);
	EXPECT(!exists(d, "tree"));
	EXPECT(exists(d, "outside/keep") && exists(d, "outside/sub/keep"));
	g_free(tree);
	g_free(outside);
	g_free(victim);
	g_free(aside);
	g_free(d);
}

/* A folder that cannot be opened is named with the reason; the rest of
 * the tree is removed all the same, and a path not there is no error. */
TEST(remove_tree_says_what_it_cannot_remove)
{
	char *d = unit_tmpdir();
	char *tree = path_in(d, "tree"), *locked = path_in(tree, "locked");
	GError *e = NULL;
	put(tree, "locked/f", "x");
	put(tree, "other/f", "x");
	put(tree, "z", "x");
	/* chmod 000 where it holds; root reads anyway, so there the hook
	 * fails the open as EACCES. */
	swap_hook h = { locked, NULL, NULL, EACCES, 0 };
	bool as_root = geteuid() == 0;
	if (as_root)
		testhook_set_dir_open(swap_dir, &h);
	else
		chmod(locked, 0);
	EXPECT(!disk_remove_tree_checked(tree, &e));
	testhook_set_dir_open(NULL, NULL);
	chmod(locked, 0755);
	EXPECT(!as_root || h.calls >= 1);
	EXPECT(e && e->code == ARC_ERROR_STORE && strstr(e->message, locked) &&
	       strstr(e->message, g_strerror(EACCES)));
	g_clear_error(&e);
	EXPECT(exists(d, "tree/locked/f"));
	EXPECT(!exists(d, "tree/other") && !exists(d, "tree/z"));
	EXPECT(disk_remove_tree_checked(tree, &e) && !exists(d, "tree"));
	EXPECT(disk_remove_tree_checked(tree, &e));
	char *gone = path_in(d, "no/such/folder");
	EXPECT(disk_remove_tree_checked(gone, &e));
	EXPECT(e == NULL);
	g_clear_error(&e);
	g_free(gone);
	g_free(tree);
	g_free(locked);
	g_free(d);
}

/* A link given as the tree is removed, not what it points to. */
TEST(remove_tree_of_a_link_removes_the_link)
{
	char *d = unit_tmpdir();
	char *lnk = path_in(d, "link"), *outside = path_in(d, "outside");
	GError *e = NULL;
	put(outside, "keep", "x");
	EXPECT(symlink(outside, lnk) == 0);
	char *with_slash = g_strconcat(lnk, "/", NULL);
	EXPECT(disk_remove_tree_checked(with_slash, &e));
	EXPECT(!exists(d, "link") && exists(d, "outside/keep"));
	g_clear_error(&e);
	g_free(with_slash);
	g_free(lnk);
	g_free(outside);
	g_free(d);
}

UNIT_MAIN(remove_tree_never_follows_a_swapped_link, remove_tree_says_what_it_cannot_remove,
          remove_tree_of_a_link_removes_the_link)
