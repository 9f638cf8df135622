package submission

import "testing"

// point is one row's series point for seenKeys: an indicator and region
// number and a date.
type point struct {
	indicator, region int
	asOf              int64
}

// checkSeen feeds points to seenKeys as rows on lines 1, 2, … and asserts
// that it finds exactly the repeats a map of every point finds.
func checkSeen(t *testing.T, points []point) {
	t.Helper()
	const regions = 3
	s := newSeenKeys(regions)
	for i := range 4 {
		if n := s.indicator(string(rune('a' + i))); n != i {
			t.Fatalf("indicator %d numbered %d", i, n)
		}
	}
	want := map[point]int{}
	for i, p := range points {
		line := i + 1
		first, dup := s.add(p.indicator, p.region, p.asOf, line)
		wantFirst, wantDup := want[p]
		if dup != wantDup || first != wantFirst {
			t.Fatalf("line %d %+v: add = %d, %v; want %d, %v (points %v)", line, p, first, dup, wantFirst, wantDup, points)
		}
		if !dup {
			want[p] = line
		}
	}
}

func TestSeenKeysFindsEveryRepeat(t *testing.T) {
	tests := map[string][]point{
		"dates in order, series interleaved":  {{0, 0, 1}, {0, 1, 1}, {1, 0, 1}, {0, 0, 2}, {0, 1, 2}, {1, 0, 2}},
		"a repeat of the last date":           {{0, 0, 1}, {0, 0, 2}, {0, 0, 2}},
		"a repeat of an earlier date":         {{0, 0, 1}, {0, 0, 2}, {0, 0, 1}},
		"a repeat across series":              {{0, 0, 1}, {1, 0, 1}, {0, 0, 1}},
		"a date out of order, then a repeat":  {{0, 0, 5}, {0, 0, 3}, {1, 2, 9}, {0, 0, 5}, {1, 2, 9}, {0, 0, 3}},
		"dates descending":                    {{2, 1, 9}, {2, 1, 8}, {2, 1, 7}, {2, 1, 8}},
		"negative dates and the smallest one": {{0, 0, -1 << 63}, {0, 0, -5}, {0, 0, -1 << 63}},
		"the same date in every series":       {{0, 0, 7}, {0, 1, 7}, {0, 2, 7}, {1, 0, 7}, {3, 2, 7}, {3, 2, 7}},
	}
	for name, points := range tests {
		t.Run(name, func(t *testing.T) { checkSeen(t, points) })
	}
}

// The log grows by chunks; a file far longer than the first chunk keeps
// every point.
func TestSeenKeysAcrossLogChunks(t *testing.T) {
	var points []point
	for d := range int64(300) {
		for r := range 3 {
			points = append(points, point{int(d % 4), r, d})
		}
	}
	points = append(points, point{1, 2, 5}, point{1, 2, 1}, point{1, 2, 5})
	checkSeen(t, points)
}

// FuzzSeenKeys: seenKeys finds the repeats a map finds, in any order.
func FuzzSeenKeys(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 0, 2, 0, 0, 1})
	f.Add([]byte{3, 2, 9, 3, 2, 8, 1, 1, 1, 3, 2, 9})
	f.Fuzz(func(t *testing.T, b []byte) {
		var points []point
		for ; len(b) >= 3; b = b[3:] {
			points = append(points, point{int(b[0] % 4), int(b[1] % 3), int64(b[2] % 16)})
		}
		checkSeen(t, points)
	})
}
