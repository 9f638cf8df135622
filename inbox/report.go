package inbox

import (
	"fmt"
	"strings"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
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

func duplicateReport(c candidate, b store.BatchInfo, loc *time.Location) string {
	r := newReport()
	header(r, c)
	r.line("结果 / result: 重复文件，未重复入库。 / duplicate: not stored again.")
	r.line("")
	at := b.ReceivedAt.In(loc).Format("2006-01-02 15:04:05") + " " + indicators.ZoneName(loc)
	r.line("相同内容的文件 %q 已于 %s 由 %s 投递并入库（%d 行）。 / a file with the same content (%q) was already stored at %s from %s (%d rows).",
		b.Source, at, b.Department, b.Rows,
		b.Source, at, b.Department, b.Rows)
	// Dropping an old file again to undo a later correction does nothing:
	// say how to do it.
	r.line("如果其中的数值此后已被其他文件更正、现在要恢复为本文件的数值，请修改本文件（例如在备注中注明“恢复”）后重新投递。 / if its values were corrected by a later file and you want them back, change this file (for example, add a note) and drop it again.")
	return r.String()
}

func acceptReport(c candidate, f *submission.File, rows, replaced int) string {
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
	if replaced > 0 {
		// Re-sending an old sheet undoes later corrections: say so.
		r.line("其中 %d 行替换了此前已入库的同一指标、地区、日期的数值；如非有意更正，请核对后重新投递正确的文件。 / %d of them replaced stored values for the same indicator, region and date; if that was not meant as a correction, check and drop the right file.", replaced, replaced)
	}
	if len(f.Warnings) > 0 {
		r.line("")
		r.line("提示（不影响入库）/ warnings (the file was still accepted):")
		for _, w := range f.Warnings {
			r.line("%s", w.String())
		}
	}
	return r.String()
}
