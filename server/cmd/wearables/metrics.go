package main

import (
	"context"
	"database/sql"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// jobCollector reports the job queue's depth by state from River's table,
// which lives in the store's database (SQLite or PostgreSQL).
type jobCollector struct {
	db   *sql.DB
	desc *prometheus.Desc
}

func newJobCollector(db *sql.DB) *jobCollector {
	return &jobCollector{db: db, desc: prometheus.NewDesc("wearables_jobs", "Jobs in the queue by kind and state.", []string{"kind", "state"}, nil)}
}

// Describe implements prometheus.Collector.
func (c *jobCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector; a failing query reports nothing.
func (c *jobCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	rows, err := c.db.QueryContext(ctx, `SELECT kind, state, count(*) FROM river_job GROUP BY kind, state`)
	if err != nil {
		return
	}
	defer rows.Close()
	for rows.Next() {
		var kind, state string
		var n float64
		if rows.Scan(&kind, &state, &n) == nil {
			ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, n, kind, state)
		}
	}
}

// newRegistry is the process's Prometheus registry: Go and process
// collectors and the job queue.
func newRegistry(db *sql.DB) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewGoCollector(), prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}), newJobCollector(db))
	return reg
}
