package report

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/paulmach/orb"
)

// The GeoJSON is written with encoding/json over orb's geometry types
// rather than with orb/geojson: that package pulls in the MongoDB driver
// for its BSON support, a heavy dependency the project does not otherwise
// need.

// FeatureCollection is a GeoJSON feature collection (RFC 7946).
type FeatureCollection struct {
	Type     string    `json:"type"`
	Features []Feature `json:"features"`
}

// Feature is a GeoJSON feature whose geometry is a point or a line string.
type Feature struct {
	Type       string         `json:"type"`
	Geometry   Geometry       `json:"geometry"`
	Properties map[string]any `json:"properties"`
}

// Geometry is a GeoJSON geometry: Coordinates holds an orb.Point or an
// orb.LineString, which marshal as GeoJSON positions.
type Geometry struct {
	Type        string `json:"type"`
	Coordinates any    `json:"coordinates"`
}

// Feature kinds, in the "kind" property.
const (
	KindSchool  = "school"
	KindMerge   = "merge"
	KindNewSite = "new_site"
)

func point(lon, lat float64) Geometry {
	return Geometry{Type: "Point", Coordinates: orb.Point{round6(lon), round6(lat)}}
}

// finite returns v, or nil (JSON null) when v is not a finite number.
func finite(v float64) any {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return v
}

// round6 keeps six decimals (about 0.1 m), enough for schools.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// Features returns the plan as GeoJSON features: every school with its
// forecast and proposal, a line from every closed school to each of its
// receivers, and every new site.
func Features(p *Plan) *FeatureCollection {
	fc := &FeatureCollection{Type: "FeatureCollection", Features: []Feature{}}
	lay, res := p.Layout, p.Forecast
	actions := SchoolActions(lay)
	reasons := map[string][2]string{}
	for _, c := range lay.Conversions {
		for _, id := range []string{c.PrimaryID, c.MiddleID} {
			if id != "" {
				reasons[id] = [2]string{c.ReasonZH, c.Reason}
			}
		}
	}
	receivers := map[string][]string{}
	for _, m := range lay.Merges.Proposals {
		reasons[m.SchoolID] = [2]string{m.ReasonZH, m.Reason}
		for _, r := range m.Receivers {
			receivers[m.SchoolID] = append(receivers[m.SchoolID], r.SchoolID)
		}
	}
	where := map[string]orb.Point{}
	if p.Dataset != nil {
		for i := range p.Dataset.Schools {
			s := &p.Dataset.Schools[i]
			where[s.ID] = orb.Point{s.Lon, s.Lat}
			act := actions[s.ID]
			if act == "" {
				act = ActionKeep
			}
			props := map[string]any{
				"kind": KindSchool, "school_id": s.ID, "name": s.Name, "county": s.County, "township": s.Township,
				"type": string(s.Type), "classrooms": s.Classrooms, "action": string(act), "action_zh": act.Label(),
			}
			if sf := res.School(s.ID); sf != nil {
				props["pupils_base"] = sf.BasePupils
				props["capacity"] = sf.Capacity
				for _, y := range sf.Years {
					if y.Year == lay.TargetYear {
						props["pupils_p10"] = math.Round(y.Pupils.P10)
						props["pupils_p50"] = math.Round(y.Pupils.P50)
						props["pupils_p90"] = math.Round(y.Pupils.P90)
						props["utilisation_p50"] = finite(math.Round(1000*y.Utilisation.P50) / 1000)
						var ws []string
						for _, w := range y.Warnings {
							ws = append(ws, string(w))
						}
						props["warnings"] = strings.Join(ws, ",")
					}
				}
				props["year"] = lay.TargetYear
			}
			if r, ok := reasons[s.ID]; ok {
				props["reason_zh"], props["reason"] = r[0], r[1]
			}
			if rs := receivers[s.ID]; len(rs) > 0 {
				props["receivers"] = strings.Join(rs, ",")
			}
			fc.Features = append(fc.Features, Feature{Type: "Feature", Geometry: point(s.Lon, s.Lat), Properties: props})
		}
	}
	for _, m := range lay.Merges.Proposals {
		from, ok := where[m.SchoolID]
		if !ok {
			continue
		}
		for _, r := range m.Receivers {
			to, ok := where[r.SchoolID]
			if !ok {
				continue
			}
			line := orb.LineString{{round6(from[0]), round6(from[1])}, {round6(to[0]), round6(to[1])}}
			fc.Features = append(fc.Features, Feature{Type: "Feature", Geometry: Geometry{Type: "LineString", Coordinates: line},
				Properties: map[string]any{
					"kind": KindMerge, "from_school_id": m.SchoolID, "from_name": m.Name, "to_school_id": r.SchoolID, "to_name": r.Name,
					"pupils": r.Pupils, "km": r.Km, "minutes": r.Minutes, "year": m.RecommendedYear,
					"reason_zh": m.ReasonZH, "reason": m.Reason,
				}})
		}
	}
	for _, n := range lay.NewSchools {
		fc.Features = append(fc.Features, Feature{Type: "Feature", Geometry: point(n.Lon, n.Lat), Properties: map[string]any{
			"kind": KindNewSite, "site_id": n.SiteID, "name": n.Name, "county": n.County, "generated": n.Generated,
			"action": string(ActionNew), "action_zh": ActionNew.Label(),
			"type": string(n.Type), "kindergarten_pupils": n.KinderPupils, "primary_pupils": n.PrimaryPupils, "middle_pupils": n.MiddlePupils, "high_pupils": n.HighPupils,
			"classrooms": n.Classrooms, "reason_zh": n.ReasonZH, "reason": n.Reason,
		}})
	}
	return fc
}

// WriteGeoJSON writes the plan's features to w as GeoJSON.
func WriteGeoJSON(w io.Writer, p *Plan) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(Features(p)); err != nil {
		return fmt.Errorf("geojson: %w", err)
	}
	return nil
}
