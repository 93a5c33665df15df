package jobs

import (
	"net/mail"
	"strings"

	"github.com/muster-police/muster/training"
)

// Plan is who a reminder run would email, with what and why: the result
// of PlanReminders, shown by `muster remind` and GET /api/v1/remind.
type Plan struct {
	AsOf training.Date `json:"as_of"`
	// Reminders has one entry per officer to email, sorted by unit, name, ID.
	Reminders []Reminder `json:"reminders"`
	// CannotRemind lists officers who need a reminder but have no usable
	// email address.
	CannotRemind []Unreachable `json:"cannot_remind"`
	Counts       PlanCounts    `json:"counts"`
}

// PlanCounts summarise a plan.
type PlanCounts struct {
	Officers     int `json:"officers"`      // active officers considered
	Leavers      int `json:"leavers"`       // never reminded
	NoAction     int `json:"no_action"`     // compliant, exempt, or not yet in a reminder window
	AlreadySent  int `json:"already_sent"`  // course reminders this stage already sent
	ToRemind     int `json:"to_remind"`     // officers to email
	Items        int `json:"items"`         // course lines in those emails
	CannotRemind int `json:"cannot_remind"` // officers needing a reminder without a usable email
	NoEmail      int `json:"no_email"`
	InvalidEmail int `json:"invalid_email"`
}

// Reminder is one email to one officer.
type Reminder struct {
	OfficerID string `json:"officer_id"`
	DisplayID string `json:"display_id"`
	Name      string `json:"name"`
	Email     string `json:"email"`
	Unit      string `json:"unit"`
	Items     []Item `json:"items"`
}

// Item is one course an officer must act on.
type Item struct {
	Course string          `json:"course"`
	Title  string          `json:"title"`
	Status training.Status `json:"status"`
	// Words is the status in the words every page and email uses
	// (training.Describe), e.g. "Compliant until 24/12/2026 — renew by 25/12/2026".
	Words string        `json:"words"`
	Due   training.Date `json:"due"`
	// Lapsed is set when Due is the expiry of an earlier completion.
	Lapsed bool   `json:"lapsed,omitempty"`
	Stage  string `json:"stage"`
	URL    string `json:"url,omitempty"`
	// Why says in words why this reminder goes out now.
	Why string `json:"why"`
	Key string `json:"ledger_key"`
}

// Unreachable is an officer who needs a reminder but cannot be emailed.
type Unreachable struct {
	OfficerID string `json:"officer_id"`
	DisplayID string `json:"display_id"`
	Name      string `json:"name"`
	Unit      string `json:"unit"`
	// Reason is "no email" or "invalid email".
	Reason string `json:"reason"`
	Items  []Item `json:"items"`
}

// Reasons an officer cannot be emailed.
const (
	ReasonNoEmail      = "no email"
	ReasonInvalidEmail = "invalid email"
)

// usableEmail returns o's address, or why there is none.
func usableEmail(o training.Officer) (string, string) {
	return checkEmail(o.Email, o.EmailInvalid)
}

func checkEmail(addr string, known bool) (string, string) {
	addr = strings.TrimSpace(addr)
	if addr == "" {
		return "", ReasonNoEmail
	}
	if known {
		return "", ReasonInvalidEmail
	}
	if plainAddress(addr) {
		return addr, ""
	}
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" || !strings.Contains(a.Address, ".") {
		return "", ReasonInvalidEmail
	}
	return a.Address, ""
}

// plainAddress reports whether addr is a plain local@domain.tld that
// mail.ParseAddress accepts unchanged (letters, digits, "._%+-" in the
// local part, letters, digits, "-." in the domain, no empty dot-separated
// part): almost every roster address, checked without the parser's
// allocations. Anything else goes to the parser.
func plainAddress(addr string) bool {
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || !dotAtom(local, "._%+-") || !dotAtom(domain, ".-") || !strings.Contains(domain, ".") {
		return false
	}
	return true
}

// dotAtom reports whether s is non-empty dot-separated runs of ASCII
// letters, digits and the characters in extra.
func dotAtom(s, extra string) bool {
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || strings.Contains(s, "..") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(extra, c) >= 0) {
			return false
		}
	}
	return true
}

// whyKey is what why's sentence depends on besides the run date.
type whyKey struct {
	stage     string
	day, due  training.Date
	completed bool
}

// PlanReminders decides the reminder run on asOf: for every active
// officer, every course they must act on whose current stage (see
// Policy.StageAt) has not been sent (sent reports ledger keys already
// enqueued; nil means none). It is a pure function of its arguments.
func PlanReminders(ds *training.Dataset, courses []training.Course, asOf training.Date, p Policy, sent func(key string) bool) *Plan {
	p = p.withDefaults()
	plan := &Plan{AsOf: asOf}
	r := newReminderPlanner(courses, asOf, p, sent, len(ds.Officers))
	reminders := newBlocks[Reminder](min(1024, len(ds.Officers)))
	unreachable := newBlocks[Unreachable](min(64, len(ds.Officers)))
	// People in the map's own order (a walk in the plan's order missed the
	// caches at every look-up); the plan is sorted at the end.
	for id, o := range ds.Officers {
		if !o.Active() {
			plan.Counts.Leavers++
			continue
		}
		plan.Counts.Officers++
		items := r.items(id, o, ds.Completions[id], ds.Exemptions[id], &plan.Counts)
		if len(items) == 0 {
			plan.Counts.NoAction++
			continue
		}
		email, reason := usableEmail(o)
		if reason != "" {
			plan.Counts.CannotRemind++
			if reason == ReasonNoEmail {
				plan.Counts.NoEmail++
			} else {
				plan.Counts.InvalidEmail++
			}
			unreachable.add(Unreachable{OfficerID: id, DisplayID: o.DisplayID,
				Name: o.Name, Unit: o.Unit, Reason: reason, Items: r.slab.keep(items)})
			continue
		}
		plan.Counts.ToRemind++
		plan.Counts.Items += len(items)
		reminders.add(Reminder{OfficerID: id, DisplayID: o.DisplayID, Name: o.Name,
			Email: email, Unit: o.Unit, Items: r.slab.keep(items)})
	}
	plan.Reminders = sortedByUnitNameID(reminders, func(x *Reminder) (string, string, string) { return x.Unit, x.Name, x.OfficerID })
	plan.CannotRemind = sortedByUnitNameID(unreachable, func(x *Unreachable) (string, string, string) { return x.Unit, x.Name, x.OfficerID })
	return plan
}

// why explains a reminder in one plain sentence.
func why(s Stage, st training.CourseStatus, due, asOf training.Date) string {
	what := "due on " + due.UK()
	if st.Completion != nil {
		what = "the last completion expires on " + due.UK()
		if asOf.After(due) {
			what = "the last completion expired on " + due.UK()
		}
	} else if asOf.After(due) {
		what = "was due on " + due.UK()
	}
	switch {
	case s.Name == "due":
		return what + "; reminder on the due date"
	case strings.HasPrefix(s.Name, "overdue-"):
		return what + "; overdue reminder " + strings.TrimPrefix(s.Name, "overdue-") + " (from " + s.Day.UK() + ")"
	default:
		return what + "; reminder " + strings.TrimPrefix(s.Name, "before-") + " days before (from " + s.Day.UK() + ")"
	}
}
