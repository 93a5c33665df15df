package jobs

import (
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

func TestRunSummary(t *testing.T) {
	for _, tc := range []struct {
		run     training.JobRun
		toFiles bool
		want    string
	}{
		{training.JobRun{Job: JobSender, Counts: map[string]int{"sent": 1843, "deferred": 200, "relay_unavailable": 11, "due": 2054}}, false,
			"1,843 emails sent, 211 waiting for the relay to accept them."},
		{training.JobRun{Job: JobSender, Counts: map[string]int{"sent": 1}}, true, "1 email written to files."},
		{training.JobRun{Job: JobReminders, Counts: map[string]int{"to_remind": 3, "items": 4, "enqueued": 3, "already_enqueued": 0,
			"cannot_remind": 2, "no_email": 1, "invalid_email": 1, "officers": 10, "no_action": 5}}, false,
			"3 officers reminded about 4 courses. 3 reminders queued to be sent. 2 officers need a reminder but cannot get one: 1 without an email address, 1 with an invalid one. 5 officers need no reminder today."},
		{training.JobRun{Job: JobReminders, DryRun: true, Counts: map[string]int{"to_remind": 2, "items": 2}}, false, "2 officers would be reminded about 2 courses."},
		{training.JobRun{Job: JobReminders, Counts: map[string]int{CountMarkedDone: 2108}}, true, "Marked done by --demo without writing anything (2,108 reminders not written)."},
		{training.JobRun{Job: JobDigests, Counts: map[string]int{"line_managers": 2, "unit_users": 1, "enqueued": 3, "escalations": 4}}, false,
			"2 line managers and 1 unit user sent this week's digest. 3 digests queued to be sent. 4 escalations (someone overdue longer than their course allows, told to a manager above) planned in the digests."},
		{training.JobRun{Job: JobDigests, DryRun: true, Counts: map[string]int{"line_managers": 1, "unit_users": 0, "escalations": 1}}, false,
			"1 line manager and 0 unit users would be sent this week's digest. 1 escalation (someone overdue longer than their course allows, told to a manager above) would be planned in the digests."},
		{training.JobRun{Job: JobPrune, Counts: map[string]int{"bodies_pruned": 2, "job_runs_pruned": 1}}, false,
			"Removed what is past its keeping time: 2 email bodies, 1 job record."},
	} {
		got := strings.Join(RunSummary(tc.run, tc.toFiles), " ")
		if got != tc.want {
			t.Errorf("%s %v:\n got %q\nwant %q", tc.run.Job, tc.run.Counts, got, tc.want)
		}
		if strings.Contains(got, "_") {
			t.Errorf("a counter name shows: %q", got)
		}
	}
}
