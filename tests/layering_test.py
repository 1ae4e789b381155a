#!/usr/bin/env python3
"""The engine's libraries use only the libraries below them.

Each folder under engine/ is one library: its public headers in
include/focus/, its sources and internal headers beside them. This test
reads every #include "..." in the engine and fails when a library includes
a public header of a library it does not depend on, or an internal header
of another library. The table below is the architecture; engine/CMakeLists.txt
and docs/architecture.md draw the same picture.

It also fails when a file outside the storage library (engine/store/)
includes a database client's headers (SQLiteCpp, sqlite3.h, libpqxx,
libpq) or the store's SQLite connection (sqlite_connection.h): the store
is the only door to the data, and nothing else may hold a database handle.

Usage: layering_test.py ENGINE_DIR
"""
import os
import re
import sys
import unittest

# Each library and the libraries it may use (directly or not).
DEPENDS = {
    "core": set(),
    "config": {"core"},
    "plan": {"config", "core"},
    "store": {"core"},
    "board": {"store", "config", "core"},
    "publish": {"board", "store", "plan", "config", "core"},
    "notify": {"publish", "board", "store", "plan", "config", "core"},
    "poster": {"publish", "board", "store", "plan", "config", "core"},
    "web": {"publish", "board", "store", "plan", "config", "core"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
ENGINE = None

# A database client's headers, or the store's connection, in any #include.
DATABASE_INCLUDE = re.compile(
    r'^\s*#\s*include\s+[<"]((?:SQLiteCpp/|pqxx/|libpq/)[^>"]*|sqlite3\.h|'
    r'pqxx|libpq-fe\.h|sqlite_connection\.h)[>"]', re.M)

# Files outside engine/store/ that may include them anyway, and why.
DATABASE_ALLOWED = {
    # The deliberate baseline: the same rows written with the raw SQLite C
    # API, which the engine's writes are measured against.
    "tests/bench/board_write_bench.cc",
    # The floor `focus sla` is measured against: the same columns scanned
    # with the raw SQLite C API.
    "tests/bench/sla_scan_floor.cc",
    # The same for PostgreSQL: the raw libpq C API.
    "tests/bench/pg_write_bench.cc",
    # The tests of the store's own connection (its statement cache).
    "tests/sql_connection_test.cc",
}
# Tests that need raw SQL (a damaged or old database, a dump of every row)
# use focus/store_testing.h, which lives in engine/store/testing/ and is the
# one way around Store.
CODE = (".cc", ".h", ".cpp", ".hpp", ".cc.in")


def sources(library):
    root = os.path.join(ENGINE, library)
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith((".cc", ".h", ".cc.in")):
                yield os.path.join(folder, name)


def public_headers():
    owner = {}
    for library in DEPENDS:
        for include in ("include", os.path.join("testing", "include")):
            folder = os.path.join(ENGINE, library, include, "focus")
            for name in (sorted(os.listdir(folder))
                         if os.path.isdir(folder) else []):
                owner.setdefault("focus/" + name, []).append(library)
    return owner


def database_includes():
    """Files outside engine/store/ that include a database's headers."""
    root = os.path.dirname(ENGINE)
    store = os.path.join(ENGINE, "store") + os.sep
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")
                   and d not in ("build", "node_modules")]
        for name in sorted(files):
            path = os.path.join(folder, name)
            if not name.endswith(CODE) or path.startswith(store):
                continue
            where = os.path.relpath(path, root)
            if where in DATABASE_ALLOWED:
                continue
            with open(path, encoding="utf-8", errors="replace") as f:
                for included in DATABASE_INCLUDE.findall(f.read()):
                    found.append("%s includes %s: only engine/store/ may "
                                 "(tests use focus/store_testing.h)"
                                 % (where, included))
    return found


def problems():
    owner = public_headers()
    found = []
    for header, libraries in owner.items():
        if len(libraries) > 1:
            found.append("%s is in %s" % (header, " and ".join(libraries)))
    for library in DEPENDS:
        for path in sources(library):
            with open(path, encoding="utf-8") as f:
                text = f.read()
            where = os.path.relpath(path, ENGINE)
            for included in INCLUDE.findall(text):
                if included.startswith("focus/"):
                    if included not in owner:
                        found.append("%s: %s is no library's public header"
                                     % (where, included))
                        continue
                    other = owner[included][0]
                    if other != library and other not in DEPENDS[library]:
                        found.append("%s: %s includes %s of %s, which it does "
                                     "not depend on" % (where, library,
                                                        included, other))
                elif not (os.path.exists(os.path.join(os.path.dirname(path),
                                                      included)) or
                          # The library's testing/ sources are its own.
                          os.path.exists(os.path.join(ENGINE, library,
                                                      included))) \
                        or "/" in included:
                    found.append("%s: \"%s\" is not an internal header of %s "
                                 "(another library's internals?)"
                                 % (where, included, library))
    return found


class Layering(unittest.TestCase):
    def test_every_library_folder_is_known(self):
        folders = {name for name in os.listdir(ENGINE)
                   if os.path.isdir(os.path.join(ENGINE, name))}
        self.assertEqual(folders, set(DEPENDS))

    def test_includes_point_down(self):
        self.assertEqual(problems(), [])

    def test_only_the_store_includes_a_database(self):
        self.assertEqual(database_includes(), [])

    def test_the_database_check_sees_an_include(self):
        for line in ("#include <SQLiteCpp/SQLiteCpp.h>", "#include <sqlite3.h>",
                     "#include <pqxx/pqxx>", "# include <libpq-fe.h>",
                     '#include "sqlite_connection.h"'):
            self.assertTrue(DATABASE_INCLUDE.findall(line), line)
        self.assertFalse(DATABASE_INCLUDE.findall('#include "focus/store.h"'))


if __name__ == "__main__":
    ENGINE = os.path.abspath(sys.argv.pop(1))
    unittest.main()
