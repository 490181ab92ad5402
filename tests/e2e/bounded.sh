# End-to-end: verify is bounded. A bag with a 1 GiB payload file verifies
# in the same memory as a tiny one (under a fixed bound); a gzip bomb and a
# tar header that claims 1 TiB are rejected quickly, in bounded memory;
# verify opens nothing for writing. The bags are made here by python3,
# streamed (never whole in memory or on disk), and not committed.
#
# 1 GiB rather than 2: the payload is decompressed and hashed in full, and
# 1 GiB keeps the script near 10 s under ASan; memory does not depend on
# the size, which the tiny bag against the large one shows.
. "$TOP/tests/lib.sh"

cat >mkbag.py <<'EOF'
"""mkbag.py OUT KIND: write a test bag as OUT (.tar.gz), streamed.

KIND: small (1 KiB of zeros), large (1 GiB of zeros), bomb (a 10 GiB
entry, Payload-Oxum says 10 bytes), bomb-nooxum (the same, no bag-info),
claim (a header claiming 1 TiB, fixed checksum), claim-tar (the same as a
plain .tar)."""
import gzip, hashlib, io, sys, tarfile, zlib

out, kind = sys.argv[1], sys.argv[2]
GiB = 1 << 30
top = "bigbag"

class Zeros(io.RawIOBase):
    def __init__(self, n): self.left = n
    def readable(self): return True
    def readinto(self, b):
        n = min(len(b), self.left)
        b[:n] = bytes(n); self.left -= n
        return n

def zeros_sha256(n):
    h, block = hashlib.sha256(), bytes(1 << 20)
    while n:
        k = min(n, len(block)); h.update(block[:k]); n -= k
    return h.hexdigest()

def info(name, size):
    t = tarfile.TarInfo(top + "/" + name); t.size = size; t.mode = 0o644
    return t

def tags(size, oxum=True, oxum_value=None):
    bagit = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    manifest = ("%s  data/zeros\n" % zeros_sha256(size) if size < 4 * GiB
                else "%s  data/zeros\n" % ("0" * 64)).encode()
    files = [("bagit.txt", bagit)]
    if oxum:
        files.append(("bag-info.txt", ("Payload-Oxum: %s\n" % (oxum_value or "%d.1" % size)).encode()))
    files.append(("manifest-sha256.txt", manifest))
    return files

def header_bytes(files, data_size):
    """The tar bytes of files, then data/zeros's header (its data to follow)."""
    b = b""
    for name, d in files:
        b += info(name, len(d)).tobuf(tarfile.GNU_FORMAT, "utf-8", "strict")
        b += d + bytes(-len(d) % 512)
    return b + info("data/zeros", data_size).tobuf(tarfile.GNU_FORMAT, "utf-8", "strict")

if kind in ("small", "large"):
    size = 1024 if kind == "small" else GiB
    with tarfile.open(out, "w:gz", compresslevel=1, format=tarfile.GNU_FORMAT) as t:
        for name, d in tags(size):
            t.addfile(info(name, len(d)), io.BytesIO(d))
        t.addfile(info("data/zeros", size), Zeros(size))
elif kind in ("bomb", "bomb-nooxum"):
    # Concatenated gzip members (RFC 1952 §2.2): the tar headers, then one
    # member of 64 MiB of zeros repeated, then the tar end. ~10 MB on disk.
    size = 10 * GiB
    head = header_bytes(tags(size, oxum=kind == "bomb", oxum_value="10.1"), size)
    z = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = z.compress(bytes(64 << 20)) + z.flush()
    with open(out, "wb") as f:
        f.write(gzip.compress(head, mtime=0))
        for _ in range(size // (64 << 20)):
            f.write(block)
        f.write(gzip.compress(bytes(1024), mtime=0))
elif kind in ("claim", "claim-tar"):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, d in tags(5):
            t.addfile(info(name, len(d)), io.BytesIO(d))
        t.addfile(info("data/zeros", 5), io.BytesIO(bytes(5)))
    b = bytearray(raw.getvalue())
    at = b.find((top + "/data/zeros").encode())
    hdr = b[at:at + 512]
    hdr[124:136] = b"\x80" + (1 << 40).to_bytes(11, "big")   # base-256 size
    hdr[148:156] = b" " * 8
    hdr[148:156] = b"%06o\0 " % sum(hdr)
    b[at:at + 512] = hdr
    open(out, "wb").write(gzip.compress(bytes(b), mtime=0) if kind == "claim" else bytes(b))
EOF

# rss_kb LOG: "Maximum resident set size" of /usr/bin/time -v's LOG.
rss_kb() { sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' "$1"; }
secs() { sed -n 's/^[[:space:]]*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$1"; }

if [ ! -x /usr/bin/time ]; then
	echo "FAIL no /usr/bin/time: run scripts/bootstrap (Debian package time)"
	exit 1
fi

python3 mkbag.py small.tar.gz small && python3 mkbag.py large.tar.gz large ||
	{ echo "FAIL make_bags"; exit 1; }

# The bound: 64 MiB for the whole process, and no more than 8 MiB above
# what a 1 KiB bag takes.
small_ok() {
	/usr/bin/time -v "$ARCHIVE" verify small.tar.gz >out 2>time.small && has out '^OK  bigbag$'
}
check small_bag_valid small_ok

large_ok() {
	/usr/bin/time -v "$ARCHIVE" verify large.tar.gz >out 2>time.large && has out '^OK  bigbag$' &&
		small=$(rss_kb time.small) && large=$(rss_kb time.large) &&
		echo "bounded: 1 KiB bag ${small} kB, 1 GiB bag ${large} kB peak RSS; $(secs time.large) for 1 GiB" >&2 &&
		[ "$large" -lt 65536 ] && [ "$large" -lt $((small + 8192)) ]
}
check large_bag_constant_memory large_ok

# With Payload-Oxum before the payload: stopped at the header's claim.
bomb() {
	python3 mkbag.py bomb.tar.gz bomb && [ "$(wc -c <bomb.tar.gz)" -lt 20000000 ] &&
		/usr/bin/time -v "$ARCHIVE" verify bomb.tar.gz >out 2>time.bomb; rc=$?
	[ "$rc" -eq 1 ] &&
		has out "^FAIL bigbag: data/zeros: decompresses to more than Payload-Oxum allows \(10 bytes of payload said, more than [0-9]+ bytes unpacked\): a decompression bomb or a wrong Payload-Oxum; not read further\$" &&
		echo "bounded: bomb with Payload-Oxum: $(rss_kb time.bomb) kB, $(secs time.bomb)" >&2 &&
		[ "$(rss_kb time.bomb)" -lt 65536 ]
}
check gzip_bomb_with_oxum bomb

# Without bag-info: stopped by the ratio once past the slack.
bomb_nooxum() {
	python3 mkbag.py bomb2.tar.gz bomb-nooxum &&
		/usr/bin/time -v "$ARCHIVE" verify bomb2.tar.gz >out 2>time.bomb2; rc=$?
	[ "$rc" -eq 1 ] &&
		has out "^FAIL bigbag: data/zeros: decompresses beyond 1000 times its size \([0-9]+ bytes from [0-9]+\): a decompression bomb; not read further\$" &&
		echo "bounded: bomb without Payload-Oxum: $(rss_kb time.bomb2) kB, $(secs time.bomb2)" >&2 &&
		[ "$(rss_kb time.bomb2)" -lt 65536 ]
}
check gzip_bomb_by_ratio bomb_nooxum

claim() {
	python3 mkbag.py claim.tar.gz claim && python3 mkbag.py claim.tar claim-tar &&
		run_rc 1 "$ARCHIVE" verify claim.tar.gz &&
		has out "^FAIL bigbag: data/zeros: claims 1099511627776 bytes, more than the archive holds \([0-9]+ bytes of gzip\)\$" &&
		run_rc 1 "$ARCHIVE" verify claim.tar &&
		has out "^FAIL bigbag: data/zeros: claims 1099511627776 bytes, more than the archive holds \([0-9]+ bytes\)\$"
}
check huge_size_claim claim

# Nothing is opened for writing, nothing created, by a verify of files.
no_writes() {
	strace -f -qq -e trace=open,openat,creat,mkdir,mkdirat,rename,renameat,renameat2,unlink,unlinkat,link,linkat \
		-o trace "$ARCHIVE" verify small.tar.gz bomb.tar.gz claim.tar >/dev/null 2>&1
	[ -s trace ] && ! grep -E 'O_WRONLY|O_RDWR|O_CREAT|creat\(|mkdir|rename|unlink|link' trace |
		grep -v ENOENT | grep -v '/dev/' | grep . >&2
}
if command -v strace >/dev/null; then
	check verify_never_writes no_writes
else
	echo "SKIP verify_never_writes: no strace (scripts/bootstrap installs it)"
fi
