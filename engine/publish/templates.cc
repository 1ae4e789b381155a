#include "focus/templates.h"

#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <kainjow/mustache.hpp>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <string_view>

#include "focus/error.h"
#include "focus/file_system.h"
#include "focus/text.h"

namespace focus {

namespace internal {
struct EmbeddedTemplate {
  const char* name;
  const unsigned char* data;
  std::size_t size;
};
// Generated at build time by cmake/embed_templates.cmake.
extern const EmbeddedTemplate kEmbeddedTemplates[];
extern const std::size_t kEmbeddedTemplateCount;
}  // namespace internal

namespace {

namespace fs = std::filesystem;
namespace mu = kainjow::mustache;

// Marks the example item of a list that is empty in the view: its names are
// unknown, so lookups under it are not checked.
constexpr const char* kUnknownItemKey = "\x01unknown item";

std::optional<std::string> BuiltInText(const std::string& relative_name) {
  for (std::size_t i = 0; i < internal::kEmbeddedTemplateCount; ++i) {
    const internal::EmbeddedTemplate& t = internal::kEmbeddedTemplates[i];
    if (t.name != nullptr && relative_name == t.name) {
      return std::string(reinterpret_cast<const char*>(t.data), t.size);
    }
  }
  return std::nullopt;
}

int LineAt(const std::string& text, std::size_t pos) {
  pos = std::min(pos, text.size());
  return 1 +
         static_cast<int>(std::count(text.begin(), text.begin() + pos, '\n'));
}

// One tag of a template, as kainjow's parser sees it with the default
// delimiters (we refuse templates that change them).
struct Tag {
  char sigil = 0;  // 0 = variable, '&' or '{' unescaped, '#', '^', '/', '!'.
  std::string name;
  std::size_t position = 0;        // Of "{{".
  std::size_t sigil_position = 0;  // Of the sigil character, if any.
  std::size_t end = 0;             // Just past the closing "}}".
  int line = 0;

  // Tags kainjow looks up in the context, in document order.
  bool LooksUp() const {
    return sigil == 0 || sigil == '&' || sigil == '{' || sigil == '#' ||
           sigil == '^';
  }
  bool IsText() const { return sigil == 0 || sigil == '&' || sigil == '{'; }
};

// Tag names quoted in messages may hold line breaks ("{{>a\nb}}"), so the
// message is made one line.
[[noreturn]] void ThrowAt(const std::string& path, int line,
                          const std::string& what) {
  ThrowInvalid(OneLine(path + ":" + std::to_string(line) + ": " + what));
}

// Reads the tag whose "{{" is at `i`, on line `line`. Refuses what kainjow
// would accept silently or report only by byte offset: delimiter changes,
// partials and unclosed tags.
Tag ReadTag(const std::string& text, std::size_t i, int line,
            const std::string& path) {
  Tag tag;
  tag.position = i;
  tag.line = line;
  std::size_t contents = i + 2;
  bool triple =
      i != text.size() - 2 && contents < text.size() && text[contents] == '{';
  if (triple) ++contents;
  const std::string end = triple ? "}}}" : "}}";
  std::size_t close = text.find(end, contents);
  if (close == std::string::npos) {
    ThrowAt(path, tag.line,
            std::string("tag '") + (triple ? "{{{" : "{{") +
                "' is never closed (no '" + end + "')");
  }
  std::string inside = text.substr(contents, close - contents);
  std::string trimmed = Trim(inside);
  if (triple) {
    tag.sigil = '{';
    tag.name = trimmed;
  } else if (!trimmed.empty() &&
             std::string("#^/&!>=").find(trimmed[0]) != std::string::npos) {
    tag.sigil = trimmed[0];
    tag.sigil_position = contents + inside.find(trimmed[0]);
    tag.name = Trim(trimmed.substr(1));
  } else {
    tag.name = trimmed;
  }
  if (tag.sigil == '=') {
    ThrowAt(path, tag.line,
            "changing delimiters ('{{=' ... '=}}') is not supported");
  }
  if (tag.sigil == '>') {
    ThrowAt(path, tag.line,
            "partials ('{{>" + tag.name + "}}') are not supported");
  }
  tag.end = close + end.size();
  return tag;
}

// Opens or closes a section for the last of `tags`; `open_indexes` are the
// indexes in `tags` of the sections open before it. Checked tag by tag, so
// that the first problem in the template is the one reported.
void MatchSection(const std::vector<Tag>& tags,
                  std::vector<std::size_t>& open_indexes,
                  const std::string& path) {
  const Tag& tag = tags.back();
  if (tag.sigil == '#' || tag.sigil == '^') {
    open_indexes.push_back(tags.size() - 1);
  } else if (tag.sigil == '/') {
    if (open_indexes.empty()) {
      ThrowAt(path, tag.line,
              "'{{/" + tag.name +
                  "}}' closes a section that was never "
                  "opened");
    }
    const Tag& opener = tags[open_indexes.back()];
    if (opener.name != tag.name) {
      ThrowAt(path, tag.line,
              "'{{/" + tag.name + "}}' does not close section '" + opener.name +
                  "' opened on line " + std::to_string(opener.line) +
                  " (expected '{{/" + opener.name + "}}')");
    }
    open_indexes.pop_back();
  }
}

// Splits the template into tags the way kainjow's parser does, and checks
// what kainjow would accept silently or report only by byte offset:
// delimiter changes, partials, unclosed tags and unbalanced sections.
std::vector<Tag> ScanTags(const std::string& text, const std::string& path) {
  std::vector<Tag> tags;
  std::vector<std::size_t> open_indexes;
  // The line of `i`, counted as the scan goes (LineAt for every tag would
  // make long templates quadratic).
  int line = 1;
  std::size_t counted = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, 2, "{{") != 0) {
      ++i;
      continue;
    }
    line += static_cast<int>(
        std::count(text.begin() + counted, text.begin() + i, '\n'));
    counted = i;
    tags.push_back(ReadTag(text, i, line, path));
    i = tags.back().end;
    MatchSection(tags, open_indexes, path);
  }
  if (!open_indexes.empty()) {
    const Tag& opener = tags[open_indexes.back()];
    ThrowAt(path, opener.line,
            "section '" + opener.name + "' is never closed (no '{{/" +
                opener.name + "}}')");
  }
  return tags;
}

// Marks a line of the template that held only section tags or comments.
// kainjow drops such lines when it renders the section, but prints a blank
// line for them when the section is skipped (false or empty) and drops the
// blank line that follows a rendered section; the Mustache rule is that a
// "standalone" tag line never prints. So each standalone line becomes its
// tags plus this marker, kainjow (seeing text) prints it as a line of its
// own, and RemoveMarkerLines takes those lines out.
constexpr char kStandaloneMarker = '\x1f';

// The template with each standalone line reduced to its tags and the marker
// (indentation removed, line end kept).
std::string MarkStandaloneLines(const std::string& text,
                                const std::vector<Tag>& tags) {
  std::string out;
  std::size_t next_tag = 0;
  std::size_t line_start = 0;
  while (line_start < text.size()) {
    std::size_t newline = text.find('\n', line_start);
    std::size_t line_end = newline == std::string::npos ? text.size() : newline;
    std::size_t after =
        newline == std::string::npos ? text.size() : newline + 1;
    while (next_tag < tags.size() && tags[next_tag].position < line_start) {
      ++next_tag;
    }
    bool standalone = false;
    std::string kept;
    std::size_t cursor = line_start;
    std::size_t t = next_tag;
    for (; t < tags.size() && tags[t].position < line_end; ++t) {
      const Tag& tag = tags[t];
      bool blank_before =
          text.find_first_not_of(" \t\r", cursor) >= tag.position;
      if (!blank_before || tag.sigil == 0 ||
          std::string("#^/!").find(tag.sigil) == std::string::npos) {
        standalone = false;
        break;
      }
      if (tag.end > line_end) {
        // A tag over several lines (a long comment): the logical line ends
        // with the line the tag ends on. Its own newlines are kept in
        // `kept`, so the template keeps its line count.
        newline = text.find('\n', tag.end);
        line_end = newline == std::string::npos ? text.size() : newline;
        after = newline == std::string::npos ? text.size() : newline + 1;
      }
      kept += text.substr(tag.position, tag.end - tag.position);
      cursor = tag.end;
      standalone = true;
    }
    if (standalone) {
      standalone = text.find_first_not_of(" \t\r", cursor) >= line_end;
    }
    if (standalone) {
      out += kept;
      out += kStandaloneMarker;
      out += text.substr(line_end, after - line_end);
      line_start = after;
    } else {
      // Only up to the first line end: a tag that spills over is not
      // standalone, and the lines after it are looked at on their own.
      std::size_t first_end = text.find('\n', line_start);
      std::size_t first_after =
          first_end == std::string::npos ? text.size() : first_end + 1;
      out += text.substr(line_start, first_after - line_start);
      line_start = first_after;
    }
  }
  return out;
}

std::string RemoveMarkerLines(const std::string& rendered) {
  std::string out;
  out.reserve(rendered.size());
  std::size_t start = 0;
  while (start < rendered.size()) {
    std::size_t newline = rendered.find('\n', start);
    std::size_t after =
        newline == std::string::npos ? rendered.size() : newline + 1;
    const std::string_view line(rendered.data() + start, after - start);
    std::string_view bare = line;
    while (!bare.empty() && (bare.back() == '\n' || bare.back() == '\r')) {
      bare.remove_suffix(1);
    }
    if (bare.empty() ||
        bare.find_first_not_of(kStandaloneMarker) != std::string_view::npos) {
      out += line;
    }
    start = after;
  }
  return out;
}

// JSON to kainjow data. In shape mode every section is made to be walked:
// false and null become true, and an empty list gets one unknown item.
// Children are moved into place: kainjow's set() and push_back() copy, and
// copying deep data at every level made pages with long lists quadratic-ish.
mu::data ToData(const nlohmann::json& j, bool shape) {
  switch (j.type()) {
    case nlohmann::json::value_t::object: {
      mu::data d(mu::data::type::object);
      for (const auto& [key, value] : j.items()) d[key] = ToData(value, shape);
      return d;
    }
    case nlohmann::json::value_t::array: {
      mu::data d(mu::data::type::list);
      // kainjow has no mutable access to a list; the list is ours (never
      // const), so filling it through list_value() is well defined.
      mu::list& items = const_cast<mu::list&>(d.list_value());
      if (!shape) {
        items.reserve(j.size());
        for (const auto& item : j) items.push_back(ToData(item, false));
      } else if (!j.empty()) {
        // One example item, so each tag is looked up exactly once.
        items.push_back(ToData(j[0], true));
      } else {
        mu::data unknown(mu::data::type::object);
        unknown.set(kUnknownItemKey, mu::data(true));
        items.push_back(std::move(unknown));
      }
      return d;
    }
    case nlohmann::json::value_t::string: {
      // The standalone-line marker must not come from the data.
      const std::string& text = j.get_ref<const std::string&>();
      if (text.find(kStandaloneMarker) == std::string::npos) {
        return mu::data(text);
      }
      std::string clean = text;
      std::replace(clean.begin(), clean.end(), kStandaloneMarker, ' ');
      return mu::data(clean);
    }
    case nlohmann::json::value_t::boolean:
      return mu::data(shape ? true : j.get<bool>());
    case nlohmann::json::value_t::null:
      return mu::data(shape);
    default:  // Numbers.
      return mu::data(j.dump());
  }
}

void CollectNames(const nlohmann::json& j, const mu::data& d,
                  std::map<const mu::data*, std::vector<std::string>>& out);

const char* KindOf(const mu::data& d) {
  if (d.is_list()) return "a list";
  if (d.is_object()) return "a group of names";
  if (d.is_bool()) return "a yes/no value";
  return "text";
}

std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1,
                         diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// " (did you mean 'title'?)" naming the closest of `names` to `name`, or ""
// if none is close.
template <typename Names>
std::string DidYouMean(const std::string& name, const Names& names) {
  std::string best;
  std::size_t best_distance = 3;  // Suggest only close names...
  for (const std::string& n : names) {
    std::size_t d = EditDistance(name, n);
    // ... and never a whole different short name ('b' for 'a').
    if (d < best_distance && d + 1 < name.size()) {
      best_distance = d;
      best = n;
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

// A folder of edited templates must exist, and every *.mustache file in it
// must be one focus knows: a misspelt name would otherwise be ignored and
// the built-in template used. Other files are left alone (notes, and files
// under pages/static/ that the server serves as they are), as are dotfiles
// (editors' lock and swap files).
void CheckTemplateDir(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    ThrowInvalid(OneLine("templates folder '" + dir +
                         "' does not exist or is not a folder"));
  }
  std::vector<std::string> templates;
  for (const std::string& name : BuiltInTemplateNames()) {
    if (fs::path(name).extension() == ".mustache") templates.push_back(name);
  }
  std::vector<std::string> unknown;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end;
       it.increment(ec)) {
    const fs::path& path = it->path();
    if (path.filename().string().rfind('.', 0) == 0) {
      it.disable_recursion_pending();
      continue;
    }
    const std::string name = path.lexically_relative(dir).generic_string();
    if (path.extension() == ".mustache" &&
        !std::binary_search(templates.begin(), templates.end(), name)) {
      unknown.push_back(name);
    }
  }
  if (ec) ThrowIo("templates folder '" + dir + "': " + ec.message());
  if (unknown.empty()) return;
  std::sort(unknown.begin(), unknown.end());
  std::string list;
  for (const std::string& name : templates) {
    list += (list.empty() ? "" : ", ") + name;
  }
  ThrowInvalid((fs::path(dir) / unknown.front()).string() +
               ": not a template focus knows" +
               DidYouMean(unknown.front(), templates) + "; templates: " + list +
               " (see docs/templates.md)");
}

// Sees every name lookup kainjow makes. Unknown names throw; in the check
// (shape) pass every tag is visited exactly once in document order, so the
// n-th lookup is the n-th looking-up tag and its line is exact.
class StrictContext : public mu::basic_context<std::string> {
 public:
  // `json` is the view `root` was made from (for the names in error
  // messages); it must outlive the context.
  StrictContext(const mu::data* root, const nlohmann::json& json,
                const std::vector<Tag>& tags, const std::string& path,
                bool check_pass)
      : root_(root),
        json_(json),
        tags_(tags),
        path_(path),
        check_pass_(check_pass) {
    unknown_.set(kUnknownItemKey, mu::data(true));
    for (const Tag& t : tags_) {
      if (t.LooksUp()) lookups_.push_back(&t);
    }
    Push(root, false);
  }

  void push(const mu::data* data) override {
    Push(data, next_push_opaque_);
    next_push_opaque_ = false;
  }
  void pop() override { frames_.pop_back(); }

  const mu::data* get(const std::string& name) const override {
    const Tag* tag = CurrentTag(name);
    next_push_opaque_ = check_pass_ && tag != nullptr && tag->sigil == '^';
    const mu::data* found = Resolve(name);
    if (found == nullptr) {
      if (InsideUnknownItem()) return &unknown_;
      ThrowAt(path_, LineOf(tag, name),
              "unknown name '" + name + "'" + Hint(name) +
                  " (see docs/templates.md)");
    }
    if (check_pass_ && tag != nullptr && tag->IsText() && found != &unknown_ &&
        !found->is_string()) {
      ThrowAt(path_, tag->line,
              "'" + name + "' is " + KindOf(*found) +
                  ", not text: use it as a section ('{{#" + name +
                  "}}' ... '{{/" + name + "}}')");
    }
    return found;
  }

  const mu::data* get_partial(const std::string& name) const override {
    // ScanTags refuses partials; kainjow only asks for them on {{>name}}.
    ThrowInvalid(OneLine(path_ + ": partial '" + name + "' is not supported"));
  }

 private:
  struct Frame {
    const mu::data* data;
    bool opaque;  // An inverted section's value: names are not looked up in it.
  };

  void Push(const mu::data* data, bool opaque) {
    frames_.push_back({data, opaque});
  }

  const Tag* CurrentTag(const std::string& name) const {
    std::size_t index = lookup_count_++;
    if (!check_pass_ || index >= lookups_.size()) return nullptr;
    const Tag* tag = lookups_[index];
    return tag->name == name ? tag : nullptr;
  }

  int LineOf(const Tag* tag, const std::string& name) const {
    if (tag != nullptr) return tag->line;
    for (const Tag* t : lookups_) {
      if (t->name == name) return t->line;
    }
    return 1;
  }

  const mu::data* Resolve(const std::string& name) const {
    if (name == ".") return frames_.back().data;
    const std::vector<std::string> parts = name.find('.') == std::string::npos
                                               ? std::vector<std::string>{name}
                                               : mu::split(name, '.');
    for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
      if (it->opaque || !it->data->is_object()) continue;
      const mu::data* var = it->data;
      for (const std::string& part : parts) {
        var = var->is_object() ? var->get(part) : nullptr;
        if (var == nullptr) break;
      }
      if (var != nullptr) return var;
    }
    return nullptr;
  }

  bool InsideUnknownItem() const {
    for (const Frame& f : frames_) {
      if (f.data->is_object() && f.data->get(kUnknownItemKey) != nullptr) {
        return true;
      }
    }
    return false;
  }

  // " (did you mean 'title'?); names here: a, b, c": the closest name in
  // scope, and the names of the innermost scope (a list item's, or the
  // top level's), which is where a mistake usually is.
  std::string Hint(const std::string& name) const {
    std::set<std::string> visible;
    std::vector<std::string> innermost;
    for (auto it = frames_.rbegin(); it != frames_.rend(); ++it) {
      if (it->opaque || !it->data->is_object()) continue;
      // kainjow cannot list an object's names; they are collected from
      // the JSON, only when a message needs them.
      if (!names_collected_) {
        CollectNames(json_, *root_, names_of_);
        names_collected_ = true;
      }
      auto names = names_of_.find(it->data);
      if (names == names_of_.end()) continue;
      for (const std::string& n : names->second) {
        if (n == kUnknownItemKey) continue;
        visible.insert(n);
      }
      if (innermost.empty()) {
        for (const std::string& n : names->second) {
          if (n != kUnknownItemKey) innermost.push_back(n);
        }
        std::sort(innermost.begin(), innermost.end());
      }
    }
    std::string out = DidYouMean(name, visible);
    if (!innermost.empty()) {
      out += "; names here: ";
      for (std::size_t i = 0; i < innermost.size(); ++i) {
        out += (i > 0 ? ", " : "") + innermost[i];
      }
    }
    return out;
  }

 private:
  const mu::data* root_;
  const nlohmann::json& json_;
  // Names of each object, for error messages (filled when first needed).
  mutable std::map<const mu::data*, std::vector<std::string>> names_of_;
  mutable bool names_collected_ = false;
  const std::vector<Tag>& tags_;
  std::vector<const Tag*> lookups_;
  std::string path_;
  bool check_pass_;
  mu::data unknown_{mu::data::type::object};
  std::vector<Frame> frames_;
  mutable std::size_t lookup_count_ = 0;
  mutable bool next_push_opaque_ = false;
};

// Records the names of every object in `d` (mirroring `j`), so errors can
// list what a template could use at that point.
void CollectNames(const nlohmann::json& j, const mu::data& d,
                  std::map<const mu::data*, std::vector<std::string>>& out) {
  if (j.is_object() && d.is_object()) {
    std::vector<std::string>& names = out[&d];
    for (const auto& [key, value] : j.items()) {
      names.push_back(key);
      const mu::data* child = d.get(key);
      if (child != nullptr) CollectNames(value, *child, out);
    }
  } else if (j.is_array() && d.is_list()) {
    const mu::list& items = d.list_value();
    for (std::size_t i = 0; i < j.size() && i < items.size(); ++i) {
      CollectNames(j[i], items[i], out);
    }
  }
}

// Parses `text` (the marked template: same lines as the original). The
// check pass walks inverted sections as well; the context keeps their value
// out of name lookups, as kainjow does for an empty or false value.
std::unique_ptr<mu::mustache> Parse(const std::string& text,
                                    const std::string& path,
                                    const std::vector<Tag>& tags,
                                    bool check_pass) {
  std::string source = text;
  if (check_pass) {
    for (const Tag& t : tags) {
      if (t.sigil == '^') source[t.sigil_position] = '#';
    }
  }
  auto tmpl = std::make_unique<mu::mustache>(source);
  if (!tmpl->is_valid()) {
    // ScanTags catches what we know of; report anything else by line.
    static const std::regex at(R"(^(.*) at (\d+)$)");
    std::smatch m;
    const std::string& message = tmpl->error_message();
    if (std::regex_match(message, m, at)) {
      ThrowAt(path, LineAt(text, std::stoul(m[2].str())), m[1].str());
    }
    ThrowInvalid(OneLine(path + ": " + message));
  }
  return tmpl;
}

std::string EscapeMarkdown(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    if (std::string_view("\\`*_[]<>|").find(c) != std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

// Renders the parsed `tmpl` of the template at `path` with `json`.
std::string RenderWith(mu::mustache& tmpl, const std::string& path,
                       const std::vector<Tag>& tags, const nlohmann::json& json,
                       bool check_pass, Escaping escaping) {
  if (!json.is_object()) {
    ThrowInvalid(path + ": the view must be a JSON object");
  }
  const mu::data data = ToData(json, check_pass);
  if (escaping == Escaping::kNone) {
    tmpl.set_custom_escape([](const std::string& s) { return s; });
  } else if (escaping == Escaping::kMarkdown) {
    tmpl.set_custom_escape(EscapeMarkdown);
  } else {
    tmpl.set_custom_escape(mu::html_escape<std::string>);
  }
  StrictContext context(&data, json, tags, path, check_pass);
  std::string out = tmpl.render(context);
  if (!tmpl.is_valid()) {
    ThrowInvalid(OneLine(path + ": " + tmpl.error_message()));
  }
  return out;
}

// What the check pass of a shape depends on: its names, the kinds of their
// values, and booleans (which decide whether a section is walked); not the
// text of its strings, which differs with the data a shape was made from.
void AppendShapeKey(const nlohmann::json& j, std::string& out) {
  switch (j.type()) {
    case nlohmann::json::value_t::object:
      out += '{';
      for (const auto& [key, value] : j.items()) {
        out += key;
        out += ':';
        AppendShapeKey(value, out);
      }
      out += '}';
      break;
    case nlohmann::json::value_t::array:
      out += '[';
      for (const auto& item : j) AppendShapeKey(item, out);
      out += ']';
      break;
    case nlohmann::json::value_t::boolean:
      out += j.get<bool>() ? 't' : 'f';
      break;
    case nlohmann::json::value_t::null:
      out += '0';
      break;
    case nlohmann::json::value_t::string:
      out += 's';
      break;
    default:
      out += 'n';
  }
}

std::string ShapeKey(const nlohmann::json& shape) {
  std::string key;
  AppendShapeKey(shape, key);
  return key;
}

// A template scanned, marked and parsed once per thread, so rendering the
// same pages and publications again costs a render, not a parse; and the
// view shapes its names were already checked against.
struct Prepared {
  std::string marked;
  std::vector<Tag> tags;  // Of `marked`, with the original's lines.
  std::unique_ptr<mu::mustache> checker;
  std::unique_ptr<mu::mustache> renderer;
  std::set<std::string> checked_shapes;  // By ShapeKey.
  std::set<std::string> checked_views;   // By ShapeKey of the view itself.
};

std::unique_ptr<Prepared> Prepare(const std::string& template_text,
                                  const std::string& display_path) {
  const std::vector<Tag> tags = ScanTags(template_text, display_path);
  auto p = std::make_unique<Prepared>();
  p->marked = MarkStandaloneLines(template_text, tags);
  // Same tags in the same order, at new positions; lines from the original.
  p->tags = ScanTags(p->marked, display_path);
  if (p->tags.size() != tags.size()) {
    throw Error(ErrorKind::kInternal,
                display_path + ": marking standalone lines changed its tags");
  }
  for (std::size_t i = 0; i < tags.size(); ++i) p->tags[i].line = tags[i].line;
  p->checker = Parse(p->marked, display_path, p->tags, true);
  p->renderer = Parse(p->marked, display_path, p->tags, false);
  return p;
}

// The thread's prepared templates, by path and text. Bounded: templates of
// one's own (a fuzzer's, an editor's drafts) come and go.
class PreparedCache {
 public:
  Prepared& Get(const std::string& text, const std::string& path) {
    std::string key = path + '\0' + text;
    auto it = entries_.find(key);
    if (it != entries_.end()) return *it->second;
    std::unique_ptr<Prepared> p = Prepare(text, path);
    if (entries_.size() >= kMaxEntries) entries_.clear();
    return *entries_.emplace(std::move(key), std::move(p)).first->second;
  }
  // After a failed render: kainjow keeps the error in the parsed template.
  void Forget(const std::string& text, const std::string& path) {
    entries_.erase(path + '\0' + text);
  }

 private:
  static constexpr std::size_t kMaxEntries = 64;
  std::map<std::string, std::unique_ptr<Prepared>> entries_;
};

PreparedCache& ThreadCache() {
  thread_local PreparedCache cache;
  return cache;
}

void MergeShape(const nlohmann::json& from, nlohmann::json& into) {
  if (from.is_object()) {
    if (!into.is_object()) into = nlohmann::json::object();
    for (const auto& [key, value] : from.items()) {
      MergeShape(value, into[key]);
    }
  } else if (from.is_array()) {
    if (!into.is_array() || into.empty()) {
      into = nlohmann::json::array({nullptr});
    }
    for (const auto& item : from) MergeShape(item, into[0]);
    if (from.empty() && into[0].is_null()) into = nlohmann::json::array();
  } else if (from.is_boolean() || from.is_null()) {
    if (into.is_null()) into = true;
  } else if (into.is_null() || into.is_boolean()) {
    into = from.is_string() ? from : nlohmann::json(from.dump());
  }
}

// Renders a prepared template: first against the shape, so names are
// checked whatever the data (once per kind of shape); then for real, still
// strict in case the data lacks a name the shape has.
std::string RenderPrepared(Prepared& p, const std::string& display_path,
                           const nlohmann::json& view, Escaping escaping,
                           const nlohmann::json& shape) {
  // A view laid out like one already checked has the same shape: its key
  // (names and kinds, every list item) is cheaper than merging a shape.
  std::string view_key = shape.is_null() ? ShapeKey(view) : std::string();
  if (view_key.empty() || p.checked_views.count(view_key) == 0) {
    nlohmann::json made;
    const nlohmann::json& checked =
        shape.is_null() ? (made = ViewShape(view)) : shape;
    std::string key = ShapeKey(checked);
    if (p.checked_shapes.count(key) == 0) {
      RenderWith(*p.checker, display_path, p.tags, checked, true, escaping);
      // Shapes made from the data vary with it; keep the sets small.
      if (p.checked_shapes.size() >= 16) p.checked_shapes.clear();
      p.checked_shapes.insert(std::move(key));
    }
    if (!view_key.empty()) {
      if (p.checked_views.size() >= 16) p.checked_views.clear();
      p.checked_views.insert(std::move(view_key));
    }
  }
  return RemoveMarkerLines(
      RenderWith(*p.renderer, display_path, p.tags, view, false, escaping));
}

}  // namespace

std::string TemplateDisplayPath(const TemplateOptions& options,
                                const std::string& relative_name) {
  if (!options.dir.empty()) {
    fs::path p = fs::path(options.dir) / relative_name;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  return "templates/" + relative_name;
}

std::string LoadTemplateText(const TemplateOptions& options,
                             const std::string& relative_name) {
  if (!options.dir.empty()) {
    CheckTemplateDir(options.dir);
    fs::path p = fs::path(options.dir) / relative_name;
    if (DiskFileSystem().Exists(p.string())) {
      return DiskFileSystem().ReadFile(p.string());
    }
  }
  std::optional<std::string> text = BuiltInText(relative_name);
  if (!text) {
    std::string where =
        options.dir.empty() ? "" : "not in " + options.dir + " and ";
    ThrowInvalid(OneLine("templates/" + relative_name + ": no such template (" +
                         where + "not built in)"));
  }
  return *text;
}

std::string RenderTemplateText(const std::string& template_text,
                               const std::string& display_path,
                               const nlohmann::json& view, Escaping escaping,
                               const nlohmann::json& shape) {
  return RenderPrepared(*Prepare(template_text, display_path), display_path,
                        view, escaping, shape);
}

std::string RenderTemplate(const TemplateOptions& options,
                           const std::string& relative_name,
                           const nlohmann::json& view, Escaping escaping,
                           const nlohmann::json& shape) {
  const std::string text = LoadTemplateText(options, relative_name);
  const std::string path = TemplateDisplayPath(options, relative_name);
  PreparedCache& cache = ThreadCache();
  try {
    return RenderPrepared(cache.Get(text, path), path, view, escaping, shape);
  } catch (...) {
    cache.Forget(text, path);
    throw;
  }
}

nlohmann::json ViewShape(const nlohmann::json& view) {
  nlohmann::json shape;
  MergeShape(view, shape);
  return shape;
}

std::vector<std::string> BuiltInTemplateNames() {
  std::vector<std::string> names;
  for (std::size_t i = 0; i < internal::kEmbeddedTemplateCount; ++i) {
    if (internal::kEmbeddedTemplates[i].name != nullptr) {
      names.push_back(internal::kEmbeddedTemplates[i].name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace focus
