// libpq, PostgreSQL's C client (Debian: libpq-dev). Imported only by the archive's PostgreSQL
// backend (Sources/CreditArchive/Postgres/).
#include <libpq-fe.h>
