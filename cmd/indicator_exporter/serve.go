package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	versioncollector "github.com/prometheus/client_golang/prometheus/collectors/version"
	"github.com/prometheus/common/promslog"
	"github.com/prometheus/common/version"
	"github.com/prometheus/exporter-toolkit/web"

	"github.com/shandong/indicator_exporter/collector"
	"github.com/shandong/indicator_exporter/config"
	"github.com/shandong/indicator_exporter/inbox"
	"github.com/shandong/indicator_exporter/indicators"
	"github.com/shandong/indicator_exporter/store"
	webui "github.com/shandong/indicator_exporter/web"
)

type serveOptions struct {
	web         *web.FlagConfig
	log         *promslog.Config
	configFile  string
	storagePath string
	metricsPath string
	refresh     time.Duration
	inbox       inbox.Options
	inboxWatch  bool
}

// source pairs the plan in force with the store's current data; both are
// immutable snapshots, so a scrape sees one consistent state.
type source struct {
	plans *config.Coordinator
	store *store.Store
}

func (s source) Snapshot() (*indicators.Plan, indicators.Data) {
	// The store's plan is the one its digests are made for; a reload
	// reaches it a moment after the coordinator (SetPlan).
	d := s.store.Data()
	return d.Plan, d
}

// serveExporter runs until ctx is cancelled. hup delivers SIGHUP; it and
// POST /-/reload share one reload path.
func serveExporter(ctx context.Context, o serveOptions, logger *slog.Logger, hup <-chan os.Signal) error {
	// Everything started here stops with ctx, also when the server fails.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	logger.Info("starting indicator_exporter", "version", version.Info(), "build_context", version.BuildContext())
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), versioncollector.NewCollector("indicator_exporter"))
	if pc, err := collector.NewProcessCollector(); err == nil {
		reg.MustRegister(pc)
	} else {
		logger.Warn("process metrics unavailable", "err", err)
	}

	plans, err := config.NewCoordinator(o.configFile, logger, reg)
	if err != nil {
		return err
	}
	unlock, err := store.Lock(o.storagePath)
	if err != nil {
		return err
	}
	defer unlock()
	st, err := store.Open(o.storagePath, plans.Plan())
	if err != nil {
		return err
	}
	defer st.Close()
	st.SetLogger(logger)
	obs, revs, err := st.Counts(ctx)
	if err != nil {
		return err
	}
	logger.Info("history loaded", "path", o.storagePath, "observations", obs, "target_revisions", revs)
	// The state's digests follow the plan's targets (their start,
	// deadline and period decide what is kept of each series).
	plans.Subscribe(func(p *indicators.Plan) {
		if err := st.SetPlan(ctx, p); err != nil {
			logger.Error("cannot apply the reloaded plan to the stored state; the pages and metrics keep the previous plan", "err", err)
		}
	})

	// The indicator metrics are rendered once per change or refresh
	// interval and served from memory; reg keeps the small live metrics.
	cache := collector.NewCache(source{plans, st}, time.Now, o.refresh, logger)
	reg.MustRegister(cache)
	st.OnChange(cache.Invalidate)
	plans.Subscribe(func(*indicators.Plan) { cache.Invalidate() })
	go cache.Run(ctx)

	o.inbox.NoWatch = !o.inboxWatch
	drops, err := inbox.New(o.inbox, plans.Plan, st, logger, reg)
	if err != nil {
		return err
	}
	// Departments added by a reload get their folders at once.
	plans.Subscribe(func(*indicators.Plan) {
		if err := drops.Prepare(); err != nil {
			logger.Error("cannot prepare inbox folders", "err", err)
		}
	})
	inboxDone := make(chan struct{})
	go func() {
		defer close(inboxDone)
		drops.Run(ctx)
	}()
	// The inbox must stop before the store closes; cancel first, so that
	// a server that fails to start does not wait for a signal.
	defer func() { <-inboxDone }()
	defer cancel()

	reloadReq := make(chan chan error)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				_ = plans.Reload() // logged and counted by the coordinator
			case errc := <-reloadReq:
				errc <- plans.Reload()
			}
		}
	}()

	mux := http.NewServeMux()
	mux.Handle(o.metricsPath, cache.Handler(reg, logger))
	mux.HandleFunc("/-/healthy", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "Healthy") })
	mux.HandleFunc("/-/ready", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "Ready") })
	mux.HandleFunc("/-/reload", func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "reload requires POST", http.StatusMethodNotAllowed)
			return
		}
		errc := make(chan error, 1)
		select {
		case reloadReq <- errc:
		case <-r.Context().Done():
			return
		}
		if err := <-errc; err != nil {
			http.Error(w, "重新加载计划失败，仍使用原计划 / failed to reload plan; the previous plan stays in force:\n"+err.Error(), http.StatusInternalServerError)
			return
		}
		// The caller's next scrape must show the new plan.
		cache.Refresh()
		fmt.Fprintln(w, "计划已重新加载 / plan reloaded")
	})
	if o.metricsPath != "/" {
		// The progress pages and JSON API take every path the routes above
		// leave, in place of the toolkit's landing page.
		pages, err := webui.New(webui.Options{Plans: plans, Store: st, Now: time.Now,
			MetricsPath: o.metricsPath, Version: version.Version, Logger: logger})
		if err != nil {
			return err
		}
		mux.Handle("/", pages)
	}

	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	errc := make(chan error, 1)
	go func() { errc <- web.ListenAndServe(srv, o.web, logger) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shut, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
