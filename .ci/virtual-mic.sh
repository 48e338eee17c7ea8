#!/usr/bin/env bash
# Starts a virtual capture device on a machine without a sound card:
# PulseAudio with a null sink whose monitor is the default source, and
# ALSA's default device routed to PulseAudio so that PortAudio reaches it.
# Safe to run twice.
set -euo pipefail

if ! pactl info >/dev/null 2>&1; then
	# As root (CI), PulseAudio needs --system or an explicit runtime dir;
	# a per-user daemon with a private runtime dir is the simplest.
	export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/listen-pulse}
	mkdir -p "$XDG_RUNTIME_DIR"
	pulseaudio --daemonize=yes --exit-idle-time=-1 --disallow-exit \
		--log-target=stderr -n \
		--load="module-native-protocol-unix" \
		--load="module-null-sink sink_name=listen_null rate=16000 channels=1" \
		--load="module-always-sink" 2>/dev/null || true
	for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
fi
pactl set-default-sink listen_null
pactl set-default-source listen_null.monitor

# Route ALSA's default device through PulseAudio.
if [ ! -f /etc/asound.conf ] || ! grep -q pulse /etc/asound.conf; then
	cat > /etc/asound.conf <<'CONF'
pcm.!default { type pulse }
ctl.!default { type pulse }
CONF
fi
