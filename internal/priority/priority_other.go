//go:build !linux

package priority

// Background runs f; only Linux lowers the priority of its thread.
func Background(f func()) { f() }
