#!/usr/bin/env python3
"""Feed 24 hours of audio through the listener as fast as it goes and check
that its memory stays flat.

The audio is made on the fly, nothing long is written to disk: a WAV header
that announces HOURS of 16 kHz mono 16-bit audio, then a recording of
commands in background noise (built once with `listen mkstream`, 10 minutes
by default) looped over and over, piped into
    listen -input /dev/stdin -json
so it takes the listener's own path: the file source, the read loop,
detect.Streamer, the model. Every simulated hour it samples the listener's
resident set (VmRSS, /proc), its peak (VmHWM), its CPU time so far, the Go
heap after the last garbage collection (GODEBUG=gctrace=1) and the number of
detections printed, and prints a row.

Usage:
    scripts/day-memory.py [-listen BIN] [-hours 24] [-loop LOOP.wav] [-- LISTEN_FLAGS]
"""

import argparse
import os
import re
import struct
import subprocess
import sys
import tempfile
import threading
import time
import wave

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
RATE = 16000


def proc_status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "VmHWM"):
                out[k] = int(v.split()[0]) / 1024  # MB
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    out["cpu"] = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-listen", help="listen binary (default: go build ./cmd/listen)")
    ap.add_argument("-hours", type=float, default=24)
    ap.add_argument("-loop", help="16 kHz mono 16-bit WAV to loop (default: 10 minutes from listen mkstream)")
    ap.add_argument("-data", default=os.path.join(ROOT, "..", "shared", "data", "speech_commands_v0.02_test12"))
    ap.add_argument("rest", nargs="*", help="flags for listen, after --")
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="day-memory-")
    listen = args.listen
    if not listen:
        listen = os.path.join(tmp, "listen")
        subprocess.run(["go", "build", "-o", listen, "./cmd/listen"], cwd=ROOT, check=True)
    loop = args.loop
    if not loop:
        loop = os.path.join(tmp, "loop.wav")
        subprocess.run([listen, "mkstream", "-data", args.data, "-out", loop, "-truth", loop + ".txt",
                        "-minutes", "10", "-seed", "24"], check=True, stderr=subprocess.DEVNULL)
    with wave.open(loop) as w:
        assert (w.getframerate(), w.getnchannels(), w.getsampwidth()) == (RATE, 1, 2), "want 16 kHz mono 16-bit"
        pcm = w.readframes(w.getnframes())

    total = int(args.hours * 3600 * RATE) * 2  # bytes of PCM
    header = b"RIFF" + struct.pack("<I", 36 + total) + b"WAVE" + b"fmt " + struct.pack(
        "<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16) + b"data" + struct.pack("<I", total)

    env = dict(os.environ, GODEBUG="gctrace=1")
    cmd = [listen, "-input", "/dev/stdin", "-json"] + args.rest
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    detections = [0]
    heap = ["-"]

    def count():
        for _ in p.stdout:
            detections[0] += 1

    def gc():
        # gc 12 @3.1s 0%: ... ms clock, ... ms cpu, 4->4->1 MB, 4 MB goal, ...
        for line in p.stderr:
            m = re.search(rb"(\d+)->(\d+)->(\d+) MB", line)
            if m:
                heap[0] = m.group(3).decode()
            elif not line.startswith((b"gc ", b"GC forced")) and b"listening" not in line:
                sys.stderr.write(line.decode(errors="replace"))

    threads = [threading.Thread(target=count), threading.Thread(target=gc)]
    for t in threads:
        t.start()
    print("%6s %10s %9s %9s %13s %12s %10s" % ("hour", "wall s", "RSS MB", "peak MB", "heap live MB", "CPU s", "detections"))
    start = time.monotonic()

    def row(h):
        s = proc_status(p.pid)
        print("%6.1f %10.0f %9.1f %9.1f %13s %12.1f %10d" % (
            h, time.monotonic() - start, s["VmRSS"], s["VmHWM"], heap[0], s["cpu"], detections[0]), flush=True)

    p.stdin.write(header)
    written, hour = 0, RATE * 2 * 3600
    row(0)
    while written < total:
        chunk = pcm[: total - written]
        p.stdin.write(chunk)
        before = written
        written += len(chunk)
        if written // hour > before // hour:
            p.stdin.flush()
            row(written // hour)
    p.stdin.close()
    p.wait()
    for t in threads:
        t.join()
    if p.returncode != 0:
        sys.exit("listen exited %d" % p.returncode)
    print("done: %.1f h of audio in %.0f s wall, %d detections" % (args.hours, time.monotonic() - start, detections[0]))


if __name__ == "__main__":
    main()
