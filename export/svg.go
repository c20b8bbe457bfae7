package export

import (
	"fmt"
	"html/template"
	"strings"

	"handin/grade"
)

// heatLevels are the shades of activity cells, from few to many commits:
// classes heat0...heat3 of the style sheet, which the legend uses too.
const heatLevels = 4

// heatLevel is the shade of n commits in an hour, peak the most.
func heatLevel(n, peak int) int { return min((n*heatLevels-1)/peak, heatLevels-1) }

// heatmap is the activity chart and what the page says around it.
type heatmap struct {
	SVG      template.HTML
	From, To string      // the first and last day shown
	Legend   []heatShade // the shades in use
}

// heatShade is one shade of the legend and the commits in an hour it
// stands for ("1", "2–3").
type heatShade struct {
	Level int
	Label string
}

// activityHeatmap draws the activity matrix (days × 24 hours) as an inline
// SVG: one column per day, one row per hour, empty days at either end left
// out, and a legend of what each shade counts. Only cells with commits are
// drawn, so the size follows the commits. Nil when there is no activity.
func activityHeatmap(stats grade.RepoStats) *heatmap {
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
		return nil
	}
	days := last - first + 1
	const (
		left, top = 44, 8
		cellH     = 11
		plotW     = 720
		labelW    = 40 // a day label ("27 Nov") at 11px
	)
	cellW := min(max(plotW/days, 3), 18)
	plotH := 24 * cellH
	// The last day's label starts at its column: the width leaves it room.
	width := left + days*cellW + labelW
	height := top + plotH + 18
	day := func(d int, layout string) string { return stats.ActivityStart.AddDate(0, 0, first+d).Format(layout) }

	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="commits per day and hour">`, width, height, width, height)
	fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#f3f4f6"/>`, left, top, days*cellW, plotH)
	for h := 0; h < 24; h += 6 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis" text-anchor="end">%02d:00</text>`, left-4, top+h*cellH+cellH-1, h)
	}
	labelEvery := (labelW + 8 + cellW - 1) / cellW
	for d := 0; d < days; d++ {
		if d%labelEvery == 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" class="axis">%s</text>`, left+d*cellW, top+plotH+13, day(d, "02 Jan"))
		}
		for h, n := range stats.Activity[first+d] {
			if n == 0 || h >= 24 {
				continue
			}
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" class="heat%d"><title>%s %02d:00 – %d commit%s</title></rect>`,
				left+d*cellW, top+h*cellH, cellW, cellH, heatLevel(n, peak), day(d, "Mon 02 Jan 2006"), h, n, pluralS(n))
		}
	}
	b.WriteString(`</svg>`)
	return &heatmap{SVG: template.HTML(b.String()), // numbers and formatted dates only
		From: day(0, "02 Jan 2006"), To: day(days-1, "02 Jan 2006"), Legend: heatLegend(peak)}
}

// heatLegend lists the shades in use with the commits in an hour each
// stands for.
func heatLegend(peak int) []heatShade {
	var shades []heatShade
	for n := 1; n <= peak; n++ {
		level, label := heatLevel(n, peak), fmt.Sprint(n)
		if k := len(shades) - 1; k >= 0 && shades[k].Level == level {
			first, _, _ := strings.Cut(shades[k].Label, "–")
			shades[k].Label = first + "–" + label
			continue
		}
		shades = append(shades, heatShade{Level: level, Label: label})
	}
	return shades
}

// contributor is one row of the contributions table: a roster student, or
// a person matched to no student, with every commit identity in full.
type contributor struct {
	Student    string // "" for a person matched to no student
	Identities []string
	Commits    int
	Hint       string        // why a likely match was refused
	Bar        template.HTML // the commits as a bar, to scale with the others
}

// contributors lists roster students, then people matched to nobody.
func contributors(r *grade.GroupResult) []contributor {
	var out []contributor
	for _, s := range r.Students {
		c := contributor{Student: s.ID, Commits: s.Commits, Identities: s.Authors}
		if len(s.Identities) > 0 {
			c.Identities = identityTexts(s.Identities)
		}
		out = append(out, c)
	}
	for _, a := range r.UnmatchedAuthors {
		c := contributor{Commits: a.Commits, Hint: a.Hint, Identities: identityTexts(a.Identities)}
		if len(a.Identities) == 0 {
			c.Identities = append(append(c.Identities, a.Names...), a.Emails...)
		}
		out = append(out, c)
	}
	peak := 1
	for _, c := range out {
		peak = max(peak, c.Commits)
	}
	for i := range out {
		out[i].Bar = commitBar(out[i].Commits, peak, out[i].Student != "")
	}
	return out
}

// identityTexts shows identities as git does, "Name <address>", with their
// commits when there are several.
func identityTexts(ids []grade.Identity) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		switch {
		case id.Email == "":
			out[i] = id.Name
		case id.Name == "":
			out[i] = "<" + id.Email + ">"
		default:
			out[i] = id.Name + " <" + id.Email + ">"
		}
		if len(ids) > 1 {
			out[i] += fmt.Sprintf(" (%d commit%s)", id.Commits, pluralS(id.Commits))
		}
	}
	return out
}

// commitBar draws n commits as a bar scaled to peak, in the colour of a
// roster student or of a person matched to none (classes of the style
// sheet, which the legend uses too).
func commitBar(n, peak int, student bool) template.HTML {
	const width, height = 240, 12
	class := "who-student"
	if !student {
		class = "who-nobody"
	}
	return template.HTML(fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" class="chart bar" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%d commits"><rect width="%d" height="%d" class="%s"/></svg>`,
		width, height, width, height, n, n*width/peak, height, class)) // numbers and a fixed class only
}

func pluralS(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
