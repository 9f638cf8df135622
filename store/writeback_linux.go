package store

import (
	"os"
	"syscall"
)

// startWriteback asks the kernel to start writing f's dirty pages to
// disk, without waiting for them (sync_file_range, SYNC_FILE_RANGE_WRITE).
// Best effort: an error only leaves the pages to the commit's fsync.
func startWriteback(f *os.File) {
	const syncFileRangeWrite = 2
	_, _, _ = syscall.Syscall6(syscall.SYS_SYNC_FILE_RANGE, f.Fd(), 0, 0, syncFileRangeWrite, 0, 0)
}
