#ifndef CHARTER_CCURL_SHIM_H
#define CHARTER_CCURL_SHIM_H
#include <curl/curl.h>
#endif
