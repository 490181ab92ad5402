# archive — build, test, install.
#   make                 build build/archive
#   make check           build with ASan+UBSan into build/san and run the whole suite
#   make install PREFIX=/usr/local DESTDIR=   (binary, man page, bash completion)
#   make fuzz            build the libFuzzer targets (clang) into build/fuzz
#   make fuzz-run FUZZ_SECONDS=N   run each for N seconds on fuzz/corpus/<target>
#   make bench           ingest and verify against the shell pipeline (scripts/bench)
#   make bench-scale     store-wide commands at 2,000 and 20,000 bundles (scripts/bench-scale;
#                        BENCH_SCALE_SIZES="200 2000" for other sizes)
.SUFFIXES:

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
VERSION  = 0.1.0

PKGS    = poppler-glib libarchive libmagic zlib glib-2.0 gio-2.0 json-glib-1.0 libxml-2.0 libcrypto sqlite3 libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
# TEST_HOOKS=1: the test build, with the crash points and hostile-input
# hooks of core/testhook.h; `make check` builds that, `make` never does.
CPPFLAGS_ALL = -D_GNU_SOURCE -DARCHIVE_VERSION='"$(VERSION)"' $(if $(TEST_HOOKS),-DARCHIVE_TEST_HOOKS) \
               -Iinclude $(PKG_CFLAGS)
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

# The library (what archive does: src/<layer>/, no argv, no printing) and
# the tool (how a user asks: src/main.c, src/cli/, src/cmd/). Unit tests
# link the library alone.
LAYERS   = core release pdf doc bag log store ingest
LIB_SRC  = $(foreach d,$(LAYERS),$(wildcard src/$(d)/*.c))
TOOL_SRC = src/main.c $(wildcard src/cli/*.c) $(wildcard src/cmd/*.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
HDRS     = $(wildcard include/*/*.h) $(wildcard src/*/*.h) $(wildcard tests/unit/*.h)

# $(B) is the build directory: build/ for the release build, build/san/ for tests.
B ?= build
LIB_OBJ  = $(LIB_SRC:src/%.c=$(B)/obj/%.o)
TOOL_OBJ = $(TOOL_SRC:src/%.c=$(B)/obj/%.o)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

all: $(B)/archive

# Quiet unless V=1: one line a file, so that a warning stands out.
Q = $(if $(V),,@)
$(B)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(if $(V),,@echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -c -o $@ $<

$(B)/libarchivetool.a: $(LIB_OBJ)
	@rm -f $@
	$(if $(V),,@echo "  AR      $@")
	$(Q)ar rcs $@ $(LIB_OBJ)

$(B)/archive: $(TOOL_OBJ) $(B)/libarchivetool.a
	$(if $(V),,@echo "  LINK    $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(TOOL_OBJ) $(B)/libarchivetool.a $(PKG_LIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libarchivetool.a $(HDRS)
	@mkdir -p $(@D)
	$(if $(V),,@echo "  LINK    $@")
	$(Q)$(CC) $(CPPFLAGS_ALL) -Itests/unit $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libarchivetool.a $(PKG_LIBS)

# The I/O-fault shim of tests/e2e/faults.sh (tests/shim/fault.c), an
# LD_PRELOAD library: built without the sanitizers, whatever the build.
$(B)/libfault.so: tests/shim/fault.c
	@mkdir -p $(@D)
	$(if $(V),,@echo "  CC      $@")
	$(Q)$(CC) $(WARN) -O1 -g -fPIC -shared -o $@ $<

# Fixture PDF generator (cairo); the PDFs it makes are committed in fixtures/.
$(B)/mkpdf: scripts/mkpdf.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $$(pkg-config --cflags cairo) -o $@ $< $$(pkg-config --libs cairo)

# Fuzz targets (fuzz/fuzz_<name>.c, see fuzz/fuzz.h). In an ordinary build
# each is linked with fuzz/replay.c, a main() that replays its corpus
# (tests/e2e/fuzz_corpus.sh); `make fuzz` links them with libFuzzer.
FUZZ_SRC     = $(wildcard fuzz/fuzz_*.c)
FUZZ_NAMES   = $(FUZZ_SRC:fuzz/%.c=%)
FUZZ_REPLAY  = $(FUZZ_NAMES:%=$(B)/fuzz/replay_%)
FUZZ_HDRS    = fuzz/fuzz.h $(HDRS)

$(B)/fuzz/replay_%: fuzz/%.c fuzz/replay.c fuzz/scratch.c $(B)/libarchivetool.a $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(if $(V),,@echo "  LINK    $@")
	$(Q)$(CC) $(CPPFLAGS_ALL) -Ifuzz $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< fuzz/replay.c fuzz/scratch.c $(B)/libarchivetool.a $(PKG_LIBS)

$(B)/fuzz/%: fuzz/%.c fuzz/scratch.c $(B)/libarchivetool.a $(FUZZ_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -Ifuzz $(WARN) $(CFLAGS) -fsanitize=fuzzer -o $@ $< fuzz/scratch.c $(B)/libarchivetool.a $(PKG_LIBS)

fuzz-targets: $(FUZZ_NAMES:%=$(B)/fuzz/%)

units: $(UNIT_BIN) $(FUZZ_REPLAY)

# SAN_B: where the sanitizer build goes (several worktrees or people can
# build side by side with their own).
SAN_B ?= build/san

san:
	$(MAKE) B=$(SAN_B) TEST_HOOKS=1 CFLAGS="$(SANFLAGS)" LDFLAGS="-fsanitize=address,undefined" $(SAN_B)/archive units
	$(MAKE) B=$(SAN_B) $(SAN_B)/mkpdf $(SAN_B)/libfault.so

check: san
	ARCHIVE_BUILD=$(SAN_B) sh tests/run

FUZZ_B ?= build/fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZFLAGS = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined

fuzz:
	$(MAKE) B=$(FUZZ_B) CC=$(FUZZ_CC) CFLAGS="$(FUZZFLAGS) -fsanitize=fuzzer-no-link" fuzz-targets

# Each target in turn for FUZZ_SECONDS, seeded from fuzz/corpus/<target>
# (read only: what the run finds stays in build/fuzz/work/<target>; merge
# into the seeds by hand with -merge=1 when worth keeping). Crashes go to
# build/fuzz/crashes/; each one becomes a file of fuzz/corpus/<target>.
fuzz-run: fuzz
	@mkdir -p $(FUZZ_B)/crashes
	set -e; for t in $(FUZZ_NAMES); do \
		rm -rf $(FUZZ_B)/work/$$t && mkdir -p $(FUZZ_B)/work/$$t; \
		ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
		$(FUZZ_B)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=2048 -timeout=30 \
			-artifact_prefix=$(FUZZ_B)/crashes/$$t- $(FUZZ_B)/work/$$t fuzz/corpus/$$t; \
	done

fixtures: $(B)/mkpdf
	sh scripts/make-fixtures $(B)/mkpdf

# Benchmarks against the shell pipeline (scripts/bench); not part of check.
bench: $(B)/archive $(B)/mkpdf
	ARCHIVE=$(B)/archive MKPDF=$(B)/mkpdf sh scripts/bench $(BENCH_SIZES)

# Time and peak RSS of the store-wide commands as the store grows
# (scripts/bench-scale, issue 18); not part of check.
bench-scale: $(B)/archive $(B)/mkpdf
	ARCHIVE=$(B)/archive MKPDF=$(B)/mkpdf sh scripts/bench-scale $(BENCH_SCALE_SIZES)

install: $(B)/archive
	mkdir -p $(DESTDIR)$(BINDIR)
	cp $(B)/archive $(DESTDIR)$(BINDIR)/archive.tmp
	chmod 755 $(DESTDIR)$(BINDIR)/archive.tmp
	mv -f $(DESTDIR)$(BINDIR)/archive.tmp $(DESTDIR)$(BINDIR)/archive
	mkdir -p $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(BASHCOMPDIR)
	cp man/archive.1 $(DESTDIR)$(MANDIR)/man1/archive.1
	chmod 644 $(DESTDIR)$(MANDIR)/man1/archive.1
	cp completion/archive.bash $(DESTDIR)$(BASHCOMPDIR)/archive
	chmod 644 $(DESTDIR)$(BASHCOMPDIR)/archive

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/archive $(DESTDIR)$(MANDIR)/man1/archive.1 \
	      $(DESTDIR)$(BASHCOMPDIR)/archive

clean:
	rm -rf build

.PHONY: all units san check fuzz fuzz-run fuzz-targets fixtures bench bench-scale install uninstall clean
