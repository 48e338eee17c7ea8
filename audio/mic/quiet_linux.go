//go:build cgo && linux

package mic

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

// ALSA's snd_config_update: 0 or 1 when its configuration was read (or
// when ALSA is not there), a negative error code when not; 2 when it was
// read but defines no PCM devices at all (as when ALSA_CONFIG_PATH names
// a missing file).
static int listen_alsa_config(void) {
	void *f = dlsym(RTLD_DEFAULT, "snd_config_update");
	if (f == NULL) return 0;
	int rc = ((int (*)(void))f)();
	if (rc < 0) return rc;
	void **top = dlsym(RTLD_DEFAULT, "snd_config");
	void *search = dlsym(RTLD_DEFAULT, "snd_config_search");
	void *pcm = NULL;
	if (top == NULL || search == NULL) return 0;
	if (*top == NULL || ((int (*)(void *, const char *, void **))search)(*top, "pcm", &pcm) < 0) return 2;
	return 0;
}

static const char *listen_alsa_strerror(int err) {
	void *f = dlsym(RTLD_DEFAULT, "snd_strerror");
	if (f == NULL) return "error";
	return ((const char *(*)(int))f)(err);
}
*/
import "C"

import (
	"fmt"
	"sync"
)

var quietOnce sync.Once

// quietALSA stops ALSA and JACK from printing their probing complaints
// ("Unknown PCM cards.pcm.rear", "jack server is not running") to stderr
// while PortAudio enumerates devices: a library must not print. Real
// failures still come back as PortAudio errors.
func quietALSA() { quietOnce.Do(func() { C.listen_quiet() }) }

// checkALSAConfig reads ALSA's configuration as PortAudio is about to. When
// ALSA cannot parse it (a broken ~/.asoundrc) or it defines no devices
// (ALSA_CONFIG_PATH naming a missing file), PortAudio's device scan either
// fails with no message or aborts the whole process on an assertion, so
// it is reported here first.
func checkALSAConfig() error {
	switch rc := C.listen_alsa_config(); {
	case rc == 2:
		return fmt.Errorf("mic: ALSA's configuration defines no devices: check ALSA_CONFIG_PATH")
	case rc < 0:
		return fmt.Errorf("mic: ALSA cannot read its configuration (%s): check ~/.asoundrc and ALSA_CONFIG_PATH", C.GoString(C.listen_alsa_strerror(rc)))
	}
	return nil
}
