package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// The OpenAPI 3 document of /api/v1, built from the table below (one entry
// per route; a test checks it against the registered routes both ways).

type apiParam struct {
	name, in, typ, desc string
	required            bool
}

type apiOp struct {
	method, path, tag, summary string
	// auth: "public", "signed-in", "hr/admin", "admin", "local".
	auth   string
	params []apiParam
	// body: a component schema name, "multipart:<fields>" or "".
	body string
	// ok: status and response schema ("" for no content, "file" for a download).
	okStatus string
	ok       string
}

func q(name, typ, desc string) apiParam {
	return apiParam{name: name, in: "query", typ: typ, desc: desc}
}
func pp(name, desc string) apiParam {
	return apiParam{name: name, in: "path", typ: "string", desc: desc, required: true}
}

var (
	asOfQ   = q("as_of", "date", "Evaluation date (YYYY-MM-DD); default today in Europe/London.")
	unitQ   = q("unit", "string", `Unit path, parts joined by " / "; "" is the whole force.`)
	courseQ = q("course", "string", "Course ID (repeat or comma-separate for several).")
	limitQ  = q("limit", "integer", "At most this many entries.")
)

var apiOps = []apiOp{
	{"POST", "/login", "auth", "Sign in; sets the session cookie and returns the CSRF token.", "public", nil, "LoginRequest", "200", "Session"},
	{"POST", "/logout", "auth", "End the session.", "signed-in", nil, "", "204", ""},
	{"GET", "/session", "auth", "Who is signed in, with the CSRF token of a session.", "signed-in", nil, "", "200", "Session"},
	{"GET", "/me/{token}", "officers", "An officer's own status, through their signed link.", "public", []apiParam{pp("token", "Signed, expiring officer link token.")}, "", "200", "OfficerSelf"},
	{"POST", "/cli", "operations", "Run a muster CLI command in the server (CLI forwarding; local token only). Body: stdout; header X-Muster-Exit: exit code.", "local", nil, "multipart:arg,file", "200", "text"},

	{"GET", "/compliance", "compliance", "The compliance report (COMPLIANCE.md contract).", "signed-in", []apiParam{asOfQ, unitQ, courseQ}, "", "200", "Report"},
	{"GET", "/compliance/export", "compliance", "The compliance report as xlsx (summary, chart, overdue lists) or csv.", "signed-in", []apiParam{q("format", "string", "xlsx (default) or csv."), asOfQ, unitQ, courseQ}, "", "200", "file"},
	{"GET", "/officers", "officers", "Officers within scope with their status on every course; format=csv|xlsx exports the whole list.", "signed-in",
		[]apiParam{unitQ, q("status", "string", "compliant, overdue, due_soon, outstanding, exempt or not_required."), q("course", "string", "Test status on this course only."),
			q("q", "string", "Officer ID or words of the name."), asOfQ, q("leavers", "boolean", "Include leavers."), q("offset", "integer", "Skip this many."), limitQ,
			q("format", "string", "json (default), csv or xlsx.")}, "", "200", "OfficerList"},
	{"GET", "/officers/{id}", "officers", "One officer: status, completions and exemptions.", "signed-in", []apiParam{pp("id", "Officer ID."), asOfQ}, "", "200", "OfficerDetail"},
	{"POST", "/completions", "officers", "Record completions from a learning platform (all or none).", "hr/admin", nil, "CompletionList", "201", "CompletionsRecorded"},
	{"GET", "/trend", "compliance", "A unit's daily figures from the snapshots.", "signed-in", []apiParam{unitQ, q("from", "date", "First day (default a year before to)."), q("to", "date", "Last day (default today).")}, "", "200", "Trend"},

	{"POST", "/imports", "imports", "Import a roster file; dry_run=true previews and keeps the file for confirm.", "hr/admin", nil, "multipart:file,full,dry_run,strict,sheet,confirm_leavers", "200", "ImportReport"},
	{"GET", "/imports", "imports", "The import log, newest first.", "hr/admin", []apiParam{limitQ}, "", "200", "ImportList"},
	{"GET", "/imports/{id}", "imports", "One import's report (logged, or a kept preview).", "hr/admin", []apiParam{pp("id", "Import ID.")}, "", "200", "ImportReport"},
	{"GET", "/imports/{id}/errors.xlsx", "imports", "An import's problems as a workbook.", "hr/admin", []apiParam{pp("id", "Import ID.")}, "", "200", "file"},
	{"POST", "/imports/{id}/confirm", "imports", "Apply a kept dry-run preview.", "hr/admin", []apiParam{pp("id", "The preview's import ID."), q("confirm_leavers", "boolean", "Answer the 20% leaver guard.")}, "", "201", "ImportReport"},

	{"GET", "/courses", "courses", "Every course.", "signed-in", nil, "", "200", "CourseList"},
	{"PUT", "/courses", "courses", "Create or replace these courses at once.", "hr/admin", nil, "CourseList", "200", "CourseList"},
	{"PUT", "/courses/{id}", "courses", "Create or replace one course.", "hr/admin", []apiParam{pp("id", "Course ID.")}, "Course", "200", "Course"},

	{"GET", "/users", "accounts", "Every account.", "admin", nil, "", "200", "UserList"},
	{"POST", "/users", "accounts", "Add an account (without password: a one-time password is returned once).", "admin", nil, "UserInput", "201", "UserCreated"},
	{"PATCH", "/users/{username}", "accounts", "Change an account's role, email, units, officer link, password or disabled flag.", "admin", []apiParam{pp("username", "")}, "UserInput", "200", "User"},
	{"DELETE", "/users/{username}", "accounts", "Delete an account with its sessions and tokens.", "admin", []apiParam{pp("username", "")}, "", "204", ""},
	{"POST", "/users/{username}/reset", "accounts", "Set a one-time password, returned once.", "admin", []apiParam{pp("username", "")}, "", "200", "UserCreated"},
	{"GET", "/users/{username}/tokens", "accounts", "A user's API tokens (no secrets).", "admin", []apiParam{pp("username", "")}, "", "200", "TokenList"},
	{"POST", "/users/{username}/tokens", "accounts", "Issue an API token; the secret is shown once.", "admin", []apiParam{pp("username", "")}, "TokenInput", "201", "TokenCreated"},
	{"DELETE", "/users/{username}/tokens/{id}", "accounts", "Revoke a token.", "admin", []apiParam{pp("username", ""), pp("id", "Token ID.")}, "", "204", ""},

	{"GET", "/jobs", "jobs", "The scheduled jobs (enabled is false when jobs are off).", "hr/admin", nil, "", "200", "Jobs"},
	{"GET", "/jobs/runs", "jobs", "Job runs, newest first.", "hr/admin", []apiParam{q("job", "string", "Only this job."), limitQ}, "", "200", "JobRunList"},
	{"POST", "/jobs/{name}/run", "jobs", "Run a job now.", "admin", []apiParam{pp("name", "Job name."), q("dry_run", "boolean", "Plan without sending."), asOfQ}, "", "200", "JobRun"},
	{"GET", "/outbox", "jobs", "Outbox messages, newest first.", "hr/admin", []apiParam{q("state", "string", "queued, sent or failed."), limitQ}, "", "200", "MessageList"},
	{"GET", "/remind", "jobs", "Who would get which reminder (nothing is sent).", "hr/admin", []apiParam{asOfQ}, "", "200", "ReminderPlan"},
	{"GET", "/openapi.json", "operations", "This document.", "public", nil, "", "200", "object"},
}

func obj(props map[string]any, required ...string) map[string]any {
	m := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		m["required"] = required
	}
	return m
}

func ref(name string) map[string]any { return map[string]any{"$ref": "#/components/schemas/" + name} }
func arr(items any) map[string]any   { return map[string]any{"type": "array", "items": items} }

var (
	str   = map[string]any{"type": "string"}
	date  = map[string]any{"type": "string", "format": "date", "description": "YYYY-MM-DD; empty when unset"}
	dtime = map[string]any{"type": "string", "format": "date-time"}
	integ = map[string]any{"type": "integer"}
	boo   = map[string]any{"type": "boolean"}
	free  = map[string]any{"type": "object", "additionalProperties": true}
)

func openAPISchemas() map[string]any {
	counts := map[string]any{"required": integ, "compliant": integ, "overdue": integ, "due_soon": integ, "outstanding": integ, "exempt": integ}
	figures := map[string]any{"course": str, "title": str, "percent": map[string]any{"type": "number", "nullable": true, "description": "one decimal; null when required is 0"}}
	for k, v := range counts {
		figures[k] = v
	}
	officer := obj(map[string]any{"id": str, "display_id": str, "name": str, "email": str, "email_invalid": boo, "rank": str, "unit": str,
		"line_manager": str, "start_date": date, "first_seen": date, "leaver": boo, "left_on": date, "source": free})
	courseStatus := obj(map[string]any{"course": str, "status": str, "completion": free, "expires": date, "due": date, "exemption": free})
	officerStatus := obj(map[string]any{"officer": ref("Officer"), "courses": arr(ref("CourseStatus"))})
	user := obj(map[string]any{"username": str, "role": map[string]any{"type": "string", "enum": []string{"admin", "hr", "manager"}},
		"email": str, "units": arr(str), "officer_id": str, "disabled": boo, "created": dtime, "must_change_password": boo})
	token := obj(map[string]any{"id": str, "name": str, "username": str, "created": dtime, "expires": dtime})
	course := obj(map[string]any{"id": str, "title": str, "aliases": arr(str), "deadline": date, "due_within_days": integ,
		"valid_for_months": integ, "due_soon_days": integ, "url": str}, "id", "title")
	return map[string]any{
		"Error": obj(map[string]any{"error": obj(map[string]any{
			"code":    map[string]any{"type": "string", "enum": []string{"invalid", "not_found", "conflict", "forbidden", "unauthorized", "unavailable", "too_large", "rate_limited", "internal"}},
			"message": str}, "code", "message")}, "error"),
		"LoginRequest":  obj(map[string]any{"username": str, "password": str}, "username", "password"),
		"Session":       obj(map[string]any{"user": ref("User"), "csrf_token": str, "expires": dtime}),
		"CourseFigures": obj(figures),
		"ReportNode": obj(map[string]any{"unit": str, "courses": arr(ref("CourseFigures")),
			"units": arr(ref("ReportNode"))}),
		"Report":              map[string]any{"allOf": []any{ref("ReportNode"), obj(map[string]any{"as_of": date})}},
		"Officer":             officer,
		"CourseStatus":        courseStatus,
		"OfficerStatus":       officerStatus,
		"OfficerList":         obj(map[string]any{"as_of": date, "total": integ, "offset": integ, "limit": integ, "officers": arr(ref("OfficerStatus"))}),
		"OfficerDetail":       map[string]any{"allOf": []any{ref("OfficerStatus"), obj(map[string]any{"as_of": date, "completions": arr(free), "exemptions": arr(free)})}},
		"OfficerSelf":         obj(map[string]any{"as_of": date, "name": str, "display_id": str, "unit": str, "courses": arr(obj(map[string]any{"course": str, "title": str, "url": str, "status": str, "completed": date, "date_unknown": boo, "expires": date, "due": date, "exempt_until": date}))}),
		"CompletionList":      arr(obj(map[string]any{"officer_id": str, "course": map[string]any{"type": "string", "description": "course ID, title or alias"}, "date": date}, "officer_id", "course", "date")),
		"CompletionsRecorded": obj(map[string]any{"import_id": str, "recorded": integ, "revision": integ}),
		"Trend":               obj(map[string]any{"unit": str, "from": date, "to": date, "points": arr(obj(map[string]any{"date": date, "courses": arr(ref("CourseFigures"))}))}),
		"ImportReport":        map[string]any{"type": "object", "description": "importers.Report: import_id, outcome, file_name, file_hash, full, dry_run, detection, summary, changes, problems, needs_confirmation, message", "additionalProperties": true},
		"ImportList":          arr(obj(map[string]any{"id": str, "kind": str, "file_name": str, "file_hash": str, "by": str, "at": dtime, "outcome": str, "summary": free})),
		"Course":              course,
		"CourseList":          arr(ref("Course")),
		"User":                user,
		"UserList":            arr(ref("User")),
		"UserInput":           obj(map[string]any{"username": str, "password": str, "role": str, "email": str, "units": arr(str), "officer_id": str, "disabled": boo}),
		"UserCreated":         obj(map[string]any{"user": ref("User"), "password": map[string]any{"type": "string", "description": "generated one-time password, shown once"}}),
		"Token":               token,
		"TokenList":           arr(ref("Token")),
		"TokenInput":          obj(map[string]any{"name": str, "expires_in_days": integ}, "name"),
		"TokenCreated":        obj(map[string]any{"token": ref("Token"), "secret": map[string]any{"type": "string", "description": "send as Authorization: Bearer <secret>; shown once"}}),
		"Jobs":                obj(map[string]any{"enabled": boo, "jobs": arr(str)}),
		"JobRun":              obj(map[string]any{"id": str, "job": str, "dry_run": boo, "started": dtime, "finished": dtime, "counts": free, "errors": arr(str), "error": str}),
		"JobRunList":          arr(ref("JobRun")),
		"MessageList":         arr(obj(map[string]any{"id": str, "message_id": str, "kind": str, "to": str, "subject": str, "state": str, "attempts": integ, "last_error": str, "created": dtime, "next_attempt": dtime, "sent": dtime})),
		"ReminderPlan":        free,
	}
}

var errorResponses = map[string]string{
	"400": "Invalid input", "401": "Not signed in", "403": "Not allowed", "404": "Not found",
	"409": "Conflict", "413": "Too large", "429": "Too many attempts", "503": "Unavailable",
}

// openAPIDocument builds the document from apiOps.
func openAPIDocument() map[string]any {
	paths := map[string]any{}
	for _, op := range apiOps {
		item, _ := paths[op.path].(map[string]any)
		if item == nil {
			item = map[string]any{}
			paths[op.path] = item
		}
		o := map[string]any{"tags": []string{op.tag}, "summary": op.summary, "description": "Who may call: " + op.auth + "."}
		switch op.auth {
		case "public":
			o["security"] = []any{}
		case "local":
			o["security"] = []any{map[string]any{"localToken": []string{}}}
		}
		var params []any
		for _, p := range op.params {
			typ := map[string]any{"type": p.typ}
			if p.typ == "date" {
				typ = map[string]any{"type": "string", "format": "date"}
			}
			params = append(params, map[string]any{"name": p.name, "in": p.in, "required": p.required, "description": p.desc, "schema": typ})
		}
		if params != nil {
			o["parameters"] = params
		}
		switch {
		case strings.HasPrefix(op.body, "multipart:"):
			props := map[string]any{}
			for _, f := range strings.Split(strings.TrimPrefix(op.body, "multipart:"), ",") {
				props[f] = str
				if f == "file" {
					props[f] = map[string]any{"type": "string", "format": "binary"}
				}
			}
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{"schema": obj(props)}}}
		case op.body != "":
			o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": ref(op.body)}}}
		}
		responses := map[string]any{}
		switch op.ok {
		case "":
			responses[op.okStatus] = map[string]any{"description": "Done"}
		case "file":
			responses[op.okStatus] = map[string]any{"description": "A download", "content": map[string]any{
				"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}},
				"text/csv": map[string]any{"schema": str}}}
		case "text":
			responses[op.okStatus] = map[string]any{"description": "The command's output", "content": map[string]any{"text/plain": map[string]any{"schema": str}},
				"headers": map[string]any{"X-Muster-Exit": map[string]any{"description": "exit code", "schema": integ}}}
		case "object":
			responses[op.okStatus] = map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": free}}}
		default:
			responses[op.okStatus] = map[string]any{"description": "OK", "content": map[string]any{"application/json": map[string]any{"schema": ref(op.ok)}}}
		}
		for code, desc := range errorResponses {
			responses[code] = map[string]any{"description": desc, "content": map[string]any{"application/json": map[string]any{"schema": ref("Error")}}}
		}
		o["responses"] = responses
		item[strings.ToLower(op.method)] = o
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "Muster API", "version": "1",
			"description": "Mandatory training compliance. Authenticate with a session cookie (plus X-CSRF-Token on unsafe requests) or Authorization: Bearer <API token>. Errors are {\"error\":{\"code\",\"message\"}}."},
		"servers":  []any{map[string]any{"url": "/api/v1"}},
		"security": []any{map[string]any{"bearer": []string{}}, map[string]any{"session": []string{}}},
		"paths":    paths,
		"components": map[string]any{
			"schemas": openAPISchemas(),
			"securitySchemes": map[string]any{
				"bearer":     map[string]any{"type": "http", "scheme": "bearer", "description": "API token (mst_…)"},
				"session":    map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie},
				"localToken": map[string]any{"type": "http", "scheme": "bearer", "description": "the server's local CLI token"},
			},
		},
	}
}

var openAPIJSON = sync.OnceValues(func() ([]byte, error) { return json.MarshalIndent(openAPIDocument(), "", "  ") })

// openAPI serves the API description.
func (s *Server) openAPI(c echo.Context) error {
	b, err := openAPIJSON()
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, b)
}
