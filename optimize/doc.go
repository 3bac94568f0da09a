// Package optimize holds the layout optimisation kernels of seatplan: an exact
// integer min-cost-flow solver (primal network simplex) that assigns pupils to
// seats at least total travel and explains unmet demand, and the p-median and
// coverage core that chooses school sites with a stated optimality gap. The
// kernels are pure computation on plain slices and know nothing of files,
// workbooks or terminals, apart from the DIMACS min-cost-flow format that lets
// the flow solver be checked against other solvers.
package optimize
