package config

import (
	"bufio"
	"bytes"
	"strings"
)

// lineIndex finds the line of a key in the plan file so that validation
// errors can name it. BurntSushi/toml keeps key positions private, and
// the plan's layout (array tables of flat keys) is simple enough to scan.
type lineIndex struct {
	// tables maps "indicator" to the header line of each [[indicator]].
	tables map[string][]int
	// keys maps "indicator#3.deadline" (table, element, key) to its line.
	keys map[string]int
}

func newLineIndex(data []byte) *lineIndex {
	li := &lineIndex{tables: map[string][]int{}, keys: map[string]int{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64*1024), len(data)+1)
	table, elem := "", -1
	depth := 0 // inside a multi-line array: its lines are not keys
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if depth > 0 {
			depth += bracketDelta(line)
			continue
		}
		switch {
		case line == "" || line[0] == '#':
		case strings.HasPrefix(line, "[["):
			table = strings.TrimSpace(strings.Trim(stripComment(line), "[] "))
			li.tables[table] = append(li.tables[table], n)
			elem = len(li.tables[table]) - 1
		case line[0] == '[':
			table = strings.TrimSpace(strings.Trim(stripComment(line), "[] "))
			li.tables[table] = append(li.tables[table], n)
			elem = 0
		default:
			eq := strings.IndexByte(line, '=')
			if eq <= 0 {
				continue
			}
			key := strings.Trim(strings.TrimSpace(line[:eq]), `"`)
			k := table + "#" + itoa(elem) + "." + key
			if _, dup := li.keys[k]; !dup {
				li.keys[k] = n
			}
			depth = bracketDelta(line[eq+1:])
			if depth < 0 {
				depth = 0
			}
		}
	}
	return li
}

// line returns the line of key in the elem-th table named table, the
// table's header line if the key is absent, or 0.
func (li *lineIndex) line(table string, elem int, key string) int {
	if n, ok := li.keys[table+"#"+itoa(elem)+"."+key]; ok {
		return n
	}
	if hs := li.tables[table]; elem >= 0 && elem < len(hs) {
		return hs[elem]
	}
	return 0
}

// bracketDelta counts unquoted [ minus ] so multi-line arrays can be
// skipped.
func bracketDelta(s string) int {
	d, inStr := 0, byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr != 0:
			if c == '\\' && inStr == '"' {
				i++
			} else if c == inStr {
				inStr = 0
			}
		case c == '"' || c == '\'':
			inStr = c
		case c == '#':
			return d
		case c == '[':
			d++
		case c == ']':
			d--
		}
	}
	return d
}

func stripComment(s string) string {
	if i := strings.IndexByte(s, '#'); i >= 0 {
		return s[:i]
	}
	return s
}

func itoa(i int) string {
	if i < 0 {
		return "-"
	}
	var b [20]byte
	n := len(b)
	for {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
		if i == 0 {
			break
		}
	}
	return string(b[n:])
}
