//go:build cgo && linux

package audio

/*
#cgo LDFLAGS: -ldl
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stddef.h>

static void listen_alsa_silent(const char *file, int line, const char *function, int err, const char *fmt, ...) {}
static void listen_jack_silent(const char *msg) {}

// Found at run time in the libraries PortAudio brought in, so that
// neither ALSA's nor JACK's headers are needed to build.
static void listen_quiet(void) {
	void *f = dlsym(RTLD_DEFAULT, "snd_lib_error_set_handler");
	if (f != NULL) ((int (*)(void *))f)((void *)listen_alsa_silent);
	f = dlsym(RTLD_DEFAULT, "jack_set_error_function");
	if (f != NULL) ((void (*)(void (*)(const char *)))f)(listen_jack_silent);
	f = dlsym(RTLD_DEFAULT, "jack_set_info_function");
	if (f != NULL) ((void (*)(void (*)(const char *)))f)(listen_jack_silent);
}
*/
import "C"

import "sync"

var quietOnce sync.Once

// quietALSA stops ALSA and JACK from printing their probing complaints
// ("Unknown PCM cards.pcm.rear", "jack server is not running") to stderr
// while PortAudio enumerates devices: a library must not print. Real
// failures still come back as PortAudio errors.
func quietALSA() { quietOnce.Do(func() { C.listen_quiet() }) }
