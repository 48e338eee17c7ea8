package datasets

import (
	"bufio"
	"bytes"
	"flag"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "regenerate testdata/datasets/which_set.golden with python3")

// TestWhichSetGolden checks WhichSet, PercentageHash, Speaker and
// SpeakerBucket against testdata/datasets/which_set.golden, computed by
// Python's hashlib with the body of TensorFlow's which_set (the command is
// in testdata/datasets/which_set.py) for 218 real Speech Commands names.
//
// go test ./datasets -run WhichSetGolden -update regenerates it (needs
// python3).
func TestWhichSetGolden(t *testing.T) {
	if *update {
		in, err := os.ReadFile("../testdata/datasets/names.txt")
		if err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("python3", "../testdata/datasets/which_set.py")
		cmd.Stdin = bytes.NewReader(in)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("which_set.py: %v", err)
		}
		if err := os.WriteFile("../testdata/datasets/which_set.golden", out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := os.Open("../testdata/datasets/which_set.golden")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	seen := map[Split]int{}
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		fs := strings.Fields(line)
		if len(fs) != 6 {
			t.Fatalf("bad golden line %q", line)
		}
		name := fs[0]
		want, err := ParseSplit(fs[1])
		if err != nil {
			t.Fatal(err)
		}
		wantP, _ := strconv.ParseFloat(fs[2], 64)
		wantVal, _ := strconv.Atoi(fs[4])
		wantTest, _ := strconv.Atoi(fs[5])
		if got := WhichSet(name, 10, 10); got != want {
			t.Errorf("WhichSet(%s) = %v, want %v", name, got, want)
		}
		if got := PercentageHash(HashName(name)); got != wantP {
			t.Errorf("PercentageHash(%s) = %v, want %v", name, got, wantP)
		}
		if got := Speaker(name); got != fs[3] {
			t.Errorf("Speaker(%s) = %q, want %q", name, got, fs[3])
		}
		if got := SpeakerBucket("val:", fs[3]); got != wantVal {
			t.Errorf("SpeakerBucket(val:%s) = %d, want %d", fs[3], got, wantVal)
		}
		if got := SpeakerBucket("test:", fs[3]); got != wantTest {
			t.Errorf("SpeakerBucket(test:%s) = %d, want %d", fs[3], got, wantTest)
		}
		seen[want]++
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if n < 200 || seen[Training] == 0 || seen[Validation] == 0 || seen[Testing] == 0 {
		t.Fatalf("golden file covers %d names, splits %v: want 200+ names in all three splits", n, seen)
	}
}

func TestHashNameAndSpeaker(t *testing.T) {
	for _, tc := range []struct{ name, hash, speaker string }{
		{"yes/0a7c2a8d_nohash_0.wav", "0a7c2a8d", "0a7c2a8d"},
		{"_unknown_/backward_0cb74144_nohash_2.wav", "backward_0cb74144", "0cb74144"},
		{`C:\data\no\abc_nohash_1.wav`, "abc", "abc"},
		{"_silence_/1024.wav", "1024.wav", "1024.wav"},
		{"mine/take_1.wav", "take_1.wav", "take_1.wav"},
	} {
		if got := HashName(tc.name); got != tc.hash {
			t.Errorf("HashName(%q) = %q, want %q", tc.name, got, tc.hash)
		}
		if got := Speaker(tc.name); got != tc.speaker {
			t.Errorf("Speaker(%q) = %q, want %q", tc.name, got, tc.speaker)
		}
	}
}

func TestParseSplit(t *testing.T) {
	for s := Training; s <= All; s++ {
		got, err := ParseSplit(s.String())
		if err != nil || got != s {
			t.Errorf("ParseSplit(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := ParseSplit("bogus"); err == nil {
		t.Error("ParseSplit(bogus): no error")
	}
}
