package inbox

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"
)

// destination is root/<department>/<YYYY-MM-DD>/<name>, with -1, -2, …
// before the extension if that name is taken: a clerk who drops
// report.csv every month must not overwrite last month's archive.
func destination(root, dept string, day time.Time, name string) (string, error) {
	dir := filepath.Join(root, dept, day.Format("2006-01-02"))
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", fmt.Errorf("cannot create %s: %w", dir, err)
	}
	ext := filepath.Ext(name)
	if len(ext) > 16 {
		ext = "" // not an extension worth keeping whole
	}
	base := strings.TrimSuffix(name, ext)
	for i := 0; i < 10000; i++ {
		suffix := ""
		if i > 0 {
			suffix = fmt.Sprintf("-%d", i)
		}
		// The name and its report must fit the file system's limit of
		// 255 bytes per name: a long name is shortened, never refused
		// (which would leave the file in the inbox for ever).
		cand := truncateName(base, maxName-len(reportTemp(reportSuffix))-len(suffix)-len(ext)) + suffix + ext
		p := filepath.Join(dir, cand)
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			if _, err := os.Lstat(p + reportSuffix); errors.Is(err, os.ErrNotExist) {
				return p, nil
			}
		}
	}
	return "", fmt.Errorf("too many files named %s in %s", name, dir)
}

// maxName is the longest file name (in bytes) Linux file systems take.
const maxName = 255

// reportSuffix names the report beside a moved file.
const reportSuffix = ".report.txt"

// truncateName cuts s to at most n bytes at a character boundary.
func truncateName(s string, n int) string {
	if len(s) <= n {
		return s
	}
	n = max(n, 0)
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// moveFile renames src to dst, copying across file systems (the archive
// may be on another volume than a mounted inbox share). Only a regular
// file with one link is ever copied: a symlink is re-created at dst (its
// target is neither read nor moved), and anything else — a hard link to a
// file elsewhere, a pipe — is only unlinked from the inbox, never read.
func moveFile(src, dst string) error {
	err := os.Rename(src, dst)
	if err == nil || !errors.Is(err, syscall.EXDEV) {
		return err
	}
	if fi, err := os.Lstat(src); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		if err := os.Symlink(target, dst); err != nil {
			return err
		}
		return os.Remove(src)
	}
	in, err := os.OpenFile(src, os.O_RDONLY|openNoFollow|openNonBlock, 0)
	if err != nil {
		return err
	}
	defer in.Close()
	if fi, err := in.Stat(); err != nil {
		return err
	} else if !fi.Mode().IsRegular() || linkCount(fi) > 1 {
		return os.Remove(src)
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		os.Remove(dst)
		return err
	}
	if err := out.Close(); err != nil {
		os.Remove(dst)
		return err
	}
	return os.Remove(src)
}

// writeReport writes the report atomically (temp file, then rename), so a
// clerk never opens half a report. The temp file's name is the report's
// own (reportTemp), hidden: a daemon stopped while writing it leaves one,
// which the next report for that file — the file is still in the inbox,
// and goes to the same name — takes over.
func writeReport(path, text string) error {
	tmp := filepath.Join(filepath.Dir(path), reportTemp(filepath.Base(path)))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Chmod(tmp, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	return os.Rename(tmp, path)
}

// reportTemp is the name a report named name is written under first.
func reportTemp(name string) string { return "." + name + ".tmp" }
