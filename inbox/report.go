package inbox

import (
	"fmt"
	"strings"

	"github.com/shandong/indicator_exporter/store"
	"github.com/shandong/indicator_exporter/submission"
)

// Reports start with a UTF-8 BOM and use CRLF: clerks open them in
// Notepad on Chinese Windows, which would otherwise guess GBK.
type report struct{ b strings.Builder }

func newReport() *report {
	r := &report{}
	r.b.WriteString("\ufeff")
	return r
}

func (r *report) line(format string, a ...any) {
	fmt.Fprintf(&r.b, format, a...)
	r.b.WriteString("\r\n")
}

func (r *report) String() string { return r.b.String() }

func header(r *report, c candidate) {
	r.line("文件 / file: %s", submission.DisplayName(c.name))
	r.line("部门 / department: %s", c.dept)
}

func rejectReport(c candidate, reason string) string {
	r := newReport()
	header(r, c)
	r.line("结果 / result: 已拒收，本文件的数据均未入库。 / rejected: no row of this file was stored.")
	r.line("")
	r.line("%s", reason)
	return r.String()
}

func duplicateReport(c candidate, b store.BatchInfo) string {
	r := newReport()
	header(r, c)
	r.line("结果 / result: 重复文件，未重复入库。 / duplicate: not stored again.")
	r.line("")
	r.line("相同内容的文件 %q 已于 %s 由 %s 投递并入库（%d 行）。 / a file with the same content (%q) was already stored at %s from %s (%d rows).",
		b.Source, b.ReceivedAt.Format("2006-01-02 15:04:05"), b.Department, b.Rows,
		b.Source, b.ReceivedAt.Format("2006-01-02 15:04:05"), b.Department, b.Rows)
	return r.String()
}

func acceptReport(c candidate, f *submission.File, rows int) string {
	r := newReport()
	header(r, c)
	if f.Encoding != "" {
		r.line("编码 / encoding: %s", f.Encoding)
	}
	kind := "数值 / values"
	if f.Kind == submission.Targets {
		kind = "目标修订 / target revisions"
	}
	r.line("结果 / result: 已接收 %d 行（%s）。 / accepted: %d rows (%s).", rows, kind, rows, kind)
	if len(f.Warnings) > 0 {
		r.line("")
		r.line("提示（不影响入库）/ warnings (the file was still accepted):")
		for _, w := range f.Warnings {
			r.line("%s", w.String())
		}
	}
	return r.String()
}
