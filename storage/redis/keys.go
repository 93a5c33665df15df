package redis

// keys names every Redis key of one deployment. Keys that one atomic
// operation touches together share a hash tag, so that they live in one
// Cluster slot:
//
//	{P}:...      the roster: revision, officers, completions, exemptions,
//	             courses, import log, file-hash index, staging of imports,
//	             xAPI statements (written with completions)
//	{P:acct}:... users, sessions, API tokens
//	{P:mail}:... outbox, indexes, send ledger
//	{P:jobs}:... job runs
//	P:lock:NAME, P:once:KEY, P:settings, P:mappings  single keys, anywhere
//	P:upload:ID
//	{P:req}:...  officers' requests, their certificates, the latest per person and course (requests.go)
type keys struct {
	prefix string

	rev, officers, completions, exemptions, courses string
	imports, importsByTime, importByHash            string
	stages, applyLock                               string
	changes                                         string
	statements, statementsWaiting, statementsVoided string
	snapshots, settings, mappings                   string

	users, tokens, tokenByHash string
	acct                       string

	messages, msgCreated, msgDue, ledger string
	mailState                            string

	runs, runsByTime, runsByJob string
}

func newKeys(p string) keys {
	r := "{" + p + "}:"
	a := "{" + p + ":acct}:"
	m := "{" + p + ":mail}:"
	j := "{" + p + ":jobs}:"
	return keys{
		prefix:            p,
		rev:               r + "rev",
		officers:          r + "officers",
		completions:       r + "completions",
		exemptions:        r + "exemptions",
		courses:           r + "courses",
		imports:           r + "imports",
		importsByTime:     r + "imports:by-time",
		importByHash:      r + "imports:by-hash",
		stages:            r + "stages",
		applyLock:         r + "apply-lock",
		changes:           r + "changes",
		statements:        r + "statements",
		statementsWaiting: r + "statements:waiting",
		statementsVoided:  r + "statements:voided-by",
		snapshots:         p + ":snapshots",
		settings:          p + ":settings",
		mappings:          p + ":mappings",

		acct:        a,
		users:       a + "users",
		tokens:      a + "tokens",
		tokenByHash: a + "tokens:by-hash",

		messages:   m + "messages",
		msgCreated: m + "by-created",
		msgDue:     m + "due",
		ledger:     m + "ledger",
		mailState:  m + "state:",

		runs:       j + "runs",
		runsByTime: j + "by-started",
		runsByJob:  j + "by-job:",
	}
}

// stage returns the staging hashes of one import.
func (k keys) stage(token string) (officers, completions, exemptions string) {
	b := "{" + k.prefix + "}:stage:" + token + ":"
	return b + "officers", b + "completions", b + "exemptions"
}

func (k keys) session(idHash string) string    { return k.acct + "session:" + idHash }
func (k keys) userSessions(user string) string { return k.acct + "user-sessions:" + user }
func (k keys) lock(name string) string         { return k.prefix + ":lock:" + name }
func (k keys) once(key string) string          { return k.prefix + ":once:" + key }
