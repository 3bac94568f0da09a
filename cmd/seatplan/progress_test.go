package main

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestProgressOnlyOnTerminal(t *testing.T) {
	var buf bytes.Buffer
	if cb := (&env{stderr: &buf}).progress("step"); cb != nil {
		t.Error("a progress callback when stderr is not a terminal")
	}
	if cb := (&env{stderr: &buf, tty: true}).progress("step"); cb == nil {
		t.Error("no progress callback on a terminal")
	}
}

func TestProgressBar(t *testing.T) {
	tests := []struct {
		name    string
		elapsed time.Duration
		want    string // substring of the output; "" means no output
	}{
		{"quick step leaves no trace", 0, ""},
		{"slow step draws a bar", 5 * time.Second, "step [###############               ]  50%"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			b := &progressBar{w: &buf, label: "step", start: time.Now().Add(-tc.elapsed), last: -1}
			b.update(2, 4)
			b.update(4, 4)
			out := buf.String()
			if tc.want == "" {
				if out != "" {
					t.Errorf("output %q, want none", out)
				}
				return
			}
			if !strings.Contains(out, tc.want) || !strings.HasSuffix(out, "\n") || !strings.Contains(out, "100%") {
				t.Errorf("output %q, want %q, 100%% and a final newline", out, tc.want)
			}
		})
	}
}
