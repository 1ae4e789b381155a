// Editable Mustache templates (kainjow mustache) for newsletters, reports and
// web pages, rendered strictly.
//
// Every file under templates/ is compiled into the engine, so `focus` works
// from any folder; an editor may copy templates into a folder of their own,
// change the wording and pass it as TemplateOptions::dir.
//
// Strict rendering: a tag naming something the view does not provide is an
// error "<template>:<line>: unknown name '<name>' ...", never a silent blank.
// Before rendering with the real data, the template is checked against the
// view's *shape* (every list with one example item, every yes/no true, and
// inverted sections walked too), so a bad name inside a section that happens
// to be empty for this data is caught all the same.
//
// Conventions for views (nlohmann::json objects):
//   - text and numbers are printed by {{name}}; numbers as JSON prints them;
//   - true/false, lists and objects drive sections ({{#x}}...{{/x}} and
//     {{^x}}...{{/x}}); printing one of them with {{x}} is an error;
//   - a section over text shows when the name is present (even "");
//   - null behaves as false;
//   - every item of a list has every name its template uses (give null or
//     false for "none"): a name missing from one item is an error too.
// Templates may not change delimiters ({{=<% %>=}}) or use partials ({{>x}}).
#ifndef FOCUS_TEMPLATES_H_
#define FOCUS_TEMPLATES_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace focus {

struct TemplateOptions {
  // A folder of templates an editor copied and changed ("" = built-in only).
  // A file there overrides the built-in template of the same relative name.
  std::string dir;
};

enum class Escaping {
  kHtml,  // Every {{name}} is HTML-escaped (& < > " '); {{{name}}} is not.
  kNone,  // Plain text, CSS, JavaScript: values as they are.
  // Markdown: a backslash before each of \ ` * _ [ ] < > | so text from
  // tickets cannot become emphasis, links or raw HTML when the draft is
  // converted; the characters still read as themselves.
  kMarkdown,
};

// The text of templates/<relative_name> (e.g. "newsletter.html.mustache",
// "pages/board.html.mustache", "pages/static/site.css"): from options.dir if
// it has that file, else built in. Throws Error(kInvalidInput) naming the
// file if missing (or if options.dir is not a folder).
std::string LoadTemplateText(const TemplateOptions& options,
                             const std::string& relative_name);

// Where LoadTemplateText finds `relative_name`, as shown in error messages:
// "<dir>/<relative_name>" for an override, else "templates/<relative_name>".
std::string TemplateDisplayPath(const TemplateOptions& options,
                                const std::string& relative_name);

// Renders template `relative_name` with `view`. A template that refers to a
// name the view does not provide throws Error(kInvalidInput) with
// "<template path>:<line>: unknown name '<name>' ..." -- never a silent
// blank. A template that does not parse (e.g. an unclosed section) throws
// Error(kInvalidInput) "<template path>:<line>: ...".
//
// `shape` is the view's shape for the data-independent check (see
// ViewShape); null = ViewShape(view), in which case names inside a list
// that is empty in `view` cannot be checked (no example item) and are only
// checked when the list has items. Builders that know their view's shape
// should pass it.
std::string RenderTemplate(const TemplateOptions& options,
                           const std::string& relative_name,
                           const nlohmann::json& view, Escaping escaping,
                           const nlohmann::json& shape = nullptr);

// The same for template text given directly; `display_path` names it in
// errors.
std::string RenderTemplateText(const std::string& template_text,
                               const std::string& display_path,
                               const nlohmann::json& view, Escaping escaping,
                               const nlohmann::json& shape = nullptr);

// The shape of `view` for checking templates: objects keep their keys
// (values replaced by their shapes), each non-empty list becomes a list of
// one item that merges the keys of all its items, true/false become true,
// and an empty list becomes a list of one "unknown" item (names under it
// are not checked). Builders that know their shape can instead build a view
// from example data where every list has one item.
nlohmann::json ViewShape(const nlohmann::json& view);

// Relative names of every built-in template, sorted ("newsletter.md.mustache",
// "pages/static/site.css", ...).
std::vector<std::string> BuiltInTemplateNames();

}  // namespace focus

#endif  // FOCUS_TEMPLATES_H_
