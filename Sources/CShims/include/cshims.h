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

#endif
