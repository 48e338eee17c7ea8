package datasets

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Version is a published release of the Speech Commands dataset.
type Version struct {
	Name   string // "v0.01" or "v0.02"
	URL    string
	SHA256 string // hex SHA-256 of the tarball
	Clips  int
}

// Versions are the public Speech Commands tarballs. The SHA-256 sums are
// the ones torchaudio pins for these URLs (torchaudio/datasets/
// speechcommands.py, _CHECKSUMS, as shipped in Debian's python3-torchaudio;
// the v0.02 sum is also the one other public downloaders pin). They could
// not be recomputed here (no network); `listen download` refuses a tarball
// whose hash differs.
var Versions = []Version{
	{"v0.01", "http://download.tensorflow.org/data/speech_commands_v0.01.tar.gz",
		"743935421bb51cccdb6bdd152e04c5c70274e935c82119ad7faeec31780d811d", 64727},
	{"v0.02", "http://download.tensorflow.org/data/speech_commands_v0.02.tar.gz",
		"af14739ee7dc311471de98f5f9d2c9191b18aedfe957f4a6ff791c709868ff58", 105829},
}

// LookupVersion returns the Version called name ("v0.02", or "0.02").
func LookupVersion(name string) (Version, error) {
	for _, v := range Versions {
		if v.Name == name || v.Name == "v"+name {
			return v, nil
		}
	}
	return Version{}, fmt.Errorf("datasets: unknown Speech Commands version %q (want v0.01 or v0.02)", name)
}

// ErrChecksum is wrapped by the error Download returns when the file's
// SHA-256 is not the expected one.
var ErrChecksum = errors.New("checksum mismatch")

// downloadAttempts is how many requests Download makes while each one
// brings new bytes.
const downloadAttempts = 5

// Download fetches url into dest. Data goes to dest+".part" first; an
// existing .part (an interrupted download) is resumed with an HTTP Range
// request, and a connection that breaks mid-way is resumed the same way (up
// to 5 requests while each brings new bytes). The whole file must have the
// SHA-256 wantSHA256 (hex; "" skips the check): if so, the .part is renamed
// to dest; if not, it is removed and the error wraps ErrChecksum. A dest that
// already exists with the right hash is kept as is. Progress (a bar with
// rate and ETA, redrawn with \r) goes to progress unless it is nil.
func Download(ctx context.Context, url, wantSHA256, dest string, progress io.Writer) error {
	wantSHA256 = strings.ToLower(wantSHA256)
	if wantSHA256 != "" {
		if got, err := fileSHA256(dest); err == nil && got == wantSHA256 {
			return nil
		}
	}
	part := dest + ".part"
	f, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("download %s: %w", url, err)
	}
	defer f.Close()
	h := sha256.New()
	have, err := io.Copy(h, f) // hash what an earlier run fetched
	if err != nil {
		return fmt.Errorf("download %s: read %s: %w", url, part, err)
	}
	bar := &progressBar{w: progress, name: filepath.Base(dest), start: time.Now(), from: have}
	var lastErr error
	for attempt := 0; attempt < downloadAttempts; attempt++ {
		before := have
		var done bool
		done, have, err = fetch(ctx, url, f, h, have, bar)
		if done {
			lastErr = nil
			break
		}
		lastErr = err
		var se statusError
		if ctx.Err() != nil || errors.As(err, &se) || have == before && attempt > 0 {
			break
		}
	}
	bar.finish()
	if lastErr != nil {
		return fmt.Errorf("download %s: %w (%d bytes kept in %s; run again to resume)", url, lastErr, have, part)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("download %s: %w", url, err)
	}
	got := hex.EncodeToString(h.Sum(nil))
	if wantSHA256 != "" && got != wantSHA256 {
		os.Remove(part)
		return fmt.Errorf("download %s: %w: SHA-256 %s, want %s (the partial file was removed)", url, ErrChecksum, got, wantSHA256)
	}
	if err := os.Rename(part, dest); err != nil {
		return fmt.Errorf("download %s: %w", url, err)
	}
	return nil
}

// fetch requests url from byte have on and appends the body to f and h. It
// reports whether the file is complete, and the new length.
func fetch(ctx context.Context, url string, f *os.File, h hash.Hash, have int64, bar *progressBar) (bool, int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return false, have, err
	}
	if have > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", have))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false, have, err
	}
	defer resp.Body.Close()
	total := int64(-1)
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0:
		start, size, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != have {
			return false, have, fmt.Errorf("server sent range %q for bytes=%d-", resp.Header.Get("Content-Range"), have)
		}
		total = size
	case resp.StatusCode == http.StatusOK:
		if have > 0 { // the server ignores Range: start over
			if err := f.Truncate(0); err != nil {
				return false, have, err
			}
			h.Reset()
			have = 0
			bar.from = 0
		}
		total = resp.ContentLength
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && have > 0:
		// The .part already holds the whole file (or more): let the
		// checksum decide.
		return true, have, nil
	default:
		return false, have, statusError(resp.Status)
	}
	if _, err := f.Seek(have, io.SeekStart); err != nil {
		return false, have, err
	}
	bar.total = total
	buf := make([]byte, 256<<10)
	for {
		n, rerr := resp.Body.Read(buf)
		if n > 0 {
			if _, err := f.Write(buf[:n]); err != nil {
				return false, have, err
			}
			h.Write(buf[:n])
			have += int64(n)
			bar.update(have)
		}
		if rerr == io.EOF {
			break
		}
		if rerr != nil {
			return false, have, rerr
		}
	}
	if total >= 0 && have != total {
		return false, have, fmt.Errorf("connection closed at byte %d of %d: %w", have, total, io.ErrUnexpectedEOF)
	}
	return true, have, nil
}

// statusError is an HTTP status that retrying will not change.
type statusError string

func (e statusError) Error() string { return "HTTP " + string(e) }

// parseContentRange parses "bytes START-END/SIZE" (SIZE may be *: -1).
func parseContentRange(s string) (start, size int64, ok bool) {
	s, found := strings.CutPrefix(s, "bytes ")
	if !found {
		return 0, 0, false
	}
	rng, sz, found := strings.Cut(s, "/")
	if !found {
		return 0, 0, false
	}
	a, _, found := strings.Cut(rng, "-")
	if !found {
		return 0, 0, false
	}
	start, err := strconv.ParseInt(a, 10, 64)
	if err != nil {
		return 0, 0, false
	}
	size = -1
	if sz != "*" {
		if size, err = strconv.ParseInt(sz, 10, 64); err != nil {
			return 0, 0, false
		}
	}
	return start, size, true
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// progressBar draws "name  42.0% [=====>    ] 1.02/2.43 GB  11.3 MB/s  ETA 2m05s"
// at most five times a second.
type progressBar struct {
	w      io.Writer
	name   string
	start  time.Time
	from   int64 // bytes present before this run (not counted in the rate)
	total  int64 // -1: unknown
	last   time.Time
	have   int64
	drawn  bool
	frozen bool
}

func (p *progressBar) update(have int64) {
	p.have = have
	if p.w == nil || time.Since(p.last) < 200*time.Millisecond && have != p.total {
		return
	}
	p.last = time.Now()
	p.draw()
}

func (p *progressBar) draw() {
	el := time.Since(p.start).Seconds()
	rate := 0.0
	if el > 0 {
		rate = float64(p.have-p.from) / el
	}
	line := p.name
	if p.total > 0 {
		frac := min(float64(p.have)/float64(p.total), 1)
		const width = 24
		fill := int(frac * width)
		bar := strings.Repeat("=", fill)
		if fill < width {
			bar += ">" + strings.Repeat(" ", width-fill-1)
		}
		eta := "?"
		if rate > 0 {
			eta = time.Duration(float64(p.total-p.have) / rate * float64(time.Second)).Round(time.Second).String()
		}
		line += fmt.Sprintf("  %5.1f%% [%s] %s/%s  %s/s  ETA %s", 100*frac, bar, size(p.have), size(p.total), size(int64(rate)), eta)
	} else {
		line += fmt.Sprintf("  %s  %s/s", size(p.have), size(int64(rate)))
	}
	fmt.Fprintf(p.w, "\r%-78s", line)
	p.drawn = true
}

func (p *progressBar) finish() {
	if p.w == nil || p.frozen {
		return
	}
	p.frozen = true
	if p.have > p.from || p.drawn {
		p.draw()
		fmt.Fprintln(p.w)
	}
}

func size(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.2f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Extract unpacks the gzip-compressed tar archive at tarball into the new
// folder dir, which must not exist. It refuses (and leaves nothing behind)
// an archive with an absolute path or one that climbs out with "..", a
// symbolic or hard link whose target lies outside dir, an entry below a
// symbolic link, a sparse file, or a device or FIFO. Entries go to a temporary folder
// beside dir, renamed to dir once all are written, so dir appears complete
// or not at all. Extraction stops, leaving nothing, when ctx ends.
// Permissions keep only the rwx bits (at most 0755 for
// folders, 0644 or 0755 for files).
func Extract(ctx context.Context, tarball, dir string) (err error) {
	if _, err := os.Lstat(dir); err == nil {
		return fmt.Errorf("extract %s: %s already exists", tarball, dir)
	}
	f, err := os.Open(tarball)
	if err != nil {
		return fmt.Errorf("extract %s: %w", tarball, err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("extract %s: %w", tarball, err)
	}
	parent := filepath.Dir(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("extract %s: %w", tarball, err)
	}
	tmp, err := os.MkdirTemp(parent, "."+filepath.Base(dir)+".tmp")
	if err != nil {
		return fmt.Errorf("extract %s: %w", tarball, err)
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := untar(ctx, tar.NewReader(zr), tmp); err != nil {
		return fmt.Errorf("extract %s: %w", tarball, err)
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("extract %s: %w", tarball, err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("extract %s: %w", tarball, err)
	}
	return nil
}

// ErrUnsafeArchive is wrapped by Extract's error for an entry that would
// write or point outside the destination, or a sparse file, which would
// write more than the archive holds.
var ErrUnsafeArchive = errors.New("unsafe archive entry")

// untar writes the entries of tr below root.
func untar(ctx context.Context, tr *tar.Reader, root string) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		hdr, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if hdr.Typeflag == tar.TypeXGlobalHeader {
			continue
		}
		rel, err := safeRel(hdr.Name)
		if err != nil {
			return err
		}
		if rel == "." {
			continue
		}
		if err := noLinkParents(root, rel); err != nil {
			return err
		}
		target := filepath.Join(root, rel)
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg, tar.TypeRegA:
			if sparse(hdr) {
				// Its holes would be written out as zeros: a few blocks
				// of archive can claim any size.
				return fmt.Errorf("%w: %s is a sparse file of %d bytes", ErrUnsafeArchive, hdr.Name, hdr.Size)
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			mode := os.FileMode(0o644)
			if hdr.Mode&0o111 != 0 {
				mode = 0o755
			}
			out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
			if err != nil {
				return err
			}
			_, err = io.Copy(out, tr)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("%s: %w", hdr.Name, err)
			}
		case tar.TypeSymlink:
			if filepath.IsAbs(hdr.Linkname) || strings.HasPrefix(hdr.Linkname, "/") {
				return fmt.Errorf("%w: %s links to absolute path %s", ErrUnsafeArchive, hdr.Name, hdr.Linkname)
			}
			if _, err := safeRel(filepath.Join(filepath.Dir(rel), hdr.Linkname)); err != nil {
				return fmt.Errorf("%w: %s links to %s, outside the destination", ErrUnsafeArchive, hdr.Name, hdr.Linkname)
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			if err := os.Symlink(hdr.Linkname, target); err != nil {
				return err
			}
		case tar.TypeLink:
			old, err := safeRel(hdr.Linkname)
			if err != nil {
				return fmt.Errorf("%w: %s hard-links to %s, outside the destination", ErrUnsafeArchive, hdr.Name, hdr.Linkname)
			}
			if err := noLinkParents(root, old); err != nil {
				return err
			}
			if st, err := os.Lstat(filepath.Join(root, old)); err != nil || !st.Mode().IsRegular() {
				return fmt.Errorf("%w: %s hard-links to %s, not a file extracted before it", ErrUnsafeArchive, hdr.Name, hdr.Linkname)
			}
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return err
			}
			if err := os.Link(filepath.Join(root, old), target); err != nil {
				return err
			}
		default:
			return fmt.Errorf("%w: %s has type %q (not a file, folder or link)", ErrUnsafeArchive, hdr.Name, hdr.Typeflag)
		}
	}
}

// sparse reports whether hdr is a GNU sparse file in PAX form (archive/tar
// reports the old GNU form as TypeGNUSparse, which untar refuses as a type).
func sparse(hdr *tar.Header) bool {
	for k := range hdr.PAXRecords {
		if strings.HasPrefix(k, "GNU.sparse.") {
			return true
		}
	}
	return false
}

// safeRel cleans an archive path and refuses one that is absolute or climbs
// out of the destination.
func safeRel(name string) (string, error) {
	n := strings.ReplaceAll(name, "\\", "/")
	if strings.HasPrefix(n, "/") || filepath.IsAbs(name) || filepath.VolumeName(name) != "" {
		return "", fmt.Errorf("%w: absolute path %q", ErrUnsafeArchive, name)
	}
	rel := filepath.Clean(filepath.FromSlash(n))
	if rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%w: path %q leaves the destination", ErrUnsafeArchive, name)
	}
	return rel, nil
}

// noLinkParents refuses rel when one of its parent folders below root is a
// symbolic link (writing through it could land anywhere).
func noLinkParents(root, rel string) error {
	p := root
	parts := strings.Split(filepath.Dir(rel), string(filepath.Separator))
	for _, part := range parts {
		if part == "." || part == "" {
			continue
		}
		p = filepath.Join(p, part)
		st, err := os.Lstat(p)
		if errors.Is(err, os.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if st.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("%w: %s lies below the symbolic link %s", ErrUnsafeArchive, rel, part)
		}
	}
	return nil
}
