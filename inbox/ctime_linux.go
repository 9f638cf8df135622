//go:build linux

package inbox

import (
	"io/fs"
	"syscall"
	"time"
)

// changeTime is the inode's change time: a rewrite that keeps the size
// and resets the modification time (or lands within a share's coarse
// mtime resolution) still moves it, and utimes cannot set it back.
func changeTime(fi fs.FileInfo) time.Time {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return time.Unix(st.Ctim.Sec, st.Ctim.Nsec)
	}
	return time.Time{}
}
