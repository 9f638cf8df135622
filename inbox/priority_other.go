//go:build !linux

package inbox

// lowPriority runs f; only Linux lowers the priority of its thread.
func lowPriority(f func() bool) bool { return f() }
