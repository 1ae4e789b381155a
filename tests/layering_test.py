#!/usr/bin/env python3
"""The engine's libraries use only the libraries below them.

Each folder under engine/ is one library: its public headers in
include/focus/, its sources and internal headers beside them. This test
reads every #include "..." in the engine and fails when a library includes
a public header of a library it does not depend on, or an internal header
of another library. The table below is the architecture; engine/CMakeLists.txt
and docs/architecture.md draw the same picture.

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
    "board": {"config", "core"},
    "publish": {"board", "plan", "config", "core"},
    "notify": {"publish", "board", "plan", "config", "core"},
    "poster": {"publish", "board", "plan", "config", "core"},
    "web": {"publish", "board", "plan", "config", "core"},
}

INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
ENGINE = None


def sources(library):
    root = os.path.join(ENGINE, library)
    for folder, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith((".cc", ".h", ".cc.in")):
                yield os.path.join(folder, name)


def public_headers():
    owner = {}
    for library in DEPENDS:
        folder = os.path.join(ENGINE, library, "include", "focus")
        for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
            owner.setdefault("focus/" + name, []).append(library)
    return owner


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
                elif not os.path.exists(os.path.join(os.path.dirname(path),
                                                     included)) \
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


if __name__ == "__main__":
    ENGINE = os.path.abspath(sys.argv.pop(1))
    unittest.main()
