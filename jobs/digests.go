package jobs

import (
	"context"
	"sort"

	"github.com/muster-police/muster/training"
)

// maxWorst is how many low-scoring teams a unit digest names.
const maxWorst = 5

// LineDigest is one line manager's weekly digest.
type LineDigest struct {
	ManagerID string
	Name      string
	Email     string
	Data      LineDigestData
	// EscalationKeys are the ledger keys of Data.Escalated (addEscalations).
	EscalationKeys []string
}

// UnitDigest is one scoped user's weekly digest.
type UnitDigest struct {
	Username string
	Email    string
	Data     UnitDigestData
	// EscalationKeys are the ledger keys of Data.Escalated (addEscalations).
	EscalationKeys []string
}

// PlanLineDigests finds every line manager (an active officer whose ID or
// email is someone's LineManager, with a usable email) with direct
// reports overdue or due soon, and lists those people and courses.
func PlanLineDigests(ds *training.Dataset, asOf training.Date, dashboardURL string) []LineDigest {
	chain := training.NewLineChain(ds)
	reports := map[string][]string{} // manager officer ID -> report IDs
	for id, o := range ds.Officers {
		if !o.Active() {
			continue
		}
		if mgr := chain.Manager(o); mgr != "" {
			reports[mgr] = append(reports[mgr], id)
		}
	}
	var out []LineDigest
	for mgr, ids := range reports {
		m := ds.Officers[mgr]
		email, reason := usableEmail(m)
		if reason != "" {
			continue
		}
		d := LineDigestData{Name: m.Name, AsOf: asOf.UK(), Week: ISOWeek(asOf), DashboardURL: dashboardURL}
		sortByName(ds, ids)
		for _, id := range ids {
			o := ds.Officers[id]
			overdue, soon := false, false
			for _, c := range ds.Courses {
				cs := training.Evaluate(o, c, ds.Completions[id], ds.Exemptions[id], asOf)
				if cs.Status != training.StatusOverdue && cs.Status != training.StatusDueSoon {
					continue
				}
				isOver := cs.Status == training.StatusOverdue
				overdue = overdue || isOver
				soon = soon || !isOver
				d.People = append(d.People, PersonLine{Name: o.Name, ID: displayID(o), Course: c.Title,
					Status: statusWords(cs.Status), Words: training.Describe(cs).Words, Due: cs.Due.UK(), Overdue: isOver})
			}
			switch {
			case overdue:
				d.Overdue++
			case soon:
				d.DueSoon++
			}
		}
		if len(d.People) > 0 {
			out = append(out, LineDigest{ManagerID: mgr, Name: m.Name, Email: email, Data: d})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ManagerID < out[j].ManagerID })
	return out
}

// sortByName orders officer IDs by name, then ID, as digests list people.
func sortByName(ds *training.Dataset, ids []string) {
	sort.Slice(ids, func(i, j int) bool {
		a, b := ds.Officers[ids[i]], ds.Officers[ids[j]]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		return a.ID < b.ID
	})
}

// displayID is the officer's ID as the roster wrote it.
func displayID(o training.Officer) string {
	if o.DisplayID != "" {
		return o.DisplayID
	}
	return o.ID
}

// PlanUnitDigests gives every enabled user with unit scope and a usable
// email their units' figures and worst teams, from one force report.
func PlanUnitDigests(ds *training.Dataset, users []training.User, asOf training.Date, dashboardURL string) ([]UnitDigest, error) {
	var out []UnitDigest
	var rep *training.Report
	for _, u := range users {
		if u.Disabled || len(u.Units) == 0 {
			continue
		}
		email, reason := checkEmail(u.Email, false)
		if reason != "" {
			continue
		}
		if rep == nil {
			var err error
			if rep, err = training.BuildReport(ds, asOf, training.ReportOptions{}); err != nil {
				return nil, err
			}
		}
		d := UnitDigestData{Name: u.Username, AsOf: asOf.UK(), Week: ISOWeek(asOf), DashboardURL: dashboardURL}
		for _, unit := range u.Units {
			line := UnitLine{Unit: unit}
			node := rep.Find(unit)
			if node == nil {
				for _, c := range ds.Courses {
					line.Courses = append(line.Courses, FigureLine{Unit: unit, Title: c.Title, Percent: "n/a"})
				}
				d.Units = append(d.Units, line)
				continue
			}
			for _, c := range node.Courses {
				line.Courses = append(line.Courses, figure(node.Unit, c))
			}
			line.Worst = worstTeams(node)
			d.Units = append(d.Units, line)
		}
		out = append(out, UnitDigest{Username: u.Username, Email: email, Data: d})
	}
	return out, nil
}

func figure(unit string, c training.CourseFigures) FigureLine {
	pct := "n/a"
	if c.Percent != nil {
		pct = c.Percent.String() + "%"
	}
	return FigureLine{Unit: unit, Title: c.Title, Required: c.Required, Compliant: c.Compliant,
		Overdue: c.Overdue, DueSoon: c.DueSoon, Percent: pct}
}

// worstTeams returns the leaf units below node with the lowest
// completion on any course (ties: more overdue first, then by name).
func worstTeams(node *training.ReportNode) []FigureLine {
	type cand struct {
		pct training.Percent
		f   FigureLine
	}
	var cands []cand
	node.Walk(func(n *training.ReportNode) {
		if len(n.Units) > 0 || n == node {
			return
		}
		for _, c := range n.Courses {
			if c.Percent != nil && c.Overdue > 0 {
				cands = append(cands, cand{*c.Percent, figure(n.Unit, c)})
			}
		}
	})
	sort.Slice(cands, func(i, j int) bool {
		a, b := cands[i], cands[j]
		if a.pct != b.pct {
			return a.pct < b.pct
		}
		if a.f.Overdue != b.f.Overdue {
			return a.f.Overdue > b.f.Overdue
		}
		if a.f.Unit != b.f.Unit {
			return a.f.Unit < b.f.Unit
		}
		return a.f.Title < b.f.Title
	})
	var out []FigureLine
	for i := 0; i < len(cands) && i < maxWorst; i++ {
		out = append(out, cands[i].f)
	}
	return out
}

// runDigests writes the week's line-manager and unit digests to the
// outbox, each once per recipient and ISO week.
func (s *Scheduler) runDigests(ctx context.Context, st *runState) error {
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	dash := ""
	if s.cfg.BaseURL != "" {
		dash = s.cfg.BaseURL + "/"
	}
	week := ISOWeek(st.asOf)
	lr, terr := loadRenderer(ctx, s.store, TemplateLineDigest)
	if lr == nil {
		return terr
	}
	if terr != nil {
		st.fail("%v", terr)
	}
	ur, terr := loadRenderer(ctx, s.store, TemplateUnitDigest)
	if ur == nil {
		return terr
	}
	if terr != nil {
		st.fail("%v", terr)
	}
	var lines []LineDigest
	var units []UnitDigest
	var esc Escalations
	if err := s.rosterForRun().ReadRoster(ctx, func(ds *training.Dataset) error {
		lines = PlanLineDigests(ds, st.asOf, dash)
		esc = PlanEscalations(ds, users, st.asOf)
		units, err = PlanUnitDigests(ds, users, st.asOf, dash)
		return err
	}); err != nil {
		return err
	}
	esc = shownEscalations(esc, st, lr, ur)
	var keys []string
	for _, l := range lines {
		keys = append(keys, DigestKey("line", l.ManagerID, week))
	}
	for mgr := range esc.Line {
		keys = append(keys, DigestKey("line", mgr, week)) // a manager's manager may get a digest for escalations alone
	}
	for _, u := range units {
		keys = append(keys, DigestKey("unit", u.Username, week))
	}
	keys = append(keys, esc.Keys()...)
	sent, err := ledgerSet(ctx, s.store, keys)
	if err != nil {
		return err
	}
	lines, units = addEscalations(st.asOf, dash, lines, units, esc, sent)
	already, escalations := 0, 0
	for _, l := range lines {
		if sent[DigestKey("line", l.ManagerID, week)] {
			already++
		} else {
			escalations += len(l.EscalationKeys)
		}
	}
	for _, u := range units {
		if sent[DigestKey("unit", u.Username, week)] {
			already++
		} else {
			escalations += len(u.EscalationKeys)
		}
	}
	st.count("line_managers", len(lines))
	st.count("unit_users", len(units))
	st.count("already_sent", already)
	st.count("escalations", escalations)
	if st.dryRun {
		return nil
	}
	// Render and queue digestBatch digests at a time, in ledger-key
	// order (the order one sorted batch had), dropping each digest's plan
	// once it is rendered: a force's ~2,000 line digests are ~50 MB of
	// rendered mail and ~25 MB of plan at 150,000 officers, which a first
	// start's catch-up held all at once on top of the live model.
	type pending struct {
		kind, key   string
		escalations []string
		to          string
		r           *renderer
		data        any
	}
	var todo []pending
	for _, l := range lines {
		if key := DigestKey("line", l.ManagerID, week); !sent[key] {
			todo = append(todo, pending{"line-digest", key, l.EscalationKeys, l.Email, lr, l.Data})
		}
	}
	for _, u := range units {
		if key := DigestKey("unit", u.Username, week); !sent[key] {
			todo = append(todo, pending{"unit-digest", key, u.EscalationKeys, u.Email, ur, u.Data})
		}
	}
	sort.Slice(todo, func(i, j int) bool { return todo[i].key < todo[j].key })
	domain := s.messageDomain()
	for start := 0; start < len(todo); start += digestBatch {
		if err := ctx.Err(); err != nil {
			return err
		}
		now := s.clock()
		batch := todo[start:min(start+digestBatch, len(todo))]
		msgs := make([]training.Message, 0, len(batch))
		for i := range batch {
			p := batch[i]
			batch[i] = pending{} // the plan goes as its mail is rendered
			subject, text, html, err := p.r.render(p.data)
			if err != nil {
				st.fail("rendering a %s: %v", p.kind, err)
				continue
			}
			// The digest's key first (the outbox orders by it), then one key
			// per escalation it tells: Enqueue records all or none.
			m := newMessage(p.kind, p.to, append([]string{p.key}, p.escalations...), domain, st.run.ID, now)
			m.Subject, m.Text, m.HTML = subject, text, html
			msgs = append(msgs, m)
		}
		s.enqueue(ctx, st, msgs)
		s.releasePages()
	}
	return nil
}

// digestBatch is how many digests a run renders and queues at a time
// (about 2.5 MB of rendered mail at 150,000 officers).
const digestBatch = 100
