package report

import (
	"bytes"
	"context"
	"image/color"
	"image/png"
	"os"
	"testing"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

func TestRenderMapFallsBackToEnglish(t *testing.T) {
	p := testPlan()
	m, err := RenderMap(context.Background(), p, MapOptions{FontFiles: []string{"/nonexistent/font.ttc"}})
	if err != nil {
		t.Fatal(err)
	}
	if m.Chinese || m.Font != "" {
		t.Errorf("Chinese %v with font %q, want the English fallback", m.Chinese, m.Font)
	}
	img, err := png.Decode(bytes.NewReader(m.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() < 500 || b.Dy() < 400 {
		t.Errorf("map is %v", b)
	}
}

func TestRenderMapChinese(t *testing.T) {
	found := ""
	for _, f := range CJKFontFiles {
		if _, err := os.Stat(f); err == nil {
			found = f
			break
		}
	}
	if found == "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("no CJK font in %v: .ci/run installs fonts-wqy-microhei", CJKFontFiles)
		}
		t.Skip("no CJK font installed (apt-get install fonts-wqy-microhei)")
	}
	m, err := RenderMap(context.Background(), testPlan(), MapOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !m.Chinese {
		t.Errorf("font %s is installed but the map labels are English only", found)
	}
}

func TestAlignedFontRejectsTruncated(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\xff\xff\xff\xff"), {0, 1, 0, 0, 0, 9}} {
		if _, err := alignedFont(b); err == nil {
			t.Errorf("alignedFont(%q) accepted a truncated font", b)
		}
	}
}

// TestLegendBox draws a one-entry legend over a black canvas: inside the
// box, away from the entry, the black shows through the white fill only
// faintly; the border is grey; outside the box the canvas is untouched.
func TestLegendBox(t *testing.T) {
	const w, h = 300, 200 // points; at 72 dpi one point is one pixel
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(72))
	dc := draw.New(c)
	dc.SetColor(color.Black)
	dc.Fill(dc.Rectangle.Path())

	pl := plot.New()
	leg := pl.Legend
	sc, err := plotter.NewScatter(plotter.XYs{{X: 0, Y: 0}})
	if err != nil {
		t.Fatal(err)
	}
	leg.Add("keep (12)", sc)
	box := drawLegendBox(dc, &leg)
	if box.Min.X != legendPadding || box.Max.Y != h-legendPadding || box.Size().X < 40 || box.Size().Y < 12 {
		t.Fatalf("box %+v", box)
	}
	img := c.Image()
	// pixel returns the grey level at a point of the canvas (y up).
	pixel := func(x, y vg.Length) uint8 {
		r, _, _, _ := img.At(int(x), int(h-y)).RGBA()
		return uint8(r >> 8)
	}
	inside := pixel(box.Max.X-2, box.Min.Y+2) // below the text's right end
	if inside < 200 || inside > 230 {
		t.Errorf("fill over black is %d, want about 217 (white at 85 %% opacity)", inside)
	}
	// The half-point border shares its pixels with the fill.
	midY := (box.Min.Y + box.Max.Y) / 2
	if border := pixel(box.Min.X, midY); border < 60 || border+15 > inside {
		t.Errorf("border is %d, want grey, darker than the fill %d", border, inside)
	}
	if outside := pixel(box.Max.X+5, box.Min.Y-5); outside != 0 {
		t.Errorf("outside the box is %d, want black", outside)
	}
	if empty := plot.New().Legend; drawLegendBox(dc, &empty) != (vg.Rectangle{}) {
		t.Error("an empty legend drew a box")
	}
}
