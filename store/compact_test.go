package store

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shandong/indicator_exporter/indicators"
)

// A run's compact blob gives back every observation exactly: decimals,
// values that are not, and the edges of float64.
func TestRunRoundTrip(t *testing.T) {
	dc := newDayCache(shanghai)
	d := func(y int, m time.Month, day int) int64 { return time.Date(y, m, day, 0, 0, 0, 0, shanghai).Unix() }
	recv := time.Date(2026, 12, 5, 9, 30, 0, 123e6, shanghai).UnixMilli()
	values := []float64{0, 1, -1, 66.5, 0.1, 0.3, 1.1e6, 2.25, -2.5e8, 123456.789012, 1e-9, 1.0 / 3, math.Pi,
		math.MaxFloat64, math.SmallestNonzeroFloat64, -math.MaxFloat64, 9007199254740993, math.Copysign(0, -1), 0.1 + 0.2}
	r := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		values = append(values, float64(r.IntN(1e7))/10, r.NormFloat64()*1e4, float64(r.Int64()))
	}
	var in []indicators.Observation
	day := d(1999, 12, 31)
	for i, v := range values {
		day += int64(1+i%400) * 86400
		in = append(in, indicators.Observation{AsOf: day, Value: v, Received: recv})
	}
	in = append(in, indicators.Observation{AsOf: d(2150, 1, 1), Value: 1, Received: recv}) // past the day cache's slice
	b := encodeRun(nil, in, dc)
	out, err := decodeRunInto(nil, b, dc)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != len(in) {
		t.Fatalf("%d observations back of %d", len(out), len(in))
	}
	for i := range in {
		if out[i].AsOf != in[i].AsOf || math.Float64bits(out[i].Value) != math.Float64bits(in[i].Value) || out[i].Received != in[i].Received {
			t.Fatalf("%d: %+v, want %+v", i, out[i], in[i])
		}
	}
	// Reported figures are decimals: a run of them, a day apart, takes
	// about 5 bytes an observation (20 in a series_state blob).
	var decimals []indicators.Observation
	for i := range 1000 {
		decimals = append(decimals, indicators.Observation{AsOf: d(2023, 1, 1) + int64(i)*86400, Value: float64(r.IntN(1e6)) / 10, Received: recv})
	}
	if perObs := float64(len(encodeRun(nil, decimals, dc))) / 1000; perObs > 6 {
		t.Errorf("%.1f bytes a decimal observation, want at most 6", perObs)
	}
	for cut := range len(b) - 1 {
		if _, err := decodeRunInto(nil, b[:cut], dc); err == nil {
			t.Fatalf("a blob cut to %d of %d bytes decoded", cut, len(b))
		}
	}
}

func FuzzRunCodec(f *testing.F) {
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9}, int64(19000), uint8(3))
	f.Fuzz(func(t *testing.T, raw []byte, first int64, gap uint8) {
		dc := newDayCache(shanghai)
		// Any bytes: an error or observations, never a panic.
		decodeRunInto(nil, raw, dc)
		// Any values read from the bytes, on dates from first: back exactly.
		var in []indicators.Observation
		day := int32(first%40000) + 1
		for i := 0; i+8 <= len(raw); i += 8 {
			v := math.Float64frombits(uint64(raw[i]) | uint64(raw[i+1])<<8 | uint64(raw[i+2])<<16 | uint64(raw[i+3])<<24 |
				uint64(raw[i+4])<<32 | uint64(raw[i+5])<<40 | uint64(raw[i+6])<<48 | uint64(raw[i+7])<<56)
			in = append(in, indicators.Observation{AsOf: dc.unix(day), Value: v, Received: 1})
			day += int32(gap) + 1
		}
		out, err := decodeRunInto(nil, encodeRun(nil, in, dc), dc)
		if err != nil || len(out) != len(in) {
			t.Fatalf("round trip: %v, %d of %d", err, len(out), len(in))
		}
		for i := range in {
			if out[i].AsOf != in[i].AsOf || math.Float64bits(out[i].Value) != math.Float64bits(in[i].Value) {
				t.Fatalf("%d: %+v, want %+v", i, out[i], in[i])
			}
		}
	})
}
