package store

// daySet is a set of day numbers, a bit each over the span between the
// least and the greatest: a Writer remembers the dates of a series it
// folded away in it, whatever the number of rows (a series over two
// centuries of daily dates takes 9 KiB).
type daySet struct {
	base int32 // the day of bit 0, a multiple of 64
	bits []uint64
}

func (s *daySet) has(d int32) bool {
	if d < s.base {
		return false
	}
	i := int(d-s.base) / 64
	return i < len(s.bits) && s.bits[i]&(1<<(uint(d-s.base)%64)) != 0
}

func (s *daySet) add(d int32) {
	base := d - ((d%64)+64)%64
	switch {
	case s.bits == nil:
		s.base = base
	case d < s.base:
		grow := int(s.base-base) / 64
		s.bits = append(make([]uint64, grow, grow+len(s.bits)), s.bits...)
		s.base = base
	}
	i := int(d-s.base) / 64
	for i >= len(s.bits) {
		s.bits = append(s.bits, 0)
	}
	s.bits[i] |= 1 << (uint(d-s.base) % 64)
}
