# Finds Debian's header-only kainjow Mustache (libkainjow-mustache-dev), which
# ships no CMake or pkg-config file. Defines the target kainjow::mustache.
find_path(KainjowMustache_INCLUDE_DIR kainjow/mustache.hpp)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(KainjowMustache
                                  REQUIRED_VARS KainjowMustache_INCLUDE_DIR)
if(KainjowMustache_FOUND AND NOT TARGET kainjow::mustache)
  add_library(kainjow::mustache INTERFACE IMPORTED)
  set_target_properties(kainjow::mustache PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${KainjowMustache_INCLUDE_DIR}")
endif()
