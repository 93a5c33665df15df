package ui

import (
	"errors"
	"fmt"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
	"github.com/muster-police/muster/training"
	"github.com/muster-police/muster/training/demo"
)

// Demo loads demo data: a made-up force big enough to look real,
// loaded only by an admin pressing the button on an empty dashboard when
// the server allows it (Config.DemoAllowed), never into a store that holds
// a roster.
func (p *Pages) Demo(c echo.Context) error {
	if !p.Cfg.DemoAllowed {
		return training.Forbiddenf("demo data is not allowed on this server")
	}
	n, err := demo.Load(c.Request().Context(), p.Store, p.Today())
	if errors.Is(err, demo.ErrNotEmpty) {
		return p.redirectFlash(c, "/", "error", "Demo data can only be loaded into an empty store; this one already holds a roster.")
	}
	if err != nil {
		return err
	}
	p.Log.Info("demo data loaded", "request_id", web.RequestIDOf(c), "officers", n)
	return p.redirectFlash(c, "/", "ok", fmt.Sprintf("Loaded demo data: %d made-up officers in %d teams.", n, demo.DemoUnits))
}
