# End-to-end: a real bundle (ingested from the fixtures) damaged in each way
# the issue lists, one at a time and five at once; verify must exit 1 and
# name the file and the reason every time. Damaged bundles are rebuilt with
# python3's tarfile and gzip, so they are what another tool (or an
# attacker) could write, not what ours would. Also --fast: structure only.
. "$TOP/tests/lib.sh"

run_rc 0 "$ARCHIVE" --store S ingest "$FIXTURES/releases" || { echo "FAIL ingest"; exit 1; }
src=$(ls S/bundles/2024/2024-07-15_*.tar.gz)
id=$(basename "$src" .tar.gz)
pdf=ko-2024-07-15-ai-semiconductor.pdf

cat >mut.py <<'EOF'
"""mut.py SRC DST OP...: copy bundle SRC to DST, applying each OP.

Members are (TarInfo, bytes) in the bundle's order. "refresh" recomputes
manifest-sha256.txt, Payload-Oxum and tagmanifest-sha256.txt, so that only
the damage under test is wrong."""
import gzip, hashlib, io, sys, tarfile

src, dst, ops = sys.argv[1], sys.argv[2], sys.argv[3:]
with tarfile.open(src, "r:gz") as t:
    members = [(m, t.extractfile(m).read() if m.isfile() else b"") for m in t.getmembers()]
top = members[0][0].name.split("/")[0]

def find(rel):
    for i, (m, d) in enumerate(members):
        if m.name == top + "/" + rel:
            return i
    raise SystemExit("no member " + rel)

def get(rel):
    return members[find(rel)][1]

def put(rel, data):
    i = find(rel)
    members[i] = (members[i][0], data)

def add(name, data=b"", type_=tarfile.REGTYPE, link="", at=None):
    m = tarfile.TarInfo(name)
    m.type, m.linkname, m.size, m.mode = type_, link, len(data), 0o644
    if at is None:
        at = len(members) - 1  # before tagmanifest-sha256.txt
    members.insert(at, (m, data))

def sha(b):
    return hashlib.sha256(b).hexdigest()

def relist(manifest, pred):
    lines = []
    for m, d in members:
        rel = m.name[len(top) + 1:]
        if m.isfile() and pred(rel) and rel not in [x[1] for x in lines]:
            lines.append((sha(d), rel))
    put(manifest, "".join("%s  %s\n" % l for l in lines).encode())

def refresh():
    relist("manifest-sha256.txt", lambda r: r.startswith("data/"))
    data = [(m, d) for m, d in members if m.isfile() and m.name.startswith(top + "/data/")]
    oxum = "%d.%d" % (sum(len(d) for m, d in data), len(data))
    info = b"".join(l if not l.startswith(b"Payload-Oxum:") else b"Payload-Oxum: " + oxum.encode() + b"\n"
                    for l in io.BytesIO(get("bag-info.txt")))
    put("bag-info.txt", info)
    relist("tagmanifest-sha256.txt", lambda r: not r.startswith("data/") and "/" not in r
           and not r.startswith("tagmanifest-") or r.startswith("metadata/"))

pdf = "ko-2024-07-15-ai-semiconductor.pdf"
gzlevel, post = 9, []
for op in ops:
    if op == "flip":            # one bit of a payload file
        b = bytearray(get("data/text/release.txt")); b[100] ^= 0x01; put("data/text/release.txt", bytes(b))
    elif op == "missing":
        del members[find("data/text/release.txt")]
    elif op == "unlisted":
        add(top + "/data/extra.txt", b"not in any manifest\n")
    elif op == "oxum":          # a wrong Payload-Oxum, tag manifest kept right
        refresh()
        put("bag-info.txt", get("bag-info.txt").replace(b"Payload-Oxum: 1", b"Payload-Oxum: 9"))
        relist("tagmanifest-sha256.txt", lambda r: not r.startswith("data/") and "/" not in r
               and not r.startswith("tagmanifest-") or r.startswith("metadata/"))
    elif op == "taginfo":       # bag-info edited, tag manifest not updated
        put("bag-info.txt", get("bag-info.txt") + b"Contact-Name: someone\n")
    elif op == "nobagit":
        del members[find("bagit.txt")]
    elif op == "badbagit":
        put("bagit.txt", b"BagIt-Version 1.0\nTag-File-Character-Encoding: UTF-8\n")
    elif op == "dotdot":
        add(top + "/../evil", b"evil\n")
    elif op == "absolute":
        add("/tmp/evil", b"evil\n")
    elif op == "symlink":
        add(top + "/data/link", type_=tarfile.SYMTYPE, link="/etc/passwd")
    elif op == "fifo":
        add(top + "/data/fifo", type_=tarfile.FIFOTYPE)
    elif op == "device":
        add(top + "/data/null", type_=tarfile.CHRTYPE)
    elif op == "duplicate":     # same name again, other content
        add(top + "/data/text/release.txt", b"a second, different release.txt\n")
    elif op == "access_appended":  # original + other bytes than the manifest's
        put("data/access/" + pdf, get("data/attachments/" + pdf) + b"\n% another update\n")
    elif op == "access_rewritten":  # not an extension of the original; manifests agree
        b = bytearray(get("data/access/" + pdf)); b[20] ^= 0x01; put("data/access/" + pdf, bytes(b))
        refresh()
    elif op == "access_short":     # a cut original, not an extension; manifests agree
        put("data/access/" + pdf, get("data/attachments/" + pdf)[:-100])
        refresh()
    elif op == "nolicence":
        put("bag-info.txt", b"".join(l for l in io.BytesIO(get("bag-info.txt"))
                                     if not l.startswith(b"License-URL:")))
        refresh()
    elif op == "stored":        # stored deflate blocks: a flipped byte keeps the structure
        gzlevel = 0
    elif op in ("truncate", "crcdata", "crctrailer"):
        post.append(op)
    else:
        raise SystemExit("unknown op " + op)

raw = io.BytesIO()
with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as t:
    for m, d in members:
        m.size = len(d) if m.isreg() else 0
        t.addfile(m, io.BytesIO(d) if m.isreg() else None)
out = bytearray(gzip.compress(raw.getvalue(), compresslevel=gzlevel, mtime=0))
for op in post:
    if op == "truncate":
        out = out[: len(out) * 2 // 3]
    elif op == "crcdata":       # a byte inside a stored block, well past the headers
        out[len(out) // 2] ^= 0x20
    elif op == "crctrailer":
        out[-8] ^= 0xFF
open(dst, "wb").write(out)
EOF

# bad NAME OPS...: the bundle with OPS applied, as NAME.tar.gz.
bad() { n=$1; shift; python3 mut.py "$src" "$n.tar.gz" "$@"; }

# fails NAME FILE REASON: verify NAME.tar.gz exits 1 and names FILE: REASON.
fails() {
	run_rc 1 "$ARCHIVE" verify "$1.tar.gz" && has out "^FAIL $id: $2: $3"
}

unchanged() { bad same && run_rc 0 "$ARCHIVE" verify same.tar.gz && has out "^OK  $id\$"; }
check rebuilt_bundle_is_valid unchanged

t_flip() { bad flip flip && fails flip data/text/release.txt "sha256 mismatch\$"; }
check bit_flip t_flip

t_missing() {
	bad missing missing && fails missing data/text/release.txt "listed in manifest-sha256.txt but missing\$" &&
		has out "^FAIL $id: bag-info.txt: Payload-Oxum says 124711.5, found [0-9]+.4\$"
}
check missing_file t_missing

t_unlisted() { bad unlisted unlisted && fails unlisted data/extra.txt "not in manifest-sha256.txt\$"; }
check unlisted_file t_unlisted

t_oxum() {
	bad oxum oxum && fails oxum bag-info.txt "Payload-Oxum says 924711.5, found 124711.5\$" &&
		[ "$(grep -c '^FAIL' out)" -eq 1 ]
}
check wrong_payload_oxum t_oxum

t_taginfo() { bad taginfo taginfo && fails taginfo bag-info.txt "sha256 mismatch\$"; }
check tagmanifest_mismatch t_taginfo

t_nobagit() {
	bad nobagit nobagit && fails nobagit bagit.txt "missing\$" &&
		fails nobagit bagit.txt "listed in tagmanifest-sha256.txt but missing\$"
}
check bagit_txt_missing t_nobagit

t_badbagit() { bad badbagit badbagit && fails badbagit bagit.txt "malformed line 'BagIt-Version 1.0'\$"; }
check bagit_txt_malformed t_badbagit

t_dotdot() { bad dotdot dotdot && fails dotdot "$id/\.\./evil" "escapes the bag \(\.\.\)\$"; }
check entry_with_dotdot t_dotdot

t_absolute() { bad absolute absolute && fails absolute /tmp/evil "absolute path\$"; }
check absolute_entry t_absolute

t_symlink() { bad symlink symlink && fails symlink data/link "symbolic link\$"; }
check symlink_entry t_symlink

t_fifo() {
	bad fifo fifo && fails fifo data/fifo "device or FIFO\$" &&
		bad device device && fails device data/null "device or FIFO\$"
}
check device_and_fifo_entries t_fifo

t_duplicate() { bad duplicate duplicate && fails duplicate data/text/release.txt "appears twice\$"; }
check duplicate_tar_entry t_duplicate

t_truncate() {
	bad trunc truncate && fails trunc trunc.tar.gz "truncated or corrupt: truncated gzip stream"
}
check truncated_gzip t_truncate

# A flipped byte in a stored deflate block leaves a well-formed stream
# with other bytes: only the gzip CRC-32 tells (libarchive never checks it).
# The CRC error comes with the stream's last bytes; the entries before it
# are still judged (here the damaged original and so its access copy).
t_crc() {
	bad crcdata stored crcdata && fails crcdata crcdata.tar.gz "truncated or corrupt: corrupt gzip stream: CRC-32 mismatch\$" &&
		has out "^FAIL $id: data/access/$pdf: not the original plus an appended update\$" &&
		bad crctrailer crctrailer && fails crctrailer crctrailer.tar.gz "truncated or corrupt: corrupt gzip stream: CRC-32 mismatch\$"
}
check corrupt_gzip_crc t_crc

t_access_appended() {
	bad acc1 access_appended && fails acc1 "data/access/$pdf" "sha256 mismatch\$"
}
check access_copy_other_update t_access_appended

t_access_rewritten() {
	bad acc2 access_rewritten &&
		fails acc2 "data/access/$pdf" "not the original plus an appended update\$" &&
		[ "$(grep -c '^FAIL' out)" -eq 1 ]
}
check access_copy_rewritten t_access_rewritten

# Shorter than the original: its digest never reaches the original's
# length, and that fails too.
t_access_short() {
	bad acc3 access_short &&
		fails acc3 "data/access/$pdf" "not the original plus an appended update\$" &&
		[ "$(grep -c '^FAIL' out)" -eq 1 ]
}
check access_copy_shorter t_access_short

t_nolicence() {
	bad nolic nolicence && fails nolic bag-info.txt "missing License-URL\$" &&
		[ "$(grep -c '^FAIL' out)" -eq 1 ]
}
check licence_field_missing t_nolicence

# Five at once, all named in one run ("nolicence" first: it recomputes the
# manifests, which must still hold the flipped file's old digest).
five() {
	bad five nolicence flip unlisted symlink duplicate && run_rc 1 "$ARCHIVE" verify five.tar.gz &&
		has out "^FAIL $id: data/text/release.txt: sha256 mismatch\$" &&
		has out "^FAIL $id: data/extra.txt: not in manifest-sha256.txt\$" &&
		has out "^FAIL $id: data/link: symbolic link\$" &&
		has out "^FAIL $id: bag-info.txt: missing License-URL\$" &&
		has out "^FAIL $id: data/text/release.txt: appears twice\$" &&
		has out "^1 verified: 0 OK, 1 FAIL\$"
}
check five_problems_in_one_run five

# --fast: structure, Payload-Oxum and required fields, no checksums.
fast() {
	run_rc 0 "$ARCHIVE" verify --fast flip.tar.gz && has out "^OK  $id\$" &&
		run_rc 1 "$ARCHIVE" verify flip.tar.gz &&
		run_rc 1 "$ARCHIVE" verify --fast missing.tar.gz &&
		has out "^FAIL $id: data/text/release.txt: listed in manifest-sha256.txt but missing\$" &&
		run_rc 1 "$ARCHIVE" verify --fast oxum.tar.gz && has out "Payload-Oxum says" &&
		run_rc 1 "$ARCHIVE" verify --fast nolic.tar.gz && has out "missing License-URL\$" &&
		run_rc 1 "$ARCHIVE" verify --fast symlink.tar.gz && has out "data/link: symbolic link\$"
}
check fast_mode fast
