#ifndef CHARTER_CLIBPQ_SHIM_H
#define CHARTER_CLIBPQ_SHIM_H
#include <libpq-fe.h>
#endif
