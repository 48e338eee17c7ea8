#!/usr/bin/python3
"""Regenerate the mfcc golden files from torchaudio, the reference.

Run from the repository root with Debian's python3-torchaudio:

    /usr/bin/python3 testdata/mfcc/gen.py

or let the Go test do it:  go test ./mfcc -run Golden -update

For every case below it reads the clip with Python's wave module (16-bit PCM,
divided by 32768 as audio.ReadFile does), runs torchaudio's transform for the
case's mfcc.Config and writes one CSV row per frame (%.9g, float32 values).
golden.json records the cases, the exact command and the torch and torchaudio
versions. Nothing here is random; rerunning gives identical files.
"""
import json
import os
import subprocess
import sys
import wave

import numpy as np
import torch
import torchaudio

HERE = os.path.dirname(os.path.abspath(__file__))

DEFAULT = dict(sample_rate=16000, window_length=480, hop_length=160, fft_size=512,
               num_mels=40, min_freq=20.0, max_freq=4000.0, num_coeffs=40, log_mel=False)
LOGMEL = dict(DEFAULT, log_mel=True)
# A config unlike the default: FFT size not a power of two, window = FFT size,
# mel bands up to the Nyquist frequency, fewer coefficients than bands.
OTHER = dict(sample_rate=16000, window_length=400, hop_length=100, fft_size=400,
             num_mels=64, min_freq=0.0, max_freq=8000.0, num_coeffs=13, log_mel=False)

CLIPS = ["yes_03401e93_nohash_0", "stop_0c40e715_nohash_0", "left_0cb74144_nohash_0"]
CASES = ([(c, "mfcc", DEFAULT) for c in CLIPS] + [(c, "logmel", LOGMEL) for c in CLIPS]
         + [(CLIPS[2], "other", OTHER)])


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1, path
        rate = w.getframerate()
        pcm = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
    return torch.from_numpy(pcm.astype(np.float32) / 32768.0), rate


def transform(cfg):
    mel = dict(n_fft=cfg["fft_size"], win_length=cfg["window_length"],
               hop_length=cfg["hop_length"], n_mels=cfg["num_mels"],
               f_min=cfg["min_freq"], f_max=cfg["max_freq"], center=False,
               mel_scale="htk", power=2.0)
    if cfg["log_mel"]:
        ms = torchaudio.transforms.MelSpectrogram(sample_rate=cfg["sample_rate"], **mel)
        return lambda x: torch.log(ms(x) + 1e-6)
    return torchaudio.transforms.MFCC(sample_rate=cfg["sample_rate"], n_mfcc=cfg["num_coeffs"],
                                      log_mels=True, melkwargs=mel)


def debian_version(pkg):
    try:
        return subprocess.run(["dpkg-query", "-W", "-f=${Version}", pkg], capture_output=True,
                              text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main():
    cases = []
    for clip, kind, cfg in CASES:
        x, rate = read_wav(os.path.join(HERE, clip + ".wav"))
        assert rate == cfg["sample_rate"]
        with torch.no_grad():
            y = transform(cfg)(x).T.contiguous().numpy()  # frames x coeffs
        name = "%s.%s.csv" % (clip, kind)
        with open(os.path.join(HERE, name), "w") as f:
            for row in y:
                f.write(",".join("%.9g" % v for v in row) + "\n")
        cases.append(dict(wav=clip + ".wav", golden=name, config=cfg,
                          frames=y.shape[0], coeffs=y.shape[1]))
    meta = dict(
        source="torchaudio.transforms.MFCC(n_mfcc, log_mels=True, melkwargs=dict(n_fft, win_length, "
               "hop_length, n_mels, f_min, f_max, center=False, mel_scale='htk', power=2.0)); "
               "log_mel cases: torch.log(MelSpectrogram(...)(x) + 1e-6)",
        command="/usr/bin/python3 testdata/mfcc/gen.py",
        python=sys.version.split()[0], torch=torch.__version__, torchaudio=torchaudio.__version__,
        numpy=np.__version__,
        debian_packages={p: debian_version(p) for p in ("python3-torch", "python3-torchaudio")},
        cases=cases)
    with open(os.path.join(HERE, "golden.json"), "w") as f:
        json.dump(meta, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
