package main

import (
	"runtime/debug"
	"testing"

	"github.com/prometheus/common/version"
)

func TestFillVersionFromBuildInfo(t *testing.T) {
	v, r, d := version.Version, version.Revision, version.BuildDate
	defer func() { version.Version, version.Revision, version.BuildDate = v, r, d }()

	version.Version, version.Revision, version.BuildDate = "", "unknown", ""
	fillVersion(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123abc"}, {Key: "vcs.time", Value: "2026-12-04T22:00:00Z"}, {Key: "vcs.modified", Value: "true"},
	}}, true)
	if version.Version != "(devel)" || version.Revision != "0123abc-dirty" || version.BuildDate != "2026-12-04T22:00:00Z" {
		t.Errorf("version %q revision %q date %q", version.Version, version.Revision, version.BuildDate)
	}

	// -ldflags (the Dockerfile's) win.
	version.Version, version.Revision = "1.2.0", "feedbee"
	fillVersion(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123abc"}}}, true)
	if version.Version != "1.2.0" || version.Revision != "feedbee" {
		t.Errorf("ldflags overridden: %q %q", version.Version, version.Revision)
	}
}
