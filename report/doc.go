// Package report writes seatplan's outputs for people and other programs:
// Excel workbooks with bilingual headers, frozen header rows, filters and
// number formats, and JSON summaries. Every file is written atomically.
package report
