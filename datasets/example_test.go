package datasets_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
)

func ExampleWhichSet() {
	for _, name := range []string{
		"go/2f813234_nohash_1.wav",
		"yes/264f471d_nohash_2.wav",
		"down/0cb74144_nohash_0.wav",
		// TensorFlow hashes the literal "backward_0cb74144" of an
		// _unknown_ clip; Scan hashes its speaker, as in the dataset.
		"_unknown_/backward_0cb74144_nohash_2.wav",
	} {
		fmt.Println(name, datasets.WhichSet(name, 10, 10))
	}
	// Output:
	// go/2f813234_nohash_1.wav training
	// yes/264f471d_nohash_2.wav validation
	// down/0cb74144_nohash_0.wav testing
	// _unknown_/backward_0cb74144_nohash_2.wav training
}

func ExampleSpeakerSplit() {
	// torch_ref.py's validation set: SHA-1("val:"+speaker) mod 100 < 15.
	for _, spk := range []string{"0cb74144", "264f471d", "03401e93"} {
		fmt.Println(spk, datasets.SpeakerBucket("val:", spk), datasets.SpeakerSplit(spk, 15, 10))
	}
	// Output:
	// 0cb74144 55 training
	// 264f471d 88 training
	// 03401e93 28 testing
}

// makeFolder writes a tiny Speech Commands-style folder: two words of
// twelve speakers, and one noise recording.
func makeFolder() string {
	dir, err := os.MkdirTemp("", "datasets-example")
	if err != nil {
		log.Fatal(err)
	}
	clip := make([]float32, audio.Rate/2)
	for i, w := range []string{"yes", "no"} {
		for s := range 12 {
			for j := range clip {
				clip[j] = float32(0.2 * math.Sin(float64(j*(i+s+3))*0.01))
			}
			p := filepath.Join(dir, w, fmt.Sprintf("%08x_nohash_0.wav", s*7919))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := audio.WriteFile(p, clip, audio.Rate); err != nil {
				log.Fatal(err)
			}
		}
	}
	noise := make([]float32, 3*audio.Rate)
	for j := range noise {
		noise[j] = float32(0.1 * math.Sin(float64(j)*1.3))
	}
	os.MkdirAll(filepath.Join(dir, datasets.NoiseFolder), 0o755)
	if err := audio.WriteFile(filepath.Join(dir, datasets.NoiseFolder, "hum.wav"), noise, audio.Rate); err != nil {
		log.Fatal(err)
	}
	return dir
}

func ExampleScan() {
	dir := makeFolder()
	defer os.RemoveAll(dir)
	d, err := datasets.Scan(dir, datasets.Options{Words: []string{"yes", "no"}, SplitBy: datasets.SplitSpeaker, ValidationPct: 25})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Layout, d.SplitMethod, d.Labels)
	fmt.Print(d.Summary())
	// Output:
	// speech-commands speaker [_silence_ _unknown_ yes no]
	// label        training validation  testing
	// _silence_           2          1        1
	// _unknown_           0          0        0
	// yes                 7          4        1
	// no                  7          4        1
	// total              16          9        3
}

func ExampleDataset_NewLoader() {
	dir := makeFolder()
	defer os.RemoveAll(dir)
	d, err := datasets.Scan(dir, datasets.Options{Words: []string{"yes", "no"}, SplitBy: datasets.SplitSpeaker, ValidationPct: 25})
	if err != nil {
		log.Fatal(err)
	}
	l, err := d.NewLoader(datasets.LoaderConfig{
		Split: datasets.Training, BatchSize: 8, Shuffle: true, Seed: 1,
		Augment: datasets.DefaultAugment(), FeatureAugment: datasets.SpecAugment(),
	})
	if err != nil {
		log.Fatal(err)
	}
	const epoch = 0
	for b, err := range l.Epoch(context.Background(), epoch, 0) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("batch %d: %d clips x %d frames x %d coefficients, %d values\n",
			b.Index, b.Size, b.Frames, b.Coeffs, len(b.X[:b.Size*b.Frames*b.Coeffs]))
	}
	fmt.Println(len(d.Problems()), "clips skipped")
	// Output:
	// batch 0: 8 clips x 97 frames x 40 coefficients, 31040 values
	// batch 1: 8 clips x 97 frames x 40 coefficients, 31040 values
	// 0 clips skipped
}

func ExampleDownload() {
	// A stand-in for download.tensorflow.org serving a one-file tarball.
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	tw.WriteHeader(&tar.Header{Name: "yes/0a7c2a8d_nohash_0.wav", Mode: 0o644, Size: 4, Typeflag: tar.TypeReg})
	tw.Write([]byte("RIFF"))
	tw.Close()
	zw.Close()
	body := buf.Bytes()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.ServeContent(w, r, "sc.tar.gz", time.Time{}, bytes.NewReader(body))
	}))
	defer srv.Close()
	sum := sha256.Sum256(body)

	dir, _ := os.MkdirTemp("", "download-example")
	defer os.RemoveAll(dir)
	tarball := filepath.Join(dir, "sc.tar.gz")
	// Progress would normally go to os.Stderr.
	if err := datasets.Download(context.Background(), srv.URL, hex.EncodeToString(sum[:]), tarball, nil); err != nil {
		log.Fatal(err)
	}
	if err := datasets.Extract(context.Background(), tarball, filepath.Join(dir, "sc")); err != nil {
		log.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "sc", "yes", "0a7c2a8d_nohash_0.wav"))
	fmt.Printf("%s\n", b)
	// Output:
	// RIFF
}

func ExampleDataset_Export() {
	dir := makeFolder()
	defer os.RemoveAll(dir)
	d, err := datasets.Scan(dir, datasets.Options{Words: []string{"yes", "no"}, SplitBy: datasets.SplitSpeaker, ValidationPct: 15})
	if err != nil {
		log.Fatal(err)
	}
	out := filepath.Join(dir, "export")
	// The held-out speakers, as a folder another tool can read.
	if err := d.Export(filepath.Join(out, "test"), 0, datasets.Testing); err != nil {
		log.Fatal(err)
	}
	for _, label := range d.Labels {
		clips, _ := filepath.Glob(filepath.Join(out, "test", label, "*.wav"))
		fmt.Println(label, len(clips))
	}
	// Output:
	// _silence_ 1
	// _unknown_ 0
	// yes 1
	// no 1
}

func ExampleChooseWindow() {
	// Clip lengths in samples at 16 kHz: phrases of 1.2 to 2.2 s and one
	// 5 s recording that ran on.
	var lengths []int
	for i := range 120 {
		lengths = append(lengths, 19200+i*133)
	}
	lengths = append(lengths, 5*audio.Rate)
	w := datasets.ChooseWindow(lengths)
	fmt.Printf("window %d samples = %.1f s\n", w, float64(w)/audio.Rate)
	fmt.Println(datasets.ChooseWindow([]int{8000}), datasets.ChooseWindow([]int{60 * audio.Rate}))
	// Output:
	// window 35200 samples = 2.2 s
	// 16000 48000
}
