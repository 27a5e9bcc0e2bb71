#ifndef CCHARTER_CURL_SHIMS_H
#define CCHARTER_CURL_SHIMS_H
// Only what Swift cannot import from curl.h: curl_easy_setopt and curl_easy_getinfo are
// variadic. Each shim passes one argument type; they can go if libcurl grows typed setters.
#include <curl/curl.h>

CURLcode ccharter_curl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccharter_curl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccharter_curl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccharter_curl_getinfo_long(CURL *handle, CURLINFO info, long *value);
// Callbacks are function pointers, which Swift cannot pass through `...` either.
CURLcode ccharter_curl_setopt_read_function(CURL *handle, curl_read_callback callback);
CURLcode ccharter_curl_setopt_write_function(CURL *handle, curl_write_callback callback);
#endif
