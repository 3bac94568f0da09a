// Package geo answers "who can reach which school, and how far is it": it turns
// WGS84 lon/lat points into travel distances and times (great-circle distance
// times a circuity factor, or shortest paths over an optional road network read
// from GeoJSON), indexes facility points so that only pairs within a distance
// limit or the k nearest are ever generated, and returns those pairs in a
// compact sparse (CSR) table. It works on plain orb.Point values and integer
// indices so that callers map their own areas and schools to points; there is
// no dense demand × facility matrix anywhere.
package geo
