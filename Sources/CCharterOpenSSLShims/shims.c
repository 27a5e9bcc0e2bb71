#include "CCharterOpenSSLShims.h"

#include <openssl/ec.h>

int ccharter_ssl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

int ccharter_ssl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
    return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

long ccharter_ssl_ctx_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }

int ccharter_ssl_ctx_set1_groups_list(SSL_CTX *ctx, const char *groups) {
    return (int)SSL_CTX_set1_groups_list(ctx, groups);
}

long ccharter_ssl_ctx_set_session_cache_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_session_cache_mode(ctx, mode);
}

int ccharter_ssl_set_tlsext_host_name(SSL *ssl, const char *name) {
    return (int)SSL_set_tlsext_host_name(ssl, name);
}

uint64_t ccharter_ssl_op_no_compression(void) { return SSL_OP_NO_COMPRESSION; }
uint64_t ccharter_ssl_op_no_renegotiation(void) { return SSL_OP_NO_RENEGOTIATION; }
uint64_t ccharter_ssl_op_cipher_server_preference(void) { return SSL_OP_CIPHER_SERVER_PREFERENCE; }

unsigned long ccharter_xn_flag_rfc2253(void) { return XN_FLAG_RFC2253; }

long ccharter_bio_get_mem_data(BIO *bio, char **data) { return BIO_get_mem_data(bio, data); }

EVP_PKEY *ccharter_evp_ec_gen(const char *curve) { return EVP_EC_gen(curve); }
