package server

import (
	"github.com/muster-police/muster/jobs"
	"github.com/muster-police/muster/server/web"
)

// The scheduler is what main passes as Config.Jobs.
var _ web.Jobs = (*jobs.Scheduler)(nil)
