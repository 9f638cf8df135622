//go:build !unix

package inbox

import "io/fs"

// Elsewhere (Windows) the scan's checks are all there is.
const (
	openNoFollow = 0
	openNonBlock = 0
)

func linkCount(fs.FileInfo) uint64 { return 1 }
