// Process-wide SQLite settings. sqlite3_config is variadic, which Swift cannot call, so each
// setting the archive makes is a small function here. sqlite3.h is not included, so that its
// declarations stay GRDBSQLite's alone; the option numbers are SQLite's stable ABI
// (https://www.sqlite.org/c3ref/c_config_covering_index_scan.html).
#ifndef CREDIT_SQLITE_SETTINGS_H
#define CREDIT_SQLITE_SETTINGS_H

int sqlite3_config(int, ...);

/// SQLITE_CONFIG_MULTITHREAD (2): connections without their own mutex; each connection is used
/// by one thread at a time (GRDB serializes its own; the archive's raw ones belong to one owner).
static inline int credit_sqlite_config_multithread(void) { return sqlite3_config(2); }

/// SQLITE_CONFIG_MEMSTATUS (9): with 0, no memory statistics, so sqlite3_malloc takes no global mutex.
static inline int credit_sqlite_config_memstatus(int on) { return sqlite3_config(9, on); }

#endif
