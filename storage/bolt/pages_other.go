//go:build !linux

package bolt

// ReleasePages does nothing outside Linux (see pages_linux.go).
func (s *Store) ReleasePages() error { return nil }
