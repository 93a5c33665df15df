package bolt

import (
	"github.com/muster-police/muster/storage/internal/varint"
	"github.com/muster-police/muster/training"
)

// encodeOfficerV1 writes an officer as a Muster before officerV2 did
// (no role, staff type, in-post date or requirement dates): the upgrade
// tests store such records and read them with today's decoder.
func encodeOfficerV1(o training.Officer) []byte {
	e := encoder{varint.Writer{}}
	e.Byte(rosterV1)
	e.String(o.ID)
	e.String(o.DisplayID)
	e.String(o.Name)
	e.String(o.Email)
	e.bool(o.EmailInvalid)
	e.String(o.Rank)
	e.String(o.Unit)
	e.String(o.LineManager)
	e.date(o.StartDate)
	e.date(o.FirstSeen)
	e.bool(o.Leaver)
	e.date(o.LeftOn)
	e.source(o.Source)
	return e.B
}
