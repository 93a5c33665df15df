package jobs

import (
	"sort"
	"strconv"
	"strings"

	"github.com/muster-police/muster/training"
)

// RunSummary says what a job run did, in sentences, from its counts (the
// counter names are this package's; pages and the CLI print this instead
// of "already_enqueued: 3"). toFiles says the mail goes to a folder of
// .eml files rather than a relay, so "sent" reads "written".
func RunSummary(r training.JobRun, toFiles bool) []string {
	c := r.Counts
	used := map[string]bool{}
	get := func(k string) int { used[k] = true; return c[k] }
	var out []string
	say := func(s string) { out = append(out, s) }
	would := ""
	if r.DryRun {
		would = "would be "
	}
	sent := "sent"
	if toFiles {
		sent = "written to files"
	}
	if n := get(CountMarkedDone); n > 0 {
		switch r.Job {
		case JobReminders:
			say("Marked done by --demo without writing anything (" + plural(n, "reminder", "reminders") + " not written).")
		default:
			say("Marked done by --demo without writing anything.")
		}
	}
	switch r.Job {
	case JobReminders:
		if n := get("to_remind"); n > 0 || r.DryRun {
			say(plural(n, "officer", "officers") + " " + would + "reminded about " + plural(get("items"), "course", "courses") + ".")
		}
		if n := get("enqueued"); n > 0 {
			say(plural(n, "reminder", "reminders") + " queued to be " + sent + ".")
		}
		if n := get("already_enqueued"); n > 0 {
			say(plural(n, "reminder was", "reminders were") + " already queued by an earlier run.")
		}
		if n := get("cannot_remind"); n > 0 {
			say(plural(n, "officer needs", "officers need") + " a reminder but cannot get one: " +
				strconv.Itoa(get("no_email")) + " without an email address, " + strconv.Itoa(get("invalid_email")) + " with an invalid one.")
		}
		if n := get("already_sent"); n > 0 {
			say(plural(n, "course reminder was", "course reminders were") + " already sent at this stage.")
		}
		if n := get("no_action"); n > 0 {
			say(plural(n, "officer needs", "officers need") + " no reminder today.")
		}
		get("officers")
		get("leavers")
		get("no_email")
		get("invalid_email")
		get("items")
	case JobDigests:
		say(plural(get("line_managers"), "line manager", "line managers") + " and " + plural(get("unit_users"), "unit user", "unit users") + " " + would + "sent this week's digest.")
		if n := get("enqueued"); n > 0 {
			say(plural(n, "digest", "digests") + " queued to be " + sent + ".")
		}
		if n := get("already_sent") + get("already_enqueued"); n > 0 {
			say(plural(n, "digest was", "digests were") + " already sent this week.")
		}
	case JobSender:
		var parts []string
		if n := get("sent"); n > 0 {
			parts = append(parts, plural(n, "email", "emails")+" "+sent)
		}
		if n := get("deferred") + get("relay_unavailable"); n > 0 {
			if toFiles {
				parts = append(parts, formatInt(n)+" waiting to be written")
			} else {
				parts = append(parts, formatInt(n)+" waiting for the relay to accept them")
			}
		}
		if n := get("failed"); n > 0 {
			parts = append(parts, formatInt(n)+" failed (the relay refused them)")
		}
		if n := get("no_longer_needed"); n > 0 {
			parts = append(parts, formatInt(n)+" not sent: no longer needed")
		}
		if len(parts) > 0 {
			say(capitalise(strings.Join(parts, ", ")) + ".")
		}
		if n := get("released_after_restart"); n > 0 {
			say(plural(n, "email", "emails") + " left half-sent by a stopped process went back in the queue.")
		}
		get("due")
	case JobPrune:
		var parts []string
		for _, k := range []struct{ key, one, many string }{{"bodies_pruned", "email body", "email bodies"}, {"messages_pruned", "email", "emails"},
			{"ledger_keys_pruned", "record of a sent reminder", "records of sent reminders"}, {"mail_files_pruned", "mail file", "mail files"},
			{"job_runs_pruned", "job record", "job records"}} {
			if n := get(k.key); n > 0 {
				parts = append(parts, plural(n, k.one, k.many))
			}
		}
		if len(parts) > 0 {
			say("Removed what is past its keeping time: " + strings.Join(parts, ", ") + ".")
		}
	case JobRetention:
		if n := get("leavers_due"); n > 0 {
			say(plural(n, "leaver is", "leavers are") + " past the keeping time.")
		}
		var parts []string
		for _, k := range []struct{ key, one, many string }{{"officers_anonymised", "officer", "officers"}, {"completions_anonymised", "completion", "completions"},
			{"exemptions_anonymised", "exemption", "exemptions"}} {
			if n := get(k.key); n > 0 {
				parts = append(parts, plural(n, k.one, k.many))
			}
		}
		if len(parts) > 0 {
			say("Anonymised " + strings.Join(parts, ", ") + ".")
		}
		if n := get("requests_deleted"); n > 0 {
			say("Deleted their " + plural(n, "request", "requests") + " (reasons and certificates).")
		}
		if n := get("audit_events_deleted") + get("import_reports_deleted"); n > 0 {
			say("Deleted " + plural(c["audit_events_deleted"], "audit event", "audit events") + " and " + plural(c["import_reports_deleted"], "upload report", "upload reports") + ".")
		}
	case JobSnapshot:
		say("Figures saved for " + plural(get("units"), "unit", "units") + " and " + plural(get("courses"), "course", "courses") + ".")
	}
	// Everything else (pruning, retention, counts added later) in plain words.
	var rest []string
	for k, v := range c {
		if !used[k] && k != "errors" && v != 0 {
			rest = append(rest, strings.ReplaceAll(k, "_", " ")+": "+formatInt(v))
		}
	}
	sort.Strings(rest)
	if len(rest) > 0 {
		say(capitalise(strings.Join(rest, ", ")) + ".")
	}
	if n := c["errors"]; n > 0 {
		say(plural(n, "item", "items") + " failed (listed under Errors).")
	}
	if len(out) == 0 {
		say("Nothing to do.")
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return formatInt(n) + " " + many
}

// formatInt writes n with thousands separators (training.FormatCount).
func formatInt(n int) string { return training.FormatCount(n) }

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
