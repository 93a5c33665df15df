package xapi

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// The rules below are xAPI 1.0.3 Part Two (xAPI-Data.md) section 2,
// checked as an LRS MUST (2.2: reject null values outside extensions,
// wrong types, malformed IRIs, UUIDs, mailto IRIs, timestamps and
// language tags, unknown keys and keys in the wrong case), and 2.0's
// additions (context agents and groups). docs/xapi.md lists the sections.

// invalid is one problem, at a JSON path inside one statement.
type invalid struct {
	path, msg string
}

func (e *invalid) Error() string { return e.path + ": " + e.msg }

func bad(path, format string, args ...any) error {
	return &invalid{path, fmt.Sprintf(format, args...)}
}

var (
	uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	sha1RE = regexp.MustCompile(`^[0-9a-fA-F]{40}$`)
	// langRE is RFC 5646's shape, best effort (2.2 allows it): a primary
	// language of 2-3 (or 4-8) letters, then subtags of 1-8 letters/digits.
	langRE = regexp.MustCompile(`^(?i)([a-z]{2,3}(-[a-z]{3}){0,3}|[a-z]{4,8}|[xi]|x)(-[a-z0-9]{1,8})*$`)
	// durationRE is ISO 8601's duration: weeks stand alone (PnW).
	durationRE = regexp.MustCompile(`^P(\d+(\.\d+)?W|((\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?D)?)(T(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?)$`)
	versionRE  = regexp.MustCompile(`^(1|2)\.0(\.\d+)?$`)
)

type obj = map[string]any

// keys checks that o holds only allowed keys and every required one.
func keys(path string, o obj, allowed, required string) error {
	ok := strings.Fields(allowed)
	for k := range o {
		found := false
		for _, a := range ok {
			if k == a {
				found = true
				break
			}
		}
		if !found {
			return bad(path, "%q is not a property xAPI allows here", k)
		}
	}
	for _, r := range strings.Fields(required) {
		if _, has := o[r]; !has {
			return bad(path, "%q is required", r)
		}
	}
	return nil
}

func asObj(path string, v any) (obj, error) {
	o, ok := v.(obj)
	if !ok {
		return nil, bad(path, "must be an object")
	}
	return o, nil
}

func asString(path string, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", bad(path, "must be a string")
	}
	return s, nil
}

// noNulls rejects null anywhere in v except inside extensions.
func noNulls(path string, v any) error {
	switch x := v.(type) {
	case nil:
		return bad(path, "must not be null")
	case obj:
		for k, e := range x {
			if k == "extensions" {
				continue
			}
			if err := noNulls(path+"."+k, e); err != nil {
				return err
			}
		}
	case []any:
		for i, e := range x {
			if err := noNulls(fmt.Sprintf("%s[%d]", path, i), e); err != nil {
				return err
			}
		}
	}
	return nil
}

// iri accepts an absolute IRI: a scheme, and no spaces.
func iri(path string, v any) (string, error) {
	s, err := asString(path, v)
	if err != nil {
		return "", err
	}
	u, perr := url.Parse(s)
	if perr != nil || u.Scheme == "" || strings.ContainsAny(s, " \t\n") || (u.Opaque == "" && u.Host == "" && u.Path == "") {
		return "", bad(path, "%q is not an IRI with a scheme", s)
	}
	return s, nil
}

// irl accepts an absolute URL (http or another scheme with a host).
func irl(path string, v any) (string, error) {
	s, err := iri(path, v)
	if err != nil {
		return "", err
	}
	return s, nil
}

func uuid(path string, v any) (string, error) {
	s, err := asString(path, v)
	if err != nil {
		return "", err
	}
	if !uuidRE.MatchString(s) {
		return "", bad(path, "%q is not a UUID", s)
	}
	return strings.ToLower(s), nil
}

func boolean(path string, v any) (bool, error) {
	b, ok := v.(bool)
	if !ok {
		return false, bad(path, "must be true or false")
	}
	return b, nil
}

func number(path string, v any) (float64, error) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, bad(path, "must be a number")
	}
	f, err := n.Float64()
	if err != nil {
		return 0, bad(path, "must be a number")
	}
	return f, nil
}

// timestamp parses an ISO 8601 / RFC 3339 date and time with an offset.
func timestamp(path string, v any) (time.Time, error) {
	s, err := asString(path, v)
	if err != nil {
		return time.Time{}, err
	}
	if strings.HasSuffix(s, "-00:00") || strings.HasSuffix(s, "-0000") || strings.HasSuffix(s, "-00") {
		// RFC 3339 4.3: "-00:00" is an unknown local offset, not a time zone.
		return time.Time{}, bad(path, "%q has the unknown-offset -00:00; send Z or the real offset", s)
	}
	t, perr := time.Parse(time.RFC3339Nano, s)
	if perr != nil {
		// ISO 8601 also allows a basic offset without a colon (+0100).
		if t, perr = time.Parse("2006-01-02T15:04:05.999999999-0700", s); perr != nil {
			return time.Time{}, bad(path, "%q is not an ISO 8601 timestamp with a time zone", s)
		}
	}
	return t, nil
}

func langMap(path string, v any) (obj, error) {
	o, err := asObj(path, v)
	if err != nil {
		return nil, err
	}
	for k, e := range o {
		if !langRE.MatchString(k) {
			return nil, bad(path, "%q is not an RFC 5646 language tag", k)
		}
		if _, err := asString(path+"."+k, e); err != nil {
			return nil, err
		}
	}
	return o, nil
}

func extensions(path string, v any) error {
	o, err := asObj(path, v)
	if err != nil {
		return err
	}
	for k := range o {
		if _, err := iri(path+" key", k); err != nil {
			return err
		}
	}
	return nil
}

// agentIFIs counts the inverse functional identifiers of an agent or group.
func agentIFIs(path string, o obj) (int, error) {
	n := 0
	if v, ok := o["mbox"]; ok {
		n++
		s, err := asString(path+".mbox", v)
		if err != nil {
			return 0, err
		}
		addr, found := strings.CutPrefix(s, "mailto:")
		if !found || !strings.Contains(addr, "@") || strings.ContainsAny(addr, " \t") {
			return 0, bad(path+".mbox", "%q is not a mailto: IRI", s)
		}
	}
	if v, ok := o["mbox_sha1sum"]; ok {
		n++
		s, err := asString(path+".mbox_sha1sum", v)
		if err != nil {
			return 0, err
		}
		if !sha1RE.MatchString(s) {
			return 0, bad(path+".mbox_sha1sum", "must be 40 hexadecimal digits")
		}
	}
	if v, ok := o["openid"]; ok {
		n++
		if _, err := iri(path+".openid", v); err != nil {
			return 0, err
		}
	}
	if v, ok := o["account"]; ok {
		n++
		a, err := asObj(path+".account", v)
		if err != nil {
			return 0, err
		}
		if err := keys(path+".account", a, "homePage name", "homePage name"); err != nil {
			return 0, err
		}
		if _, err := irl(path+".account.homePage", a["homePage"]); err != nil {
			return 0, err
		}
		if _, err := asString(path+".account.name", a["name"]); err != nil {
			return 0, err
		}
	}
	if v, ok := o["name"]; ok {
		if _, err := asString(path+".name", v); err != nil {
			return 0, err
		}
	}
	return n, nil
}

// actor validates an Agent or a Group (2.4.2).
func actor(path string, v any) error {
	o, err := asObj(path, v)
	if err != nil {
		return err
	}
	kind := "Agent"
	if t, ok := o["objectType"]; ok {
		if kind, err = asString(path+".objectType", t); err != nil {
			return err
		}
	}
	switch kind {
	case "Agent":
		if err := keys(path, o, "objectType name mbox mbox_sha1sum openid account", ""); err != nil {
			return err
		}
		n, err := agentIFIs(path, o)
		if err != nil {
			return err
		}
		if n != 1 {
			return bad(path, "an Agent needs exactly one of mbox, mbox_sha1sum, openid and account (it has %d)", n)
		}
	case "Group":
		if err := keys(path, o, "objectType name mbox mbox_sha1sum openid account member", "objectType"); err != nil {
			return err
		}
		n, err := agentIFIs(path, o)
		if err != nil {
			return err
		}
		if n > 1 {
			return bad(path, "a Group has at most one of mbox, mbox_sha1sum, openid and account")
		}
		members, has := o["member"]
		if n == 0 && !has {
			return bad(path, "an anonymous Group needs a member list")
		}
		if has {
			list, ok := members.([]any)
			if !ok {
				return bad(path+".member", "must be a list of Agents")
			}
			for i, m := range list {
				mp := fmt.Sprintf("%s.member[%d]", path, i)
				mo, err := asObj(mp, m)
				if err != nil {
					return err
				}
				if t, ok := mo["objectType"]; ok && t != "Agent" {
					return bad(mp, "a Group's members are Agents")
				}
				if err := actor(mp, mo); err != nil {
					return err
				}
			}
		}
	default:
		return bad(path+".objectType", "%q must be Agent or Group", kind)
	}
	return nil
}

func verb(path string, v any) (string, error) {
	o, err := asObj(path, v)
	if err != nil {
		return "", err
	}
	if err := keys(path, o, "id display", "id"); err != nil {
		return "", err
	}
	id, err := iri(path+".id", o["id"])
	if err != nil {
		return "", err
	}
	if d, ok := o["display"]; ok {
		if _, err := langMap(path+".display", d); err != nil {
			return "", err
		}
	}
	return id, nil
}

var interactionTypes = map[string]bool{"true-false": true, "choice": true, "fill-in": true, "long-fill-in": true,
	"matching": true, "performance": true, "sequencing": true, "likert": true, "numeric": true, "other": true}

func activity(path string, o obj) error {
	if err := keys(path, o, "objectType id definition", "id"); err != nil {
		return err
	}
	if _, err := iri(path+".id", o["id"]); err != nil {
		return err
	}
	d, ok := o["definition"]
	if !ok {
		return nil
	}
	def, err := asObj(path+".definition", d)
	if err != nil {
		return err
	}
	dp := path + ".definition"
	if err := keys(dp, def, "name description type moreInfo extensions interactionType correctResponsesPattern choices scale source target steps", ""); err != nil {
		return err
	}
	for _, k := range []string{"name", "description"} {
		if v, ok := def[k]; ok {
			if _, err := langMap(dp+"."+k, v); err != nil {
				return err
			}
		}
	}
	if v, ok := def["type"]; ok {
		if _, err := iri(dp+".type", v); err != nil {
			return err
		}
	}
	if v, ok := def["moreInfo"]; ok {
		if _, err := irl(dp+".moreInfo", v); err != nil {
			return err
		}
	}
	if v, ok := def["extensions"]; ok {
		if err := extensions(dp+".extensions", v); err != nil {
			return err
		}
	}
	if v, ok := def["interactionType"]; ok {
		s, err := asString(dp+".interactionType", v)
		if err != nil {
			return err
		}
		if !interactionTypes[s] {
			return bad(dp+".interactionType", "%q is not an xAPI interaction type", s)
		}
	}
	if v, ok := def["correctResponsesPattern"]; ok {
		if _, has := def["interactionType"]; !has {
			return bad(dp+".correctResponsesPattern", "is allowed only with an interactionType")
		}
		list, ok := v.([]any)
		if !ok {
			return bad(dp+".correctResponsesPattern", "must be a list of strings")
		}
		for i, e := range list {
			if _, err := asString(fmt.Sprintf("%s.correctResponsesPattern[%d]", dp, i), e); err != nil {
				return err
			}
		}
	}
	for _, k := range []string{"choices", "scale", "source", "target", "steps"} {
		v, ok := def[k]
		if !ok {
			continue
		}
		if _, has := def["interactionType"]; !has {
			return bad(dp+"."+k, "is allowed only with an interactionType")
		}
		list, ok := v.([]any)
		if !ok {
			return bad(dp+"."+k, "must be a list of interaction components")
		}
		seen := map[string]bool{}
		for i, e := range list {
			cp := fmt.Sprintf("%s.%s[%d]", dp, k, i)
			c, err := asObj(cp, e)
			if err != nil {
				return err
			}
			if err := keys(cp, c, "id description", "id"); err != nil {
				return err
			}
			id, err := asString(cp+".id", c["id"])
			if err != nil {
				return err
			}
			if seen[id] {
				return bad(cp+".id", "%q is used twice", id)
			}
			seen[id] = true
			if d, ok := c["description"]; ok {
				if _, err := langMap(cp+".description", d); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

func statementRef(path string, o obj) (string, error) {
	if err := keys(path, o, "objectType id", "objectType id"); err != nil {
		return "", err
	}
	return uuid(path+".id", o["id"])
}

// object validates a statement's object; sub is true inside a SubStatement.
func object(path string, v any, sub bool) (kind string, err error) {
	o, err := asObj(path, v)
	if err != nil {
		return "", err
	}
	kind = "Activity"
	if t, ok := o["objectType"]; ok {
		if kind, err = asString(path+".objectType", t); err != nil {
			return "", err
		}
	}
	switch kind {
	case "Activity":
		return kind, activity(path, o)
	case "Agent", "Group":
		return kind, actor(path, o)
	case "StatementRef":
		_, err := statementRef(path, o)
		return kind, err
	case "SubStatement":
		if sub {
			return "", bad(path, "a SubStatement cannot hold another SubStatement")
		}
		return kind, statementBody(path, o, true)
	}
	return "", bad(path+".objectType", "%q is not an xAPI object type", kind)
}

func result(path string, v any) error {
	o, err := asObj(path, v)
	if err != nil {
		return err
	}
	if err := keys(path, o, "score success completion response duration extensions", ""); err != nil {
		return err
	}
	if s, ok := o["score"]; ok {
		so, err := asObj(path+".score", s)
		if err != nil {
			return err
		}
		if err := keys(path+".score", so, "scaled raw min max", ""); err != nil {
			return err
		}
		vals := map[string]float64{}
		for k, e := range so {
			if vals[k], err = number(path+".score."+k, e); err != nil {
				return err
			}
		}
		if x, ok := vals["scaled"]; ok && (x < -1 || x > 1) {
			return bad(path+".score.scaled", "must be between -1 and 1")
		}
		mn, hasMin := vals["min"]
		mx, hasMax := vals["max"]
		if hasMin && hasMax && mn > mx {
			return bad(path+".score", "min is above max")
		}
		if raw, ok := vals["raw"]; ok && (hasMin && raw < mn || hasMax && raw > mx) {
			return bad(path+".score.raw", "is outside min and max")
		}
	}
	for _, k := range []string{"success", "completion"} {
		if e, ok := o[k]; ok {
			if _, err := boolean(path+"."+k, e); err != nil {
				return err
			}
		}
	}
	if e, ok := o["response"]; ok {
		if _, err := asString(path+".response", e); err != nil {
			return err
		}
	}
	if e, ok := o["duration"]; ok {
		s, err := asString(path+".duration", e)
		if err != nil {
			return err
		}
		if !durationRE.MatchString(s) || s == "P" || strings.HasSuffix(s, "T") {
			return bad(path+".duration", "%q is not an ISO 8601 duration", s)
		}
	}
	if e, ok := o["extensions"]; ok {
		return extensions(path+".extensions", e)
	}
	return nil
}

func contextActivities(path string, v any) error {
	o, err := asObj(path, v)
	if err != nil {
		return err
	}
	if err := keys(path, o, "parent grouping category other", ""); err != nil {
		return err
	}
	for k, e := range o {
		list, ok := e.([]any)
		if !ok {
			list = []any{e} // a single Activity is allowed (1.0.3 2.4.6.2)
		}
		for i, a := range list {
			ap := fmt.Sprintf("%s.%s[%d]", path, k, i)
			ao, err := asObj(ap, a)
			if err != nil {
				return err
			}
			if t, ok := ao["objectType"]; ok && t != "Activity" {
				return bad(ap, "context activities are Activities")
			}
			if err := activity(ap, ao); err != nil {
				return err
			}
		}
	}
	return nil
}

func statementContext(path string, v any, objectKind string) error {
	o, err := asObj(path, v)
	if err != nil {
		return err
	}
	if err := keys(path, o, "registration instructor team contextActivities revision platform language statement extensions contextAgents contextGroups", ""); err != nil {
		return err
	}
	if e, ok := o["registration"]; ok {
		if _, err := uuid(path+".registration", e); err != nil {
			return err
		}
	}
	if e, ok := o["instructor"]; ok {
		if err := actor(path+".instructor", e); err != nil {
			return err
		}
	}
	if e, ok := o["team"]; ok {
		to, err := asObj(path+".team", e)
		if err != nil {
			return err
		}
		if to["objectType"] != "Group" {
			return bad(path+".team", "must be a Group")
		}
		if err := actor(path+".team", to); err != nil {
			return err
		}
	}
	if e, ok := o["contextActivities"]; ok {
		if err := contextActivities(path+".contextActivities", e); err != nil {
			return err
		}
	}
	for _, k := range []string{"revision", "platform"} {
		if e, ok := o[k]; ok {
			if _, err := asString(path+"."+k, e); err != nil {
				return err
			}
			if objectKind != "Activity" {
				return bad(path+"."+k, "is allowed only when the object is an Activity")
			}
		}
	}
	if e, ok := o["language"]; ok {
		s, err := asString(path+".language", e)
		if err != nil {
			return err
		}
		if !langRE.MatchString(s) {
			return bad(path+".language", "%q is not an RFC 5646 language tag", s)
		}
	}
	if e, ok := o["statement"]; ok {
		so, err := asObj(path+".statement", e)
		if err != nil {
			return err
		}
		if so["objectType"] != "StatementRef" {
			return bad(path+".statement", "must be a StatementRef")
		}
		if _, err := statementRef(path+".statement", so); err != nil {
			return err
		}
	}
	if e, ok := o["extensions"]; ok {
		if err := extensions(path+".extensions", e); err != nil {
			return err
		}
	}
	for _, k := range []string{"contextAgents", "contextGroups"} { // xAPI 2.0
		e, ok := o[k]
		if !ok {
			continue
		}
		list, ok := e.([]any)
		if !ok {
			return bad(path+"."+k, "must be a list")
		}
		for i, c := range list {
			cp := fmt.Sprintf("%s.%s[%d]", path, k, i)
			co, err := asObj(cp, c)
			if err != nil {
				return err
			}
			field := "agent"
			if k == "contextGroups" {
				field = "group"
			}
			if err := keys(cp, co, "objectType "+field+" relevantTypes", "objectType "+field); err != nil {
				return err
			}
			if err := actor(cp+"."+field, co[field]); err != nil {
				return err
			}
		}
	}
	return nil
}

func attachments(path string, v any) error {
	list, ok := v.([]any)
	if !ok {
		return bad(path, "must be a list")
	}
	for i, a := range list {
		ap := fmt.Sprintf("%s[%d]", path, i)
		o, err := asObj(ap, a)
		if err != nil {
			return err
		}
		if err := keys(ap, o, "usageType display description contentType length sha2 fileUrl", "usageType display contentType length sha2"); err != nil {
			return err
		}
		if _, err := iri(ap+".usageType", o["usageType"]); err != nil {
			return err
		}
		if _, err := langMap(ap+".display", o["display"]); err != nil {
			return err
		}
		if d, ok := o["description"]; ok {
			if _, err := langMap(ap+".description", d); err != nil {
				return err
			}
		}
		if _, err := asString(ap+".contentType", o["contentType"]); err != nil {
			return err
		}
		n, err := number(ap+".length", o["length"])
		if err != nil || n != float64(int64(n)) || n < 0 {
			return bad(ap+".length", "must be a whole number of bytes")
		}
		if _, err := asString(ap+".sha2", o["sha2"]); err != nil {
			return err
		}
		if f, ok := o["fileUrl"]; ok {
			if _, err := irl(ap+".fileUrl", f); err != nil {
				return err
			}
		}
	}
	return nil
}

// statementBody validates a statement or (sub) a SubStatement.
func statementBody(path string, o obj, sub bool) error {
	allowed := "id actor verb object result context timestamp stored authority version attachments"
	if sub {
		allowed = "objectType actor verb object result context timestamp attachments"
	}
	if err := keys(path, o, allowed, "actor verb object"); err != nil {
		return err
	}
	if e, ok := o["id"]; ok {
		if _, err := uuid(path+".id", e); err != nil {
			return err
		}
	}
	if err := actor(path+".actor", o["actor"]); err != nil {
		return err
	}
	verbID, err := verb(path+".verb", o["verb"])
	if err != nil {
		return err
	}
	kind, err := object(path+".object", o["object"], sub)
	if err != nil {
		return err
	}
	if verbID == voidedVerb && kind != "StatementRef" {
		return bad(path+".object", "a voiding statement's object must be a StatementRef (1.0.3 Data 2.3.2)")
	}
	if e, ok := o["result"]; ok {
		if err := result(path+".result", e); err != nil {
			return err
		}
	}
	if e, ok := o["context"]; ok {
		if err := statementContext(path+".context", e, kind); err != nil {
			return err
		}
	}
	for _, k := range []string{"timestamp", "stored"} {
		if e, ok := o[k]; ok {
			if _, err := timestamp(path+"."+k, e); err != nil {
				return err
			}
		}
	}
	if e, ok := o["authority"]; ok {
		if err := authority(path+".authority", e); err != nil {
			return err
		}
	}
	if e, ok := o["version"]; ok {
		s, err := asString(path+".version", e)
		if err != nil {
			return err
		}
		if !versionRE.MatchString(s) {
			return bad(path+".version", "%q is not a 1.0.x or 2.0.x version", s)
		}
	}
	if e, ok := o["attachments"]; ok {
		if err := attachments(path+".attachments", e); err != nil {
			return err
		}
	}
	return nil
}

const voidedVerb = "http://adlnet.gov/expapi/verbs/voided"

// authority is an Agent, or an anonymous Group of exactly two Agents (an
// OAuth consumer and a user; 1.0.3 Data 2.4.9).
func authority(path string, v any) error {
	if err := actor(path, v); err != nil {
		return err
	}
	o := v.(obj)
	if o["objectType"] != "Group" {
		return nil
	}
	if n, _ := agentIFIs(path, o); n != 0 {
		return bad(path, "an authority Group is anonymous (two Agents: an OAuth consumer and a user)")
	}
	if members, _ := o["member"].([]any); len(members) != 2 {
		return bad(path+".member", "an authority Group has exactly two Agents")
	}
	return nil
}
