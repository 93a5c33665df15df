package jobs

// DropSent exposes dropSent to the tests.
var DropSent = dropSent

// LedgerDone exposes Policy.ledgerDone to the tests.
var LedgerDone = Policy.ledgerDone
