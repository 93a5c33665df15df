package xapi

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/muster-police/muster/training"
)

var src = training.Source{ImportID: "xapi-1", By: "lms", At: time.Date(2026, 11, 24, 9, 0, 0, 0, time.UTC)}

const good = `{"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0","actor":{"objectType":"Agent","account":{"homePage":"https://lms.example","name":"1234"}},
 "verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-GB":"completed"}},
 "object":{"id":"https://lms.example/course/7","definition":{"name":{"en":"CSE awareness"}}},"timestamp":"2026-06-30T23:30:00Z"}`

func TestParseRefusesInvalid(t *testing.T) {
	for _, tc := range []struct {
		name, body, want string
	}{
		{"null", strings.Replace(good, `"display":{"en-GB":"completed"}`, `"display":null`, 1), "verb.display: must not be null"},
		{"two IFIs", strings.Replace(good, `"objectType":"Agent",`, `"objectType":"Agent","mbox":"mailto:a@b.example",`, 1), "exactly one of"},
		{"bad mbox", strings.Replace(good, `"account":{"homePage":"https://lms.example","name":"1234"}`, `"mbox":"a@b.example"`, 1), "mailto:"},
		{"bad uuid", strings.Replace(good, "fd41c918-", "fd41c918", 1), "is not a UUID"},
		{"unknown key", strings.Replace(good, `"timestamp"`, `"Timestamp"`, 1), `"Timestamp" is not a property`},
		{"iri without scheme", strings.Replace(good, "https://lms.example/course/7", "course/7", 1), "not an IRI"},
		{"bad timestamp", strings.Replace(good, "2026-06-30T23:30:00Z", "2026-06-30 23:30", 1), "timestamp"},
		{"string for bool", strings.Replace(good, `"timestamp"`, `"result":{"completion":"true"},"timestamp"`, 1), "result.completion: must be true or false"},
		{"bad language tag", strings.Replace(good, `"en-GB"`, `"english language"`, 1), "RFC 5646"},
		{"missing verb", strings.Replace(good, `"verb":{"id":"http://adlnet.gov/expapi/verbs/completed","display":{"en-GB":"completed"}},`, ``, 1), `"verb" is required`},
		{"voiding an activity", strings.Replace(good, "verbs/completed", "verbs/voided", 1), "StatementRef"},
		{"second of a batch", "[" + good + "," + strings.Replace(good, `"verb":{`, `"verb":{"ID":"x",`, 1) + "]", "statement 2: verb"},
		{"weeks with days", strings.Replace(good, `"timestamp"`, `"result":{"duration":"P4W1D"},"timestamp"`, 1), "duration"},
		{"unknown offset", strings.Replace(good, "2026-06-30T23:30:00Z", "2026-06-30T23:30:00-00:00", 1), "unknown-offset"},
		{"authority group of one", strings.Replace(good, `"timestamp"`, `"authority":{"objectType":"Group","member":[{"mbox":"mailto:a@b.example"}]},"timestamp"`, 1), "exactly two Agents"},
		{"pattern without interactionType", strings.Replace(good, `"definition":{`, `"definition":{"correctResponsesPattern":["a"],`, 1), "only with an interactionType"},
		{"attachment without fileUrl in json", strings.Replace(good, `"timestamp"`, `"attachments":[{"usageType":"http://id.tincanapi.com/attachmentUsage/certificate","display":{"en":"c"},"contentType":"text/plain","length":2,"sha2":"ab"}],"timestamp"`, 1), "has no fileUrl"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(Request{ContentType: "application/json", Body: []byte(tc.body), Source: src})
			if !errors.Is(err, training.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want ErrInvalid with %q", err, tc.want)
			}
		})
	}
}

func TestParseRecord(t *testing.T) {
	sts, err := Parse(Request{ContentType: "application/json; charset=utf-8", Body: []byte(good), Source: src})
	if err != nil {
		t.Fatal(err)
	}
	st := sts[0]
	if st.ID != "fd41c918-b88b-4b20-a0a5-a4c32391aaa0" || st.Actor.Name != "1234" || st.Actor.HomePage != "https://lms.example" ||
		st.Activity != "https://lms.example/course/7" || st.ActivityName != "CSE awareness" || !st.Completed ||
		!st.Timestamp.Equal(time.Date(2026, 6, 30, 23, 30, 0, 0, time.UTC)) || st.Source != src {
		t.Fatalf("record %+v", st)
	}
	if !strings.Contains(string(st.Raw), `"stored":"2026-11-24T09:00:00.000Z"`) {
		t.Errorf("raw %s", st.Raw)
	}
	// The same statement in another time zone, with another verb display,
	// is the same content; another verb is not.
	same := strings.Replace(strings.Replace(good, "2026-06-30T23:30:00Z", "2026-07-01T00:30:00+01:00", 1), `"en-GB":"completed"`, `"en":"finished"`, 1)
	other := strings.Replace(good, "verbs/completed", "verbs/passed", 1)
	for _, c := range []struct {
		body string
		eq   bool
	}{{same, true}, {other, false}} {
		s2, err := Parse(Request{ContentType: "application/json", Body: []byte(c.body), Source: src})
		if err != nil {
			t.Fatal(err)
		}
		if (s2[0].Hash == st.Hash) != c.eq {
			t.Errorf("hash equal = %v, want %v for %s", s2[0].Hash == st.Hash, c.eq, c.body)
		}
	}
	waived := strings.Replace(strings.Replace(good, "http://adlnet.gov/expapi/verbs/completed", training.VerbWaived, 1),
		`"timestamp"`, `"result":{"success":true,"completion":true,"extensions":{"`+ReasonExtension+`":"Tested Out"}},"timestamp"`, 1)
	s3, err := Parse(Request{ContentType: "application/json", Body: []byte(waived), Source: src})
	if err != nil {
		t.Fatal(err)
	}
	if !s3[0].Waived || s3[0].Completed || s3[0].Reason != "Tested Out" {
		t.Errorf("waived %+v", s3[0])
	}
}

func TestParsePut(t *testing.T) {
	_, err := Parse(Request{ContentType: "application/json", Body: []byte(good), StatementID: "0d41c918-b88b-4b20-a0a5-a4c32391aaa0", Source: src})
	if !errors.Is(err, training.ErrInvalid) || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("mismatched id: %v", err)
	}
	noID := strings.Replace(good, `"id":"fd41c918-b88b-4b20-a0a5-a4c32391aaa0",`, "", 1)
	sts, err := Parse(Request{ContentType: "application/json", Body: []byte(noID), StatementID: "0D41C918-B88B-4B20-A0A5-A4C32391AAA0", Source: src})
	if err != nil || sts[0].ID != "0d41c918-b88b-4b20-a0a5-a4c32391aaa0" {
		t.Fatalf("put: %v %+v", err, sts)
	}
}

func TestParseMultipart(t *testing.T) {
	data := "certificate"
	sum := sha256.Sum256([]byte(data))
	h := hex.EncodeToString(sum[:])
	st := strings.Replace(good, `"timestamp"`, `"attachments":[{"usageType":"http://id.tincanapi.com/attachmentUsage/certificate","display":{"en":"c"},"contentType":"text/plain","length":11,"sha2":"`+h+`"}],"timestamp"`, 1)
	body := func(part string) []byte {
		return []byte("--b\r\nContent-Type: application/json\r\n\r\n" + st + "\r\n--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: " + h + "\r\n\r\n" + part + "\r\n--b--\r\n")
	}
	if _, err := Parse(Request{ContentType: `multipart/mixed; boundary=b`, Body: body(data), Source: src}); err != nil {
		t.Fatalf("matching attachment: %v", err)
	}
	_, err := Parse(Request{ContentType: `multipart/mixed; boundary=b`, Body: body("forged"), Source: src})
	if !errors.Is(err, training.ErrInvalid) || !strings.Contains(err.Error(), "does not match") {
		t.Fatalf("forged attachment: %v", err)
	}
	extra := append(body(data), []byte("")...)
	extra = []byte(strings.Replace(string(extra), "--b--", "--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: binary\r\nX-Experience-API-Hash: "+sha256hex("x")+"\r\n\r\nx\r\n--b--", 1))
	_, err = Parse(Request{ContentType: `multipart/mixed; boundary=b`, Body: extra, Source: src})
	if !errors.Is(err, training.ErrInvalid) || !strings.Contains(err.Error(), "belongs to no attachment") {
		t.Fatalf("an excess part: %v", err)
	}
	_, err = Parse(Request{ContentType: "text/plain", Body: []byte(good), Source: src})
	if !errors.Is(err, training.ErrInvalid) {
		t.Fatalf("text/plain: %v", err)
	}
}

func sha256hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func TestParseContextActivitiesAsLists(t *testing.T) {
	one := strings.Replace(good, `"timestamp"`, `"context":{"contextActivities":{"parent":{"id":"https://lms.example/course"}}},"timestamp"`, 1)
	sts, err := Parse(Request{ContentType: "application/json", Body: []byte(one), Source: src})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sts[0].Raw), `"parent":[{"id":"https://lms.example/course"}]`) {
		t.Fatalf("a single context activity is stored as a list of one: %s", sts[0].Raw)
	}
}

func TestCheckVersion(t *testing.T) {
	for h, want := range map[string]string{"1.0": "1.0.3", "1.0.3": "1.0.3", "1.0.9": "1.0.3", "2.0.0": "2.0.0", "": "", "0.95": "", "1.1.0": "", "1.0.x": ""} {
		v, err := CheckVersion(h)
		if (want == "") != (err != nil) || want != "" && v != want {
			t.Errorf("CheckVersion(%q) = %q, %v", h, v, err)
		}
	}
}
