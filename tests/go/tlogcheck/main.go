// tlogcheck: checks a store's transparency log (SPEC, "Transparency log")
// with a second implementation, Go's golang.org/x/mod/sumdb/note and
// golang.org/x/mod/sumdb/tlog, for tests/e2e/gocheck.sh. Test-only.
//
//	tlogcheck VERIFIER.KEY CHECKPOINT AUDIT.LOG [PROOF...]
//
// It checks that:
//   - note.Open accepts CHECKPOINT (a C2SP signed note) with the verifier
//     key, and rejects it with a flipped signature byte or another key;
//   - the checkpoint's root is tlog.TreeHash of the first SIZE lines of
//     AUDIT.LOG (each line without its "\n" one record, tlog.RecordHash),
//     the stored hashes built in memory with tlog.StoredHashes;
//   - each PROOF (C2SP tlog-proof@v1, as `archive log proof ID -o FILE`
//     writes it) carries a checkpoint note.Open accepts, its `extra` entry
//     is audit line `index`, and its hashes are a tlog.RecordProof that
//     tlog.CheckRecord accepts and that equals tlog.ProveRecord's; one
//     flipped byte in any hash or in the entry makes CheckRecord fail.
//
// Prints "OK ..." lines and exits 0; on the first failure prints
// "FAIL ..." on stderr and exits 1. A usage error exits 2.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL "+format+"\n", args...)
	os.Exit(1)
}

func ok(format string, args ...interface{}) {
	fmt.Printf("OK   "+format+"\n", args...)
}

func readFile(path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		fail("%v", err)
	}
	return b
}

// checkpoint is the parsed text of a C2SP tlog-checkpoint.
type checkpoint struct {
	origin string
	size   int64
	root   tlog.Hash
}

// openCheckpoint checks msg's signature with v (note.Open) and parses its
// first three lines: origin, tree size, base64 root. Extension lines are
// allowed and ignored. (tlog.ParseTree is the go.sum format, not C2SP's.)
func openCheckpoint(what string, msg []byte, v note.Verifier) (*checkpoint, *note.Note) {
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		fail("%s: note.Open: %v", what, err)
	}
	lines := strings.Split(n.Text, "\n")
	// n.Text ends in "\n": the last element is "".
	if len(lines) < 4 || lines[len(lines)-1] != "" {
		fail("%s: fewer than 3 lines of checkpoint text", what)
	}
	for i, l := range lines[:len(lines)-1] {
		if l == "" {
			fail("%s: line %d of the checkpoint text is empty", what, i+1)
		}
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		fail("%s: tree size %q is not a decimal without leading zeros", what, lines[1])
	}
	root, err := tlog.ParseHash(lines[2])
	if err != nil || root.String() != lines[2] {
		fail("%s: root %q is not a base64 SHA-256", what, lines[2])
	}
	return &checkpoint{origin: lines[0], size: size, root: root}, n
}

// flipSig returns msg with one byte of the first signature's Ed25519
// signature flipped (past its 4-byte key ID), base64 re-encoded.
func flipSig(msg []byte) []byte {
	split := bytes.LastIndex(msg, []byte("\n\n"))
	sigs := msg[split+2:]
	end := bytes.IndexByte(sigs, '\n')
	line := string(sigs[:end])
	sp := strings.LastIndexByte(line, ' ')
	raw, err := base64.StdEncoding.DecodeString(line[sp+1:])
	if err != nil || len(raw) < 5 {
		fail("checkpoint: signature line %q does not decode", line)
	}
	raw[len(raw)-1] ^= 0x01
	var out []byte
	out = append(out, msg[:split+2]...)
	out = append(out, line[:sp+1]+base64.StdEncoding.EncodeToString(raw)...)
	out = append(out, sigs[end:]...)
	return out
}

// store is the tlog stored-hash array of the audit log, built in memory.
type store struct {
	hashes []tlog.Hash
	lines  [][]byte
}

func (s *store) ReadHashes(ix []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(ix))
	for i, x := range ix {
		if x < 0 || x >= int64(len(s.hashes)) {
			return nil, fmt.Errorf("stored hash %d of %d", x, len(s.hashes))
		}
		out[i] = s.hashes[x]
	}
	return out, nil
}

func buildStore(path string) *store {
	raw := readFile(path)
	if len(raw) > 0 && raw[len(raw)-1] != '\n' {
		fail("%s: does not end in a newline", path)
	}
	s := &store{}
	if len(raw) > 0 {
		s.lines = bytes.Split(raw[:len(raw)-1], []byte("\n"))
	}
	r := tlog.HashReaderFunc(s.ReadHashes)
	for i, l := range s.lines {
		if want := tlog.StoredHashIndex(0, int64(i)); want != int64(len(s.hashes)) {
			fail("stored hash index of record %d is %d, have %d hashes", i, want, len(s.hashes))
		}
		h, err := tlog.StoredHashes(int64(i), l, r)
		if err != nil {
			fail("%s: tlog.StoredHashes(%d): %v", path, i, err)
		}
		s.hashes = append(s.hashes, h...)
	}
	return s
}

func (s *store) treeHash(n int64) tlog.Hash {
	h, err := tlog.TreeHash(n, tlog.HashReaderFunc(s.ReadHashes))
	if err != nil {
		fail("tlog.TreeHash(%d): %v", n, err)
	}
	return h
}

// proof is a parsed C2SP tlog-proof@v1 file.
type proof struct {
	extra    []byte
	hasExtra bool
	index    int64
	path     tlog.RecordProof
	note     []byte
}

func parseProof(name string, raw []byte) *proof {
	p := &proof{}
	rest := raw
	next := func() (string, bool) {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			return "", false
		}
		l := string(rest[:i])
		rest = rest[i+1:]
		return l, true
	}
	l, got := next()
	if !got || l != "c2sp.org/tlog-proof@v1" {
		fail("%s: line 1 is %q, not c2sp.org/tlog-proof@v1", name, l)
	}
	l, got = next()
	if got && strings.HasPrefix(l, "extra ") {
		b, err := base64.StdEncoding.DecodeString(l[len("extra "):])
		if err != nil {
			fail("%s: extra: %v", name, err)
		}
		p.extra, p.hasExtra = b, true
		l, got = next()
	}
	if !got || !strings.HasPrefix(l, "index ") {
		fail("%s: no index line", name)
	}
	ix := l[len("index "):]
	n, err := strconv.ParseInt(ix, 10, 64)
	if err != nil || n < 0 || strconv.FormatInt(n, 10) != ix {
		fail("%s: index %q is not a decimal without leading zeros", name, ix)
	}
	p.index = n
	for {
		l, got = next()
		if !got {
			fail("%s: no empty line before the checkpoint", name)
		}
		if l == "" {
			break
		}
		h, err := tlog.ParseHash(l)
		if err != nil || h.String() != l {
			fail("%s: hash line %q is not a base64 SHA-256", name, l)
		}
		p.path = append(p.path, h)
	}
	p.note = rest
	return p
}

func main() {
	if len(os.Args) < 4 {
		fmt.Fprintln(os.Stderr, "usage: tlogcheck VERIFIER.KEY CHECKPOINT AUDIT.LOG [PROOF...]")
		os.Exit(2)
	}
	vkey := strings.TrimSpace(string(readFile(os.Args[1])))
	v, err := note.NewVerifier(vkey)
	if err != nil {
		fail("%s: note.NewVerifier: %v", os.Args[1], err)
	}

	// The checkpoint: signed, and rejected when changed or with another key.
	cpRaw := readFile(os.Args[2])
	cp, n := openCheckpoint("checkpoint", cpRaw, v)
	if len(n.Sigs) < 1 || n.Sigs[0].Name != v.Name() || n.Sigs[0].Hash != v.KeyHash() {
		fail("checkpoint: note.Open verified no signature of %s", v.Name())
	}
	ok("checkpoint: note.Open accepts the signature of %s+%08x (Ed25519, type 0x01)", v.Name(), v.KeyHash())
	if cp.origin != v.Name() {
		fail("checkpoint: origin %q is not the key name %q", cp.origin, v.Name())
	}
	ok("checkpoint: origin is the key name; size %d, root %s", cp.size, cp.root)
	var sigErr *note.InvalidSignatureError
	if _, err := note.Open(flipSig(cpRaw), note.VerifierList(v)); !errors.As(err, &sigErr) {
		fail("checkpoint: note.Open of a flipped signature byte: %v, want an invalid signature", err)
	}
	ok("checkpoint: a flipped signature byte fails note.Open: invalid signature")
	_, otherVkey, err := note.GenerateKey(rand.Reader, v.Name())
	if err != nil {
		fail("note.GenerateKey: %v", err)
	}
	other, err := note.NewVerifier(otherVkey)
	if err != nil {
		fail("note.NewVerifier(generated): %v", err)
	}
	if _, err := note.Open(cpRaw, note.VerifierList(other)); err == nil {
		fail("checkpoint: note.Open accepts it with another key of the same name")
	}
	ok("checkpoint: another key of the same name fails note.Open")

	// The root: tlog.TreeHash of the audit log's lines.
	s := buildStore(os.Args[3])
	if int64(len(s.lines)) < cp.size {
		fail("audit.log: %d lines, the checkpoint covers %d", len(s.lines), cp.size)
	}
	if h := s.treeHash(cp.size); h != cp.root {
		fail("checkpoint: root %s, but tlog.TreeHash of the first %d audit.log lines is %s", cp.root, cp.size, h)
	}
	ok("checkpoint: root = tlog.TreeHash of the first %d of %d audit.log lines (%d stored hashes, tlog.StoredHashes)",
		cp.size, len(s.lines), len(s.hashes))

	// The proofs.
	r := tlog.HashReaderFunc(s.ReadHashes)
	for _, name := range os.Args[4:] {
		p := parseProof(name, readFile(name))
		pcp, _ := openCheckpoint(name+": checkpoint", p.note, v)
		if pcp.origin != cp.origin {
			fail("%s: checkpoint origin %q, the log's %q", name, pcp.origin, cp.origin)
		}
		if pcp.size > int64(len(s.lines)) {
			fail("%s: checkpoint of %d entries, audit.log has %d lines", name, pcp.size, len(s.lines))
		}
		if h := s.treeHash(pcp.size); h != pcp.root {
			fail("%s: checkpoint root %s, but tlog.TreeHash of the first %d audit.log lines is %s", name, pcp.root, pcp.size, h)
		}
		if p.index >= pcp.size {
			fail("%s: index %d is not in a tree of %d", name, p.index, pcp.size)
		}
		entry := s.lines[p.index]
		if p.hasExtra {
			if !bytes.Equal(p.extra, entry) {
				fail("%s: extra is not audit.log line %d", name, p.index+1)
			}
			entry = p.extra
		}
		leaf := tlog.RecordHash(entry)
		if err := tlog.CheckRecord(p.path, pcp.size, pcp.root, p.index, leaf); err != nil {
			fail("%s: tlog.CheckRecord(%d hashes, size %d, index %d): %v", name, len(p.path), pcp.size, p.index, err)
		}
		ok("%s: entry %d of %d: tlog.CheckRecord accepts its %d hashes against the signed root", name, p.index, pcp.size, len(p.path))
		want, err := tlog.ProveRecord(pcp.size, p.index, r)
		if err != nil {
			fail("%s: tlog.ProveRecord(%d, %d): %v", name, pcp.size, p.index, err)
		}
		if len(want) != len(p.path) {
			fail("%s: %d hashes, tlog.ProveRecord gives %d", name, len(p.path), len(want))
		}
		for i := range want {
			if want[i] != p.path[i] {
				fail("%s: hash %d is %s, tlog.ProveRecord gives %s", name, i+1, p.path[i], want[i])
			}
		}
		ok("%s: the hashes are tlog.ProveRecord's, in order", name)
		// One flipped byte, in each hash in turn and in the entry, fails.
		for i := range p.path {
			bad := append(tlog.RecordProof(nil), p.path...)
			bad[i][i%tlog.HashSize] ^= 0x01
			if tlog.CheckRecord(bad, pcp.size, pcp.root, p.index, leaf) == nil {
				fail("%s: tlog.CheckRecord accepts hash %d with a flipped byte", name, i+1)
			}
		}
		badEntry := append([]byte(nil), entry...)
		if len(badEntry) == 0 {
			badEntry = []byte{0}
		} else {
			badEntry[len(badEntry)/2] ^= 0x01
		}
		if tlog.CheckRecord(p.path, pcp.size, pcp.root, p.index, tlog.RecordHash(badEntry)) == nil {
			fail("%s: tlog.CheckRecord accepts the entry with a flipped byte", name)
		}
		if pcp.size > 1 && tlog.CheckRecord(p.path, pcp.size, pcp.root, (p.index+1)%pcp.size, leaf) == nil {
			fail("%s: tlog.CheckRecord accepts it at index %d", name, (p.index+1)%pcp.size)
		}
		ok("%s: a flipped byte in any of its hashes or in the entry, or another index, fails tlog.CheckRecord", name)
	}
}
