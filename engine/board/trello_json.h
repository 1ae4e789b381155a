// The reading layer of the Trello import: the export parsed one element of
// its top-level arrays at a time, into arena documents, with JSON paths in
// every error. Internal to focus_board.
#ifndef FOCUS_BOARD_TRELLO_JSON_H_
#define FOCUS_BOARD_TRELLO_JSON_H_

#include <cstdint>
#include <ctime>
#include <functional>
#include <map>
#include <memory_resource>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "focus/error.h"

namespace focus::trello_internal {

// --- The parsed export's memory ---------------------------------------------
//
// An export is read one element at a time (see ExportStream), each parsed
// into a small document of many nodes and strings. They take their memory
// from a std::pmr::monotonic_buffer_resource: allocation is a pointer bump,
// and an element's document is released at once when it has been read.
//
// nlohmann::basic_json default-constructs its allocators, so the allocator
// cannot carry the resource; it reads it from DocumentArena, which the
// reader sets up around every step that makes or frees a document's nodes.
// Outside one (a value made at static initialisation, say) it falls back to
// operator new and delete.
extern thread_local std::pmr::memory_resource* g_document_arena;

template <typename T>
struct DocumentAllocator {
  using value_type = T;

  DocumentAllocator() = default;
  template <typename U>
  DocumentAllocator(const DocumentAllocator<U>&) noexcept {}

  T* allocate(std::size_t n) {
    if (g_document_arena == nullptr) return std::allocator<T>().allocate(n);
    return static_cast<T*>(
        g_document_arena->allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    // A monotonic resource frees nothing until it is destroyed.
    if (g_document_arena == nullptr) std::allocator<T>().deallocate(p, n);
  }

  template <typename U>
  bool operator==(const DocumentAllocator<U>&) const noexcept {
    return true;
  }
  template <typename U>
  bool operator!=(const DocumentAllocator<U>&) const noexcept {
    return false;
  }
};

// Makes `arena` the memory of every import document created and destroyed
// while it is alive. REQUIRES: every such document is destroyed before it.
class DocumentArena {
 public:
  explicit DocumentArena(std::pmr::memory_resource* arena)
      : previous_(g_document_arena) {
    g_document_arena = arena;
  }
  ~DocumentArena() { g_document_arena = previous_; }
  DocumentArena(const DocumentArena&) = delete;
  DocumentArena& operator=(const DocumentArena&) = delete;

 private:
  std::pmr::memory_resource* previous_;
};

// nlohmann::json, with every node, array and string in the arena.
using JsonString =
    std::basic_string<char, std::char_traits<char>, DocumentAllocator<char>>;
using Json =
    nlohmann::basic_json<std::map, std::vector, JsonString, bool, std::int64_t,
                         std::uint64_t, double, DocumentAllocator>;

// A document string as a std::string. REQUIRES: v.is_string().
std::string Text(const Json& v);

// "2027-02-01T12:00:00.000Z" (Trello) or "2027-02-01T12:00:00Z".
std::optional<std::time_t> ParseTrelloDate(const std::string& text);

// --- Reading the document with JSON paths in every error ---------------------

inline std::string Child(const std::string& path, const char* key) {
  return path.empty() ? key : path + "." + key;
}
inline std::string Index(const std::string& path, size_t i) {
  return path + "[" + std::to_string(i) + "]";
}

class Reader {
 public:
  explicit Reader(const std::string& source) : source_(source) {}

  [[noreturn]] void Fail(const std::string& path,
                         const std::string& what) const {
    ThrowInvalid(source_ + ": " + (path.empty() ? "" : path + ": ") + what);
  }

  // obj[key], or nullptr if absent. Null counts as absent: Trello writes
  // null for unset optional fields.
  static const Json* Find(const Json& obj, const char* key) {
    auto it = obj.find(key);
    return it == obj.end() || it->is_null() ? nullptr : &*it;
  }

  std::string String(const Json& obj, const std::string& path,
                     const char* key) const {
    const Json* v = Find(obj, key);
    if (v == nullptr) Fail(Child(path, key), "missing (expected a string)");
    return FieldString(*v, path, key);
  }

  std::string OptString(const Json& obj, const std::string& path,
                        const char* key) const {
    const Json* v = Find(obj, key);
    return v == nullptr ? "" : FieldString(*v, path, key);
  }

  std::string AsString(const Json& v, const std::string& path) const {
    if (!v.is_string()) Fail(path, "expected a string");
    return Text(v);
  }

  // AsString(v, Child(path, key)), building the path only for the error: an
  // export has hundreds of thousands of fields.
  std::string FieldString(const Json& v, const std::string& path,
                          const char* key) const {
    if (!v.is_string()) Fail(Child(path, key), "expected a string");
    return Text(v);
  }

  // AsString(v, Index(path, i)), likewise.
  std::string ItemString(const Json& v, const std::string& path,
                         size_t i) const {
    if (!v.is_string()) Fail(Index(path, i), "expected a string");
    return Text(v);
  }

  bool OptBool(const Json& obj, const std::string& path,
               const char* key) const {
    const Json* v = Find(obj, key);
    if (v == nullptr) return false;
    if (!v->is_boolean()) Fail(Child(path, key), "expected true or false");
    return v->get<bool>();
  }

  // An optional array: absent reads as empty.
  const Json& Array(const Json& obj, const std::string& path, const char* key,
                    bool required) const {
    // Null: no elements to index or iterate, like an empty array, and it
    // holds no memory, so it can outlive any document arena.
    static const Json kEmpty;
    const Json* v = Find(obj, key);
    if (v == nullptr) {
      if (required) Fail(Child(path, key), "missing (expected an array)");
      return kEmpty;
    }
    if (!v->is_array()) Fail(Child(path, key), "expected an array");
    return *v;
  }

  const Json& Object(const Json& v, const std::string& path) const {
    if (!v.is_object()) Fail(path, "expected an object");
    return v;
  }

  const Json& ObjectField(const Json& obj, const std::string& path,
                          const char* key) const {
    const Json* v = Find(obj, key);
    if (v == nullptr) Fail(Child(path, key), "missing (expected an object)");
    return Object(*v, Child(path, key));
  }

  std::optional<std::time_t> OptDate(const Json& obj, const std::string& path,
                                     const char* key) const {
    const Json* v = Find(obj, key);
    if (v == nullptr) return std::nullopt;
    const std::string text = FieldString(*v, path, key);
    std::optional<std::time_t> t = ParseTrelloDate(text);
    if (!t) {
      Fail(Child(path, key),
           "expected a date like 2027-02-01T12:00:00.000Z, "
           "not \"" +
               text + "\"");
    }
    return t;
  }

  std::time_t RequiredDate(const Json& obj, const std::string& path,
                           const char* key) const {
    std::optional<std::time_t> t = OptDate(obj, path, key);
    if (!t) Fail(Child(path, key), "missing (expected a date)");
    return *t;
  }

 private:
  const std::string& source_;
};

// Reads an export one element of its top-level arrays at a time. A
// 10,000-card export is tens of megabytes; as one document it took seven
// times its size in memory. Each element of "lists", "labels", "cards",
// "checklists", "actions" and "pluginData" is built as a small document in
// an arena released after `on_element` has read it; "name" and top-level
// values of those keys that are not arrays are kept whole in rest(); the
// rest of the board (members, custom fields, ...) is skipped unread.
class ExportStream {
 public:
  using OnElement =
      std::function<void(const std::string& key, size_t index, const Json&)>;

  // The document is a board; or, given `array`, it is that board array's
  // elements from `first` on (a share of it: see ParseShared).
  ExportStream(const Reader& reader, OnElement on_element,
               std::string array = "", size_t first = 0)
      : reader_(reader),
        on_element_(std::move(on_element)),
        array_(std::move(array)),
        first_(first),
        element_buffer_(kElementBuffer),
        element_arena_(element_buffer_.data(), element_buffer_.size()) {
    DocumentArena scope(&rest_arena_);
    new (&rest_) Json(Json::value_t::object);
  }
  ~ExportStream() {}  // rest_ and any element are left to their arenas.
  ExportStream(const ExportStream&) = delete;
  ExportStream& operator=(const ExportStream&) = delete;

  // The type of the whole document when it is not an object, else null.
  const char* not_an_object() const { return not_an_object_; }
  // The top-level values kept whole. REQUIRES: the stream is alive.
  const Json& rest() const { return rest_; }
  // `key` was at the top level with a value other than null.
  bool Seen(const std::string& key) const { return seen_.count(key) != 0; }
  // `key`'s value was an array, read element by element.
  bool Streamed(const std::string& key) const {
    return streamed_.count(key) != 0;
  }

  // The SAX interface of nlohmann::json (see Json::sax_parse).
  bool null() {
    return Scalar("null", [](Parser& p) { return p.null(); });
  }
  bool boolean(bool v) {
    return Scalar("boolean", [v](Parser& p) { return p.boolean(v); });
  }
  bool number_integer(std::int64_t v) {
    return Scalar("number", [v](Parser& p) { return p.number_integer(v); });
  }
  bool number_unsigned(std::uint64_t v) {
    return Scalar("number", [v](Parser& p) { return p.number_unsigned(v); });
  }
  // A template: Json::sax_parse instantiates its binary readers too, which
  // pass a std::string. The DOM parser ignores the number's text.
  template <class Text>
  bool number_float(double v, const Text&) {
    return Scalar("number",
                  [v](Parser& p) { return p.number_float(v, JsonString()); });
  }
  bool string(JsonString& v) {
    return Scalar("string", [&](Parser& p) { return p.string(v); });
  }
  bool binary(Json::binary_t& v) {
    return Scalar("binary", [&](Parser& p) { return p.binary(v); });
  }
  bool start_object(std::size_t n) {
    return Open(false, [n](Parser& p) { return p.start_object(n); });
  }
  bool start_array(std::size_t n) {
    return Open(true, [n](Parser& p) { return p.start_array(n); });
  }
  bool key(JsonString& k);
  bool end_object() {
    return Close([](Parser& p) { return p.end_object(); });
  }
  bool end_array() {
    return Close([](Parser& p) { return p.end_array(); });
  }
  template <class Exception>
  bool parse_error(std::size_t, const std::string&, const Exception& e) {
    throw e;  // The concrete type, for ParseExport's messages.
  }

 private:
  using Parser = nlohmann::detail::json_sax_dom_parser<Json>;

  // Where the next value goes.
  enum class At {
    kTop,         // The document itself.
    kBoardValue,  // The value of a key of the board object.
    kElement,     // The next element of a streamed array, or its end.
    kCapture,     // Inside a value being built.
    kSkip,        // Inside a value being skipped.
    kDone,        // After the document, or inside a top-level non-object.
  };

  static constexpr size_t kElementBuffer = 256 * 1024;
  static constexpr const char* kObject = "object";
  static constexpr const char* kArray = "array";

  // The events that begin, continue or end a value; each is a call to make
  // on the Parser of the value being built.
  template <class Event>
  bool Scalar(const char* type, const Event& event) {
    if (Begins(type)) Forward(event, false, false);
    return true;
  }
  template <class Event>
  bool Open(bool array, const Event& event) {
    if (Begins(array ? kArray : kObject)) Forward(event, true, false);
    return true;
  }
  template <class Event>
  bool Close(const Event& event);
  // The slot in rest() for the board key being read.
  Json* RestSlot();
  // Starts building the value an event begins into `target`, in `arena`.
  void Capture(Json* target, std::pmr::memory_resource* arena);
  // A value of type `type` ("object", "array", "string", ...) begins:
  // moves on, and says whether the value is to be built.
  bool Begins(const char* type);
  // Forwards `event` to the value being built, and hands it on when the
  // event completes it.
  template <class Event>
  void Forward(const Event& event, bool opens, bool closes);
  void Completed();

  // The board key being read is a streamed one given before: its first
  // value has been read, so the last cannot count as for other keys.
  void RefuseRepeat();

  const Reader& reader_;
  OnElement on_element_;
  const std::string array_;  // Empty: the document is a board.
  const size_t first_;       // The index of array_'s first element.
  std::pmr::monotonic_buffer_resource rest_arena_;
  std::vector<char> element_buffer_;
  std::pmr::monotonic_buffer_resource element_arena_;
  union {
    Json rest_;  // In rest_arena_.
  };
  union {
    Json element_;  // In element_arena_, remade for each element.
  };
  At at_ = At::kTop;
  const char* not_an_object_ = nullptr;
  std::string key_;   // The board's key being read.
  size_t index_ = 0;  // The next element's index in key_'s array.
  int depth_ = 0;     // Of the value being captured or skipped.
  std::optional<Parser> parser_;
  std::pmr::memory_resource* capture_arena_ = nullptr;
  std::set<std::string> seen_;
  std::set<std::string> streamed_;
  std::set<std::string> given_;  // Streamed keys given so far.
};

template <class Event>
bool ExportStream::Close(const Event& event) {
  switch (at_) {
    case At::kCapture:
      Forward(event, false, true);
      return true;
    case At::kSkip:
      if (--depth_ == 0) {
        at_ = not_an_object_ != nullptr ? At::kDone : At::kBoardValue;
      }
      return true;
    case At::kElement:     // The streamed array ends.
    case At::kBoardValue:  // The board ends.
      at_ = at_ == At::kElement ? At::kBoardValue : At::kDone;
      return true;
    case At::kTop:
    case At::kDone:
      return true;
  }
  return true;
}

template <class Event>
void ExportStream::Forward(const Event& event, bool opens, bool closes) {
  {
    DocumentArena scope(capture_arena_);
    event(*parser_);
  }
  if (opens) ++depth_;
  if (closes) --depth_;
  if (depth_ == 0) Completed();
}

// Parses `text` into `stream`, turning the parser's errors into one line
// naming the byte.
void ParseExport(const std::string& text, ExportStream* stream,
                 const Reader& reader);

// The deepest a Trello export nests (board, cards, checklist items, ...) is
// under ten; far deeper is not an export, and is refused before parsing.
constexpr int kMaxDepth = 64;

// What one scan of the raw text, brackets and strings, finds before it is
// parsed.
struct Outline {
  // The JSON path of the first place the text nests deeper than kMaxDepth.
  std::optional<std::string> too_deep;
  // The offsets of the board's "actions" array's '[' and ']' and of the
  // commas between its elements; npos when the text is not an object
  // giving "actions" once, as an array.
  size_t actions_open = std::string::npos;
  size_t actions_close = std::string::npos;
  std::vector<size_t> actions_commas;
};
Outline OutlineOf(const std::string& text);

// How ParseShared went.
enum class Shared {
  kNo,      // Nothing was parsed: parse the text alone (ParseExport).
  kYes,     // Parsed.
  kFailed,  // The text is not valid: parse it alone for the exact error.
};

// Parses `text` into `stream` as ParseExport does, on two threads: the
// later elements of "actions" (a little over half the text) are parsed on a
// second one and handed to `later` there, in order, with their indexes.
// "actions" is the largest part of a real export, and its elements are read on
// their own (see ReadAction). kFailed leaves `stream` and `later`'s
// results partly filled: start again with new ones.
Shared ParseShared(const std::string& text, const Outline& outline,
                   ExportStream* stream, const ExportStream::OnElement& later,
                   const Reader& reader);

}  // namespace focus::trello_internal

#endif  // FOCUS_BOARD_TRELLO_JSON_H_
