package data

import (
	"errors"
	"fmt"
	"strings"
)

// ProblemCap is how many problems a ValidationError lists before it only
// counts the rest.
const ProblemCap = 200

// ParseError locates one problem in an input: a file (or sheet), a row as a
// spreadsheet shows it (header = row 1; 0 when the problem concerns the whole
// file) and a column name (empty when it concerns the whole row or file).
type ParseError struct {
	File   string
	Row    int
	Column string
	Err    error
}

// Error formats the problem as FILE:ROW:COLUMN: message.
func (e *ParseError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Row > 0 {
		fmt.Fprintf(&b, ":%d", e.Row)
	}
	if e.Column != "" {
		if e.Row == 0 {
			b.WriteString(":")
		}
		b.WriteString(":" + e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap returns the underlying error.
func (e *ParseError) Unwrap() error { return e.Err }

// ValidationError carries every problem found in a dataset (up to ProblemCap
// listed, More counted beyond that). Callers exit with status 2 on it.
type ValidationError struct {
	Problems []*ParseError
	More     int
}

// Error lists the problems, one per line.
func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d problem(s) in the input:", len(e.Problems)+e.More)
	for _, p := range e.Problems {
		b.WriteString("\n")
		b.WriteString(p.Error())
	}
	if e.More > 0 {
		fmt.Fprintf(&b, "\nand %d more", e.More)
	}
	return b.String()
}

// IsInvalidInput reports whether err means the input (not the program) is at
// fault, so the command should exit with status 2.
func IsInvalidInput(err error) bool {
	var v *ValidationError
	var p *ParseError
	return errors.As(err, &v) || errors.As(err, &p)
}

// problems collects located problems and warnings while a dataset loads.
type problems struct {
	// rows holds, per table, the file row of each decoded record, and locs
	// the file or sheet name, so cross-table checks can point at cells.
	rows     map[string][]int
	locs     map[string]string
	errs     []*ParseError
	more     int
	warnings []*ParseError
	moreWarn int
}

func (p *problems) add(file string, row int, col string, format string, args ...any) {
	if len(p.errs) >= ProblemCap {
		p.more++
		return
	}
	p.errs = append(p.errs, &ParseError{File: file, Row: row, Column: col, Err: fmt.Errorf(format, args...)})
}

func (p *problems) warn(file string, row int, col string, format string, args ...any) {
	if len(p.warnings) >= ProblemCap {
		p.moreWarn++
		return
	}
	p.warnings = append(p.warnings, &ParseError{File: file, Row: row, Column: col, Err: fmt.Errorf(format, args...)})
}

func (p *problems) count() int { return len(p.errs) + p.more }

func (p *problems) err() error {
	if p.count() == 0 {
		return nil
	}
	return &ValidationError{Problems: p.errs, More: p.more}
}

// at returns the file or sheet and row of record i of table.
func (p *problems) at(table string, i int) (string, int) {
	loc := p.locs[table]
	if loc == "" {
		loc = table
	}
	if i < 0 || i >= len(p.rows[table]) {
		return loc, 0
	}
	return loc, p.rows[table][i]
}

// addAt reports a problem at record i of table.
func (p *problems) addAt(table string, i int, col string, format string, args ...any) {
	loc, row := p.at(table, i)
	p.add(loc, row, col, format, args...)
}

// warnAt warns about record i of table.
func (p *problems) warnAt(table string, i int, col string, format string, args ...any) {
	loc, row := p.at(table, i)
	p.warn(loc, row, col, format, args...)
}

// file returns the file or sheet name of table.
func (p *problems) file(table string) string {
	loc, _ := p.at(table, -1)
	return loc
}

// rowOf returns the file row of record i of table.
func (p *problems) rowOf(table string, i int) int {
	_, row := p.at(table, i)
	return row
}
