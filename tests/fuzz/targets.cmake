# The fuzz targets, one line each: focus_fuzz_target(NAME LIBRARY).
#
# NAME.cc in this folder defines LLVMFuzzerTestOneInput; corpus/NAME/ holds
# its seed corpus (real valid inputs and tricky ones). Every target is built
# twice from the same source:
#   NAME_replay  always (gcc or clang): replays corpus/NAME/ as the ctest
#                fuzz_replay_NAME, so the normal test run catches regressions;
#   NAME_fuzzer  with -DFOCUS_BUILD_FUZZERS=ON and clang: the libFuzzer
#                binary that scripts/run-fuzzers runs.
# To add a target (template rendering, HTTP request bodies, ...): write
# NAME.cc, put seeds in corpus/NAME/, and add one line here.
focus_fuzz_target(config_fuzz focus_plan)
# ICU: the screening oracles read digits under NFKC independently.
focus_fuzz_target(screening_fuzz "focus_core;ICU::uc")
focus_fuzz_target(trello_fuzz "focus_board;focus_store_testing")
# Hostile ticket text through every built-in publication and web page; the
# page views are the server's (engine/web/web_views.h).
focus_fuzz_target(template_fuzz "focus_web;focus_store_testing")
# Request bodies sent to a real in-process server with httplib::Client.
focus_fuzz_target(api_fuzz
                  "focus_web;focus_store_testing;PkgConfig::HTTPLIB")
