#!/usr/bin/env bash
# Starts a virtual microphone on a machine without a sound card: a private
# PulseAudio daemon with a null sink whose monitor is the default source.
# Whatever is played into the sink (paplay) comes out of the monitor, and
# PortAudio reaches the monitor through ALSA's pulse plugin
# (libasound2-plugins) as ALSA's default device.
#
# For trying listen by hand; the tests do not use it (they start a daemon
# of their own, internal/virtualmic). The daemon listens on a fixed socket,
# $LISTEN_PULSE_SOCKET (default /tmp/listen-pulse/native), with anonymous
# access. It changes no system file: only processes started with
#     PULSE_SERVER=unix:/tmp/listen-pulse/native
# use it (Debian's /etc/alsa/conf.d/99-pulse.conf then makes it ALSA's
# default device, unless /etc/asound.conf or ~/.asoundrc names another;
# `listen -device pulse` reaches it regardless).
# Stop it with: kill $(cat /tmp/listen-pulse/runtime/pulse/pid)
#
# Works as root (CI) and as a normal user; safe to run twice. Exits non-zero
# if the device cannot be started.
set -euo pipefail

SOCK=${LISTEN_PULSE_SOCKET:-/tmp/listen-pulse/native}
SERVER=unix:$SOCK
DIR=$(dirname "$SOCK")
# The daemon's own runtime directory (pid file), private to it.
export XDG_RUNTIME_DIR=$DIR/runtime

for tool in pulseaudio pactl; do
	if ! command -v "$tool" >/dev/null; then
		echo "virtual-mic: $tool not found (Debian: apt-get install pulseaudio alsa-utils libasound2-plugins)" >&2
		exit 1
	fi
done

if ! pactl -s "$SERVER" info >/dev/null 2>&1; then
	mkdir -p "$XDG_RUNTIME_DIR"
	chmod 700 "$XDG_RUNTIME_DIR"
	rm -f "$SOCK"
	# -n: no default.pa (so no hardware detection); the null sink runs at
	# 48 kHz stereo like common hardware, so captures at 16 kHz exercise
	# resampling on the way. As root PulseAudio warns that it is meant
	# for --system mode, but a per-user daemon works and needs no D-Bus.
	pulseaudio --daemonize=yes --exit-idle-time=-1 --disallow-exit \
		--disable-shm=yes --log-target=file:"$DIR/pulseaudio.log" -n \
		--load="module-native-protocol-unix socket=$SOCK auth-anonymous=1" \
		--load="module-null-sink sink_name=listen_null rate=48000 channels=2 sink_properties=device.description=listen-virtual-mic" \
		--load="module-always-sink" ||
		{ echo "virtual-mic: pulseaudio failed to start; see $DIR/pulseaudio.log" >&2; exit 1; }
	for _ in $(seq 100); do
		pactl -s "$SERVER" info >/dev/null 2>&1 && break
		sleep 0.05
	done
fi
pactl -s "$SERVER" set-default-sink listen_null
pactl -s "$SERVER" set-default-source listen_null.monitor
# Speakers and microphone at 100 %: what is played is what is captured.
pactl -s "$SERVER" set-sink-volume listen_null 100%
pactl -s "$SERVER" set-source-volume listen_null.monitor 100%
pactl -s "$SERVER" info | grep -q "Default Source: listen_null.monitor" ||
	{ echo "virtual-mic: the monitor did not become the default source" >&2; exit 1; }

echo "virtual-mic: PulseAudio null sink listen_null at $SERVER; default source listen_null.monitor"
