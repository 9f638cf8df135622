//go:build unix

package inbox

import (
	"io/fs"
	"syscall"
)

// Open flags of readNoFollow: never follow a symlink, never block on a pipe.
const (
	openNoFollow = syscall.O_NOFOLLOW
	openNonBlock = syscall.O_NONBLOCK
)

// linkCount is the number of names (hard links) a file has.
func linkCount(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink)
	}
	return 1
}
