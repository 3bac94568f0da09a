package report

import (
	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/forecast"
	"github.com/seatplan/seatplan/optimize"
)

// Summary is the machine-readable summary of a plan written by
// `seatplan plan --json` (fields documented in docs/plan.md). It holds no
// clock time and no output paths, so two runs with the same inputs and seed
// give the same bytes.
type Summary struct {
	Scenario    string `json:"scenario"`
	Description string `json:"description"`
	Source      string `json:"source"`
	Synthetic   bool   `json:"synthetic"`
	Seed        uint64 `json:"seed"`
	Draws       int    `json:"draws"`
	BaseYear    int    `json:"base_year"`
	TargetYear  int    `json:"target_year"`
	// Safe tells whether capacities were planned on P90 rather than P50.
	Safe    bool        `json:"safe"`
	Version string      `json:"version"`
	Commit  string      `json:"commit"`
	Inputs  []InputFile `json:"inputs"`
	// KeyFigures gives the city's figures by level for the key years.
	KeyFigures []KeyFigure `json:"key_figures"`
	// Proposals counts the proposals and warnings by kind.
	Proposals []ProposalCount `json:"proposals"`
	Merges    MergeSummary    `json:"merges"`
	// Before and After are the target-year indicators under today's layout
	// and under the plan, per level.
	Before []optimize.Metrics `json:"before"`
	After  []optimize.Metrics `json:"after"`
	// Sheets lists the workbook's sheets in order.
	Sheets []string `json:"sheets"`
	// Alternatives summarises the other scenarios of the run, if any.
	Alternatives []*Summary `json:"alternatives,omitempty"`
}

// KeyFigure is the city's forecast of one level in one year.
type KeyFigure struct {
	Year            int                `json:"year"`
	Level           data.Level         `json:"level"`
	Pupils          forecast.Quantiles `json:"pupils"`
	ClassesP50      float64            `json:"classes_p50"`
	Seats           float64            `json:"seats"`
	UtilisationP50  float64            `json:"utilisation_p50"`
	TeachersP50     float64            `json:"teachers_needed_p50"`
	TeachersPresent float64            `json:"teachers_present"`
}

// MergeSummary is the size and quality of the merging plan.
type MergeSummary struct {
	Candidates int     `json:"candidates"`
	Merged     int     `json:"merged"`
	Cost       float64 `json:"cost"`
	LowerBound float64 `json:"lower_bound"`
	Gap        float64 `json:"gap"`
}

// Summarize returns the summary of p.
func Summarize(p *Plan) *Summary {
	res, lay := p.Forecast, p.Layout
	s := &Summary{
		Scenario: res.Scenario.Name, Description: res.Scenario.Description, Source: res.Source,
		Synthetic: res.Synthetic || lay.Synthetic, Seed: res.Seed, Draws: res.Draws,
		BaseYear: res.BaseYear, TargetYear: lay.TargetYear, Safe: lay.Safe,
		Version: p.Meta.Version, Commit: p.Meta.Commit, Inputs: p.Meta.Inputs,
		Proposals: ProposalCounts(p),
		Merges: MergeSummary{
			Candidates: lay.Merges.Candidates, Merged: len(lay.Merges.Proposals),
			Cost: lay.Merges.Cost, LowerBound: lay.Merges.LowerBound, Gap: lay.Merges.Gap,
		},
		Before: lay.Before, After: lay.After,
		Sheets: p.Sheets(),
	}
	for _, a := range p.Alternatives {
		alt := Summarize(a)
		alt.Sheets = nil
		s.Alternatives = append(s.Alternatives, alt)
	}
	for _, y := range KeyYears(res, lay.TargetYear) {
		cy := res.City.Year(y)
		if cy == nil {
			continue
		}
		for _, l := range cy.Levels {
			s.KeyFigures = append(s.KeyFigures, KeyFigure{
				Year: y, Level: l.Level, Pupils: l.Pupils, ClassesP50: l.Classes.P50, Seats: l.Seats,
				UtilisationP50: l.Utilisation.P50, TeachersP50: l.TeachersNeeded.P50, TeachersPresent: l.TeachersPresent,
			})
		}
	}
	return s
}
