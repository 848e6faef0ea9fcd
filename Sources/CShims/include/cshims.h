#ifndef WEBEX_CSHIMS_H
#define WEBEX_CSHIMS_H
/* Typed, non-variadic wrappers for the C calls Swift cannot make (variadic functions). */
#include <curl/curl.h>

typedef size_t (*webex_curl_data_cb)(char *ptr, size_t size, size_t nmemb, void *userdata);
typedef int (*webex_curl_xferinfo_cb)(void *userdata, curl_off_t dltotal, curl_off_t dlnow,
                                      curl_off_t ultotal, curl_off_t ulnow);

CURLcode webex_curl_setopt_long(CURL *h, CURLoption opt, long value);
CURLcode webex_curl_setopt_offt(CURL *h, CURLoption opt, curl_off_t value);
CURLcode webex_curl_setopt_string(CURL *h, CURLoption opt, const char *value);
CURLcode webex_curl_setopt_pointer(CURL *h, CURLoption opt, void *value);
CURLcode webex_curl_setopt_data_function(CURL *h, CURLoption opt, webex_curl_data_cb cb);
CURLcode webex_curl_setopt_xferinfo_function(CURL *h, webex_curl_xferinfo_cb cb);
CURLcode webex_curl_getinfo_long(CURL *h, CURLINFO info, long *out);
CURLcode webex_curl_getinfo_string(CURL *h, CURLINFO info, char **out);
/* CURLINFO_ACTIVESOCKET: the connected socket of a CONNECT_ONLY handle (websockets). */
CURLcode webex_curl_getinfo_socket(CURL *h, curl_socket_t *out);

/* --- media: DTLS --- */
/* OpenSSL DTLS calls that are macros (SSL_ctrl/BIO_ctrl) in the headers. Only forward declarations here,
   so this header does not pull OpenSSL into the CShims module (the COpenSSL module owns those types). */
struct ssl_st;
struct ssl_ctx_st;
struct bio_st;
/* DTLSv1_get_timeout: 1 and the time left in milliseconds if a retransmission timer runs, else 0. */
int webex_dtls_get_timeout_ms(struct ssl_st *ssl, long *millis);
/* DTLSv1_handle_timeout: retransmits the last flight if its timer expired (1), 0 if nothing to do, <0 on error. */
int webex_dtls_handle_timeout(struct ssl_st *ssl);
/* BIO_set_mem_eof_return: what an empty memory BIO returns (-1 = "retry", not EOF). */
long webex_bio_set_mem_eof_return(struct bio_st *bio, int value);
/* SSL_CTX_set_min_proto_version / SSL_CTX_set_max_proto_version. */
int webex_ssl_ctx_set_proto_versions(struct ssl_ctx_st *ctx, int min_version, int max_version);
/* SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET (SSL_OP_* are macros Swift cannot import). */
void webex_ssl_ctx_set_dtls_srtp_options(struct ssl_ctx_st *ctx);
/* SSL_CTX_set1_groups_list (ECDHE groups, e.g. "P-256:X25519"). */
int webex_ssl_ctx_set1_groups_list(struct ssl_ctx_st *ctx, const char *list);
/* SSL_OP_NO_QUERY_MTU + SSL_set_mtu: a fixed DTLS MTU (no path-MTU query on our non-socket BIO); 1 = ok. */
int webex_ssl_set_fixed_mtu(struct ssl_st *ssl, long mtu);
/* --- end media: DTLS --- */

/* --- media: codecs --- */
/* libvpx/libopus calls that are function-like macros or variadic in C. They are `static inline` on purpose:
   the code is emitted only into the Swift module that calls them (WebexMedia, which links the codec libraries
   statically), so cshims.o gains no codec symbol references and CShims users without codecs still link. */
#include <vpx/vpx_encoder.h>
#include <vpx/vpx_decoder.h>
#include <vpx/vp8cx.h>
#include <vpx/vp8dx.h>
#include <opus/opus.h>
/* vpx_codec_enc_init for VP8 with this header's ABI version (VPX_ENCODER_ABI_VERSION does not import). */
static inline vpx_codec_err_t webex_vpx_vp8_enc_init(vpx_codec_ctx_t *ctx, const vpx_codec_enc_cfg_t *cfg) {
    return vpx_codec_enc_init(ctx, vpx_codec_vp8_cx(), cfg, 0);
}
/* vpx_codec_dec_init for VP8, one thread, no post-processing. */
static inline vpx_codec_err_t webex_vpx_vp8_dec_init(vpx_codec_ctx_t *ctx) {
    vpx_codec_dec_cfg_t cfg = {0};
    cfg.threads = 1;
    return vpx_codec_dec_init(ctx, vpx_codec_vp8_dx(), &cfg, 0);
}
/* vpx_codec_control with one int argument (VP8E_SET_CPUUSED, VP8E_SET_NOISE_SENSITIVITY, ...). */
static inline vpx_codec_err_t webex_vpx_control_int(vpx_codec_ctx_t *ctx, int id, int value) {
    return vpx_codec_control_(ctx, id, value);
}
/* vpx_codec_control with an int out-pointer (VP8D_GET_FRAME_CORRUPTED, VP8D_GET_LAST_REF_UPDATES, ...). */
static inline vpx_codec_err_t webex_vpx_control_get_int(vpx_codec_ctx_t *ctx, int id, int *value) {
    return vpx_codec_control_(ctx, id, value);
}
/* opus_encoder_ctl with one int argument (OPUS_SET_*_REQUEST) or an int out-pointer (OPUS_GET_*_REQUEST). */
static inline int webex_opus_encoder_ctl_set(OpusEncoder *enc, int request, int value) {
    return opus_encoder_ctl(enc, request, (opus_int32)value);
}
static inline int webex_opus_encoder_ctl_get(OpusEncoder *enc, int request, int *value) {
    opus_int32 v = 0; int r = opus_encoder_ctl(enc, request, &v); *value = (int)v; return r;
}
static inline int webex_opus_decoder_ctl_get(OpusDecoder *dec, int request, int *value) {
    opus_int32 v = 0; int r = opus_decoder_ctl(dec, request, &v); *value = (int)v; return r;
}
/* --- end media: codecs --- */

/* --- media: V4L2 --- */
/* libv4l2 is loaded with dlopen("libv4l2.so.0") on first use (never linked), so commands that do not touch a
   camera do not load it. Every wrapper loads it if needed; when it cannot be loaded they return -1 (mmap:
   MAP_FAILED) with errno = ENOSYS, and webex_v4l2_load_error() says why. */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/videodev2.h>
/* 0 when libv4l2 is loaded (idempotent, thread-safe), -ENOSYS when it could not be. */
int webex_v4l2_load(void);
/* dlerror's text from the failed load, or NULL when the library is loaded / was never tried. */
const char *webex_v4l2_load_error(void);
int webex_v4l2_open(const char *path, int flags);
int webex_v4l2_close(int fd);
/* v4l2_ioctl with a pointer argument (every VIDIOC_* request we use). -1 and errno on failure. */
int webex_v4l2_ioctl(int fd, unsigned long request, void *arg);
void *webex_v4l2_mmap(void *start, size_t length, int prot, int flags, int fd, int64_t offset);
int webex_v4l2_munmap(void *start, size_t length);
ssize_t webex_v4l2_read(int fd, void *buf, size_t n);
/* VIDIOC_* request codes and fourccs are function-like macros (_IOWR, v4l2_fourcc): */
static const unsigned long WEBEX_VIDIOC_QUERYCAP = VIDIOC_QUERYCAP;
static const unsigned long WEBEX_VIDIOC_ENUM_FMT = VIDIOC_ENUM_FMT;
static const unsigned long WEBEX_VIDIOC_ENUM_FRAMESIZES = VIDIOC_ENUM_FRAMESIZES;
static const unsigned long WEBEX_VIDIOC_ENUM_FRAMEINTERVALS = VIDIOC_ENUM_FRAMEINTERVALS;
static const unsigned long WEBEX_VIDIOC_G_FMT = VIDIOC_G_FMT;
static const unsigned long WEBEX_VIDIOC_S_FMT = VIDIOC_S_FMT;
static const unsigned long WEBEX_VIDIOC_G_PARM = VIDIOC_G_PARM;
static const unsigned long WEBEX_VIDIOC_S_PARM = VIDIOC_S_PARM;
static const unsigned long WEBEX_VIDIOC_REQBUFS = VIDIOC_REQBUFS;
static const unsigned long WEBEX_VIDIOC_QUERYBUF = VIDIOC_QUERYBUF;
static const unsigned long WEBEX_VIDIOC_QBUF = VIDIOC_QBUF;
static const unsigned long WEBEX_VIDIOC_DQBUF = VIDIOC_DQBUF;
static const unsigned long WEBEX_VIDIOC_STREAMON = VIDIOC_STREAMON;
static const unsigned long WEBEX_VIDIOC_STREAMOFF = VIDIOC_STREAMOFF;
static const uint32_t WEBEX_V4L2_PIX_FMT_YUV420 = V4L2_PIX_FMT_YUV420;
static const uint32_t WEBEX_V4L2_PIX_FMT_YUYV = V4L2_PIX_FMT_YUYV;
/* --- end media: V4L2 --- */

/* --- media: ALSA --- */
/* libasound is opened with dlopen("libasound.so.2") on first use (there is no static archive, and REST
   commands must not load it). Handles are opaque `void *`. Every wrapper returns -ENOSYS when the library
   could not be loaded; webex_alsa_load_error() then says why. */
#define WEBEX_SND_PCM_STREAM_PLAYBACK 0
#define WEBEX_SND_PCM_STREAM_CAPTURE 1
/* snd_pcm_state_t values. */
#define WEBEX_SND_PCM_STATE_OPEN 0
#define WEBEX_SND_PCM_STATE_SETUP 1
#define WEBEX_SND_PCM_STATE_PREPARED 2
#define WEBEX_SND_PCM_STATE_RUNNING 3
#define WEBEX_SND_PCM_STATE_XRUN 4
#define WEBEX_SND_PCM_STATE_DRAINING 5
#define WEBEX_SND_PCM_STATE_PAUSED 6
#define WEBEX_SND_PCM_STATE_SUSPENDED 7
#define WEBEX_SND_PCM_STATE_DISCONNECTED 8

/* Loads libasound once (thread-safe) and installs the error handler. 0, or -ENOSYS. */
int webex_alsa_load(void);
/* dlerror()'s text when loading failed, else "". */
const char *webex_alsa_load_error(void);
/* The last "ALSA lib file:line:(function) message" libasound reported (copied into buf, "" if none).
   These messages are not printed unless WEBEX_ALSA_DEBUG is set. */
void webex_alsa_last_message(char *buf, unsigned long size);
/* The first message since webex_alsa_clear_last_message (usually the cause; the last is the consequence). */
void webex_alsa_first_message(char *buf, unsigned long size);
/* Forgets the first and the last message. */
void webex_alsa_clear_last_message(void);
/* snd_strerror, snd_asoundlib_version. */
const char *webex_snd_strerror(int err);
const char *webex_snd_asoundlib_version(void);
/* Forgets the parsed configuration, so the next open reads ALSA_CONFIG_PATH again. */
int webex_snd_config_update_free_global(void);

int webex_snd_pcm_open(void **pcm, const char *name, int stream, int mode);
int webex_snd_pcm_close(void *pcm);
/* Configures S16_LE interleaved read/write access with exactly `channels` and `rate` (no resampling in
   libasound), a period near `period_us` and a buffer of about `periods` periods. Capture start threshold is
   "never" (the caller calls snd_pcm_start); playback starts once `start_periods` periods are queued.
   On failure returns the negative error and sets *failed_step to a constant name of the step. */
int webex_snd_pcm_setup_s16(void *pcm, int stream, unsigned channels, unsigned rate, unsigned period_us,
                            unsigned periods, unsigned start_periods, unsigned long *period_frames,
                            unsigned long *buffer_frames, const char **failed_step);
int webex_snd_pcm_prepare(void *pcm);
int webex_snd_pcm_start(void *pcm);
int webex_snd_pcm_drop(void *pcm);
int webex_snd_pcm_drain(void *pcm);
int webex_snd_pcm_state(void *pcm);
int webex_snd_pcm_recover(void *pcm, int err, int silent);
long webex_snd_pcm_avail(void *pcm);
/* snd_pcm_delay: 0 and *delay = frames until a written frame is heard (playback). */
long webex_snd_pcm_delay(void *pcm, long *delay);
long webex_snd_pcm_readi(void *pcm, void *buffer, unsigned long frames);
long webex_snd_pcm_writei(void *pcm, const void *buffer, unsigned long frames);

/* snd_device_name_hint(card, iface, &hints): a NULL-terminated array of hints. */
int webex_snd_device_name_hint(int card, const char *iface, void ***hints);
/* snd_device_name_get_hint: a malloc'ed string (free it) or NULL. */
char *webex_snd_device_name_get_hint(const void *hint, const char *id);
int webex_snd_device_name_free_hint(void **hints);
/* snd_card_next: *card = -1 starts; -1 after the last card. */
int webex_snd_card_next(int *card);
/* Card id and name, through snd_ctl_card_info ("hw:N"). */
int webex_snd_card_info(int card, char *id, unsigned long id_size, char *name, unsigned long name_size);
/* The next PCM device number of a card after *device (-1 starts, -1 at the end), with its name and which
   directions it has (through snd_ctl_pcm_next_device / snd_ctl_pcm_info). */
int webex_snd_card_pcm_next(int card, int *device, char *name, unsigned long name_size,
                            int *has_playback, int *has_capture);
/* --- end media: ALSA --- */

#endif
