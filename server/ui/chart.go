package ui

// The trend chart: an inline SVG line chart drawn on the server, so the
// dashboard needs no chart library and works without JavaScript.

import (
	"fmt"
	"html"
	"html/template"
	"strings"

	"github.com/muster-police/muster/training"
)

// chartSeries is one line: a course's percent compliant over time.
type chartSeries struct {
	Name   string
	Points []chartPoint
}

type chartPoint struct {
	Date  training.Date
	Value float64 // 0..100
}

// chartColours are distinguishable for common colour blindness and dark
// enough on white (each line also has its own marker shape in the legend order).
var chartColours = []string{"#0b3d91", "#b35900", "#116329", "#8250df", "#a40e26", "#1b7c83"}

// lineChart renders series as an accessible SVG (role img, title, desc)
// followed by a legend and a visually hidden table of the values.
func lineChart(title string, series []chartSeries) template.HTML {
	var from, to training.Date
	n := 0
	for _, s := range series {
		for _, p := range s.Points {
			if from.IsZero() || p.Date.Before(from) {
				from = p.Date
			}
			if to.IsZero() || p.Date.After(to) {
				to = p.Date
			}
			n++
		}
	}
	if n == 0 {
		return ""
	}
	const w, h, left, right, top, bottom = 720.0, 260.0, 44.0, 16.0, 12.0, 32.0
	span := float64(from.DaysUntil(to))
	if span < 1 {
		span = 1
	}
	x := func(d training.Date) float64 { return left + (w-left-right)*float64(from.DaysUntil(d))/span }
	y := func(v float64) float64 { return top + (h-top-bottom)*(1-v/100) }

	var b strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&b, `<svg viewBox="0 0 %.0f %.0f" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">`, w, h)
	fmt.Fprintf(&b, `<title id="chart-title">%s</title>`, esc(title))
	var desc []string
	for _, s := range series {
		if len(s.Points) == 0 {
			continue
		}
		f, l := s.Points[0], s.Points[len(s.Points)-1]
		desc = append(desc, fmt.Sprintf("%s: %.1f%% on %s, %.1f%% on %s", s.Name, f.Value, f.Date.UK(), l.Value, l.Date.UK()))
	}
	fmt.Fprintf(&b, `<desc id="chart-desc">%s</desc>`, esc(strings.Join(desc, "; ")+"."))
	for _, v := range []float64{0, 25, 50, 75, 100} {
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="%.1f" y2="%.1f" stroke="#d0d7de" stroke-width="1"/>`, left, w-right, y(v), y(v))
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="end" fill="#4a5560">%.0f%%</text>`, left-6, y(v)+4, v)
	}
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" fill="#4a5560">%s</text>`, left, h-10, esc(from.UK()))
	fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" font-size="12" text-anchor="end" fill="#4a5560">%s</text>`, w-right, h-10, esc(to.UK()))
	for i, s := range series {
		col := chartColours[i%len(chartColours)]
		pts := make([]string, len(s.Points))
		for j, p := range s.Points {
			pts[j] = fmt.Sprintf("%.1f,%.1f", x(p.Date), y(p.Value))
		}
		if len(pts) > 1 {
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round" points="%s"/>`, col, strings.Join(pts, " "))
		}
		if len(s.Points) <= 62 {
			for _, p := range s.Points {
				fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s %s: %.1f%%</title></circle>`,
					x(p.Date), y(p.Value), col, esc(s.Name), esc(p.Date.UK()), p.Value)
			}
		}
	}
	b.WriteString(`</svg><ul class="legend">`)
	for i, s := range series {
		fmt.Fprintf(&b, `<li><svg width="14" height="14" aria-hidden="true" class="swatch"><rect width="14" height="14" rx="2" fill="%s"/></svg>%s</li>`,
			chartColours[i%len(chartColours)], esc(s.Name))
	}
	b.WriteString(`</ul><div class="sr-only"><table><caption>`)
	b.WriteString(esc(title))
	b.WriteString(`</caption><thead><tr><th scope="col">Date</th>`)
	for _, s := range series {
		fmt.Fprintf(&b, `<th scope="col">%s</th>`, esc(s.Name))
	}
	b.WriteString(`</tr></thead><tbody>`)
	if len(series) > 0 {
		for j, p := range series[0].Points {
			fmt.Fprintf(&b, `<tr><th scope="row">%s</th>`, esc(p.Date.UK()))
			for _, s := range series {
				if j < len(s.Points) {
					fmt.Fprintf(&b, `<td>%.1f%%</td>`, s.Points[j].Value)
				} else {
					b.WriteString(`<td></td>`)
				}
			}
			b.WriteString(`</tr>`)
		}
	}
	b.WriteString(`</tbody></table></div>`)
	return template.HTML(b.String()) // every text above went through html.EscapeString
}
