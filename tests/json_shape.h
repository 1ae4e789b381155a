// Checks that a template view has exactly the names of its shape (the
// example view templates are checked against), for the newsletter and
// report tests.
#ifndef FOCUS_TESTS_JSON_SHAPE_H_
#define FOCUS_TESTS_JSON_SHAPE_H_

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>

namespace focus {

// Every object in `view` has exactly the names of its counterpart in
// `shape`, and every list item those of the shape's example item.
inline void ExpectSameNames(const nlohmann::json& view,
                            const nlohmann::json& shape,
                            const std::string& path) {
  if (view.is_object()) {
    ASSERT_TRUE(shape.is_object()) << path;
    std::set<std::string> a, b;
    for (const auto& [k, v] : view.items()) a.insert(k);
    for (const auto& [k, v] : shape.items()) b.insert(k);
    EXPECT_EQ(a, b) << path;
    for (const auto& [k, v] : view.items()) {
      if (shape.contains(k)) ExpectSameNames(v, shape[k], path + "." + k);
    }
  } else if (view.is_array()) {
    ASSERT_TRUE(shape.is_array()) << path;
    ASSERT_EQ(shape.size(), 1u) << path;
    for (const nlohmann::json& item : view) {
      ExpectSameNames(item, shape[0], path + "[]");
    }
  }
}

}  // namespace focus

#endif  // FOCUS_TESTS_JSON_SHAPE_H_
