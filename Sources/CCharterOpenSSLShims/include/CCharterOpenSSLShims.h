#ifndef CCHARTER_OPENSSL_SHIMS_H
#define CCHARTER_OPENSSL_SHIMS_H
// Only what Swift cannot import from OpenSSL 3: function-like macros (over SSL_CTX_ctrl,
// BIO_ctrl, EVP_PKEY_Q_keygen's varargs) and the SSL_OP_* / XN_FLAG_* constants, which are
// built with SSL_OP_BIT() or long OR-chains that the Clang importer gives up on.
// Each shim can go when OpenSSL turns the macro into a real function or Swift learns to
// import the constant; none of them adds behaviour of its own.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdint.h>

/// SSL_CTX_set_min_proto_version is a macro over SSL_CTX_ctrl. Can go: when it becomes a function.
int ccharter_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version);
/// SSL_CTX_set_max_proto_version is a macro over SSL_CTX_ctrl. Can go: when it becomes a function.
int ccharter_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version);
/// SSL_CTX_set_mode is a macro over SSL_CTX_ctrl. Can go: when it becomes a function.
long ccharter_ssl_ctx_set_mode(SSL_CTX *ctx, long mode);
/// SSL_CTX_set1_groups_list is a macro over SSL_CTX_ctrl. Can go: when it becomes a function.
int ccharter_ssl_ctx_set1_groups_list(SSL_CTX *ctx, const char *groups);
/// SSL_CTX_set_session_cache_mode is a macro over SSL_CTX_ctrl. Can go: when it becomes a function.
long ccharter_ssl_ctx_set_session_cache_mode(SSL_CTX *ctx, long mode);
/// SSL_set_tlsext_host_name (client SNI) is a macro over SSL_ctrl. Can go: when it becomes a function.
int ccharter_ssl_set_tlsext_host_name(SSL *ssl, const char *name);

/// SSL_OP_* are built with SSL_OP_BIT(n), a macro with a parameter: not importable.
/// Can go: when Swift imports parameterised constant macros.
uint64_t ccharter_ssl_op_no_compression(void);
uint64_t ccharter_ssl_op_no_renegotiation(void);
uint64_t ccharter_ssl_op_cipher_server_preference(void);

/// XN_FLAG_RFC2253 is an OR-chain of casts the importer drops. Can go: with the importer fix.
unsigned long ccharter_xn_flag_rfc2253(void);

/// BIO_get_mem_data is a macro over BIO_ctrl. Can go: when it becomes a function.
long ccharter_bio_get_mem_data(BIO *bio, char **data);

/// EVP_EC_gen is a macro over the variadic EVP_PKEY_Q_keygen, which Swift cannot call.
/// Can go: when OpenSSL offers a non-variadic EC key generator.
EVP_PKEY *ccharter_evp_ec_gen(const char *curve);
#endif
