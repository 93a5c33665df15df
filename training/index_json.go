package training

import (
	"bytes"
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
	var buf bytes.Buffer
	head, err := json.Marshal(struct {
		AsOf Date `json:"as_of"`
	}{ix.asOf})
	if err != nil {
		return nil, err
	}
	buf.Write(head[:len(head)-1]) // {"as_of":"…"
	buf.WriteByte(',')
	node, err := ix.nodeJSON(unit, sel, pos, c)
	if err != nil {
		return nil, err
	}
	buf.Write(node[1:]) // "unit":… }
	buf.WriteByte('\n')
	return buf.Bytes(), nil
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
	b := append(own[:len(own)-1:len(own)-1], `,"units":[`...)
	if f != nil {
		first := true
		for _, cp := range f.children {
			if ix.units[cp].active <= 0 {
				continue
			}
			cb, err := ix.nodeJSON(cp, sel, pos, c)
			if err != nil {
				return nil, err
			}
			if !first {
				b = append(b, ',')
			}
			first = false
			b = append(b, cb...)
		}
		c.nodes[p] = jsonFragment{ver: f.ver, b: append(b, "]}"...)}
		return c.nodes[p].b, nil
	}
	return append(b, "]}"...), nil
}
