package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shandong/indicator_exporter/indicators"
)

var ledgerHeader = []string{"任务序号", "所属部分", "工作任务", "指标编号", "指标名称", "牵头部门", "参与部门",
	"目标", "目标值", "单位", "当前值", "进度", "按计划应达进度", "状态", "完成时限", "最近报送日期"}

// ledger serves the task ledger (台账) that task 99 of the plan asks for:
// one row per task and indicator, in task order.
func (h *Handler) ledger(w http.ResponseWriter, r *http.Request) {
	s := h.snapshot()
	writeCSV(w, r, "ledger.csv", "任务台账_"+s.now.In(s.plan.Location).Format("20060102")+".csv", ledgerRows(s))
}

func ledgerRows(s *snapshot) [][]string {
	var rows []row
	for i, e := range s.main() {
		rows = append(rows, s.row(e, i))
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].Task < rows[j].Task })
	recs := [][]string{ledgerHeader}
	for _, rw := range rows {
		e := rw.Eval
		t := e.Target
		target, current := plain(t.Value), plain(e.Current)
		switch {
		case t.Kind == indicators.Milestone:
			target, current = "完成", currentText(e)
			if current == none {
				current = ""
			}
		case e.RegionsTotal > 0:
			current = currentText(e)
		}
		recs = append(recs, []string{strconv.Itoa(t.Task), t.Section, t.Description, t.ID, t.Name, rw.Lead, rw.Participants,
			targetText(t), target, t.Unit, current, blankNone(rw.Progress), blankNone(rw.Expected),
			e.Status.Chinese(), rw.Deadline, blankNone(rw.LastReport)})
	}
	return recs
}

func blankNone(s string) string {
	if s == none {
		return ""
	}
	return s
}

// writeCSV sends records as a CSV download that Excel on Chinese Windows
// opens correctly: UTF-8 with a byte order mark (without it Excel reads
// GBK and shows mojibake), CRLF line ends, every cell neutralised.
func writeCSV(w http.ResponseWriter, r *http.Request, asciiName, name string, recs [][]string) {
	var buf bytes.Buffer
	buf.WriteString("\ufeff")
	cw := csv.NewWriter(&buf)
	cw.UseCRLF = true
	for _, rec := range recs {
		out := make([]string, len(rec))
		for i, c := range rec {
			out[i] = neutralise(c)
		}
		cw.Write(out) // writes to a buffer: cannot fail
	}
	cw.Flush()
	hd := w.Header()
	hd.Set("Content-Type", "text/csv; charset=utf-8")
	hd.Set("Content-Disposition", `attachment; filename="`+asciiName+`"; filename*=UTF-8''`+url.PathEscape(name))
	hd.Set("Cache-Control", "no-cache")
	hd.Set("Content-Length", strconv.Itoa(buf.Len()))
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// neutralise defuses a cell that Excel or WPS would run as a formula (CSV
// injection): a cell starting with =, +, -, @, a tab or a carriage return
// (or the full-width ＝＋－＠ a Chinese input method types) gets a leading
// single quote, which spreadsheets show as text.
func neutralise(c string) string {
	if r, _ := utf8.DecodeRuneInString(c); c != "" && strings.ContainsRune("=+-@\t\r＝＋－＠", r) {
		return "'" + c
	}
	return c
}
