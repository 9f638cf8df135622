package main

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/shandong/indicator_exporter/indicators"
)

// The pages in a real browser: Debian's headless Chromium, driven with
// chromedp, against the daemon running on the demo data. The screenshots
// go to $WEB_SCREENSHOT_DIR if set, else to the test's artifact directory
// (kept with go test -artifacts).
func TestWebPagesInABrowser(t *testing.T) {
	chrome := webChromium(t)
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "inbox"), os.DirFS("../../examples/inbox")); err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, "--config="+shippedPlan, "--storage.path="+filepath.Join(dir, "data"),
		"--inbox.dir="+filepath.Join(dir, "inbox"), "--inbox.archive-dir="+filepath.Join(dir, "archive"),
		"--inbox.rejected-dir="+filepath.Join(dir, "rejected"), "--inbox.settle-period=200ms")
	webWaitForDemo(t, d)

	out := os.Getenv("WEB_SCREENSHOT_DIR")
	if out == "" {
		out = t.ArtifactDir()
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chrome),
		chromedp.NoSandbox, chromedp.Flag("headless", "new"), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("lang", "zh-CN"), chromedp.WindowSize(1366, 768))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithErrorf(t.Logf))
	defer cancelBrowser()
	ctx, cancel := context.WithTimeout(bctx, 2*time.Minute)
	defer cancel()

	base := "http://" + d.addr
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return strings.TrimSpace(s)
	}
	eval := func(js string) float64 {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	shoot := func(name string) {
		t.Helper()
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(out, name), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	open := func(path, ready string) {
		t.Helper()
		do("open "+path, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(ready)))
	}
	noOverflow := func(width int, page string) {
		t.Helper()
		if w := eval(`document.documentElement.scrollWidth`); w > float64(width)+1 {
			// Name the widest elements that stick out, to say what to fix.
			culprits, _ := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("body *")]
				.filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
				.filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
				.slice(0, 5).map(e => e.tagName.toLowerCase() + "." + e.className + " (" + Math.round(e.getBoundingClientRect().right) + "px): " + e.textContent.trim().slice(0, 40))`))
			t.Errorf("%s at %d px is %v px wide: it scrolls sideways; sticking out: %q", page, width, w, culprits)
		}
	}
	status := func(id string) string {
		t.Helper()
		return text(`tr:has(> td.name a[href="/indicators/` + id + `"]) .status`)
	}

	// Wide screen.
	do("viewport", chromedp.EmulateViewport(1366, 768))
	open("/", "table.indicators")
	body := text("body")
	for _, want := range []string{"总览", "共 122 项指标", "已完成", "已逾期", "滞后", "任务台账", "数据接口"} {
		if !strings.Contains(body, want) {
			t.Errorf("/ does not show %q", want)
		}
	}
	// Demo data (examples/README.md): achieved, a breached sustained
	// level and a missed 2023 deadline. The page must say what the API
	// says; the breached level is 滞后 until its next report falls due
	// (10 January 2027), 未按时报送 after, so it is asked of the API.
	apiStatus := func(id string) indicators.Status {
		t.Helper()
		resp, err := http.Get(base + "/api/v1/indicators/" + id)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var v struct{ Status indicators.Status }
		if err := json.NewDecoder(resp.Body).Decode(&v); err != nil || v.Status == "" {
			t.Fatalf("/api/v1/indicators/%s: %v", id, err)
		}
		return v.Status
	}
	for id, want := range map[string]string{
		"urbanization_rate":                     "已完成",
		"preschool_inclusive_rate":              apiStatus("preschool_inclusive_rate").Chinese(),
		"old_residential_renovation_households": "已逾期",
	} {
		if got := status(id); got != want {
			t.Errorf("status of %s on / = %q, want %q", id, got, want)
		}
	}
	preschool := apiStatus("preschool_inclusive_rate")
	// The stylesheet loads under the page's Content-Security-Policy.
	if eval(`document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 50 ? 1 : 0`) != 1 {
		t.Error("the stylesheet did not load")
	}
	noOverflow(1366, "/")
	shoot("overview-1366.png")

	// Follow a link from the overview to an indicator page.
	do("follow a link", chromedp.Click(chromedp.CSS(`a[href="/indicators/old_residential_renovation_households"]`)),
		chromedp.WaitVisible(chromedp.CSS("svg.chart.wide")))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.HasSuffix(loc, "/indicators/old_residential_renovation_households") {
		t.Errorf("the link led to %s", loc)
	}
	if h := text("h1"); h != "改造老旧小区户数" {
		t.Errorf("indicator page title %q", h)
	}
	if s := text(".head .status"); s != "已逾期" {
		t.Errorf("indicator page status %q", s)
	}
	page := text("body")
	for _, want := range []string{"任务原文", "摸清全省2005年以前建成的老旧小区底数", "≥ 150万户", "走势", "报送记录", "住建厅_2021-2023年度报送.csv", "示例数据（虚构）"} {
		if !strings.Contains(page, want) {
			t.Errorf("indicator page does not show %q", want)
		}
	}
	if n := eval(`document.querySelectorAll("svg.chart.wide circle.dot").length`); n < 2 {
		t.Errorf("the chart shows %v reports", n)
	}
	noOverflow(1366, "indicator page")
	shoot("indicator-1366.png")

	// Apply a filter with the form.
	open("/", "form.filters")
	do("filter by status", chromedp.SetValue(chromedp.CSS(`select[name="status"]`), string(preschool)),
		chromedp.Click(chromedp.CSS(`form.filters button`)), chromedp.WaitVisible(chromedp.CSS(".totals .active")))
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); !strings.Contains(loc, "status="+string(preschool)) {
		t.Errorf("filter submitted to %s", loc)
	}
	words, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("table.indicators td .status")].map(e => e.innerText.trim())`))
	if err != nil {
		t.Fatal(err)
	}
	if len(words) == 0 {
		t.Errorf("the %s filter shows nothing", preschool)
	}
	for _, w := range words {
		if w != preschool.Chinese() {
			t.Errorf("the %s filter shows a row that is %q", preschool, w)
		}
	}
	if status("preschool_inclusive_rate") != preschool.Chinese() {
		t.Errorf("the %s filter lost preschool_inclusive_rate", preschool)
	}

	// The inbox shows the rejected demo file and why.
	const reportLine = `第 2 行 第 2 列 (数值): 无法识别的数值 "一百万"`
	for _, path := range []string{"/inbox", "/inbox/housing"} {
		open(path, "article.drop")
		b := text("body")
		for _, want := range []string{"住建厅_2024年一季度_有错误.csv", "已拒收", reportLine, "下载报送模板"} {
			if !strings.Contains(b, want) {
				t.Errorf("%s does not show %q", path, want)
			}
		}
		noOverflow(1366, path)
	}
	// The API answers in the browser too.
	do("open the API", chromedp.Navigate(base+"/api/v1/indicators?status=achieved"))
	var api struct {
		Indicators []struct{ ID, Status string }
	}
	if err := json.Unmarshal([]byte(text("body")), &api); err != nil || len(api.Indicators) == 0 {
		t.Errorf("/api/v1/indicators in the browser: %v (%d indicators)", err, len(api.Indicators))
	}

	// Phone width: no sideways scrolling, on every page.
	do("phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	for _, p := range []struct{ path, ready, shot string }{
		{"/", "table.indicators", "overview-390.png"},
		{"/indicators/old_residential_renovation_households", "svg.chart.narrow", "indicator-390.png"},
		{"/indicators/medical_waste_facilities_each_city", "table.cities", ""},
		{"/inbox", "article.drop", ""},
		{"/inbox/housing", "article.drop", ""},
	} {
		open(p.path, p.ready)
		noOverflow(390, p.path)
		if p.ready == "svg.chart.narrow" && eval(`getComputedStyle(document.querySelector("svg.chart.wide")).display === "none" ? 1 : 0`) != 1 {
			t.Error("the wide chart is shown on a phone")
		}
		if p.shot != "" {
			shoot(p.shot)
		}
	}
	t.Logf("screenshots in %s", out)
}

// webChromium finds Debian's chromium. Without it the test fails in CI
// (which installs it) and is skipped elsewhere.
func webChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium not found: install the Debian packages chromium and fonts-noto-cjk")
	}
	t.Skip("chromium not installed (Debian packages chromium and fonts-noto-cjk)")
	return ""
}

// webWaitForDemo waits until every demo file has an outcome.
func webWaitForDemo(t *testing.T, d *daemon) {
	t.Helper()
	want := 0
	fs.WalkDir(os.DirFS("../../examples/inbox"), ".", func(_ string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			want++
		}
		return nil
	})
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, body := d.get(t, "/api/v1/submissions?limit=500")
		var res struct{ Submissions []json.RawMessage }
		if err := json.Unmarshal([]byte(body), &res); err == nil && len(res.Submissions) >= want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("demo files not processed within 30s (want %d outcomes):\n%s", want, body)
		}
		time.Sleep(100 * time.Millisecond)
	}
}
