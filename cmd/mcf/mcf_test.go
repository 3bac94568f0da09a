package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/seatplan/seatplan/optimize"
)

func TestMCFFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    mcfOptions
		wantErr bool
	}{
		{args: []string{"x.min"}, want: mcfOptions{File: "x.min", Nearest: 15, Seed: 1}},
		{args: []string{"--at-least", "--flows", "-v", "x.min"}, want: mcfOptions{File: "x.min", AtLeast: true, Flows: true, Verbose: true, Nearest: 15, Seed: 1}},
		{args: []string{"--gen", "200x10", "--nearest", "4", "--seed", "9"}, want: mcfOptions{Gen: "200x10", Nearest: 4, Seed: 9}},
		{args: []string{}, wantErr: true},
		{args: []string{"a.min", "b.min"}, wantErr: true},
		{args: []string{"--gen", "20x4", "x.min"}, wantErr: true},
		{args: []string{"--bogus", "x.min"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var got *mcfOptions
			cmd := newMCFCmd(&bytes.Buffer{}, &bytes.Buffer{}, func(o *mcfOptions) error {
				got = o
				return nil
			})
			cmd.SetArgs(tt.args)
			cmd.SetOut(&bytes.Buffer{})
			cmd.SetErr(&bytes.Buffer{})
			err := cmd.Execute()
			if tt.wantErr {
				if err == nil {
					t.Fatal("no error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.Stdout, got.Stderr = nil, nil
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("options %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestMCFRun(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	fixture := filepath.Join("..", "..", "optimize", "testdata", "mcf")
	malformed := write("bad.min", "c ok\np min 2 1\na 1 2 0 5\n")
	short := write("short.min", "p min 2 2\na 1 2 0 5 1\n")
	unbalanced := write("unbalanced.min", "p min 2 1\nn 1 3\nn 2 -5\na 1 2 0 -1 2\n")
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string // exact, or prefix when ending in "…"
		stderr string // substring
	}{
		{"optimal", []string{filepath.Join(fixture, "hand.min")}, 0, "18\n", ""},
		{"flows", []string{"--flows", filepath.Join(fixture, "hand.min")}, 0,
			"18\nf 1 3 1\nf 1 4 3\nf 2 3 1\nf 2 5 2\nf 2 6 1\n", ""},
		{"verbose", []string{"-v", filepath.Join(fixture, "hand.min")}, 0, "18\n", "c nodes 6 arcs 7 pivots"},
		{"infeasible", []string{filepath.Join(fixture, "infeasible.min")}, 1, "", "infeasible.min: infeasible"},
		{"unbounded", []string{filepath.Join(fixture, "unbounded.min")}, 1, "", "unbounded.min: unbounded"},
		{"supplies unbalanced", []string{unbalanced}, 1, "", "infeasible"},
		{"at least", []string{"--at-least", unbalanced}, 0, "6\n", ""},
		{"malformed", []string{malformed}, 2, "", malformed + ":3: expected an arc line 'a FROM TO LOW CAP COST'"},
		{"missing arcs", []string{short}, 2, "", short + ":3: expected 2 arc lines as announced, found 1"},
		{"missing file", []string{filepath.Join(dir, "none.min")}, 1, "", "no such file"},
		{"no file", []string{}, 2, "", "accepts 1 arg"},
		{"bad gen", []string{"--gen", "20by4"}, 2, "", "expected AREASxSCHOOLS"},
		{"gen", []string{"--gen", "6x2", "--nearest", "1"}, 0, "c seat allocation: 6 areas, 2 schools…", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit status %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if p, ok := strings.CutSuffix(tt.stdout, "…"); ok {
				if !strings.HasPrefix(stdout.String(), p) {
					t.Errorf("stdout %q, want it to start with %q", stdout.String(), p)
				}
			} else if stdout.String() != tt.stdout {
				t.Errorf("stdout %q, want %q", stdout.String(), tt.stdout)
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), tt.stderr)
			}
		})
	}
}

// TestGenDeterministic checks that a seed fixes the instance and that the
// instance has the promised shape.
func TestGenDeterministic(t *testing.T) {
	spec := transportSpec{Areas: 300, Schools: 30, Nearest: 5, Seed: 2}
	var a, b bytes.Buffer
	if err := optimize.WriteDIMACS(&a, transportation(spec)); err != nil {
		t.Fatal(err)
	}
	if err := optimize.WriteDIMACS(&b, transportation(spec)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("same seed, different instances")
	}
	g := transportation(spec)
	if want := 300*5 + 300 + 30; g.Arcs() != want {
		t.Errorf("%d arcs, want %d", g.Arcs(), want)
	}
	// The fixture in optimize/testdata was written by
	// mcf --gen 300x30 --nearest 5 --seed 2.
	fixture, err := os.ReadFile(filepath.Join("..", "..", "optimize", "testdata", "mcf", "seats.min"))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if code := run(context.Background(), []string{"--gen", "300x30", "--nearest", "5", "--seed", "2"}, &out, &bytes.Buffer{}); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	if !bytes.Equal(out.Bytes(), fixture) {
		t.Error("mcf --gen 300x30 --nearest 5 --seed 2 no longer writes optimize/testdata/mcf/seats.min")
	}
}
