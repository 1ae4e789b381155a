// Reading a YAML document into typed values, each failure an error naming
// the file, the line and the key path (internal to the configuration
// loader; what the keys mean is config_parse.cc's business).
#ifndef FOCUS_CONFIG_YAML_READER_H_
#define FOCUS_CONFIG_YAML_READER_H_

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config_internal.h"
#include "focus/config.h"
#include "focus/local_time.h"

namespace focus::config_internal {

// The one document of configuration text (a null node when it is empty).
// Throws Error(kInvalidInput) when the text is not UTF-8, not YAML, or holds
// more than one document.
YAML::Node LoadDocument(const std::string& text, const std::string& source);

// "SOURCE:LINE:COLUMN: malformed YAML: MESSAGE" for a yaml-cpp exception
// raised on `text`, without yaml-cpp's own "yaml-cpp: error at line ..."
// prefix.
std::string MalformedYaml(const std::string& source, const YAML::Exception& e,
                          const std::string& text);

// What a node holds, for "expected X, got Y" messages.
std::string Describe(const YAML::Node& n);

// 1-based line of a node, or `fallback` when yaml-cpp has no position.
int LineOf(const YAML::Node& n, int fallback);

// A YAML node together with where it is.
struct Value {
  YAML::Node node;
  std::string path;
  int line = 1;

  Where where() const { return Where{line, path}; }
};

class Parser;

// The keys of one mapping, already checked against the valid keys.
class Fields {
 public:
  Fields(const Parser* parser, std::string path, int line)
      : parser_(parser), path_(std::move(path)), line_(line) {}

  std::optional<Value> Get(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }
  // The value of `key`; an error saying it is required if it is absent.
  Value Require(const std::string& key, const std::string& what) const;

  const std::string& path() const { return path_; }
  int line() const { return line_; }

 private:
  friend class Parser;
  const Parser* parser_;
  std::string path_;
  int line_;
  std::map<std::string, Value> values_;
};

// Reads typed values out of YAML nodes; every failure is a focus::Error
// naming the file, the line and the key path.
class Parser {
 public:
  explicit Parser(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void Fail(int line, const std::string& path,
                         const std::string& what) const {
    FailAt(source_, Where{line, path}, what);
  }
  [[noreturn]] void Fail(const Value& v, const std::string& what) const {
    Fail(v.line, v.path, what);
  }

  // One key of a mapping and its value, with the key's own line for errors
  // about the key itself (unknown, given twice, not a configured theme).
  struct Entry {
    std::string key;
    int key_line;
    Value value;
  };

  // The entries of a mapping whose keys are free text (e.g. theme names),
  // in file order; `check_key`, if given, vets each key before the check
  // for repeats. Nothing counts as an empty mapping.
  std::vector<Entry> Entries(
      const Value& v,
      const std::function<void(const Entry&)>& check_key = nullptr) const;

  // A mapping whose keys must all be in `valid`. Nothing (e.g. "year:" with
  // no value) counts as an empty mapping so every key takes its default.
  Fields Map(const Value& v, const std::vector<std::string>& valid) const;

  // The items of a list; nothing counts as an empty list.
  std::vector<Value> List(const Value& v) const;

  // Text; nothing counts as the empty string.
  std::string Text(const Value& v) const;
  std::string RequiredText(const Value& v, const std::string& what) const;

  // `parse` of a scalar's text; when it gives nothing, fails with the
  // value followed by `is_not` (" is not a valid date ...").
  template <typename T>
  T Parsed(const Value& v, std::optional<T> (*parse)(const std::string&),
           const std::string& is_not) const {
    const std::string text = Text(v);
    std::optional<T> parsed = parse(text);
    if (!v.node.IsScalar() || !parsed) Fail(v, Describe(v.node) + is_not);
    return *parsed;
  }

  int WholeNumber(const Value& v) const;
  int NumberBetween(const Value& v, int lo, int hi,
                    const std::string& unit = "") const;
  bool Boolean(const Value& v) const;
  Date IsoDate(const Value& v) const;
  TimeOfDay Time(const Value& v) const;
  int Weekday(const Value& v) const;

  // A web address for joining a virtual forum; empty if not given.
  std::string Link(const Value& v) const;

  // A feature name such as "hearing-loop". Features are compared exactly,
  // so upper case (a likely slip) is refused rather than silently unmatched.
  std::string Feature(const Value& v) const;

  // One day ("2027-01-04") or a range of days:
  // {date: 2027-01-04, reason: ...} or {from: ..., to: ..., reason: ...}.
  DateRange Range(const Value& v) const;
  std::vector<DateRange> Ranges(const Value& v) const;

 private:
  std::string source_;
};

}  // namespace focus::config_internal

#endif  // FOCUS_CONFIG_YAML_READER_H_
