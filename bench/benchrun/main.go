// Command benchrun measures indicator_exporter side by side with the
// alternatives, on this machine, in one run, and prints one table.
//
// For each size it generates a plan of N each-city indicators (16 cities
// and the province roll-up) with eight quarterly reports per city, lets the
// exporter ingest them, captures its indicator series and serves the very
// same series from node_exporter's textfile collector (Debian
// prometheus-node-exporter), a minimal client_golang const-metric exporter
// and a pre-rendered byte server. It scrapes them round by round,
// interleaved, with bounded loops, then measures ingest throughput against
// the encoding/csv floor, drop-to-visible latency and start-up time.
//
// Run it through bench/run.sh.
package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // to mark the state pending, as a crash leaves it
)

var (
	exporterBin   = flag.String("exporter", "", "indicator_exporter binary")
	refBin        = flag.String("ref", "", "refexporter binary")
	nodeBin       = flag.String("node-exporter", "prometheus-node-exporter", "node_exporter binary")
	work          = flag.String("work", "", "scratch directory")
	sizes         = flag.String("sizes", "10k=35,100k=350", "size=indicators, comma separated (each indicator gives about 290 series)")
	rounds        = flag.Int("rounds", 20, "scrape rounds per size (each round scrapes every target once per encoding)")
	ingestMB      = flag.Int("ingest-mb", 100, "size of the ingest test file in MB (0 skips)")
	ingestLargeMB = flag.Int("ingest-large-mb", 250, "size of a second, larger ingest file whose peak memory must not exceed the first's (0 or not larger: skipped)")
	drops         = flag.Int("drops", 15, "drops for the drop-to-visible latency")
	startupObs    = flag.Int("startup-observations", 0, "stored observations for the start-up test (0 skips)")
)

func main() {
	flag.Parse()
	if *exporterBin == "" || *refBin == "" || *work == "" {
		log.Fatal("need -exporter, -ref and -work")
	}
	fmt.Printf("# indicator_exporter benchmark — %s\n\n", machine())
	for _, sz := range strings.Split(*sizes, ",") {
		name, n, _ := strings.Cut(sz, "=")
		count, err := strconv.Atoi(n)
		if err != nil {
			log.Fatalf("bad size %q", sz)
		}
		scrapeBench(name, count)
	}
	latencyBench()
	if *ingestMB > 0 {
		ingestBench(*ingestMB)
	}
	if *startupObs > 0 {
		startupBench(*startupObs)
	}
}

func machine() string {
	model := ""
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if strings.HasPrefix(l, "model name") {
				_, model, _ = strings.Cut(l, ": ")
				break
			}
		}
	}
	n, _ := exec.Command("nproc").Output()
	return fmt.Sprintf("%s cores, %s, %s", strings.TrimSpace(string(n)), model, time.Now().Format("2006-01-02"))
}

// ---- processes ----

type proc struct {
	name string
	cmd  *exec.Cmd
	addr string
}

func freeAddr() string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

func start(name, ready string, bin string, args ...string) *proc {
	cmd := exec.Command(bin, args...)
	logf, err := os.Create(filepath.Join(*work, name+".log"))
	if err != nil {
		log.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		log.Fatalf("%s: %v", name, err)
	}
	p := &proc{name: name, cmd: cmd}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(ready); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return p
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	log.Fatalf("%s not ready at %s (see %s.log)", name, ready, name)
	return nil
}

func (p *proc) stop() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}

// term stops the process as a service manager does, with SIGTERM, and
// waits for it to exit.
func (p *proc) term() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Minute):
		log.Fatalf("%d did not stop within 2 minutes of SIGTERM", p.cmd.Process.Pid)
	}
}

// cpu is the process's user+system time so far.
func (p *proc) cpu() time.Duration {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseInt(f[11], 10, 64)
	st, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / 100 // USER_HZ
}

// peakRSS is VmHWM, the resident set's high-water mark, in MiB.
func (p *proc) peakRSS() float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "VmHWM:") {
			kb, _ := strconv.ParseFloat(strings.Fields(l)[1], 64)
			return kb / 1024
		}
	}
	return 0
}

var client = &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 4}, Timeout: 60 * time.Second}

// scrape fetches url once, the body read whole (compressed when gzip),
// and returns how long it took.
func scrape(url string, gz bool) (time.Duration, int) {
	req, _ := http.NewRequest("GET", url, nil)
	if gz {
		req.Header.Set("Accept-Encoding", "gzip")
	}
	t0 := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		log.Fatalf("scrape %s: %v", url, err)
	}
	n, _ := io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		log.Fatalf("scrape %s: %s", url, resp.Status)
	}
	return time.Since(t0), int(n)
}

// ---- data ----

// genPlan writes a plan of n each-city indicators and a drop with eight
// quarterly reports per city; it returns the drop's row count.
func genPlan(dir string, n int) int {
	var b strings.Builder
	b.WriteString("[plan]\nname = \"基准测试计划\"\nstart = 2021-01-01\ncoordinator = \"ndrc\"\n\n")
	b.WriteString("[[department]]\nid = \"ndrc\"\nname = \"省发展改革委\"\n\n[[department]]\nid = \"housing\"\nname = \"省住房城乡建设厅\"\n\n")
	b.WriteString("[[region]]\nid = \"shandong\"\nname = \"山东省\"\nlevel = \"province\"\n\n")
	for c := 0; c < 16; c++ {
		fmt.Fprintf(&b, "[[region]]\nid = \"city%02d\"\nname = \"城市%02d\"\nlevel = \"city\"\n\n", c, c)
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "[[indicator]]\nid = \"indicator_%05d\"\ntask = %d\nsection = \"三、深入实施城镇建设绿色化行动\"\nname = \"指标%05d\"\nunit = \"个\"\nmeasure = \"increment\"\nscope = \"each_city\"\ntarget = 1000\ndeadline = 2027-12-31\nlead = [\"housing\"]\nparticipants = [\"ndrc\"]\n\n", i, i%102+1, i)
	}
	must(os.WriteFile(filepath.Join(dir, "plan.toml"), []byte(b.String()), 0o644))
	must(os.MkdirAll(filepath.Join(dir, "inbox", "housing"), 0o755))
	var csvb strings.Builder
	csvb.WriteString("indicator,region,value,as_of\n")
	rows := 0
	for i := 0; i < n; i++ {
		for c := 0; c < 16; c++ {
			for q := 0; q < 8; q++ {
				fmt.Fprintf(&csvb, "indicator_%05d,city%02d,%d,%d-%02d-30\n", i, c, 100*q+i%50+c, 2023+q/4, 3*(q%4)+3)
				rows++
			}
		}
	}
	tmp := filepath.Join(dir, "inbox", "housing", "reports.csv.tmp")
	must(os.WriteFile(tmp, []byte(csvb.String()), 0o644))
	must(os.Rename(tmp, strings.TrimSuffix(tmp, ".tmp")))
	return rows
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

// metricValue reads one sample's value from an exposition.
func metricValue(body []byte, prefix string) (float64, bool) {
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if l := sc.Text(); strings.HasPrefix(l, prefix) {
			f := strings.Fields(l)
			v, err := strconv.ParseFloat(f[len(f)-1], 64)
			return v, err == nil
		}
	}
	return 0, false
}

func get(url string) []byte {
	resp, err := http.Get(url)
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}

// capture keeps the indicator families of the exporter's exposition: the
// series every target serves.
func capture(body []byte) ([]byte, int) {
	var out bytes.Buffer
	series := 0
	keep := false
	for _, l := range strings.SplitAfter(string(body), "\n") {
		if strings.HasPrefix(l, "# HELP ") {
			name := strings.Fields(l)[2]
			keep = strings.HasPrefix(name, "indicator_") && !strings.HasPrefix(name, "indicator_inbox_") &&
				!strings.HasPrefix(name, "indicator_config_") && !strings.HasPrefix(name, "indicator_exporter_")
		}
		if keep {
			out.WriteString(l)
			if l != "" && l[0] != '#' {
				series++
			}
		}
	}
	return out.Bytes(), series
}

// ---- scrape ----

type stat struct {
	times []time.Duration
	bytes int
}

func (s *stat) median() time.Duration { return s.pct(0.5) }
func (s *stat) pct(p float64) time.Duration {
	t := append([]time.Duration(nil), s.times...)
	sort.Slice(t, func(i, j int) bool { return t[i] < t[j] })
	if len(t) == 0 {
		return 0
	}
	return t[int(p*float64(len(t)-1)+0.5)]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3g ms", float64(d.Microseconds())/1000) }

func scrapeBench(size string, n int) {
	dir := filepath.Join(*work, "scrape-"+size)
	must(os.RemoveAll(dir))
	must(os.MkdirAll(dir, 0o755))
	rows := genPlan(dir, n)
	addr := freeAddr()
	exp := start("indicator_exporter-"+size, "http://"+addr+"/-/ready", *exporterBin, "--web.listen-address="+addr,
		"--config="+filepath.Join(dir, "plan.toml"), "--storage.path="+filepath.Join(dir, "data"),
		"--inbox.dir="+filepath.Join(dir, "inbox"), "--inbox.archive-dir="+filepath.Join(dir, "archive"),
		"--inbox.rejected-dir="+filepath.Join(dir, "rejected"), "--inbox.settle-period=100ms", "--log.level=warn")
	defer exp.stop()
	deadline := time.Now().Add(5 * time.Minute)
	for {
		v, _ := metricValue(get("http://"+addr+"/metrics"), `indicator_inbox_files_total{department="housing",result="accepted"}`)
		if v == 1 {
			break
		}
		if time.Now().After(deadline) {
			log.Fatalf("exporter did not ingest the %d-row drop", rows)
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // the re-render after the commit
	body, series := capture(get("http://" + addr + "/metrics"))
	text := filepath.Join(dir, "textfile")
	must(os.MkdirAll(text, 0o755))
	must(os.WriteFile(filepath.Join(text, "indicators.prom"), body, 0o644))
	must(os.WriteFile(filepath.Join(dir, "capture.prom"), body, 0o644))

	naddr, caddr, paddr := freeAddr(), freeAddr(), freeAddr()
	node := start("node_exporter-"+size, "http://"+naddr+"/metrics", *nodeBin, "--web.listen-address="+naddr,
		"--collector.disable-defaults", "--collector.textfile", "--collector.textfile.directory="+text)
	defer node.stop()
	cg := start("client_golang-"+size, "http://"+caddr+"/metrics", *refBin, "-mode=client_golang", "-listen="+caddr, "-file="+filepath.Join(dir, "capture.prom"))
	defer cg.stop()
	pre := start("prerendered-"+size, "http://"+paddr+"/metrics", *refBin, "-mode=prerendered", "-listen="+paddr, "-file="+filepath.Join(dir, "capture.prom"))
	defer pre.stop()

	targets := []struct {
		name string
		p    *proc
		url  string
	}{{"indicator_exporter", exp, "http://" + addr + "/metrics"}, {"node_exporter textfile", node, "http://" + naddr + "/metrics"},
		{"client_golang const metrics", cg, "http://" + caddr + "/metrics"}, {"pre-rendered bytes", pre, "http://" + paddr + "/metrics"}}
	stats := map[string]*stat{}
	cpu0 := map[string]time.Duration{}
	for _, t := range targets {
		for _, gz := range []bool{false, true} {
			scrape(t.url, gz) // warm-up
		}
		cpu0[t.name] = t.p.cpu()
	}
	for r := 0; r < *rounds; r++ {
		for _, t := range targets {
			for _, gz := range []bool{false, true} {
				d, nb := scrape(t.url, gz)
				k := key(t.name, gz)
				if stats[k] == nil {
					stats[k] = &stat{}
				}
				stats[k].times = append(stats[k].times, d)
				stats[k].bytes = nb
			}
		}
	}
	fmt.Printf("## Scrape, %s: %d series (%d indicators × 17 regions, %d reports), %d rounds, interleaved\n\n", size, series, n, rows, *rounds)
	fmt.Println("| target | plain median | plain p99 | gzip median | gzip p99 | gzip bytes | peak RSS | CPU per scrape |")
	fmt.Println("|---|---|---|---|---|---|---|---|")
	for _, t := range targets {
		p, g := stats[key(t.name, false)], stats[key(t.name, true)]
		cpu := (t.p.cpu() - cpu0[t.name]) / time.Duration(2**rounds)
		fmt.Printf("| %s | %s | %s | %s | %s | %d | %.0f MiB | %s |\n", t.name, ms(p.median()), ms(p.pct(0.99)), ms(g.median()), ms(g.pct(0.99)), g.bytes, t.p.peakRSS(), ms(cpu))
	}
	ie := func(gz bool) float64 { return float64(stats[key("indicator_exporter", gz)].median()) }
	ratio := func(name string, gz bool) float64 { return float64(stats[key(name, gz)].median()) / ie(gz) }
	fmt.Printf("\nRatios of medians (reference ÷ indicator_exporter; above 1 means the exporter is faster):\n\n")
	fmt.Println("| reference | plain | gzip |")
	fmt.Println("|---|---|---|")
	for _, t := range targets[1:] {
		fmt.Printf("| %s | %.2f× | %.2f× |\n", t.name, ratio(t.name, false), ratio(t.name, true))
	}
	goal := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	within5 := ie(false) <= 5*float64(stats[key("pre-rendered bytes", false)].median()) && ie(true) <= 5*float64(stats[key("pre-rendered bytes", true)].median())
	halfRSS := exp.peakRSS() <= cg.peakRSS()/2
	fmt.Printf("\nGoals at %s: scrape median within 5× of pre-rendered bytes (plain and gzip): %s", size, goal(within5))
	if series >= 50000 { // the memory goal is set at 100k series
		fmt.Printf("; peak RSS at most half of the client_golang exporter's (%.0f vs %.0f MiB): %s", exp.peakRSS(), cg.peakRSS(), goal(halfRSS))
	}
	fmt.Print("\n\n")
}

func key(name string, gz bool) string {
	if gz {
		return name + "/gzip"
	}
	return name + "/plain"
}

// ---- drop-to-visible latency ----

func latencyBench() {
	dir := filepath.Join(*work, "latency")
	must(os.RemoveAll(dir))
	must(os.MkdirAll(dir, 0o755))
	genPlan(dir, 35)
	must(os.Remove(filepath.Join(dir, "inbox", "housing", "reports.csv")))
	const settle = 50 * time.Millisecond
	addr := freeAddr()
	exp := start("indicator_exporter-latency", "http://"+addr+"/-/ready", *exporterBin, "--web.listen-address="+addr,
		"--config="+filepath.Join(dir, "plan.toml"), "--storage.path="+filepath.Join(dir, "data"),
		"--inbox.dir="+filepath.Join(dir, "inbox"), "--inbox.archive-dir="+filepath.Join(dir, "archive"),
		"--inbox.rejected-dir="+filepath.Join(dir, "rejected"), "--inbox.settle-period="+settle.String(), "--log.level=warn")
	defer exp.stop()
	var lat stat
	for i := 0; i < *drops; i++ {
		v := 500 + i
		f := filepath.Join(dir, "inbox", "housing", fmt.Sprintf("drop%03d.csv", i))
		// Each drop is the newest report, so it becomes the current value.
		asOf := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02")
		must(os.WriteFile(f+".tmp", []byte(fmt.Sprintf("indicator,region,value,as_of\nindicator_00001,city03,%d,%s\n", v, asOf)), 0o644))
		t0 := time.Now()
		must(os.Rename(f+".tmp", f))
		for {
			got, ok := metricValue(get("http://"+addr+"/metrics"), `indicator_current_value{indicator="indicator_00001",region="city03"}`)
			if ok && got == float64(v) {
				break
			}
			if time.Since(t0) > 30*time.Second {
				log.Fatal("drop never became visible")
			}
			time.Sleep(2 * time.Millisecond)
		}
		lat.times = append(lat.times, time.Since(t0)-settle)
	}
	fmt.Printf("## Drop to visible on /metrics (%d drops, settle period %v)\n\n", *drops, settle)
	fmt.Printf("Beyond the settle period: median %s, p99 %s (goal ≤ 200 ms at the median: %s)\n\n", ms(lat.median()), ms(lat.pct(0.99)),
		map[bool]string{true: "met", false: "MISSED"}[lat.median() <= 200*time.Millisecond])
}

// ---- ingest ----

// ingestBench writes a file of about mb megabytes of indicator,region,
// value,as_of rows, then times the exporter committing it durably, each
// run next to the encoding/csv + ParseFloat + date floor measured on the
// same file in this process just before and just after it.
func ingestBench(mb int) {
	dir := filepath.Join(*work, "ingest")
	must(os.RemoveAll(dir))
	must(os.MkdirAll(dir, 0o755))
	genPlan(dir, 350)
	must(os.Remove(filepath.Join(dir, "inbox", "housing", "reports.csv")))
	big := filepath.Join(dir, "big.csv")
	rows := writeIngestFile(big, mb)
	st, _ := os.Stat(big)

	// Two runs, each into a new exporter and store, and the one with the
	// larger share of its floor counts. The floor is the higher of the
	// two around the run (each the better of two passes): on a shared
	// machine the same loop ran at 134 and at 294 MB/s within a day, so a
	// floor taken at another moment than the run would decide the share
	// rather than the exporter; the higher one is the stricter.
	var best ingestRun
	var floor float64
	for i := 0; i < 2; i++ {
		before := csvFloor(big)
		run := ingestOnce(dir, big, st.Size(), rows, i)
		f := max(before, csvFloor(big))
		fmt.Fprintf(os.Stderr, "ingest run %d: %.1f MB/s (%s), floor %.0f MB/s (%.0f before, then %.0f): %.0f%%\n",
			i+1, run.rate, run.outcome, f, before, f, 100*run.rate/f)
		if i == 0 || run.rate/f > best.rate/floor {
			best, floor = run, f
		}
	}
	share := best.rate / floor
	fmt.Printf("## Ingest: %.0f MB, %d rows, one file, committed durably (%s; of two runs, the one with the larger share of the floor measured around it)\n\n", float64(st.Size())/1e6, rows, best.outcome)
	fmt.Println("| | throughput | share of floor |")
	fmt.Println("|---|---|---|")
	fmt.Printf("| floor: encoding/csv + ParseFloat + date, in memory, around the run | %.0f MB/s | 100%% |\n", floor)
	fmt.Printf("| indicator_exporter: parse, validate, commit, archive | %.1f MB/s | %.0f%% |\n", best.rate, 100*share)
	fmt.Printf("\nPeak RSS before the file %.0f MiB, after %.0f MiB. Scrape median during ingest %s vs idle %s (goal ≤ 2×: %s). Goal ≥ 25%% of the floor: %s.\n\n",
		best.rss0, best.rss1, ms(best.during), ms(best.idle), map[bool]string{true: "met", false: "MISSED"}[best.during <= 2*best.idle],
		map[bool]string{true: "met", false: "MISSED"}[share >= 0.25 && best.outcome == "accepted"])
	if *ingestLargeMB <= mb {
		return
	}
	// Memory bounded by a constant: the same ingest of a file 2.5 times as
	// large must not raise the peak 2.5 times as much, as a state or a
	// buffer in proportion to the file would. Met when its rise is at most
	// 1.5 times the smaller file's: the peak moves by some 10 MiB between
	// files of one kind as garbage collections fall (73 MiB after a 524 MB
	// file, 71-85 after 105-262 MB ones, in runs of 5 December).
	must(os.Remove(big))
	large := filepath.Join(dir, "large.csv")
	lrows := writeIngestFile(large, *ingestLargeMB)
	lst, _ := os.Stat(large)
	run := ingestOnce(dir, large, lst.Size(), lrows, 2)
	fmt.Fprintf(os.Stderr, "ingest of the larger file: %.1f MB/s (%s)\n", run.rate, run.outcome)
	must(os.Remove(large))
	rise, lrise := best.rss1-best.rss0, run.rss1-run.rss0
	fmt.Printf("Memory during ingest: peak RSS %.0f → %.0f MiB for the %.0f MB file (%d rows), %.0f → %.0f MiB for a %.0f MB file (%d rows, %.1f MB/s, %s): a rise %.2f× the smaller file's for a file %.1f× as large; goal bounded, not growing with file size (rise at most 1.5×): %s.\n\n",
		best.rss0, best.rss1, float64(st.Size())/1e6, rows, run.rss0, run.rss1, float64(lst.Size())/1e6, lrows, run.rate, run.outcome,
		lrise/rise, float64(lst.Size())/float64(st.Size()),
		map[bool]string{true: "met", false: "MISSED"}[run.outcome == "accepted" && lrise <= 1.5*rise])
}

// writeIngestFile writes about mb megabytes of indicator,region,value,as_of
// rows for the plan of 350 each-city indicators over 16 cities, every
// series in date order, and returns how many rows it wrote.
func writeIngestFile(path string, mb int) int {
	f, err := os.Create(path)
	must(err)
	w := bufio.NewWriterSize(f, 1<<20)
	w.WriteString("indicator,region,value,as_of\n")
	rows := 0
	day0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	for size := 0; size < mb<<20; rows++ {
		d := day0.AddDate(0, 0, rows/(350*16)%9000)
		n, _ := fmt.Fprintf(w, "indicator_%05d,city%02d,%d.%d,%s\n", rows%350, rows/350%16, rows%100000, rows%10, d.Format("2006-01-02"))
		size += n
	}
	must(w.Flush())
	must(f.Close())
	return rows
}

func copyFile(from, to string) {
	in, err := os.Open(from)
	must(err)
	defer in.Close()
	out, err := os.Create(to)
	must(err)
	_, err = io.Copy(out, in)
	must(err)
	must(out.Close())
}

// ingestRun is one exporter's ingest of the big file.
type ingestRun struct {
	rate         float64 // MB/s
	outcome      string
	rss0, rss1   float64 // MiB, before the file and after
	idle, during time.Duration
}

// ingestOnce starts an exporter on a new store in dir/run<i>, drops the
// file at big into its inbox (a copy staged beside it, renamed in; big
// stays for the next run) and times it until the file is accepted or
// rejected.
func ingestOnce(dir, big string, size int64, rows, i int) ingestRun {
	rd := filepath.Join(dir, fmt.Sprintf("run%d", i))
	must(os.RemoveAll(rd))
	must(os.MkdirAll(filepath.Join(rd, "inbox", "housing"), 0o755))
	staged := filepath.Join(rd, "big.csv")
	copyFile(big, staged) // not a hard link: the inbox refuses files with more than one name
	addr := freeAddr()
	exp := start(fmt.Sprintf("indicator_exporter-ingest%d", i+1), "http://"+addr+"/-/ready", *exporterBin, "--web.listen-address="+addr,
		"--config="+filepath.Join(dir, "plan.toml"), "--storage.path="+filepath.Join(rd, "data"),
		"--inbox.dir="+filepath.Join(rd, "inbox"), "--inbox.archive-dir="+filepath.Join(rd, "archive"),
		"--inbox.rejected-dir="+filepath.Join(rd, "rejected"), "--inbox.settle-period=100ms", "--log.level=warn",
		fmt.Sprintf("--inbox.max-file-size=%d", size+1), fmt.Sprintf("--inbox.max-rows=%d", rows+1))
	defer exp.stop()
	// Scrapes go on every 100 ms while the file is stored, as Prometheus's
	// would, and the idle figure is 20 scrapes at the same pace before
	// it: back to back, the idle scrapes found the caches warm from the
	// one before and took 1.1-1.5 ms, while spaced ones took 2.2-2.5 ms
	// with nothing else running, more than those during the ingest
	// (2.0-2.1); the ratio measured the spacing, not the ingest. The end
	// is seen by the file leaving the inbox (moved once its commit is
	// done), looked for every 5 ms: polling /metrics every 100 ms for
	// the outcome put up to 100 ms of the poll's into the time.
	url := "http://" + addr + "/metrics"
	idle := spacedScrapes(url, nil, 20)
	run := ingestRun{idle: idle.median(), rss0: exp.peakRSS()}
	stopScrapes, scraped := make(chan struct{}), make(chan stat)
	go func() { scraped <- spacedScrapes(url, stopScrapes, 0) }()
	t0 := time.Now()
	must(os.Rename(staged, filepath.Join(rd, "inbox", "housing", "big.csv")))
	for {
		if m, _ := filepath.Glob(filepath.Join(rd, "*", "housing", "*", "big.csv")); len(m) > 0 {
			break
		}
		if time.Since(t0) > 20*time.Minute {
			run.outcome = "TIMED OUT"
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	took := time.Since(t0) - 100*time.Millisecond // the settle period
	close(stopScrapes)
	during := <-scraped
	for run.outcome == "" {
		body := get("http://" + addr + "/metrics")
		if v, _ := metricValue(body, `indicator_inbox_files_total{department="housing",result="accepted"}`); v == 1 {
			run.outcome = "accepted"
		} else if v, _ := metricValue(body, `indicator_inbox_files_total{department="housing",result="rejected"}`); v == 1 {
			run.outcome = "REJECTED"
		} else {
			time.Sleep(10 * time.Millisecond) // moved, not yet counted
		}
	}
	run.rate = float64(size) / took.Seconds() / 1e6
	run.during, run.rss1 = during.median(), exp.peakRSS()
	return run
}

// spacedScrapes scrapes url (gzip) every 100 ms, n times or, with n 0,
// until stop is closed.
func spacedScrapes(url string, stop <-chan struct{}, n int) stat {
	var s stat
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		d, _ := scrape(url, true)
		s.times = append(s.times, d)
		if n > 0 && len(s.times) == n {
			return s
		}
		select {
		case <-stop:
			return s
		case <-tick.C:
		}
	}
}

// csvFloor is the throughput of the least any ingest must do: read the
// CSV, parse each value and date.
func csvFloor(path string) float64 {
	best := 0.0
	for i := 0; i < 2; i++ {
		f, err := os.Open(path)
		must(err)
		st, _ := f.Stat()
		t0 := time.Now()
		r := csv.NewReader(bufio.NewReaderSize(f, 1<<20))
		r.ReuseRecord = true
		var sink float64
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			must(err)
			if v, err := strconv.ParseFloat(rec[2], 64); err == nil {
				sink += v
			}
			if d, err := time.Parse("2006-01-02", rec[3]); err == nil {
				sink += float64(d.Day())
			}
		}
		f.Close()
		if mbps := float64(st.Size()) / time.Since(t0).Seconds() / 1e6; mbps > best {
			best = mbps
		}
		_ = sink
	}
	return best
}

// ---- start-up ----

// startupBench stores n observations through the exporter's own ingest,
// then times a restart until /metrics answers.
func startupBench(n int) {
	dir := filepath.Join(*work, "startup")
	must(os.RemoveAll(dir))
	must(os.MkdirAll(dir, 0o755))
	genPlan(dir, 350)
	must(os.Remove(filepath.Join(dir, "inbox", "housing", "reports.csv")))
	args := []string{"--config=" + filepath.Join(dir, "plan.toml"), "--storage.path=" + filepath.Join(dir, "data"),
		"--inbox.dir=" + filepath.Join(dir, "inbox"), "--inbox.archive-dir=" + filepath.Join(dir, "archive"),
		"--inbox.rejected-dir=" + filepath.Join(dir, "rejected"), "--inbox.settle-period=100ms", "--log.level=warn",
		"--inbox.max-file-size=1000000000", "--inbox.max-rows=5000000"}
	addr := freeAddr()
	exp := start("indicator_exporter-fill", "http://"+addr+"/-/ready", *exporterBin, append([]string{"--web.listen-address=" + addr}, args...)...)
	perFile := 2_000_000
	files := (n + perFile - 1) / perFile
	day0 := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	written := 0
	for fi := 0; fi < files; fi++ {
		p := filepath.Join(dir, "inbox", "housing", fmt.Sprintf("fill%02d.csv", fi))
		f, err := os.Create(p + ".tmp")
		must(err)
		w := bufio.NewWriterSize(f, 1<<20)
		w.WriteString("indicator,region,value,as_of\n")
		for r := 0; r < perFile && written < n; r, written = r+1, written+1 {
			d := day0.AddDate(0, 0, written/(350*16))
			fmt.Fprintf(w, "indicator_%05d,city%02d,%d,%s\n", written%350, written/350%16, written%1000, d.Format("2006-01-02"))
		}
		must(w.Flush())
		must(f.Close())
		must(os.Rename(p+".tmp", p))
		for {
			v, _ := metricValue(get("http://"+addr+"/metrics"), `indicator_inbox_files_total{department="housing",result="accepted"}`)
			if int(v) == fi+1 {
				break
			}
			time.Sleep(200 * time.Millisecond)
		}
	}
	// A restart: stopped as a service manager stops it, so the last
	// file's runs are merged into the series blobs (after a crash in the
	// moment between, the start merges them first).
	exp.term()
	addr = freeAddr()
	t0 := time.Now()
	exp = start("indicator_exporter-startup", "http://"+addr+"/metrics", *exporterBin, append([]string{"--web.listen-address=" + addr}, args...)...)
	took := time.Since(t0)
	rss := exp.peakRSS()
	exp.term()
	fmt.Printf("## Start-up with %d stored observations\n\nFrom exec to the first /metrics answer: %s (goal ≤ 2 s: %s); peak RSS %.0f MiB.\n\n",
		n, ms(took), map[bool]string{true: "met", false: "MISSED"}[took <= 2*time.Second], rss)

	// A database an older version left between a commit and its state
	// write is marked pending, and the start replays the history.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "data", "indicator.db"))
	must(err)
	_, err = db.Exec(`UPDATE meta SET value = 'pending' WHERE key = 'series_state'`)
	must(err)
	must(db.Close())
	addr = freeAddr()
	t0 = time.Now()
	exp = start("indicator_exporter-replay", "http://"+addr+"/metrics", *exporterBin, append([]string{"--web.listen-address=" + addr}, args...)...)
	replay := time.Since(t0)
	defer exp.stop()
	fmt.Printf("The same with the state marked pending, as an older version left it after a crash (the history replayed): %s to the first /metrics answer; peak RSS %.0f MiB (no goal).\n\n",
		ms(replay), exp.peakRSS())
}
