package importers

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// budgetDoc builds a random part out of the pieces that matter to the
// budget: rows, cells, shared strings, text with entities and multi-byte
// characters, quoted attributes holding '>' and '/', comments, CDATA,
// processing instructions, and now and then a piece just under or just
// over one of the limits.
func budgetDoc(r *rand.Rand) []byte {
	var b bytes.Buffer
	pick := func(s ...string) string { return s[r.IntN(len(s))] }
	text := func(n int) {
		for i := 0; i < n; i++ {
			switch r.IntN(12) {
			case 0:
				b.WriteString(pick("&amp;", "&#233;", "&lt;", "&x"))
			case 1:
				b.WriteString(pick("é", "€", "𝄞"))
			case 2:
				b.WriteString(pick("]", "]]", "-", "--", "/", ";"))
			default:
				b.WriteByte(byte('a' + r.IntN(26)))
			}
		}
	}
	big := func() int {
		switch r.IntN(40) {
		case 0:
			return maxTextChars - 5 + r.IntN(10)
		case 1:
			return maxTextChars*3 + r.IntN(10)
		}
		return r.IntN(8)
	}
	b.WriteString(pick("", `<?xml version="1.0"?>`, "\ufeff"))
	b.WriteString(pick("<worksheet>", "<sst>", "<x:worksheet xmlns:x='u'>", ""))
	for n := r.IntN(30); n > 0; n-- {
		switch r.IntN(14) {
		case 0, 1:
			b.WriteString(pick("<row", "<x:row", "<row\t", "<rows"))
			b.WriteString(pick("", ` r="7"`, ` r='12'`, " r=\"x\"", ` spans="1:3" r="3"`, ` a=">/" r="4"`))
			b.WriteString(pick(">", "/>", " >", "/ >"))
		case 2:
			b.WriteString(pick("</row>", "</x:row>", "</row >"))
		case 3, 4:
			b.WriteString(pick("<c", "<c\n", "<x:c", "<cc"))
			b.WriteString(pick(` r="B2"`, ` r="AAAAAAAAAAAAAAAAAAAAAAA9"`, ` t="s" r='C3'`, ""))
			b.WriteString(pick(">", "/>"))
		case 5:
			b.WriteString(pick("</c>", "<v>1</v>", "<is><t>", "</t></is>"))
		case 6:
			b.WriteString(pick("<si>", "<si/>", "</si>", "<x:si >"))
		case 7:
			b.WriteString("<!--")
			text(big())
			b.WriteString(pick("-->", "->", "--->"))
		case 8:
			b.WriteString("<![CDATA[")
			text(big())
			b.WriteString(pick("]]>", "]>", "]]]>"))
		case 9:
			b.WriteString(pick("<?pi x?>", "<!DOCTYPE x>", "<>", "</>", "<a b='\"'>", `<a b="'>"/>`))
		case 10:
			if r.IntN(30) == 0 {
				b.WriteString("<t a=\"")
				b.WriteString(strings.Repeat("q", tagBudget-10+r.IntN(20)))
				b.WriteString("\">")
			}
		default:
			text(big())
		}
	}
	return b.Bytes()
}

// TestScannerAgreesWithReference: the budget's scanner finds the same
// error (part, kind, row, cell) as the byte-at-a-time reference, or none
// when it finds none, whatever the part and however the part is split
// into writes.
func TestScannerAgreesWithReference(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 150000))
	parts := []string{"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"}
	splits := [][]int{{1 << 16}, {1}, {7, 64, 4096}, {2, 3, 5}, {3, 1 << 20}}
	kinds := map[string]int{}
	docs := 0
	check := func(doc []byte) {
		docs++
		for _, part := range parts {
			for k, sp := range splits {
				if len(doc) > 1<<16 && k%2 == 1 {
					continue // byte by byte through megabytes: slow, and nothing new
				}
				want := scanAll(newRefScanner(part), doc, sp)
				got := scanAll(newXMLScanner(part), doc, sp)
				if be, ok := want.(*budgetError); ok {
					kinds[be.what]++
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s split %v: got %#v, want %#v\ndoc (%d bytes): %.300q", part, sp, got, want, len(doc), doc)
				}
			}
		}
	}
	docs0 := 1000
	if raceEnabled || testing.Short() {
		docs0 = 200 // the race detector makes the byte-at-a-time reference slow
	}
	for i := 0; i < docs0; i++ {
		check(budgetDoc(r))
	}
	// Rows and shared strings at their budget, just under and over it,
	// ending in the middle of a tag, a text or a unit's closing tag.
	for _, size := range []int{rowBudget - 9, rowBudget, rowBudget + 5} {
		for _, open := range []string{`<row r="5">`, `<si>`} {
			body := strings.Repeat(`<c r="A5"><v>12</v></c>`, (size-len(open))/23)
			pad := size - len(open) - len(body)
			doc := open + body + strings.Repeat("x", max(pad, 0))
			for _, end := range []string{"</row></si><row r='6'>", "<c r='B6'>x"} {
				check([]byte(doc + end))
			}
		}
	}
	for _, what := range []string{"text", "tag", "row", "si"} {
		if kinds[what] == 0 {
			t.Errorf("no document broke the budget's %q: the test does not check it", what)
		}
	}
	t.Logf("%d documents; scans that broke the budget, by kind: %v", docs, kinds)
}
