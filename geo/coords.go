package geo

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
)

// coordScanner reads GeoJSON coordinate arrays from JSON text that
// encoding/json has already found well formed, so it only has to check the
// shape: arrays of positions, each two or more numbers.
type coordScanner struct {
	b []byte
	i int
}

func (s *coordScanner) space() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

// peek returns the next byte after white space, or 0 at the end.
func (s *coordScanner) peek() byte {
	s.space()
	if s.i < len(s.b) {
		return s.b[s.i]
	}
	return 0
}

// array reads '[' and then calls item for each element until ']'.
func (s *coordScanner) array(item func() error) error {
	if s.peek() != '[' {
		return errors.New("want an array")
	}
	s.i++
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for {
		if err := item(); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return errors.New("want ',' or ']'")
		}
	}
}

// position reads one position.
func (s *coordScanner) position() (orb.Point, error) {
	var p orb.Point
	s.space()
	start := s.i
	n := 0
	err := s.array(func() error {
		v, ok := s.number()
		if !ok {
			return errors.New("not a number")
		}
		if n < 2 {
			p[n] = v
		}
		n++
		return nil
	})
	if err != nil || n < 2 {
		return p, &positionError{raw: clip(s.extent(start))}
	}
	return p, nil
}

// positionError is a position that is not an array of two or more numbers.
type positionError struct {
	raw string
}

func (e *positionError) Error() string {
	return fmt.Sprintf("position %s: want an array of 2 or 3 numbers", e.raw)
}

// number reads a JSON number.
func (s *coordScanner) number() (float64, bool) {
	s.space()
	start := s.i
	for s.i < len(s.b) {
		switch c := s.b[s.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			s.i++
			continue
		}
		break
	}
	if s.i == start {
		return 0, false
	}
	v, err := strconv.ParseFloat(string(s.b[start:s.i]), 64)
	return v, err == nil
}

// extent returns the JSON value starting at start: an array up to its
// matching bracket, anything else up to the next ',' or ']'.
func (s *coordScanner) extent(start int) []byte {
	depth := 0
	for j := start; j < len(s.b); j++ {
		switch s.b[j] {
		case '[':
			depth++
		case ']':
			if depth == 0 {
				return s.b[start:j]
			}
			depth--
			if depth == 0 {
				return s.b[start : j+1]
			}
		case ',':
			if depth == 0 {
				return s.b[start:j]
			}
		}
	}
	return s.b[start:]
}

// clip shortens raw JSON for an error message.
func clip(b []byte) string {
	const most = 40
	if len(b) > most {
		return string(b[:most]) + "…"
	}
	return string(b)
}

func (s *coordScanner) line() ([]orb.Point, error) {
	var pts []orb.Point
	err := s.array(func() error {
		p, err := s.position()
		pts = append(pts, p)
		return err
	})
	return pts, err
}

// parseLine reads a LineString's coordinates.
func parseLine(b []byte) ([]orb.Point, error) {
	s := &coordScanner{b: b}
	pts, err := s.line()
	if err != nil {
		return nil, wantPositions(err, "an array of positions")
	}
	return pts, nil
}

// parseLines reads a MultiLineString's coordinates.
func parseLines(b []byte) ([][]orb.Point, error) {
	s := &coordScanner{b: b}
	var lines [][]orb.Point
	err := s.array(func() error {
		pts, err := s.line()
		lines = append(lines, pts)
		return err
	})
	if err != nil {
		return nil, wantPositions(err, "an array of arrays of positions")
	}
	return lines, nil
}

// wantPositions keeps a position's own message and otherwise says what the
// coordinates should have been.
func wantPositions(err error, want string) error {
	var pe *positionError
	if errors.As(err, &pe) {
		return err
	}
	return fmt.Errorf("want %s", want)
}
