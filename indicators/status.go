package indicators

// Status is the one-word verdict on a target. Where several apply, the
// earliest in Statuses wins (see README, "Status precedence").
type Status string

const (
	// Achieved: the target is met (this year's, for annual targets; the
	// level holds, for sustained ones).
	Achieved Status = "achieved"
	// Overdue: the deadline has passed and the target is not met.
	Overdue Status = "overdue"
	// Stale: a report was due by the report schedule and has not come
	// (including a first report).
	Stale Status = "stale"
	// NoData: nothing has been reported (this year, for annual targets)
	// and no report is due yet, or the target has no report schedule.
	NoData Status = "no_data"
	// Lagging: progress trails the expected progress by more than the
	// margin; for sustained targets, the level is breached.
	Lagging Status = "lagging"
	// Ongoing: no deadline and no pace to judge against (持续推进).
	Ongoing Status = "ongoing"
	// OnTrack: none of the above.
	OnTrack Status = "on_track"
)

// Statuses lists every status in precedence order.
var Statuses = []Status{Achieved, Overdue, Stale, NoData, Lagging, Ongoing, OnTrack}

// Chinese is the word shown to leaders.
func (s Status) Chinese() string {
	switch s {
	case Achieved:
		return "已完成"
	case Overdue:
		return "已逾期"
	case NoData:
		return "无数据"
	case Stale:
		return "未按时报送"
	case Lagging:
		return "滞后"
	case Ongoing:
		return "持续推进"
	case OnTrack:
		return "正常推进"
	}
	return string(s)
}
