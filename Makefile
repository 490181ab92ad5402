# archive — build, test, install.
#   make                 build build/archive
#   make check           build with ASan+UBSan into build/san and run the whole suite
#   make install PREFIX=/usr/local DESTDIR=
.SUFFIXES:

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
VERSION  = 0.1.0

PKGS    = poppler-glib libarchive libmagic zlib glib-2.0 gio-2.0 libxml-2.0 libcrypto sqlite3
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   := $(shell pkg-config --libs $(PKGS))

CC      ?= cc
CFLAGS  ?= -O2 -g
WARN     = -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter
CPPFLAGS_ALL = -D_GNU_SOURCE -DARCHIVE_VERSION='"$(VERSION)"' -Iinclude $(PKG_CFLAGS)
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC  = $(wildcard src/*.c)
CMD_SRC  = $(wildcard src/cmd/*.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)
HDRS     = $(wildcard include/*.h) $(wildcard tests/unit/*.h)

# $(B) is the build directory: build/ for the release build, build/san/ for tests.
B ?= build
LIB_OBJ  = $(LIB_SRC:src/%.c=$(B)/obj/%.o)
CMD_OBJ  = $(CMD_SRC:src/%.c=$(B)/obj/%.o)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

all: $(B)/archive

$(B)/obj/%.o: src/%.c $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) -c -o $@ $<

$(B)/libarchivetool.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $(LIB_OBJ)

$(B)/archive: $(CMD_OBJ) $(B)/libarchivetool.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(CMD_OBJ) $(B)/libarchivetool.a $(PKG_LIBS)

$(B)/tests/%: tests/unit/%.c $(B)/libarchivetool.a $(HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS_ALL) -Itests/unit $(WARN) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libarchivetool.a $(PKG_LIBS)

# Fixture PDF generator (cairo); the PDFs it makes are committed in fixtures/.
$(B)/mkpdf: scripts/mkpdf.c
	@mkdir -p $(@D)
	$(CC) $(WARN) $(CFLAGS) $$(pkg-config --cflags cairo) -o $@ $< $$(pkg-config --libs cairo)

units: $(UNIT_BIN)

# SAN_B: where the sanitizer build goes (several worktrees or people can
# build side by side with their own).
SAN_B ?= build/san

san:
	$(MAKE) B=$(SAN_B) CFLAGS="$(SANFLAGS)" LDFLAGS="-fsanitize=address,undefined" $(SAN_B)/archive units
	$(MAKE) B=$(SAN_B) $(SAN_B)/mkpdf

check: san
	ARCHIVE_BUILD=$(SAN_B) sh tests/run

fixtures: $(B)/mkpdf
	sh scripts/make-fixtures $(B)/mkpdf

# Benchmarks against the shell pipeline (scripts/bench); not part of check.
bench: $(B)/archive $(B)/mkpdf
	ARCHIVE=$(B)/archive MKPDF=$(B)/mkpdf sh scripts/bench $(BENCH_SIZES)

install: $(B)/archive
	mkdir -p $(DESTDIR)$(BINDIR)
	cp $(B)/archive $(DESTDIR)$(BINDIR)/archive.tmp
	chmod 755 $(DESTDIR)$(BINDIR)/archive.tmp
	mv -f $(DESTDIR)$(BINDIR)/archive.tmp $(DESTDIR)$(BINDIR)/archive

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/archive

clean:
	rm -rf build

.PHONY: all units san check fixtures bench install uninstall clean
