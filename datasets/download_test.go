package datasets

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

type entry struct {
	name, link string
	typ        byte
	body       string
}

func makeTarball(t testing.TB, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Linkname: e.link, Typeflag: e.typ, Mode: 0o644, Size: int64(len(e.body))}
		if e.typ != tar.TypeReg {
			h.Size = 0
		}
		if e.typ == tar.TypeDir {
			h.Mode = 0o755
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			tw.Write([]byte(e.body))
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	zw.Close()
	return buf.Bytes()
}

// goodEntries is a tiny dataset-shaped archive, with a few kB of
// incompressible bytes so that the download comes in several reads.
func goodEntries() []entry {
	noise := make([]byte, 64<<10)
	x := uint32(1)
	for i := range noise {
		x = x*1664525 + 1013904223
		noise[i] = byte(x >> 24)
	}
	return []entry{
		{name: "./", typ: tar.TypeDir},
		{name: "./yes/", typ: tar.TypeDir},
		{name: "./yes/0a7c2a8d_nohash_0.wav", typ: tar.TypeReg, body: "RIFF fake"},
		{name: "./_background_noise_/white_noise.wav", typ: tar.TypeReg, body: string(noise)},
		{name: "./validation_list.txt", typ: tar.TypeReg, body: "yes/0a7c2a8d_nohash_0.wav\n"},
		{name: "./yes/copy.wav", link: "yes/0a7c2a8d_nohash_0.wav", typ: tar.TypeLink},
		{name: "./yes/alias.wav", link: "0a7c2a8d_nohash_0.wav", typ: tar.TypeSymlink},
	}
}

func sum(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// server serves body at /data.tar.gz. The first cut requests get a 200
// with the first half of the body and a dropped connection; ignoreRange
// answers Range requests with the whole body. It records the Range headers
// it sees.
type server struct {
	body        []byte
	cut         int
	ignoreRange bool
	mu          sync.Mutex
	ranges      []string
}

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/data.tar.gz" {
		http.NotFound(w, r)
		return
	}
	s.mu.Lock()
	s.ranges = append(s.ranges, r.Header.Get("Range"))
	cut := s.cut > 0
	if cut {
		s.cut--
	}
	s.mu.Unlock()
	if s.ignoreRange {
		r.Header.Del("Range")
	}
	if cut {
		w.Header().Set("Content-Length", itoa(len(s.body)))
		w.WriteHeader(http.StatusOK)
		w.Write(s.body[:len(s.body)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // drop the connection mid-body
	}
	http.ServeContent(w, r, "data.tar.gz", time.Time{}, bytes.NewReader(s.body))
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestDownloadExtract(t *testing.T) {
	body := makeTarball(t, goodEntries())
	s := &server{body: body}
	ts := httptest.NewServer(s)
	defer ts.Close()
	dir := t.TempDir()
	tarball := filepath.Join(dir, "sc.tar.gz")
	var progress bytes.Buffer
	if err := Download(context.Background(), ts.URL+"/data.tar.gz", sum(body), tarball, &progress); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(progress.String(), "100.0%") || !strings.Contains(progress.String(), "ETA") {
		t.Errorf("progress %q: want a bar reaching 100%% with an ETA", progress.String())
	}
	if _, err := os.Stat(tarball + ".part"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf(".part left behind: %v", err)
	}
	// A second call finds the file complete and fetches nothing.
	if err := Download(context.Background(), ts.URL+"/data.tar.gz", sum(body), tarball, nil); err != nil || len(s.ranges) != 1 {
		t.Errorf("second download: %v, %d requests", err, len(s.ranges))
	}
	out := filepath.Join(dir, "sc")
	if err := Extract(context.Background(), tarball, out); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"yes/0a7c2a8d_nohash_0.wav": "RIFF fake", "yes/copy.wav": "RIFF fake", "yes/alias.wav": "RIFF fake",
	} {
		b, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || string(b) != want {
			t.Errorf("%s: %q, %v", name, b, err)
		}
	}
	if err := Extract(context.Background(), tarball, out); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("extract over an existing folder: %v", err)
	}
	left, _ := filepath.Glob(filepath.Join(dir, ".sc.tmp*"))
	if len(left) != 0 {
		t.Errorf("temporary folders left: %v", left)
	}
}

func TestDownloadResume(t *testing.T) {
	body := makeTarball(t, goodEntries())
	for _, tc := range []struct {
		name        string
		cut         int // requests cut off mid-way
		part        int // bytes already in .part
		ignoreRange bool
		wantRange   string
	}{
		{name: "interrupted then resumed", cut: 1, wantRange: "bytes=" + itoa(len(body)/2) + "-"},
		{name: "part from an earlier run", part: 1000, wantRange: "bytes=1000-"},
		{name: "server ignores Range", part: 1000, ignoreRange: true, wantRange: "bytes=1000-"},
		{name: "part complete", part: len(body), wantRange: "bytes=" + itoa(len(body)) + "-"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &server{body: body, cut: tc.cut, ignoreRange: tc.ignoreRange}
			ts := httptest.NewServer(s)
			defer ts.Close()
			dest := filepath.Join(t.TempDir(), "sc.tar.gz")
			if tc.part > 0 {
				os.WriteFile(dest+".part", body[:tc.part], 0o644)
			}
			if err := Download(context.Background(), ts.URL+"/data.tar.gz", sum(body), dest, nil); err != nil {
				t.Fatal(err)
			}
			got, _ := os.ReadFile(dest)
			if !bytes.Equal(got, body) {
				t.Fatalf("downloaded %d bytes differ from the %d served", len(got), len(body))
			}
			found := false
			for _, r := range s.ranges {
				found = found || r == tc.wantRange
			}
			if !found {
				t.Errorf("requests had Range %q, want one with %q", s.ranges, tc.wantRange)
			}
		})
	}
}

// TestDownloadKilled: a download whose connection keeps breaking gives up
// with the bytes kept, and the next call resumes them.
func TestDownloadKilled(t *testing.T) {
	body := makeTarball(t, goodEntries())
	s := &server{body: body, cut: 100}
	ts := httptest.NewServer(s)
	defer ts.Close()
	dest := filepath.Join(t.TempDir(), "sc.tar.gz")
	err := Download(context.Background(), ts.URL+"/data.tar.gz", sum(body), dest, nil)
	if err == nil || !strings.Contains(err.Error(), "run again to resume") {
		t.Fatalf("Download: %v, want an error saying it can resume", err)
	}
	st, err := os.Stat(dest + ".part")
	if err != nil || st.Size() == 0 {
		t.Fatalf(".part after a broken download: %v", err)
	}
	s.mu.Lock()
	s.cut = 0
	s.ranges = nil
	s.mu.Unlock()
	if err := Download(context.Background(), ts.URL+"/data.tar.gz", sum(body), dest, nil); err != nil {
		t.Fatal(err)
	}
	if s.ranges[0] != "bytes="+itoa(int(st.Size()))+"-" {
		t.Errorf("resumed with Range %q, want from byte %d", s.ranges[0], st.Size())
	}
}

func TestDownloadErrors(t *testing.T) {
	body := makeTarball(t, goodEntries())
	ts := httptest.NewServer(&server{body: body})
	defer ts.Close()
	dir := t.TempDir()
	dest := filepath.Join(dir, "sc.tar.gz")
	err := Download(context.Background(), ts.URL+"/data.tar.gz", strings.Repeat("0", 64), dest, nil)
	if !errors.Is(err, ErrChecksum) {
		t.Errorf("wrong checksum: %v, want ErrChecksum", err)
	}
	for _, p := range []string{dest, dest + ".part"} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s exists after a checksum mismatch", p)
		}
	}
	err = Download(context.Background(), ts.URL+"/missing.tar.gz", "", dest, nil)
	if err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("missing file: %v, want a 404", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Download(ctx, ts.URL+"/data.tar.gz", "", dest, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

func TestExtractUnsafe(t *testing.T) {
	ok := entry{name: "yes/a.wav", typ: tar.TypeReg, body: "x"}
	for _, tc := range []struct {
		name    string
		entries []entry
	}{
		{"dot-dot", []entry{ok, {name: "../escape", typ: tar.TypeReg, body: "gotcha"}}},
		{"dot-dot inside", []entry{ok, {name: "yes/../../escape", typ: tar.TypeReg, body: "gotcha"}}},
		{"absolute", []entry{{name: "/tmp/escape", typ: tar.TypeReg, body: "gotcha"}}},
		{"symlink out", []entry{{name: "yes/link", link: "../../escape", typ: tar.TypeSymlink}}},
		{"symlink absolute", []entry{{name: "link", link: "/etc", typ: tar.TypeSymlink}}},
		{"hardlink out", []entry{{name: "link", link: "../escape", typ: tar.TypeLink}}},
		{"hardlink to nothing", []entry{{name: "link", link: "yes/none.wav", typ: tar.TypeLink}}},
		{"write below symlink", []entry{
			{name: "sub/", typ: tar.TypeDir},
			{name: "dir", link: "sub", typ: tar.TypeSymlink},
			{name: "dir/x", typ: tar.TypeReg, body: "through a link"}}},
		{"file over symlink", []entry{
			{name: "f", link: "yes", typ: tar.TypeSymlink},
			{name: "f", typ: tar.TypeReg, body: "through a link"}}},
		{"fifo", []entry{{name: "pipe", typ: tar.TypeFifo}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			tarball := filepath.Join(root, "bad.tar.gz")
			os.WriteFile(tarball, makeTarball(t, tc.entries), 0o644)
			out := filepath.Join(root, "a", "b", "out")
			err := Extract(context.Background(), tarball, out)
			if err == nil {
				t.Fatal("Extract accepted the archive")
			}
			if tc.name != "file over symlink" && !errors.Is(err, ErrUnsafeArchive) {
				t.Errorf("error %v does not wrap ErrUnsafeArchive", err)
			}
			for _, p := range []string{out, filepath.Join(root, "a", "escape"), filepath.Join(root, "a", "b", "escape"), "/tmp/escape"} {
				if _, err := os.Lstat(p); err == nil {
					t.Errorf("%s exists after a refused archive", p)
				}
			}
			if left, _ := filepath.Glob(filepath.Join(root, "a", "b", ".out.tmp*")); len(left) != 0 {
				t.Errorf("temporary folder left: %v", left)
			}
		})
	}
}

func TestLookupVersion(t *testing.T) {
	v, err := LookupVersion("v0.02")
	if err != nil || v.Clips != 105829 || len(v.SHA256) != 64 || !strings.HasSuffix(v.URL, "speech_commands_v0.02.tar.gz") {
		t.Errorf("v0.02: %+v, %v", v, err)
	}
	if _, err := LookupVersion("0.01"); err != nil {
		t.Error(err)
	}
	if _, err := LookupVersion("v9"); err == nil {
		t.Error("v9 accepted")
	}
}

// TestUntarSparse extracts testdata/sparse.tar, 2560 bytes that GNU tar 1.34
// wrote (tar -S --format=pax) for a file of 64 MB of which all but its last
// two bytes are a hole: untar refuses it and writes nothing, where it
// used to write the 64 MB of zeros (2 GB from a 10 kB archive of a larger
// hole). It is also a seed of FuzzUntar.
func TestUntarSparse(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "sparse.tar"))
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	err = untar(context.Background(), tar.NewReader(bytes.NewReader(data)), root)
	if !errors.Is(err, ErrUnsafeArchive) || !strings.Contains(err.Error(), "big is a sparse file of 67108866 bytes") {
		t.Errorf("error %v, want ErrUnsafeArchive for the sparse file big", err)
	}
	if ents, err := os.ReadDir(root); err != nil || len(ents) != 0 {
		t.Errorf("destination holds %v (%v), want nothing", ents, err)
	}
}

// FuzzUntar feeds arbitrary tar streams to the extractor: whatever it
// accepts or refuses, nothing may appear outside the destination.
func FuzzUntar(f *testing.F) {
	add := func(entries []entry) {
		zb := makeTarball(f, entries)
		zr, err := gzip.NewReader(bytes.NewReader(zb))
		if err != nil {
			f.Fatal(err)
		}
		var raw bytes.Buffer
		raw.ReadFrom(zr)
		f.Add(raw.Bytes())
	}
	add(goodEntries())
	add([]entry{{name: "../escape", typ: tar.TypeReg, body: "x"}})
	add([]entry{{name: "d", link: "..", typ: tar.TypeSymlink}, {name: "d/x", typ: tar.TypeReg, body: "x"}})
	add([]entry{{name: "h", link: "../x", typ: tar.TypeLink}})
	sparse, err := os.ReadFile(filepath.Join("testdata", "sparse.tar"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(sparse)
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := t.TempDir()
		root := filepath.Join(parent, "root")
		if err := os.Mkdir(root, 0o755); err != nil {
			t.Fatal(err)
		}
		untar(context.Background(), tar.NewReader(bytes.NewReader(data)), root)
		ents, err := os.ReadDir(parent)
		if err != nil {
			t.Fatal(err)
		}
		if len(ents) != 1 || ents[0].Name() != "root" {
			t.Fatalf("entries beside the destination: %v", ents)
		}
		filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.Type()&os.ModeSymlink == 0 {
				return nil
			}
			target, _ := os.Readlink(p)
			rel, _ := filepath.Rel(root, filepath.Join(filepath.Dir(p), target))
			if filepath.IsAbs(target) || rel == ".." || strings.HasPrefix(rel, "../") {
				t.Fatalf("link %s -> %s points out", p, target)
			}
			return nil
		})
	})
}
