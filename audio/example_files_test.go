package audio_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/listen-go/listen/audio"
)

func ExampleFiles() {
	dir, err := os.MkdirTemp("", "example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	// A folder of recordings: a WAV file, a FLAC file in a subfolder, and
	// notes, which are left out.
	if err := audio.WriteFile(filepath.Join(dir, "beep.wav"), make([]float32, 8000), 8000); err != nil {
		log.Fatal(err)
	}
	flac, err := os.ReadFile("../testdata/audio/yes.flac")
	if err != nil {
		log.Fatal(err)
	}
	os.Mkdir(filepath.Join(dir, "speaker1"), 0o755)
	os.WriteFile(filepath.Join(dir, "speaker1", "yes.flac"), flac, 0o644)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("beep, then yes"), 0o644)

	files, err := audio.Files(dir)
	if err != nil {
		log.Fatal(err)
	}
	for _, f := range files {
		samples, err := audio.ReadFile(f) // either format, 16 kHz mono
		if err != nil {
			log.Fatal(err)
		}
		rel, _ := filepath.Rel(dir, f)
		fmt.Println(filepath.ToSlash(rel), len(samples))
	}
	// Output:
	// beep.wav 16000
	// speaker1/yes.flac 16000
}

func ExampleDecodable() {
	for _, name := range []string{"yes.wav", "chapter.FLAC", "song.mp3"} {
		fmt.Println(name, audio.Decodable(name))
	}
	// Output:
	// yes.wav true
	// chapter.FLAC true
	// song.mp3 false
}
