package jobs

// pageReleaser is a store that reads its file through a memory map and
// can give the mapped pages back (storage/bolt: ReleasePages). A bulk
// run calls it after each batch it writes: a first start's reminder run
// writes about 100,000 messages, and the pages it touches on the way
// (the outbox, its indexes and the ledger, each read before it is
// rewritten) would otherwise stay mapped, 80–90 MiB of RSS at 150,000
// officers on top of the roster's pages the live model read.
type pageReleaser interface {
	ReleasePages() error
}

// releasePages gives the store's mapped pages back, when it has any.
func (s *Scheduler) releasePages() {
	r, ok := s.store.(pageReleaser)
	if !ok {
		return
	}
	if err := r.ReleasePages(); err != nil {
		s.log.Warn("jobs: releasing the store's mapped pages", "err", err)
	}
}
