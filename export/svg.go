package export

import (
	"fmt"
	"html/template"
	"strings"
	"unicode/utf8"

	"handin/grade"
)

// heatColors shade activity cells from few to many commits.
var heatColors = [...]string{"#c6e48b", "#7bc96f", "#239a3b", "#196127"}

// activityHeatmap draws the activity matrix (days × 24 hours) as an inline
// SVG: one column per day, one row per hour, empty days at either end left
// out. Only cells with commits are drawn, so the size follows the commits.
func activityHeatmap(stats grade.RepoStats) template.HTML {
	first, last := -1, -1
	peak := 0
	for d, hours := range stats.Activity {
		for _, n := range hours {
			if n > 0 {
				if first < 0 {
					first = d
				}
				last = d
				peak = max(peak, n)
			}
		}
	}
	if first < 0 {
		return template.HTML(`<p class="muted">No commit activity recorded.</p>`)
	}
	days := last - first + 1
	const (
		left, top, bottom = 40, 8, 22
		cellH             = 9
		plotW             = 720
	)
	cellW := min(max(plotW/days, 3), 18)
	width, height := left+days*cellW+10, top+24*cellH+bottom

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="commits per day and hour">`, width, height, width, height)
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#f3f4f6"/>`, left, top, days*cellW, 24*cellH)
	for h := 0; h < 24; h += 6 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis" text-anchor="end">%02d:00</text>`, left-4, top+h*cellH+cellH, h)
	}
	labelEvery := max(1, 64/cellW)
	for d := 0; d < days; d++ {
		day := stats.ActivityStart.AddDate(0, 0, first+d)
		if d%labelEvery == 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis">%s</text>`, left+d*cellW, top+24*cellH+14, day.Format("02 Jan"))
		}
		for h, n := range stats.Activity[first+d] {
			if n == 0 || h >= 24 {
				continue
			}
			level := min((n*len(heatColors)-1)/peak, len(heatColors)-1)
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s %02d:00 – %d commit(s)</title></rect>`,
				left+d*cellW, top+h*cellH, cellW, cellH, heatColors[level], day.Format("Mon 02 Jan 2006"), h, n)
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // numbers and formatted dates only
}

// bar is one bar of the contributions chart.
type bar struct {
	Label   string
	Commits int
	Matched bool // a roster student, as opposed to an unmatched author
}

// contributionBars lists roster students, then authors matched to nobody.
func contributionBars(r *grade.GroupResult) []bar {
	var bars []bar
	for _, s := range r.Students {
		bars = append(bars, bar{Label: s.ID, Commits: s.Commits, Matched: true})
	}
	for _, a := range r.UnmatchedAuthors {
		label := strings.Join(append(append([]string{}, a.Names...), a.Emails...), " / ")
		bars = append(bars, bar{Label: "unmatched: " + label, Commits: a.Commits})
	}
	return bars
}

// contributionChart draws commits per student as an inline SVG bar chart.
// Labels come from commit metadata (untrusted) and are escaped.
func contributionChart(bars []bar) template.HTML {
	if len(bars) == 0 {
		return template.HTML(`<p class="muted">No students or authors to show.</p>`)
	}
	const (
		labelW, barW, rowH, valueW = 230, 380, 22, 50
		maxLabel                   = 34
	)
	peak := 1
	for _, b := range bars {
		peak = max(peak, b.Commits)
	}
	width, height := labelW+barW+valueW, len(bars)*rowH+4
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="commits per student">`, width, height, width, height)
	for i, br := range bars {
		y := i*rowH + 2
		fill := "#3b82f6"
		if !br.Matched {
			fill = "#9ca3af"
		}
		w := br.Commits * barW / peak
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="label" text-anchor="end">%s</text>`, labelW-6, y+15, template.HTMLEscapeString(truncate(br.Label, maxLabel)))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s: %d commit(s)</title></rect>`, labelW, y+3, w, rowH-6, fill, template.HTMLEscapeString(br.Label), br.Commits)
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="label">%d</text>`, labelW+w+4, y+15, br.Commits)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // every label escaped above
}

// truncate shortens s to at most n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
