package inbox

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Hostile drops: what a clerk (or anyone who can write to a department
// folder) could put there to make the daemon read, move or echo something
// it should not. The rule: nothing outside the inbox is ever read, moved or
// copied; every report line starts with the daemon's own text.

const validCSV = "indicator,value,as_of\nrenovated_households,900000,2022-06-30\n"

// secretCSV is a valid file carrying a marker that must never appear in a
// report or in the store: if it does, the daemon read a file it must not.
const secretCSV = "indicator,value,as_of,note\nrenovated_households,1,2022-06-30,SECRET-MARKER\n"

// onlyUnder fails if any file exists under e.root outside the inbox,
// archive, rejected and data folders (or the test's own outside folder).
func (e *env) onlyUnder(extra ...string) {
	e.t.Helper()
	allowed := append([]string{"inbox", "archive", "rejected", "data"}, extra...)
	filepath.WalkDir(e.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == e.root {
			return nil
		}
		rel, _ := filepath.Rel(e.root, p)
		top := strings.Split(rel, string(filepath.Separator))[0]
		for _, a := range allowed {
			if top == a {
				return nil
			}
		}
		e.t.Errorf("%s was written outside the inbox, archive and rejected folders", rel)
		return nil
	})
}

func (e *env) outside(name, content string) string {
	e.t.Helper()
	dir := filepath.Join(e.root, "outside")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		e.t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) unchanged(p, content string) {
	e.t.Helper()
	b, err := os.ReadFile(p)
	if err != nil || string(b) != content {
		e.t.Fatalf("%s outside the inbox was moved or changed (%v)", p, err)
	}
}

func TestHardLinkIsRejectedUnread(t *testing.T) {
	e := newEnv(t, Options{})
	secret := e.outside("secret.csv", secretCSV)
	if err := os.Link(secret, filepath.Join(e.in.opts.Dir, "housing", "link.csv")); err != nil {
		t.Skipf("cannot make a hard link here: %v", err)
	}
	e.settle()
	if e.stored() != 0 {
		t.Fatal("a hard-linked file was read and stored")
	}
	rep := e.moved("rejected", "housing", "link.csv")
	if !strings.Contains(rep, "hard links are not accepted") || strings.Contains(rep, "SECRET-MARKER") {
		t.Errorf("report:\n%s", rep)
	}
	e.unchanged(secret, secretCSV)
	e.onlyUnder("outside")
}

func TestSymlinkedDepartmentFolderIsNotFollowed(t *testing.T) {
	e := newEnv(t, Options{})
	secret := e.outside("q.csv", secretCSV)
	dept := filepath.Join(e.in.opts.Dir, "housing")
	if err := os.Remove(dept); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Dir(secret), dept); err != nil {
		t.Fatal(err)
	}
	e.settle()
	if e.stored() != 0 {
		t.Fatal("a file behind a symlinked department folder was read")
	}
	e.unchanged(secret, secretCSV)
	// The link itself is moved away as a stray, and the real folder is
	// created again for the clerks.
	if fi, err := os.Lstat(filepath.Join(e.root, "rejected", unknownDept, "2022-07-05", "housing")); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("the symlinked folder was not moved to rejected as a link: %v", err)
	}
	e.settle() // gone for the settle period
	if fi, err := os.Lstat(dept); err != nil || !fi.IsDir() {
		t.Fatalf("the department folder was not re-created: %v", err)
	}
	e.onlyUnder("outside")
}

// TestDeletedDepartmentFolderIsRecreatedOnceGoneForTheSettlePeriod: not
// at the scan that finds it missing, which may run while "rm -rf" is
// still removing the inbox (a folder made then fails it with "directory
// not empty"), but at a scan the settle period later.
func TestDeletedDepartmentFolderIsRecreatedOnceGoneForTheSettlePeriod(t *testing.T) {
	e := newEnv(t, Options{})
	dir := filepath.Join(e.in.opts.Dir, "ndrc")
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if wait := e.in.Scan(context.Background()); wait <= 0 || wait > e.in.opts.Settle {
		t.Errorf("Scan asks to be run again in %v, want within the settle period %v", wait, e.in.opts.Settle)
	}
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("re-created at the scan that found it missing: %v", err)
	}
	time.Sleep(e.in.opts.Settle + 5*time.Millisecond)
	e.in.Scan(context.Background())
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("not re-created after the settle period: %v", err)
	}
	if !e.in.takeRewatch() {
		t.Error("Run is not told to watch the re-created folder")
	}
}

// TestFolderBackBeforeTheSettlePeriodRestartsTheCount: a folder found
// missing, back, then missing again waits a full settle period from the
// second time.
func TestFolderBackBeforeTheSettlePeriodRestartsTheCount(t *testing.T) {
	e := newEnv(t, Options{})
	dir := filepath.Join(e.in.opts.Dir, "ndrc")
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	e.in.Scan(context.Background())
	if err := os.Mkdir(dir, 0o750); err != nil { // put back by its clerk
		t.Fatal(err)
	}
	time.Sleep(e.in.opts.Settle + 5*time.Millisecond)
	e.in.Scan(context.Background())
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	e.in.Scan(context.Background())
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("re-created at once, counting from when it was first missing: %v", err)
	}
}

// openNoFollowFile is the last check before reading: a name swapped after the
// scan for a symlink, a hard link or a pipe gets nothing read (and a pipe
// does not block the inbox).
func TestReadNoFollowRefusesWhatTheScanWouldHave(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "target.csv")
	if err := os.WriteFile(target, []byte(secretCSV), 0o644); err != nil {
		t.Fatal(err)
	}
	sym := filepath.Join(dir, "sym.csv")
	if err := os.Symlink(target, sym); err != nil {
		t.Fatal(err)
	}
	hard := filepath.Join(dir, "hard.csv")
	if err := os.Link(target, hard); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.csv")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{sym, hard, fifo} {
		done := make(chan error, 1)
		go func() { _, err := readNoFollow(p); done <- err }()
		select {
		case err := <-done:
			if err == nil {
				t.Errorf("%s was read", filepath.Base(p))
			}
		case <-time.After(3 * time.Second):
			t.Fatalf("reading %s blocked", filepath.Base(p))
		}
	}
	os.Remove(hard)
	if b, err := readNoFollow(target); err != nil || string(b) != secretCSV {
		t.Fatalf("a plain file with one link is read: %q %v", b, err)
	}
}

func TestFileNamesWithDotsAndControlCharacters(t *testing.T) {
	e := newEnv(t, Options{})
	accepted := map[string]string{
		`x..\..\evil.csv`:         "indicator,value,as_of\nrenovated_households,100,2022-01-31\n",
		"a..b.csv":                "indicator,value,as_of\nrenovated_households,200,2022-02-28\n",
		"=cmd|' \\C calc'!A0.csv": "indicator,value,as_of\nrenovated_households,300,2022-03-31\n",
		"报送\xb1\xa8.csv":          "indicator,value,as_of\nrenovated_households,400,2022-04-30\n", // a GBK byte in the name
	}
	// A leading dot makes a hidden file, which is left alone.
	hidden := e.drop("housing", `..\..\hidden.csv`, []byte(validCSV))
	rejected := []string{"two\nlines.csv", "escape\x1b[2J.csv", "tab\t.csv", "cr\r.csv", "del\x7f.csv", "c1\u0085.csv"}
	for n, data := range accepted {
		e.drop("housing", n, []byte(data))
	}
	for i, n := range rejected {
		e.drop("housing", n, []byte(strings.Replace(validCSV, "900000", string(rune('1'+i)), 1)))
	}
	e.settle()
	if got := e.count("housing", Accepted); got != float64(len(accepted)) {
		t.Errorf("accepted %v files, want %d", got, len(accepted))
	}
	for n := range accepted {
		rep := e.moved("archive", "housing", n)
		checkReportLines(t, n, rep, 4)
	}
	for _, n := range rejected {
		rep := e.moved("rejected", "housing", n)
		if !strings.Contains(rep, "control characters") {
			t.Errorf("%q: report should say why:\n%s", n, rep)
		}
		// The name is shown quoted and escaped, on the file line.
		checkReportLines(t, n, rep, 5)
	}
	if e.stored() != int64(len(accepted)) {
		t.Errorf("stored %d observations, want %d", e.stored(), len(accepted))
	}
	if _, err := os.Stat(hidden); err != nil {
		t.Errorf("a hidden file was touched: %v", err)
	}
	e.onlyUnder()
}

// checkReportLines checks a report has lines lines and that each starts
// with the daemon's own text: no name or cell can start a line, so nothing
// in a report can pass for a formula (=, +, -, @) or forge a line.
func checkReportLines(t *testing.T, name, rep string, lines int) {
	t.Helper()
	ls := strings.Split(strings.TrimSuffix(strings.TrimPrefix(rep, "\ufeff"), "\r\n"), "\r\n")
	if lines > 0 && len(ls) != lines {
		t.Errorf("%q: report has %d lines, want %d:\n%q", name, len(ls), lines, rep)
	}
	for _, l := range ls {
		if strings.ContainsAny(l, "\r\n") {
			t.Errorf("%q: a bare line break inside a report line: %q", name, l)
		}
		if l != "" && strings.ContainsRune("=+-@\t|\"'", rune(l[0])) {
			t.Errorf("%q: a report line starts with %q: %q", name, l[0], l)
		}
	}
}

// formulas are cells Excel would run if they started a cell of a sheet.
var formulas = []string{`=cmd|' /C calc'!A0`, `+1+cmd|' /C calc'!A0`, `-2+3`, `@SUM(1+1)*cmd|' /C calc'!A0`,
	"=HYPERLINK(\"http://x/?\"&A1,\"click\")", "\t=1+1", "\r=1+1"}

func TestFormulaCellsNeverStartAReportLine(t *testing.T) {
	e := newEnv(t, Options{})
	var files []string
	for i, f := range formulas {
		q := `"` + strings.ReplaceAll(f, `"`, `""`) + `"`
		for j, data := range []string{
			"indicator,value,as_of\n" + q + ",1,2022-06-30\n",                                                          // indicator
			"indicator,value,as_of\nrenovated_households," + q + ",2022-06-30\n",                                       // value
			"indicator,value,as_of\nrenovated_households,1," + q + "\n",                                                // date
			"indicator,region,value,as_of\nrenovated_households," + q + ",1,2022-06-30\n",                              // region
			"indicator,value,as_of," + q + "\nrenovated_households,1,2022-06-30,x\n",                                   // header: a warning in an accepted file
			"indicator,value,as_of,note\nrenovated_households,1," + "2021-0" + string(rune('1'+i)) + "-20," + q + "\n", // note: accepted, kept verbatim
		} {
			n := "f" + string(rune('a'+i)) + string(rune('0'+j)) + ".csv"
			e.drop("housing", n, []byte(data))
			files = append(files, n)
		}
	}
	e.settle()
	for _, n := range files {
		var rep string
		for _, root := range []string{"archive", "rejected"} {
			if b, err := os.ReadFile(filepath.Join(e.root, root, "housing", "2022-07-05", n+".report.txt")); err == nil {
				rep = string(b)
			}
		}
		if rep == "" {
			t.Fatalf("no report for %s", n)
		}
		checkReportLines(t, n, rep, 0)
	}
	for _, f := range formulas {
		// Where a report shows a cell, it is inside quotes and escaped.
		for _, n := range files {
			b, _ := os.ReadFile(filepath.Join(e.root, "rejected", "housing", "2022-07-05", n+".report.txt"))
			if i := strings.Index(string(b), f); i > 0 && b[i-1] != '"' {
				t.Errorf("%s: cell %q shown unquoted", n, f)
			}
		}
	}
	// Notes are data: kept verbatim in the history for the audit; outputs
	// escape them (the web pages by html/template).
	h, err := e.st.History(context.Background(), "renovated_households")
	if err != nil {
		t.Fatal(err)
	}
	kept := map[string]bool{}
	for _, r := range h {
		kept[r.Note] = true
	}
	for _, f := range formulas {
		if !kept[strings.TrimSpace(f)] {
			t.Errorf("note %q not kept verbatim", f)
		}
	}
}

func TestZeroByteFileIsRejectedAsEmpty(t *testing.T) {
	e := newEnv(t, Options{})
	e.drop("housing", "empty.csv", nil)
	e.settle()
	rep := e.moved("rejected", "housing", "empty.csv")
	if !strings.Contains(rep, "the file is empty") {
		t.Errorf("report:\n%s", rep)
	}
}

// A 1 GB sparse file with the default limits is refused by its size:
// the scan allocates next to nothing, so it was never read.
func TestSparseGigabyteFileIsRefusedWithoutReadingIt(t *testing.T) {
	e := newEnv(t, Options{})
	p := filepath.Join(e.in.opts.Dir, "housing", "huge.csv")
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 30); err != nil {
		t.Fatal(err)
	}
	f.Close()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	e.settle()
	runtime.ReadMemStats(&after)
	if rep := e.moved("rejected", "housing", "huge.csv"); !strings.Contains(rep, "too large") {
		t.Errorf("report:\n%s", rep)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("refusing a 1 GB file allocated %d MiB: it was read", alloc>>20)
	}
}

// A name near the file system's 255-byte limit still gets its report,
// also when it is taken a second time and needs a "-1" suffix.
func TestLongFileNamesKeepTheirReports(t *testing.T) {
	e := newEnv(t, Options{})
	name := strings.Repeat("长", 81) + ".csv" // 247 bytes
	e.drop("housing", name, []byte(validCSV))
	e.settle()
	e.drop("housing", name, []byte(validCSV))
	e.settle()
	if _, err := os.Stat(filepath.Join(e.in.opts.Dir, "housing", name)); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the second file is still in the inbox: %v", err)
	}
	reps, _ := filepath.Glob(filepath.Join(e.root, "archive", "housing", "2022-07-05", "*.report.txt"))
	if len(reps) != 2 {
		t.Fatalf("want 2 reports, got %v", reps)
	}
	if e.count("housing", Accepted) != 1 || e.count("housing", Duplicate) != 1 {
		t.Errorf("accepted %v, duplicate %v; want 1 and 1", e.count("housing", Accepted), e.count("housing", Duplicate))
	}
}

// otherFileSystem returns a fresh folder on another file system than dir,
// or skips: /dev/shm is usually a tmpfs; failing that, a tmpfs is mounted
// (root only).
func otherFileSystem(t *testing.T, dir string) string {
	t.Helper()
	dev := func(p string) uint64 {
		var st syscall.Stat_t
		if err := syscall.Stat(p, &st); err != nil {
			return 0
		}
		return uint64(st.Dev)
	}
	if d, err := os.MkdirTemp("/dev/shm", "inbox-test-"); err == nil {
		t.Cleanup(func() { os.RemoveAll(d) })
		if dev(d) != dev(dir) {
			return d
		}
	}
	d := t.TempDir()
	if err := syscall.Mount("tmpfs", d, "tmpfs", 0, "size=16m"); err != nil {
		t.Skipf("no second file system to move across (%v)", err)
	}
	t.Cleanup(func() { syscall.Unmount(d, 0) })
	return d
}

// With the archive on another file system, files are copied, not renamed:
// a symlink is re-created as a link (its target neither read nor copied),
// a hard link is unlinked from the inbox without being read, and a plain
// file arrives whole.
func TestMoveAcrossFileSystemsNeverCopiesALink(t *testing.T) {
	e := newEnv(t, Options{})
	other := otherFileSystem(t, e.root)
	e.in.opts.ArchiveDir = filepath.Join(other, "archive")
	e.in.opts.RejectedDir = filepath.Join(other, "rejected")
	secret := e.outside("secret.csv", secretCSV)
	if err := os.Symlink(secret, filepath.Join(e.in.opts.Dir, "housing", "sym.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(secret, filepath.Join(e.in.opts.Dir, "housing", "hard.csv")); err != nil {
		t.Fatal(err)
	}
	e.drop("housing", "plain.csv", []byte(validCSV))
	e.settle()

	day := "2022-07-05"
	if fi, err := os.Lstat(filepath.Join(other, "rejected", "housing", day, "sym.csv")); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the symlink did not arrive as a link: %v", err)
	}
	if _, err := os.Lstat(filepath.Join(other, "rejected", "housing", day, "hard.csv")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a hard-linked file was copied across file systems: %v", err)
	}
	rep, err := os.ReadFile(filepath.Join(other, "rejected", "housing", day, "hard.csv.report.txt"))
	if err != nil || !strings.Contains(string(rep), "hard links") {
		t.Errorf("no report for the hard link: %v\n%s", err, rep)
	}
	if b, err := os.ReadFile(filepath.Join(other, "archive", "housing", day, "plain.csv")); err != nil || string(b) != validCSV {
		t.Errorf("the plain file was not copied whole: %v", err)
	}
	left, _ := os.ReadDir(filepath.Join(e.in.opts.Dir, "housing"))
	if len(left) != 0 {
		t.Errorf("files left in the inbox: %v", left)
	}
	e.unchanged(secret, secretCSV)
	if e.stored() != 1 {
		t.Errorf("stored %d observations, want the plain file's 1", e.stored())
	}
	filepath.WalkDir(other, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if b, _ := os.ReadFile(p); strings.Contains(string(b), "SECRET-MARKER") {
				t.Errorf("%s holds the content of a file outside the inbox", p)
			}
		}
		return nil
	})
}

// readNoFollow reads a file through openNoFollowFile, as the inbox does.
func readNoFollow(path string) ([]byte, error) {
	f, err := openNoFollowFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
