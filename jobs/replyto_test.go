package jobs

import (
	"strings"
	"testing"
)

// TestReminderAsksForAReplyOnlyWithReplyTo: without a Reply-To the
// reminder never says "reply"; with one it names the address.
func TestReminderAsksForAReplyOnlyWithReplyTo(t *testing.T) {
	src, err := DefaultTemplate(TemplateReminder)
	if err != nil {
		t.Fatal(err)
	}
	r, err := parseTemplate(TemplateReminder, src)
	if err != nil {
		t.Fatal(err)
	}
	data := sampleData(TemplateReminder).(ReminderData)
	for _, replyTo := range []string{"", "training@police.example"} {
		data.ReplyTo = replyTo
		_, text, html, err := r.render(data)
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range []string{text, html} {
			asks := strings.Contains(strings.ToLower(body), "reply")
			if asks != (replyTo != "") {
				t.Errorf("Reply-To %q: the email asks for a reply: %v", replyTo, asks)
			}
			if replyTo != "" && !strings.Contains(body, replyTo) {
				t.Errorf("the email does not name the Reply-To address %s", replyTo)
			}
		}
	}
}
