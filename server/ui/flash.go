package ui

// Flash messages: one-shot notices carried across a redirect in a signed
// cookie (post/redirect/get), shown by the next page and then cleared.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/muster-police/muster/server/web"
)

const flashCookie = "muster_flash"

// flash is one notice; Kind is ok, error, warn or info (a CSS class).
type flash struct {
	Kind string `json:"k"`
	Text string `json:"t"`
}

func (s *Pages) flashMAC(payload string) string {
	m := hmac.New(sha256.New, s.Cfg.Secret)
	m.Write([]byte("muster/flash/v1\x00" + payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// addFlash queues a notice for the next page this browser shows.
func (s *Pages) addFlash(c echo.Context, kind, text string) {
	list := s.readFlashes(c)
	list = append(list, flash{Kind: kind, Text: text})
	if len(list) > 5 {
		list = list[len(list)-5:]
	}
	b, _ := json.Marshal(list)
	payload := base64.RawURLEncoding.EncodeToString(b)
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: payload + "." + s.flashMAC(payload), Path: "/",
		HttpOnly: true, Secure: s.Cfg.CookieSecure, SameSite: http.SameSiteLaxMode})
	// A page rendered in this same request should see it too (and then
	// clear the cookie just set).
	c.Set(flashCookie, list)
	c.Set(flashCookie+".set", true)
}

func (s *Pages) readFlashes(c echo.Context) []flash {
	if v, ok := c.Get(flashCookie).([]flash); ok {
		return v
	}
	ck, err := c.Cookie(flashCookie)
	if err != nil {
		return nil
	}
	payload, mac, ok := strings.Cut(ck.Value, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(s.flashMAC(payload))) {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil
	}
	var list []flash
	if json.Unmarshal(b, &list) != nil {
		return nil
	}
	return list
}

// takeFlashes returns the pending notices and clears them.
func (s *Pages) takeFlashes(c echo.Context) []flash {
	list := s.readFlashes(c)
	_, err := c.Cookie(flashCookie)
	if set, _ := c.Get(flashCookie + ".set").(bool); set || err == nil {
		c.SetCookie(&http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1,
			HttpOnly: true, Secure: s.Cfg.CookieSecure, SameSite: http.SameSiteLaxMode})
	}
	c.Set(flashCookie, []flash(nil))
	return list
}

// redirectFlash adds a notice and redirects (303) to url.
func (s *Pages) redirectFlash(c echo.Context, url, kind, text string) error {
	s.addFlash(c, kind, text)
	return c.Redirect(http.StatusSeeOther, url)
}

// userMessage returns the message to show in a form's flash for a 4xx
// domain error (bad input, conflict, not found); ok is false for anything
// else, which goes to the error handler instead.
func userMessage(err error) (string, bool) {
	status, _, msg, internal := web.Classify(err)
	if internal || status < 400 || status >= 500 || status == http.StatusUnauthorized {
		return "", false
	}
	return msg, true
}
