#ifndef BYNEED_CSQLITE_SHIM_H
#define BYNEED_CSQLITE_SHIM_H
#include <sqlite3.h>

/// SQLITE_TRANSIENT is a macro casting -1 to a function pointer, which Swift cannot import;
/// this constant hands the same value to Swift so bound bytes are copied by SQLite.
static const sqlite3_destructor_type byneed_sqlite_transient = (sqlite3_destructor_type)-1;
#endif
