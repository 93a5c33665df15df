package training

import (
	"encoding/json"
	"slices"
	"strings"
)

// JSONCache keeps the JSON of report subtrees rendered by
// Index.ReportJSON for one course selection, so that after a change only
// the units on the changed officer's path are encoded again (a BCU's
// report is hundreds of units; a completion changes three of them). It is
// not safe for concurrent use.
type JSONCache struct {
	ix      *Index
	courses string
	nodes   map[string]jsonFragment
}

type jsonFragment struct {
	ver uint64
	b   []byte
}

// ReportJSON returns Report(unit, courses) encoded exactly as
// json.Encoder encodes it (with its trailing newline), reusing from c the
// encoding of every subtree that has not changed since it was cached.
func (ix *Index) ReportJSON(unit string, courses []string, c *JSONCache) ([]byte, error) {
	sel, err := SelectCourses(ix.courses, courses)
	if err != nil {
		return nil, err
	}
	key := strings.Join(courses, ",")
	if c.ix != ix || c.courses != key || c.nodes == nil {
		*c = JSONCache{ix: ix, courses: key, nodes: map[string]jsonFragment{}}
	}
	pos := make([]int, len(sel))
	for i, s := range sel {
		pos[i] = slices.IndexFunc(ix.courses, func(x Course) bool { return x.ID == s.ID })
	}
	head, err := json.Marshal(struct {
		AsOf Date `json:"as_of"`
	}{ix.asOf})
	if err != nil {
		return nil, err
	}
	node, err := ix.nodeJSON(unit, sel, pos, c)
	if err != nil {
		return nil, err
	}
	// One allocation of the exact size: the report is read per post.
	out := make([]byte, 0, len(head)+len(node)+1)
	out = append(out, head[:len(head)-1]...) // {"as_of":"…"
	out = append(out, ',')
	out = append(out, node[1:]...) // "unit":… }
	return append(out, '\n'), nil
}

// Version returns a number that changes whenever the figures of unit or
// of any unit below it change (ok false when the index has no such unit):
// while it stays the same, Report and ReportJSON of unit give the same
// result, so that a reader may keep what it made of them.
func (ix *Index) Version(unit string) (ver uint64, ok bool) {
	if f := ix.units[unit]; f != nil {
		return f.ver, true
	}
	return 0, false
}

// nodeJSON encodes the report node of unit p with its subtree.
func (ix *Index) nodeJSON(p string, sel []Course, pos []int, c *JSONCache) ([]byte, error) {
	f := ix.units[p]
	if f != nil {
		if fr, ok := c.nodes[p]; ok && fr.ver == f.ver {
			return fr.b, nil
		}
	}
	n := ix.node(p, sel, pos)
	own, err := json.Marshal(struct {
		Unit    string          `json:"unit"`
		Courses []CourseFigures `json:"courses"`
	}{n.Unit, n.Courses})
	if err != nil {
		return nil, err
	}
	const units, end = `,"units":[`, "]}"
	if f == nil {
		return append(append(own[:len(own)-1:len(own)-1], units...), end...), nil
	}
	var kids [][]byte
	size := len(own) - 1 + len(units) + len(end)
	for _, cp := range f.children {
		if ix.units[cp].active <= 0 {
			continue
		}
		cb, err := ix.nodeJSON(cp, sel, pos, c)
		if err != nil {
			return nil, err
		}
		kids = append(kids, cb)
		size += len(cb) + 1
	}
	// One allocation of the exact size (appending child after child
	// copied a large unit's subtree several times over).
	b := make([]byte, 0, size)
	b = append(b, own[:len(own)-1]...)
	b = append(b, units...)
	for i, cb := range kids {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, cb...)
	}
	b = append(b, end...)
	c.nodes[p] = jsonFragment{ver: f.ver, b: b}
	return b, nil
}
