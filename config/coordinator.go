package config

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/shandong/indicator_exporter/indicators"
)

// Coordinator owns the plan in force. Reload reads the file again; on
// error the old plan keeps serving and the reload gauge drops to 0, as in
// Prometheus and Alertmanager.
type Coordinator struct {
	path   string
	logger *slog.Logger

	mu        sync.RWMutex
	plan      *indicators.Plan
	subs      []func(*indicators.Plan)
	lastErr   error     // of the last reload, nil if it succeeded
	lastErrAt time.Time // when it failed

	success     prometheus.Gauge
	successTime prometheus.Gauge
	hash        prometheus.Gauge
}

// NewCoordinator loads the plan at path. The first load must succeed: a
// daemon with no plan has nothing to serve.
func NewCoordinator(path string, logger *slog.Logger, reg prometheus.Registerer) (*Coordinator, error) {
	c := &Coordinator{
		path:   path,
		logger: logger,
		success: prometheus.NewGauge(prometheus.GaugeOpts{Name: "indicator_config_last_reload_successful",
			Help: "Whether the last plan reload succeeded (1) or failed (0)."}),
		successTime: prometheus.NewGauge(prometheus.GaugeOpts{Name: "indicator_config_last_reload_success_timestamp_seconds",
			Help: "Timestamp of the last successful plan reload."}),
		hash: prometheus.NewGauge(prometheus.GaugeOpts{Name: "indicator_config_hash",
			Help: "Hash of the plan file in force, to tell which version is loaded."}),
	}
	if reg != nil {
		reg.MustRegister(c.success, c.successTime, c.hash)
	}
	if err := c.Reload(); err != nil {
		return nil, err
	}
	return c, nil
}

// LastReloadError is the error of the last reload if it failed (the plan
// in force is then an older one), with when; nil after a success.
func (c *Coordinator) LastReloadError() (error, time.Time) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.lastErr, c.lastErrAt
}

// Plan returns the plan in force; it is never mutated.
func (c *Coordinator) Plan() *indicators.Plan {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.plan
}

// Subscribe calls fn with every plan that is put in force from now on.
func (c *Coordinator) Subscribe(fn func(*indicators.Plan)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.subs = append(c.subs, fn)
}

// Reload reads and validates the plan file and puts it in force. On error
// nothing changes except the reload gauge.
func (c *Coordinator) Reload() error {
	data, err := os.ReadFile(c.path)
	var p *indicators.Plan
	if err != nil {
		err = fmt.Errorf("无法读取计划文件 %s（路径是否正确、是否有读取权限？）/ cannot read plan file: %w", c.path, err)
	} else {
		p, err = Load(c.path, data)
	}
	if err != nil {
		c.success.Set(0)
		c.mu.Lock()
		c.lastErr, c.lastErrAt = err, time.Now()
		c.mu.Unlock()
		if c.Plan() == nil {
			c.logger.Error("cannot load the plan; not starting", "file", c.path, "err", err)
		} else {
			c.logger.Error("plan reload failed; the previous plan stays in force", "file", c.path, "err", err)
		}
		return err
	}
	sum := sha256.Sum256(data)
	c.mu.Lock()
	c.plan = p
	c.lastErr = nil
	subs := append([]func(*indicators.Plan){}, c.subs...)
	c.mu.Unlock()
	for _, fn := range subs {
		fn(p)
	}
	c.success.Set(1)
	c.successTime.Set(float64(time.Now().Unix()))
	c.hash.Set(float64(binary.BigEndian.Uint64(sum[:8]) >> 11)) // 53 bits fit a float64 exactly
	c.logger.Info("plan loaded", "file", c.path, "indicators", len(p.Targets), "departments", len(p.Departments))
	return nil
}
