package redis

import (
	"github.com/muster-police/muster/storage/internal/varint"
	"github.com/muster-police/muster/training"
)

// encodeOfficerV1 writes an officer as a Muster before fmtOfficerV2 did
// (no role, staff type, in-post date or requirement dates): the upgrade
// tests store such records and read them with today's decoder.
func encodeOfficerV1(o training.Officer) string {
	w := encoder{varint.Writer{}}
	w.Byte(fmtOfficerV1)
	w.String(o.ID)
	w.String(o.DisplayID)
	w.String(o.Name)
	w.String(o.Email)
	var flags uint64
	if o.EmailInvalid {
		flags |= flagEmailInvalid
	}
	if o.Leaver {
		flags |= flagLeaver
	}
	w.Uint(flags)
	w.String(o.Rank)
	w.String(o.Unit)
	w.String(o.LineManager)
	w.date(o.StartDate)
	w.date(o.FirstSeen)
	w.date(o.LeftOn)
	w.source(o.Source)
	return string(w.B)
}
