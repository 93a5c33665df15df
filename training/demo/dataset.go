package demo

import "github.com/muster-police/muster/training"

// Dataset is what a store holds after applying cs to an empty store with
// courses, built in memory (for benchmarks and tests that need a force
// without a store).
func Dataset(cs training.ChangeSet, courses []training.Course) *training.Dataset {
	ds := &training.Dataset{Courses: courses, Officers: make(map[string]training.Officer, len(cs.Officers)),
		Completions: map[string][]training.Completion{}, Exemptions: map[string][]training.Exemption{}}
	for _, o := range cs.Officers {
		ds.Officers[o.ID] = o
	}
	for _, c := range cs.Completions {
		ds.Completions[c.OfficerID] = append(ds.Completions[c.OfficerID], c)
	}
	for _, e := range cs.Exemptions {
		ds.Exemptions[e.OfficerID] = append(ds.Exemptions[e.OfficerID], e)
	}
	return ds
}
