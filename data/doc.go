// Package data holds seatplan's domain types — areas, population, births,
// schools, enrolment, teachers, attendance zones, candidate sites and
// scenarios — and the loaders that read them from a folder of CSV files or
// from one .xlsx workbook, validating every cell and reporting each problem
// with its file or sheet, row and column.
package data
