// Package sample embeds seatplan's built-in dataset: a synthetic city scaled
// to the public totals of Liaocheng, Shandong (2020 census 5,952,128
// residents in eight counties and districts plus three functional zones;
// 101,500 births at the 2017 peak). Every area, township, school, name and
// count in it is invented by package synth with the City scale and seed 1;
// nothing describes a real school or village, and every dataset it loads is
// marked Synthetic. The files are regenerated with one command,
// `go generate ./data/sample/`, which writes gzipped CSV files into files/.
package sample
