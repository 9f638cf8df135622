package inbox

import "github.com/prometheus/client_golang/prometheus"

// Results a file or row can have.
const (
	Accepted  = "accepted"
	Rejected  = "rejected"
	Duplicate = "duplicate"
)

// unknownDept labels files outside any known department folder, so a
// stray folder name cannot grow the label set without bound.
const unknownDept = "unknown"

type metrics struct {
	files        *prometheus.CounterVec
	rows         *prometheus.CounterVec
	lastAccepted *prometheus.GaugeVec
	pending      prometheus.Gauge
	storeErrors  *prometheus.CounterVec
	scanErrors   prometheus.Counter
	lastScan     prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		files: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "indicator_inbox_files_total",
			Help: "Files taken from the inbox, by department and result (accepted, rejected, duplicate)."}, []string{"department", "result"}),
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "indicator_inbox_rows_total",
			Help: "Data rows in files taken from the inbox, by department and the file's result."}, []string{"department", "result"}),
		lastAccepted: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "indicator_inbox_last_accepted_timestamp_seconds",
			Help: "When the department's last file was accepted."}, []string{"department"}),
		pending: prometheus.NewGauge(prometheus.GaugeOpts{Name: "indicator_inbox_pending_files",
			Help: "Files in the inbox waiting to settle or to be retried."}),
		storeErrors: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "indicator_inbox_store_errors_total",
			Help: "Valid files that could not be stored (database unwritable, disk full); they stay in the inbox and are retried."}, []string{"department"}),
		scanErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "indicator_inbox_scan_errors_total",
			Help: "Inbox scans that failed (folder missing or unreadable)."}),
		lastScan: prometheus.NewGauge(prometheus.GaugeOpts{Name: "indicator_inbox_last_scan_timestamp_seconds",
			Help: "When the inbox was last scanned successfully."}),
	}
	if reg != nil {
		reg.MustRegister(m.files, m.rows, m.lastAccepted, m.pending, m.storeErrors, m.scanErrors, m.lastScan)
	}
	m.department(unknownDept)
	return m
}

// department makes sure the department's series exist at 0 from the
// start: increase() cannot see a counter's first sample, so a counter born
// at 1 would never fire InboxFileRejected.
func (m *metrics) department(id string) {
	for _, r := range []string{Accepted, Rejected, Duplicate} {
		m.files.WithLabelValues(id, r)
		m.rows.WithLabelValues(id, r)
	}
	m.storeErrors.WithLabelValues(id)
}
