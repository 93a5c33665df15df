//go:build !race

package importers

// raceEnabled: the race detector instruments allocations, so the byte
// bounds of bounds_test.go do not hold under it.
const raceEnabled = false
