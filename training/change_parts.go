package training

// ChangeParts hands a change set's records to a store a part at a time:
// it calls put once per part, in order, and stops at put's first error
// (returning it). A part's slices become the store's: the caller neither
// changes nor keeps them once put returns, so that a large import holds
// each part only until it is written (see RosterStore.ApplyChangeParts).
type ChangeParts func(put func(part ChangeSet) error) error

// CollectParts joins head and every part of parts into one change set, for
// a store that writes a change set whole. A part's BaseRevision and Import
// are ignored: head's count.
func CollectParts(head ChangeSet, parts ChangeParts) (ChangeSet, error) {
	cs := head
	if parts == nil {
		return cs, nil
	}
	err := parts(func(p ChangeSet) error {
		cs.Officers = append(cs.Officers, p.Officers...)
		cs.Completions = append(cs.Completions, p.Completions...)
		cs.Exemptions = append(cs.Exemptions, p.Exemptions...)
		return nil
	})
	return cs, err
}
