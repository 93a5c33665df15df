package ui

import (
	"strings"
	"testing"

	"github.com/muster-police/muster/training"
)

func TestLineChartEscapes(t *testing.T) {
	d := func(day int) training.Date { return training.DateFrom(2026, 11, day) }
	out := string(lineChart("Trend <x>", []chartSeries{{Name: "A & <b>", Points: []chartPoint{{d(1), 10}, {d(8), 12.5}}}}))
	if strings.Contains(out, "<b>") || strings.Contains(out, "<x>") || !strings.Contains(out, "A &amp; &lt;b&gt;") || !strings.Contains(out, "<polyline") {
		t.Errorf("chart: %s", out)
	}
	if lineChart("t", nil) != "" {
		t.Error("a chart without points is not empty")
	}
}
