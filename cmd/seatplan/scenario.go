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

// scenarioList resolves every --scenario value (default medium), for
// commands that compare scenarios.
func (e *env) scenarioList() ([]forecast.Scenario, error) {
	if len(e.scenarios) == 0 {
		sc, err := forecast.Builtin(forecast.Medium)
		return []forecast.Scenario{sc}, err
	}
	var out []forecast.Scenario
	for _, v := range e.scenarios {
		sc, err := loadScenario(v)
		if err != nil {
			return nil, err
		}
		out = append(out, sc)
	}
	return out, nil
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
