// Helpers shared by the unit tests.
#ifndef FOCUS_TESTS_TEST_UTIL_H_
#define FOCUS_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>

#include "focus/error.h"

namespace focus {

// The message of the focus::Error(kInvalidInput) that `f` throws, or "" and
// a test failure if it throws nothing.
template <typename F>
std::string ErrorText(F&& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidInput);
    return e.what();
  }
  ADD_FAILURE() << "expected focus::Error";
  return "";
}

}  // namespace focus

#endif  // FOCUS_TESTS_TEST_UTIL_H_
