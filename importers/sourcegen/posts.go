package sourcegen

import (
	"hash/fnv"
	"math/rand/v2"

	"github.com/muster-police/muster/training"
)

// Who people are in the HR exports (issue 17): each officer's post, drawn
// from its own random stream (seed and officer ID), so adding these
// columns left every other value of the fixtures as it was.

// Post is a person's post as an HR export gives it and the importer must
// store it.
type Post struct {
	Role        string
	StaffType   training.StaffType
	InPostSince training.Date
}

// postKind is one kind of post: its staff type, how the HR systems word
// it (SAP employee group, Oracle person type), and its usual roles.
type postKind struct {
	staffType     training.StaffType
	sapGroup      string
	oracleType    string
	roles         []string
	weightPercent int
}

var postKinds = []postKind{
	{training.StaffOfficer, "Police Officer", "Police Officer", []string{"Response Officer", "Detective Constable", "Neighbourhood Officer", "Custody Sergeant"}, 60},
	{training.StaffStaff, "Police Staff", "Police Staff", []string{"Call Handler", "Front Counter Officer", "Intelligence Analyst", "Payroll Officer"}, 30},
	{training.StaffSpecial, "Special Constable", "Special Constabulary", []string{"Special Constable", "Special Sergeant"}, 5},
	{training.StaffPCSO, "PCSO", "Police Community Support Officer", []string{"PCSO"}, 5},
}

// post returns the officer's post and its kind.
func (g *gen) post(o Officer) (Post, postKind) {
	h := fnv.New64a()
	h.Write([]byte(o.ID))
	rng := rand.New(rand.NewPCG(g.seed, h.Sum64()))
	n := rng.IntN(100)
	k := postKinds[len(postKinds)-1]
	for _, pk := range postKinds {
		if n < pk.weightPercent {
			k = pk
			break
		}
		n -= pk.weightPercent
	}
	// In post for up to six years, never before joining.
	since := londonDate(g.exportedAt.AddDate(0, 0, -30-rng.IntN(6*365)))
	if !o.StartDate.IsZero() && since.Before(o.StartDate) {
		since = o.StartDate
	}
	return Post{Role: k.roles[rng.IntN(len(k.roles))], StaffType: k.staffType, InPostSince: since}, k
}

// posted notes an officer's post as what the import must store.
func (e *Expectation) posted(id string, p Post) {
	if e.Posts == nil {
		e.Posts = map[string]Post{}
	}
	e.Posts[id] = p
}
