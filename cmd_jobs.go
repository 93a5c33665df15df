package main

// newJobs builds the scheduler for serve; nil until jobs/ is wired.
func newJobs(a *App) (jobRunner, error) { return nil, nil }
