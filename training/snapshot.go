package training

// SnapshotOf flattens a report into the DailySnapshot kept for trend
// charts: every unit path to every course's counts.
func SnapshotOf(r *Report) DailySnapshot {
	s := DailySnapshot{Date: r.AsOf, Units: map[string]map[string]Counts{}}
	r.Walk(func(n *ReportNode) {
		m := make(map[string]Counts, len(n.Courses))
		for _, c := range n.Courses {
			m[c.Course] = c.Counts
		}
		s.Units[n.Unit] = m
	})
	return s
}

// BuildSnapshot computes the force's figures as of asOf for the trend chart.
func BuildSnapshot(ds *Dataset, asOf Date) (DailySnapshot, error) {
	r, err := BuildReport(ds, asOf, ReportOptions{})
	if err != nil {
		return DailySnapshot{}, err
	}
	return SnapshotOf(r), nil
}
