package inbox

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
	"github.com/shandong/indicator_exporter/submission"
)

// BenchmarkIngest measures a drop from the scan that takes it to the
// move to the archive: hashing, parsing, the chunks written and the
// commit (synchronous=FULL), on a plan of 350 each-city indicators over
// 16 cities, as bench/run.sh's ingest but 16 MB, into a new store each
// time. Its MB/s ("new") is the figure to set against submission's
// BenchmarkStream (the parse alone). "duplicate" drops a file stored
// before: it is told as soon as its hash is known, not after its parse.
func BenchmarkIngest(b *testing.B) {
	dir := b.TempDir()
	p := bulkPlan(b, dir)
	// 16 MiB; INGEST_MB=100 makes the 105 MB file bench/run.sh ingests
	// (the same rows), to profile that one.
	size := 16 << 20
	if mb, err := strconv.Atoi(os.Getenv("INGEST_MB")); err == nil && mb > 0 {
		size = mb << 20
	}
	data, rows := bulkFile(size)
	sum := sha256.Sum256(data.Bytes())
	lim := submission.Limits{MaxBytes: int64(data.Len()) + 1, MaxRows: rows + 1}

	for _, dup := range []bool{false, true} {
		b.Run(map[bool]string{false: "new", true: "duplicate"}[dup], func(b *testing.B) {
			b.SetBytes(int64(data.Len()))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				b.StopTimer()
				root := filepath.Join(dir, fmt.Sprint(dup, i))
				st, err := store.Open(filepath.Join(root, "data"), p)
				if err != nil {
					b.Fatal(err)
				}
				if dup {
					if err := st.Commit(context.Background(), store.Batch{SHA256: hex.EncodeToString(sum[:]), Department: "housing",
						Source: "big.csv", ReceivedAt: time.Date(2026, 11, 30, 9, 0, 0, 0, p.Location)}); err != nil {
						b.Fatal(err)
					}
				}
				in, err := New(Options{Dir: filepath.Join(root, "inbox"), ArchiveDir: filepath.Join(root, "archive"),
					RejectedDir: filepath.Join(root, "rejected"), Settle: time.Millisecond, Limits: lim},
					func() *indicators.Plan { return p }, st, quiet(), prometheus.NewRegistry())
				if err != nil {
					b.Fatal(err)
				}
				in.now = func() time.Time { return time.Date(2026, 12, 1, 10, 0, 0, 0, p.Location) }
				if err := in.Prepare(); err != nil {
					b.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(root, "inbox", "housing", "big.csv"), data.Bytes(), 0o644); err != nil {
					b.Fatal(err)
				}
				in.Scan(context.Background()) // sees the file; the next scan, once settled, takes it
				time.Sleep(5 * time.Millisecond)
				b.StartTimer()
				in.Scan(context.Background())
				b.StopTimer()
				want, result := int64(rows), Accepted
				if dup {
					want, result = 0, Duplicate
				}
				if n, _, err := st.Counts(context.Background()); err != nil || n != want {
					b.Fatalf("stored %d observations, want %d (%v)", n, want, err)
				}
				if testutil.ToFloat64(in.m.files.WithLabelValues("housing", result)) != 1 {
					b.Fatalf("the drop was not counted %s", result)
				}
				st.Close() // the state written after the commit is not the ingest's
				os.RemoveAll(root)
				b.StartTimer()
			}
		})
	}
}

// bulkPlan writes and loads a plan of 350 each-city indicators over 16
// cities, led by housing, the shape of bench/run.sh's ingest.
func bulkPlan(tb testing.TB, dir string) *indicators.Plan {
	tb.Helper()
	var plan bytes.Buffer
	plan.WriteString("[plan]\nname = \"基准测试计划\"\nstart = 2000-01-01\ncoordinator = \"ndrc\"\n\n")
	plan.WriteString("[[department]]\nid = \"ndrc\"\nname = \"省发展改革委\"\n\n[[department]]\nid = \"housing\"\nname = \"省住房城乡建设厅\"\n\n")
	plan.WriteString("[[region]]\nid = \"shandong\"\nname = \"山东省\"\nlevel = \"province\"\n\n")
	for c := range 16 {
		fmt.Fprintf(&plan, "[[region]]\nid = \"city%02d\"\nname = \"城市%02d\"\nlevel = \"city\"\n\n", c, c)
	}
	for i := range 350 {
		fmt.Fprintf(&plan, "[[indicator]]\nid = \"indicator_%05d\"\ntask = %d\nsection = \"三、深入实施城镇建设绿色化行动\"\nname = \"指标%05d\"\nunit = \"个\"\nmeasure = \"increment\"\nscope = \"each_city\"\ntarget = 1000\ndeadline = 2027-12-31\nlead = [\"housing\"]\nparticipants = [\"ndrc\"]\n\n", i, i%102+1, i)
	}
	planFile := filepath.Join(dir, "plan.toml")
	if err := os.WriteFile(planFile, plan.Bytes(), 0o644); err != nil {
		tb.Fatal(err)
	}
	p, err := config.LoadFile(planFile)
	if err != nil {
		tb.Fatal(err)
	}
	return p
}

// bulkFile makes a file of values for bulkPlan of at least size bytes,
// each indicator and city once a day from 2000-01-01, and its row count.
func bulkFile(size int) (*bytes.Buffer, int) {
	var data bytes.Buffer
	data.WriteString("indicator,region,value,as_of\n")
	day0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	rows := 0
	for ; data.Len() < size; rows++ {
		fmt.Fprintf(&data, "indicator_%05d,city%02d,%d.%d,%s\n", rows%350, rows/350%16, rows%100000, rows%10,
			day0.AddDate(0, 0, rows/(350*16)).Format(time.DateOnly))
	}
	return &data, rows
}
