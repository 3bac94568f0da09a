package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/seatplan/seatplan/data"
	"github.com/seatplan/seatplan/forecast"
)

// scenario resolves the single --scenario value (default medium): a
// built-in name or a TOML/YAML file.
func (e *env) scenario() (forecast.Scenario, error) {
	switch len(e.scenarios) {
	case 0:
		return forecast.Builtin(forecast.Medium)
	case 1:
		return loadScenario(e.scenarios[0])
	}
	return forecast.Scenario{}, &data.ParseError{File: "--scenario", Err: fmt.Errorf("given %d times; this command takes one scenario", len(e.scenarios))}
}

// loadScenario reads a built-in scenario by name or a scenario file.
func loadScenario(v string) (forecast.Scenario, error) {
	ext := strings.ToLower(filepath.Ext(v))
	if ext != ".toml" && ext != ".yaml" && ext != ".yml" {
		sc, err := forecast.Builtin(v)
		if err != nil {
			return sc, &data.ParseError{File: "--scenario", Err: fmt.Errorf("%q: expected low, medium, high or a .toml/.yaml file", v)}
		}
		return sc, nil
	}
	f, err := os.Open(v)
	if err != nil {
		return forecast.Scenario{}, &data.ParseError{File: v, Err: fmt.Errorf("cannot open scenario: %w", unwrap(err))}
	}
	defer f.Close()
	sc, err := forecast.DecodeScenario(f, ext)
	if err != nil {
		return sc, &data.ParseError{File: v, Err: err}
	}
	return sc, nil
}

func unwrap(err error) error {
	if u, ok := err.(interface{ Unwrap() error }); ok && u.Unwrap() != nil {
		return u.Unwrap()
	}
	return err
}
