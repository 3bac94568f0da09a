package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"golang.org/x/term"
)

// isTerminal tells whether w is a terminal, where progress bars belong.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// progressBar draws one step's progress on a terminal line. It stays
// silent for the step's first second, so quick steps leave no trace.
type progressBar struct {
	w     io.Writer
	label string
	start time.Time
	shown bool
	last  int
}

// progress returns a progress callback for a step, or nil (no reporting)
// when stderr is not a terminal.
func (e *env) progress(label string) func(done, total int) {
	if !e.tty {
		return nil
	}
	b := &progressBar{w: e.stderr, label: label, start: time.Now(), last: -1}
	return b.update
}

const barWidth = 30

func (b *progressBar) update(done, total int) {
	if total <= 0 {
		return
	}
	if !b.shown && time.Since(b.start) < time.Second && done < total {
		return
	}
	pct := 100 * done / total
	if pct == b.last && done < total {
		return
	}
	if !b.shown && done >= total {
		// Finished within a second: nothing to show.
		return
	}
	b.shown, b.last = true, pct
	fill := barWidth * done / total
	fmt.Fprintf(b.w, "\r%s [%s%s] %3d%% %s", b.label, strings.Repeat("#", fill), strings.Repeat(" ", barWidth-fill), pct,
		time.Since(b.start).Round(100*time.Millisecond))
	if done >= total {
		fmt.Fprintln(b.w)
	}
}

// stepTimer returns a function that logs, at info level, the time since
// its previous call and the heap in use, naming the step just finished.
func (e *env) stepTimer() func(name string) {
	last := time.Now()
	return func(name string) {
		if e.log == nil {
			return
		}
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		now := time.Now()
		e.log.Info("step", "name", name, "seconds", now.Sub(last).Round(10*time.Millisecond).Seconds(),
			"heap_mb", ms.HeapInuse>>20, "sys_mb", ms.Sys>>20)
		last = now
	}
}
