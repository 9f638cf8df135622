package inbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
	"github.com/shandong/indicator_exporter/submission"
)

// streamed is an inbox for files of thousands of rows, which are read
// and stored as a stream like every file.
func streamed(t *testing.T) *env { return newEnv(t, Options{}) }

func bigCSV(rows int, bad func(i int) string) string {
	var b strings.Builder
	b.WriteString("指标,地区,数值,截至日期\n")
	for i := 0; i < rows; i++ {
		day := time.Date(2010, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i/2)
		line := fmt.Sprintf("medical_waste_sites,%s,%d,%s\n", []string{"jinan", "qingdao"}[i%2], i%3, day.Format("2006-01-02"))
		if bad != nil {
			if s := bad(i); s != "" {
				line = s + "\n"
			}
		}
		b.WriteString(line)
	}
	return b.String()
}

func TestStreamedFileIsStoredWhole(t *testing.T) {
	e := streamed(t)
	e.drop("housing", "big.csv", gbk(t, bigCSV(9000, nil)))
	e.settle()
	rep := e.moved("archive", "housing", "big.csv")
	if !strings.Contains(rep, "accepted: 9000 rows") || !strings.Contains(rep, "GB18030") {
		t.Fatalf("report:\n%s", rep)
	}
	if n := e.stored(); n != 9000 {
		t.Fatalf("stored %d rows, want 9000", n)
	}
	if got := e.series("medical_waste_sites", "qingdao"); len(got) != 4500 {
		t.Fatalf("qingdao series has %d points, want 4500", len(got))
	}
	if info, ok, _ := e.st.LookupBatch(context.Background(), sha(t, e, "housing", "big.csv")); !ok || info.Rows != 9000 {
		t.Fatalf("batch record %+v", info)
	}
}

func sha(t *testing.T, e *env, dept, name string) string {
	t.Helper()
	outs, err := e.st.Outcomes(context.Background(), dept, 1)
	if err != nil || len(outs) == 0 {
		t.Fatal("no outcome")
	}
	data, err := os.ReadFile(outs[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	return sum(data)
}

// A bad row near the end, after thousands of rows went into the open
// transaction, still leaves nothing stored.
func TestStreamedFileWithOneBadRowStoresNothing(t *testing.T) {
	e := streamed(t)
	e.drop("housing", "big.csv", []byte(bigCSV(9000, func(i int) string {
		if i == 8500 {
			return "medical_waste_sites,jinan,abc,2023-06-30"
		}
		return ""
	})))
	e.settle()
	rep := e.moved("rejected", "housing", "big.csv")
	if !strings.Contains(rep, "line 8502") || !strings.Contains(rep, "abc") {
		t.Fatalf("report should name line 8502:\n%s", rep)
	}
	if n := e.stored(); n != 0 {
		t.Fatalf("a rejected streamed file stored %d rows", n)
	}
	if len(e.st.Data().Digests) != 0 {
		t.Fatal("in-memory state changed")
	}
}

// The same key twice, thousands of lines apart (in different batches),
// is found by the database and rejects the file, naming both lines.
func TestStreamedFileWithARepeatedKeyIsRejected(t *testing.T) {
	e := streamed(t)
	e.drop("housing", "big.csv", []byte(bigCSV(9000, func(i int) string {
		if i == 7001 {
			return "medical_waste_sites,qingdao,5,2010-01-01" // line 3's key
		}
		return ""
	})))
	e.settle()
	rep := e.moved("rejected", "housing", "big.csv")
	if !strings.Contains(rep, "line 7003") || !strings.Contains(rep, "duplicates line 3") {
		t.Fatalf("report should name lines 3 and 7003:\n%s", rep)
	}
	if n := e.stored(); n != 0 {
		t.Fatalf("stored %d rows", n)
	}
}

func TestStreamedTargetRevisionsAndDuplicates(t *testing.T) {
	e := streamed(t)
	data := []byte("指标,目标值,截至日期\n老旧小区改造户数,1000000,2022-12-31\n")
	e.drop("ndrc", "t.csv", data)
	e.settle()
	e.moved("archive", "ndrc", "t.csv")
	revs := e.st.Data().Revisions[indicators.SeriesKey{Indicator: "renovated_households", Region: "shandong"}]
	if len(revs) != 1 || revs[0].Value != 1000000 {
		t.Fatalf("revision not stored: %+v", revs)
	}
	e.drop("ndrc", "t.csv", data)
	e.settle()
	if rep := e.moved("archive", "ndrc", "t-1.csv"); !strings.Contains(rep, "duplicate") {
		t.Fatalf("second drop: %s", rep)
	}
}

// failingWriter fails the commit of streamed files, as a full disk does.
type failingBegin struct {
	Store
}

func (f failingBegin) Begin(ctx context.Context, meta store.Batch) (*store.Writer, error) {
	return nil, errors.New("database is locked")
}

func TestStreamedFileStaysWhenTheStoreFails(t *testing.T) {
	e := streamed(t)
	e.in.store = failingBegin{e.st}
	src := e.drop("housing", "big.csv", []byte(bigCSV(100, nil)))
	e.settle()
	if _, err := os.Stat(src); err != nil {
		t.Fatal("file left the inbox although it was not stored")
	}
	e.in.store = e.st
	e.in.Scan(context.Background())
	if n := e.stored(); n != 100 {
		t.Fatalf("retry stored %d rows", n)
	}
	if _, err := os.Stat(filepath.Join(e.root, "archive", "housing", "2022-07-05", "big.csv")); err != nil {
		t.Fatal(err)
	}
}

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// The writer finds the keys a file names twice in the rows it keeps,
// whatever order the file lists them in: by date, newest first, or mixed.
// Every duplicate is reported with the line that named the key first,
// also after another problem; and a file without one is stored in date
// order, arrived at the drop's time.
func TestStreamedKeysNamedTwiceInAnyOrder(t *testing.T) {
	row := func(region, date string, v int) string {
		return fmt.Sprintf("medical_waste_sites,%s,%d,%s", region, v, date)
	}
	const hdr = "指标,地区,数值,截至日期"
	cases := map[string]struct {
		lines []string
		want  []string // in the report; nil: accepted
	}{
		"by date":                      {lines: []string{row("jinan", "2021-03-31", 1), row("jinan", "2021-06-30", 2), row("jinan", "2021-09-30", 3)}},
		"newest first":                 {lines: []string{row("jinan", "2021-09-30", 3), row("jinan", "2021-06-30", 2), row("jinan", "2021-03-31", 1)}},
		"mixed":                        {lines: []string{row("jinan", "2021-06-30", 2), row("jinan", "2021-09-30", 3), row("qingdao", "2021-06-30", 9), row("jinan", "2021-03-31", 1)}},
		"mixed, between earlier dates": {lines: []string{row("jinan", "2021-03-31", 1), row("jinan", "2021-09-30", 3), row("jinan", "2021-06-30", 2)}},
		"repeated at once": {lines: []string{row("jinan", "2021-03-31", 1), row("jinan", "2021-03-31", 1)},
			want: []string{"line 3", "duplicates line 2"}},
		"repeated newest first": {lines: []string{row("jinan", "2021-09-30", 3), row("jinan", "2021-06-30", 2), row("jinan", "2021-09-30", 3)},
			want: []string{"line 4", "duplicates line 2"}},
		"repeated between": {lines: []string{row("jinan", "2021-03-31", 1), row("jinan", "2021-09-30", 3), row("jinan", "2021-06-30", 2), row("jinan", "2021-06-30", 2)},
			want: []string{"line 5", "duplicates line 4"}},
		"two, after a bad value": {lines: []string{row("jinan", "2021-03-31", 1), "medical_waste_sites,jinan,abc,2021-04-30",
			row("jinan", "2021-09-30", 3), row("jinan", "2021-03-31", 1), row("jinan", "2021-09-30", 3)},
			want: []string{"abc", "line 5", "duplicates line 2", "line 6", "duplicates line 4"}},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			e := streamed(t)
			e.drop("housing", "f.csv", []byte(hdr+"\n"+strings.Join(c.lines, "\n")+"\n"))
			e.settle()
			if c.want != nil {
				rep := e.moved("rejected", "housing", "f.csv")
				for _, w := range c.want {
					if !strings.Contains(rep, w) {
						t.Errorf("report lacks %q:\n%s", w, rep)
					}
				}
				if n := e.stored(); n != 0 || len(e.st.Data().Digests) != 0 {
					t.Fatalf("a rejected file stored %d rows", n)
				}
				return
			}
			e.moved("archive", "housing", "f.csv")
			got := e.series("medical_waste_sites", "jinan")
			want := []float64{1, 2, 3}
			if len(got) != len(want) {
				t.Fatalf("jinan has %d reports, want %d: %+v", len(got), len(want), got)
			}
			arrived := e.in.now().UnixMilli()
			for i, o := range got {
				if o.Value != want[i] || (i > 0 && o.AsOf <= got[i-1].AsOf) || o.Received != arrived {
					t.Fatalf("jinan = %+v, want values %v in date order, received %d", got, want, arrived)
				}
			}
		})
	}
}

// The store looks up the first line of a repeated key only as often as a
// report lists problems: beyond, the line would not be shown.
func TestStoreLooksUpAsManyFirstLinesAsAReportLists(t *testing.T) {
	if store.FirstLineLookups != submission.MaxProblems {
		t.Fatalf("store.FirstLineLookups = %d, submission.MaxProblems = %d: a report would show line 0 or the store read for nothing",
			store.FirstLineLookups, submission.MaxProblems)
	}
}
