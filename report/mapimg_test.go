package report

import (
	"bytes"
	"context"
	"image/png"
	"os"
	"testing"
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
