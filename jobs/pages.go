package jobs

import "github.com/muster-police/muster/training"

// releasePages gives the store's mapped pages back, when it has any
// (training.PageReleaser): a first start's reminder run writes about
// 100,000 messages, and the pages it touches on the way (the outbox, its
// indexes and the ledger, each read before it is rewritten) would
// otherwise stay mapped, 80–90 MiB of RSS at 150,000 officers.
func (s *Scheduler) releasePages() {
	if err := training.ReleasePages(s.store); err != nil {
		s.log.Warn("jobs: releasing the store's mapped pages", "err", err)
	}
}
