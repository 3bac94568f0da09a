package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCmd(e *env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version, commit and Go version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			v := buildVersion()
			fmt.Fprintf(e.stdout, "seatplan %s\ncommit %s\n%s\n", v.Version, v.Commit, runtime.Version())
			return nil
		},
	}
}

// versionInfo identifies the running build.
type versionInfo struct {
	Version string
	Commit  string
}

// buildVersion reads the module version and VCS revision stamped into the
// binary by the Go toolchain.
func buildVersion() versionInfo {
	v := versionInfo{Version: "(devel)", Commit: "unknown"}
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return v
	}
	if bi.Main.Version != "" {
		v.Version = bi.Main.Version
	}
	modified := false
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			v.Commit = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if modified {
		v.Commit += " (modified)"
	}
	return v
}
