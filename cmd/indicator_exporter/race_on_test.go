//go:build race

package main

// raceEnabled: the tests run under -race, so the reliability tests start a
// daemon built with -race too and fail on any race it reports.
const raceEnabled = true
