package config

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/BurntSushi/toml"
)

// A TOML value of the wrong type (target = "66%"), or a date the schema
// cannot read (deadline = "下半年"), fails the whole decode; BurntSushi/toml
// then names the key without its [[table]] element and the line of the
// key's last occurrence in the file, which in a plan of a hundred
// indicators is another indicator. locate finds the element by decoding
// each one alone, so the planner is sent to the right line.

// locate returns the [[table]] element of key (as "indicator.deadline")
// whose value does not decode, or ok false.
func locate(data []byte, key string) (table string, elem int, ok bool) {
	table, _, found := strings.Cut(key, ".")
	if !found {
		return "", 0, false
	}
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return "", 0, false
	}
	elems, _ := raw[table].([]map[string]any)
	for i, m := range elems {
		var buf bytes.Buffer
		if err := toml.NewEncoder(&buf).Encode(m); err != nil {
			continue
		}
		var err error
		switch table {
		case "indicator":
			var one Indicator
			_, err = toml.Decode(buf.String(), &one)
		case "department":
			var one Department
			_, err = toml.Decode(buf.String(), &one)
		case "region":
			var one Region
			_, err = toml.Decode(buf.String(), &one)
		default:
			return "", 0, false
		}
		if err != nil {
			return table, i, true
		}
	}
	return "", 0, false
}

// decodeProblem is the problem a failed decode reports: at the element's
// own line when locate finds it, with advice for the mistakes planners
// make, in Chinese and English.
func decodeProblem(name string, data []byte, line int, key, msg string) Problem {
	p := Problem{File: name, Line: line, Key: orDefault(key, "-")}
	if table, elem, ok := locate(data, key); ok {
		field := strings.TrimPrefix(key, table+".")
		// A key of the element itself has its own line; a nested one
		// (checkpoints.date) keeps the decoder's, which is right there.
		if l := newLineIndex(data).line(table, elem, field); l > 0 && !strings.Contains(field, ".") {
			p.Line = l
		}
		p.Key = fmt.Sprintf("%s[%d].%s", table, elem+1, field)
		if ids := idsOf(data)[table]; elem < len(ids) && ids[elem] != "" {
			p.Key += " (" + ids[elem] + ")"
		}
	}
	zh, en := adviceFor(key, msg)
	p.Msg = zh + " / " + en + ": " + msg
	return p
}

// adviceFor says in words what a decode error most likely means.
func adviceFor(key, msg string) (string, string) {
	last := key
	if i := strings.LastIndexByte(key, '.'); i >= 0 {
		last = key[i+1:]
	}
	switch {
	case strings.Contains(msg, "日期格式"): // the schema's own message says the rest
		return "日期无法识别", "unreadable date"
	case strings.Contains(msg, "invalid UTF-8"):
		return "计划文件不是 UTF-8 编码（记事本“ANSI”即 GBK）：请用“另存为”，编码选 UTF-8 后保存",
			"the plan file is not UTF-8 (Notepad's ANSI is GBK): save it again as UTF-8"
	case strings.ContainsAny(msg, "，＝：“”‘’（）［］；、"):
		return "TOML 格式错误：这一行有中文标点，请改成英文标点（, = : \" [ ]）",
			"invalid TOML: the line has Chinese punctuation; use , = : \" [ ] instead"
	case strings.Contains(msg, "has already been defined"):
		return "TOML 格式错误：每个指标（部门、地区）都以两层方括号 [[indicator]] 开头，单层 [indicator] 只能出现一次",
			"invalid TOML: each indicator (department, region) starts with [[indicator]], double brackets"
	case (last == "lead" || last == "participants" || last == "target_editors") && strings.Contains(msg, "type"):
		return fmt.Sprintf("%s 是部门 id 的列表：写成 %s = [\"hrss\"]，多个部门用逗号隔开", last, last),
			fmt.Sprintf("%s is a list of department ids: write %s = [\"hrss\"]", last, last)
	case strings.Contains(msg, "incompatible types"), strings.Contains(msg, "type"):
		return "类型不对：数字不要加引号、不要带 % 或单位（66% 写成 66），文字要加引号",
			"wrong type: numbers without quotes, % or units (write 66 for 66%), text in quotes"
	}
	return "TOML 格式错误：请检查这一行的引号、方括号和等号", "invalid TOML: check the quotes, brackets and = on this line"
}

// idsOf is the id of each [[table]] element of a plan that decodes
// generically, for naming the element in a problem.
func idsOf(data []byte) map[string][]string {
	out := map[string][]string{}
	var raw map[string]any
	if _, err := toml.Decode(string(data), &raw); err != nil {
		return out
	}
	for _, table := range []string{"indicator", "department", "region"} {
		elems, _ := raw[table].([]map[string]any)
		for _, m := range elems {
			id, _ := m["id"].(string)
			out[table] = append(out[table], id)
		}
	}
	return out
}
