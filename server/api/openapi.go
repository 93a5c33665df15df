package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
)

// The OpenAPI 3 document of /api/v1, built from the table below (one entry
// per route; a test checks it against the registered routes both ways).

type apiParam struct {
	name, in, typ, desc string
	required            bool
}

type apiOp struct {
	method, path, tag, summary string
	// auth: "public", "signed-in", "manager/hr/admin" (figures: not a
	// trainer), "trainer/hr/admin" (registers), "hr/admin", "admin", "local".
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

	{"GET", "/compliance", "compliance", "The compliance report (COMPLIANCE.md contract).", "manager/hr/admin", []apiParam{asOfQ, unitQ, courseQ}, "", "200", "Report"},
	{"GET", "/compliance/export", "compliance", "The compliance report as xlsx (summary, chart, overdue lists) or csv.", "manager/hr/admin", []apiParam{q("format", "string", "xlsx (default) or csv."), asOfQ, unitQ, courseQ}, "", "200", "file"},
	{"GET", "/officers", "officers", "Officers within scope with their status on every course, sorted by unit, name and ID, a page at a time (limit, at most 1,000; default 100): follow next_cursor or prev_cursor with ?cursor= and the same other parameters; a cursor stays valid while completions are posted (nobody who stays in the list is skipped or shown twice). A cursor that is cut short, changed, or made for other filters, another date or another user is a 400 (invalid, field cursor): start again without it. format=csv|xlsx streams the whole list.", "manager/hr/admin",
		[]apiParam{unitQ, q("status", "string", "compliant, overdue, due_soon, outstanding, exempt or not_required."), q("course", "string", "Test status on this course only."),
			q("q", "string", "Officer ID or words of the name."), asOfQ, q("leavers", "boolean", "Include leavers."),
			q("cursor", "string", "Opaque: a next_cursor or prev_cursor of this list; omit for the first page."), q("offset", "integer", "Skip this many (after the cursor's place)."), limitQ,
			q("format", "string", "json (default), csv or xlsx.")}, "", "200", "OfficerList"},
	{"GET", "/officers/{id}", "officers", "One officer: status, completions and exemptions.", "manager/hr/admin", []apiParam{pp("id", "Officer ID."), asOfQ}, "", "200", "OfficerDetail"},
	{"POST", "/officers/{id}/links/revoke", "officers", "End every signed link of this officer issued until now (links sent later work).", "hr/admin", []apiParam{pp("id", "Officer ID.")}, "", "200", "object"},
	{"POST", "/completions", "officers", "Record completions from a learning platform (all or none); answered once durable. A client's posts within one hour (UTC) share one import log entry, whose ID is import_id.", "hr/admin", nil, "CompletionList", "201", "CompletionsRecorded"},
	{"GET", "/xapi/waiting", "officers", "xAPI statements waiting for a person or a course (unmatched, or an orphan completion of an officer ID not on the roster yet), oldest first, at most 1,000. The statements resource itself is /xapi/statements (docs/xapi.md).", "hr/admin", nil, "", "200", "object"},
	{"POST", "/xapi/rematch", "officers", "Look at the waiting xAPI statements again and record those that now match (after adding people, or an activity IRI to a course's activity_ids).", "hr/admin", nil, "", "200", "object"},
	{"GET", "/trend", "compliance", "A unit's daily figures from the snapshots.", "manager/hr/admin", []apiParam{unitQ, q("from", "date", "First day (default a year before to)."), q("to", "date", "Last day (default today).")}, "", "200", "Trend"},

	{"GET", "/matrix", "compliance", "The team matrix: the people of a unit (within what the caller may see) × every course, each cell the status training.Evaluate decides with its dates. Leavers are left out; a unit of more than 5,000 people is refused (400, field unit): ask for a unit below it.", "manager/hr/admin", []apiParam{unitQ, asOfQ, q("status", "string", "Only people with at least one course in this status (compliant, overdue, due_soon, outstanding, exempt, not_required)."), q("sort", "string", "overdue (default: most days overdue first), name or unit.")}, "", "200", "Matrix"},
	{"GET", "/requests", "requests", "Officers' requests (more time, done elsewhere) the caller may decide, newest first: managers those sent to them about people in their scope, HR and admins all. Each says may_decide.", "signed-in", []apiParam{q("show", "string", "open (default: waiting for a decision) or all (decided and lapsed too).")}, "", "200", "RequestList"},
	{"POST", "/requests/{id}/decision", "requests", "Approve or decline a request (decline needs a reason). Approving more time moves the officer's due date; approving a claim (HR and admins only) records the completion. 404 for a request about someone the caller cannot see, 403 for one they may see but not decide, 409 when already decided or lapsed.", "signed-in", []apiParam{pp("id", "Request ID.")}, "DecisionInput", "200", "Request"},

	{"POST", "/imports", "imports", "Import a roster file; dry_run=true previews and keeps the file for confirm. map (repeated HEADER=FIELD) says what columns hold; save_mapping keeps that under a name; course is the course of a one-course file.", "hr/admin", nil, "multipart:file,full,dry_run,strict,sheet,confirm,confirm_leavers,course,map,save_mapping", "200", "ImportReport"},
	{"GET", "/imports", "imports", "The import log, newest first.", "hr/admin", []apiParam{limitQ}, "", "200", "ImportList"},
	{"GET", "/imports/{id}", "imports", "One import's report (logged, or a kept preview).", "hr/admin", []apiParam{pp("id", "Import ID.")}, "", "200", "ImportReport"},
	{"GET", "/imports/{id}/errors.xlsx", "imports", "An import's problems as a workbook.", "hr/admin", []apiParam{pp("id", "Import ID.")}, "", "200", "file"},
	{"POST", "/imports/{id}/confirm", "imports", "Apply a kept dry-run preview (with the column choices it was previewed with).", "hr/admin", []apiParam{pp("id", "The preview's import ID."), q("confirm", "boolean", "Answer the guards (leavers, unknown IDs, many changes)."), q("confirm_leavers", "boolean", "The same as confirm.")}, "", "201", "ImportReport"},
	{"GET", "/mappings", "imports", "Saved column mappings, and the fields a column can be mapped to.", "hr/admin", nil, "", "200", "MappingList"},
	{"DELETE", "/mappings/{name}", "imports", "Forget a saved column mapping.", "hr/admin", []apiParam{pp("name", "The mapping's name.")}, "", "204", ""},

	{"GET", "/courses", "courses", "Every course.", "signed-in", nil, "", "200", "CourseList"},
	{"PUT", "/courses", "courses", "Create or replace these courses at once. A change of who must do a course that alters more than 20% of its required people needs ?confirm=true (else 409).", "hr/admin", []apiParam{q("confirm", "boolean", "Confirm a change of more than 20% of a course's required people.")}, "CourseList", "200", "CourseList"},
	{"PUT", "/courses/{id}", "courses", "Create or replace one course. A change of who must do it that alters more than 20% of its required people needs ?confirm=true (else 409).", "hr/admin", []apiParam{pp("id", "Course ID."), q("confirm", "boolean", "Confirm a change of more than 20% of the course's required people.")}, "Course", "200", "Course"},
	{"POST", "/courses/preview", "courses", "What PUT /courses with this body would change: per course, who becomes required, who stops, who is overdue at once, by unit; and whether it needs confirm=true. Writes nothing.", "hr/admin", nil, "CourseList", "200", "CoursePlan"},

	{"GET", "/registers", "registers", "The classroom registers the caller may see, newest first (a trainer's own; every one for HR and admins), with whether the caller may still withdraw each.", "trainer/hr/admin", nil, "", "200", "RegisterList"},
	{"POST", "/registers/preview", "registers", "What saving this register would record: each ID's name and unit, unknown IDs, people not required to do the course, people already compliant. Writes nothing.", "trainer/hr/admin", nil, "RegisterInput", "200", "RegisterPreview"},
	{"POST", "/registers", "registers", "Save a register: one completion per known attendee, the register as its source. Needs confirm (true in the body, or ?confirm=true), else 409 on the field confirm.", "trainer/hr/admin", []apiParam{q("confirm", "boolean", "Confirm the register after looking at its preview.")}, "RegisterInput", "201", "Register"},
	{"POST", "/registers/{id}/withdraw", "registers", "Withdraw a register within 14 days of saving it: exactly the completions it added are taken back (409 when already withdrawn or too late; a trainer may withdraw only their own).", "trainer/hr/admin", []apiParam{pp("id", "Register ID.")}, "", "200", "Register"},

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
	{"GET", "/outbox/status", "jobs", "Whether the mail relay answers, and the outbox's counts by state.", "hr/admin", nil, "", "200", "OutboxStatus"},
	{"POST", "/outbox/{id}/requeue", "jobs", "Put a failed message back in the queue (409 unless failed).", "admin", []apiParam{pp("id", "Message ID.")}, "", "200", "Message"},
	{"POST", "/outbox/requeue-failed", "jobs", "Put every failed message back in the queue.", "admin", nil, "", "200", "Requeued"},
	{"GET", "/remind", "jobs", "Who would get which reminder (nothing is sent).", "hr/admin", []apiParam{asOfQ}, "", "200", "ReminderPlan"},
	{"GET", "/audit", "audit", "Search the audit trail, newest first: one page as JSON, or every match as csv.", "admin", []apiParam{
		q("actor", "string", "Username, system or cli."), q("action", "string", "One of the audit vocabulary (README, Audit)."),
		q("officer", "string", "Events about this officer ID."), q("from", "string", "YYYY-MM-DD or RFC 3339, inclusive."),
		q("to", "string", "YYYY-MM-DD (inclusive day) or RFC 3339 (exclusive)."), q("limit", "integer", "Page size, 1 to 1000 (default 100)."),
		q("cursor", "string", "The next value of the previous page."), q("format", "string", "json (default) or csv.")}, "", "200", "AuditPage"},
	{"GET", "/officers/{id}/subject-access", "audit", "Everything held about one officer (subject access), as one file; the export is audited.", "admin",
		[]apiParam{pp("id", "Officer ID."), q("format", "string", "json (default) or xlsx.")}, "", "200", "SubjectAccess"},
	{"GET", "/openapi.json", "operations", "This document.", "public", nil, "", "200", "object"},
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
				"session":    map[string]any{"type": "apiKey", "in": "cookie", "name": web.SessionCookie},
				"localToken": map[string]any{"type": "http", "scheme": "bearer", "description": "the server's local CLI token"},
			},
		},
	}
}

var openAPIJSON = sync.OnceValues(func() ([]byte, error) { return json.MarshalIndent(openAPIDocument(), "", "  ") })

// OpenAPI serves the API description.
func (s *Handler) OpenAPI(c echo.Context) error {
	b, err := openAPIJSON()
	if err != nil {
		return err
	}
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, b)
}
