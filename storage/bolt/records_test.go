package bolt

import (
	"reflect"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

// fill sets every field of v (recursively) to a non-zero value, so that a
// round trip drops nothing unnoticed.
func fill(v reflect.Value) {
	switch {
	case v.Type() == reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2026, 11, 24, 9, 30, 15, 123456789, time.UTC)))
		return
	case v.Type() == reflect.TypeFor[training.Date]():
		v.Set(reflect.ValueOf(training.NewDate(2026, 2, 28)))
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString("s-" + v.Type().Name())
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(7)
	case reflect.Uint8:
		v.SetUint(42)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0))
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k)
		fill(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	default:
		panic("fill: unhandled kind " + v.Kind().String())
	}
}

func filled[T any]() T {
	var v T
	fill(reflect.ValueOf(&v).Elem())
	return v
}

// TestRecordsCoverEveryField fails when a field is added to a domain type
// without adding it to its wire record here.
func TestRecordsCoverEveryField(t *testing.T) {
	check := func(name string, got, want any) {
		t.Helper()
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s does not survive its record:\n got  %+v\n want %+v", name, got, want)
		}
	}
	o := filled[training.Officer]()
	gotO, err := decodeOfficer(encodeOfficer(o), nil)
	if err != nil {
		t.Fatal(err)
	}
	check("Officer", gotO, o)

	c := filled[training.Completion]()
	_, gotC, err := decodeCompletions(c.OfficerID, encodeCompletions([]training.Completion{c}), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	check("Completion", gotC, []training.Completion{c})

	x := filled[training.Exemption]()
	gotX, err := decodeExemptions(x.OfficerID, encodeExemptions([]training.Exemption{x}), nil)
	if err != nil {
		t.Fatal(err)
	}
	check("Exemption", gotX, []training.Exemption{x})

	course := filled[training.Course]()
	check("Course", roundTrip(t, toCourseRec(course)).domain(), course)
	imp := filled[training.ImportRecord]()
	check("ImportRecord", roundTrip(t, toImportRec(imp)).domain(), imp)
	snap := filled[training.DailySnapshot]()
	check("DailySnapshot", roundTrip(t, toSnapshotRec(snap)).domain(), snap)
	u := filled[training.User]()
	check("User", roundTrip(t, toUserRec(u)).domain(), u)
	sess := filled[training.Session]()
	check("Session", roundTrip(t, toSessionRec(sess)).domain(), sess)
	tok := filled[training.Token]()
	check("Token", roundTrip(t, toTokenRec(tok)).domain(), tok)
	m := filled[training.Message]()
	check("Message", roundTrip(t, toMessageRec(m)).domain(), m)
	run := filled[training.JobRun]()
	check("JobRun", roundTrip(t, toJobRunRec(run)).domain(), run)
}

// roundTrip encodes a record as stored and decodes it again.
func roundTrip[R any, P interface {
	*R
	versioned
}](t *testing.T, rec P) P {
	t.Helper()
	var out R
	if err := decodeJSON(encodeJSON(rec), P(&out), "record"); err != nil {
		t.Fatal(err)
	}
	return &out
}
