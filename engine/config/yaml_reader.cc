#include "yaml_reader.h"

#include <yaml-cpp/eventhandler.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <sstream>
#include <system_error>
#include <utility>

#include "focus/error.h"
#include "focus/screening.h"
#include "focus/text.h"

namespace focus::config_internal {
namespace {

std::string ChildPath(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

bool IsWebAddress(const std::string& s) {
  const bool scheme = s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
  const bool spaces = std::any_of(
      s.begin(), s.end(), [](unsigned char c) { return std::isspace(c) != 0; });
  return scheme && !spaces && s.find('.') != std::string::npos;
}

// yaml-cpp passes bytes that are not UTF-8 straight into the values, and
// they would reach the calendar files and plan.json (which must be UTF-8).
// YAML also allows UTF-16 and UTF-32, which start with a byte-order mark or
// a NUL byte: yaml-cpp decodes those itself.
// yaml-cpp takes a NUL byte in UTF-8 text for an escape ("unknown escape
// character") on the next line: say what and where it really is.
void CheckNoNul(const std::string& text, const std::string& source) {
  if (const size_t nul = text.find('\0'); nul != std::string::npos) {
    const std::string before = text.substr(0, nul);
    const size_t newline = before.rfind('\n');
    const size_t line_begin = newline == std::string::npos ? 0 : newline + 1;
    ThrowInvalid(
        source + ":" +
        std::to_string(1 + std::count(before.begin(), before.end(), '\n')) +
        ":" + std::to_string(Utf8Length(before.substr(line_begin)) + 1) +
        ": a NUL byte (\\0) is not allowed in a configuration file");
  }
}

void CheckUtf8(const std::string& text, const std::string& source) {
  const bool wide = text.size() >= 2 && (text[0] == '\0' || text[1] == '\0' ||
                                         text.rfind("\xFE\xFF", 0) == 0 ||
                                         text.rfind("\xFF\xFE", 0) == 0);
  size_t bad = 0;
  if (wide) return;  // yaml-cpp reads UTF-16 and UTF-32 itself.
  if (IsValidUtf8(text, &bad)) {
    CheckNoNul(text, source);
    return;
  }
  const std::string before = text.substr(0, bad);
  const size_t newline = before.rfind('\n');
  const size_t line_begin = newline == std::string::npos ? 0 : newline + 1;
  // The text before the bad byte is valid, so columns count characters.
  const size_t column = Utf8Length(before.substr(line_begin)) + 1;
  const long line = 1 + std::count(before.begin(), before.end(), '\n');
  ThrowInvalid(source + ":" + std::to_string(line) + ":" +
               std::to_string(column) + ": not valid UTF-8 at byte " +
               std::to_string(bad) + "; save the file as UTF-8");
}

// Counts what a document holds and where its lone null (if that is all it
// holds) is; keeps nothing else.
class DocumentWalker : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark&) override {
    events_ = 0;
    null_pos_ = -1;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override {
    if (events_++ == 0) null_mark_ = mark, null_pos_ = mark.pos;
  }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { ++events_; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {
    ++events_;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    ++events_;
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    ++events_;
  }
  void OnMapEnd() override {}

  // The position of the document's lone null, or -1 if it holds more.
  int LoneNull() const { return events_ == 1 ? null_pos_ : -1; }
  const YAML::Mark& null_mark() const { return null_mark_; }

 private:
  int events_ = 0;
  int null_pos_ = -1;
  YAML::Mark null_mark_;
};

// yaml-cpp 0.7 (Debian's) loops for ever in LoadAll, growing without bound,
// when a stray ',' stands at the top level (a file that is just ",": yaml-cpp
// issue #1040, fixed upstream by PR #1319): its parser returns the same null
// "document" again and again without moving on. Walks the documents first,
// keeping nothing, and throws a ParserException at the first one that does
// not move on, so LoadAll is only called on text it finishes.
void CheckDocumentsEnd(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentWalker walker;
  int previous = -1;
  size_t documents = 0;
  while (parser.HandleNextDocument(walker)) {
    const int lone_null = walker.LoneNull();
    // Every real document moves on by at least a character ("---").
    if ((lone_null >= 0 && lone_null == previous) ||
        ++documents > text.size() + 1) {
      const YAML::Mark& at = walker.null_mark();
      const size_t pos = static_cast<size_t>(std::max(at.pos, 0));
      std::string what = "unexpected content";
      if (pos < text.size() && text[pos] > ' ' && text[pos] < 0x7f) {
        what = std::string("unexpected '") + text[pos] + "'";
        if (text[pos] == ',') what += " outside a [ ] or { } list";
      }
      throw YAML::ParserException(at, what);
    }
    previous = lone_null;
  }
}

}  // namespace

std::string MalformedYaml(const std::string& source, const YAML::Exception& e,
                          const std::string& text) {
  // Tabs in indentation are the commonest slip in hand-edited YAML, and
  // yaml-cpp reports them as something else ("illegal map value").
  int line = 1;
  for (size_t start = 0; start < text.size() && line <= e.mark.line + 1;
       ++line) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const size_t indent_end = text.find_first_not_of(' ', start);
    const size_t content = text.find_first_not_of(" \t\r", start);
    if (indent_end < end && text[indent_end] == '\t' && content < end) {
      return source + ":" + std::to_string(line) + ":" +
             std::to_string(indent_end - start + 1) +
             ": malformed YAML: a tab is used for indentation; indent with "
             "spaces only";
    }
    start = end + 1;
  }
  std::string where = source + ":";
  if (e.mark.line >= 0) {
    where += std::to_string(e.mark.line + 1) + ":" +
             std::to_string(e.mark.column + 1) + ":";
  }
  return where + " malformed YAML: " + OneLine(e.msg);
}

YAML::Node LoadDocument(const std::string& text, const std::string& source) {
  CheckUtf8(text, source);
  std::vector<YAML::Node> documents;
  try {
    CheckDocumentsEnd(text);
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& e) {
    ThrowInvalid(MalformedYaml(source, e, text));
  }
  // Empty documents (e.g. a stray "---" at the end) are harmless.
  documents.erase(
      std::remove_if(documents.begin(), documents.end(),
                     [](const YAML::Node& d) { return d.IsNull(); }),
      documents.end());
  if (documents.size() > 1) {
    ThrowInvalid(source + ":" + std::to_string(LineOf(documents[1], 1)) +
                 ": malformed YAML: a second YAML document starts here; the "
                 "configuration must be a single document");
  }
  return documents.empty() ? YAML::Node() : documents[0];
}

std::string Describe(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Scalar:
      return Quote(n.Scalar());
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "keys and values";
    default:
      return "nothing";
  }
}

int LineOf(const YAML::Node& n, int fallback) {
  const int line = n.Mark().line;
  return line >= 0 ? line + 1 : fallback;
}

Value Fields::Require(const std::string& key, const std::string& what) const {
  auto v = Get(key);
  if (!v)
    parser_->Fail(line_, ChildPath(path_, key), "required (" + what + ")");
  return *v;
}

std::vector<Parser::Entry> Parser::Entries(
    const Value& v, const std::function<void(const Entry&)>& check_key) const {
  std::vector<Entry> entries;
  if (v.node.IsNull()) return entries;
  if (!v.node.IsMap()) {
    Fail(v, "expected keys and values (key: value), got " + Describe(v.node));
  }
  for (auto it = v.node.begin(); it != v.node.end(); ++it) {
    const YAML::Node key = it->first;  // A copy: `it->` is a temporary.
    const int key_line = LineOf(key, v.line);
    if (!key.IsScalar()) {
      Fail(key_line, v.path, "expected a key name, got " + Describe(key));
    }
    const std::string name = key.Scalar();
    const std::string path = ChildPath(v.path, name);
    // A null value has no useful position of its own: use the key's line.
    const YAML::Node value = it->second;
    const int line = value.IsNull() ? key_line : LineOf(value, key_line);
    Entry entry{name, key_line, Value{value, path, line}};
    if (check_key) check_key(entry);
    for (const Entry& seen : entries) {
      if (seen.key == name) {
        Fail(
            key_line, path,
            "given twice (also on line " + std::to_string(seen.key_line) + ")");
      }
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

Fields Parser::Map(const Value& v,
                   const std::vector<std::string>& valid) const {
  Fields fields(this, v.path, v.line);
  auto check_key = [&](const Entry& e) {
    if (std::find(valid.begin(), valid.end(), e.key) == valid.end()) {
      Fail(e.key_line, e.value.path,
           "unknown key (valid keys: " + Join(valid) + ")");
    }
  };
  for (Entry& e : Entries(v, check_key)) {
    fields.values_[e.key] = std::move(e.value);
  }
  return fields;
}

std::vector<Value> Parser::List(const Value& v) const {
  std::vector<Value> items;
  if (v.node.IsNull()) return items;
  if (!v.node.IsSequence()) {
    Fail(v, "expected a list, got " + Describe(v.node));
  }
  size_t i = 0;
  for (auto it = v.node.begin(); it != v.node.end(); ++it, ++i) {
    items.push_back(Value{*it, IndexPath(v.path, i), LineOf(*it, v.line)});
  }
  return items;
}

std::string Parser::Text(const Value& v) const {
  if (v.node.IsNull()) return "";
  if (!v.node.IsScalar()) Fail(v, "expected text, got " + Describe(v.node));
  return v.node.Scalar();
}

std::string Parser::RequiredText(const Value& v,
                                 const std::string& what) const {
  std::string text = Text(v);
  if (text.find_first_not_of(" \t") == std::string::npos) {
    Fail(v, "required (" + what + ")");
  }
  return text;
}

int Parser::WholeNumber(const Value& v) const {
  const std::string text = v.node.IsScalar() ? v.node.Scalar() : "";
  long long n = 0;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (first != last && *first == '+') ++first;
  auto [end, ec] = std::from_chars(first, last, n);
  if (text.empty() || ec != std::errc() || end != last ||
      n < std::numeric_limits<int>::min() ||
      n > std::numeric_limits<int>::max()) {
    Fail(v, "expected a whole number, got " + Describe(v.node));
  }
  return static_cast<int>(n);
}

int Parser::NumberBetween(const Value& v, int lo, int hi,
                          const std::string& unit) const {
  const int n = WholeNumber(v);
  if (n < lo || n > hi) {
    const std::string u = unit.empty() ? "" : " " + unit;
    Fail(v, "must be between " + std::to_string(lo) + " and " +
                std::to_string(hi) + u + ", got " + std::to_string(n));
  }
  return n;
}

bool Parser::Boolean(const Value& v) const {
  bool b = false;
  if (!v.node.IsScalar() || !YAML::convert<bool>::decode(v.node, b)) {
    Fail(v, "expected true or false, got " + Describe(v.node));
  }
  return b;
}

Date Parser::IsoDate(const Value& v) const {
  return Parsed(v, ParseIsoDate,
                " is not a valid date (expected YYYY-MM-DD, e.g. 2027-01-04)");
}

TimeOfDay Parser::Time(const Value& v) const {
  return Parsed(v, ParseTimeOfDay,
                " is not a time of day (expected HH:MM, 00:00-23:59)");
}

int Parser::Weekday(const Value& v) const {
  return Parsed(v, ParseWeekday,
                " is not a day of the week (expected Monday to Sunday)");
}

std::string Parser::Link(const Value& v) const {
  std::string link = Text(v);
  if (!link.empty() && !IsWebAddress(link)) {
    Fail(v, Quote(link) +
                " is not a web address (expected https://..., e.g. "
                "https://forums.example.org/east-surrey)");
  }
  return link;
}

std::string Parser::Feature(const Value& v) const {
  std::string f = RequiredText(v, "a feature name such as hearing-loop");
  const bool bad = std::any_of(f.begin(), f.end(), [](unsigned char c) {
    return std::isupper(c) || std::isspace(c);
  });
  if (bad) {
    Fail(v, Quote(f) +
                " must be written in lower case with hyphens instead of "
                "spaces, e.g. hearing-loop");
  }
  return f;
}

DateRange Parser::Range(const Value& v) const {
  if (v.node.IsScalar()) {
    Date d = IsoDate(v);
    return DateRange{d, d, ""};
  }
  if (!v.node.IsMap()) {
    Fail(v,
         "expected a date (YYYY-MM-DD) or keys date:, or from: and to:, "
         "with an optional reason:, got " +
             Describe(v.node));
  }
  Fields f = Map(v, {"date", "from", "to", "reason"});
  DateRange r;
  auto date = f.Get("date");
  auto from = f.Get("from");
  auto to = f.Get("to");
  if (date && !from && !to) {
    r.first = r.last = IsoDate(*date);
  } else if (!date && from && to) {
    r.first = IsoDate(*from);
    r.last = IsoDate(*to);
    if (r.last < r.first) {
      Fail(*to, FormatIsoDate(r.last) +
                    " is before from: " + FormatIsoDate(r.first));
    }
  } else {
    Fail(v, "give either date: (one day) or both from: and to: (a range)");
  }
  if (auto reason = f.Get("reason")) r.reason = Text(*reason);
  return r;
}

std::vector<DateRange> Parser::Ranges(const Value& v) const {
  std::vector<DateRange> ranges;
  for (const Value& item : List(v)) ranges.push_back(Range(item));
  return ranges;
}

}  // namespace focus::config_internal
