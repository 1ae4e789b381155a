// Helpers shared by the unit tests.
#ifndef FOCUS_TESTS_TEST_UTIL_H_
#define FOCUS_TESTS_TEST_UTIL_H_

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "focus/error.h"

namespace focus {

// The message of the focus::Error of `kind` that `f` throws, or "" and a
// test failure if it throws nothing.
template <typename F>
std::string ErrorText(F&& f, ErrorKind kind = ErrorKind::kInvalidInput) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), kind);
    return e.what();
  }
  ADD_FAILURE() << "expected focus::Error";
  return "";
}

// Runs `fn` and returns the focus::Error it throws (failing if it throws
// nothing or anything else), for tests that check its kind, field or remedy.
template <typename Fn>
Error Catch(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e;
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not a focus::Error: " << e.what();
    return Error(ErrorKind::kInternal, "wrong exception");
  }
  ADD_FAILURE() << "nothing thrown";
  return Error(ErrorKind::kInternal, "nothing thrown");
}

// Runs body(i) for i in 0..n-1 in n forked processes at the same time and
// expects every one to succeed (return without throwing). REQUIRES: the
// parent holds no open database connection (none may cross a fork).
template <typename F>
void RunInChildProcesses(int n, F body) {
  std::vector<pid_t> children;
  for (int i = 0; i < n; ++i) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int status = 0;
      try {
        body(i);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "child %d: %s\n", i, e.what());
        status = 1;
      }
      _exit(status);  // Skip gtest's and the parent's destructors.
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
  }
}

}  // namespace focus

#endif  // FOCUS_TESTS_TEST_UTIL_H_
