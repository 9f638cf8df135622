package main

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// loadDurationEnv sets how long the load test runs. The issue asks for
// 60 s; the default keeps the normal test run short. CI may set
// INDICATOR_LOAD_TEST_DURATION=60s.
const loadDurationEnv = "INDICATOR_LOAD_TEST_DURATION"

// loadWarmUp precedes the measured duration.
const loadWarmUp = 5 * time.Second

func loadDuration(t *testing.T) time.Duration {
	v := os.Getenv(loadDurationEnv)
	if v == "" {
		return 15 * time.Second
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 3*time.Second {
		t.Fatalf("%s=%q: want a duration of at least 3s", loadDurationEnv, v)
	}
	return d
}

// TestLoadFiftyScrapersWhileIngesting runs 50 concurrent scrapers in tight
// loops against a plan of 100 each-city indicators × 17 regions on
// loopback, while files are dropped into five department folders. It
// passes when no scrape fails (status, body and series count), every file
// is accepted, the goroutine count returns to its level before the load,
// and the resident memory in the last fifth of the run is not above the
// first fifth by more than a tolerance (no growth per scrape or per file).
func TestLoadFiftyScrapersWhileIngesting(t *testing.T) {
	const (
		indicatorN = 100
		regionsN   = 17
	)
	scrapers := 50
	if raceEnabled {
		// The race-instrumented daemon is ~30 times slower: fewer
		// scrapers still race every path, without scrapes timing out.
		scrapers = 10
	}
	dur := loadDuration(t)
	s := newSite(t, generatedPlan(indicatorN))
	d := launch(t, procOptions{}, s.args("--log.level=warn")...)
	wantStatus := indicatorN * regionsN * len(indicators.Statuses)
	statusPrefix := []byte("indicator_status{")
	idle := d.scrape()
	goroutines0, _ := idle.get("go_goroutines")
	rss0 := d.rss()

	transport := &http.Transport{MaxIdleConnsPerHost: scrapers}
	client := &http.Client{Transport: transport, Timeout: 60 * time.Second}
	var (
		scrapes, failures atomic.Int64
		mu                sync.Mutex
		latencies         []time.Duration
		firstFailure      string
	)
	fail := func(msg string) {
		if failures.Add(1) == 1 {
			mu.Lock()
			firstFailure = msg
			mu.Unlock()
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := 0; i < scrapers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []time.Duration
			defer func() { mu.Lock(); latencies = append(latencies, local...); mu.Unlock() }()
			for {
				select {
				case <-stop:
					return
				default:
				}
				begin := time.Now()
				resp, err := client.Get(d.base + "/metrics")
				if err != nil {
					fail(err.Error())
					continue
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				local = append(local, time.Since(begin))
				scrapes.Add(1)
				switch {
				case err != nil:
					fail("reading the body: " + err.Error())
				case resp.StatusCode != 200:
					fail(fmt.Sprintf("status %d", resp.StatusCode))
				case bytes.Count(body, statusPrefix) != wantStatus:
					fail(fmt.Sprintf("%d indicator_status series, want %d", bytes.Count(body, statusPrefix), wantStatus))
				}
			}
		}()
	}

	// Files arrive throughout: each department in turn, 40 rows of its
	// own indicators with new values. The dates cycle over four days, so
	// after the warm-up the files revise values already held: the history
	// grows on disk, the current state in memory keeps its size, and any
	// growth of memory is a leak, not data.
	var dropped atomic.Int64
	wg.Add(1)
	go func() {
		defer wg.Done()
		rng := rand.New(rand.NewPCG(1, 2))
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			dept := n % generatedDepartments
			var b bytes.Buffer
			b.WriteString("indicator,region,value,as_of\n")
			day := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n/generatedDepartments%4).Format("2006-01-02")
			for r := 0; r < 40; r++ {
				ind := dept + generatedDepartments*(r%(indicatorN/generatedDepartments))
				fmt.Fprintf(&b, "ind_%03d,%s,%d,%s\n", ind, cities[r/(indicatorN/generatedDepartments)*8+r%8], rng.IntN(1000), day)
			}
			s.drop(fmt.Sprintf("dept%02d", dept), "load-"+strconv.Itoa(n)+".csv", b.Bytes())
			dropped.Add(1)
		}
	}()

	// Resident memory once a second after a warm-up (connections set up,
	// every key of the files seen once); compare the first and last fifths.
	time.Sleep(loadWarmUp)
	var rss []int64
	start := time.Now()
	for time.Since(start) < dur {
		time.Sleep(time.Second)
		rss = append(rss, d.rss())
	}
	close(stop)
	wg.Wait()
	transport.CloseIdleConnections()

	n := scrapes.Load()
	sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
	pct := func(p float64) time.Duration { return latencies[int(float64(len(latencies)-1)*p)] }
	dur += loadWarmUp
	t.Logf("%d scrapers for %v: %d scrapes (%.0f/s), latency p50 %v p99 %v max %v; %d files dropped",
		scrapers, dur, n, float64(n)/dur.Seconds(), pct(0.5).Round(time.Millisecond), pct(0.99).Round(time.Millisecond),
		latencies[len(latencies)-1].Round(time.Millisecond), dropped.Load())
	if f := failures.Load(); f > 0 {
		t.Errorf("%d of %d scrapes failed; first: %s", f, n, firstFailure)
	}
	if n < int64(scrapers) {
		t.Errorf("only %d scrapes in %v", n, dur)
	}

	// Every dropped file is taken and accepted.
	eventually(t, 30*time.Second, "every dropped file to be accepted", func() bool {
		m := d.scrape()
		var acc float64
		for i := 0; i < generatedDepartments; i++ {
			a, _ := m.get("indicator_inbox_files_total", "department", fmt.Sprintf("dept%02d", i), "result", "accepted")
			r, _ := m.get("indicator_inbox_files_total", "department", fmt.Sprintf("dept%02d", i), "result", "rejected")
			if r > 0 {
				t.Fatalf("a file of dept%02d was rejected under load", i)
			}
			acc += a
		}
		return acc == float64(dropped.Load())
	})

	// Memory is flat: the peak of the last fifth of the run within 10 %
	// + 8 MiB of the peak of the first fifth.
	fifth := max(len(rss)/5, 1)
	peak := func(xs []int64) int64 {
		m := int64(0)
		for _, x := range xs {
			m = max(m, x)
		}
		return m
	}
	early, late := peak(rss[:fifth]), peak(rss[len(rss)-fifth:])
	t.Logf("resident memory: idle before %d MiB, early peak %d MiB, late peak %d MiB", rss0>>20, early>>20, late>>20)
	if limit := early + early/10 + 8<<20; late > limit {
		t.Errorf("resident memory grew during the run: early %d MiB, late %d MiB (limit %d MiB)", early>>20, late>>20, limit>>20)
	}
	// Goroutines return to their idle level once the clients are gone.
	eventually(t, 10*time.Second, "goroutines to return to the idle level", func() bool {
		g, _ := d.scrape().get("go_goroutines")
		return g <= goroutines0+5
	})
}
