package main

import (
	"fmt"
	"io"

	"github.com/shandong/indicator_exporter/config"
)

// checkPlans validates each plan file and reports like promtool: a line
// per file, every problem listed, exit 1 if any file is invalid.
func checkPlans(files []string, stdout, stderr io.Writer) int {
	code := 0
	for _, f := range files {
		p, err := config.LoadFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "FAILED %s\n%v\n", f, err)
			code = 1
			continue
		}
		fmt.Fprintf(stdout, "SUCCESS %s: %d indicators, %d departments, %d regions\n",
			f, len(p.Targets), len(p.Departments), len(p.Regions))
	}
	return code
}
