package training

// CheckPreviewDecision is the rule for a kept preview (a dry-run upload):
// only the person who uploaded it may confirm it, remap its columns or
// cancel it; an administrator may also cancel anyone's (the caller audits
// that). Others get ErrForbidden. Looking at a preview and its problems
// stays open to every HR user and admin, like the upload history.
func CheckPreviewDecision(u User, uploadedBy string, cancel bool) error {
	if u.Username == uploadedBy {
		return nil
	}
	if cancel && u.Role == RoleAdmin {
		return nil
	}
	if u.Role == RoleAdmin {
		return Forbiddenf("this preview was uploaded by someone else; only they can confirm it or change its columns (an administrator may cancel it)")
	}
	return Forbiddenf("this preview was uploaded by someone else; only they can confirm, change or cancel it")
}
