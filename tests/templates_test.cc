// Tests for strict template rendering: unknown names (also inside sections
// that are empty for the data), parse errors by line, HTML escaping of
// hostile text, text used as a section and vice versa, the override folder
// and the built-in templates.
#include "focus/templates.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "focus/error.h"
#include "temp_dir.h"
#include "test_util.h"

namespace focus {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Render(const std::string& text, const json& view,
                   Escaping escaping = Escaping::kNone,
                   const json& shape = nullptr) {
  return RenderTemplateText(text, "t.mustache", view, escaping, shape);
}

std::string RenderError(const std::string& text, const json& view,
                        const json& shape = nullptr) {
  return ErrorText([&] { Render(text, view, Escaping::kNone, shape); });
}

TEST(RenderTemplateText, RendersTextListsAndSections) {
  json view = {{"title", "News"},
               {"count", 3},
               {"items", {{{"name", "a"}}, {{"name", "b"}}}},
               {"empty", json::array()},
               {"flag", false}};
  EXPECT_EQ(Render("{{title}} ({{count}}):{{#items}} {{name}}{{/items}}\n"
                   "{{^empty}}none{{/empty}}{{#flag}}X{{/flag}}\n",
                   view),
            "News (3): a b\nnone\n");
}

struct UnknownCase {
  const char* label;
  const char* text;
  const char* view;
  const char* error;
};
void PrintTo(const UnknownCase& c, std::ostream* os) { *os << c.label; }

class UnknownNameTest : public ::testing::TestWithParam<UnknownCase> {};

TEST_P(UnknownNameTest, NamesTemplateLineAndName) {
  const UnknownCase& c = GetParam();
  EXPECT_EQ(RenderError(c.text, json::parse(c.view)), c.error);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UnknownNameTest,
    ::testing::Values(
        UnknownCase{
            "top level", "Hello\n\n{{titel}}\n", R"({"title": "x"})",
            "t.mustache:3: unknown name 'titel' (did you mean 'title'?); "
            "names here: title (see docs/templates.md)"},
        UnknownCase{"in a list with items", "{{#items}}\n{{nmae}}\n{{/items}}",
                    R"({"items": [{"name": "a"}]})",
                    "t.mustache:2: unknown name 'nmae' (did you mean 'name'?); "
                    "names here: name (see docs/templates.md)"},
        UnknownCase{"inverted section", "{{^items}}{{nothing}}{{/items}}",
                    R"({"items": [{"name": "a"}]})",
                    "t.mustache:1: unknown name 'nothing'; names here: items "
                    "(see docs/templates.md)"},
        UnknownCase{"false section", "x\n{{#flag}}\n  {{missing}}\n{{/flag}}",
                    R"({"flag": false})",
                    "t.mustache:3: unknown name 'missing'; names here: flag "
                    "(see docs/templates.md)"},
        UnknownCase{"unknown section", "{{#sections}}x{{/sections}}", R"({})",
                    "t.mustache:1: unknown name 'sections' (see "
                    "docs/templates.md)"},
        UnknownCase{"unescaped", "a {{{raw}}} {{&raw2}}", R"({"raw": "r"})",
                    "t.mustache:1: unknown name 'raw2' (did you mean 'raw'?); "
                    "names here: raw (see docs/templates.md)"},
        UnknownCase{"dotted", "{{forum.date}}", R"({"forum": {"day": "1"}})",
                    "t.mustache:1: unknown name 'forum.date'; names here: "
                    "forum (see docs/templates.md)"}),
    [](const auto& info) {
      std::string name = info.param.label;
      for (char& c : name) {
        if (!isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return name;
    });

TEST(RenderTemplateText, UnknownNameInsideSectionEmptyForThisDataIsCaught) {
  // The newsletter's answered list is empty this quarter; the shape (one
  // example item) still has the item's names, so a typo is caught now and
  // not in the quarter where something is answered.
  json view = {{"answered", json::array()}};
  json shape = {{"answered", {{{"title", ""}, {"answer", ""}}}}};
  EXPECT_EQ(RenderError("Answered:\n{{#answered}}\n- {{title}}: {{answr}}\n"
                        "{{/answered}}\n",
                        view, shape),
            "t.mustache:3: unknown name 'answr' (did you mean 'answer'?); "
            "names here: answer, title (see docs/templates.md)");
  // The correct name renders (nothing, the list being empty).
  EXPECT_EQ(Render("Answered:\n{{#answered}}\n- {{title}}: {{answer}}\n"
                   "{{/answered}}\n",
                   view, Escaping::kNone, shape),
            "Answered:\n");
}

TEST(RenderTemplateText, EveryItemMustHaveEveryName) {
  // The check passes (the shape merges all items), but the real data lacks
  // 'b' in the first item: still an error, never a blank. Absent values are
  // given as null (false) instead.
  json view = {{"items", {{{"a", "1"}}, {{"a", "2"}, {"b", "x"}}}}};
  EXPECT_EQ(RenderError("{{#items}}{{a}}{{#b}}+{{b}}{{/b}};{{/items}}", view),
            "t.mustache:1: unknown name 'b'; names here: a (see "
            "docs/templates.md)");
  view["items"][0]["b"] = nullptr;
  EXPECT_EQ(Render("{{#items}}{{a}}{{#b}}+{{b}}{{/b}};{{/items}}", view),
            "1;2+x;");
}

TEST(RenderTemplateText, StandaloneSectionLinesNeverPrint) {
  const std::string text =
      "# Title\n"
      "{{! a comment line }}\n"
      "\n"
      "  {{#items}}\n"
      "- {{name}}\n"
      "  {{/items}}\n"
      "{{^items}}\n"
      "Nothing yet.\n"
      "{{/items}}\n"
      "\n"
      "## Next\n"
      "{{#flag}}\n"
      "flagged\n"
      "{{/flag}}\n"
      "End\n";
  json two = {{"items", {{{"name", "a"}}, {{"name", "b"}}}}, {"flag", false}};
  EXPECT_EQ(Render(text, two), "# Title\n\n- a\n- b\n\n## Next\nEnd\n");
  json none = {{"items", json::array()}, {"flag", true}};
  EXPECT_EQ(Render(text, none),
            "# Title\n\nNothing yet.\n\n## Next\nflagged\nEnd\n");
}

TEST(RenderTemplateText, NamesUnderAListEmptyInViewWithoutShapeAreUnchecked) {
  // Documented limitation when no shape is given: nothing to check against.
  json view = {{"items", json::array()}};
  EXPECT_EQ(Render("[{{#items}}{{anything}}{{/items}}]", view), "[]");
}

TEST(RenderTemplateText, InvertedSectionValueIsNotAScope) {
  // Inside {{^items}} there is no item, so an item's name is unknown there.
  json view = {{"items", json::array()}};
  json shape = {{"items", {{{"name", ""}}}}};
  EXPECT_EQ(RenderError("{{^items}}{{name}}{{/items}}", view, shape),
            "t.mustache:1: unknown name 'name'; names here: items (see "
            "docs/templates.md)");
}

TEST(RenderTemplateText, TypeMistakesAreErrors) {
  EXPECT_EQ(RenderError("{{items}}", json{{"items", json::array()}}),
            "t.mustache:1: 'items' is a list, not text: use it as a section "
            "('{{#items}}' ... '{{/items}}')");
  EXPECT_EQ(RenderError("\n{{flag}}", json{{"flag", true}}),
            "t.mustache:2: 'flag' is a yes/no value, not text: use it as a "
            "section ('{{#flag}}' ... '{{/flag}}')");
}

struct ParseCase {
  const char* label;
  const char* text;
  const char* error;
};
void PrintTo(const ParseCase& c, std::ostream* os) { *os << c.label; }

class ParseErrorTest : public ::testing::TestWithParam<ParseCase> {};

TEST_P(ParseErrorTest, NamesLine) {
  const ParseCase& c = GetParam();
  EXPECT_EQ(RenderError(c.text, json{{"a", true}, {"b", true}}), c.error);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ParseErrorTest,
    ::testing::Values(
        ParseCase{"unclosed_section", "one\n{{#a}}\nthree\n",
                  "t.mustache:2: section 'a' is never closed (no '{{/a}}')"},
        ParseCase{"wrong_close", "{{#a}}\n{{#b}}\n{{/a}}\n",
                  "t.mustache:3: '{{/a}}' does not close section 'b' opened "
                  "on line 2 (expected '{{/b}}')"},
        ParseCase{"unopened", "x\n{{/a}}",
                  "t.mustache:2: '{{/a}}' closes a section that was never "
                  "opened"},
        ParseCase{"unclosed_tag", "x\ny {{a\n",
                  "t.mustache:2: tag '{{' is never closed (no '}}')"},
        ParseCase{"delimiters", "{{=<% %>=}}",
                  "t.mustache:1: changing delimiters ('{{=' ... '=}}') is not "
                  "supported"},
        ParseCase{"partial", "\n\n{{> footer}}",
                  "t.mustache:3: partials ('{{>footer}}') are not "
                  "supported"},
        // Quoted tags keep the message one line (found by template_fuzz).
        ParseCase{"partial_with_line_break", "{{>late%%\n{{#we_dheader}}",
                  "t.mustache:1: partials ('{{>late%%\\n{{#we_dheader}}') "
                  "are not supported"},
        ParseCase{"section_with_control_characters",
                  "x\n{{#a\r\n\x01"
                  "b}}",
                  "t.mustache:2: section 'a\\r\\n\\x01b' is never closed "
                  "(no '{{/a\\r\\n\\x01b}}')"}),
    [](const auto& info) { return std::string(info.param.label); });

TEST(RenderTemplateText, HtmlEscapesHostileText) {
  json view = {{"title", "<script>alert(\"x\")</script> & 'q'"}};
  EXPECT_EQ(
      Render("<p title=\"{{title}}\">{{title}}</p>", view, Escaping::kHtml),
      "<p title=\"&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; "
      "&amp; &apos;q&apos;\">&lt;script&gt;alert(&quot;x&quot;)&lt;/"
      "script&gt; &amp; &apos;q&apos;</p>");
  // Text output is left alone.
  EXPECT_EQ(Render("{{title}}", view, Escaping::kNone),
            "<script>alert(\"x\")</script> & 'q'");
}

TEST(RenderTemplateText, HtmlEscapesInsideListsToo) {
  json view = {{"items", {{{"t", "<b>"}}}}};
  EXPECT_EQ(Render("{{#items}}<li>{{t}}</li>{{/items}}", view, Escaping::kHtml),
            "<li>&lt;b&gt;</li>");
}

class TemplateDirTest : public ::testing::Test {
 protected:
  void Write(const std::string& name, const std::string& text) {
    fs::create_directories((fs::path(dir_) / name).parent_path());
    std::ofstream(fs::path(dir_) / name) << text;
  }
  TempDir temp_;
  const std::string dir_ = temp_.path();
};

TEST_F(TemplateDirTest, OverrideWinsOverBuiltIn) {
  ASSERT_FALSE(BuiltInTemplateNames().empty());
  const std::string name = "newsletter.md.mustache";
  std::string built_in = LoadTemplateText({}, name);
  EXPECT_NE(built_in.find("{{"), std::string::npos);
  Write(name, "Our own {{quarter_name}}\n");
  TemplateOptions options{dir_};
  EXPECT_EQ(LoadTemplateText(options, name), "Our own {{quarter_name}}\n");
  EXPECT_EQ(TemplateDisplayPath(options, name), dir_ + "/" + name);
  EXPECT_EQ(RenderTemplate(options, name, json{{"quarter_name", "Q2"}},
                           Escaping::kNone),
            "Our own Q2\n");
  // Files the folder does not have still come built in.
  EXPECT_EQ(LoadTemplateText(options, "newsletter.html.mustache"),
            LoadTemplateText({}, "newsletter.html.mustache"));
  EXPECT_EQ(TemplateDisplayPath(options, "newsletter.html.mustache"),
            "templates/newsletter.html.mustache");
}

TEST_F(TemplateDirTest, ErrorsNameTheOverrideFile) {
  Write("newsletter.md.mustache", "line one\n{{nope}}\n");
  EXPECT_EQ(ErrorText([&] {
              RenderTemplate({dir_}, "newsletter.md.mustache",
                             json{{"yes", "1"}}, Escaping::kNone);
            }),
            dir_ +
                "/newsletter.md.mustache:2: unknown name 'nope'; names here: "
                "yes (see docs/templates.md)");
}

// RenderTemplate keeps each template parsed, and the kinds of view its
// names were checked against: a render must never depend on what was
// rendered before it.
TEST_F(TemplateDirTest, RenderingAgainDependsOnlyOnTheTemplateAndTheView) {
  const std::string name = "newsletter.md.mustache";
  Write(name, "{{#items}}{{name}} {{/items}}{{^items}}none{{/items}}\n");
  auto render = [&](const json& view) {
    return RenderTemplate({dir_}, name, view, Escaping::kNone);
  };
  const json ab = {{"items", {{{"name", "a"}}, {{"name", "b"}}}}};
  EXPECT_EQ(render(ab), "a b \n");
  // Laid out like `ab`, so not checked again, but rendered with its own data.
  EXPECT_EQ(render({{"items", {{{"name", "x"}}, {{"name", "y"}}}}}), "x y \n");
  EXPECT_EQ(render({{"items", {{{"name", "c"}}}}}), "c \n");
  EXPECT_EQ(render({{"items", json::array()}}), "none\n");
  // Another kind of view is checked again, however often the template ran.
  const std::string misspelt = ErrorText([&] {
    render({{"items", {{{"nam", "x"}}}}});
  });
  EXPECT_EQ(misspelt.rfind(dir_ + "/" + name + ":1: unknown name 'name'", 0),
            0u)
      << misspelt;
  EXPECT_EQ(render(ab), "a b \n");  // A failed render spoils nothing.
  Write(name, "{{#items}}[{{name}}]{{/items}}\n");
  EXPECT_EQ(render(ab), "[a][b]\n");  // The file as it is now.
}

TEST_F(TemplateDirTest, MissingTemplate) {
  EXPECT_EQ(ErrorText([&] { LoadTemplateText({}, "nope.mustache"); }),
            "templates/nope.mustache: no such template (not built in)");
  EXPECT_EQ(ErrorText([&] { LoadTemplateText({dir_}, "nope.mustache"); }),
            "templates/nope.mustache: no such template (not in " + dir_ +
                " and not built in)");
  EXPECT_EQ(
      ErrorText([&] { LoadTemplateText({dir_ + "/x"}, "nope.mustache"); }),
      "templates folder '" + dir_ + "/x' does not exist or is not a folder");
}

TEST(BuiltInTemplates, AreAllEmbeddedByteForByte) {
  // Every file under templates/ is compiled in, unchanged.
  for (const auto& entry :
       fs::recursive_directory_iterator(FOCUS_SOURCE_DIR "/templates")) {
    if (!entry.is_regular_file()) continue;
    std::string name = fs::relative(entry.path(), FOCUS_SOURCE_DIR "/templates")
                           .generic_string();
    if (entry.path().filename().string()[0] == '.') continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)),
                     std::istreambuf_iterator<char>());
    EXPECT_EQ(LoadTemplateText({}, name), text) << name;
  }
}

TEST(ViewShape, MergesItemsAndKeepsEmptyLists) {
  json view = {{"a", {{{"x", 1}}, {{"y", false}}}},
               {"e", json::array()},
               {"s", "t"},
               {"n", nullptr}};
  EXPECT_EQ(ViewShape(view), json::parse(R"({"a": [{"x": "1", "y": true}],
      "e": [], "s": "t", "n": true})"));
}

struct UnknownTemplateFile {
  const char* file;
  // The message up to the list of templates, after "<dir>/".
  const char* error;
};

class UnknownTemplateFileTest
    : public TemplateDirTest,
      public testing::WithParamInterface<UnknownTemplateFile> {};

TEST_P(UnknownTemplateFileTest, IsRefusedNamingTheFileAndTheClosestName) {
  Write("newsletter.md.mustache", "Our own\n");
  Write(GetParam().file, "{{title}}\n");
  const std::string message = ErrorText([&] {
    RenderTemplate({dir_}, "newsletter.md.mustache", json::object(),
                   Escaping::kNone);
  });
  EXPECT_EQ(message.substr(0, message.find("; templates: ")),
            dir_ + "/" + GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, UnknownTemplateFileTest,
    testing::Values(
        UnknownTemplateFile{"newsleter.md.mustache",
                            "newsleter.md.mustache: not a template focus "
                            "knows (did you mean 'newsletter.md.mustache'?)"},
        UnknownTemplateFile{
            "pages/bord.html.mustache",
            "pages/bord.html.mustache: not a template focus "
            "knows (did you mean 'pages/board.html.mustache'?)"},
        UnknownTemplateFile{"board.html.mustache",
                            "board.html.mustache: not a template focus knows"},
        UnknownTemplateFile{"drafts/newsletter.md.mustache",
                            "drafts/newsletter.md.mustache: not a template "
                            "focus knows"}));

TEST_F(TemplateDirTest, UnknownTemplateFileListsEveryTemplate) {
  Write("report-montly.md.mustache", "x\n");
  EXPECT_EQ(
      ErrorText(
          [&] { LoadTemplateText({dir_}, "report-monthly.md.mustache"); }),
      dir_ +
          "/report-montly.md.mustache: not a template focus knows (did you "
          "mean 'report-monthly.md.mustache'?); templates: "
          "newsletter-easy-read.html.mustache, "
          "newsletter-easy-read.md.mustache, "
          "newsletter-easy-read.txt.mustache, newsletter.html.mustache, "
          "newsletter.md.mustache, newsletter.txt.mustache, "
          "notify-digest.html.mustache, notify-digest.txt.mustache, "
          "pages/answers.html.mustache, pages/board.html.mustache, "
          "pages/error.html.mustache, pages/home.html.mustache, "
          "pages/layout.html.mustache, pages/login.html.mustache, "
          "pages/ticket.html.mustache, "
          "report-development-group.html.mustache, "
          "report-development-group.md.mustache, "
          "report-monthly.html.mustache, report-monthly.md.mustache (see "
          "docs/templates.md)");
}

TEST_F(TemplateDirTest, FilesThatAreNotTemplatesAreLeftAlone) {
  // Notes, extra files for the server's /static/, editors' lock files and
  // dot-folders are not templates that could be misspelt.
  Write("README.md", "Our wording for 2027\n");
  Write("pages/static/extra.js", "// ours\n");
  Write(".#newsletter.md.mustache", "lock\n");
  Write(".git/newsleter.md.mustache", "old\n");
  Write("newsletter.md.mustache", "Our own\n");
  EXPECT_EQ(LoadTemplateText({dir_}, "newsletter.md.mustache"), "Our own\n");
  EXPECT_EQ(LoadTemplateText({dir_}, "pages/static/extra.js"), "// ours\n");
}

}  // namespace
}  // namespace focus
