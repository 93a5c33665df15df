package server

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestNoRouteShowsAnotherUnit calls every GET route the server has
// (pages, exports and API alike) as the manager of Alpha, with the route's
// parameters pointing at Bravo's data wherever a parameter exists, and
// checks that no body holds any of Bravo's officers or teams.
func TestNoRouteShowsAnotherUnit(t *testing.T) {
	cases := []struct {
		as      string
		secrets []string
	}{
		{"mgr-a", []string{"Bravoname", "Bella", "Boris", "Bruno", "Team 9", "Team 8", "bella@", ">B1<"}},
		// The manager linked to L1 sees Adam and Boris (their reports), nobody else.
		{"mgr-line", []string{"Bella", "Bruno", "Alice", "Aardvark", "Team 8", "bella@", ">B1<", "HYPERLINK"}},
	}
	for _, c := range cases {
		t.Run(c.as, func(t *testing.T) { checkNoRouteShows(t, c.as, c.secrets) })
	}
}

func checkNoRouteShows(t *testing.T, as string, secrets []string) {
	e := newTestEnv(t)
	values := map[string][]string{
		"id":       {"B1", "b2", "seed"},
		"format":   {"csv", "xlsx"},
		"username": {"hr"},
		"name":     {"reminders"},
		"*":        {""},
	}
	param := regexp.MustCompile(`:([a-z_]+)|\*`)
	queries := []string{"", "?unit=Bravo", "?unit=" + url.QueryEscape("Bravo / Team 9"), "?q=Bella", "?q=B1", "?unit=Bravo&format=csv", "?unit=Bravo&format=xlsx"}
	seen := 0
	for _, r := range e.s.echo.Routes() {
		if r.Method != "GET" || strings.HasPrefix(r.Path, "/static") || r.Path == "/me/:token" || r.Path == "/api/v1/me/:token" ||
			r.Path == "/api/v1/openapi.json" || r.Path == "/metrics" {
			continue
		}
		paths := []string{r.Path}
		for _, m := range param.FindAllStringSubmatch(r.Path, -1) {
			key := m[1]
			if m[0] == "*" {
				key = "*"
			}
			vs, ok := values[key]
			if !ok {
				vs = []string{"B1"}
			}
			var next []string
			for _, p := range paths {
				for _, v := range vs {
					next = append(next, strings.Replace(p, m[0], v, 1))
				}
			}
			paths = next
		}
		for _, p := range paths {
			for _, q := range queries {
				seen++
				rec := e.do(req{method: "GET", path: p + q, as: as})
				if rec.Code >= 500 {
					t.Errorf("GET %s%s: status %d", p, q, rec.Code)
				}
				text := bodyText(t, rec.Body.Bytes())
				// What the manager typed may be echoed back (a search box):
				// that is not Bravo's data.
				if vals, err := url.ParseQuery(strings.TrimPrefix(q, "?")); err == nil {
					for _, vs := range vals {
						for _, v := range vs {
							for _, form := range []string{v, html.EscapeString(v), url.QueryEscape(v), strings.ReplaceAll(url.QueryEscape(v), "+", "%20")} {
								text = strings.ReplaceAll(text, form, "")
							}
						}
					}
				}
				for _, s := range secrets {
					if strings.Contains(text, s) {
						t.Errorf("GET %s%s (%d) shows %q to %s", p, q, rec.Code, s, as)
					}
				}
			}
		}
	}
	t.Logf("%d requests", seen)
}
