package main

import (
	"runtime/debug"

	"github.com/prometheus/common/version"
)

// fillVersion gives a plain `go build` (no -ldflags, as the Dockerfile
// passes) a version from what the Go toolchain records: the module
// version and the VCS revision, time and dirty flag. Set values win.
func fillVersion(bi *debug.BuildInfo, ok bool) {
	if !ok {
		return
	}
	if version.Version == "" {
		version.Version = bi.Main.Version // "(devel)" in a checkout
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			if version.Revision == "" || version.Revision == "unknown" {
				version.Revision = s.Value
			}
		case "vcs.time":
			if version.BuildDate == "" {
				version.BuildDate = s.Value
			}
		case "vcs.modified":
			if s.Value == "true" && version.Revision != "" && version.Revision != "unknown" {
				version.Revision += "-dirty"
			}
		}
	}
}
