#!/usr/bin/env python3
"""Measure what listening costs and how soon it reports, through the
listener's own loop.

Runs `listen -input LONG.wav -realtime -json` (the file stands in for the
microphone and is handed out at real-time pace, as a microphone would) and
reports:

- CPU: the child's user+system CPU time (getrusage, so other processes on a
  busy machine do not count) as a percentage of one core over the audio's
  duration; start-up (loading the model) is included.
- memory: the child's maximum resident set size.
- latency: for every detection that matches a ground truth word (same label,
  start within 750 ms of the word, TensorFlow's tolerance), the wall-clock
  time from the end of the word to the moment the line was printed. Time 0
  of the audio is when the listener printed "listening on" (its first Read
  follows). The end of the word is given two ways: the end of its clip (truth
  time + 1 s, the Speech Commands clip length), and the end of the sound
  found in the recording (the last 10 ms frame of the clip within 20 dB of
  its loudest, an upper bound for where the word ends, so latencies from it
  are the longer, honest ones).

Usage:
    scripts/measure-listen.py [-listen BIN] [-minutes 3] [-data DIR]
                              [-stream LONG.wav -truth LABELS.txt] [-- LISTEN_FLAGS]

Without -stream it builds one with `listen mkstream` from the Speech Commands
test folder (default ../shared/data/speech_commands_v0.02_test12) into a
temporary folder. Flags after -- go to listen (e.g. -average 300ms).
"""

import argparse
import json
import os
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def build_listen(tmp):
    out = os.path.join(tmp, "listen")
    subprocess.run(["go", "build", "-o", out, "./cmd/listen"], cwd=ROOT, check=True)
    return out


def read_truth(path):
    words = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            label, ms = line.split(",")
            words.append((label, float(ms) / 1000))
    return words


def word_ends(wav_path, truth):
    """The end of the sound of each truth word: the last 10 ms frame within
    [t, t+1 s] whose RMS is within 20 dB of the loudest frame there."""
    with wave.open(wav_path) as w:
        assert w.getsampwidth() == 2 and w.getnchannels() == 1, "want 16-bit mono"
        rate = w.getframerate()
        raw = w.readframes(w.getnframes())
    n = len(raw) // 2
    samples = struct.unpack("<%dh" % n, raw)
    hop = rate // 100
    ends = []
    for _, t in truth:
        a = int(t * rate)
        frames = []
        for i in range(a, min(a + rate, n) - hop + 1, hop):
            seg = samples[i:i + hop]
            frames.append((sum(x * x for x in seg) / hop) ** 0.5)
        if not frames:
            ends.append(t + 1)
            continue
        peak = max(frames)
        last = max(i for i, e in enumerate(frames) if e >= peak / 10)
        ends.append(t + (last + 1) * hop / rate)
    return ends


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-listen", help="listen binary (default: go build ./cmd/listen)")
    ap.add_argument("-minutes", type=float, default=3)
    ap.add_argument("-data", default=os.path.join(ROOT, "..", "shared", "data", "speech_commands_v0.02_test12"))
    ap.add_argument("-stream")
    ap.add_argument("-truth")
    ap.add_argument("-seed", default="1")
    ap.add_argument("rest", nargs="*", help="flags for listen, after --")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="measure-listen-")
    listen = args.listen or build_listen(tmp)
    stream, truth_path = args.stream, args.truth
    if not stream:
        stream, truth_path = os.path.join(tmp, "long.wav"), os.path.join(tmp, "long.txt")
        subprocess.run([listen, "mkstream", "-data", args.data, "-out", stream, "-truth", truth_path,
                        "-minutes", str(args.minutes), "-seed", args.seed], check=True,
                       stderr=subprocess.DEVNULL)
    truth = read_truth(truth_path)
    ends = word_ends(stream, truth)
    with wave.open(stream) as w:
        seconds = w.getnframes() / w.getframerate()

    cmd = [listen, "-input", stream, "-realtime", "-json"] + args.rest
    print("running:", " ".join(cmd), file=sys.stderr)
    # GNU time reports the listener's own rusage (wait4); without it, the
    # children's rusage of this process stands in.
    timing = os.path.join(tmp, "time.txt")
    if os.path.exists("/usr/bin/time"):
        cmd = ["/usr/bin/time", "-f", "%U %S %M", "-o", timing] + cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, bufsize=1)
    t0 = []
    errlines = []

    def read_stderr():
        for line in p.stderr:
            if not t0 and "listening on" in line:
                t0.append(time.monotonic())
            errlines.append(line)

    th = threading.Thread(target=read_stderr)
    th.start()
    lines = []
    for line in p.stdout:
        lines.append((time.monotonic(), json.loads(line)))
    p.wait()
    th.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if p.returncode != 0 or not t0:
        sys.exit("listen failed:\n" + "".join(errlines))

    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    maxrss = after.ru_maxrss
    if os.path.exists(timing):
        with open(timing) as f:
            u, s, m = f.read().split()[-3:]
        cpu, maxrss = float(u) + float(s), int(m)
    print("audio %.1f s, %d words in the truth, %d detections" % (seconds, len(truth), len(lines)))
    print("CPU %.2f s user+sys = %.2f%% of one core; max RSS %.1f MB" % (
        cpu, 100 * cpu / seconds, maxrss / 1024))

    used = set()
    from_clip, from_sound = [], []
    for wall, d in lines:
        best = None
        for i, (label, t) in enumerate(truth):
            if i in used or label != d["label"] or abs(d["start"] - t) > 0.75:
                continue
            if best is None or abs(d["start"] - t) < abs(d["start"] - truth[best][1]):
                best = i
        if best is None:
            continue
        used.add(best)
        printed = wall - t0[0]
        from_clip.append(printed - (truth[best][1] + 1))
        from_sound.append(printed - ends[best])
    print("%d of %d words detected with the right label (start within 750 ms); %d other detections" % (
        len(from_clip), len(truth), len(lines) - len(from_clip)))
    if not from_clip:
        return

    def summary(xs):
        xs = sorted(xs)
        q = lambda f: xs[min(len(xs) - 1, int(f * len(xs)))]
        return "median %4.0f ms, p90 %4.0f ms, max %4.0f ms, mean %4.0f ms" % (
            1000 * statistics.median(xs), 1000 * q(0.9), 1000 * xs[-1], 1000 * statistics.mean(xs))

    print("latency over %d matched words (printed - end):" % len(from_clip))
    print("  from the end of the clip:  " + summary(from_clip))
    print("  from the end of the sound: " + summary(from_sound))


if __name__ == "__main__":
    main()
