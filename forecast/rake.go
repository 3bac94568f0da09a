package forecast

// Rake adjusts the non-negative rows×cols matrix m (row-major) by iterative
// proportional fitting so that its row sums approach rowTarget and its column
// sums equal colTarget. Each of the iters cycles scales rows then columns,
// so the columns hold exactly at the end; the row targets are first scaled
// to the columns' total. A row or column whose sum is zero is left as is. A
// nil rowTarget keeps the rows' own totals, which one cycle leaves to the
// column step alone (a uniform row scaling cancels in it); with more cycles
// it needs a row target.
func Rake(m []float64, rows, cols int, rowTarget, colTarget []float64, iters int, colSum []float64) {
	if len(m) != rows*cols || (rowTarget != nil && len(rowTarget) != rows) || len(colTarget) != cols || len(colSum) != cols {
		panic("forecast: Rake dimensions do not match")
	}
	if rowTarget == nil {
		if iters > 1 {
			panic("forecast: Rake needs row targets for more than one cycle")
		}
		iters = 0
	}
	tr, tc := 0.0, 0.0
	for _, v := range rowTarget {
		tr += v
	}
	for _, v := range colTarget {
		tc += v
	}
	rowScale := 1.0
	if tr > 0 {
		rowScale = tc / tr
	}
	clear(colSum)
	for it := 0; it < iters; it++ {
		// Row step, summing the columns on the way.
		for i := 0; i < rows; i++ {
			row := m[i*cols : (i+1)*cols]
			s := 0.0
			for _, v := range row {
				s += v
			}
			f := 1.0
			if s > 0 {
				f = rowTarget[i] * rowScale / s
			}
			for j, v := range row {
				v *= f
				row[j] = v
				colSum[j] += v
			}
		}
		scaleColumns(m, rows, cols, colTarget, colSum)
	}
	if iters == 0 {
		for i := 0; i < rows; i++ {
			for j, v := range m[i*cols : (i+1)*cols] {
				colSum[j] += v
			}
		}
		scaleColumns(m, rows, cols, colTarget, colSum)
	}
}

// scaleColumns scales each column of m to its target given the column sums
// in colSum, which it clears for the next cycle.
func scaleColumns(m []float64, rows, cols int, colTarget, colSum []float64) {
	for j := range colSum {
		if colSum[j] > 0 {
			colSum[j] = colTarget[j] / colSum[j]
		} else {
			colSum[j] = 1
		}
	}
	for i := 0; i < rows; i++ {
		row := m[i*cols : (i+1)*cols]
		for j := range row {
			row[j] *= colSum[j]
		}
	}
	clear(colSum)
}
