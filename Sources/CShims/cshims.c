#include "cshims.h"

CURLcode webex_curl_setopt_long(CURL *h, CURLoption opt, long value) { return curl_easy_setopt(h, opt, value); }
CURLcode webex_curl_setopt_offt(CURL *h, CURLoption opt, curl_off_t value) { return curl_easy_setopt(h, opt, value); }
CURLcode webex_curl_setopt_string(CURL *h, CURLoption opt, const char *value) { return curl_easy_setopt(h, opt, value); }
CURLcode webex_curl_setopt_pointer(CURL *h, CURLoption opt, void *value) { return curl_easy_setopt(h, opt, value); }
CURLcode webex_curl_setopt_data_function(CURL *h, CURLoption opt, webex_curl_data_cb cb) { return curl_easy_setopt(h, opt, cb); }
CURLcode webex_curl_setopt_xferinfo_function(CURL *h, webex_curl_xferinfo_cb cb) { return curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, cb); }
CURLcode webex_curl_getinfo_long(CURL *h, CURLINFO info, long *out) { return curl_easy_getinfo(h, info, out); }
CURLcode webex_curl_getinfo_string(CURL *h, CURLINFO info, char **out) { return curl_easy_getinfo(h, info, out); }
CURLcode webex_curl_getinfo_socket(CURL *h, curl_socket_t *out) { return curl_easy_getinfo(h, CURLINFO_ACTIVESOCKET, out); }

/* --- media: DTLS --- */
#include <openssl/ssl.h>
#include <openssl/bio.h>

int webex_dtls_get_timeout_ms(struct ssl_st *ssl, long *millis) {
    struct timeval tv = {0, 0};
    if (DTLSv1_get_timeout(ssl, &tv) != 1) { *millis = 0; return 0; }
    *millis = (long)tv.tv_sec * 1000 + (long)(tv.tv_usec / 1000);
    return 1;
}
int webex_dtls_handle_timeout(struct ssl_st *ssl) { return (int)DTLSv1_handle_timeout(ssl); }
long webex_bio_set_mem_eof_return(struct bio_st *bio, int value) { return BIO_set_mem_eof_return(bio, value); }
int webex_ssl_ctx_set_proto_versions(struct ssl_ctx_st *ctx, int min_version, int max_version) {
    if (SSL_CTX_set_min_proto_version(ctx, min_version) != 1) return 0;
    return SSL_CTX_set_max_proto_version(ctx, max_version) == 1;
}
void webex_ssl_ctx_set_dtls_srtp_options(struct ssl_ctx_st *ctx) {
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
}
int webex_ssl_ctx_set1_groups_list(struct ssl_ctx_st *ctx, const char *list) { return (int)SSL_CTX_set1_groups_list(ctx, list); }
int webex_ssl_set_fixed_mtu(struct ssl_st *ssl, long mtu) {
    SSL_set_options(ssl, SSL_OP_NO_QUERY_MTU);
    return SSL_set_mtu(ssl, mtu) > 0;   /* returns the MTU set, 0 if below the minimum */
}
/* --- end media: DTLS --- */

/* --- media: V4L2 --- */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

static struct {
    int (*open)(const char *, int, ...);
    int (*close)(int);
    int (*ioctl)(int, unsigned long, ...);
    void *(*mmap)(void *, size_t, int, int, int, int64_t);
    int (*munmap)(void *, size_t);
    ssize_t (*read)(int, void *, size_t);
} webex_v4l2;
static pthread_once_t webex_v4l2_once = PTHREAD_ONCE_INIT;
static int webex_v4l2_loaded;
static char webex_v4l2_error[512];

static void webex_v4l2_do_load(void) {
    void *h = dlopen("libv4l2.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(webex_v4l2_error, sizeof webex_v4l2_error, "%s", e ? e : "dlopen(libv4l2.so.0) failed");
        return;
    }
    *(void **)&webex_v4l2.open = dlsym(h, "v4l2_open");
    *(void **)&webex_v4l2.close = dlsym(h, "v4l2_close");
    *(void **)&webex_v4l2.ioctl = dlsym(h, "v4l2_ioctl");
    *(void **)&webex_v4l2.mmap = dlsym(h, "v4l2_mmap");
    *(void **)&webex_v4l2.munmap = dlsym(h, "v4l2_munmap");
    *(void **)&webex_v4l2.read = dlsym(h, "v4l2_read");
    /* libv4l2 prints "libv4l2: error dequeuing buf: Resource temporarily unavailable" to stderr for every
       EAGAIN of a non-blocking DQBUF (which we poll for): send its log to /dev/null unless asked for. */
    FILE **log = (FILE **)dlsym(h, "v4l2_log_file");
    if (log && !getenv("WEBEX_V4L2_DEBUG")) {
        FILE *devnull = fopen("/dev/null", "w");
        if (devnull) *log = devnull;
    }
    if (!webex_v4l2.open || !webex_v4l2.close || !webex_v4l2.ioctl || !webex_v4l2.mmap || !webex_v4l2.munmap
        || !webex_v4l2.read) {
        snprintf(webex_v4l2_error, sizeof webex_v4l2_error, "libv4l2.so.0 lacks a v4l2_* symbol");
        return;
    }
    webex_v4l2_loaded = 1;
}
int webex_v4l2_load(void) {
    pthread_once(&webex_v4l2_once, webex_v4l2_do_load);
    return webex_v4l2_loaded ? 0 : -ENOSYS;
}
const char *webex_v4l2_load_error(void) { return webex_v4l2_error[0] ? webex_v4l2_error : NULL; }
#define WEBEX_V4L2_REQUIRE(fail) do { if (webex_v4l2_load() != 0) { errno = ENOSYS; return fail; } } while (0)
int webex_v4l2_open(const char *path, int flags) { WEBEX_V4L2_REQUIRE(-1); return webex_v4l2.open(path, flags); }
int webex_v4l2_close(int fd) { WEBEX_V4L2_REQUIRE(-1); return webex_v4l2.close(fd); }
int webex_v4l2_ioctl(int fd, unsigned long request, void *arg) { WEBEX_V4L2_REQUIRE(-1); return webex_v4l2.ioctl(fd, request, arg); }
void *webex_v4l2_mmap(void *start, size_t length, int prot, int flags, int fd, int64_t offset) {
    WEBEX_V4L2_REQUIRE(MAP_FAILED); return webex_v4l2.mmap(start, length, prot, flags, fd, offset);
}
int webex_v4l2_munmap(void *start, size_t length) { WEBEX_V4L2_REQUIRE(-1); return webex_v4l2.munmap(start, length); }
ssize_t webex_v4l2_read(int fd, void *buf, size_t n) { WEBEX_V4L2_REQUIRE(-1); return webex_v4l2.read(fd, buf, n); }
/* --- end media: V4L2 --- */

/* --- media: ALSA --- */
/* libasound is not linked: asoundlib.h gives only types and constants here, every call goes through the
   table that webex_alsa_load fills with dlsym. */
#include <alsa/asoundlib.h>
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define WEBEX_ALSA_FN(name) __typeof__(name) *name
static struct {
    WEBEX_ALSA_FN(snd_strerror);
    WEBEX_ALSA_FN(snd_asoundlib_version);
    WEBEX_ALSA_FN(snd_lib_error_set_handler);
    WEBEX_ALSA_FN(snd_config_update_free_global);
    WEBEX_ALSA_FN(snd_pcm_open);
    WEBEX_ALSA_FN(snd_pcm_close);
    WEBEX_ALSA_FN(snd_pcm_prepare);
    WEBEX_ALSA_FN(snd_pcm_start);
    WEBEX_ALSA_FN(snd_pcm_drop);
    WEBEX_ALSA_FN(snd_pcm_drain);
    WEBEX_ALSA_FN(snd_pcm_state);
    WEBEX_ALSA_FN(snd_pcm_recover);
    WEBEX_ALSA_FN(snd_pcm_avail);
    WEBEX_ALSA_FN(snd_pcm_delay);
    WEBEX_ALSA_FN(snd_pcm_readi);
    WEBEX_ALSA_FN(snd_pcm_writei);
    WEBEX_ALSA_FN(snd_pcm_hw_params_malloc);
    WEBEX_ALSA_FN(snd_pcm_hw_params_free);
    WEBEX_ALSA_FN(snd_pcm_hw_params_any);
    WEBEX_ALSA_FN(snd_pcm_hw_params_set_access);
    WEBEX_ALSA_FN(snd_pcm_hw_params_set_format);
    WEBEX_ALSA_FN(snd_pcm_hw_params_set_channels);
    WEBEX_ALSA_FN(snd_pcm_hw_params_set_rate_resample);
    WEBEX_ALSA_FN(snd_pcm_hw_params_set_rate);
    WEBEX_ALSA_FN(snd_pcm_hw_params_set_period_time_near);
    WEBEX_ALSA_FN(snd_pcm_hw_params_set_buffer_size_near);
    WEBEX_ALSA_FN(snd_pcm_hw_params_get_period_size);
    WEBEX_ALSA_FN(snd_pcm_hw_params_get_buffer_size);
    WEBEX_ALSA_FN(snd_pcm_hw_params);
    WEBEX_ALSA_FN(snd_pcm_sw_params_malloc);
    WEBEX_ALSA_FN(snd_pcm_sw_params_free);
    WEBEX_ALSA_FN(snd_pcm_sw_params_current);
    WEBEX_ALSA_FN(snd_pcm_sw_params_set_start_threshold);
    WEBEX_ALSA_FN(snd_pcm_sw_params_set_stop_threshold);
    WEBEX_ALSA_FN(snd_pcm_sw_params_set_avail_min);
    WEBEX_ALSA_FN(snd_pcm_sw_params_get_boundary);
    WEBEX_ALSA_FN(snd_pcm_sw_params);
    WEBEX_ALSA_FN(snd_device_name_hint);
    WEBEX_ALSA_FN(snd_device_name_get_hint);
    WEBEX_ALSA_FN(snd_device_name_free_hint);
    WEBEX_ALSA_FN(snd_card_next);
    WEBEX_ALSA_FN(snd_ctl_open);
    WEBEX_ALSA_FN(snd_ctl_close);
    WEBEX_ALSA_FN(snd_ctl_card_info_malloc);
    WEBEX_ALSA_FN(snd_ctl_card_info_free);
    WEBEX_ALSA_FN(snd_ctl_card_info);
    WEBEX_ALSA_FN(snd_ctl_card_info_get_id);
    WEBEX_ALSA_FN(snd_ctl_card_info_get_name);
    WEBEX_ALSA_FN(snd_ctl_pcm_next_device);
    WEBEX_ALSA_FN(snd_ctl_pcm_info);
    WEBEX_ALSA_FN(snd_pcm_info_malloc);
    WEBEX_ALSA_FN(snd_pcm_info_free);
    WEBEX_ALSA_FN(snd_pcm_info_set_device);
    WEBEX_ALSA_FN(snd_pcm_info_set_subdevice);
    WEBEX_ALSA_FN(snd_pcm_info_set_stream);
    WEBEX_ALSA_FN(snd_pcm_info_get_name);
} webex_alsa;
#undef WEBEX_ALSA_FN

static pthread_once_t webex_alsa_once = PTHREAD_ONCE_INIT;
static int webex_alsa_loaded = 0;
static char webex_alsa_dlerror[512];
static pthread_mutex_t webex_alsa_msg_lock = PTHREAD_MUTEX_INITIALIZER;
static char webex_alsa_msg[512];        /* the last message */
static char webex_alsa_first_msg[512];  /* the first message since webex_alsa_clear_last_message */

/* libasound's error handler: keeps the last message (for our error texts) instead of printing it. */
static void webex_alsa_error_handler(const char *file, int line, const char *function, int err, const char *fmt, ...) {
    char text[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt ? fmt : "", ap);
    va_end(ap);
    char line_text[512];
    if (err != 0)
        snprintf(line_text, sizeof line_text, "ALSA lib %s:%d:(%s) %s: %s", file ? file : "?", line,
                 function ? function : "?", text, webex_alsa.snd_strerror ? webex_alsa.snd_strerror(err) : "");
    else
        snprintf(line_text, sizeof line_text, "ALSA lib %s:%d:(%s) %s", file ? file : "?", line,
                 function ? function : "?", text);
    pthread_mutex_lock(&webex_alsa_msg_lock);
    memcpy(webex_alsa_msg, line_text, sizeof webex_alsa_msg);
    webex_alsa_msg[sizeof webex_alsa_msg - 1] = 0;
    if (webex_alsa_first_msg[0] == 0) memcpy(webex_alsa_first_msg, webex_alsa_msg, sizeof webex_alsa_first_msg);
    pthread_mutex_unlock(&webex_alsa_msg_lock);
    if (getenv("WEBEX_ALSA_DEBUG")) {
        size_t n = strlen(line_text);
        line_text[n < sizeof line_text - 1 ? n : sizeof line_text - 2] = '\n';
        (void)!write(2, line_text, n < sizeof line_text - 1 ? n + 1 : sizeof line_text - 1);
    }
}

static void webex_alsa_do_load(void) {
    void *h = dlopen("libasound.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        const char *e = dlerror();
        snprintf(webex_alsa_dlerror, sizeof webex_alsa_dlerror, "%s", e ? e : "dlopen(libasound.so.2) failed");
        return;
    }
#define WEBEX_ALSA_SYM(name) \
    do { \
        *(void **)(&webex_alsa.name) = dlsym(h, #name); \
        if (!webex_alsa.name) { \
            snprintf(webex_alsa_dlerror, sizeof webex_alsa_dlerror, "libasound.so.2 has no symbol %s", #name); \
            memset(&webex_alsa, 0, sizeof webex_alsa); \
            return; \
        } \
    } while (0)
    WEBEX_ALSA_SYM(snd_strerror); WEBEX_ALSA_SYM(snd_asoundlib_version); WEBEX_ALSA_SYM(snd_lib_error_set_handler);
    WEBEX_ALSA_SYM(snd_config_update_free_global);
    WEBEX_ALSA_SYM(snd_pcm_open); WEBEX_ALSA_SYM(snd_pcm_close); WEBEX_ALSA_SYM(snd_pcm_prepare);
    WEBEX_ALSA_SYM(snd_pcm_start); WEBEX_ALSA_SYM(snd_pcm_drop); WEBEX_ALSA_SYM(snd_pcm_drain);
    WEBEX_ALSA_SYM(snd_pcm_state); WEBEX_ALSA_SYM(snd_pcm_recover); WEBEX_ALSA_SYM(snd_pcm_avail);
    WEBEX_ALSA_SYM(snd_pcm_delay); WEBEX_ALSA_SYM(snd_pcm_readi); WEBEX_ALSA_SYM(snd_pcm_writei);
    WEBEX_ALSA_SYM(snd_pcm_hw_params_malloc); WEBEX_ALSA_SYM(snd_pcm_hw_params_free);
    WEBEX_ALSA_SYM(snd_pcm_hw_params_any); WEBEX_ALSA_SYM(snd_pcm_hw_params_set_access);
    WEBEX_ALSA_SYM(snd_pcm_hw_params_set_format); WEBEX_ALSA_SYM(snd_pcm_hw_params_set_channels);
    WEBEX_ALSA_SYM(snd_pcm_hw_params_set_rate_resample); WEBEX_ALSA_SYM(snd_pcm_hw_params_set_rate);
    WEBEX_ALSA_SYM(snd_pcm_hw_params_set_period_time_near); WEBEX_ALSA_SYM(snd_pcm_hw_params_set_buffer_size_near);
    WEBEX_ALSA_SYM(snd_pcm_hw_params_get_period_size); WEBEX_ALSA_SYM(snd_pcm_hw_params_get_buffer_size);
    WEBEX_ALSA_SYM(snd_pcm_hw_params);
    WEBEX_ALSA_SYM(snd_pcm_sw_params_malloc); WEBEX_ALSA_SYM(snd_pcm_sw_params_free);
    WEBEX_ALSA_SYM(snd_pcm_sw_params_current); WEBEX_ALSA_SYM(snd_pcm_sw_params_set_start_threshold);
    WEBEX_ALSA_SYM(snd_pcm_sw_params_set_stop_threshold); WEBEX_ALSA_SYM(snd_pcm_sw_params_set_avail_min);
    WEBEX_ALSA_SYM(snd_pcm_sw_params_get_boundary); WEBEX_ALSA_SYM(snd_pcm_sw_params);
    WEBEX_ALSA_SYM(snd_device_name_hint); WEBEX_ALSA_SYM(snd_device_name_get_hint);
    WEBEX_ALSA_SYM(snd_device_name_free_hint); WEBEX_ALSA_SYM(snd_card_next);
    WEBEX_ALSA_SYM(snd_ctl_open); WEBEX_ALSA_SYM(snd_ctl_close);
    WEBEX_ALSA_SYM(snd_ctl_card_info_malloc); WEBEX_ALSA_SYM(snd_ctl_card_info_free);
    WEBEX_ALSA_SYM(snd_ctl_card_info); WEBEX_ALSA_SYM(snd_ctl_card_info_get_id);
    WEBEX_ALSA_SYM(snd_ctl_card_info_get_name); WEBEX_ALSA_SYM(snd_ctl_pcm_next_device);
    WEBEX_ALSA_SYM(snd_ctl_pcm_info); WEBEX_ALSA_SYM(snd_pcm_info_malloc); WEBEX_ALSA_SYM(snd_pcm_info_free);
    WEBEX_ALSA_SYM(snd_pcm_info_set_device); WEBEX_ALSA_SYM(snd_pcm_info_set_subdevice);
    WEBEX_ALSA_SYM(snd_pcm_info_set_stream); WEBEX_ALSA_SYM(snd_pcm_info_get_name);
#undef WEBEX_ALSA_SYM
    webex_alsa.snd_lib_error_set_handler(webex_alsa_error_handler);
    webex_alsa_loaded = 1;
}

int webex_alsa_load(void) {
    pthread_once(&webex_alsa_once, webex_alsa_do_load);
    return webex_alsa_loaded ? 0 : -ENOSYS;
}
const char *webex_alsa_load_error(void) { webex_alsa_load(); return webex_alsa_dlerror; }
void webex_alsa_last_message(char *buf, unsigned long size) {
    if (!buf || size == 0) return;
    pthread_mutex_lock(&webex_alsa_msg_lock);
    snprintf(buf, size, "%s", webex_alsa_msg);
    pthread_mutex_unlock(&webex_alsa_msg_lock);
}
void webex_alsa_first_message(char *buf, unsigned long size) {
    if (!buf || size == 0) return;
    pthread_mutex_lock(&webex_alsa_msg_lock);
    snprintf(buf, size, "%s", webex_alsa_first_msg);
    pthread_mutex_unlock(&webex_alsa_msg_lock);
}
void webex_alsa_clear_last_message(void) {
    pthread_mutex_lock(&webex_alsa_msg_lock);
    webex_alsa_msg[0] = 0;
    webex_alsa_first_msg[0] = 0;
    pthread_mutex_unlock(&webex_alsa_msg_lock);
}

#define WEBEX_ALSA_REQUIRE(ret) do { if (webex_alsa_load() != 0) return (ret); } while (0)
const char *webex_snd_strerror(int err) {
    if (webex_alsa_load() != 0) return strerror(err < 0 ? -err : err);
    return webex_alsa.snd_strerror(err);
}
const char *webex_snd_asoundlib_version(void) { WEBEX_ALSA_REQUIRE(""); return webex_alsa.snd_asoundlib_version(); }
int webex_snd_config_update_free_global(void) { WEBEX_ALSA_REQUIRE(-ENOSYS); return webex_alsa.snd_config_update_free_global(); }

int webex_snd_pcm_open(void **pcm, const char *name, int stream, int mode) {
    WEBEX_ALSA_REQUIRE(-ENOSYS);
    if (!pcm || !name) return -EINVAL;
    return webex_alsa.snd_pcm_open((snd_pcm_t **)pcm, name,
                                   stream == WEBEX_SND_PCM_STREAM_CAPTURE ? SND_PCM_STREAM_CAPTURE : SND_PCM_STREAM_PLAYBACK, mode);
}
int webex_snd_pcm_close(void *pcm) { WEBEX_ALSA_REQUIRE(-ENOSYS); return pcm ? webex_alsa.snd_pcm_close(pcm) : -EINVAL; }

int webex_snd_pcm_setup_s16(void *pcm, int stream, unsigned channels, unsigned rate, unsigned period_us,
                            unsigned periods, unsigned start_periods, unsigned long *period_frames,
                            unsigned long *buffer_frames, const char **failed_step) {
    static const char *none = "";
    const char *step_dummy;
    if (!failed_step) failed_step = &step_dummy;
    *failed_step = none;
    WEBEX_ALSA_REQUIRE(-ENOSYS);
    if (!pcm || channels == 0 || rate == 0 || periods < 2) { *failed_step = "arguments"; return -EINVAL; }
    snd_pcm_t *p = pcm;
    snd_pcm_hw_params_t *hw = NULL;
    snd_pcm_sw_params_t *sw = NULL;
    int err = webex_alsa.snd_pcm_hw_params_malloc(&hw);
    if (err < 0) { *failed_step = "hw_params_malloc"; return err; }
#define STEP(call, name) do { err = (call); if (err < 0) { *failed_step = name; goto out; } } while (0)
    STEP(webex_alsa.snd_pcm_hw_params_any(p, hw), "hw_params_any");
    STEP(webex_alsa.snd_pcm_hw_params_set_access(p, hw, SND_PCM_ACCESS_RW_INTERLEAVED), "access RW_INTERLEAVED");
    STEP(webex_alsa.snd_pcm_hw_params_set_format(p, hw, SND_PCM_FORMAT_S16_LE), "format S16_LE");
    STEP(webex_alsa.snd_pcm_hw_params_set_channels(p, hw, channels), "channels");
    STEP(webex_alsa.snd_pcm_hw_params_set_rate_resample(p, hw, 0), "rate_resample");
    STEP(webex_alsa.snd_pcm_hw_params_set_rate(p, hw, rate, 0), "rate");
    unsigned period_time = period_us;
    int dir = 0;
    STEP(webex_alsa.snd_pcm_hw_params_set_period_time_near(p, hw, &period_time, &dir), "period time");
    snd_pcm_uframes_t period = 0, buffer = 0;
    dir = 0;
    STEP(webex_alsa.snd_pcm_hw_params_get_period_size(hw, &period, &dir), "period size");
    buffer = period * periods;
    STEP(webex_alsa.snd_pcm_hw_params_set_buffer_size_near(p, hw, &buffer), "buffer size");
    STEP(webex_alsa.snd_pcm_hw_params(p, hw), "hw_params");
    dir = 0;
    STEP(webex_alsa.snd_pcm_hw_params_get_period_size(hw, &period, &dir), "period size");
    STEP(webex_alsa.snd_pcm_hw_params_get_buffer_size(hw, &buffer), "buffer size");

    STEP(webex_alsa.snd_pcm_sw_params_malloc(&sw), "sw_params_malloc");
    STEP(webex_alsa.snd_pcm_sw_params_current(p, sw), "sw_params_current");
    snd_pcm_uframes_t boundary = 0;
    STEP(webex_alsa.snd_pcm_sw_params_get_boundary(sw, &boundary), "boundary");
    snd_pcm_uframes_t start;
    if (stream == WEBEX_SND_PCM_STREAM_CAPTURE) start = boundary;   /* never by itself: we call snd_pcm_start */
    else {
        start = period * (start_periods ? start_periods : 1);
        if (start > buffer) start = buffer;
    }
    STEP(webex_alsa.snd_pcm_sw_params_set_start_threshold(p, sw, start), "start threshold");
    STEP(webex_alsa.snd_pcm_sw_params_set_stop_threshold(p, sw, buffer), "stop threshold");
    STEP(webex_alsa.snd_pcm_sw_params_set_avail_min(p, sw, period), "avail_min");
    STEP(webex_alsa.snd_pcm_sw_params(p, sw), "sw_params");
#undef STEP
    if (period_frames) *period_frames = period;
    if (buffer_frames) *buffer_frames = buffer;
out:
    if (sw) webex_alsa.snd_pcm_sw_params_free(sw);
    webex_alsa.snd_pcm_hw_params_free(hw);
    return err < 0 ? err : 0;
}

int webex_snd_pcm_prepare(void *pcm) { WEBEX_ALSA_REQUIRE(-ENOSYS); return webex_alsa.snd_pcm_prepare(pcm); }
int webex_snd_pcm_start(void *pcm) { WEBEX_ALSA_REQUIRE(-ENOSYS); return webex_alsa.snd_pcm_start(pcm); }
int webex_snd_pcm_drop(void *pcm) { WEBEX_ALSA_REQUIRE(-ENOSYS); return webex_alsa.snd_pcm_drop(pcm); }
int webex_snd_pcm_drain(void *pcm) { WEBEX_ALSA_REQUIRE(-ENOSYS); return webex_alsa.snd_pcm_drain(pcm); }
int webex_snd_pcm_state(void *pcm) { WEBEX_ALSA_REQUIRE(-ENOSYS); return (int)webex_alsa.snd_pcm_state(pcm); }
int webex_snd_pcm_recover(void *pcm, int err, int silent) { WEBEX_ALSA_REQUIRE(-ENOSYS); return webex_alsa.snd_pcm_recover(pcm, err, silent); }
long webex_snd_pcm_avail(void *pcm) { WEBEX_ALSA_REQUIRE(-ENOSYS); return (long)webex_alsa.snd_pcm_avail(pcm); }
long webex_snd_pcm_delay(void *pcm, long *delay) {
    WEBEX_ALSA_REQUIRE(-ENOSYS);
    snd_pcm_sframes_t d = 0;
    int err = webex_alsa.snd_pcm_delay(pcm, &d);
    if (delay) *delay = (long)d;
    return err;
}
long webex_snd_pcm_readi(void *pcm, void *buffer, unsigned long frames) {
    WEBEX_ALSA_REQUIRE(-ENOSYS);
    return (long)webex_alsa.snd_pcm_readi(pcm, buffer, frames);
}
long webex_snd_pcm_writei(void *pcm, const void *buffer, unsigned long frames) {
    WEBEX_ALSA_REQUIRE(-ENOSYS);
    return (long)webex_alsa.snd_pcm_writei(pcm, buffer, frames);
}

int webex_snd_device_name_hint(int card, const char *iface, void ***hints) {
    WEBEX_ALSA_REQUIRE(-ENOSYS);
    return webex_alsa.snd_device_name_hint(card, iface, hints);
}
char *webex_snd_device_name_get_hint(const void *hint, const char *id) {
    WEBEX_ALSA_REQUIRE(NULL);
    return webex_alsa.snd_device_name_get_hint(hint, id);
}
int webex_snd_device_name_free_hint(void **hints) { WEBEX_ALSA_REQUIRE(-ENOSYS); return webex_alsa.snd_device_name_free_hint(hints); }
int webex_snd_card_next(int *card) { WEBEX_ALSA_REQUIRE(-ENOSYS); return webex_alsa.snd_card_next(card); }

int webex_snd_card_info(int card, char *id, unsigned long id_size, char *name, unsigned long name_size) {
    WEBEX_ALSA_REQUIRE(-ENOSYS);
    char dev[32];
    snprintf(dev, sizeof dev, "hw:%d", card);
    snd_ctl_t *ctl = NULL;
    int err = webex_alsa.snd_ctl_open(&ctl, dev, 0);
    if (err < 0) return err;
    snd_ctl_card_info_t *info = NULL;
    err = webex_alsa.snd_ctl_card_info_malloc(&info);
    if (err >= 0) {
        err = webex_alsa.snd_ctl_card_info(ctl, info);
        if (err >= 0) {
            if (id && id_size) snprintf(id, id_size, "%s", webex_alsa.snd_ctl_card_info_get_id(info));
            if (name && name_size) snprintf(name, name_size, "%s", webex_alsa.snd_ctl_card_info_get_name(info));
        }
        webex_alsa.snd_ctl_card_info_free(info);
    }
    webex_alsa.snd_ctl_close(ctl);
    return err < 0 ? err : 0;
}

int webex_snd_card_pcm_next(int card, int *device, char *name, unsigned long name_size,
                            int *has_playback, int *has_capture) {
    WEBEX_ALSA_REQUIRE(-ENOSYS);
    if (!device) return -EINVAL;
    char dev[32];
    snprintf(dev, sizeof dev, "hw:%d", card);
    snd_ctl_t *ctl = NULL;
    int err = webex_alsa.snd_ctl_open(&ctl, dev, 0);
    if (err < 0) return err;
    err = webex_alsa.snd_ctl_pcm_next_device(ctl, device);
    if (err >= 0 && *device >= 0) {
        snd_pcm_info_t *info = NULL;
        err = webex_alsa.snd_pcm_info_malloc(&info);
        if (err >= 0) {
            if (name && name_size) name[0] = 0;
            for (int s = 0; s < 2; s++) {
                webex_alsa.snd_pcm_info_set_device(info, (unsigned)*device);
                webex_alsa.snd_pcm_info_set_subdevice(info, 0);
                webex_alsa.snd_pcm_info_set_stream(info, s == 0 ? SND_PCM_STREAM_PLAYBACK : SND_PCM_STREAM_CAPTURE);
                int ok = webex_alsa.snd_ctl_pcm_info(ctl, info) >= 0;
                if (s == 0 && has_playback) *has_playback = ok;
                if (s == 1 && has_capture) *has_capture = ok;
                if (ok && name && name_size && name[0] == 0)
                    snprintf(name, name_size, "%s", webex_alsa.snd_pcm_info_get_name(info));
            }
            webex_alsa.snd_pcm_info_free(info);
        }
    }
    webex_alsa.snd_ctl_close(ctl);
    return err < 0 ? err : 0;
}
#undef WEBEX_ALSA_REQUIRE
/* --- end media: ALSA --- */
