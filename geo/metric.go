package geo

import (
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

// EarthRadius is the mean radius of the earth in metres (IUGG R1), the sphere
// on which every great-circle distance of this package is measured.
const EarthRadius = 6371008.8

// GreatCircle returns the haversine great-circle distance in metres between a
// and b, given as lon/lat WGS84 degrees, on a sphere of radius EarthRadius.
func GreatCircle(a, b orb.Point) float64 {
	// orb measures on the equatorial radius; a haversine distance is
	// proportional to the radius, so rescaling is exact up to rounding.
	d := orbgeo.DistanceHaversine(a, b) * (EarthRadius / orb.EarthRadius)
	if math.IsNaN(d) && finitePoint(a) && finitePoint(b) {
		// Rounding can push the haversine term just above 1 for nearly
		// antipodal points; the distance there is half the circumference.
		return math.Pi * EarthRadius
	}
	return d
}

func finitePoint(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}

// Mode is a way of travelling to school.
type Mode uint8

const (
	// Walk is walking, the default mode for primary pupils and kindergarten
	// children.
	Walk Mode = iota
	// Bus is travelling by school or public bus.
	Bus
)

// String returns the mode's name as ParseMode accepts it.
func (m Mode) String() string {
	switch m {
	case Walk:
		return "walk"
	case Bus:
		return "bus"
	}
	return fmt.Sprintf("Mode(%d)", uint8(m))
}

// ParseMode returns the mode named s ("walk" or "bus", any case).
func ParseMode(s string) (Mode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "walk":
		return Walk, nil
	case "bus":
		return Bus, nil
	}
	return 0, fmt.Errorf("geo: travel mode %q: want walk or bus", s)
}

// Metric turns great-circle or road distances into travel distances and
// times. The zero value is not usable; start from DefaultMetric.
type Metric struct {
	// Circuity is the ratio of the travel distance to the great-circle
	// distance when no road network is used; at least 1.
	Circuity float64
	// WalkKmh is the walking speed in km/h.
	WalkKmh float64
	// BusKmh is the average door-to-door bus speed in km/h.
	BusKmh float64
	// Mode is the mode whose speed turns metres into travel seconds.
	Mode Mode
}

// Default values of Metric.
const (
	// DefaultCircuity is the ratio of travel to great-circle distance
	// assumed when no road network is given.
	DefaultCircuity = 1.3
	// DefaultWalkKmh is the walking speed assumed for pupils.
	DefaultWalkKmh = 4.5
	// DefaultBusKmh is the average bus speed assumed, stops included.
	DefaultBusKmh = 30
)

// DefaultMetric returns a circuity of 1.3, walking at 4.5 km/h and buses at
// 30 km/h, with travel times by walking.
func DefaultMetric() Metric {
	return Metric{Circuity: DefaultCircuity, WalkKmh: DefaultWalkKmh, BusKmh: DefaultBusKmh, Mode: Walk}
}

// Validate reports the first unusable field of m.
func (m Metric) Validate() error {
	if !finite(m.Circuity) || m.Circuity < 1 {
		return fmt.Errorf("geo: circuity %v: want a finite number of at least 1", m.Circuity)
	}
	if !finite(m.WalkKmh) || m.WalkKmh <= 0 {
		return fmt.Errorf("geo: walking speed %v km/h: want a finite positive number", m.WalkKmh)
	}
	if !finite(m.BusKmh) || m.BusKmh <= 0 {
		return fmt.Errorf("geo: bus speed %v km/h: want a finite positive number", m.BusKmh)
	}
	if m.Mode != Walk && m.Mode != Bus {
		return fmt.Errorf("geo: unknown travel mode %v", m.Mode)
	}
	return nil
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// Distance returns the travel distance in metres from a to b without a road
// network: GreatCircle(a, b) × Circuity.
func (m Metric) Distance(a, b orb.Point) float64 {
	return GreatCircle(a, b) * m.Circuity
}

// Speed returns the speed of mode in metres per second.
func (m Metric) Speed(mode Mode) float64 {
	if mode == Bus {
		return m.BusKmh / 3.6
	}
	return m.WalkKmh / 3.6
}

// Seconds returns the time in seconds to travel the given metres by m.Mode.
func (m Metric) Seconds(metres float64) float64 {
	return metres / m.Speed(m.Mode)
}
