package training

import "slices"

// StatementPlan is what a batch of statements changes: the statements to
// store (the new ones, and the ones they void), the completions to add
// and the completions to take back. Applying it is one store write
// (CompletionBatch), so the batch is all or nothing.
type StatementPlan struct {
	Statements  []Statement
	Completions []Completion
	Removed     []Completion
	// Repeats counts statements already stored with the same content:
	// they change nothing (xAPI: the LRS MUST NOT modify its state).
	Repeats int
	// Recorded and Waiting count the new statements that recorded a
	// completion and those kept for HR (unmatched or orphan).
	Recorded, Waiting int
}

// PlanStatements decides what the statements in change, given the stored
// statements have (by ID: those of in, and those they void). It refuses
// the whole batch when one statement is wrong: ErrInvalid for an ID used
// twice in the batch, ErrConflict for an ID stored with other content; the message names the
// statement by its place in the batch and its ID.
//
// voidedBy names, for statements of in, the stored voiding statement that
// voided them before they arrived: such a statement is stored voided and
// records nothing (xAPI 1.0.3 Data 2.3.2: a statement is voided when the
// LRS holds a voiding statement referring to it).
func PlanStatements(m *StatementMatcher, have map[string]Statement, voidedBy map[string]string, in []Statement, today Date) (StatementPlan, error) {
	var p StatementPlan
	seen := map[string]int{}
	batch := map[string]int{} // ID → index in p.Statements
	for i, st := range in {
		if j, dup := seen[st.ID]; dup {
			return StatementPlan{}, Invalidf("statement %d has the same id %s as statement %d; nothing was stored", i+1, st.ID, j+1)
		}
		seen[st.ID] = i
		if old, ok := have[st.ID]; ok {
			if old.Hash != st.Hash {
				return StatementPlan{}, Conflictf("statement %d: a different statement with id %s is already stored; nothing was stored", i+1, st.ID)
			}
			p.Repeats++
			continue
		}
		st = m.Match(st, today)
		if by, ok := voidedBy[st.ID]; ok && st.Voids == "" {
			st.Status, st.Problem, st.Recorded = StatementVoided, "voided by "+by+", which arrived first", nil
		}
		if st.Voids != "" {
			target, inBatch := Statement{}, false
			if j, ok := batch[st.Voids]; ok {
				target, inBatch = p.Statements[j], true
			} else if t, ok := have[st.Voids]; ok {
				target = t
			}
			if target.Voids != "" {
				// A voiding statement cannot be voided (xAPI 1.0.3 Data
				// 2.3.2): the statement is kept and changes nothing.
				st.Problem = "it voids " + st.Voids + ", a voiding statement, which cannot be voided: nothing changed"
			} else if target.ID != "" && target.Status != StatementVoided {
				if target.Recorded != nil {
					if inBatch {
						p.Completions = slices.DeleteFunc(p.Completions, func(c Completion) bool { return c == *target.Recorded })
					} else {
						p.Removed = append(p.Removed, *target.Recorded)
					}
				}
				target.Status, target.Problem = StatementVoided, "voided by "+st.ID
				if inBatch {
					p.Statements[batch[target.ID]] = target
				} else {
					batch[target.ID] = len(p.Statements)
					p.Statements = append(p.Statements, target)
				}
			}
		}
		if st.Recorded != nil {
			p.Completions = append(p.Completions, *st.Recorded)
			p.Recorded++
		}
		if st.Status.Waiting() {
			p.Waiting++
		}
		batch[st.ID] = len(p.Statements)
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

// RematchStatements looks again at statements waiting for a person or a
// course (unmatched or orphan): those that now match record their
// completion (an orphan's is already stored and just changes status).
// It returns the statements whose status changed and the completions to add.
func RematchStatements(m *StatementMatcher, waiting []Statement, today Date) ([]Statement, []Completion) {
	var sts []Statement
	var comps []Completion
	for _, old := range waiting {
		if !old.Status.Waiting() {
			continue
		}
		st := m.Match(old, today)
		if st.Status == old.Status || (old.Status == StatementOrphan && st.Status != StatementRecorded) {
			continue
		}
		if old.Status == StatementOrphan && old.Recorded != nil {
			st.Recorded = old.Recorded // already stored; keep what it recorded
		} else if st.Recorded != nil {
			comps = append(comps, *st.Recorded)
		}
		sts = append(sts, st)
	}
	return sts, comps
}
