// Fuzzes template rendering (focus/templates.h) with hostile ticket text:
// the input becomes the title, details, answer, decline reason, vote note,
// forum title and apologies of real tickets on a real board (a temporary
// database), and every built-in publication and web page is rendered from
// it: the newsletter, the monthly report and the Development Group pack
// (Markdown, HTML and plain text), and the board, ticket, answers, sign-in
// and error pages.
//
// Input: TEXT, optionally followed by "\n%%template%%\n" and TEMPLATE, a
// template of the fuzzer's own rendered against the newsletter's view (an
// input with a template renders only that: the built-in outputs are what
// inputs without one are for, and rendering all of them would make every
// input many times slower).
//
// Oracles, beyond "no crash": every error is an Error(kInvalidInput) with a
// one-line message; a template error names the template and a line in it
// ("fuzz.mustache:3: ..."). Escaping is checked exactly: each text is stored
// between two markers (kOpen ... kShut), and in every output each piece
// between the markers must be one of the stored texts escaped the way the
// output's format escapes (HTML: & < > " '; Markdown: a backslash before
// \ ` * _ [ ] < > |; plain text: as is). A template that printed a ticket's
// text unescaped, cut it short or mangled it fails the check.
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "../../engine/web/web_views.h"  // The server's page views.
#include "focus/accounts.h"
#include "focus/board.h"
#include "focus/clock.h"
#include "focus/config.h"
#include "focus/error.h"
#include "focus/local_time.h"
#include "focus/newsletter.h"
#include "focus/plan.h"
#include "focus/report.h"
#include "focus/screening.h"
#include "focus/store.h"
#include "focus/templates.h"
#include "fuzz_check.h"
#include "scratch_board.h"

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

constexpr char kOpen[] = "QzqA";
constexpr char kShut[] = "QzqB";
constexpr char kMarkerStem[] = "Qzq";
constexpr char kTemplateSeparator[] = "\n%%template%%\n";
constexpr char kTemplatePath[] = "fuzz.mustache";
constexpr char kActor[] = "fuzzer";

std::string Marked(const std::string& s) { return kOpen + s + kShut; }

std::string HtmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string MarkdownEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (std::string_view("\\`*_[]<>|").find(c) != std::string_view::npos) {
      out += '\\';
    }
    out += c;
  }
  return out;
}

// The first `max` code points of valid UTF-8 `s`; invalid text as it is
// (the board must refuse it).
std::string Clip(const std::string& s, size_t max) {
  if (!focus::IsValidUtf8(s, nullptr)) return s;
  size_t points = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (points == max) return s.substr(0, i);
      ++points;
    }
  }
  return s;
}

enum class Format { kHtml, kMarkdown, kText };

// Checks every kOpen...kShut piece of `out` against the stored texts.
// Returns how many pieces there were.
size_t CheckPieces(const std::string& name, const std::string& out,
                   Format format, const std::set<std::string>& stored) {
  std::set<std::string> allowed;
  for (std::string s : stored) {
    // The renderer's standalone-line marker (U+001F) never comes from the
    // data: it is shown as a space (templates.cc, ToData).
    std::replace(s.begin(), s.end(), '\x1f', ' ');
    allowed.insert(format == Format::kHtml       ? HtmlEscape(s)
                   : format == Format::kMarkdown ? MarkdownEscape(s)
                                                 : s);
  }
  size_t pieces = 0;
  size_t at = 0;
  while ((at = out.find(kOpen, at)) != std::string::npos) {
    const size_t begin = at + sizeof(kOpen) - 1;
    const size_t end = out.find(kShut, begin);
    FUZZ_CHECK(
        end != std::string::npos,
        name + ": a stored text is cut short at byte " + std::to_string(at));
    const std::string piece = out.substr(begin, end - begin);
    FUZZ_CHECK(allowed.count(piece) == 1,
               name + ": text not escaped as stored: [" + piece + "]");
    ++pieces;
    at = end;
  }
  // The markers only come from stored texts: a stray closing marker means a
  // text was cut or reordered.
  size_t shut = 0;
  for (at = 0; (at = out.find(kShut, at)) != std::string::npos; ++at) ++shut;
  FUZZ_CHECK(shut == pieces, name + ": unpaired text markers");
  return pieces;
}

Format FormatOf(const std::string& name) {
  auto ends = [&](const char* suffix) {
    const std::string s = suffix;
    return name.size() >= s.size() &&
           name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  if (ends(".html")) return Format::kHtml;
  if (ends(".md")) return Format::kMarkdown;
  return Format::kText;
}

// Renders a page as the server does: the page, then the layout around it.
std::string RenderPage(const focus::Config& config, const std::string& page,
                       const std::string& title, const Json& view,
                       const focus::Account& account) {
  const focus::TemplateOptions builtin;
  Json layout = focus::web::LayoutView(config, title, "/board", account,
                                       "csrf-token-for-the-fuzzer");
  layout["body"] =
      focus::RenderTemplate(builtin, "pages/" + page + ".html.mustache", view,
                            focus::Escaping::kHtml);
  return focus::RenderTemplate(builtin, "pages/layout.html.mustache", layout,
                               focus::Escaping::kHtml);
}

struct State {
  focus::Config config;
  std::unique_ptr<focus::FixedClock> clock;
  std::unique_ptr<focus::Plan> plan;
  Json newsletter_shape;
  fs::path dir;
  std::unique_ptr<focus::fuzz::ScratchBoard> board;
  focus::Account coordinator;
};

State& Global() {
  static State* state = [] {
    auto* s = new State;
    s->config = focus::ParseConfig(focus::EmbeddedDefaultConfig(),
                                   "<built-in default configuration>");
    s->clock = std::make_unique<focus::FixedClock>(focus::Date(2027, 1, 20));
    s->plan = std::make_unique<focus::Plan>(focus::PlanYear(s->config, 2027));
    s->newsletter_shape = focus::NewsletterViewShape(s->config);
    s->coordinator.name = "jo";
    s->coordinator.role = focus::Role::kCoordinator;
    // Memory-backed when available: the store syncs every commit.
    const char* base = fs::is_directory("/dev/shm") ? "/dev/shm" : nullptr;
    fs::path root = base ? fs::path(base) : fs::temp_directory_path();
    s->dir = root / ("focus-template-fuzz-" + std::to_string(::getpid()));
    fs::create_directories(s->dir);
    s->board = std::make_unique<focus::fuzz::ScratchBoard>(
        s->dir / "board.db", s->config, *s->clock);
    std::atexit([] {
      Global().board.reset();
      fs::remove_all(Global().dir);
    });
    return s;
  }();
  return *state;
}

void On(focus::Date d) {
  Global().clock->Set(focus::LondonToUnix(d, focus::TimeOfDay{12 * 60}));
}

// The texts an input puts on the board: clipped as the board's fields are,
// and as typed (a form shows it unclipped).
struct Texts {
  std::string title;
  std::string long_text;
  std::string raw;
};

Texts TextsOf(const std::string& text) {
  return {Clip(text, 100), Clip(text, 1900), text};
}

// A board whose tickets carry `text` everywhere a ticket has text, in every
// state a publication shows. Throws what the board throws.
struct Tickets {
  std::set<std::string> stored;  // Every text stored (without markers).
  std::vector<int64_t> ids;
};

Tickets Fill(focus::Board& board, const Texts& texts) {
  Tickets out;
  const std::string& title = texts.title;
  const std::string& long_text = texts.long_text;
  out.stored = {title, long_text};

  On(focus::Date(2027, 1, 5));
  std::optional<int64_t> forum;
  try {
    // An ad hoc forum named by the text (screened without the override, so
    // text with an identifier leaves it out).
    focus::ForumRecord f;
    f.area = "east-surrey";
    f.held_on = focus::Date(2027, 1, 5);
    f.title = Marked(title);
    f.apologies = {Marked(title)};
    f.attendance.service_users = 1;
    forum = board.RecordForum(f, kActor);
  } catch (const focus::Error& e) {
    focus::fuzz::CheckEngineError(e, focus::ErrorKind::kInvalidInput);
  }

  auto add = [&](const char* theme) {
    focus::NewTicket t;
    t.title = Marked(title);
    t.details = Marked(long_text);
    t.area = "East Surrey";
    t.themes = {theme};
    t.team = "CMHRS East Surrey";
    t.forum_id = forum;
    t.allow_identifiers = true;
    const int64_t id = board.AddTicket(t, kActor);
    out.ids.push_back(id);
    return id;
  };
  const int64_t answered = add("communication");
  const int64_t declined = add("access");
  const int64_t doing = add("crisis care");
  const int64_t waiting = add("waiting times");
  board.AddVotes(waiting, 2, std::nullopt, Marked(long_text), kActor);
  board.AddVotes(answered, 1, forum, Marked(long_text), kActor);

  On(focus::Date(2027, 1, 12));
  for (int64_t id : {answered, declined, doing}) {
    board.Move(id, focus::TicketState::kSentToTrust, "", kActor);
  }
  board.Answer(answered, Marked(long_text), Marked(title), false, true, kActor);
  board.Answer(doing, Marked(long_text), Marked(title), true, true, kActor);
  board.Move(declined, focus::TicketState::kDeclined, Marked(long_text),
             kActor);
  On(focus::Date(2027, 1, 20));
  return out;
}

void CheckOutputs(const std::map<std::string, std::string>& files,
                  const std::set<std::string>& stored) {
  for (const auto& [name, content] : files) {
    if (name.size() > 4 && name.compare(name.size() - 4, 4, ".csv") == 0) {
      continue;  // CSV quoting is the CSV writer's, not a template's.
    }
    CheckPieces(name, content, FormatOf(name), stored);
  }
}

// The fuzzer's own template: renders or fails cleanly, naming a line.
void RenderOwnTemplate(const std::string& text, const Json& view,
                       const std::set<std::string>& stored) {
  std::string out;
  try {
    out = focus::RenderTemplateText(text, kTemplatePath, view,
                                    focus::Escaping::kHtml,
                                    Global().newsletter_shape);
  } catch (const focus::Error& e) {
    focus::fuzz::CheckEngineError(e, focus::ErrorKind::kInvalidInput);
    const std::string what = e.what();
    const std::string prefix = std::string(kTemplatePath) + ":";
    FUZZ_CHECK(what.rfind(prefix, 0) == 0,
               "template error does not name the template: " + what);
    size_t digits = prefix.size();
    while (digits < what.size() && what[digits] >= '0' && what[digits] <= '9') {
      ++digits;
    }
    FUZZ_CHECK(digits > prefix.size() && what[digits] == ':',
               "template error does not name a line: " + what);
    const long line = std::stol(what.substr(prefix.size()));
    long lines = 1;
    for (char c : text) lines += c == '\n';
    FUZZ_CHECK(line >= 1 && line <= lines,
               "template error names a line outside the template: " + what);
    return;
  }
  // {{{name}}} and {{&name}} print without escaping on purpose.
  if (text.find("{{{") == std::string::npos &&
      text.find("{{&") == std::string::npos) {
    CheckPieces(kTemplatePath, out, Format::kHtml, stored);
  }
}

// Every view the fuzzer renders, built from one board.
struct Views {
  Json newsletter;
  Json monthly;
  Json pack;
  Json board_page;
  std::vector<Json> ticket_pages;
  Json answers_page;
  Json login_page;
  Json error_page;
};

const focus::Date kToday(2027, 1, 20);
const focus::Quarter kQuarter{2027, 1};

Views BuildViews(State& s, focus::Board& board, const Tickets& tickets,
                 const Texts& texts) {
  Views v;
  v.newsletter =
      focus::BuildNewsletterView(s.config, board, *s.plan, kQuarter, kToday);
  v.monthly = focus::BuildMonthlyReportView(s.config, board,
                                            focus::Month{2027, 1}, kToday);
  v.pack = focus::BuildDevelopmentGroupView(s.config, board, *s.plan, kQuarter,
                                            kToday);
  const focus::HolidayCalendar holidays = s.config.MakeHolidayCalendar();
  focus::web::BoardForm form;
  form.values.title = Marked(texts.raw);
  form.values.details = Marked(texts.raw);
  form.values.area = Marked(texts.title);
  form.values.team = Marked(texts.title);
  form.values.themes = {Marked(texts.title)};
  form.error = {Marked(texts.long_text), "title", true};
  const std::vector<focus::Ticket> all = board.List(focus::TicketFilter{});
  v.board_page =
      focus::web::BoardView(s.config, holidays, all, kToday, s.coordinator,
                            form, Marked(texts.title), "token");
  for (int64_t id : tickets.ids) {
    v.ticket_pages.push_back(focus::web::TicketView(
        s.config, holidays, board.Get(id), board.History(id), kToday,
        s.coordinator, {Marked(texts.long_text), "text", true},
        Marked(texts.raw), Marked(texts.title), false, "token"));
  }
  std::vector<focus::Ticket> published;
  for (const focus::Ticket& t : all) {
    if (focus::web::IsPublished(t)) published.push_back(t);
  }
  FUZZ_CHECK(!published.empty(), "no ticket was published");
  v.answers_page =
      focus::web::AnswersView(s.config, published, published[0].id);
  v.login_page = focus::web::LoginView(Marked(texts.title), Marked(texts.raw),
                                       std::string(64, 'a'));
  v.error_page = focus::web::ErrorView(422, Marked(texts.raw));
  return v;
}

// Stand-ins the board stores once, where each input's texts go.
const Texts kHoles = {"holeTitle", "holeLong", "holeRaw"};

// Replaces every stand-in in `view` with the input's text, in place.
void Substitute(Json& view, const Texts& texts) {
  if (view.is_structured()) {
    for (Json& child : view) Substitute(child, texts);
    return;
  }
  if (!view.is_string()) return;
  std::string& s = view.get_ref<std::string&>();
  size_t at = s.find("hole");
  if (at == std::string::npos) return;
  const std::pair<const std::string*, const std::string*> holes[] = {
      {&kHoles.title, &texts.title},
      {&kHoles.long_text, &texts.long_text},
      {&kHoles.raw, &texts.raw}};
  std::string out = s.substr(0, at);
  while (at != std::string::npos) {
    size_t next = at + 1;
    bool replaced = false;
    for (auto [hole, text] : holes) {
      if (s.compare(at, hole->size(), *hole) == 0) {
        out += *text;
        next = at + hole->size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += s[at];
    at = s.find("hole", next);
    out.append(s, next, (at == std::string::npos ? s.size() : at) - next);
  }
  s = std::move(out);
}

// What one input renders: one of the publications or pages, picked by a
// hash of its text, with the views the input's text is in.
struct Input {
  State& s;
  const Texts& texts;
  const Views& views;
  std::function<Json(const Json&)> with_text;  // The view with the text in.
  std::set<std::string> stored;                // Texts on the board.
  std::set<std::string> with_raw;              // And as typed.
  uint32_t pick;  // What else to pick, for checks that pick.
};

void CheckNewsletter(const Input& in) {
  const auto drafts =
      focus::RenderNewsletter(in.s.config, in.with_text(in.views.newsletter));
  CheckOutputs(drafts, in.stored);
  FUZZ_CHECK(CheckPieces("newsletter.html", drafts.at("newsletter.html"),
                         Format::kHtml, in.stored) > 0,
             "the newsletter shows none of the tickets");
}

void CheckMonthlyReport(const Input& in) {
  CheckOutputs(
      focus::RenderMonthlyReport(in.s.config, in.with_text(in.views.monthly)),
      in.stored);
}

void CheckPack(const Input& in) {
  CheckOutputs(focus::RenderDevelopmentGroupReport(in.s.config,
                                                   in.with_text(in.views.pack)),
               in.stored);
}

void CheckBoardPage(const Input& in) {
  const Json view = in.with_text(in.views.board_page);
  CheckPieces("board page",
              RenderPage(in.s.config, "board", Marked(in.texts.title), view,
                         in.s.coordinator),
              Format::kHtml, in.with_raw);
}

void CheckTicketPages(const Input& in) {
  // One ticket (in one of the states) per input.
  const auto& pages = in.views.ticket_pages;
  CheckPieces(
      "ticket page",
      RenderPage(in.s.config, "ticket", "Ticket",
                 in.with_text(pages[in.pick % pages.size()]), in.s.coordinator),
      Format::kHtml, in.with_raw);
}

void CheckAnswersPage(const Input& in) {
  CheckPieces("answers page",
              RenderPage(in.s.config, "answers", "You said, we did",
                         in.with_text(in.views.answers_page), in.s.coordinator),
              Format::kHtml, in.stored);
}

void CheckLoginAndErrorPages(const Input& in) {
  CheckPieces("login page",
              RenderPage(in.s.config, "login", "Sign in",
                         in.with_text(in.views.login_page), in.s.coordinator),
              Format::kHtml, in.with_raw);
  CheckPieces("error page",
              RenderPage(in.s.config, "error", "Error",
                         in.with_text(in.views.error_page), in.s.coordinator),
              Format::kHtml, in.with_raw);
}

constexpr void (*kChecks[])(const Input&) = {
    CheckNewsletter,         CheckMonthlyReport, CheckPack,
    CheckBoardPage,          CheckTicketPages,   CheckAnswersPage,
    CheckLoginAndErrorPages,
};

// One input in this many fills the board with its own text, so the text
// goes through the board's writes and the view builders too; the others
// reuse views built once. A fill costs a dozen database writes, many times a
// render.
constexpr uint32_t kFillEvery = 128;

// Views from a board whose texts are the stand-ins, built once.
const Views& HoleViews() {
  static const Views* views = [] {
    State& s = Global();
    s.board->Reset();
    const Tickets tickets = Fill(s.board->board(), kHoles);
    return new Views(BuildViews(s, s.board->board(), tickets, kHoles));
  }();
  return *views;
}

// Whether the board would take `texts` as a ticket's title and details.
bool BoardAccepts(const State& s, const Texts& texts) {
  focus::ScreenOptions options;
  options.allow_identifiers = true;
  try {
    options.max_chars = s.config.board.max_title_chars;
    focus::ScreenText("title", texts.title, options);
    options.max_chars = s.config.board.max_text_chars;
    focus::ScreenText("details", texts.long_text, options);
  } catch (const focus::Error& e) {
    focus::fuzz::CheckEngineError(e, focus::ErrorKind::kInvalidInput);
    return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  State& s = Global();
  const Views& holes = HoleViews();
  const std::string input(reinterpret_cast<const char*>(data), size);
  // The markers must only come from stored texts.
  if (input.find(kMarkerStem) != std::string::npos) return 0;
  std::string text = input;
  std::optional<std::string> own_template;
  const size_t split = input.find(kTemplateSeparator);
  if (split != std::string::npos) {
    text = input.substr(0, split);
    own_template = input.substr(split + sizeof(kTemplateSeparator) - 1);
  }
  // FNV-1a: deterministic for an input, so a crash replays.
  uint32_t hash = 2166136261u;
  for (char c : text) hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
  const Texts texts = TextsOf(text);
  std::optional<Views> own;  // Views of a board filled with this text.
  std::set<std::string> stored = {texts.title, texts.long_text};
  if (hash % kFillEvery == 0) {
    s.board->Reset();
    try {
      const Tickets tickets = Fill(s.board->board(), texts);
      stored = tickets.stored;
      own = BuildViews(s, s.board->board(), tickets, texts);
    } catch (const focus::Error& e) {
      // Text the board refuses (not UTF-8, control characters, ...).
      focus::fuzz::CheckEngineError(e, focus::ErrorKind::kInvalidInput);
      return 0;
    }
  } else if (!BoardAccepts(s, texts)) {
    return 0;
  }
  std::set<std::string> with_raw = stored;
  with_raw.insert(text);
  const Input in{s, texts, own ? *own : holes,
                 [&](const Json& view) {
                   Json out = view;
                   if (!own) Substitute(out, texts);
                   return out;
                 },
                 stored, with_raw,
                 // High bits: the low ones pick the check below.
                 hash >> 20};
  if (own_template) {
    RenderOwnTemplate(*own_template, in.with_text(in.views.newsletter), stored);
    return 0;
  }
  kChecks[(hash / kFillEvery) % std::size(kChecks)](in);
  return 0;
}
