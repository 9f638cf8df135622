package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/store"
)

// Fault tests against the real binary: each starts the exporter as a
// process, breaks something (kill -9, a locked or full database, a missing
// inbox, a bad plan) and checks what a clerk, an operator and Prometheus
// would see.

// bigFile is a CSV of dept00 with rows data rows: its 20 indicators × 16
// cities × consecutive days from 2021-01-01.
func bigFile(rows int) []byte {
	var b bytes.Buffer
	b.Grow(rows * 40)
	b.WriteString("indicator,region,value,as_of\n")
	day := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	n := 0
	for d := 0; n < rows; d++ {
		date := day.AddDate(0, 0, d).Format("2006-01-02")
		for i := 0; i < 100 && n < rows; i += generatedDepartments {
			for _, c := range cities {
				if n == rows {
					break
				}
				fmt.Fprintf(&b, "ind_%03d,%s,%d,%s\n", i, c, d+1, date)
				n++
			}
		}
	}
	return b.Bytes()
}

// TestKill9DuringALargeIngestAppliesTheFileExactlyOnce kills the daemon
// twice while a 600,320-row file is being stored: once in the middle of
// its write transaction (seen from outside: another connection cannot take
// the write lock), once just after the commit (the batch is visible; the
// file may not have been moved yet). At every point the database holds
// all of the file or none of it, and after the last restart the file is
// applied exactly once and archived exactly once, with its acceptance
// report (committed with it, carried out after the restart if the kill
// came before the file reached the archive).
func TestKill9DuringALargeIngestAppliesTheFileExactlyOnce(t *testing.T) {
	// 1,876 days × 20 indicators × 16 cities: 18 MB, a write transaction
	// of about a second on a 2-core machine (150,080 rows took under the
	// 300 ms the first kill waits once the ingest got faster).
	const rows = 600_320
	s := newSite(t, generatedPlan(100))
	args := s.args("--inbox.max-rows=700000", "--inbox.max-file-size=67108864")
	data := bigFile(rows)
	sum := sha256.Sum256(data)

	d := launch(t, procOptions{}, args...)
	db := openDB(t, s.data)
	locked := writeLockProbe(t, s.data)
	start := time.Now()
	src := s.drop("dept00", "big.csv", data)

	// 1. In the middle of the transaction: the daemon holds the write lock
	// and has been writing for a while, and no batch is visible yet.
	eventually(t, 60*time.Second, "the daemon to start its write transaction", locked)
	inTx := time.Now()
	time.Sleep(300 * time.Millisecond)
	if !locked() || count(t, db, `SELECT count(*) FROM batch`) != 0 {
		t.Logf("the commit finished within 300ms; killing anyway (the check below holds either way)")
	}
	d.kill()
	t.Logf("first kill -9 %v after the drop, %v into the write transaction",
		time.Since(start).Round(time.Millisecond), time.Since(inTx).Round(time.Millisecond))
	if n := count(t, db, storedRows); n != 0 && n != rows {
		t.Fatalf("after a kill during the transaction %d observations are stored: want all %d or none", n, rows)
	} else if n == rows {
		t.Log("the commit had finished before the kill")
	}
	if _, err := os.Stat(src); err != nil && count(t, db, `SELECT count(*) FROM batch`) == 0 {
		t.Fatalf("the file left the inbox although it was not stored: %v", err)
	}

	// 2. Just after the commit: kill as soon as the batch is visible.
	d = launch(t, procOptions{}, args...)
	eventually(t, 120*time.Second, "the file to be committed after the restart", func() bool {
		return count(t, db, `SELECT count(*) FROM batch`) == 1
	})
	d.kill()
	n := count(t, db, storedRows)
	if n != rows {
		t.Fatalf("after a kill just after the commit %d observations are stored, want all %d", n, rows)
	}
	_, stillThere := os.Stat(src)
	t.Logf("second kill -9 just after the commit; file still in the inbox: %v", stillThere == nil)

	// 3. The last restart finishes the job without applying anything again.
	d = launch(t, procOptions{}, args...)
	eventually(t, 60*time.Second, "the file to leave the inbox", func() bool {
		_, err := os.Stat(src)
		return os.IsNotExist(err)
	})
	for q, want := range map[string]int64{
		`SELECT count(*) FROM batch`: 1,
		storedRows:                   rows,
		// Every row a distinct key, each in the state once (20 bytes each).
		`SELECT COALESCE(sum(length(data)), 0) / 20 FROM series_state`:                 rows,
		`SELECT count(*) FROM observation_chunk WHERE batch != (SELECT id FROM batch)`: 0,
	} {
		if got := count(t, db, q); got != want {
			t.Errorf("%s = %d, want %d", q, got, want)
		}
	}
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}

	// Archived exactly once, byte for byte; nothing rejected.
	arch := files(t, s.archive)
	var csvs []string
	for _, f := range arch {
		if !strings.HasSuffix(f, ".report.txt") {
			csvs = append(csvs, f)
		}
	}
	if len(csvs) != 1 || len(arch) != 2 {
		t.Fatalf("archive holds %v, want big.csv and its report once", arch)
	}
	got, err := os.ReadFile(filepath.Join(s.archive, csvs[0]))
	if err != nil || sha256.Sum256(got) != sum {
		t.Fatalf("archived file differs from the dropped one (%v)", err)
	}
	if rep, err := os.ReadFile(filepath.Join(s.archive, csvs[0]+".report.txt")); err != nil ||
		!strings.Contains(string(rep), fmt.Sprintf("accepted: %d rows", rows)) {
		t.Fatalf("the report beside the archived file is not its acceptance report (%v):\n%s", err, rep)
	}
	if rej := files(t, s.reject); len(rej) != 0 {
		t.Fatalf("rejected: %v", rej)
	}
	m := d.scrape()
	acc, _ := m.get("indicator_inbox_files_total", "department", "dept00", "result", "accepted")
	dup, _ := m.get("indicator_inbox_files_total", "department", "dept00", "result", "duplicate")
	switch {
	case stillThere == nil && (acc != 1 || dup != 0):
		t.Errorf("the file was stored before the restart: want its own outcome carried out (accepted), got accepted %v, duplicate %v", acc, dup)
	case stillThere != nil && acc+dup != 0:
		t.Errorf("the file had been archived before the restart but was taken again: accepted %v, duplicate %v", acc, dup)
	}
	// The whole file is served: the last day's value of a city.
	if v, ok := m.get("indicator_current_value", "indicator", "ind_095", "region", "heze"); !ok || v != rows/(20*16) {
		t.Errorf("ind_095/heze current = %v %v, want the last row's value", v, ok)
	}
	t.Logf("total %v", time.Since(start).Round(time.Millisecond))
}

// writeLockProbe returns a function that reports whether another
// connection holds the database's write lock: BEGIN IMMEDIATE fails at
// once instead of waiting. When it succeeds it rolls back at once.
func writeLockProbe(t *testing.T, dataDir string) func() bool {
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dataDir, store.DBFile)+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	t.Cleanup(func() { db.Close() })
	return func() bool {
		conn, err := db.Conn(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
			if strings.Contains(err.Error(), "SQLITE_BUSY") || strings.Contains(err.Error(), "database is locked") {
				return true
			}
			t.Fatalf("probe: %v", err)
		}
		conn.ExecContext(context.Background(), `ROLLBACK`)
		return false
	}
}

// smallFile is a valid file of dept01 (it leads ind_001, ind_006, …) with
// rows rows, distinct for each tag.
func smallFile(rows int, tag int) []byte {
	var b bytes.Buffer
	b.WriteString("指标,地区,数值,截至日期\n")
	day := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	for n := 0; n < rows; n++ {
		fmt.Fprintf(&b, "ind_%03d,%s,%d,%s\n", 1+5*(n%20), cities[(n/20)%16], tag, day.AddDate(0, 0, n/320).Format("2006-01-02"))
	}
	return b.Bytes()
}

// waitStoreError waits until the daemon counts a store error for dept01
// and checks that, meanwhile, the file stays in the inbox and scrapes are
// answered promptly.
func waitStoreError(t *testing.T, d *proc, src string) {
	t.Helper()
	eventually(t, 30*time.Second, "a store error to be counted", func() bool {
		v, _ := d.scrape().get("indicator_inbox_store_errors_total", "department", "dept01")
		return v >= 1
	})
	if _, err := os.Stat(src); err != nil {
		t.Fatalf("a valid file that could not be stored left the inbox: %v", err)
	}
	if !strings.Contains(d.logs.String(), "cannot store a valid file; it stays in the inbox and will be retried") {
		t.Error("the log does not say why the file was not stored")
	}
	begin := time.Now()
	if code, _ := d.get("/metrics"); code != 200 {
		t.Fatalf("/metrics = %d while the store fails", code)
	}
	if el := time.Since(begin); el > 3*time.Second {
		t.Errorf("a scrape took %v while the store fails; it must not wait for the database", el)
	}
}

// TestLockedDatabaseKeepsTheFileAndRetries holds the database's write lock
// from another process-level connection (as a backup tool or an auditor's
// sqlite3 session could): the commit times out, the file stays, the error
// is counted and logged, /metrics is served, and once the lock is released
// the file is stored.
func TestLockedDatabaseKeepsTheFileAndRetries(t *testing.T) {
	t.Parallel() // mostly waiting; overlaps with the other waiting tests
	s := newSite(t, generatedPlan(100))
	d := launch(t, procOptions{}, s.args()...)
	db := openDB(t, s.data)
	conn, err := db.Conn(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(t.Context(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	src := s.drop("dept01", "q1.csv", smallFile(100, 1))
	waitStoreError(t, d, src)
	if !strings.Contains(d.logs.String(), "database is locked") {
		t.Error("the log does not name the lock")
	}
	if _, err := conn.ExecContext(t.Context(), `ROLLBACK`); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the retry to store the file", func() bool {
		v, _ := d.scrape().get("indicator_inbox_files_total", "department", "dept01", "result", "accepted")
		return v == 1
	})
	if n := count(t, db, storedRows); n != 100 {
		t.Fatalf("stored %d observations, want 100", n)
	}
}

// TestFullDiskKeepsTheFileAndRetries puts the database on an 8 MiB tmpfs
// (room for the 20,000-row file with its history, index, current state
// and series blobs once the filler is gone) and fills it: the commit fails with "database or disk is full", the file
// stays in the inbox, the error is counted and logged, /metrics is served;
// once space is freed the file is stored, and the database is intact.
func TestFullDiskKeepsTheFileAndRetries(t *testing.T) {
	s := newSite(t, generatedPlan(100))
	if err := os.MkdirAll(s.data, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount("tmpfs", s.data, "tmpfs", 0, "size=8m"); err != nil {
		t.Skipf("cannot mount a tmpfs here (%v): needs root with CAP_SYS_ADMIN; the logic is covered by "+
			"inbox.TestStoreFailureLeavesTheFileForARetry with an injected failing store", err)
	}
	t.Cleanup(func() {
		if err := syscall.Unmount(s.data, 0); err != nil {
			t.Errorf("unmount %s: %v", s.data, err)
		}
	})
	d := launch(t, procOptions{}, s.args()...)

	// Fill the file system to the last block.
	filler := filepath.Join(s.data, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	f.Close()

	src := s.drop("dept01", "q1.csv", smallFile(20000, 1))
	waitStoreError(t, d, src)
	if !strings.Contains(d.logs.String(), "database or disk is full") {
		t.Error("the log does not say the disk is full")
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the retry to store the file once space is freed", func() bool {
		v, _ := d.scrape().get("indicator_inbox_files_total", "department", "dept01", "result", "accepted")
		return v == 1
	})
	db := openDB(t, s.data)
	if n := count(t, db, storedRows); n != 20000 {
		t.Fatalf("stored %d observations, want 20000", n)
	}
	var check string
	if err := db.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check = %q, %v", check, err)
	}
	db.Close()
}

// TestInboxThatCannotBeCreatedAtStartRecovers starts the daemon with an
// inbox path that cannot exist yet (its parent is a file, as when a share
// is not mounted): the daemon serves anyway, says why in the log and in
// indicator_inbox_scan_errors_total, and takes files as soon as the path
// can be created — through file events, not the hourly rescan.
func TestInboxThatCannotBeCreatedAtStartRecovers(t *testing.T) {
	t.Parallel() // mostly waiting; overlaps with the other waiting tests
	s := newSite(t, generatedPlan(100))
	share := filepath.Join(s.dir, "share")
	if err := os.WriteFile(share, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	s.inbox = filepath.Join(share, "inbox")
	d := launch(t, procOptions{}, s.args("--inbox.rescan=@every 1h")...)
	eventually(t, 10*time.Second, "a scan error to be counted", func() bool {
		v, _ := d.scrape().get("indicator_inbox_scan_errors_total")
		return v >= 2
	})
	logs := d.logs.String()
	if !strings.Contains(logs, "inbox not ready; will retry") || !strings.Contains(logs, "not a directory") ||
		!strings.Contains(logs, s.inbox) {
		t.Errorf("the log should name the inbox and why it is not usable:\n%s", logs)
	}

	if err := os.Remove(share); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the inbox and its department folders to be created", func() bool {
		_, err := os.Stat(filepath.Join(s.inbox, "dept04"))
		return err == nil
	})
	time.Sleep(time.Second) // a clerk comes later: no scan is pending any more
	s.drop("dept01", "q1.csv", smallFile(20, 1))
	eventually(t, 10*time.Second, "a file dropped after the recovery to be accepted", func() bool {
		v, _ := d.scrape().get("indicator_inbox_files_total", "department", "dept01", "result", "accepted")
		return v == 1
	})
}

// TestInboxDeletedWhileRunningRecovers deletes the whole inbox, then one
// department folder, while the daemon runs with only an hourly rescan:
// both come back and files dropped afterwards are taken promptly.
func TestInboxDeletedWhileRunningRecovers(t *testing.T) {
	t.Parallel() // mostly waiting; overlaps with the other waiting tests
	s := newSite(t, generatedPlan(100))
	d := launch(t, procOptions{}, s.args("--inbox.rescan=@every 1h")...)
	accepted := func(n float64) func() bool {
		return func() bool {
			v, _ := d.scrape().get("indicator_inbox_files_total", "department", "dept01", "result", "accepted")
			return v == n
		}
	}

	if err := os.RemoveAll(s.inbox); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the deleted inbox to be re-created", func() bool {
		_, err := os.Stat(filepath.Join(s.inbox, "dept01"))
		return err == nil
	})
	time.Sleep(time.Second)
	s.drop("dept01", "q1.csv", smallFile(20, 1))
	eventually(t, 10*time.Second, "a file dropped into the re-created inbox to be accepted", accepted(1))

	if err := os.RemoveAll(filepath.Join(s.inbox, "dept01")); err != nil {
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the deleted department folder to be re-created", func() bool {
		_, err := os.Stat(filepath.Join(s.inbox, "dept01"))
		return err == nil
	})
	time.Sleep(time.Second)
	s.drop("dept01", "q2.csv", smallFile(20, 2))
	eventually(t, 10*time.Second, "a file dropped into the re-created department folder to be accepted", accepted(2))
}

// TestPlanReloadFaults reloads the plan through its failure modes while a
// value is stored: invalid TOML keeps the old plan serving; a removed
// indicator disappears from /metrics but its history stays in the store
// and is served again when the indicator comes back; a department renamed
// (its name, then its id) keeps every stored value, gets its new folder,
// and files left in the old folder are rejected with a report, never
// applied.
func TestPlanReloadFaults(t *testing.T) {
	orig, err := os.ReadFile("../../collector/testdata/plan.toml")
	if err != nil {
		t.Fatal(err)
	}
	plan := string(orig)
	s := newSite(t, plan)
	d := launch(t, procOptions{}, s.args()...)
	db := openDB(t, s.data)
	const ind = "renovated_households"
	current := func(m metrics) (float64, bool) {
		return m.get("indicator_current_value", "indicator", ind, "region", "shandong")
	}
	reload := func(p string, want int) string {
		t.Helper()
		s.writePlan(p)
		code, msg := d.post("/-/reload")
		if code != want {
			t.Fatalf("POST /-/reload = %d, want %d: %s", code, want, msg)
		}
		return msg
	}

	s.drop("housing", "q2.csv", []byte("指标,数值,截至日期\n"+ind+",900000,2022-06-30\n"))
	eventually(t, 10*time.Second, "the value to be served", func() bool { v, _ := current(d.scrape()); return v == 900000 })
	hash, _ := d.scrape().get("indicator_config_hash")

	// Invalid TOML: refused, the old plan keeps serving.
	msg := reload(plan+"\n[[indicator]\nid = \"x\"\n", 500)
	if !strings.Contains(msg, "invalid TOML") {
		t.Errorf("the reload error should say the TOML is invalid: %s", msg)
	}
	m := d.scrape()
	if v, _ := m.get("indicator_config_last_reload_successful"); v != 0 {
		t.Error("a failed reload is not shown by indicator_config_last_reload_successful")
	}
	if h, _ := m.get("indicator_config_hash"); h != hash {
		t.Error("the config hash changed on a failed reload")
	}
	if v, ok := current(m); !ok || v != 900000 {
		t.Fatalf("after a failed reload the old plan is not served: %v %v", v, ok)
	}

	// The indicator removed: gone from /metrics, kept in the store, and a
	// file reporting it is rejected, not stored.
	i := strings.Index(plan, "# On track:")
	j := strings.Index(plan, "# At most")
	if i < 0 || j < i {
		t.Fatal("collector/testdata/plan.toml changed; update this test")
	}
	reload(plan[:i]+plan[j:], 200)
	d.await(t, "the removed indicator to leave /metrics", func(m metrics) bool { _, ok := current(m); return !ok })
	if n := count(t, db, indicatorRows, ind); n != 1 {
		t.Fatalf("the history of the removed indicator has %d rows, want 1", n)
	}
	s.drop("housing", "q3.csv", []byte("指标,数值,截至日期\n"+ind+",950000,2022-09-30\n"))
	eventually(t, 10*time.Second, "the file of a removed indicator to be rejected", func() bool {
		v, _ := d.scrape().get("indicator_inbox_files_total", "department", "housing", "result", "rejected")
		return v == 1
	})
	if n := count(t, db, indicatorRows, ind); n != 1 {
		t.Fatalf("a value of a removed indicator was stored")
	}

	// The indicator back: its history is served again.
	reload(plan, 200)
	d.await(t, "the indicator to come back with its history", func(m metrics) bool { v, _ := current(m); return v == 900000 })

	// The department's name changed: the new name is served, nothing lost.
	renamed := strings.Replace(plan, `name = "省住房城乡建设厅"`, `name = "省住房和城乡建设厅"`, 1)
	reload(renamed, 200)
	d.await(t, "the department's new name to be served", func(m metrics) bool {
		_, ok := m.get("indicator_department_info", "department", "housing", "name", "省住房和城乡建设厅")
		return ok
	})
	if v, _ := current(d.scrape()); v != 900000 {
		t.Error("renaming a department lost a value")
	}

	// The department's id changed: a new folder, values kept, the old
	// folder's files rejected with a report that names the folder.
	moved := strings.ReplaceAll(renamed, `"housing"`, `"urban_housing"`)
	reload(moved, 200)
	eventually(t, 5*time.Second, "the new department folder", func() bool {
		_, err := os.Stat(filepath.Join(s.inbox, "urban_housing"))
		return err == nil
	})
	d.await(t, "the new department id to be served", func(m metrics) bool {
		_, ok := m.get("indicator_responsibility", "indicator", ind, "department", "urban_housing", "role", "lead")
		return ok
	})
	if v, _ := current(d.scrape()); v != 900000 {
		t.Error("changing a department's id lost a value")
	}
	s.drop("housing", "old.csv", []byte("指标,数值,截至日期\n"+ind+",1000000,2022-12-31\n"))
	s.drop("urban_housing", "new.csv", []byte("指标,数值,截至日期\n"+ind+",1100000,2023-03-31\n"))
	eventually(t, 10*time.Second, "both files to be taken", func() bool {
		m := d.scrape()
		a, _ := m.get("indicator_inbox_files_total", "department", "urban_housing", "result", "accepted")
		r, _ := m.get("indicator_inbox_files_total", "department", "unknown", "result", "rejected")
		return a == 1 && r == 1
	})
	rep := readReport(t, s.reject, "unknown", "old.csv")
	if !strings.Contains(rep, `"housing"`) {
		t.Errorf("the report of a file in the old folder should name it:\n%s", rep)
	}
	if n := count(t, db, `SELECT count(*) FROM batch WHERE source = 'old.csv'`); n != 0 {
		t.Error("a file from the old department folder was stored")
	}

	// All of it survives a restart.
	d.kill()
	d = launch(t, procOptions{}, s.args()...)
	d.await(t, "the latest value to be served after a restart", func(m metrics) bool { v, _ := current(m); return v == 1100000 })
	if n := count(t, db, indicatorRows, ind); n != 2 {
		t.Errorf("history has %d rows, want 2", n)
	}
}

// readReport reads the report of the file name moved under root/dept/<day>/.
func readReport(t *testing.T, root, dept, name string) string {
	t.Helper()
	matches, _ := filepath.Glob(filepath.Join(root, dept, "*", name+".report.txt"))
	if len(matches) != 1 {
		t.Fatalf("want one report of %s under %s/%s, found %v (all: %v)", name, root, dept, matches, files(t, root))
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
