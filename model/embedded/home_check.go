//go:build ignore

// home_check writes the check set of the home model: its six phrases spoken
// by festival's voices, which the model never trained on, in background
// noise. Run from the repository root:
//
//	go run model/embedded/home_check.go -out DIR -noise ../shared/data/_background_noise_
//
// For each voice, phrase and take it runs text2wave with a duration stretch
// of 0.85, 1.0 or 1.15 (by take), trims the silence (synth.Trim), sets the
// peak level uniform in [-20, -3] dBFS, and writes two clips:
//
//	DIR/window/<label>/festival_<voice>_nohash_<take>.wav  the speech at a random place in a
//	        2.5 s window of background noise (what the listener's window holds)
//	DIR/tight/<label>/festival_<voice>_nohash_<take>.wav   the speech with 0.1-0.3 s of the same
//	        noise on each side, shorter than the window (classify pads it at the end)
//
// The noise is a random stretch of a random recording of -noise, mixed at a
// signal-to-noise ratio uniform in [5, 20] dB (speech active level over
// noise RMS, synth.Mix). Everything is drawn from -seed.
package main

import (
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/listen-go/listen/audio"
	"github.com/listen-go/listen/datasets"
	"github.com/listen-go/listen/datasets/synth"
)

var phrases = []string{"hey, what is the temperature", "turn on the lights", "turn off the lights",
	"what time is it", "play some music", "stop the music"}

func main() {
	out := flag.String("out", "", "folder to write")
	noiseDir := flag.String("noise", "", "background-noise folder")
	voices := flag.String("voices", "kal_diphone,ked_diphone,cmu_us_slt_arctic_hts", "festival voices")
	takes := flag.Int("n", 6, "takes per voice and phrase")
	seed := flag.Uint64("seed", 7, "random seed")
	window := flag.Duration("window", 2500e6, "window length")
	flag.Parse()
	_, noise, err := datasets.LoadNoise(*noiseDir)
	if err != nil {
		log.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(*seed, 1))
	win := int(window.Seconds() * audio.Rate)
	tmp, err := os.MkdirTemp("", "home-check")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	for _, v := range strings.Split(*voices, ",") {
		for _, p := range phrases {
			label := synth.Label(p)
			for k := range *takes {
				stretch := []float64{0.85, 1.0, 1.15}[k%3]
				wav := filepath.Join(tmp, "x.wav")
				cmd := exec.Command("text2wave", "-eval", "(voice_"+v+")",
					"-eval", fmt.Sprintf("(Parameter.set 'Duration_Stretch %g)", stretch), "-o", wav)
				cmd.Stdin = strings.NewReader(p + "\n")
				if b, err := cmd.CombinedOutput(); err != nil {
					log.Fatalf("text2wave %s: %v: %s", v, err, b)
				}
				x, err := audio.ReadFile(wav)
				if err != nil {
					log.Fatal(err)
				}
				s, e := synth.Trim(x, 40)
				speech := append([]float32(nil), x[s:e]...)
				if len(speech) > win {
					log.Fatalf("%s %q: %d samples, longer than the window", v, p, len(speech))
				}
				synth.SetPeak(speech, -3-17*rng.Float64())
				snr := 5 + 15*rng.Float64()
				n := noise[rng.IntN(len(noise))]
				off := rng.IntN(len(n) - win)
				bed := n[off : off+win]

				full := make([]float32, win)
				at := rng.IntN(win - len(speech) + 1)
				copy(full[at:], speech)
				ref := make([]float32, win)
				copy(ref[at:], speech)
				synth.Mix(full, bed, ref, snr)
				synth.Limit(full)

				pre, post := audio.Rate/10+rng.IntN(audio.Rate/5), audio.Rate/10+rng.IntN(audio.Rate/5)
				tl := min(pre+len(speech)+post, win)
				tight := make([]float32, tl)
				pre = min(pre, tl-len(speech))
				copy(tight[pre:], speech)
				tref := make([]float32, tl)
				copy(tref[pre:], speech)
				synth.Mix(tight, bed, tref, snr)
				synth.Limit(tight)

				name := fmt.Sprintf("festival_%s_nohash_%d.wav", strings.ReplaceAll(v, "_", "-"), k)
				for dir, clip := range map[string][]float32{"window": full, "tight": tight} {
					path := filepath.Join(*out, dir, label, name)
					if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
						log.Fatal(err)
					}
					if err := audio.WriteFile(path, clip, audio.Rate); err != nil {
						log.Fatal(err)
					}
				}
			}
		}
	}
}
