#!/usr/bin/env bash
# Writes the plan workbook for the embedded sample and converts it with
# LibreOffice headless, to show that the workbook opens and prints (summary
# with its charts and map on the first page). With --images DIR it also
# renders that page and the map as PNG pictures (pdftoppm) for the README.
#
# Usage: scripts/check-plan-pdf.sh [--images DIR]
# Needs: soffice (Debian: libreoffice-calc-nogui), and pdftoppm
# (poppler-utils) for --images.
set -euo pipefail
cd "$(dirname "$0")/.."

images=""
if [ "${1:-}" = "--images" ]; then
  images="${2:?--images needs a directory}"
fi
if ! command -v soffice >/dev/null; then
  echo "check-plan-pdf: soffice not found (apt-get install libreoffice-calc-nogui)" >&2
  exit 3
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go run ./cmd/seatplan plan --draws "${DRAWS:-200}" -o "$work/plan.xlsx" --map "$work/map.png" >/dev/null

# The full workbook runs to thousands of pages (one row per school, year and
# allocation); printing the first pages shows that LibreOffice loads every
# sheet and lays out the summary with its charts.
HOME="$work" soffice --headless --norestore \
  --convert-to 'pdf:calc_pdf_Export:{"PageRange":{"type":"string","value":"1-2"}}' \
  --outdir "$work" "$work/plan.xlsx" >"$work/soffice.log" 2>&1 || {
  cat "$work/soffice.log" >&2
  echo "check-plan-pdf: soffice failed" >&2
  exit 1
}
if [ ! -s "$work/plan.pdf" ] || [ "$(head -c 5 "$work/plan.pdf")" != "%PDF-" ]; then
  cat "$work/soffice.log" >&2
  echo "check-plan-pdf: no PDF written" >&2
  exit 1
fi
echo "check-plan-pdf: plan.xlsx converted to PDF ($(wc -c <"$work/plan.pdf") bytes)"

if [ -n "$images" ]; then
  mkdir -p "$images"
  pdftoppm -f 1 -l 1 -r 110 -png -singlefile "$work/plan.pdf" "$images/summary"
  cp "$work/map.png" "$images/map.png"
  echo "check-plan-pdf: wrote $images/summary.png and $images/map.png"
fi
