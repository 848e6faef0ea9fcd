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

#endif
