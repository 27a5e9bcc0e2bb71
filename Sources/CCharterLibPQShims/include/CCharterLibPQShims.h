#ifndef CCHARTER_LIBPQ_SHIMS_H
#define CCHARTER_LIBPQ_SHIMS_H
// Only what Swift cannot import from libpq-fe.h: its macros. Each shim can go when
// Swift's importer learns to import the macro (character-literal macros it does not).
#include <libpq-fe.h>

/// PG_DIAG_* are character-literal macros ('C', 'M', ...), which Swift does not import.
int ccharter_pg_diag_sqlstate(void);
int ccharter_pg_diag_message_primary(void);
int ccharter_pg_diag_message_detail(void);
int ccharter_pg_diag_message_hint(void);
int ccharter_pg_diag_constraint_name(void);
int ccharter_pg_diag_table_name(void);
int ccharter_pg_diag_column_name(void);
int ccharter_pg_diag_severity_nonlocalized(void);

#endif
