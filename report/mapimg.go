package report

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"image/color"
	"math"
	"os"

	xfont "golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"

	"github.com/seatplan/seatplan/data"
)

// CJKFontFiles lists where Debian and Ubuntu install fonts with Chinese
// glyphs (fonts-wqy-microhei, fonts-wqy-zenhei, fonts-noto-cjk,
// fonts-droid-fallback), in order of preference.
var CJKFontFiles = []string{
	"/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
	"/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
	"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
}

// MapOptions tunes RenderMap. The zero value selects the defaults.
type MapOptions struct {
	// Width and Height of the picture; zero means 24 cm by 20 cm.
	Width, Height vg.Length
	// FontFiles are tried in order for a font with Chinese glyphs; nil
	// means CJKFontFiles. When none loads, labels are in English only.
	FontFiles []string
}

// Map is a rendered layout map.
type Map struct {
	PNG []byte
	// Chinese tells whether a CJK font was found and the labels are
	// bilingual; otherwise they are English only.
	Chinese bool
	// Font is the font file used, empty for the built-in Latin font.
	Font string
}

// loadCJKFont returns the first of files that holds a font (the first
// face of a collection) with both Chinese and Latin glyphs, or nil.
func loadCJKFont(files []string) (*opentype.Font, string) {
	var buf sfnt.Buffer
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		b, err = alignedFont(b)
		if err != nil {
			continue
		}
		f, err := opentype.Parse(b)
		if err != nil {
			continue
		}
		if hasGlyphs(f, &buf, "中学A9") {
			return f, name
		}
	}
	return nil, ""
}

func hasGlyphs(f *opentype.Font, buf *sfnt.Buffer, s string) bool {
	for _, r := range s {
		if g, err := f.GlyphIndex(buf, r); err != nil || g == 0 {
			return false
		}
	}
	return true
}

// alignedFont returns the first font of a TrueType or OpenType file or
// collection as a standalone font with every table starting on a four-byte
// boundary. Some collections (WenQuanYi's among them) pack tables
// unaligned, which golang.org/x/image/font/sfnt rejects.
func alignedFont(b []byte) ([]byte, error) {
	u16 := func(o int) int { return int(binary.BigEndian.Uint16(b[o:])) }
	u32 := func(o int) int { return int(binary.BigEndian.Uint32(b[o:])) }
	off := 0
	if len(b) >= 16 && string(b[:4]) == "ttcf" {
		off = u32(12)
	}
	if off < 0 || off+12 > len(b) {
		return nil, errors.New("font: offset table out of range")
	}
	n := u16(off + 4)
	head := 12 + 16*n
	if off+head > len(b) {
		return nil, errors.New("font: table records out of range")
	}
	out := make([]byte, head, len(b))
	copy(out, b[off:off+head])
	for t := range n {
		rec := 12 + 16*t
		o, l := u32(off+rec+8), u32(off+rec+12)
		if o < 0 || l < 0 || o+l > len(b) {
			return nil, errors.New("font: table out of range")
		}
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
		binary.BigEndian.PutUint32(out[rec+8:], uint32(len(out)))
		out = append(out, b[o:o+l]...)
	}
	return out, nil
}

// actionStyles gives each action its colour, glyph and size on the map, in
// legend order.
var actionStyles = []struct {
	action Action
	en     string
	colour color.RGBA
	shape  draw.GlyphDrawer
	radius vg.Length
}{
	{ActionKeep, "keep", color.RGBA{R: 150, G: 150, B: 150, A: 255}, draw.CircleGlyph{}, 1.3},
	{ActionReceive, "receive", color.RGBA{R: 31, G: 119, B: 180, A: 255}, draw.CircleGlyph{}, 2.6},
	{ActionConvert, "nine-year", color.RGBA{R: 148, G: 103, B: 189, A: 255}, draw.SquareGlyph{}, 2.6},
	{ActionClose, "close", color.RGBA{R: 214, G: 39, B: 40, A: 255}, draw.CrossGlyph{}, 2.6},
	{ActionNew, "new", color.RGBA{R: 44, G: 160, B: 44, A: 255}, draw.TriangleGlyph{}, 4.5},
}

// segments draws straight lines between pairs of points.
type segments struct {
	lines [][2]plotter.XY
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (s *segments) Plot(c draw.Canvas, p *plot.Plot) {
	tx, ty := p.Transforms(&c)
	c.SetLineStyle(s.style)
	for _, l := range s.lines {
		a := vg.Point{X: tx(l[0].X), Y: ty(l[0].Y)}
		b := vg.Point{X: tx(l[1].X), Y: ty(l[1].Y)}
		c.StrokeLines(s.style, c.ClipLinesXY([]vg.Point{a, b})...)
	}
}

// RenderMap draws the plan as a PNG: area demand of the target year as faint
// dots sized by pupils, schools coloured by their proposed action, a line
// from each closed school to each of its receivers, and new sites. The
// x axis is longitude scaled by the cosine of the mean latitude so that
// distances look right. It returns ctx's error when ctx is done before
// drawing or before encoding; the drawing itself runs to its end (well
// under a second for a city).
func RenderMap(ctx context.Context, p *Plan, opt MapOptions) (*Map, error) {
	if opt.Width == 0 {
		opt.Width = 24 * vg.Centimeter
	}
	if opt.Height == 0 {
		opt.Height = 20 * vg.Centimeter
	}
	if opt.FontFiles == nil {
		opt.FontFiles = CJKFontFiles
	}
	out := &Map{}
	pl := plot.New()
	if f, name := loadCJKFont(opt.FontFiles); f != nil {
		out.Chinese, out.Font = true, name
		cjk := font.Font{Typeface: "cjk", Weight: xfont.WeightNormal}
		hdlr := text.Plain{Fonts: font.NewCache(font.Collection{{Font: cjk, Face: f}})}
		setFonts(pl, hdlr, cjk)
	}
	// The legend is drawn after the plot, on a box of its own, so that
	// dots and merge lines do not run through its text; pl.Legend stays
	// empty.
	leg := pl.Legend
	leg.Top, leg.Left = true, true
	label := func(zh, en string) string {
		if out.Chinese {
			return zh + " " + en
		}
		return en
	}
	lay := p.Layout
	title := label(fmt.Sprintf("%d年学校布局方案", lay.TargetYear), fmt.Sprintf("School layout %d", lay.TargetYear))
	if p.Forecast.Synthetic || lay.Synthetic {
		title += "\n" + label("合成示例数据，非真实统计", "synthetic sample data, not real statistics")
	}
	pl.Title.Text = title
	pl.X.Label.Text = label("经度", "longitude")
	pl.Y.Label.Text = label("纬度", "latitude")

	var lat0 float64
	if p.Dataset != nil && len(p.Dataset.Schools) > 0 {
		for i := range p.Dataset.Schools {
			lat0 += p.Dataset.Schools[i].Lat
		}
		lat0 /= float64(len(p.Dataset.Schools))
	}
	kx := math.Cos(lat0 * math.Pi / 180)
	xy := func(lon, lat float64) plotter.XY { return plotter.XY{X: lon * kx, Y: lat} }

	// Area demand: faint dots, area ∝ pupils.
	if p.Dataset != nil {
		where := map[string]plotter.XY{}
		for i := range p.Dataset.Areas {
			a := &p.Dataset.Areas[i]
			where[a.ID] = xy(a.Lon, a.Lat)
		}
		var pts plotter.XYs
		var pupils []float64
		for _, a := range p.Forecast.Areas {
			at, ok := where[a.AreaID]
			if !ok {
				continue
			}
			for _, y := range a.Years {
				if y.Year != lay.TargetYear {
					continue
				}
				n := 0.0
				for _, l := range data.Levels {
					n += y.Demand.Level(l).P50
				}
				if n > 0 {
					pts = append(pts, at)
					pupils = append(pupils, n)
				}
			}
		}
		if len(pts) > 0 {
			sc, err := plotter.NewScatter(pts)
			if err != nil {
				return nil, fmt.Errorf("map: %w", err)
			}
			faint := color.NRGBA{R: 230, G: 150, B: 50, A: 90}
			sc.GlyphStyleFunc = func(i int) draw.GlyphStyle {
				return draw.GlyphStyle{Color: faint, Shape: draw.CircleGlyph{}, Radius: vg.Length(math.Min(6, 0.6+0.12*math.Sqrt(pupils[i])))}
			}
			pl.Add(sc)
			leg.Add(label("片区需求", "area demand"), sc)
		}
	}

	// Merge lines, then schools by action on top.
	actions := SchoolActions(lay)
	at := map[string]plotter.XY{}
	byAction := map[Action]plotter.XYs{}
	if p.Dataset != nil {
		for i := range p.Dataset.Schools {
			s := &p.Dataset.Schools[i]
			at[s.ID] = xy(s.Lon, s.Lat)
			act := actions[s.ID]
			if act == "" {
				act = ActionKeep
			}
			byAction[act] = append(byAction[act], at[s.ID])
		}
	}
	for _, n := range lay.NewSchools {
		byAction[ActionNew] = append(byAction[ActionNew], xy(n.Lon, n.Lat))
	}
	lines := &segments{style: draw.LineStyle{Color: color.NRGBA{R: 214, G: 39, B: 40, A: 170}, Width: vg.Points(0.7)}}
	for _, m := range lay.Merges.Proposals {
		from, ok := at[m.SchoolID]
		if !ok {
			continue
		}
		for _, r := range m.Receivers {
			if to, ok := at[r.SchoolID]; ok {
				lines.lines = append(lines.lines, [2]plotter.XY{from, to})
			}
		}
	}
	pl.Add(lines)
	for _, s := range actionStyles {
		pts := byAction[s.action]
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, fmt.Errorf("map: %w", err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: s.colour, Shape: s.shape, Radius: s.radius}
		pl.Add(sc)
		leg.Add(label(s.action.Label(), s.en)+fmt.Sprintf(" (%d)", len(pts)), sc)
	}
	pl.X.Tick.Marker = lonTicks{kx}

	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("map: %w", err)
	}
	// vgimg directly rather than draw.NewFormattedCanvas, which finds
	// formats registered by plot's imports and so fails in a build with
	// gonum/plot's "minimal" tag (no PDF, SVG, EPS or TeX).
	c := vgimg.PngCanvas{Canvas: vgimg.New(opt.Width, opt.Height)}
	dc := draw.New(c)
	pl.Draw(dc)
	drawLegendBox(pl.DataCanvas(dc), &leg)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("map: %w", err)
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("map: %w", err)
	}
	out.PNG = buf.Bytes()
	return out, nil
}

// legendPadding is the legend box's margin from the data area's corner
// and around its entries.
const legendPadding vg.Length = 4

// drawLegendBox draws leg in the top left corner of the data area c on a
// white box at 85 % opacity (dots under it still show faintly) with a thin
// grey border, and returns the box; an empty legend draws nothing.
// Legend.Rectangle places a left legend on the wrong side, so only its
// size is used.
func drawLegendBox(c draw.Canvas, leg *plot.Legend) vg.Rectangle {
	size := leg.Rectangle(c).Size()
	if size.X == 0 {
		return vg.Rectangle{}
	}
	// Legend.Draw puts the last entry's baseline a descent above the
	// canvas bottom, which Rectangle does not count.
	size.Y += leg.TextStyle.FontExtents().Descent
	box := vg.Rectangle{
		Min: vg.Point{X: c.Min.X + legendPadding, Y: c.Max.Y - 3*legendPadding - size.Y},
		Max: vg.Point{X: c.Min.X + 3*legendPadding + size.X, Y: c.Max.Y - legendPadding},
	}
	c.SetColor(color.NRGBA{R: 255, G: 255, B: 255, A: 217})
	c.Fill(box.Path())
	c.SetLineStyle(draw.LineStyle{Color: color.Gray{Y: 110}, Width: vg.Points(0.5)})
	c.Stroke(box.Path())
	leg.Draw(draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: box.Min.X + legendPadding, Y: box.Min.Y + legendPadding},
		Max: vg.Point{X: box.Max.X - legendPadding, Y: box.Max.Y - legendPadding},
	}})
	return box
}

// lonTicks labels the scaled x axis in degrees of longitude.
type lonTicks struct{ k float64 }

// Ticks implements plot.Ticker.
func (t lonTicks) Ticks(min, max float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(min/t.k, max/t.k)
	for i := range ticks {
		ticks[i].Value *= t.k
	}
	return ticks
}

// setFonts makes every text of pl use the handler and font given.
func setFonts(pl *plot.Plot, hdlr text.Handler, f font.Font) {
	set := func(s *text.Style, size font.Length) {
		s.Handler = hdlr
		s.Font = font.From(f, size)
	}
	pl.TextHandler = hdlr
	set(&pl.Title.TextStyle, 13)
	set(&pl.X.Label.TextStyle, 11)
	set(&pl.Y.Label.TextStyle, 11)
	set(&pl.X.Tick.Label, 9)
	set(&pl.Y.Tick.Label, 9)
	set(&pl.Legend.TextStyle, 10)
}
