package training

import (
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Statement is what Muster keeps of one xAPI statement (docs/xapi.md):
// the facts its meaning rests on, what it recorded, and the statement as
// received, so that a repeat can be compared and a voiding statement can
// take back what it recorded. internal/xapi reads and validates
// statements; the rules here decide what they mean.
type Statement struct {
	ID string `json:"id"` // lower-case UUID
	// Hash is a digest of the statement's content, less the properties
	// an LRS may assign or re-serialise (xAPI 1.0.3 Data 2.3.1): the same
	// ID with another hash is a conflict.
	Hash string `json:"hash"`
	Verb string `json:"verb"` // the verb's IRI
	// Actor names the person: an account (home page and name) or an
	// e-mail address (mbox without "mailto:").
	Actor StatementActor `json:"actor"`
	// Activity is the object's IRI and ActivityName its name (any
	// language); both empty when the object is not an activity.
	Activity     string `json:"activity,omitempty"`
	ActivityName string `json:"activity_name,omitempty"`
	// Voids is the ID of the statement a voiding statement voids.
	Voids string `json:"voids,omitempty"`
	// Completed is true for the completed and passed verbs, or when
	// result.completion or result.success is true.
	Completed bool `json:"completed,omitempty"`
	// Waived is cmi5's waived verb; Reason is its result extension reason.
	Waived bool   `json:"waived,omitempty"`
	Reason string `json:"reason,omitempty"`
	// Timestamp is when the experience happened (the stored time when the
	// statement has none).
	Timestamp time.Time `json:"timestamp"`
	// Source says who sent it, when, and the history entry it belongs to.
	Source Source `json:"source"`
	// Raw is the statement as stored (JSON), returned by GET.
	Raw []byte `json:"raw,omitempty"`

	// Status is what the statement did; Problem says why it recorded
	// nothing (unmatched) or where its completion went (orphan).
	Status  StatementStatus `json:"status"`
	Problem string          `json:"problem,omitempty"`
	// Recorded is the completion it recorded, if any.
	Recorded *Completion `json:"recorded,omitempty"`
}

// StatementActor is the identifying part of a statement's actor.
type StatementActor struct {
	HomePage string `json:"home_page,omitempty"`
	Name     string `json:"name,omitempty"`
	Email    string `json:"email,omitempty"`
}

// StatementStatus is what a stored statement did.
type StatementStatus string

// Statement statuses. Unmatched and orphan statements are listed for HR
// and looked at again (MatchStatements) when people or courses change.
const (
	// StatementRecorded recorded a completion of a person on the roster.
	StatementRecorded StatementStatus = "recorded"
	// StatementOrphan recorded a completion for an officer ID not on the
	// roster yet: it counts once they appear, as an imported one does.
	StatementOrphan StatementStatus = "orphan"
	// StatementUnmatched names a person or an activity Muster does not
	// know: it recorded nothing yet.
	StatementUnmatched StatementStatus = "unmatched"
	// StatementIgnored has a verb that records nothing (attempted,
	// experienced …): kept, as every statement is.
	StatementIgnored StatementStatus = "ignored"
	// StatementVoided was voided: what it recorded was taken back.
	StatementVoided StatementStatus = "voided"
	// StatementVoiding voids another statement.
	StatementVoiding StatementStatus = "voiding"
)

// Waiting reports whether s waits for a person or a course (listed for HR).
func (s StatementStatus) Waiting() bool {
	return s == StatementUnmatched || s == StatementOrphan
}

// Verb IRIs with a meaning in Muster.
const (
	VerbCompleted = "http://adlnet.gov/expapi/verbs/completed"
	VerbPassed    = "http://adlnet.gov/expapi/verbs/passed"
	VerbVoided    = "http://adlnet.gov/expapi/verbs/voided"
	// VerbWaived is cmi5's waived (cmi5 9.3.7).
	VerbWaived = "https://w3id.org/xapi/adl/verbs/waived"
)

// StatementMatcher matches statements' actors and activities against a
// dataset: HomePage is the account home page whose account names are
// officer IDs ("" accepts any).
type StatementMatcher struct {
	ds       *Dataset
	homePage string
	byEmail  map[string]string // built on first use
}

// NewStatementMatcher returns a matcher over ds (which it does not change).
func NewStatementMatcher(ds *Dataset, homePage string) *StatementMatcher {
	return &StatementMatcher{ds: ds, homePage: strings.TrimRight(strings.TrimSpace(homePage), "/")}
}

// Match decides what st records on today: it sets st.Status, st.Problem
// and st.Recorded and returns st. A voiding statement is StatementVoiding
// here; what it takes back is PlanStatements' business.
func (m *StatementMatcher) Match(st Statement, today Date) Statement {
	st.Problem, st.Recorded = "", nil
	switch {
	case st.Voids != "":
		st.Status = StatementVoiding
		return st
	case !st.Completed && !st.Waived:
		st.Status = StatementIgnored
		return st
	case st.Activity == "":
		// An agent, a group, a statement reference or a sub-statement
		// ("planned to complete …") is not a course done.
		st.Status, st.Problem = StatementIgnored, "its object is not an activity"
		return st
	}
	var problems []string
	officerID, orphan := "", false
	switch {
	case st.Actor.Name != "" && strings.ContainsFunc(st.Actor.Name, unicode.IsControl):
		problems = append(problems, "the account name holds control characters")
	case st.Actor.Name != "":
		if m.homePage != "" && !strings.EqualFold(strings.TrimRight(st.Actor.HomePage, "/"), m.homePage) {
			problems = append(problems, fmt.Sprintf("the account's homePage %q is not Muster's (MUSTER_XAPI_HOMEPAGE)", st.Actor.HomePage))
			break
		}
		officerID = NormalizeID(st.Actor.Name)
		orphan = m.ds.Officers[officerID].ID == ""
	case st.Actor.Email != "":
		if officerID = m.email(st.Actor.Email); officerID == "" {
			problems = append(problems, "nobody on the roster has the actor's e-mail address")
		}
	default:
		problems = append(problems, "the actor has no account or mbox Muster can match")
	}
	course, ok := m.course(st.Activity, st.ActivityName)
	if !ok {
		problems = append(problems, fmt.Sprintf("no course has the activity %q (activity_ids) or the name %q (title or alias)", st.Activity, st.ActivityName))
	}
	d := DateOf(st.Timestamp)
	if err := CheckCompletionDate(d, today); err != nil {
		problems = append(problems, fmt.Sprintf("it is dated %s, after today", d))
	}
	if len(problems) > 0 {
		st.Status, st.Problem = StatementUnmatched, strings.Join(problems, "; ")
		return st
	}
	st.Recorded = &Completion{OfficerID: officerID, CourseID: course.ID, Date: d, Source: st.Source}
	st.Status = StatementRecorded
	if orphan {
		st.Status, st.Problem = StatementOrphan, fmt.Sprintf("officer %s is not on the roster yet: the completion counts once they are", officerID)
	}
	return st
}

func (m *StatementMatcher) email(addr string) string {
	if m.byEmail == nil {
		m.byEmail = map[string]string{}
		for id, o := range m.ds.Officers {
			if o.Email != "" && !o.Leaver {
				m.byEmail[strings.ToLower(o.Email)] = id
			}
		}
	}
	return m.byEmail[strings.ToLower(strings.TrimSpace(addr))]
}

// course finds the course of an activity: by its IRI among the courses'
// activity_ids, else by its name (or the IRI itself) as FindCourse does.
func (m *StatementMatcher) course(iri, name string) (Course, bool) {
	if iri != "" {
		for _, retired := range []bool{false, true} {
			for _, c := range m.ds.Courses {
				if c.Retired == retired {
					for _, a := range c.ActivityIDs {
						if a == iri {
							return c, true
						}
					}
				}
			}
		}
	}
	if c, ok := FindCourse(m.ds.Courses, name); ok {
		return c, true
	}
	return FindCourse(m.ds.Courses, iri)
}
