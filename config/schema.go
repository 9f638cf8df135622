// Package config reads the plan file: a TOML document of departments,
// regions and indicators, decoded strictly and validated into an
// indicators.Plan. See README.md ("The plan file") for the reference.
package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// File is the TOML document as written by planning staff.
type File struct {
	Plan        PlanSection  `toml:"plan"`
	Departments []Department `toml:"department"`
	Regions     []Region     `toml:"region"`
	Indicators  []Indicator  `toml:"indicator"`
}

// PlanSection holds plan-wide settings.
type PlanSection struct {
	Name   string `toml:"name"`
	Source string `toml:"source"`
	// Start is when the plan's targets start counting (the default start
	// of every indicator).
	Start Date `toml:"start"`
	// Timezone in which dates are read; default Asia/Shanghai.
	Timezone string `toml:"timezone"`
	// LagMargin: how far below its expected progress ratio a target may
	// be before it is lagging; default 0.1.
	LagMargin *float64 `toml:"lag_margin"`
	// Coordinator is the department id allowed to revise targets by
	// dropping files; TargetEditors are granted the same right.
	Coordinator   string   `toml:"coordinator"`
	TargetEditors []string `toml:"target_editors"`
	// ReportSchedule is the default report_schedule for indicators.
	ReportSchedule string `toml:"report_schedule"`
}

// Department is a [[department]] table.
type Department struct {
	ID   string `toml:"id"`
	Name string `toml:"name"`
}

// Region is a [[region]] table; level is "province" or "city".
type Region struct {
	ID    string `toml:"id"`
	Name  string `toml:"name"`
	Level string `toml:"level"`
}

// Indicator is an [[indicator]] table.
type Indicator struct {
	ID          string   `toml:"id"`
	Task        int      `toml:"task"`
	Section     string   `toml:"section"`
	Name        string   `toml:"name"`
	Text        string   `toml:"text"`
	Unit        string   `toml:"unit"`
	Kind        string   `toml:"kind"`
	Direction   string   `toml:"direction"`
	Measure     string   `toml:"measure"`
	Target      *float64 `toml:"target"`
	Tolerance   float64  `toml:"tolerance"`
	Baseline    *float64 `toml:"baseline"`
	BaselineAt  Date     `toml:"baseline_date"`
	BaselineSrc string   `toml:"baseline_source"`
	Start       Date     `toml:"start"`
	Deadline    Date     `toml:"deadline"`
	Period      string   `toml:"period"`
	Scope       string   `toml:"scope"`

	Lead           []string     `toml:"lead"`
	Participants   []string     `toml:"participants"`
	Checkpoints    []Checkpoint `toml:"checkpoints"`
	ReportSchedule string       `toml:"report_schedule"`
}

// Checkpoint is a dated intermediate value.
type Checkpoint struct {
	Date  Date    `toml:"date"`
	Value float64 `toml:"value"`
}

// Date is a calendar day. It accepts a TOML local date (2023-12-31) or a
// string ("2023-12-31", "2023年12月31日"); the string "ongoing" (持续推进)
// marks a deadline that has none.
type Date struct {
	Year    int
	Month   time.Month
	Day     int
	Ongoing bool
	Set     bool
}

// UnmarshalTOML implements toml.Unmarshaler.
func (d *Date) UnmarshalTOML(v any) error {
	switch x := v.(type) {
	case time.Time:
		*d = Date{Year: x.Year(), Month: x.Month(), Day: x.Day(), Set: true}
		return nil
	case string:
		s := strings.TrimSpace(x)
		if s == "ongoing" || s == "持续推进" {
			*d = Date{Ongoing: true, Set: true}
			return nil
		}
		for _, layout := range []string{"2006-01-02", "2006-1-2", "2006年1月2日", "2006/1/2", "2006.1.2"} {
			if t, err := time.Parse(layout, s); err == nil {
				*d = Date{Year: t.Year(), Month: t.Month(), Day: t.Day(), Set: true}
				return nil
			}
		}
		// 完成时限 as the plans word it: 2023年底, 2023年末 (31 December).
		if m := yearEndRE.FindStringSubmatch(s); m != nil {
			y, _ := strconv.Atoi(m[1])
			*d = Date{Year: y, Month: time.December, Day: 31, Set: true}
			return nil
		}
		return fmt.Errorf("日期格式应为 2023-12-31、\"2023年底\" 或 \"ongoing\"（持续推进）/ date must look like 2023-12-31, \"2023年底\" or \"ongoing\", got %q", x)
	default:
		return fmt.Errorf("日期格式应为 2023-12-31 / date must be a date such as 2023-12-31, got %v", v)
	}
}

// yearEndRE is a year's end as plans write 完成时限: 2023年底, 2023 年末, 2023年底前.
var yearEndRE = regexp.MustCompile(`^(\d{4})\s*年\s*(?:底|末)前?$`)

// String renders the date as the plan writes it.
func (d Date) String() string {
	if d.Ongoing {
		return "ongoing"
	}
	if !d.Set {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// startOf is 00:00 of the day in loc.
func (d Date) startOf(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// endOf is the end of the day in loc: 00:00 of the next day, because "by
// 2023-12-31" (2023年底前) includes that whole day.
func (d Date) endOf(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day+1, 0, 0, 0, 0, loc)
}
