package live

import "github.com/muster-police/muster/training"

// releasePages gives the store's mapped pages back after a full read,
// when it has any (training.PageReleaser). A full read of the roster
// touches every officer's and completion's page — about 70 MiB of the
// 150,000-officer store — and once the Dataset is in the heap those pages
// are not needed again soon: without this they stay mapped (RSS) and
// cached until the first job batch, or for good when reminders are off.
func (m *Model) releasePages(st training.Store) {
	if err := training.ReleasePages(st); err != nil {
		m.log.Warn("live: releasing the store's mapped pages", "err", err)
	}
}
