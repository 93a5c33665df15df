package server

import (
	"fmt"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// Demo data: a made-up force big enough to look real, loaded only by an
// admin pressing the button on an empty dashboard when the server allows
// it (Config.DemoAllowed) — never into a store that holds a roster.
const (
	demoOfficers = 3000
	demoUnits    = 60
	demoSeed     = 1
	// demoTrendWeeks of weekly snapshots are written so the trend chart
	// has something to show at once.
	demoTrendWeeks = 26
)

func (p *webPages) pageDemo(c echo.Context) error {
	if !p.cfg.DemoAllowed {
		return fmt.Errorf("%w: demo data is not allowed on this server", training.ErrForbidden)
	}
	ctx := c.Request().Context()
	ds, err := p.store.Dataset(ctx)
	if err != nil {
		return err
	}
	if len(ds.Officers) > 0 {
		return p.redirectFlash(c, "/", "error", "Demo data can only be loaded into an empty store; this one already holds a roster.")
	}
	today := p.today()
	cs := demo.Force(demoSeed, demoOfficers, demoUnits, today)
	cs.BaseRevision = ds.Revision
	if _, err := p.store.ApplyChanges(ctx, cs); err != nil {
		return err
	}
	p.log.Info("demo data loaded", "request_id", requestIDOf(c), "officers", len(cs.Officers))
	if err := p.demoSnapshots(c, today); err != nil {
		p.log.Warn("demo trend snapshots", "request_id", requestIDOf(c), "err", err)
	}
	return p.redirectFlash(c, "/", "ok", fmt.Sprintf("Loaded demo data: %d made-up officers in %d teams.", len(cs.Officers), demoUnits))
}

// demoSnapshots writes weekly snapshots computed from the demo data as of
// each past week, for the trend chart.
func (p *webPages) demoSnapshots(c echo.Context, today training.Date) error {
	ctx := c.Request().Context()
	ds, err := p.store.Dataset(ctx)
	if err != nil {
		return err
	}
	for w := demoTrendWeeks; w >= 0; w-- {
		d := today.AddDays(-7 * w)
		r, err := training.BuildReport(ds, d, training.ReportOptions{})
		if err != nil {
			return err
		}
		if err := p.store.PutDailySnapshot(ctx, snapshotOf(r)); err != nil {
			return err
		}
	}
	return nil
}

// snapshotOf flattens a report into a DailySnapshot.
func snapshotOf(r *training.Report) training.DailySnapshot {
	s := training.DailySnapshot{Date: r.AsOf, Units: map[string]map[string]training.Counts{}}
	r.Walk(func(n *training.ReportNode) {
		m := make(map[string]training.Counts, len(n.Courses))
		for _, c := range n.Courses {
			m[c.Course] = c.Counts
		}
		s.Units[n.Unit] = m
	})
	return s
}
