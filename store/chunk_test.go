package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

func TestChunkRoundTrip(t *testing.T) {
	e := newChunkEncoder()
	in := []chunkRow{
		{Indicator: "roads", Region: "jinan", Day: dayNumber(day("2023-06-30")), Value: 66.5, Line: 2, Raw: "66.5", Note: ""},
		{Indicator: "parks", Region: "青岛市", Day: -1, Value: -0.25, Line: 1 << 30, Raw: "－0.25", Note: "备注，含逗号", IndIndex: 1, RegIndex: 1},
		{Indicator: "roads", Region: "jinan", Day: math.MaxInt32, Value: math.MaxFloat64, Line: 3, Raw: "1e308", Note: strings.Repeat("长", 300)},
		{Indicator: "roads", Region: "青岛市", Day: math.MinInt32, Value: 0, Line: 4, RegIndex: 1},
	}
	for _, r := range in {
		e.add(r.Indicator, r.Region, r.Day, r.Value, r.Line, r.Raw, r.Note)
	}
	blob, inds := e.blob()
	if fmt.Sprint(inds) != "[roads parks]" {
		t.Fatalf("indicators of the chunk = %v", inds)
	}
	r, err := newChunkReader(blob)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; ; i++ {
		var c chunkRow
		ok, err := r.next(&c, "")
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			if i != len(in) {
				t.Fatalf("read %d rows, want %d", i, len(in))
			}
			break
		}
		if c != in[i] {
			t.Errorf("row %d = %+v, want %+v", i, c, in[i])
		}
	}
	// A replay reads every row without its text.
	nr, err := newChunkReader(blob)
	if err != nil {
		t.Fatal(err)
	}
	nr.noText = true
	for i := 0; ; i++ {
		var c chunkRow
		ok, err := nr.next(&c, "")
		if err != nil || !ok {
			if err != nil || i != len(in) {
				t.Fatalf("read %d rows without text, want %d: %v", i, len(in), err)
			}
			break
		}
		want := in[i]
		want.Raw, want.Note = "", ""
		if c != want {
			t.Errorf("row %d without text = %+v, want %+v", i, c, want)
		}
	}
	// Reading one indicator skips the others' rows.
	if got, err := readAll(blob, "parks"); err != nil || len(got) != 1 || got[0] != in[1] {
		t.Fatalf("rows of parks = %+v, %v", got, err)
	}
	// Every truncation is an error, never a panic or a short read.
	for n := 0; n < len(blob); n++ {
		for _, only := range []string{"", "parks"} {
			if _, err := readAll(blob[:n], only); err == nil {
				t.Fatalf("a chunk cut to %d of %d bytes was read (only %q) without error", n, len(blob), only)
			}
		}
	}
	if _, err := readAll(append(blob, 0), ""); err == nil {
		t.Fatal("trailing bytes after the last row were accepted")
	}
}

func readAll(b []byte, only string) ([]chunkRow, error) {
	r, err := newChunkReader(b)
	if err != nil {
		return nil, err
	}
	var out []chunkRow
	for {
		var c chunkRow
		ok, err := r.next(&c, only)
		if err != nil || !ok {
			return out, err
		}
		out = append(out, c)
	}
}

func FuzzChunkReader(f *testing.F) {
	e := newChunkEncoder()
	e.add("roads", "jinan", 19000, 1.5, 2, "1.5", "n")
	blob, _ := e.blob()
	f.Add(blob)
	f.Add([]byte{chunkVersion, 0, 0, 5})
	f.Fuzz(func(t *testing.T, b []byte) {
		all, errAll := readAll(b, "")
		one, errOne := readAll(b, "roads")
		if (errAll == nil) != (errOne == nil) {
			t.Fatalf("reading all rows: %v; reading one indicator's: %v", errAll, errOne)
		}
		n := 0
		for _, c := range all {
			if c.Indicator == "roads" {
				n++
			}
		}
		if errAll == nil && n != len(one) {
			t.Fatalf("%d rows of roads among all, %d read alone", n, len(one))
		}
	})
}

// A file of more rows (and more bytes) than a chunk holds is stored in
// several chunks, and the history and state have every row.
func TestLargeFileSpansChunks(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir)
	ctx := context.Background()
	recv := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai)
	w, err := s.Begin(ctx, Batch{SHA256: "big", Department: "housing", Source: "big.csv", ReceivedAt: recv})
	if err != nil {
		t.Fatal(err)
	}
	n := chunkRows + chunkRows/2
	long := strings.Repeat("x", 200) // 1.5 chunks of rows, but over 4 MiB of notes
	var rows []Observation
	for i := 0; i < n; i++ {
		ind := []string{"roads", "parks"}[i%2]
		o := obs(ind, fmt.Sprintf("city%02d", i/2%16), time.Date(1990, 1, 1, 0, 0, 0, 0, shanghai).AddDate(0, 0, i/32).Format(dateLayout), float64(i), recv)
		o.Line, o.Note = i+2, long
		rows = append(rows, o)
		if len(rows) == 1000 || i == n-1 {
			if err := w.Add(rows, false); err != nil {
				t.Fatal(err)
			}
			rows = rows[:0]
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	var chunks int
	if err := s.db.QueryRow(`SELECT count(*) FROM observation_chunk`).Scan(&chunks); err != nil || chunks < 3 {
		t.Fatalf("%d chunks (%v); want the file split by rows and by bytes", chunks, err)
	}
	if c, _, _ := s.Counts(ctx); c != int64(n) {
		t.Fatalf("counted %d observations, want %d", c, n)
	}
	h, err := s.History(ctx, "parks")
	if err != nil || len(h) != n/2 {
		t.Fatalf("parks history has %d rows (%v), want %d", len(h), err, n/2)
	}
	for i, r := range h {
		if r.Indicator != "parks" || r.Note != long || r.Superseded || r.Source != "big.csv" || r.Department != "housing" {
			t.Fatalf("history row %d = %+v", i, r.Observation)
		}
	}
	if got := len(full(t, s).Series[indicators.SeriesKey{Indicator: "roads", Region: "city05"}]); got != n/32 {
		t.Fatalf("roads/city05 has %d observations, want %d", got, n/32)
	}
}

// A database from before chunks kept one row per observation; it is
// converted at its first open, its history and state kept exactly.
func TestRowHistoryIsConvertedToChunks(t *testing.T) {
	dir := t.TempDir()
	legacy, err := os.ReadFile(filepath.Join("testdata", "schema_v1.sql"))
	if err != nil {
		t.Fatal(err)
	}
	old := rawDB(t, dir)
	if _, err := old.Exec(string(legacy)); err != nil {
		t.Fatal(err)
	}
	t1 := time.Date(2023, 7, 3, 9, 0, 0, 0, shanghai).UnixMilli()
	t2 := t1 + 3600_000
	for _, q := range []string{
		fmt.Sprintf(`INSERT INTO batch VALUES(1, 'a', 'housing', 'a.csv', %d, 'values', 3), (2, 'b', 'housing', 'b.csv', %d, 'values', 1)`, t1, t2),
		fmt.Sprintf(`INSERT INTO observation(batch, indicator, region, as_of, value, raw, received_at, department, source, line, note) VALUES
			(1, 'roads', 'shandong', '2023-06-30', 1800, '1,800', %[1]d, 'housing', 'a.csv', 2, ''),
			(1, 'roads', 'shandong', '2022-12-31', 900, '900', %[1]d, 'housing', 'a.csv', 3, '年报'),
			(1, 'parks', 'jinan', '2021-12-31', 3, '3', %[1]d, 'housing', 'a.csv', 4, ''),
			(2, 'roads', 'shandong', '2023-06-30', 1750, '1750', %[2]d, 'housing', 'b.csv', 2, '更正')`, t1, t2),
		fmt.Sprintf(`INSERT INTO current VALUES('roads', 'shandong', '2023-06-30', 1750, %[2]d, 4),
			('roads', 'shandong', '2022-12-31', 900, %[1]d, 2), ('parks', 'jinan', '2021-12-31', 3, %[1]d, 3)`, t1, t2),
	} {
		if _, err := old.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	old.Close()

	s := open(t, dir)
	ctx := context.Background()
	if got, want := seriesSummary(full(t, s)), fmt.Sprintf("[parks/jinan/2021-12-31=3@%[1]d roads/shandong/2022-12-31=900@%[1]d roads/shandong/2023-06-30=1750@%[2]d]", t1, t2); got != want {
		t.Fatalf("state after conversion %s\nwant %s", got, want)
	}
	h, err := s.History(ctx, "roads")
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, r := range h {
		lines = append(lines, fmt.Sprintf("%s %s=%v raw=%s %s:%d note=%s superseded=%v", r.Region, r.AsOf.Format(dateLayout), r.Value, r.Raw, r.Source, r.Line, r.Note, r.Superseded))
	}
	want := []string{
		"shandong 2022-12-31=900 raw=900 a.csv:3 note=年报 superseded=false",
		"shandong 2023-06-30=1800 raw=1,800 a.csv:2 note= superseded=true",
		"shandong 2023-06-30=1750 raw=1750 b.csv:2 note=更正 superseded=false",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Fatalf("history after conversion:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
	}
	if n, _, _ := s.Counts(ctx); n != 4 {
		t.Fatalf("%d observations after conversion, want 4", n)
	}
	var legacyTables int
	if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name IN ('observation', 'current')`).Scan(&legacyTables); err != nil || legacyTables != 0 {
		t.Fatalf("%d old tables left (%v)", legacyTables, err)
	}
	// The next file continues the history after the converted ones.
	if err := s.Commit(ctx, Batch{SHA256: "c", Department: "housing", Source: "c.csv", ReceivedAt: time.UnixMilli(t2 + 1),
		Observations: []Observation{obs("roads", "shandong", "2023-06-30", 1760, time.UnixMilli(t2+1))}}); err != nil {
		t.Fatal(err)
	}
	if h, _ := s.History(ctx, "roads"); len(h) != 4 || h[3].Value != 1760 || !h[2].Superseded {
		t.Fatalf("history after a new file: %+v", h)
	}
}

// rawDB opens the database file in dir without the store's schema.
func rawDB(t *testing.T, dir string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
