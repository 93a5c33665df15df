package redis

import (
	"context"
	"sort"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"github.com/muster-police/muster/training"
)

// mappingV1 is a saved column mapping on the wire (one field of the
// P:mappings hash, by name).
type mappingV1 struct {
	V       int             `json:"v"`
	Name    string          `json:"name"`
	Headers []string        `json:"headers"`
	Rules   []mappingRuleV1 `json:"rules"`
	Course  string          `json:"course,omitempty"`
	By      string          `json:"by"`
	At      time.Time       `json:"at"`
}

type mappingRuleV1 struct {
	Header string `json:"header"`
	Field  string `json:"field"`
}

func (r mappingV1) version() int { return r.V }

func toMappingRec(m training.ColumnMapping) mappingV1 {
	r := mappingV1{V: recordVersion, Name: m.Name, Headers: m.Headers, Course: m.Course, By: m.By, At: m.At.UTC()}
	for _, x := range m.Rules {
		r.Rules = append(r.Rules, mappingRuleV1{x.Header, x.Field})
	}
	return r
}

func (r mappingV1) domain() training.ColumnMapping {
	m := training.ColumnMapping{Name: r.Name, Headers: r.Headers, Course: r.Course, By: r.By, At: r.At}
	for _, x := range r.Rules {
		m.Rules = append(m.Rules, training.MappingRule{Header: x.Header, Field: x.Field})
	}
	return m
}

// Mappings returns every saved mapping, sorted by name.
func (s *Store) Mappings(ctx context.Context) ([]training.ColumnMapping, error) {
	m, err := s.rdb.HGetAll(ctx, s.keys.mappings).Result()
	if err != nil {
		return nil, s.wrap(err)
	}
	out := make([]training.ColumnMapping, 0, len(m))
	for _, v := range m {
		r, err := decode[mappingV1]("mapping", v)
		if err != nil {
			return nil, err
		}
		out = append(out, r.domain())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// PutMapping validates m and creates or replaces the mapping of its name;
// the roster's revision stays as it is.
func (s *Store) PutMapping(ctx context.Context, m training.ColumnMapping) error {
	if err := m.Validate(); err != nil {
		return err
	}
	ok, err := putMappingScript.Run(ctx, s.rdb, []string{s.keys.mappings}, m.Name, encode(toMappingRec(m)), training.MaxMappings).Bool()
	if err != nil {
		return s.wrap(err)
	}
	if !ok {
		return training.ErrTooManyMappings
	}
	return nil
}

// putMappingScript saves a mapping unless it is new and the hash holds
// the most mappings allowed. KEYS: mappings; ARGV: name, record, max.
// Returns 1 when saved.
var putMappingScript = goredis.NewScript(`
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`)

// DeleteMapping removes the mapping of that name.
func (s *Store) DeleteMapping(ctx context.Context, name string) error {
	n, err := s.rdb.HDel(ctx, s.keys.mappings, name).Result()
	if err != nil {
		return s.wrap(err)
	}
	if n == 0 {
		return training.ErrNotFound
	}
	return nil
}
