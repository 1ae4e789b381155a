#include "trello_json.h"

#include <cstddef>
#include <cstring>
#include <exception>
#include <iterator>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include "focus/local_time.h"
#include "focus/text.h"

namespace focus::trello_internal {

thread_local std::pmr::memory_resource* g_document_arena = nullptr;

// A document string as a std::string. REQUIRES: v.is_string().
std::string Text(const Json& v) {
  const JsonString& s = v.get_ref<const JsonString&>();
  return std::string(s.data(), s.size());
}
// "2027-02-01T12:00:00.000Z" (Trello) or "2027-02-01T12:00:00Z".
std::optional<std::time_t> ParseTrelloDate(const std::string& text) {
  if (text.size() == 24 && text[19] == '.' && text[23] == 'Z') {
    return ParseUtcTimestamp(text.substr(0, 19) + "Z");
  }
  return ParseUtcTimestamp(text);
}

// The board's keys whose arrays are read element by element.
bool IsStreamedKey(const std::string& key) {
  static const std::set<std::string> kKeys = {
      "lists", "labels", "cards", "checklists", "actions", "pluginData"};
  return kKeys.count(key) != 0;
}

bool ExportStream::key(JsonString& k) {
  if (at_ == At::kCapture) {
    Forward([&](Parser& p) { return p.key(k); }, false, false);
  } else if (at_ == At::kBoardValue) {
    key_.assign(k.data(), k.size());
  }
  return true;  // Else a key inside a skipped value.
}

void ExportStream::RefuseRepeat() {
  if (IsStreamedKey(key_) && !given_.insert(key_).second) {
    reader_.Fail(key_, "given twice; a Trello export has it once");
  }
}

Json* ExportStream::RestSlot() {
  DocumentArena scope(&rest_arena_);
  return &rest_[JsonString(key_.data(), key_.size())];
}

bool ExportStream::Begins(const char* type) {
  const std::string_view t(type);
  const bool container = t == kObject || t == kArray;
  switch (at_) {
    case At::kTop:
      if (!array_.empty() && t == kArray) {
        key_ = array_;
        streamed_.insert(key_);
        at_ = At::kElement;
        index_ = first_;
        return false;
      }
      if (t == kObject) {
        at_ = At::kBoardValue;
        return false;
      }
      not_an_object_ = type;
      at_ = container ? At::kSkip : At::kDone;
      depth_ = 1;
      return false;
    case At::kBoardValue:
      RefuseRepeat();
      if (t != "null") seen_.insert(key_);
      if (t == kArray && IsStreamedKey(key_)) {
        streamed_.insert(key_);
        at_ = At::kElement;
        index_ = 0;
        return false;
      }
      if (key_ != "name" && !IsStreamedKey(key_)) {
        if (container) at_ = At::kSkip;
        depth_ = 1;
        return false;
      }
      Capture(RestSlot(), &rest_arena_);
      return true;
    case At::kElement:
      new (&element_) Json();
      Capture(&element_, &element_arena_);
      return true;
    case At::kCapture:
      return true;
    case At::kSkip:
      if (container) ++depth_;
      return false;
    case At::kDone:
      return false;
  }
  return false;
}

void ExportStream::Capture(Json* target, std::pmr::memory_resource* arena) {
  capture_arena_ = arena;
  DocumentArena scope(arena);
  parser_.emplace(*target, /*allow_exceptions=*/true);
  at_ = At::kCapture;
  depth_ = 0;
}

void ExportStream::Completed() {
  parser_.reset();
  if (capture_arena_ == &rest_arena_) {
    at_ = At::kBoardValue;
    return;
  }
  at_ = At::kElement;
  {
    DocumentArena scope(&element_arena_);
    on_element_(key_, index_++, element_);
  }
  // element_ is not destroyed node by node: its arena is released at once.
  element_arena_.release();
}

// Parses `text` into `stream`, turning the parser's errors into one line
// naming the byte.
void ParseExport(const std::string& text, ExportStream* stream,
                 const Reader& reader) {
  try {
    Json::sax_parse(text, stream);
  } catch (const Json::parse_error& e) {
    // what() is "[json.exception.parse_error.101] parse error at line 1,
    // column 11: syntax error while parsing array - unexpected end of input;
    // expected ']'": keep the reason after " - ", and drop "; last read: ..."
    // which echoes raw (possibly invalid) bytes of the file.
    std::string reason = e.what();
    size_t dash = reason.find(" - ");
    if (dash != std::string::npos) reason = reason.substr(dash + 3);
    size_t last_read = reason.find("; last read");
    if (last_read != std::string::npos) reason.resize(last_read);
    reader.Fail(
        "", "not valid JSON at byte " + std::to_string(e.byte) + ": " + reason);
  } catch (const Json::out_of_range& e) {
    // A number too large for a double ("1e999"): the parser reports it as
    // out_of_range, with no byte offset. what() is "[json.exception.
    // out_of_range.406] number overflow parsing '1e999'".
    std::string reason = e.what();
    size_t bracket = reason.find("] ");
    if (bracket != std::string::npos) reason = reason.substr(bracket + 2);
    reader.Fail("", "not valid JSON: " + reason);
  }
}
namespace {

// The JSON path of the place `text` first nests deeper than kMaxDepth, the
// byte `at`: the scan again up to there, keeping keys and indexes.
std::string DeepPath(const std::string& text, size_t at) {
  // {is object, index, last key}.
  struct Frame {
    bool object;
    size_t index;
    std::string key;
  };
  std::vector<Frame> stack;
  std::string last_string;
  bool in_string = false;
  for (size_t i = 0; i < at; ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        last_string += text[++i];
      } else if (c == '"') {
        in_string = false;
      } else {
        last_string += c;
      }
    } else if (c == '"') {
      in_string = true;
      last_string.clear();
    } else if (c == ':' && !stack.empty()) {
      stack.back().key = last_string;
    } else if (c == ',' && !stack.empty()) {
      ++stack.back().index;
    } else if (c == '{' || c == '[') {
      stack.push_back({c == '{', 0, ""});
    } else if (c == '}' || c == ']') {
      if (!stack.empty()) stack.pop_back();
    }
  }
  std::string path;
  for (const Frame& f : stack) {
    // Keys from the document, unparsed: shown one-line.
    path =
        f.object ? Child(path, OneLine(f.key).c_str()) : Index(path, f.index);
  }
  return path;
}

// The outline's top-level scan: keys of the board object, and where its
// "actions" array opens and closes.
class TopLevel {
 public:
  explicit TopLevel(const std::string& text) : text_(text) {}

  // A string ended at `end` (its closing quote) at depth 1, having begun
  // at `begin` (its opening quote).
  void StringAt(size_t begin, size_t end) {
    const size_t next = text_.find_first_not_of(" \t\r\n", end + 1);
    if (next == std::string::npos || text_[next] != ':') return;
    const std::string_view key(text_.data() + begin + 1, end - begin - 1);
    next_is_actions_ = key == "actions";
    if (next_is_actions_) ++actions_keys_;
  }
  // `c` opens a value at depth 1, at `at`.
  void OpensAt(char c, size_t at, Outline* o) {
    if (next_is_actions_ && c == '[') o->actions_open = at;
    in_actions_ = next_is_actions_ && c == '[';
    next_is_actions_ = false;
  }
  bool in_actions() const { return in_actions_; }
  void ActionsClose(size_t at, Outline* o) {
    o->actions_close = at;
    in_actions_ = false;
  }
  // Whether the text is an object that gives "actions" once, as an array.
  bool Usable(const Outline& o) const {
    const size_t first = text_.find_first_not_of(" \t\r\n");
    return first != std::string::npos && text_[first] == '{' &&
           actions_keys_ == 1 && o.actions_close != std::string::npos;
  }

 private:
  const std::string& text_;
  bool next_is_actions_ = false;
  bool in_actions_ = false;
  int actions_keys_ = 0;
};

// The offset of the quote that ends the string opened at `open`, or npos.
// Strings are most of an export: memchr finds each quote, and one is
// escaped when an odd number of backslashes comes before it.
size_t StringEnd(const std::string& text, size_t open) {
  const char* data = text.data();
  size_t from = open + 1;
  for (;;) {
    const void* q = std::memchr(data + from, '"', text.size() - from);
    if (q == nullptr) return std::string::npos;
    const size_t at = static_cast<const char*>(q) - data;
    size_t backslashes = 0;
    while (data[at - 1 - backslashes] == '\\') ++backslashes;
    if (backslashes % 2 == 0) return at;
    from = at + 1;
  }
}

}  // namespace

Outline OutlineOf(const std::string& text) {
  Outline o;
  TopLevel top(text);
  int depth = 0;
  for (size_t at = 0; at < text.size(); ++at) {
    const char c = text[at];
    if (c == '"') {
      const size_t end = StringEnd(text, at);
      if (end == std::string::npos) break;
      if (depth == 1) top.StringAt(at, end);
      at = end;
    } else if (c == '{' || c == '[') {
      if (depth == 1) top.OpensAt(c, at, &o);
      if (++depth > kMaxDepth) {
        o.too_deep = DeepPath(text, at);
        return o;
      }
    } else if (c == '}' || c == ']') {
      if (depth == 2 && top.in_actions()) top.ActionsClose(at, &o);
      --depth;
    } else if (c == ',' && depth == 2 && top.in_actions()) {
      o.actions_commas.push_back(at);
    }
  }
  if (!top.Usable(o)) {
    o.actions_open = o.actions_close = std::string::npos;
    o.actions_commas.clear();
  }
  return o;
}

namespace {

// Pieces of text read as one, without copying: each thread's share.
class Pieces {
 public:
  class Iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = const char&;

    Iterator(const std::vector<std::string_view>* pieces, size_t piece)
        : pieces_(pieces), piece_(piece) {
      Settle();
    }
    reference operator*() const { return (*pieces_)[piece_][offset_]; }
    Iterator& operator++() {
      ++offset_;
      Settle();
      return *this;
    }
    Iterator operator++(int) {
      Iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const Iterator& o) const {
      return piece_ == o.piece_ && offset_ == o.offset_;
    }
    bool operator!=(const Iterator& o) const { return !(*this == o); }

   private:
    // Past the end of a piece is the start of the next non-empty one.
    void Settle() {
      while (piece_ < pieces_->size() && offset_ == (*pieces_)[piece_].size()) {
        ++piece_;
        offset_ = 0;
      }
    }

    const std::vector<std::string_view>* pieces_;
    size_t piece_;
    size_t offset_ = 0;
  };

  explicit Pieces(std::vector<std::string_view> pieces)
      : pieces_(std::move(pieces)) {}
  Iterator begin() const { return Iterator(&pieces_, 0); }
  Iterator end() const { return Iterator(&pieces_, pieces_.size()); }

 private:
  std::vector<std::string_view> pieces_;
};

// Below this, a second thread costs more than it saves.
constexpr size_t kSharedMinBytes = 1 << 20;

// The share of the text the second thread takes, in hundredths: more than
// half, as the first has scanned the text before the second starts and
// then reads the cards, which cost more per byte than actions.
constexpr size_t kSecondSharePercent = 55;

// The first element of "actions" the second thread takes: the one from
// which the rest of the array is nearest its share of the text. 0: none.
size_t SharedFrom(const std::string& text, const Outline& o) {
  if (o.actions_close == std::string::npos || text.size() < kSharedMinBytes) {
    return 0;
  }
  const size_t share = text.size() / 100 * kSecondSharePercent;
  for (size_t k = 1; k <= o.actions_commas.size(); ++k) {
    if (o.actions_close - o.actions_commas[k - 1] <= share) return k;
  }
  return 0;
}

}  // namespace

Shared ParseShared(const std::string& text, const Outline& outline,
                   ExportStream* stream, const ExportStream::OnElement& later,
                   const Reader& reader) {
  const size_t k = SharedFrom(text, outline);
  if (k == 0) return Shared::kNo;
  // This thread: the text without elements k.. of "actions" (from the
  // comma before element k up to the array's ']').
  const size_t cut = outline.actions_commas[k - 1];
  const std::string_view all(text);
  const Pieces mine({all.substr(0, cut), all.substr(outline.actions_close)});
  // The second: those elements, as an array of their own.
  const Pieces theirs({"[", all.substr(cut + 1, outline.actions_close - cut)});
  std::exception_ptr their_error;
  std::thread second([&] {
    try {
      ExportStream share(reader, later, "actions", k);
      Json::sax_parse(theirs.begin(), theirs.end(), &share);
    } catch (...) {
      their_error = std::current_exception();
    }
  });
  bool failed = false;
  try {
    Json::sax_parse(mine.begin(), mine.end(), stream);
  } catch (...) {  // Whatever it is, the second thread is joined first.
    failed = true;
  }
  second.join();
  return failed || their_error != nullptr ? Shared::kFailed : Shared::kYes;
}

}  // namespace focus::trello_internal
