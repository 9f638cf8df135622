package submission

import (
	"fmt"

	"github.com/shandong/indicator_exporter/indicators"
)

// breakdowns are the city figures a sheet gives beside a province-wide
// indicator's province figure (全省 89.5 above 济南市 10.2, 青岛市 11.4…),
// as statistics offices lay them out. The province's figure is what the
// plan judges; the cities' are passed over, and said so. A city figure
// with no province figure before it (in the rows) or beside it (in a
// table of cities across) is refused as before: the province's is not
// their sum for every indicator (rates, averages), and a file of city
// figures alone has nothing to store.
type breakdowns struct {
	order    []*indicators.Target
	lines    map[*indicators.Target][]int
	province map[*indicators.Target]bool
}

// skip notes a row of indicator t for a region of that level and reports
// whether it is a city figure of a province-wide indicator whose province
// figure came before, to pass over.
func (b *breakdowns) skip(t *indicators.Target, level indicators.RegionLevel, line int) bool {
	if t == nil || t.Scope == indicators.EachCity {
		return false
	}
	if level != indicators.CityLevel {
		if b.province == nil {
			b.province = map[*indicators.Target]bool{}
		}
		b.province[t] = true
		return false
	}
	if !b.province[t] {
		return false // no province figure yet: refused as a city of a province-wide indicator
	}
	b.add(t, line)
	return true
}

// add notes a city figure of t passed over on line.
func (b *breakdowns) add(t *indicators.Target, line int) {
	if b.lines == nil {
		b.lines = map[*indicators.Target][]int{}
	}
	if _, ok := b.lines[t]; !ok {
		b.order = append(b.order, t)
	}
	if ls := b.lines[t]; len(ls) == 0 || ls[len(ls)-1] != line {
		b.lines[t] = append(ls, line)
	}
}

// report warns of the city figures passed over, once an indicator.
func (b *breakdowns) report(f *File) {
	for _, t := range b.order {
		lines := b.lines[t]
		f.Warnings = append(f.Warnings, Problem{Line: lines[0],
			Zh: fmt.Sprintf("指标 %s（%s）是全省指标，只读取全省的数；各市的分项数（第 %s 行）已忽略", t.ID, DisplayName(t.Name), lineList(lines)),
			En: fmt.Sprintf("indicator %s (%s) is province-wide: its province figure is read, the cities' figures (line %s) were ignored", t.ID, DisplayName(t.Name), lineList(lines))})
	}
}

// provinceCell reports whether a row of a table of cities across has a
// figure in a column that is not a city's (全省, 合计, the province).
func provinceCell(rec []string, across []regionColumn, regions map[string]planRegion) bool {
	for _, rc := range across {
		if regions[rc.region].level != indicators.CityLevel && !noFigure(rec[rc.col]) {
			return true
		}
	}
	return false
}
