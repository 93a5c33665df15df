package server

// apiHandler is the JSON API's handlers: the shared core plus what only
// the API keeps.
type apiHandler struct {
	*Core
	// lists keeps encoded officers API pages of the current revision.
	lists *Cache
}
