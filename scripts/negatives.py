#!/usr/bin/env python3
"""Split the shared real speech that holds no command into train, validation
and test folders of clips, for `listen train -unknown` and
`listen eval -negatives`.

    scripts/negatives.py [-data ../shared/data] -out DIR

writes DIR/neg-train, DIR/neg-val and DIR/neg-test (copies of the clips;
listen does not follow symbolic links to folders) and prints how many clips
and minutes each holds. The split, by speaker so that no voice is on two
sides:

- speech_commands_v0.02_extra/: the clips of the words that are not one of
  the ten commands, by SHA-1 of "neg:" + speaker mod 100: below 40 train,
  40-69 validation, 70 and above test;
- other_speech/precise_community/: athena/ train, amelia/ validation,
  not-wake-words/ test;
- speech_commands_v0.01_sample/: the other words its testing_list.txt
  names, test;
- speech_commands_v0.02_test12/_unknown_/: the clips of the default model's
  validation speakers (SHA-1 of "val:" + speaker mod 100 below 15, as
  ../shared/bench/torch_ref.py splits), validation;
- other_speech/librispeech/ (read English sentences, 5-35 s each): by SHA-1
  of "neg:" + speaker mod 100, below 45 train, 45-84 validation, 85 and
  above test;
- other_speech/arabic_speech_commands/ (Arabic words): by the same hash,
  below 40 train, 40-79 validation, 80 and above test.

The FLAC folders are converted to 16-bit WAV with sox on the way. A
speaker's clips keep one name prefix (the part before "_nohash_"), so that
listen train's speaker split keeps them on one side too.
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import wave

COMMANDS = {"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"}


def bucket(prefix, speaker):
    return int(hashlib.sha1((prefix + speaker).encode()).hexdigest(), 16) % 100


def speaker(name):
    return name.split("_nohash_")[0] if "_nohash_" in name else name


def wavs(folder):
    return sorted(f for f in os.listdir(folder) if f.lower().endswith(".wav"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-data", default=os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data"))
    ap.add_argument("-out", required=True)
    a = ap.parse_args()
    sides = {"neg-train": [], "neg-val": [], "neg-test": []}

    extra = os.path.join(a.data, "speech_commands_v0.02_extra")
    for word in sorted(os.listdir(extra)):
        d = os.path.join(extra, word)
        if word in COMMANDS or word.startswith("_") or not os.path.isdir(d):
            continue
        for f in wavs(d):
            b = bucket("neg:", speaker(f))
            side = "neg-train" if b < 40 else "neg-val" if b < 70 else "neg-test"
            sides[side].append((os.path.join(d, f), "extra-" + word + "-" + f))

    precise = os.path.join(a.data, "other_speech", "precise_community")
    for sub, side in (("athena", "neg-train"), ("amelia", "neg-val"), ("not-wake-words", "neg-test")):
        d = os.path.join(precise, sub)
        for f in wavs(d):
            sides[side].append((os.path.join(d, f), sub + "-" + f))

    sample = os.path.join(a.data, "speech_commands_v0.01_sample")
    with open(os.path.join(sample, "testing_list.txt")) as fh:
        for line in fh:
            rel = line.strip()
            word = rel.split("/")[0]
            p = os.path.join(sample, rel)
            if rel and word not in COMMANDS and not word.startswith("_") and os.path.exists(p):
                sides["neg-test"].append((p, "v001-" + rel.replace("/", "-")))

    unk = os.path.join(a.data, "speech_commands_v0.02_test12", "_unknown_")
    for f in wavs(unk):
        # WORD_SPEAKER_nohash_N.wav
        spk = f.split("_nohash_")[0].split("_", 1)[1]
        if bucket("val:", spk) < 15:
            sides["neg-val"].append((os.path.join(unk, f), "test12-" + f))

    other = os.path.join(a.data, "other_speech")
    for sub, train, val, prefix in (("librispeech", 45, 85, "ls"), ("arabic_speech_commands", 40, 80, "ar")):
        with open(os.path.join(other, sub, "index.csv")) as fh:
            next(fh)
            for line in fh:
                rel, spk = line.strip().split(",")[:2]
                b = bucket("neg:", spk)
                side = "neg-train" if b < train else "neg-val" if b < val else "neg-test"
                stem = os.path.splitext(os.path.basename(rel))[0].replace(" ", "-")
                sides[side].append((os.path.join(other, sub, rel), f"{prefix}-{spk}_nohash_{stem}.wav"))

    for side, clips in sides.items():
        out = os.path.join(a.out, side)
        os.makedirs(out, exist_ok=True)
        seconds = 0.0
        for src, name in clips:
            dst = os.path.join(out, name)
            if src.endswith(".flac"):
                subprocess.run(["sox", src, "-b", "16", dst], check=True)
            else:
                shutil.copyfile(src, dst)
            with wave.open(dst) as w:
                seconds += w.getnframes() / w.getframerate()
        print(f"{side}: {len(clips)} clips, {seconds / 60:.1f} minutes")


if __name__ == "__main__":
    sys.exit(main())
