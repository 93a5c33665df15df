package api

// The component schemas of the OpenAPI document (openapi.go).

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
		"line_manager": str, "start_date": date, "first_seen": date, "leaver": boo, "left_on": date, "source": free,
		"role": str, "staff_type": map[string]any{"type": "string", "enum": []string{"officer", "staff", "special", "pcso", "volunteer"}},
		"in_post_since": date, "required_since": map[string]any{"type": "object", "additionalProperties": date,
			"description": "per course ID, the date the person's requirement began when it is not their start date (docs/COMPLIANCE.md)"}})
	courseStatus := obj(map[string]any{"course": str, "status": str, "completion": free, "expires": date, "due": date, "exemption": free})
	officerStatus := obj(map[string]any{"officer": ref("Officer"), "courses": arr(ref("CourseStatus"))})
	user := obj(map[string]any{"username": str, "role": map[string]any{"type": "string", "enum": []string{"admin", "hr", "manager", "trainer"}},
		"email": str, "units": arr(str), "officer_id": str, "disabled": boo, "created": dtime, "must_change_password": boo})
	token := obj(map[string]any{"id": str, "name": str, "username": str, "created": dtime, "expires": dtime})
	rule := obj(map[string]any{"unit": arr(str), "staff_type": arr(str), "rank": arr(str), "role": arr(str)})
	course := obj(map[string]any{"id": str, "title": str, "aliases": arr(str), "activity_ids": arr(str), "deadline": date, "due_within_days": integ,
		"valid_for_months": integ, "due_soon_days": integ, "url": str, "renew_within_days": integ, "max_extension_days": integ,
		"escalate_after_days": map[string]any{"type": "integer", "minimum": 0, "maximum": 3650,
			"description": "days overdue after which a person is escalated to their line manager's manager and the unit above (docs/COMPLIANCE.md); 0 or absent: never"},
		"audience": obj(map[string]any{"include": arr(rule), "exclude": arr(rule)})}, "id", "title")
	unitChange := obj(map[string]any{"unit": str, "joining": integ, "leaving": integ, "overdue_at_once": integ})
	courseChange := obj(map[string]any{"course": str, "as_of": date, "new": boo, "required_before": integ, "required_after": integ,
		"joining": integ, "leaving": integ, "overdue_at_once": integ, "units": arr(unitChange)})
	register := obj(map[string]any{"id": str, "course_id": str, "date": date, "place": str, "attendees": arr(str), "by": str, "at": dtime,
		"added": integ, "withdrawn": boo, "withdrawn_by": str, "withdrawn_at": dtime, "withdraw_until": date, "can_withdraw": boo})
	registerLine := obj(map[string]any{"given": str, "id": str, "name": str, "unit": str, "unknown": boo, "not_required": boo, "compliant": boo})
	return map[string]any{
		"RegisterInput": obj(map[string]any{"course": map[string]any{"type": "string", "description": "course ID, title or alias"},
			"date": date, "place": str, "ids": map[string]any{"type": "string", "description": "IDs separated by new lines, commas, semicolons, spaces or tabs; repeats count once"},
			"ticked": arr(str), "confirm": boo}, "course", "date", "place"),
		"RegisterPreview": obj(map[string]any{"course": str, "date": date, "place": str, "lines": arr(registerLine),
			"recorded": integ, "unknown": integ, "not_required": integ, "compliant": integ}),
		"Register":     register,
		"RegisterList": arr(ref("Register")),
		"Error": obj(map[string]any{"error": obj(map[string]any{
			"code":    map[string]any{"type": "string", "enum": []string{"invalid", "not_found", "conflict", "forbidden", "unauthorized", "unavailable", "too_large", "rate_limited", "internal"}},
			"message": str}, "code", "message")}, "error"),
		"LoginRequest":  obj(map[string]any{"username": str, "password": str}, "username", "password"),
		"Session":       obj(map[string]any{"user": ref("User"), "csrf_token": str, "expires": dtime}),
		"CourseFigures": obj(figures),
		"ReportNode": obj(map[string]any{
			"unit": map[string]any{"type": "string", "nullable": true,
				"description": `unit path ("" = whole force); null on a node that is not one unit (a manager's "Your units" root or "Your reporting line"), see docs/COMPLIANCE.md`},
			"label":   map[string]any{"type": "string", "description": "present when unit is null: what the node counts"},
			"courses": arr(ref("CourseFigures")),
			"units":   arr(ref("ReportNode"))}),
		"Report":              map[string]any{"allOf": []any{ref("ReportNode"), obj(map[string]any{"as_of": date})}},
		"Officer":             officer,
		"CourseStatus":        courseStatus,
		"OfficerStatus":       officerStatus,
		"OfficerList":         obj(map[string]any{"as_of": date, "total": integ, "offset": integ, "limit": integ, "officers": arr(ref("OfficerStatus")), "next_cursor": str, "prev_cursor": str}),
		"OfficerDetail":       map[string]any{"allOf": []any{ref("OfficerStatus"), obj(map[string]any{"as_of": date, "completions": arr(free), "exemptions": arr(free)})}},
		"OfficerSelf":         obj(map[string]any{"as_of": date, "name": str, "display_id": str, "unit": str, "courses": arr(obj(map[string]any{"course": str, "title": str, "url": str, "status": str, "completed": date, "date_unknown": boo, "expires": date, "due": date, "exempt_until": date}))}),
		"CompletionList":      arr(obj(map[string]any{"officer_id": str, "course": map[string]any{"type": "string", "description": "course ID, title or alias"}, "date": date}, "officer_id", "course", "date")),
		"CompletionsRecorded": obj(map[string]any{"import_id": str, "recorded": integ, "revision": integ}),
		"Matrix": obj(map[string]any{"unit": str, "as_of": date, "sort": str, "status": str, "people": integ,
			"courses": arr(obj(map[string]any{"id": str, "title": str})),
			"rows": arr(obj(map[string]any{"person": obj(map[string]any{"id": str, "display_id": str, "name": str, "rank": str, "unit": str}),
				"days_overdue": integ, "overdue": integ, "due_soon": integ,
				"cells": arr(obj(map[string]any{"course": str, "status": str, "label": str, "detail": str, "class": str, "due": date, "completed": date, "expires": date, "exempt_until": date}))}))}),
		"Request": obj(map[string]any{"id": str, "kind": str, "officer_id": str, "course_id": str, "until": date, "reason": str, "done": date, "where": str,
			"certificate": obj(map[string]any{"name": str, "type": str}), "due": date, "deciders": arr(str), "created": dtime, "state": str,
			"decided_by": str, "decided_by_name": str, "decided": dtime, "decline_reason": str}),
		"RequestList": obj(map[string]any{"requests": arr(obj(map[string]any{"id": str, "kind": str, "officer_id": str, "course_id": str,
			"until": date, "reason": str, "done": date, "where": str, "certificate": obj(map[string]any{"name": str, "type": str}), "due": date,
			"deciders": arr(str), "created": dtime, "state": str, "decided_by": str, "decided_by_name": str, "decided": dtime, "decline_reason": str,
			"officer_name": str, "unit": str, "course_title": str, "state_now": str, "words": str, "may_decide": boo}))}),
		"DecisionInput": obj(map[string]any{"decision": str, "reason": str}),
		"Trend":         obj(map[string]any{"unit": str, "from": date, "to": date, "points": arr(obj(map[string]any{"date": date, "courses": arr(ref("CourseFigures"))}))}),
		"ImportReport":  map[string]any{"type": "object", "description": "importers.Report: import_id, outcome, file_name, file_hash, full, dry_run, detection, summary, changes (posts: changes of role, staff type or in-post date), problems, needs_confirmation, message", "additionalProperties": true},
		"ImportList":    arr(obj(map[string]any{"id": str, "kind": str, "file_name": str, "file_hash": str, "by": str, "at": dtime, "outcome": str, "summary": free})),
		"MappingList": obj(map[string]any{
			"mappings": arr(obj(map[string]any{"name": str, "headers": arr(str), "rules": arr(obj(map[string]any{"header": str, "field": str})), "course": str, "by": str, "at": dtime})),
			"fields":   arr(obj(map[string]any{"field": str, "label": str}))}),
		"Course":       course,
		"CourseList":   arr(ref("Course")),
		"CoursePlan":   obj(map[string]any{"changes": arr(courseChange), "unchanged": integ, "needs_confirmation": boo, "summary": str}),
		"User":         user,
		"UserList":     arr(ref("User")),
		"UserInput":    obj(map[string]any{"username": str, "password": str, "role": str, "email": str, "units": arr(str), "officer_id": str, "disabled": boo}),
		"UserCreated":  obj(map[string]any{"user": ref("User"), "password": map[string]any{"type": "string", "description": "generated one-time password, shown once"}}),
		"Token":        token,
		"TokenList":    arr(ref("Token")),
		"TokenInput":   obj(map[string]any{"name": str, "expires_in_days": integ}, "name"),
		"TokenCreated": obj(map[string]any{"token": ref("Token"), "secret": map[string]any{"type": "string", "description": "send as Authorization: Bearer <secret>; shown once"}}),
		"Jobs":         obj(map[string]any{"enabled": boo, "jobs": arr(str)}),
		"JobRun":       obj(map[string]any{"id": str, "job": str, "dry_run": boo, "started": dtime, "finished": dtime, "counts": free, "errors": arr(str), "error": str}),
		"JobRunList":   arr(ref("JobRun")),
		"Message":      obj(map[string]any{"id": str, "message_id": str, "kind": str, "to": str, "subject": str, "state": str, "attempts": integ, "last_error": str, "created": dtime, "next_attempt": dtime, "sent": dtime}),
		"MessageList":  arr(ref("Message")),
		"OutboxStatus": obj(map[string]any{"relay": obj(map[string]any{"down": boo, "since": dtime, "checked": dtime, "problem": str}),
			"counts": obj(map[string]any{"queued": integ, "sent": integ, "failed": integ}), "oldest_queued": dtime}),
		"Requeued":     obj(map[string]any{"requeued": integ}),
		"ReminderPlan": free,
		"AuditEvent": obj(map[string]any{"id": str, "at": dtime, "actor": str, "action": str, "target_kind": str, "target_id": str,
			"outcome": str, "detail": str, "request_id": str}),
		"AuditPage": obj(map[string]any{"events": arr(ref("AuditEvent")), "next": str}),
		"SubjectAccess": obj(map[string]any{"generated": dtime, "officer_id": str, "officer": free, "completions": arr(free),
			"exemptions": arr(free), "imports": arr(free), "emails": arr(free), "audit": arr(ref("AuditEvent"))}),
	}
}
