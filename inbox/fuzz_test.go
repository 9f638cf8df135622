package inbox

import (
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/store"
	"github.com/shandong/indicator_exporter/submission"
)

// FuzzReports feeds arbitrary file names to the reports written beside
// moved files: whatever the name, each report has its fixed number of
// lines and every line starts with the daemon's own text, so a name can
// neither forge a line nor start one with a formula.
func FuzzReports(f *testing.F) {
	for _, s := range []string{"a.csv", "六月.csv", "two\nlines.csv", "cr\r.csv", "=cmd|' /C calc'!A0.csv", "+1.csv",
		"\xff\xfe.csv", "\u2028\u2029.csv", "\x1b[2J.csv", "\"quoted\".csv", "\r\n=1+1", ""} {
		f.Add(s)
	}
	at := time.Date(2022, 7, 5, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, name string) {
		c := candidate{name: name, dept: "housing"}
		checkReportLines(t, name, rejectReport(c, "原因 / reason"), 5)
		checkReportLines(t, name, duplicateReport(c, store.BatchInfo{Source: name, Department: "housing", ReceivedAt: at, Rows: 1}, time.UTC), 6)
		checkReportLines(t, name, acceptReport(c, &submission.File{Kind: submission.Values, Encoding: "UTF-8",
			Rows: make([]submission.Row, 1)}, 1, 0), 4)
		// The parser's own report of a rejected file names it the same way.
		checkReportLines(t, name, (&submission.Error{File: name, Department: "housing",
			Problems: []submission.Problem{{Line: 2, Zh: "问题", En: "problem"}}}).Report(), 5)
	})
}
