package audio_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"path/filepath"

	"github.com/listen-go/listen/audio"
)

func ExampleWriteFile() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "beep.wav")
	beep := make([]float32, 800) // 0.1 s of 440 Hz at 8 kHz
	for i := range beep {
		beep[i] = float32(0.5 * math.Sin(2*math.Pi*440*float64(i)/8000))
	}
	if err := audio.WriteFile(path, beep, 8000); err != nil {
		log.Fatal(err)
	}
	samples, err := audio.ReadFile(path) // always 16 kHz mono
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(samples), "samples at", audio.Rate, "Hz")
	// Output: 1600 samples at 16000 Hz
}

func ExampleReadFile() {
	samples, err := audio.ReadFile("../testdata/audio/stereo44k_f32.wav")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d samples (%.1f s)\n", len(samples), float64(len(samples))/audio.Rate)
	_, err = audio.ReadFile("../testdata/audio/broken/claims-4gb.wav")
	var fe *audio.FormatError
	fmt.Println(errors.As(err, &fe), fe.Problem)
	// Output:
	// 1600 samples (0.1 s)
	// true data chunk claims 4294967280 bytes but the file has 8 after its header
}

func ExampleDecodeConfig() {
	f, err := os.Open("../testdata/audio/stereo44k_s24_ext.wav")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	c, err := audio.DecodeConfig(f)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d-bit %v, %d Hz, %d channels, extensible %v, %.2f s\n",
		c.BitsPerSample, c.Encoding, c.SampleRate, c.Channels, c.Extensible, c.Duration())
	// Output: 24-bit pcm, 44100 Hz, 2 channels, extensible true, 0.10 s
}

func ExampleNewReader() {
	// Stream a file in constant memory, a block at a time.
	f, err := os.Open("../testdata/audio/yes.wav")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r, err := audio.NewReader(f)
	if err != nil {
		log.Fatal(err)
	}
	buf := make([]float32, 4000)
	total := 0
	for {
		n, err := r.Read(buf)
		total += n
		if err == io.EOF {
			break
		}
		if err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println(total)
	// Output: 16000
}

func ExampleResample() {
	in := make([]float32, 44100) // one second at 44.1 kHz
	out := audio.Resample(nil, in, 44100, audio.Rate)
	fmt.Println(len(out))
	// Output: 16000
}

func ExampleEncode() {
	var buf bytes.Buffer
	if err := audio.Encode(&buf, []float32{0, 0.5, -0.5}, audio.Rate); err != nil {
		log.Fatal(err)
	}
	fmt.Println(buf.Len(), "bytes")
	// Output: 50 bytes
}
