package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tarGz builds a gzipped tar of regular files (name -> content).
func tarGz(t *testing.T, files [][2]string) ([]byte, string) {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, f := range files {
		if err := tw.WriteHeader(&tar.Header{Name: f[0], Mode: 0o644, Size: int64(len(f[1])), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write([]byte(f[1]))
	}
	tw.Close()
	zw.Close()
	s := sha256.Sum256(buf.Bytes())
	return buf.Bytes(), hex.EncodeToString(s[:])
}

func serve(body []byte) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "sc.tar.gz", time.Time{}, bytes.NewReader(body))
	}))
}

func TestDownloadCommand(t *testing.T) {
	body, sum := tarGz(t, [][2]string{
		{"./yes/0a7c2a8d_nohash_0.wav", "RIFF"},
		{"./testing_list.txt", "yes/0a7c2a8d_nohash_0.wav\n"},
	})
	ts := serve(body)
	defer ts.Close()
	dir := filepath.Join(t.TempDir(), "data")
	args := []string{"download", "-url", ts.URL + "/sc.tar.gz", "-sha256", sum, "-dir", dir}
	var out, errb bytes.Buffer
	if code := run(context.Background(), args, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	want := filepath.Join(dir, "speech_commands_v0.02")
	if strings.TrimSpace(out.String()) != want {
		t.Errorf("stdout %q, want %q", out.String(), want)
	}
	if !strings.Contains(errb.String(), "100.0%") {
		t.Errorf("no progress bar on stderr: %q", errb.String())
	}
	if b, err := os.ReadFile(filepath.Join(want, "yes", "0a7c2a8d_nohash_0.wav")); err != nil || string(b) != "RIFF" {
		t.Errorf("extracted clip: %q, %v", b, err)
	}
	if _, err := os.Stat(want + ".tar.gz"); err == nil {
		t.Error("tarball kept without -keep")
	}
	out.Reset()
	if code := run(context.Background(), args, &out, &errb); code != 0 || !strings.Contains(out.String(), "already exists") {
		t.Errorf("second run: exit %d, %q", code, out.String())
	}
}

func TestDownloadCommandErrors(t *testing.T) {
	evil, evilSum := tarGz(t, [][2]string{{"./yes/a.wav", "RIFF"}, {"../escape", "gotcha"}})
	ts := serve(evil)
	defer ts.Close()
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"bad version", []string{"-version", "v3"}, 2, "want v0.01 or v0.02"},
		{"url without sum", []string{"-url", ts.URL}, 2, "-url needs -sha256"},
		{"bad sum", []string{"-sha256", "abc"}, 2, "64 hex digits"},
		{"wrong sum", []string{"-url", ts.URL, "-sha256", strings.Repeat("a", 64), "-dir", dir}, 1, "checksum mismatch"},
		{"escape", []string{"-url", ts.URL, "-sha256", evilSum, "-dir", dir}, 1, "leaves the destination"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := run(context.Background(), append([]string{"download"}, tc.args...), &out, &errb)
			if code != tc.code || !strings.Contains(errb.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errb.String(), tc.code, tc.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "escape")); err == nil {
		t.Error("../escape was written")
	}
	if _, err := os.Stat(filepath.Join(dir, "speech_commands_v0.02")); err == nil {
		t.Error("refused archive left a dataset folder")
	}
}
