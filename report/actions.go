package report

import "github.com/seatplan/seatplan/optimize"

// Action is what a plan does to a school, as the map and the GeoJSON show
// it.
type Action string

// Actions, in the order of precedence when a school has several (a school
// that is closed is not also shown as a receiver).
const (
	ActionKeep    Action = "keep"
	ActionClose   Action = "close"
	ActionReceive Action = "receive"
	ActionConvert Action = "convert"
	ActionNew     Action = "new"
)

// Label returns the Chinese name of the action.
func (a Action) Label() string {
	switch a {
	case ActionClose:
		return "撤并"
	case ActionReceive:
		return "接收"
	case ActionConvert:
		return "九年一贯制"
	case ActionNew:
		return "新建"
	}
	return "保留"
}

// SchoolActions returns the action of every school the layout touches; a
// school missing from the map is kept as it is. New schools are keyed by
// their site ID.
func SchoolActions(lay *optimize.Layout) map[string]Action {
	out := map[string]Action{}
	for _, c := range lay.Conversions {
		for _, id := range []string{c.PrimaryID, c.MiddleID} {
			if id != "" {
				out[id] = ActionConvert
			}
		}
	}
	for _, m := range lay.Merges.Proposals {
		for _, r := range m.Receivers {
			out[r.SchoolID] = ActionReceive
		}
	}
	for _, m := range lay.Merges.Proposals {
		out[m.SchoolID] = ActionClose
	}
	for _, n := range lay.NewSchools {
		out[n.SiteID] = ActionNew
	}
	return out
}
