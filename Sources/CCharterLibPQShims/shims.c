#include "CCharterLibPQShims.h"

int ccharter_pg_diag_sqlstate(void) { return PG_DIAG_SQLSTATE; }
int ccharter_pg_diag_message_primary(void) { return PG_DIAG_MESSAGE_PRIMARY; }
int ccharter_pg_diag_message_detail(void) { return PG_DIAG_MESSAGE_DETAIL; }
int ccharter_pg_diag_message_hint(void) { return PG_DIAG_MESSAGE_HINT; }
int ccharter_pg_diag_constraint_name(void) { return PG_DIAG_CONSTRAINT_NAME; }
int ccharter_pg_diag_table_name(void) { return PG_DIAG_TABLE_NAME; }
int ccharter_pg_diag_column_name(void) { return PG_DIAG_COLUMN_NAME; }
int ccharter_pg_diag_severity_nonlocalized(void) { return PG_DIAG_SEVERITY_NONLOCALIZED; }
