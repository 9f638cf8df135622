package priority

import (
	"runtime/debug"
	"testing"
)

// While bulk work holds it the collector's target is at least 100; after
// the last holder, what it was. A higher target and GOGC=off stay.
func TestBulkGCRaisesALowTargetWhileHeld(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct{ before, during int }{{50, 100}, {25, 100}, {100, 100}, {300, 300}, {-1, -1}} {
		debug.SetGCPercent(tc.before)
		a := BulkGC()
		b := BulkGC()
		if got := debug.SetGCPercent(tc.during); got != tc.during {
			t.Errorf("GC percent %d: %d while held, want %d", tc.before, got, tc.during)
		}
		a()
		a()
		if got := debug.SetGCPercent(tc.during); got != tc.during {
			t.Errorf("GC percent %d: %d with one holder left, want %d", tc.before, got, tc.during)
		}
		b()
		if got := debug.SetGCPercent(tc.before); got != tc.before {
			t.Errorf("GC percent %d: %d after the last holder, want %d back", tc.before, got, tc.before)
		}
	}
}
