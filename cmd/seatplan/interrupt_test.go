package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/seatplan/seatplan/internal/atomicfile"
)

// childEnv makes the test binary run main instead of the tests, so that a
// test can start the command as a process of its own and signal it.
const childEnv = "SEATPLAN_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
	}
	os.Exit(m.Run())
}

// stopBound is how long an interrupted command may take to exit.
const stopBound = 2 * time.Second

// stderrWatch collects a child's stderr and lets a test wait for a line.
type stderrWatch struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *stderrWatch) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *stderrWatch) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// interruptCase is one moment at which plan is signalled.
type interruptCase struct {
	name string
	sig  syscall.Signal
	// after is a stderr fragment; the signal goes once it has appeared.
	after string
	// writing makes the signal wait, after the fragment, until the
	// workbook's temporary file and excelize's scratch folder exist,
	// and then for delay more.
	writing bool
	// saving waits, beyond writing, until the workbook's bytes start to
	// reach its temporary file (the compression at the end of the write).
	saving bool
	delay  time.Duration
}

// TestInterruptPlan starts `seatplan plan` with every output over existing
// files, signals it at several moments, and requires the exit status of
// the signal within stopBound, the existing outputs byte for byte as they
// were, and no temporary file left in the output folder or in TMPDIR.
func TestInterruptPlan(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the plan command on the sample up to five times")
	}
	cases := []interruptCase{
		{name: "load", sig: syscall.SIGINT, after: "msg=load"},
		{name: "forecast", sig: syscall.SIGINT, after: "msg=step name=load"},
		{name: "layout", sig: syscall.SIGINT, after: `msg=step name="forecast medium"`, delay: 200 * time.Millisecond},
		// The last two need the forecast and the layout first: they run
		// side by side.
		{name: "workbook start", sig: syscall.SIGINT, after: `msg=step name=map`, writing: true},
		{name: "workbook saving SIGTERM", sig: syscall.SIGTERM, after: `msg=step name=map`, writing: true, saving: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.writing {
				t.Parallel()
			}
			interruptPlan(t, tc)
		})
	}
}

func interruptPlan(t *testing.T, tc interruptCase) {
	out, tmp := t.TempDir(), t.TempDir()
	outputs := map[string][]byte{}
	args := []string{"plan", "--log-level", "info", "--draws", "40"}
	for flag, name := range map[string]string{"-o": "plan.xlsx", "--json": "plan.json", "--geojson": "plan.geojson", "--map": "plan.png"} {
		p := filepath.Join(out, name)
		content := []byte("existing " + name + " " + tc.name + "\n")
		if err := os.WriteFile(p, content, 0o644); err != nil {
			t.Fatal(err)
		}
		outputs[p] = content
		args = append(args, flag, p)
	}
	stderr := &stderrWatch{}
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), childEnv+"=1", "TMPDIR="+tmp)
	cmd.Stdout = io.Discard
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	var waitErr error
	go func() {
		waitErr = cmd.Wait()
		close(exited)
	}()
	defer func() {
		select {
		case <-exited:
		default:
			cmd.Process.Kill()
			<-exited
		}
	}()

	// Aim: wait for the stderr fragment, then for the files of a write
	// in progress. A slow machine only makes the wait longer.
	ready := func() bool {
		if !strings.Contains(stderr.String(), tc.after) {
			return false
		}
		if !tc.writing {
			return true
		}
		tmps := glob(t, out, ".plan.xlsx.tmp-*")
		if len(tmps) != 1 || len(glob(t, tmp, "seatplan-xlsx-*")) != 1 {
			return false
		}
		if !tc.saving {
			return true
		}
		st, err := os.Stat(filepath.Join(out, tmps[0]))
		return err == nil && st.Size() > 0
	}
	deadline := time.Now().Add(3 * time.Minute)
	for !ready() {
		select {
		case <-exited:
			if tc.saving && waitErr == nil {
				// A fast machine may compress the whole workbook between
				// two looks at its temporary file.
				t.Skipf("the workbook was saved before its temporary file was seen growing")
			}
			t.Fatalf("plan exited (%v) before the moment to signal it; stderr:\n%s", waitErr, stderr.String())
		case <-time.After(5 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %q on stderr after 3 minutes:\n%s", tc.after, stderr.String())
		}
	}
	time.Sleep(tc.delay)
	sent := time.Now()
	if err := cmd.Process.Signal(tc.sig); err != nil {
		t.Fatal(err)
	}
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("plan still running 30 s after %v; stderr:\n%s", tc.sig, stderr.String())
	}
	took := time.Since(sent)
	t.Logf("%v %s: exit %d after %v", tc.sig, tc.name, cmd.ProcessState.ExitCode(), took.Round(time.Millisecond))

	if want := 128 + int(tc.sig); cmd.ProcessState.ExitCode() != want {
		t.Errorf("exit status %d (%v), want %d; stderr:\n%s", cmd.ProcessState.ExitCode(), waitErr, want, stderr.String())
	}
	if took > stopBound {
		t.Errorf("exited %v after the signal, more than %v", took, stopBound)
	}
	for p, want := range outputs {
		if got, err := os.ReadFile(p); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s changed: %q, %v", filepath.Base(p), got, err)
		}
	}
	if left := glob(t, out, "*"); len(left) != len(outputs) {
		t.Errorf("output folder holds %v, want only the four outputs", left)
	}
	if left := glob(t, tmp, "*"); len(left) > 0 {
		t.Errorf("TMPDIR holds %v, want nothing", left)
	}
}

// glob returns the names in dir matching pattern, hidden ones included.
func glob(t *testing.T, dir, pattern string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if ok, _ := filepath.Match(pattern, e.Name()); ok {
			names = append(names, e.Name())
		}
	}
	return names
}

// stuckWork stands for a step that never checks its context: it holds a
// temporary file (through the context's tracker) and blocks.
func stuckWork(t *testing.T, dir string, holding chan<- string) func(context.Context) int {
	return func(ctx context.Context) int {
		b := atomicfile.NewBatch(ctx)
		err := b.WriteFile(filepath.Join(dir, "out"), func(w io.Writer) error {
			holding <- "writing"
			select {} // never returns, like a step that ignores ctx
		})
		t.Errorf("stuck work returned: %v", err)
		return exitInternal
	}
}

// TestInterruptibleGrace proves the safety net: work that ignores its
// context is abandoned grace after the signal, its temporary file is
// removed, and the status is the signal's.
func TestInterruptibleGrace(t *testing.T) {
	tests := []struct {
		name    string
		signals []os.Signal
		grace   time.Duration
		status  int
	}{
		{"grace runs out", []os.Signal{syscall.SIGINT}, 100 * time.Millisecond, 130},
		{"second signal", []os.Signal{syscall.SIGTERM, syscall.SIGINT}, time.Hour, 143},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			signals := make(chan os.Signal, 2)
			holding := make(chan string, 1)
			var stderr bytes.Buffer
			go func() {
				<-holding
				if left := glob(t, dir, ".out.tmp-*"); len(left) != 1 {
					t.Errorf("while writing, %s holds %v", dir, left)
				}
				for _, s := range tc.signals {
					signals <- s
				}
			}()
			start := time.Now()
			status := interruptible(context.Background(), signals, tc.grace, &stderr, stuckWork(t, dir, holding))
			if status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
			if took := time.Since(start); took > tc.grace+time.Second {
				t.Errorf("returned after %v", took)
			}
			if left := glob(t, dir, "*"); len(left) > 0 {
				t.Errorf("%s holds %v after the stop", dir, left)
			}
			if !strings.Contains(stderr.String(), "seatplan:") {
				t.Errorf("nothing said on stderr")
			}
		})
	}
}

// TestRunInterruptedStatus checks the mapping in run: a command whose
// context a signal cancelled exits 128 plus the signal number and says so.
func TestRunInterruptedStatus(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(&interrupted{sig})
		var stdout, stderr bytes.Buffer
		dir := t.TempDir()
		code := run(ctx, []string{"template", "-o", filepath.Join(dir, "t.xlsx")}, &stdout, &stderr)
		if left := glob(t, dir, "*"); len(left) > 0 {
			t.Errorf("%v: the interrupted template left %v", sig, left)
		}
		if want := 128 + int(sig); code != want {
			t.Errorf("%v: exit %d, want %d; stderr %s", sig, code, want, stderr.String())
		}
		if !strings.Contains(stderr.String(), fmt.Sprintf("(%s)", map[syscall.Signal]string{syscall.SIGINT: "SIGINT", syscall.SIGTERM: "SIGTERM"}[sig])) {
			t.Errorf("%v: stderr %q does not name the signal", sig, stderr.String())
		}
	}
}
