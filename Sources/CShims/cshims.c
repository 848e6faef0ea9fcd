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
