package server

import "github.com/muster-police/muster/jobs"

// The scheduler is what main passes as Config.Jobs.
var _ Jobs = (*jobs.Scheduler)(nil)
