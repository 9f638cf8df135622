package submission

import "math"

// seenKeys finds the series points (indicator, region, as_of) a file names
// twice, and the line that named each first. A map of every point costs a
// cache miss for each row of a large file. So while the file gives each
// series its dates in ascending order, as most files do (one date per
// file, or a series after another), a date after the series' last cannot
// repeat one, and the point is only logged; the first date out of order
// turns the log into that map.
type seenKeys struct {
	regions    int                 // in the plan
	indicators map[string]int      // a number for each indicator id, as they come
	last       []int64             // by series: its latest date so far
	log        [][]seenPoint       // every point so far, while in order
	at         map[seriesPoint]int // the line of every point so far, once out of order
}

// seriesPoint is a point of series number indicator number × regions +
// region index; its date is in Unix time. It holds no strings, so that
// neither hashing it nor collecting the log scans any.
type seriesPoint struct {
	series int
	asOf   int64
}

// seenPoint is a logged point, 16 bytes: a file of millions of rows logs
// one per row.
type seenPoint struct {
	asOf   int64
	series int32
	line   int32
}

func newSeenKeys(regions int) *seenKeys {
	return &seenKeys{regions: regions, indicators: map[string]int{}}
}

// indicator is the number of an indicator id, by which add knows it.
func (s *seenKeys) indicator(id string) int {
	n, ok := s.indicators[id]
	if !ok {
		n = len(s.indicators)
		s.indicators[id] = n
		for range s.regions {
			s.last = append(s.last, math.MinInt64)
		}
	}
	return n
}

// add records that line names the point at asOf of the series of
// indicator (a number from s.indicator) in region (an index in the plan's
// regions), or returns the line that named it first.
func (s *seenKeys) add(indicator, region int, asOf int64, line int) (first int, dup bool) {
	p := seriesPoint{indicator*s.regions + region, asOf}
	if s.at == nil {
		if asOf > s.last[p.series] {
			s.last[p.series] = asOf
			s.logPoint(seenPoint{asOf: asOf, series: int32(p.series), line: int32(line)})
			return 0, false
		}
		s.toMap()
	}
	if first, dup := s.at[p]; dup {
		return first, true
	}
	s.at[p] = line
	return 0, false
}

// logPoint appends p to the log. The log grows by chunks, each twice the
// size of the one before, rather than by copying it all.
func (s *seenKeys) logPoint(p seenPoint) {
	n := len(s.log)
	if n == 0 || len(s.log[n-1]) == cap(s.log[n-1]) {
		size := 64
		if n > 0 {
			size = 2 * cap(s.log[n-1])
		}
		s.log = append(s.log, make([]seenPoint, 0, size))
		n++
	}
	s.log[n-1] = append(s.log[n-1], p)
}

// toMap turns the log into the map.
func (s *seenKeys) toMap() {
	s.at = map[seriesPoint]int{}
	for _, chunk := range s.log {
		for _, p := range chunk {
			s.at[seriesPoint{int(p.series), p.asOf}] = int(p.line)
		}
	}
	s.log = nil
}
