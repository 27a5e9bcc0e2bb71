#ifndef CCHARTER_OPENSSL_SHIMS_H
#define CCHARTER_OPENSSL_SHIMS_H
// Only what Swift cannot import from OpenSSL 3: function-like macros and SSL_OP_*
// constants. Each shim can go when the macro becomes a real function in OpenSSL.
#include <openssl/ssl.h>

/// SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl.
int ccharter_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version);
#endif
