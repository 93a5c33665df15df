package jobs

// DropSent exposes dropSent to the tests.
var DropSent = dropSent
