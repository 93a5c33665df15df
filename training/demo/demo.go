// Package demo generates a realistic, deterministic force: the demo data a
// newcomer sees with `muster serve --demo`, and the data behind benchmarks
// and load tests. Nothing in it is real; every name is made up.
package demo

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/muster-police/muster/training"
)

var (
	commands  = []string{"Frontline Policing", "Specialist Crime", "Met Operations", "Professionalism", "Public Protection Command", "Protective Security"}
	areas     = []string{"Central West", "North East", "South", "East", "North West", "Central North", "South East", "South West", "Central South", "North", "West", "Central East"}
	teams     = []string{"Response Team", "Neighbourhoods", "CID", "Safeguarding", "Custody", "Roads Policing", "Child Abuse Team", "MASH", "Sexual Offences Team", "Major Investigation Team", "Dogs", "Training"}
	forenames = []string{"Aisha", "Tom", "Priya", "Jack", "Siobhán", "Harry", "Zoë", "Mohammed", "Emily", "Oliver", "Amelia", "Kwame", "Chloe", "Daniel", "Grace", "Ravi", "Sophie", "Liam", "Niamh", "Ewan", "Fatima", "Callum", "Hannah", "Tariq"}
	surnames  = []string{"Khan", "Wood", "Taylor", "Thompson", "Ali", "Robinson", "O'Brien", "Smith", "Jones", "Patel", "Williams", "Brown", "Evans", "Nowak", "Okafor", "Murphy", "Davies", "Hughes", "Singh", "Campbell", "Clarke", "Wilson", "Begum", "MacLeod"}
	ranks     = []string{"PC", "PC", "PC", "PC", "PC", "DC", "PS", "DS", "Insp", "Staff"}
	// Posts: police staff roles (some meet victims, some never do), and
	// what officers' posts are called.
	staffRoles   = []string{"Call Handler", "Call Handler (Nights)", "Payroll Officer", "Front Counter Officer", "Intelligence Analyst", "HR Adviser", "Detention Officer", "Victim Care Officer"}
	officerRoles = []string{"Response Officer", "Neighbourhood Officer", "Detective Constable", "Safeguarding Officer", "Custody Officer", "Roads Policing Officer"}
)

// Courses returns the demo force's courses: the default two, with the
// audiences a force would give them. CSE recognition is required of
// officers, specials and PCSOs in Frontline Policing, Specialist Crime and
// the Public Protection Command, and of victim care officers anywhere; an
// early renewal within 60 days of expiry keeps its cycle. Trauma-informed
// communication is required of everyone except payroll and HR staff.
func Courses() []training.Course {
	cs := training.DefaultCourses()
	cs[0].RenewWithinDays = 60
	cs[0].Audience = training.Audience{Include: []training.AudienceRule{
		{Unit: training.Words{"Frontline Policing", "Specialist Crime", "Public Protection Command"}, StaffType: training.Words{"officer", "special", "pcso"}},
		{Role: training.Words{"Victim Care Officer"}},
	}}
	cs[1].Audience = training.Audience{Exclude: []training.AudienceRule{{Role: training.Words{"Payroll*", "HR*"}}}}
	return cs
}

// Units returns n distinct three-level unit paths.
func Units(n int) []string {
	out := make([]string, 0, n)
	for i := 0; len(out) < n; i++ {
		c := commands[i%len(commands)]
		a := areas[(i/len(commands))%len(areas)]
		t := teams[(i/(len(commands)*len(areas)))%len(teams)]
		if round := i / (len(commands) * len(areas) * len(teams)); round > 0 {
			t += " " + strconv.Itoa(round+1)
		}
		out = append(out, training.JoinUnit(c, a, t))
	}
	return out
}

// Force returns n officers spread over about units teams, with line
// managers, emails (about 1% invalid), start dates (about 5% recent
// joiners), completions of the default courses spread over the last three
// years, a few exemptions, and about 2% leavers. The same seed always gives
// the same force. The result is a ChangeSet against an empty store.
func Force(seed int64, n, units int, asOf training.Date) training.ChangeSet {
	if units < 1 {
		units = 1
	}
	rng := rand.New(rand.NewPCG(uint64(seed), 0x6d7573746572))
	paths := Units(units)
	at := asOf.Time()
	src := training.Source{ImportID: "demo", File: "demo", By: "demo", At: at}
	cs := training.ChangeSet{Import: training.ImportRecord{
		ID: "demo-" + strconv.FormatInt(seed, 10), Kind: training.ImportFull, FileName: "demo data",
		By: "demo", At: at, Outcome: training.OutcomeApplied,
	}}
	cs.Officers = make([]training.Officer, 0, n)
	managerOf := make([]string, len(paths))
	courses := training.DefaultCourses()
	// Posts come from their own stream, so that adding them left every
	// other generated value (and the figures built on them) as it was.
	posts := rand.New(rand.NewPCG(uint64(seed), 0x706f737473))
	for i := 0; i < n; i++ {
		unit := i % len(paths)
		id := strconv.Itoa(100000 + i)
		fn := forenames[rng.IntN(len(forenames))]
		sn := surnames[rng.IntN(len(surnames))]
		o := training.Officer{
			ID: id, DisplayID: id, Name: fn + " " + sn,
			Email:     fmt.Sprintf("%s.%s.%d@force.example.police.uk", asciiLower(fn), asciiLower(sn), i),
			Rank:      ranks[rng.IntN(len(ranks))],
			Unit:      paths[unit],
			FirstSeen: asOf.AddDays(-200),
			Source:    src,
		}
		o.StaffType, o.Role = post(posts, o.Rank)
		if rng.IntN(100) == 0 {
			o.Email = "not an address"
			o.EmailInvalid = true
		}
		if managerOf[unit] == "" {
			managerOf[unit] = id
			o.Rank = "PS"
			// Team managers report to the manager of the first team of their command.
			o.LineManager = managerOf[unit%len(commands)]
			if o.LineManager == id {
				o.LineManager = ""
			}
		} else {
			o.LineManager = managerOf[unit]
		}
		recent := rng.IntN(100) < 5
		if recent {
			o.StartDate = asOf.AddDays(-rng.IntN(150))
		} else {
			o.StartDate = asOf.AddDays(-365 - rng.IntN(365*25))
		}
		if rng.IntN(50) == 0 {
			o.Leaver = true
			o.LeftOn = asOf.AddDays(-rng.IntN(60))
		}
		cs.Officers = append(cs.Officers, o)
		for ci, c := range courses {
			roll := rng.IntN(100)
			switch {
			case roll < 1:
				cs.Exemptions = append(cs.Exemptions, training.Exemption{OfficerID: id, CourseID: c.ID, Reason: "demo exemption", Source: src})
			case roll < 72-12*ci && !(recent && roll > 30):
				done := asOf.AddDays(-rng.IntN(365 * 3))
				if !done.After(o.StartDate) && !recent {
					done = o.StartDate.AddDays(30)
				}
				cs.Completions = append(cs.Completions, training.Completion{OfficerID: id, CourseID: c.ID, Date: done, Source: src})
			}
		}
	}
	return cs
}

// post draws a person's staff type and role: police staff have a staff
// role; of the rest, about 5% are specials and 5% PCSOs.
func post(rng *rand.Rand, rank string) (training.StaffType, string) {
	if rank == "Staff" {
		return training.StaffStaff, staffRoles[rng.IntN(len(staffRoles))]
	}
	st := training.StaffOfficer
	switch roll := rng.IntN(100); {
	case roll < 5:
		st = training.StaffSpecial
	case roll < 10:
		st = training.StaffPCSO
	}
	return st, officerRoles[rng.IntN(len(officerRoles))]
}

func asciiLower(s string) string {
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r-'A'+'a'))
		case r >= 'a' && r <= 'z':
			b = append(b, byte(r))
		case r == 'á':
			b = append(b, 'a')
		case r == 'ë':
			b = append(b, 'e')
		}
	}
	return string(b)
}

// Now is a fixed instant for demo data and tests that need a "now".
func Now() time.Time { return time.Date(2026, 11, 24, 9, 0, 0, 0, training.London) }
