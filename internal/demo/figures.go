package demo

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"math/rand/v2"
)

// figureKind is what a generated figure pictures.
type figureKind int

const (
	figureCurves  figureKind = iota // training and validation loss
	figureBars                      // a sweep, bucket sizes, build times
	figureDiagram                   // boxes joined by arrows
)

const figureWidth, figureHeight = 120, 80

// figurePNG draws a small, real PNG of the given kind. The seed varies
// colours and shapes between groups so no two groups hand in the same file.
func figurePNG(kind figureKind, seed uint64) ([]byte, error) {
	rng := rand.New(rand.NewPCG(seed, 0xf16))
	img := image.NewRGBA(image.Rect(0, 0, figureWidth, figureHeight))
	fillRect(img, img.Bounds(), color.RGBA{250, 250, 246, 255})
	ink := color.RGBA{uint8(40 + rng.IntN(140)), uint8(60 + rng.IntN(120)), uint8(90 + rng.IntN(150)), 255}
	axis := color.RGBA{60, 60, 60, 255}
	switch kind {
	case figureCurves:
		drawAxes(img, axis)
		decay := 0.02 + rng.Float64()*0.04
		second := color.RGBA{ink.B, ink.R, ink.G, 255}
		for x := 12; x < figureWidth-4; x++ {
			t := float64(x - 12)
			train := 60 * math.Exp(-decay*t)
			val := train + 4 + 3*math.Sin(t/5)
			img.Set(x, figureHeight-10-int(train), ink)
			img.Set(x, figureHeight-10-int(val), second)
		}
	case figureBars:
		drawAxes(img, axis)
		bars := 4 + rng.IntN(6)
		width := (figureWidth - 20) / bars
		for i := range bars {
			h := 8 + rng.IntN(figureHeight-24)
			x0 := 14 + i*width
			fillRect(img, image.Rect(x0, figureHeight-10-h, x0+width-2, figureHeight-10), ink)
		}
	case figureDiagram:
		boxes := 3 + rng.IntN(3)
		step := figureWidth / boxes
		y := figureHeight/2 - 8
		for i := range boxes {
			x0 := i*step + 4
			fillRect(img, image.Rect(x0, y, x0+step-14, y+16), ink)
			if i+1 < boxes {
				fillRect(img, image.Rect(x0+step-14, y+7, x0+step+4, y+9), axis)
			}
		}
	default:
		return nil, fmt.Errorf("figure kind %d", kind)
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode figure: %w", err)
	}
	return buf.Bytes(), nil
}

func fillRect(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.SetRGBA(x, y, c)
		}
	}
}

func drawAxes(img *image.RGBA, c color.RGBA) {
	fillRect(img, image.Rect(10, 6, 11, figureHeight-9), c)
	fillRect(img, image.Rect(10, figureHeight-10, figureWidth-4, figureHeight-9), c)
}
