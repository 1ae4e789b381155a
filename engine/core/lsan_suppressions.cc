// Linked into every binary of a sanitizer build (FOCUS_SANITIZE), so the
// leak checker reads the same list whether ctest, a script or a person runs
// the binary.

// fontconfig keeps the font patterns it parsed for the life of the process
// and never frees them; pango (the posters) loads them through it. Without
// a cache in $HOME it builds them afresh and LeakSanitizer reports every
// one. Nothing of ours is hidden: the entry matches only stacks that pass
// through libfontconfig.
extern "C" const char* __lsan_default_suppressions() {
  return "leak:libfontconfig.so\n";
}
