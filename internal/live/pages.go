package live

import "github.com/muster-police/muster/training"

// pageReleaser is a store that reads its file through a memory map and
// can give the mapped pages back (storage/bolt: ReleasePages, and
// jobs/pages.go for the runs that call it after each batch). A full read
// of the roster touches every officer's and completion's page — about
// 70 MiB of the 150,000-officer store — and once the Dataset is in the
// heap those pages are not needed again soon: without this they stay
// mapped (RSS) and cached until the first job batch, or for good when
// reminders are off.
type pageReleaser interface {
	ReleasePages() error
}

// releasePages gives the store's mapped pages back after a full read,
// when it has any. A failure costs only memory: it is logged.
func (m *Model) releasePages(st training.Store) {
	r, ok := st.(pageReleaser)
	if !ok {
		return
	}
	if err := r.ReleasePages(); err != nil {
		m.log.Warn("live: releasing the store's mapped pages", "err", err)
	}
}
