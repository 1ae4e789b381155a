#include "focus/trello.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <ctime>
#include <exception>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "focus/clock.h"
#include "focus/csv.h"
#include "focus/error.h"
#include "focus/screening.h"
#include "focus/text.h"
#include "trello_json.h"

namespace focus {
namespace {

using trello_internal::Child;
using trello_internal::ExportStream;
using trello_internal::Index;
using trello_internal::Json;
using trello_internal::JsonString;
using trello_internal::kMaxDepth;
using trello_internal::Outline;
using trello_internal::OutlineOf;
using trello_internal::ParseExport;
using trello_internal::ParseShared;
using trello_internal::ParseTrelloDate;
using trello_internal::Reader;
using trello_internal::Shared;
using trello_internal::Text;

// Output keeps Trello's field order so the export reads like a real one.
using OJson = nlohmann::ordered_json;

constexpr TicketState kAllStates[] = {
    TicketState::kRaised,     TicketState::kSentToTrust,
    TicketState::kInProgress, TicketState::kWaitingForForum,
    TicketState::kEscalated,  TicketState::kAnswered,
    TicketState::kClosed,     TicketState::kDeclined,
    TicketState::kMerged,
};

// --- The answer-comment convention -------------------------------------------
//
// Trello has no field for the Trust's answer, so facilitators write it as a
// comment. On a card past "raised", the LAST comment whose text starts
// (case-insensitively, after leading blanks) with "Trust answer:" or
// "Answer:" is the published answer: the text after the prefix, dated by the
// comment and answered by its author. On a declined card the last comment
// starting with "Declined:" is the published reason; without one, the answer
// comment is taken as the reason instead. Every comment also goes into the
// ticket's history. The export writes the same comments, so answers survive
// a round trip.
const std::initializer_list<const char*> kAnswerPrefixes = {"Trust answer:",
                                                            "Answer:"};
const std::initializer_list<const char*> kDeclinePrefixes = {"Declined:"};
constexpr char kAnswerPrefix[] = "Trust answer: ";
constexpr char kDeclinePrefix[] = "Declined: ";

// The export appends the published answer, decline reason or merge note to
// the card's description after a Markdown rule; the import strips that
// section again so the ticket's details round-trip unchanged.
constexpr char kRule[] = "---\n";
constexpr const char* kSectionHeads[] = {"**Trust answer", "**Declined",
                                         "**Merged into"};

// --- Small text helpers ------------------------------------------------------

bool EqualsIgnoreCase(const std::string& a, const std::string& b) {
  return a.size() == b.size() && LowerAscii(a) == LowerAscii(b);
}

std::string Quoted(const std::string& s) { return "\"" + s + "\""; }

// The text after a matching prefix, trimmed; nullopt if none matches.
std::optional<std::string> AfterPrefix(
    const std::string& text, std::initializer_list<const char*> prefixes) {
  const std::string body = Trim(text);
  for (const std::string prefix : prefixes) {
    if (body.size() >= prefix.size() &&
        EqualsIgnoreCase(body.substr(0, prefix.size()), prefix)) {
      return Trim(body.substr(prefix.size()));
    }
  }
  return std::nullopt;
}

// Removes the section the export appended to a description (see kRule).
std::string StripExportSection(const std::string& desc) {
  size_t cut = std::string::npos;
  for (const char* head : kSectionHeads) {
    const std::string at_start = std::string(kRule) + head;
    if (desc.compare(0, at_start.size(), at_start) == 0) return "";
    const size_t p = desc.find("\n\n" + at_start);
    if (p != std::string::npos) cut = std::min(cut, p);
  }
  return cut == std::string::npos ? desc : desc.substr(0, cut);
}

Date LondonDate(std::time_t t) { return FixedClock(t).Today(); }

// LondonDate, remembered per UTC hour: an export has tens of thousands of
// timestamps, and converting each through the time-zone rules cost more
// than reading it. Exact, because London's offset from UTC is a whole
// number of hours (GMT or BST) and changes only on the hour (01:00 UTC), so
// London's midnight always falls on a UTC hour boundary: every moment of a
// UTC hour is on the same London date.
class LondonDates {
 public:
  Date Of(std::time_t t) {
    const std::time_t hour = t / 3600 - (t % 3600 < 0 ? 1 : 0);  // Floor.
    auto it = by_hour_.find(hour);
    if (it == by_hour_.end()) it = by_hour_.emplace(hour, LondonDate(t)).first;
    return it->second;
  }

 private:
  std::unordered_map<std::time_t, Date> by_hour_;
};

bool IsHex(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
  });
}

// Trello ids are MongoDB ObjectIds: the first 8 hex digits are the creation
// time in Unix seconds.
std::optional<std::time_t> TrelloIdTime(const std::string& id) {
  if (id.size() != 24 || !IsHex(id)) return std::nullopt;
  return static_cast<std::time_t>(std::stoul(id.substr(0, 8), nullptr, 16));
}

// --- Import ------------------------------------------------------------------

// Where a focus export keeps what a Trello card has no field for (who raised
// the ticket, ...): the card's pluginData entry of this plugin id, whose
// value is a JSON object in a string, as Trello keeps app data.
constexpr char kFocusPlugin[] = "focus";

// The largest ticket or forum number focus's data may give.
constexpr int64_t kMaxFocusNumber = 999999999;

// The history field of what an imported card has that a ticket has no
// column for: a JSON object with the card's id, "closed", "due",
// "dueComplete", "labels" (those naming nothing configured) and
// "checklists" ({"name", "checkItems": [{"name", "state"}]}).
constexpr char kTrelloField[] = "trello";

// How an imported ticket's origin starts: the card's id follows.
constexpr char kOriginPrefix[] = "Trello card ";

// Plausible Trello ids were made from Trello's launch on.
constexpr std::time_t kTrelloLaunch = 1293840000;  // 2011-01-01T00:00:00Z.

struct ListIn {
  std::string path;  // "lists[2]"
  std::string name;
  int cards = 0;
  std::optional<TicketState> state;  // Resolved once every card is read.
  std::string how;                   // As TrelloImportPlan::List::how.
};

struct CommentIn {
  std::time_t at = 0;
  std::string author;
  std::string text;
  // Its index in the board's "actions": breaks ties in time, and names it
  // in problems.
  size_t order = 0;
};

struct CheckItemIn {
  std::string name;
  bool complete = false;
};

struct ChecklistIn {
  std::string name;
  std::vector<CheckItemIn> items;
};

struct CardIn {
  std::string path;  // "cards[3]"
  std::string id;
  std::string name;
  std::string desc;
  std::string list_id;
  bool closed = false;
  std::vector<std::string> label_ids;
  bool label_ids_listed = false;  // From idLabels: LinkCards checks them.
  int votes = 0;
  std::optional<std::time_t> last_activity;
  std::optional<std::time_t> created;  // From a createCard action.
  std::string due;                     // As written: kept, not used.
  bool due_complete = false;
  std::vector<CommentIn> comments;
  std::vector<ChecklistIn> checklists;
  // From a focus export's pluginData (see ExportTrello).
  int raised_by = 1;
  bool from_focus = false;             // It has such pluginData.
  std::optional<int64_t> ticket;       // Its number on the board it left.
  std::optional<int64_t> merged_into;  // That board's number.
  std::optional<int> merged_votes;     // A merged repeat's own votes.
  std::optional<int64_t> forum;        // That board's forum numbers.
  std::vector<int64_t> voted_at;
  std::optional<Date> paused_since;
  int paused_working_days = 0;
  // The ticket's own history and vote rows (their forum_id that board's
  // forum number), when focus's data carries them.
  bool has_history = false;
  std::vector<HistoryEntry> history;
  std::vector<VoteRecord> vote_rows;
  std::vector<VerdictRecord> verdicts;  // forum_id: that board's number.
  std::optional<Date> reopened_on;
  // Moves to another list recorded by updateCard actions: {when, list id}.
  std::vector<std::pair<std::time_t, std::string>> moves;
};

// An action the board keeps, read before the cards may have been.
struct ActionIn {
  enum Kind { kComment, kMove, kCreation } kind = kComment;
  std::string card_id;
  std::time_t at = 0;   // A move or creation's date.
  std::string list_id;  // A move's list.
  CommentIn comment;
};

// What one label names in the configuration.
struct LabelMatch {
  std::vector<std::string> themes;
  std::vector<const Area*> areas;
  std::vector<std::string> teams;
};

// Two labels can name the same thing ("Surrey Downs", "surrey-downs").
template <typename T>
void AddOnce(std::vector<T>* v, const T& x) {
  if (std::find(v->begin(), v->end(), x) == v->end()) v->push_back(x);
}

// `name` is `configured` or one of its aliases (SameName).
bool NamesOne(const std::string& name, const std::string& configured,
              const std::map<std::string, std::vector<std::string>>& aliases) {
  if (SameName(name, configured)) return true;
  auto it = aliases.find(configured);
  return it != aliases.end() && MatchName(it->second, name).has_value();
}

// A letter or digit, or part of a non-ASCII character: a phrase must not
// start or end inside a word.
bool WordByte(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  return u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
         (c >= 'A' && c <= 'Z');
}

// `phrase` (lower case) appears in `lower` as a whole phrase.
bool ContainsPhrase(const std::string& lower, const std::string& phrase) {
  if (phrase.empty()) return false;
  for (size_t at = lower.find(phrase); at != std::string::npos;
       at = lower.find(phrase, at + 1)) {
    const size_t end = at + phrase.size();
    if ((at == 0 || !WordByte(lower[at - 1])) &&
        (end == lower.size() || !WordByte(lower[end]))) {
      return true;
    }
  }
  return false;
}

// A state for a list name the mapping does not know, for the YAML snippet
// to suggest: people check it.
TicketState GuessState(const std::string& list_name) {
  const std::string n = LowerAscii(list_name);
  const std::pair<const char*, TicketState> rules[] = {
      {"declin", TicketState::kDeclined},
      {"reject", TicketState::kDeclined},
      {"merged", TicketState::kMerged},
      {"duplicate", TicketState::kMerged},
      {"escalat", TicketState::kEscalated},
      {"development group", TicketState::kEscalated},
      {"waiting", TicketState::kWaitingForForum},
      {"asked", TicketState::kWaitingForForum},
      {"progress", TicketState::kInProgress},
      {"doing", TicketState::kInProgress},
      {"working", TicketState::kInProgress},
      {"answer", TicketState::kAnswered},
      {"we did", TicketState::kAnswered},
      {"done", TicketState::kClosed},
      {"closed", TicketState::kClosed},
      {"complete", TicketState::kClosed},
      {"sent", TicketState::kSentToTrust},
      {"trust", TicketState::kSentToTrust},
  };
  for (const auto& [word, state] : rules) {
    if (n.find(word) != std::string::npos) return state;
  }
  return TicketState::kRaised;
}

// A YAML double-quoted scalar.
std::string YamlQuoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// A parse shared between two threads found the export invalid; a lone
// parse names the first problem exactly.
struct SharedParseFailed {};

class Importer {
 public:
  // `share_parse`: parse on two threads where the export allows (see
  // ParseShared); Read then throws SharedParseFailed on invalid input.
  Importer(const Config& config, const std::string& source,
           const TrelloImportOptions& options, bool share_parse)
      : config_(config),
        source_(source),
        options_(options),
        share_parse_(share_parse),
        reader_(source),
        today_((options.clock != nullptr ? *options.clock : SystemClock())
                   .Today()) {
    for (const Area* area : config_.Forums()) {
      area_phrases_.emplace_back(LowerAscii(Trim(area->name)), area);
      for (const std::string& alias : area->aliases) {
        area_phrases_.emplace_back(LowerAscii(Trim(alias)), area);
      }
    }
  }

  // Reads the board: its lists, labels, cards, checklists and actions, but
  // not yet the cards' tickets (see Map).
  void Parse(const std::string& text, TrelloImportPlan* plan) {
    ReadMapping();
    if (text.size() > kMaxTrelloExportBytes) {
      reader_.Fail("", std::to_string(text.size()) +
                           " bytes is larger than a Trello export can be "
                           "here (at most " +
                           std::to_string(kMaxTrelloExportBytes) + " bytes)");
    }
    const Outline outline = OutlineOf(text);
    if (outline.too_deep) {
      reader_.Fail(*outline.too_deep, "nested more than " +
                                          std::to_string(kMaxDepth) +
                                          " deep; a Trello export is not");
    }
    ReadDocument(text, outline);
    ResolveLists(plan);
  }

  // Whether each ticket can be written as Map makes it: no card carries
  // focus's data, whose numbers and merges need every ticket first.
  bool Streams() const {
    return std::none_of(cards_.begin(), cards_.end(),
                        [](const CardIn& c) { return c.from_focus; });
  }

  // Makes the cards' tickets, in file order, handing each to `emit`.
  void Map(TrelloImportPlan* plan,
           const std::function<void(ImportedTicket&&)>& emit) {
    for (CardIn& card : cards_) {
      ++plan->cards;
      const ListIn& list = lists_.at(card.list_id);
      const bool merged = list.state == TicketState::kMerged;
      if (merged && !card.merged_into) {
        // A repeat already folded into another ticket, whose votes include
        // its own: importing it again would count them twice. Its comments
        // are screened all the same, as every card's are.
        ScreenComments(card);
        plan->warnings.push_back(
            {"merged-skipped", card.path + " (" + Quoted(card.name) +
                                   "): in a list of merged repeats; skipped"});
        continue;
      }
      // Trello has no votes on a repeat a focus export merged: focus's
      // data counts them (they are on its survivor's card too).
      if (merged) card.votes = card.merged_votes.value_or(card.raised_by) - 1;
      std::optional<ImportedTicket> item = MakeTicket(card, plan);
      if (!item) continue;
      ++plan->tickets;
      if (card.closed) ++plan->archived;
      if (!merged) plan->votes += item->extra_votes;
      LinkForums(card, &*item, plan);
      item_cards_.push_back(&card);
      plan->comments += static_cast<int>(item->comments.size());
      plan->checklists += static_cast<int>(card.checklists.size());
      if (!card.due.empty()) ++plan->due_dates;
      emit(std::move(*item));
    }
  }

  // After Map: the problems and warnings in order, and the summaries.
  void Complete(TrelloImportPlan* plan) {
    // Private or overlong text first: it is what must never be written.
    plan->problems.insert(plan->problems.begin(), text_problems_.begin(),
                          text_problems_.end());
    plan->warnings.insert(plan->warnings.end(), warnings_.begin(),
                          warnings_.end());
    SummariseLabels(plan);
    plan->yaml = Yaml(*plan);
  }

  // Maps every card; the tickets go to `items`, each repeat linked to the
  // ticket it was merged into.
  void MapAll(TrelloImportPlan* plan, std::vector<ImportedTicket>* items) {
    items->reserve(cards_.size());
    Map(plan,
        [&](ImportedTicket&& item) { items->push_back(std::move(item)); });
    LinkMerged(items, plan);
    Complete(plan);
  }

  // How many cards the board has: no more tickets than that.
  size_t cards() const { return cards_.size(); }

  // After Map and Complete, when nothing links the tickets made to their
  // cards (see Streams): lets go of what was read of the board.
  void ReleaseBoard() {
    std::vector<CardIn>().swap(cards_);
    std::vector<const CardIn*>().swap(item_cards_);
    std::unordered_map<std::string, size_t>().swap(card_index_);
    std::vector<ActionIn>().swap(actions_in_);
    std::vector<std::pair<std::string, ChecklistIn>>().swap(checklists_in_);
  }

  // The forums to record with the tickets (see Board::ImportTickets).
  const std::vector<ForumRecord>& forums() const { return forums_; }

 private:
  // What each label on the cards was taken for; a warning for each that
  // names nothing configured.
  void SummariseLabels(TrelloImportPlan* plan) {
    for (const auto& [name, count] : label_cards_) {
      TrelloImportPlan::Label label;
      label.name = name;
      label.cards = count;
      const auto m = label_by_name_.find(name);
      const LabelMatch* match =
          m == label_by_name_.end() ? nullptr : &m->second;
      if (match != nullptr && !match->areas.empty()) {
        label.kind = "area";
        label.target = match->areas[0]->name;
      } else if (match != nullptr && !match->themes.empty()) {
        label.kind = "theme";
        label.target = match->themes[0];
      } else if (match != nullptr && !match->teams.empty()) {
        label.kind = "team";
        label.target = match->teams[0];
      } else {
        label.kind = "ignored";
        plan->warnings.push_back(
            {"unknown-label", "label " + Quoted(name) + " (" +
                                  std::to_string(count) +
                                  (count == 1 ? " card" : " cards") +
                                  ") names no theme, area or team; "
                                  "kept with the card, not used"});
      }
      plan->labels.push_back(std::move(label));
    }
  }

  // Reads the board element by element (see ExportStream), then links what
  // refers across its arrays: Trello writes "actions" before "cards", and
  // "cards" before "lists".
  void ReadDocument(const std::string& text, const Outline& outline) {
    ExportStream stream(
        reader_, [this](const std::string& key, size_t i, const Json& value) {
          ReadElement(key, Index(key, i), i, value);
        });
    std::vector<ActionIn> later;  // Read by the second thread, if any.
    const Shared shared =
        share_parse_
            ? ParseShared(
                  text, outline, &stream,
                  [&](const std::string& key, size_t i, const Json& value) {
                    ReadAction(value, Index(key, i), i, &later);
                  },
                  reader_)
            : Shared::kNo;
    if (shared == Shared::kFailed) throw SharedParseFailed();
    if (shared == Shared::kNo) ParseExport(text, &stream, reader_);
    actions_in_.insert(actions_in_.end(),
                       std::make_move_iterator(later.begin()),
                       std::make_move_iterator(later.end()));
    if (stream.not_an_object() != nullptr) {
      reader_.Fail("", std::string("expected a Trello board export (a JSON "
                                   "object), not ") +
                           stream.not_an_object());
    }
    if (!stream.Seen("lists") && !stream.Seen("cards")) {
      reader_.Fail("", "not a Trello board export: no \"lists\" or \"cards\"");
    }
    const Json& board = stream.rest();
    board_name_ = reader_.OptString(board, "", "name");
    for (const char* key :
         {"pluginData", "lists", "labels", "cards", "checklists", "actions"}) {
      // A value that is not an array: refused, or (null) read as empty.
      const bool required =
          key == std::string("lists") || key == std::string("cards");
      if (!stream.Streamed(key)) reader_.Array(board, "", key, required);
    }
    LinkCards();
    AttachChecklists();
    AttachActions();
  }

  // One element of the board's array `key`, at `path` ("cards[3]").
  void ReadElement(const std::string& key, const std::string& path,
                   size_t index, const Json& value) {
    if (key == "lists") {
      ReadList(value, path);
    } else if (key == "labels") {
      ReadLabel(value, path);
    } else if (key == "cards") {
      ReadCard(value, path);
    } else if (key == "checklists") {
      ReadChecklist(value, path);
    } else if (key == "actions") {
      ReadAction(value, path, index, &actions_in_);
    } else {
      ReadBoardPluginEntry(value, path);
    }
  }

  void ReadMapping() {
    for (const auto& [list, state_name] : config_.board.trello_lists) {
      std::optional<TicketState> state = ParseTicketState(state_name);
      if (!state) {
        std::vector<std::string> names;
        for (TicketState s : kAllStates) names.push_back(TicketStateName(s));
        ThrowInvalid("board.trello_lists: list " + Quoted(list) +
                     " maps to unknown state " + Quoted(state_name) +
                     " (states: " + Join(names, ", ") + ")");
      }
      mapping_[list] = *state;
    }
  }

  void ReadList(const Json& value, const std::string& path) {
    const Json& list = reader_.Object(value, path);
    const std::string id = reader_.String(list, path, "id");
    ListIn in;
    in.path = path;
    in.name = reader_.String(list, path, "name");
    reader_.OptBool(list, path, "closed");  // Type-checked; not needed.
    if (!lists_.emplace(id, in).second) {
      reader_.Fail(Child(path, "id"), "a second list with id '" + id + "'");
    }
    list_order_.push_back(id);
  }

  // A board label, or one embedded in a card (a label object per card).
  void ReadLabel(const Json& value, const std::string& path) {
    const Json& label = reader_.Object(value, path);
    const std::string id = reader_.String(label, path, "id");
    // Colour-only labels have an empty or null name.
    labels_.emplace(id, Trim(reader_.OptString(label, path, "name")));
  }

  // A card on its own; LinkCards checks what it refers to.
  void ReadCard(const Json& value, const std::string& p) {
    CardIn card;
    card.path = p;
    const Json& c = reader_.Object(value, p);
    card.id = reader_.String(c, p, "id");
    if (card_index_.count(card.id) != 0) {
      reader_.Fail(Child(p, "id"), "a second card with id '" + card.id + "'");
    }
    card.name = Trim(reader_.String(c, p, "name"));
    if (card.name.empty()) {
      reader_.Fail(Child(p, "name"), "empty (a ticket needs a title)");
    }
    card.desc = StripExportSection(reader_.OptString(c, p, "desc"));
    card.list_id = reader_.String(c, p, "idList");
    card.closed = reader_.OptBool(c, p, "closed");
    const std::string labels_at = Child(p, "labels");
    const Json& labels = reader_.Array(c, p, "labels", false);
    for (size_t i = 0; i < labels.size(); ++i) {
      ReadLabel(labels[i], Index(labels_at, i));
    }
    ReadCardLabelIds(c, &card);
    // Votes are counted, never who voted: the member ids are not kept.
    const std::string voted = Child(p, "idMembersVoted");
    const Json& voters = reader_.Array(c, p, "idMembersVoted", false);
    for (size_t v = 0; v < voters.size(); ++v) {
      reader_.ItemString(voters[v], voted, v);
    }
    card.votes = static_cast<int>(voters.size());
    // Trello's due date is kept but not used: the agreed response time in
    // the configuration sets when an answer is due.
    if (reader_.OptDate(c, p, "due")) card.due = reader_.String(c, p, "due");
    card.due_complete = reader_.OptBool(c, p, "dueComplete");
    card.last_activity = reader_.OptDate(c, p, "dateLastActivity");
    ReadPluginData(c, &card);
    card_index_[card.id] = cards_.size();
    cards_.push_back(std::move(card));
  }

  // Each card's list, and the labels its idLabels name, exist.
  void LinkCards() {
    for (CardIn& card : cards_) {
      auto list = lists_.find(card.list_id);
      if (list == lists_.end()) {
        reader_.Fail(Child(card.path, "idList"),
                     "no list with id '" + card.list_id + "'");
      }
      ++list->second.cards;
      if (!card.label_ids_listed) continue;
      const std::string at = Child(card.path, "idLabels");
      for (size_t i = 0; i < card.label_ids.size(); ++i) {
        if (labels_.count(card.label_ids[i]) == 0) {
          reader_.Fail(Index(at, i),
                       "no label with id '" + card.label_ids[i] + "'");
        }
      }
    }
  }

  // What a focus export wrote for the card (see kFocusPlugin); other
  // plugins' data is not ours to read.
  void ReadPluginData(const Json& c, CardIn* card) {
    const Json& entries = reader_.Array(c, card->path, "pluginData", false);
    const std::string at = Child(card->path, "pluginData");
    for (size_t i = 0; i < entries.size(); ++i) {
      const std::string path = Index(at, i);
      const Json& entry = reader_.Object(entries[i], path);
      if (reader_.OptString(entry, path, "idPlugin") != kFocusPlugin) continue;
      card->from_focus = true;
      const std::string value = reader_.String(entry, path, "value");
      const nlohmann::json data =
          nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
      if (!data.is_object()) {
        reader_.Fail(Child(path, "value"),
                     "expected focus's data as a JSON "
                     "object in a string");
      }
      ReadFocusData(data, Child(path, "value"), card);
    }
  }

  // The forums a focus export recorded (see kFocusPlugin), by number: one
  // entry of the board's pluginData.
  void ReadBoardPluginEntry(const Json& value, const std::string& path) {
    const Json& entry = reader_.Object(value, path);
    if (reader_.OptString(entry, path, "idPlugin") != kFocusPlugin) return;
    const std::string at = Child(path, "value");
    const nlohmann::json data =
        nlohmann::json::parse(reader_.String(entry, path, "value"), nullptr,
                              /*allow_exceptions=*/false);
    if (!data.is_object()) {
      reader_.Fail(at, "expected focus's data as a JSON object in a string");
    }
    auto forums = data.find("forums");
    if (forums == data.end()) return;
    if (!forums->is_array()) {
      reader_.Fail(at, "forums: expected an array");
    }
    for (size_t f = 0; f < forums->size(); ++f) {
      ReadForum((*forums)[f], at + ": forums[" + std::to_string(f) + "]");
    }
  }

  // One recorded forum of focus's data; `at` names it in errors.
  void ReadForum(const nlohmann::json& in, const std::string& at) {
    if (!in.is_object()) reader_.Fail(at, "expected an object");
    auto text = [&](const char* key) {
      auto it = in.find(key);
      if (it == in.end()) return std::string();
      if (!it->is_string()) {
        reader_.Fail(at, std::string(key) + ": expected a string");
      }
      return it->get<std::string>();
    };
    ForumRecord f;
    const int64_t number =
        FocusInt(in, at, "id", 1, kMaxFocusNumber).value_or(0);
    if (number == 0) reader_.Fail(at, "id: missing (expected a forum number)");
    f.id = number;  // Kept: the history names forums by number.
    if (!forum_index_.emplace(number, forums_.size()).second) {
      reader_.Fail(at, "id: a second forum #" + std::to_string(number));
    }
    f.plan_id = text("plan_id");
    f.area = text("area");
    f.title = text("title");
    f.recorded_at = text("recorded_at");
    f.recorded_by = text("recorded_by");
    const std::optional<Date> held_on = ParseIsoDate(text("held_on"));
    if (!held_on) reader_.Fail(at, "held_on: expected a date, YYYY-MM-DD");
    f.held_on = *held_on;
    const std::string format = text("format");
    if (format == FormatName(Format::kVirtual)) {
      f.format = Format::kVirtual;
    } else if (!format.empty() && format != FormatName(Format::kInPerson)) {
      reader_.Fail(at, "format: expected \"virtual\" or \"in-person\"");
    }
    const nlohmann::json none = nlohmann::json::object();
    auto counts = in.find("attendance");
    const nlohmann::json& a = counts == in.end() ? none : *counts;
    if (!a.is_object()) reader_.Fail(at, "attendance: expected an object");
    const std::string in_a = at + ": attendance";
    constexpr int64_t kMaxCount = 99999;
    f.attendance.service_users =
        FocusInt(a, in_a, "service_users", 0, kMaxCount).value_or(0);
    f.attendance.carers = FocusInt(a, in_a, "carers", 0, kMaxCount).value_or(0);
    f.attendance.trust_staff =
        FocusInt(a, in_a, "trust_staff", 0, kMaxCount).value_or(0);
    f.attendance.governors =
        FocusInt(a, in_a, "governors", 0, kMaxCount).value_or(0);
    f.attendance.others = FocusInt(a, in_a, "others", 0, kMaxCount).value_or(0);
    auto apologies = in.find("apologies");
    if (apologies != in.end()) {
      if (!apologies->is_array()) {
        reader_.Fail(at, "apologies: expected an array of strings");
      }
      for (const nlohmann::json& who : *apologies) {
        if (!who.is_string()) {
          reader_.Fail(at, "apologies: expected an array of strings");
        }
        f.apologies.push_back(who.get<std::string>());
      }
    }
    forums_.push_back(std::move(f));
  }

  // The fields of focus's data the import uses; each is optional.
  void ReadFocusData(const nlohmann::json& data, const std::string& at,
                     CardIn* card) {
    card->raised_by =
        static_cast<int>(FocusInt(data, at, "raised_by", 1, 9999).value_or(1));
    card->ticket = FocusInt(data, at, "ticket", 1, kMaxFocusNumber);
    if (card->ticket &&
        !ticket_cards_.emplace(*card->ticket, card->path).second) {
      reader_.Fail(at, "ticket: #" + std::to_string(*card->ticket) +
                           " is also " + ticket_cards_[*card->ticket]);
    }
    card->merged_into = FocusInt(data, at, "merged_into", 1, kMaxFocusNumber);
    if (auto votes = FocusInt(data, at, "votes", 1, 1 << 30)) {
      card->merged_votes = static_cast<int>(*votes);
    }
    card->paused_working_days = static_cast<int>(
        FocusInt(data, at, "paused_working_days", 0, 1 << 30).value_or(0));
    card->forum = FocusInt(data, at, "forum", 1, kMaxFocusNumber);
    auto voted_at = data.find("voted_at");
    if (voted_at != data.end()) {
      if (!voted_at->is_array()) {
        reader_.Fail(at, "voted_at: expected an array of forum numbers");
      }
      for (const nlohmann::json& f : *voted_at) {
        if (!f.is_number_integer() || f < 1 || f > kMaxFocusNumber) {
          reader_.Fail(at, "voted_at: expected an array of forum numbers");
        }
        card->voted_at.push_back(f.get<int64_t>());
      }
    }
    ReadFocusHistory(data, at, card);
    card->paused_since = FocusDate(data, at, "paused_since");
    card->reopened_on = FocusDate(data, at, "reopened_on");
  }

  // Date `key` of focus's data, if present.
  std::optional<Date> FocusDate(const nlohmann::json& data,
                                const std::string& at, const char* key) {
    auto it = data.find(key);
    if (it == data.end()) return std::nullopt;
    std::optional<Date> d;
    if (it->is_string()) d = ParseIsoDate(it->get<std::string>());
    if (!d) {
      reader_.Fail(at, std::string(key) + ": expected a date, YYYY-MM-DD");
    }
    return d;
  }

  // The ticket's history, vote rows and verdicts in focus's data, if it
  // has them: "history": [[id, time, actor, field, old value, new value,
  // note], ...], "vote_rows": [[forum number or null, count, time, actor,
  // note, id]] (exports before verdicts were carried have no id) and
  // "verdicts": [[id, forum number, verdict, note, answered on, time,
  // actor]].
  void ReadFocusHistory(const nlohmann::json& data, const std::string& at,
                        CardIn* card) {
    card->has_history = ForEachFocusRow(
        data, at, "history",
        [&](const nlohmann::json& e, const std::string& path) {
          if (!e.is_array() || e.size() != 7 || !e[0].is_number_integer() ||
              e[0] < 1 ||
              !std::all_of(e.begin() + 1, e.end(),
                           [](const auto& v) { return v.is_string(); })) {
            reader_.Fail(path,
                         "expected [id, time, actor, field, old value, new "
                         "value, note]");
          }
          HistoryEntry h;
          h.id = e[0].get<int64_t>();
          h.at = UtcTime(e[1], path);
          h.actor = e[2].get<std::string>();
          h.field = e[3].get<std::string>();
          h.old_value = e[4].get<std::string>();
          h.new_value = e[5].get<std::string>();
          h.note = e[6].get<std::string>();
          if (h.actor.empty() || h.field.empty()) {
            reader_.Fail(path, "an entry names who and what changed");
          }
          card->history.push_back(std::move(h));
        });
    if (!card->has_history) return;
    ForEachFocusRow(
        data, at, "vote_rows",
        [&](const nlohmann::json& v, const std::string& path) {
          if (!v.is_array() || v.size() < 5 || v.size() > 6 ||
              (v.size() == 6 && !(v[5].is_number_integer() && v[5] >= 1)) ||
              !(v[0].is_null() || IsFocusNumber(v[0])) ||
              !v[1].is_number_integer() || v[1] < 1 || v[1] > (1 << 30) ||
              !v[2].is_string() || !v[3].is_string() || !v[4].is_string()) {
            reader_.Fail(path,
                         "expected [forum number or null, count, time, "
                         "actor, note, id]");
          }
          VoteRecord r;
          if (v.size() == 6) r.id = v[5].get<int64_t>();
          if (!v[0].is_null()) r.forum_id = v[0].get<int64_t>();
          r.count = v[1].get<int>();
          r.at = UtcTime(v[2], path);
          r.actor = v[3].get<std::string>();
          r.note = v[4].get<std::string>();
          card->vote_rows.push_back(std::move(r));
        });
    ForEachFocusRow(data, at, "verdicts",
                    [&](const nlohmann::json& v, const std::string& path) {
                      card->verdicts.push_back(ReadFocusVerdict(v, path));
                    });
  }

  // Calls `read(row, its path)` for each row of array `key` of focus's
  // data; returns whether there is such an array.
  template <typename Read>
  bool ForEachFocusRow(const nlohmann::json& data, const std::string& at,
                       const char* key, Read read) {
    auto rows = data.find(key);
    if (rows == data.end()) return false;
    const std::string in = at + ": " + key;
    if (!rows->is_array()) reader_.Fail(in, "expected an array");
    for (size_t i = 0; i < rows->size(); ++i) {
      read((*rows)[i], in + "[" + std::to_string(i) + "]");
    }
    return true;
  }

  static bool IsFocusNumber(const nlohmann::json& n) {
    return n.is_number_integer() && n >= 1 && n <= kMaxFocusNumber;
  }

  VerdictRecord ReadFocusVerdict(const nlohmann::json& v,
                                 const std::string& path) {
    std::optional<Verdict> verdict;
    std::optional<Date> answered_on;
    if (v.is_array() && v.size() == 7 && v[2].is_string() && v[4].is_string()) {
      verdict = ParseVerdict(v[2].get<std::string>());
      answered_on = ParseIsoDate(v[4].get<std::string>());
    }
    if (!verdict || !answered_on || !IsFocusNumber(v[0]) ||
        !IsFocusNumber(v[1]) || !v[3].is_string() || !v[5].is_string() ||
        !v[6].is_string() || v[6].get<std::string>().empty()) {
      reader_.Fail(path,
                   "expected [id, forum number, \"confirmed\", \"not-yet\" "
                   "or \"disputed\", note, answered on YYYY-MM-DD, time, "
                   "actor]");
    }
    VerdictRecord r;
    r.verdict.id = v[0].get<int64_t>();
    r.verdict.forum_id = v[1].get<int64_t>();
    r.verdict.verdict = *verdict;
    r.verdict.note = v[3].get<std::string>();
    r.verdict.answered_on = *answered_on;
    r.at = UtcTime(v[5], path);
    r.actor = v[6].get<std::string>();
    return r;
  }

  // A time stamp as the board writes them, "2027-01-05T10:00:00Z".
  std::string UtcTime(const nlohmann::json& v, const std::string& path) {
    const std::string text = v.get<std::string>();
    if (text.size() != 20 || !ParseUtcTimestamp(text)) {
      reader_.Fail(
          path, "expected a time, YYYY-MM-DDTHH:MM:SSZ, not " + Quoted(text));
    }
    return text;
  }

  // Whole number `key` of focus's data, from `min` to `max`, if present.
  std::optional<int64_t> FocusInt(const nlohmann::json& data,
                                  const std::string& at, const char* key,
                                  int64_t min, int64_t max) {
    auto it = data.find(key);
    if (it == data.end()) return std::nullopt;
    if (!it->is_number_integer() || *it < min || *it > max) {
      reader_.Fail(at, std::string(key) + ": expected a whole number from " +
                           std::to_string(min) + " to " + std::to_string(max));
    }
    return it->get<int64_t>();
  }

  void ReadCardLabelIds(const Json& c, CardIn* card) {
    const std::string& p = card->path;
    if (Reader::Find(c, "idLabels") == nullptr) {
      const Json& embedded = reader_.Array(c, p, "labels", false);
      for (const Json& label : embedded) {
        const JsonString id = label["id"].get<JsonString>();
        card->label_ids.emplace_back(id.data(), id.size());
      }
      return;
    }
    const std::string at = Child(p, "idLabels");
    const Json& ids = reader_.Array(c, p, "idLabels", false);
    for (size_t i = 0; i < ids.size(); ++i) {
      card->label_ids.push_back(reader_.ItemString(ids[i], at, i));
    }
    card->label_ids_listed = true;
  }

  // Checklists are kept with their card: names, items and their state.
  void ReadChecklist(const Json& value, const std::string& path) {
    const Json& list = reader_.Object(value, path);
    const std::string id = reader_.String(list, path, "id");
    if (!checklist_ids_.insert(id).second) {
      reader_.Fail(Child(path, "id"),
                   "a second checklist with id '" + id + "'");
    }
    const std::string card_id = reader_.String(list, path, "idCard");
    ChecklistIn checklist;
    checklist.name = reader_.OptString(list, path, "name");
    const std::string items_at = Child(path, "checkItems");
    const Json& items = reader_.Array(list, path, "checkItems", false);
    for (size_t j = 0; j < items.size(); ++j) {
      checklist.items.push_back(ReadCheckItem(items[j], Index(items_at, j)));
    }
    Screen(Child(path, "name"), checklist.name, TextOptions());
    checklists_in_.emplace_back(card_id, std::move(checklist));
  }

  CheckItemIn ReadCheckItem(const Json& value, const std::string& path) {
    const Json& item = reader_.Object(value, path);
    CheckItemIn in;
    in.name = reader_.String(item, path, "name");
    const std::string state = reader_.OptString(item, path, "state");
    if (state != "complete" && state != "incomplete" && !state.empty()) {
      reader_.Fail(
          Child(path, "state"),
          "expected \"complete\" or \"incomplete\", not " + Quoted(state));
    }
    in.complete = state == "complete";
    Screen(Child(path, "name"), in.name, TextOptions());
    return in;
  }

  void AttachChecklists() {
    for (auto& [card_id, checklist] : checklists_in_) {
      auto card = card_index_.find(card_id);
      // A checklist of a card deleted from the board has nowhere to go.
      if (card == card_index_.end()) continue;
      cards_[card->second].checklists.push_back(std::move(checklist));
    }
  }

  // One action, into `out`. It reads nothing else of the board, so the
  // parse can share "actions" with a second thread (see ParseShared).
  void ReadAction(const Json& value, const std::string& path, size_t index,
                  std::vector<ActionIn>* out) const {
    const Json& action = reader_.Object(value, path);
    const std::string type = reader_.String(action, path, "type");
    if (type == "commentCard") {
      ReadComment(action, path, index, out);
    } else if (type == "updateCard") {
      ReadMove(action, out);
    } else if (type == "createCard" || type == "copyCard" ||
               type == "convertToCardFromCheckItem") {
      ReadCreation(action, out);
    }
    // Every other action type (addMemberToCard, ...) carries nothing the
    // board keeps.
  }

  void ReadComment(const Json& action, const std::string& path, size_t order,
                   std::vector<ActionIn>* out) const {
    const Json& data = reader_.ObjectField(action, path, "data");
    ActionIn in;
    const std::string data_path = Child(path, "data");
    const Json& card = reader_.ObjectField(data, data_path, "card");
    in.card_id = reader_.String(card, Child(data_path, "card"), "id");
    CommentIn& comment = in.comment;
    comment.text = Trim(reader_.String(data, data_path, "text"));
    comment.at = reader_.RequiredDate(action, path, "date");
    comment.order = order;
    if (const Json* creator = Reader::Find(action, "memberCreator")) {
      reader_.Object(*creator, Child(path, "memberCreator"));
      comment.author = Trim(reader_.OptString(
          *creator, Child(path, "memberCreator"), "fullName"));
    }
    if (comment.author.empty()) comment.author = "a Trello member";
    in.kind = ActionIn::kComment;
    out->push_back(std::move(in));
  }

  // The card id and date of an action, or nullopt when either is missing
  // or malformed: such actions are ignored, as other actions are.
  std::optional<ActionIn> ActionCard(const Json& action,
                                     const Json** data_out) const {
    const Json* data = Reader::Find(action, "data");
    const Json* date = Reader::Find(action, "date");
    if (data == nullptr || date == nullptr || !date->is_string() ||
        !data->is_object()) {
      return std::nullopt;
    }
    const Json* card = Reader::Find(*data, "card");
    if (card == nullptr || !card->is_object()) return std::nullopt;
    const Json* card_id = Reader::Find(*card, "id");
    if (card_id == nullptr || !card_id->is_string()) return std::nullopt;
    std::optional<std::time_t> at = ParseTrelloDate(Text(*date));
    if (!at) return std::nullopt;
    *data_out = data;
    ActionIn in;
    in.card_id = Text(*card_id);
    in.at = *at;
    return in;
  }

  void ReadMove(const Json& action, std::vector<ActionIn>* out) const {
    const Json* data = nullptr;
    std::optional<ActionIn> in = ActionCard(action, &data);
    if (!in) return;
    const Json* after = Reader::Find(*data, "listAfter");
    if (after == nullptr || !after->is_object()) return;
    const Json* list_id = Reader::Find(*after, "id");
    if (list_id == nullptr || !list_id->is_string()) return;
    in->kind = ActionIn::kMove;
    in->list_id = Text(*list_id);
    out->push_back(std::move(*in));
  }

  void ReadCreation(const Json& action, std::vector<ActionIn>* out) const {
    const Json* data = nullptr;
    std::optional<ActionIn> in = ActionCard(action, &data);
    if (!in) return;
    in->kind = ActionIn::kCreation;
    out->push_back(std::move(*in));
  }

  // The actions, in the file's order, on the cards they name; an action on
  // a card deleted from the board has nowhere to go.
  void AttachActions() {
    for (ActionIn& in : actions_in_) {
      auto it = card_index_.find(in.card_id);
      if (it == card_index_.end()) continue;
      CardIn& card = cards_[it->second];
      if (in.kind == ActionIn::kComment) {
        card.comments.push_back(std::move(in.comment));
      } else if (in.kind == ActionIn::kMove) {
        card.moves.emplace_back(in.at, std::move(in.list_id));
      } else if (!card.created || in.at < *card.created) {
        card.created = in.at;
      }
    }
  }

  // A list maps to a state through board.trello_lists; failing that, a list
  // named exactly like a state's label is that state (what the export writes
  // for states the mapping leaves out), so an export always re-imports.
  void ResolveLists(TrelloImportPlan* plan) {
    for (const std::string& id : list_order_) {
      ListIn& list = lists_.at(id);
      auto mapped = mapping_.find(list.name);
      if (mapped != mapping_.end()) {
        list.state = mapped->second;
        list.how = "configured";
      } else {
        for (TicketState s : kAllStates) {
          if (list.name == TicketStateLabel(s)) list.state = s;
        }
        list.how = list.state        ? "state label"
                   : list.cards == 0 ? "empty"
                                     : "unmapped";
      }
      plan->lists.push_back({list.path, list.name, list.cards,
                             list.state ? TicketStateName(*list.state) : "",
                             list.how});
      if (list.how == "empty") {
        plan->warnings.push_back(
            {"empty-list", list.path + " (" + Quoted(list.name) +
                               "): not mapped to a state; it has no cards, "
                               "so it is ignored"});
      } else if (list.how == "unmapped") {
        plan->problems.push_back(
            {"unmapped-list", Child(list.path, "name") +
                                  ": no state for list " + Quoted(list.name) +
                                  " (" + std::to_string(list.cards) +
                                  (list.cards == 1 ? " card" : " cards") +
                                  "): add it to board.trello_lists"});
      }
    }
  }

  // What the label with this id names; worked out once per label.
  const LabelMatch& MatchLabel(const std::string& id) {
    auto done = label_match_.find(id);
    if (done != label_match_.end()) return done->second;
    const std::string& name = labels_.at(id);
    LabelMatch m;
    if (!name.empty()) {
      for (const std::string& theme : config_.board.themes) {
        if (NamesOne(name, theme, config_.board.theme_aliases)) {
          AddOnce(&m.themes, theme);
        }
      }
      for (const Area* area : config_.Forums()) {
        if (SameName(name, area->name) || SameName(name, area->slug) ||
            MatchName(area->aliases, name)) {
          AddOnce(&m.areas, area);
        }
      }
      for (const std::string& team : config_.board.teams) {
        if (NamesOne(name, team, config_.board.team_aliases)) {
          AddOnce(&m.teams, team);
        }
      }
      label_by_name_.emplace(name, m);
    }
    return label_match_.emplace(id, std::move(m)).first->second;
  }

  // The areas named as whole phrases in `text`.
  std::vector<const Area*> AreasIn(const std::string& text) const {
    std::vector<const Area*> found;
    if (text.empty()) return found;
    const std::string lower = LowerAscii(text);
    for (const auto& [phrase, area] : area_phrases_) {
      if (ContainsPhrase(lower, phrase)) AddOnce(&found, area);
    }
    return found;
  }

  // The forums of the file a card from a focus export was raised and voted
  // at; one the file does not record is a problem.
  void LinkForums(const CardIn& card, ImportedTicket* item,
                  TrelloImportPlan* plan) {
    auto index = [&](int64_t number) -> std::optional<size_t> {
      auto it = forum_index_.find(number);
      if (it != forum_index_.end()) return it->second;
      Problem(plan, "no-forum",
              card.path + " (" + Quoted(card.name) + "): names forum #" +
                  std::to_string(number) +
                  ", which the file's focus data does not record");
      return std::nullopt;
    };
    if (card.forum) item->forum_item = index(*card.forum);
    for (int64_t number : card.voted_at) {
      if (std::optional<size_t> i = index(number)) {
        item->voted_at_items.push_back(*i);
      }
    }
    for (VoteRecord& v : item->votes) {
      if (!v.forum_id) continue;
      std::optional<size_t> i = index(*v.forum_id);
      v.forum_id =
          i ? std::optional<int64_t>(static_cast<int64_t>(*i)) : std::nullopt;
    }
    for (VerdictRecord& v : item->verdicts) {
      std::optional<size_t> i = index(v.verdict.forum_id);
      v.verdict.forum_id = i ? static_cast<int64_t>(*i) : 0;
    }
  }

  // Points each merged repeat from a focus export at the item of the card
  // with the ticket number it was merged into.
  void LinkMerged(std::vector<ImportedTicket>* items, TrelloImportPlan* plan) {
    std::map<int64_t, size_t> item_of;  // Ticket number -> item.
    for (size_t i = 0; i < item_cards_.size(); ++i) {
      if (item_cards_[i]->ticket) item_of[*item_cards_[i]->ticket] = i;
    }
    for (size_t i = 0; i < item_cards_.size(); ++i) {
      const CardIn& card = *item_cards_[i];
      if ((*items)[i].state != TicketState::kMerged) continue;
      auto into = item_of.find(*card.merged_into);
      if (into != item_of.end()) {
        (*items)[i].merged_into_item = into->second;
      } else if (ticket_cards_.count(*card.merged_into) == 0) {
        // (A survivor whose card has problems is refused for those.)
        Problem(plan, "no-survivor",
                card.path + " (" + Quoted(card.name) + "): merged into #" +
                    std::to_string(*card.merged_into) +
                    ", which no card in the file is");
      }
    }
  }

  void Problem(TrelloImportPlan* plan, const char* kind,
               const std::string& text) {
    plan->problems.push_back({kind, text});
  }

  // The ticket for a card, or nullopt if the card has problems (added to
  // the plan). Takes the card's comments.
  std::optional<ImportedTicket> MakeTicket(CardIn& card,
                                           TrelloImportPlan* plan) {
    const std::string who = card.path + " (" + Quoted(card.name) + ")";
    const ListIn& list = lists_.at(card.list_id);
    const size_t problems_before = plan->problems.size();
    ImportedTicket item;
    item.where = card.path;
    item.state = list.state.value_or(TicketState::kRaised);
    NewTicket& t = item.ticket;
    t.title = card.name;
    t.details = card.desc;
    t.allow_identifiers = options_.allow_identifiers;
    // The title, details and every comment are screened here, where the
    // file's paths are known, with the board's limits: the board need not
    // screen them again.
    item.texts_screened = true;
    ScreenOptions title_options = TextOptions();
    title_options.max_chars = config_.board.max_title_chars;
    Screen(Child(card.path, "name"), t.title, title_options);
    Screen(Child(card.path, "desc"), t.details, TextOptions());
    ScreenComments(card);

    std::vector<std::string> unmatched_labels;
    const LabelMatch labels = MatchCardLabels(card, &unmatched_labels);
    SetArea(card, list, labels, who, &t, plan);
    SetThemesAndTeam(labels, who, &t, plan);
    t.raised_by = card.raised_by;
    item.extra_votes = card.votes - (card.raised_by - 1);
    if (item.extra_votes < 0) {
      t.raised_by = 1;
      item.extra_votes = card.votes;
    }
    SetRaisedOn(card, who, &t, plan);
    if (!list.state || plan->problems.size() != problems_before) {
      return std::nullopt;
    }
    FillFromCard(card, list, unmatched_labels, who, &item);
    return item;
  }

  // What the card's labels name, merged; the names of those that name
  // nothing go to `unmatched`.
  LabelMatch MatchCardLabels(const CardIn& card,
                             std::vector<std::string>* unmatched) {
    LabelMatch labels;
    for (const std::string& id : card.label_ids) {
      const std::string& name = labels_.at(id);
      if (name.empty()) continue;
      ++label_cards_[name];
      const LabelMatch& m = MatchLabel(id);
      for (const std::string& x : m.themes) AddOnce(&labels.themes, x);
      for (const Area* x : m.areas) AddOnce(&labels.areas, x);
      for (const std::string& x : m.teams) AddOnce(&labels.teams, x);
      if (m.themes.empty() && m.areas.empty() && m.teams.empty()) {
        AddOnce(unmatched, name);
      }
    }
    return labels;
  }

  // The area: from a label, the list's name, the title, the description.
  void SetArea(const CardIn& card, const ListIn& list, const LabelMatch& labels,
               const std::string& who, NewTicket* t, TrelloImportPlan* plan) {
    const std::pair<const char*, std::vector<const Area*>> sources[] = {
        {"label", labels.areas},
        {"list", {}},
        {"title", {}},
        {"description", {}}};
    const char* from = "none";
    std::vector<const Area*> areas;
    for (const auto& [source, found] : sources) {
      const std::string kind = source;
      areas = kind == "label"   ? found
              : kind == "list"  ? AreasIn(list.name)
              : kind == "title" ? AreasIn(card.name)
                                : AreasIn(card.desc);
      if (!areas.empty()) {
        from = source;
        break;
      }
    }
    ++plan->area_from[from];
    if (areas.empty()) {
      std::vector<std::string> names;
      for (const Area* a : config_.Forums()) names.push_back(a->name);
      Problem(plan, "no-area",
              who + ": no area: no label, nor its list " + Quoted(list.name) +
                  ", title or description names one (areas: " +
                  Join(names, ", ") + ")");
    } else if (areas.size() > 1) {
      const std::string where = std::string(from) == "label" ? "labels"
                                : std::string(from) == "list"
                                    ? "its list's name"
                                    : "its " + std::string(from);
      Problem(plan, "two-areas",
              who + ": " + where + " name more than one area (" +
                  areas[0]->name + ", " + areas[1]->name + ")");
    } else {
      t->area = areas[0]->slug;
    }
  }

  void SetThemesAndTeam(const LabelMatch& labels, const std::string& who,
                        NewTicket* t, TrelloImportPlan* plan) {
    t->themes = labels.themes;
    if (t->themes.empty()) {
      const auto& themes = config_.board.themes;
      if (std::find(themes.begin(), themes.end(), "other") == themes.end()) {
        Problem(plan, "no-theme",
                who + ": no label names a theme (themes: " +
                    Join(themes, ", ") + ")");
      }
      t->themes.push_back("other");
    }
    if (labels.teams.size() > 1) {
      Problem(plan, "two-teams",
              who + ": labels name more than one team (" + labels.teams[0] +
                  ", " + labels.teams[1] + ")");
    } else if (!labels.teams.empty()) {
      t->team = labels.teams[0];
    } else if (!config_.board.default_team.empty()) {
      t->team = config_.board.default_team;
    } else {
      Problem(plan, "no-team",
              who +
                  ": no label names a team and board.default_team is not "
                  "set (teams: " +
                  Join(config_.board.teams, ", ") + ")");
    }
  }

  // Raised: when the card was created, by its createCard action or else
  // by its id, if that is a Trello id made between Trello's launch and
  // today (an id from another tool can be anything).
  void SetRaisedOn(const CardIn& card, const std::string& who, NewTicket* t,
                   TrelloImportPlan* plan) {
    std::optional<std::time_t> created = card.created;
    if (!created) {
      std::optional<std::time_t> id_time = TrelloIdTime(card.id);
      if (id_time && *id_time >= kTrelloLaunch &&
          london_dates_.Of(*id_time) <= today_) {
        created = id_time;
      }
    }
    if (created) {
      t->raised_on = london_dates_.Of(*created);
    } else {
      Problem(plan, "no-date",
              who +
                  ": no date it was raised: no createCard action for it, "
                  "and its id '" +
                  card.id + "' is not a Trello id made between 2011 and today");
    }
  }

  // The comments, answer, dates, pause, Trello extras and origin of a
  // card without problems. Takes the card's comments.
  void FillFromCard(CardIn& card, const ListIn& list,
                    const std::vector<std::string>& unmatched_labels,
                    const std::string& who, ImportedTicket* item) {
    std::vector<CommentIn> comments = std::move(card.comments);
    std::stable_sort(comments.begin(), comments.end(),
                     [](const CommentIn& a, const CommentIn& b) {
                       return a.at != b.at ? a.at < b.at : a.order > b.order;
                     });
    for (const CommentIn& c : comments) {
      item->comments.emplace_back(FormatUtc(c.at) + " by " + c.author, c.text);
    }
    ReadAnswer(comments, list, who, item);
    item->sent_on = SentOn(card, *item);
    // A pause is kept only while the card still waits for a forum.
    if (item->state == TicketState::kWaitingForForum) {
      item->paused_since = card.paused_since;
    }
    item->paused_working_days = card.paused_working_days;
    item->number = card.ticket;
    item->verbatim = card.has_history;
    item->history = std::move(card.history);
    item->votes = std::move(card.vote_rows);
    item->verdicts = std::move(card.verdicts);
    item->reopened_on = card.reopened_on;
    AddTrelloExtras(card, unmatched_labels, item);

    item->origin = kOriginPrefix + card.id + " in list " + Quoted(list.name);
    if (!board_name_.empty()) {
      item->origin += " of board " + Quoted(board_name_);
    }
    item->origin += " (" + source_ + ")";
    if (card.closed) item->origin += "; archived in Trello";
  }

  // What the card has that a ticket has no column for, as one "trello"
  // history entry (see ExportTrello).
  static void AddTrelloExtras(const CardIn& card,
                              const std::vector<std::string>& unmatched_labels,
                              ImportedTicket* item) {
    // The card's id is also in the ticket's origin (kOriginPrefix), where
    // the export finds it when there is nothing else to keep.
    if (card.id.find(' ') == std::string::npos && !card.closed &&
        card.due.empty() && card.checklists.empty() &&
        unmatched_labels.empty()) {
      return;
    }
    OJson extra;
    extra["id"] = card.id;
    if (card.closed) extra["closed"] = true;
    if (!card.due.empty()) {
      extra["due"] = card.due;
      extra["dueComplete"] = card.due_complete;
    }
    if (!unmatched_labels.empty()) extra["labels"] = unmatched_labels;
    if (!card.checklists.empty()) {
      OJson lists = OJson::array();
      for (const ChecklistIn& c : card.checklists) {
        OJson items = OJson::array();
        for (const CheckItemIn& i : c.items) {
          items.push_back({{"name", i.name},
                           {"state", i.complete ? "complete" : "incomplete"}});
        }
        lists.push_back({{"name", c.name}, {"checkItems", std::move(items)}});
      }
      extra["checklists"] = std::move(lists);
    }
    item->extras.push_back(
        {kTrelloField, extra.dump(), "kept from Trello card " + card.id});
  }

  void ReadAnswer(const std::vector<CommentIn>& comments, const ListIn& list,
                  const std::string& who, ImportedTicket* item) {
    const TicketState state = item->state;
    // A merged repeat has nothing published (see Board::Merge).
    if (state == TicketState::kRaised || state == TicketState::kMerged) return;
    std::string answer_text;
    std::string reason_text;
    const CommentIn* answer =
        LastWithPrefix(comments, kAnswerPrefixes, &answer_text);
    const CommentIn* reason = nullptr;
    if (state == TicketState::kDeclined) {
      reason = LastWithPrefix(comments, kDeclinePrefixes, &reason_text);
      if (reason == nullptr) {
        std::swap(answer, reason);
        std::swap(answer_text, reason_text);
      }
    }
    if (answer != nullptr) {
      item->answer = answer_text;
      // Kept privately; the public is told the card's team answered
      // (PublicAnswerer), never a Trello member's name.
      item->answered_by = answer->author;
      item->answered_on = london_dates_.Of(answer->at);
    }
    if (reason != nullptr) {
      item->decline_reason = reason_text;
      item->declined_on = london_dates_.Of(reason->at);
    }
    // A ticket that says "answered" or "declined" without the published
    // words would tell the public nothing: the card goes to the Trust
    // instead, and the summary says so.
    const bool needs_answer =
        state == TicketState::kAnswered || state == TicketState::kClosed;
    if ((needs_answer && answer == nullptr) ||
        (state == TicketState::kDeclined && reason == nullptr)) {
      warnings_.push_back(
          {needs_answer ? "no-answer" : "no-reason",
           who + ": in list " + Quoted(list.name) + " (" +
               TicketStateName(state) + ") but no comment starts with " +
               (needs_answer
                    ? "\"Trust answer:\" or \"Answer:\""
                    : "\"Declined:\", \"Trust answer:\" or \"Answer:\"") +
               "; imported as sent-to-trust, waiting for a published " +
               (needs_answer ? "answer" : "reason")});
      item->state = TicketState::kSentToTrust;
      if (reason == nullptr) item->declined_on.reset();
    }
  }

  // The last comment (in time) starting with one of `prefixes` that has
  // text after it, and that text; nullptr if none.
  static const CommentIn* LastWithPrefix(
      const std::vector<CommentIn>& comments,
      std::initializer_list<const char*> prefixes, std::string* text) {
    const CommentIn* found = nullptr;
    for (const CommentIn& c : comments) {
      std::optional<std::string> rest = AfterPrefix(c.text, prefixes);
      if (rest && !rest->empty()) {
        found = &c;
        *text = *rest;
      }
    }
    return found;
  }

  // When the card was first sent to the Trust: its first move into a list
  // past "raised" if the actions record one, else its last activity; never
  // before it was raised nor after it was answered or declined.
  std::optional<Date> SentOn(const CardIn& card, const ImportedTicket& item) {
    if (item.state == TicketState::kRaised) return std::nullopt;
    std::optional<std::time_t> when;
    for (const auto& [at, list_id] : card.moves) {
      auto list = lists_.find(list_id);
      if (list == lists_.end() || !list->second.state ||
          *list->second.state == TicketState::kRaised) {
        continue;
      }
      if (!when || at < *when) when = at;
    }
    // A merged repeat need never have been sent: only a move says it was.
    if (!when && item.state != TicketState::kMerged) when = card.last_activity;
    std::optional<Date> sent;
    if (when) sent = london_dates_.Of(*when);
    const std::optional<Date>& done =
        item.answered_on ? item.answered_on : item.declined_on;
    if (done && (!sent || *done < *sent)) sent = done;
    const std::optional<Date>& raised = item.ticket.raised_on;
    const bool unsent_repeat = !sent && item.state == TicketState::kMerged;
    if (raised && !unsent_repeat && (!sent || *sent < *raised)) sent = raised;
    return sent;
  }

  // The board: section to paste: every list's state (guessed for unmapped
  // ones), and the labels that named nothing, as comments.
  std::string Yaml(const TrelloImportPlan& plan) const {
    std::string out =
        "# Paste into the board: section of the configuration; check every "
        "line marked \"guess\".\nboard:\n  trello_lists:\n";
    std::map<std::string, std::string> lines;  // By list name: one each.
    for (const auto& [name, state] : mapping_) {
      lines[name] = TicketStateName(state);
    }
    for (const TrelloImportPlan::List& l : plan.lists) {
      if (l.how == "unmapped") {
        lines[l.name] = std::string(TicketStateName(GuessState(l.name))) +
                        "  # guess: " + std::to_string(l.cards) +
                        (l.cards == 1 ? " card" : " cards");
      }
    }
    for (const auto& [name, state] : lines) {
      out += "    " + YamlQuoted(name) + ": " + state + "\n";
    }
    bool first = true;
    for (const TrelloImportPlan::Label& l : plan.labels) {
      if (l.kind != "ignored") continue;
      if (first) {
        out +=
            "# Labels that name no theme, area or team. To use one, add it "
            "to the\n# aliases: of the theme, team or area it means, e.g.\n"
            "#   themes:\n#     - name: access\n#       aliases: "
            "[\"Getting in\"]\n";
        first = false;
      }
      out += "#   " + YamlQuoted(l.name) + " (" + std::to_string(l.cards) +
             (l.cards == 1 ? " card" : " cards") + ")\n";
    }
    const auto none = plan.area_from.find("none");
    if (none != plan.area_from.end() && none->second > 0) {
      out += "# " + std::to_string(none->second) +
             " cards name no area: add the spellings they use to the areas'\n"
             "# aliases:, e.g.\n#   areas:\n#     - name: Farnham & Northeast "
             "Hants\n#       aliases: [\"Farnham & North East Hampshire\"]\n";
    }
    return out;
  }

  // Screens `text` (identifiers, length); a failure is a problem of kind
  // "text", so a dry run lists every one rather than stopping at the first.
  void Screen(const std::string& field, const std::string& text,
              const ScreenOptions& options) {
    try {
      ScreenText(field, text, options);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::kInvalidInput) throw;
      text_problems_.push_back({"text", e.what(), e.remedy()});
    }
  }

  // Screens the card's comments (see Screen), each named by its action.
  void ScreenComments(const CardIn& card) {
    for (const CommentIn& c : card.comments) {
      Screen(Child(Child(Index("actions", c.order), "data"), "text") +
                 " (a comment on " + card.path + ")",
             c.text, TextOptions());
    }
  }

  ScreenOptions TextOptions() const {
    ScreenOptions o;
    o.max_chars = config_.board.max_text_chars;
    o.allow_identifiers = options_.allow_identifiers;
    return o;
  }

  const Config& config_;
  const std::string& source_;
  const TrelloImportOptions& options_;
  const bool share_parse_;
  Reader reader_;
  const Date today_;
  std::vector<std::pair<std::string, const Area*>> area_phrases_;  // Lower.
  std::map<std::string, TicketState> mapping_;
  std::string board_name_;
  std::map<std::string, ListIn> lists_;  // By list id.
  std::vector<std::string> list_order_;
  std::map<std::string, std::string> labels_;        // Label id -> name.
  std::map<std::string, LabelMatch> label_match_;    // By label id.
  std::map<std::string, LabelMatch> label_by_name_;  // By label name.
  std::map<std::string, int> label_cards_;           // Name -> cards.
  std::vector<CardIn> cards_;
  std::vector<const CardIn*> item_cards_;  // The card of each ticket made.
  std::unordered_map<std::string, size_t> card_index_;  // Id -> cards_ index.
  // Read before the cards they belong to may have been: see ReadDocument.
  std::set<std::string> checklist_ids_;
  std::vector<std::pair<std::string, ChecklistIn>> checklists_in_;
  std::vector<ActionIn> actions_in_;
  std::map<int64_t, std::string> ticket_cards_;  // focus's number -> path.
  std::vector<ForumRecord> forums_;              // From focus's data.
  std::map<int64_t, size_t> forum_index_;        // Its number -> forums_.
  std::vector<TrelloNote> warnings_;             // From mapping cards.
  // Screening failures, in file order (see Screen).
  std::vector<TrelloNote> text_problems_;
  LondonDates london_dates_;
};

// --- Export ------------------------------------------------------------------

uint64_t Fnv1a(const std::string& s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string Hex(uint64_t v, int digits) {
  std::string out(digits, '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) {
    out[i] = "0123456789abcdef"[v & 0xf];
  }
  return out;
}

// A 24-hex-digit id that depends only on `key`, so exports are stable.
std::string StableId(const std::string& key) {
  return Hex(Fnv1a("a:" + key), 16) + Hex(Fnv1a("b:" + key), 8);
}

// Trello-style: the creation time (noon, London, on the day the ticket was
// raised) then a hash, so an import reads raised_on back from the id.
std::string CardId(const Ticket& t) {
  const std::time_t created = LondonToUnix(t.raised_on, TimeOfDay{12 * 60});
  return Hex(static_cast<uint64_t>(created), 8) +
         Hex(Fnv1a("card:" + std::to_string(t.id)), 16);
}

// Noon UTC is the same calendar day in London in both GMT and BST.
std::string TrelloDate(Date d) { return FormatIsoDate(d) + "T12:00:00.000Z"; }

// Every ticket, merged ones too, by id: exports do not depend on List's order.
std::vector<Ticket> AllTicketsById(const Board& board) {
  TicketFilter all;
  all.include_merged = true;
  std::vector<Ticket> tickets = board.List(all);
  std::sort(tickets.begin(), tickets.end(),
            [](const Ticket& a, const Ticket& b) { return a.id < b.id; });
  return tickets;
}

// Tickets keep the area's slug; people read its name.
std::string AreaName(const Config& config, const std::string& slug) {
  const Area* area = config.FindArea(slug);
  return area != nullptr ? area->name : slug;
}

class Exporter {
 public:
  Exporter(const Board& board, const Config& config)
      : board_(board), config_(config) {}

  std::string Run() {
    const std::vector<Ticket> tickets = AllTicketsById(board_);
    for (const Ticket& t : tickets) {
      titles_[t.id] = t.title;
      if (t.merged_into) {
        repeat_forums_[*t.merged_into].insert(t.forum_ids.begin(),
                                              t.forum_ids.end());
      }
    }

    board_id_ = StableId("board:" + config_.series_name);
    board_name_ = config_.series_name + " feedback board";
    for (const std::string& theme : config_.board.themes) Label("theme", theme);
    for (const Area* area : config_.Forums()) Label("area", area->name);
    for (const std::string& team : config_.board.teams) Label("team", team);

    OJson lists = OJson::array();
    for (size_t i = 0; i < std::size(kAllStates); ++i) {
      const TicketState s = kAllStates[i];
      lists.push_back({{"id", ListId(s)},
                       {"name", ListName(s)},
                       {"closed", false},
                       {"idBoard", board_id_},
                       {"pos", 16384 * static_cast<int64_t>(i + 1)}});
    }
    OJson cards = OJson::array();
    OJson checklists = OJson::array();
    std::vector<std::pair<std::string, OJson>> actions;  // {date, action}.
    std::map<TicketState, int64_t> pos;
    for (const Ticket& t : tickets) {
      const Kept kept = ReadKept(t);
      cards.push_back(Card(t, kept, 16384 * ++pos[t.state], &checklists));
      AddActions(t, kept, &actions);
    }
    // Trello lists actions newest first; ties keep ticket order.
    std::stable_sort(
        actions.begin(), actions.end(),
        [](const auto& a, const auto& b) { return a.first > b.first; });

    OJson out;
    out["id"] = board_id_;
    out["name"] = board_name_;
    out["desc"] = "Exported by focus from the " + config_.organisation +
                  " feedback board.";
    out["closed"] = false;
    out["labels"] = OJson::array();
    for (const std::string& key : label_order_) {
      out["labels"].push_back(labels_.at(key));
    }
    out["lists"] = std::move(lists);
    out["cards"] = std::move(cards);
    out["actions"] = OJson::array();
    for (auto& a : actions) out["actions"].push_back(std::move(a.second));
    // Voters are anonymous and nobody is a member: votes are counted only.
    out["members"] = OJson::array();
    out["checklists"] = std::move(checklists);
    // Only forums need focus's data at board level: without them there is
    // none to write.
    const std::vector<ForumRecord> forums = board_.Forums();
    if (!forums.empty()) out["pluginData"] = BoardPluginData(forums);
    try {
      return out.dump(2) + "\n";
    } catch (const OJson::exception& e) {
      throw Error(ErrorKind::kInternal,
                  std::string("Trello export: ") + e.what());
    }
  }

 private:
  std::string ListId(TicketState s) const {
    return StableId(std::string("list:") + TicketStateName(s));
  }

  // The first list name (in name order) the mapping gives the state, else
  // the state's label.
  std::string ListName(TicketState s) const {
    for (const auto& [name, state] : config_.board.trello_lists) {
      if (state == TicketStateName(s)) return name;
    }
    return TicketStateLabel(s);
  }

  // The label for a configured (or stored) name; made on first use.
  const OJson& Label(const std::string& kind, const std::string& name) {
    const std::string key = kind + ":" + name;
    auto it = labels_.find(key);
    if (it != labels_.end()) return it->second;
    const char* color = kind == "theme"  ? "blue"
                        : kind == "area" ? "green"
                        : kind == "team" ? "orange"
                                         : "sky";
    label_order_.push_back(key);
    return labels_[key] = OJson{{"id", StableId("label:" + key)},
                                {"idBoard", board_id_},
                                {"name", name},
                                {"color", color}};
  }

  // What the history keeps of a ticket for Trello: its comments and what
  // an import kept of the card (kTrelloField).
  struct Kept {
    struct Comment {
      int64_t entry = 0;  // History entry id: stable action ids.
      std::string at;     // Trello's form, "2027-01-05T10:00:00.000Z".
      std::string author;
      std::string text;
    };
    std::vector<Comment> comments;
    nlohmann::json card = nlohmann::json::object();
    std::vector<HistoryEntry> history;  // The ticket's own, oldest first.
  };

  Kept ReadKept(const Ticket& t) const {
    Kept kept;
    for (HistoryEntry& e : board_.History(t.id)) {
      if (e.ticket_id != t.id) continue;  // A merged repeat's own.
      kept.history.push_back(e);
      if (e.field == "comment") {
        // The note is "2027-01-05T10:00:00Z by NAME" (see ImportTrello).
        const size_t by = e.note.find(" by ");
        const std::string when = e.note.substr(0, by);
        Kept::Comment c;
        c.entry = e.id;
        c.at = ParseUtcTimestamp(when) && when.size() == 20
                   ? when.substr(0, 19) + ".000Z"
                   : TrelloDate(t.raised_on);
        c.author = by == std::string::npos ? e.actor : e.note.substr(by + 4);
        c.text = e.new_value;
        kept.comments.push_back(std::move(c));
      } else if (e.field == "created" && !kept.card.contains("id")) {
        const std::string from = std::string("imported from ") + kOriginPrefix;
        const size_t at = e.note.find(from);
        if (at != std::string::npos) {
          const size_t id = at + from.size();
          kept.card["id"] = e.note.substr(id, e.note.find(' ', id) - id);
        }
      } else if (e.field == kTrelloField) {
        nlohmann::json card = nlohmann::json::parse(e.new_value, nullptr,
                                                    /*allow_exceptions=*/false);
        if (card.is_object()) kept.card = std::move(card);
      }
    }
    return kept;
  }

  OJson Card(const Ticket& t, const Kept& kept, int64_t pos,
             OJson* checklists) {
    const nlohmann::json& k = kept.card;
    OJson card;
    card["id"] = KeptCardId(t, kept);
    card["idShort"] = t.id;
    card["name"] = t.title;
    card["desc"] = Description(t);
    card["closed"] =
        t.state == TicketState::kMerged || k.value("closed", false) == true;
    card["idBoard"] = board_id_;
    card["idList"] = ListId(t.state);
    card["idLabels"] = OJson::array();
    card["labels"] = OJson::array();
    for (const OJson* label : CardLabels(t, k)) {
      card["idLabels"].push_back((*label)["id"]);
      card["labels"].push_back(*label);
    }
    card["idMembers"] = OJson::array();
    // One anonymous id per vote, derived from the ticket: never a person. A
    // merged repeat's votes are counted on the ticket it was merged into.
    card["idMembersVoted"] = OJson::array();
    if (t.state != TicketState::kMerged) {
      for (int i = 0; i < ExportedVotes(t); ++i) {
        card["idMembersVoted"].push_back(
            StableId("vote:" + std::to_string(t.id) + ":" + std::to_string(i)));
      }
    }
    card["due"] = k.contains("due") && k["due"].is_string()
                      ? OJson(k["due"].get<std::string>())
                      : OJson();
    card["dueComplete"] = k.value("dueComplete", false) == true;
    card["dateLastActivity"] = TrelloDate(LastActivity(t));
    card["pos"] = pos;
    card["idChecklists"] = OJson::array();
    AddChecklists(t, k, &card, checklists);
    card["pluginData"] = OJson::array();
    card["pluginData"].push_back(
        {{"id", StableId("plugin:" + std::to_string(t.id))},
         {"idPlugin", kFocusPlugin},
         {"scope", "card"},
         {"idModel", card["id"]},
         {"value", FocusData(t, kept).dump()},
         {"access", "private"}});
    return card;
  }

  // The labels of a ticket's card: its themes, area and team, and the
  // labels kept from Trello that name none of them.
  std::vector<const OJson*> CardLabels(const Ticket& t,
                                       const nlohmann::json& k) {
    std::vector<const OJson*> labels;
    for (const std::string& theme : t.themes) {
      labels.push_back(&Label("theme", theme));
    }
    labels.push_back(&Label("area", AreaName(config_, t.area)));
    if (!t.team.empty()) labels.push_back(&Label("team", t.team));
    if (k.contains("labels") && k["labels"].is_array()) {
      for (const nlohmann::json& name : k["labels"]) {
        if (name.is_string()) labels.push_back(&Label("other", name));
      }
    }
    return labels;
  }

  // The checklists kept from Trello, into the board's `checklists` and
  // named by the card.
  void AddChecklists(const Ticket& t, const nlohmann::json& k, OJson* card,
                     OJson* checklists) {
    if (!k.contains("checklists") || !k["checklists"].is_array()) return;
    int64_t n = 0;
    for (const nlohmann::json& c : k["checklists"]) {
      const std::string key =
          "checklist:" + std::to_string(t.id) + ":" + std::to_string(n);
      OJson list;
      list["id"] = StableId(key);
      list["idBoard"] = board_id_;
      list["idCard"] = (*card)["id"];
      list["name"] = c.value("name", "");
      list["pos"] = 16384 * ++n;
      list["checkItems"] = OJson::array();
      int64_t m = 0;
      for (const nlohmann::json& item :
           c.value("checkItems", nlohmann::json::array())) {
        list["checkItems"].push_back(
            {{"id", StableId(key + ":" + std::to_string(m))},
             {"idChecklist", list["id"]},
             {"name", item.value("name", "")},
             {"state", item.value("state", "incomplete")},
             {"pos", 16384 * ++m}});
      }
      (*card)["idChecklists"].push_back(list["id"]);
      checklists->push_back(std::move(list));
    }
  }

  // What focus knows that Trello has no field for, where Trello keeps app
  // data; the import reads it back (see kFocusPlugin).
  OJson FocusData(const Ticket& t, const Kept& kept) const {
    OJson focus;
    focus["ticket"] = t.id;
    focus["raised_by"] = t.raised_by;
    if (t.forum_id) focus["forum"] = *t.forum_id;
    const std::vector<int64_t> voted_at = VotedAt(t);
    if (!voted_at.empty()) focus["voted_at"] = voted_at;
    if (t.merged_into) {
      // Its card has no Trello votes: they count on its survivor's card.
      focus["merged_into"] = *t.merged_into;
      focus["votes"] = t.votes;
    }
    if (t.paused_since) focus["paused_since"] = FormatIsoDate(*t.paused_since);
    if (t.paused_working_days > 0) {
      focus["paused_working_days"] = t.paused_working_days;
    }
    if (t.reopened_on) focus["reopened_on"] = FormatIsoDate(*t.reopened_on);
    // The whole history and every vote row, so that an import reproduces
    // the ticket as recorded here (see ReadFocusHistory).
    OJson history = OJson::array();
    for (const HistoryEntry& e : kept.history) {
      history.push_back(OJson::array(
          {e.id, e.at, e.actor, e.field, e.old_value, e.new_value, e.note}));
    }
    focus["history"] = std::move(history);
    OJson votes = OJson::array();
    for (const VoteRecord& v : board_.Votes(t.id)) {
      votes.push_back(OJson::array({v.forum_id ? OJson(*v.forum_id) : OJson(),
                                    v.count, v.at, v.actor, v.note, v.id}));
    }
    focus["vote_rows"] = std::move(votes);
    OJson verdicts = OJson::array();
    for (const VerdictRecord& r : board_.Verdicts(t.id)) {
      const ForumVerdict& v = r.verdict;
      verdicts.push_back(
          OJson::array({v.id, v.forum_id, VerdictName(v.verdict), v.note,
                        FormatIsoDate(v.answered_on), r.at, r.actor}));
    }
    if (!verdicts.empty()) focus["verdicts"] = std::move(verdicts);
    return focus;
  }

  // The recorded forums, which cards name by number, where Trello keeps a
  // board's app data (see kFocusPlugin); in id order, so that an import
  // into a board without forums records them under the same numbers.
  OJson BoardPluginData(std::vector<ForumRecord> forums) const {
    std::sort(
        forums.begin(), forums.end(),
        [](const ForumRecord& a, const ForumRecord& b) { return a.id < b.id; });
    OJson list = OJson::array();
    for (const ForumRecord& f : forums) {
      const Attendance& a = f.attendance;
      list.push_back({{"id", f.id},
                      {"plan_id", f.plan_id},
                      {"area", f.area},
                      {"held_on", FormatIsoDate(f.held_on)},
                      {"format", FormatName(f.format)},
                      {"title", f.title},
                      {"attendance",
                       {{"service_users", a.service_users},
                        {"carers", a.carers},
                        {"trust_staff", a.trust_staff},
                        {"governors", a.governors},
                        {"others", a.others}}},
                      {"apologies", f.apologies},
                      {"recorded_at", f.recorded_at},
                      {"recorded_by", f.recorded_by}});
    }
    OJson value;
    value["forums"] = std::move(list);
    OJson entries = OJson::array();
    entries.push_back(OJson{{"id", StableId("plugin:board")},
                            {"idPlugin", kFocusPlugin},
                            {"scope", "board"},
                            {"idModel", board_id_},
                            {"value", value.dump()},
                            {"access", "private"}});
    return entries;
  }

  // The forums a ticket was voted at itself: not the one it was raised at,
  // nor those its merged repeats bring (the board derives both).
  std::vector<int64_t> VotedAt(const Ticket& t) const {
    std::vector<int64_t> own;
    auto repeats = repeat_forums_.find(t.id);
    for (int64_t f : t.forum_ids) {
      if (f == t.forum_id) continue;
      if (repeats != repeat_forums_.end() && repeats->second.count(f) != 0) {
        continue;
      }
      own.push_back(f);
    }
    return own;
  }

  // The id of the card it was imported from, else one made from the ticket.
  static std::string KeptCardId(const Ticket& t, const Kept& kept) {
    const nlohmann::json& k = kept.card;
    if (k.contains("id") && k["id"].is_string()) {
      return k["id"].get<std::string>();
    }
    return CardId(t);
  }

  // A ticket's votes include the people who raised it; Trello has no such
  // count, and an import takes a card as raised by one person plus its
  // votes, so that person is the one vote not written as a Trello vote.
  static int ExportedVotes(const Ticket& t) { return std::max(0, t.votes - 1); }

  static Date LastActivity(const Ticket& t) {
    Date last = t.raised_on;
    for (const std::optional<Date>& d :
         {t.sent_on, t.answered_on, t.declined_on}) {
      if (d && last < *d) last = *d;
    }
    return last;
  }

  std::string Description(const Ticket& t) const {
    std::vector<std::string> notes;
    if (!t.answer.empty()) {
      std::string head = "**Trust answer**";
      if (t.answered_on || !t.answered_by.empty()) {
        std::vector<std::string> parts;
        if (t.answered_on) parts.push_back(FormatIsoDate(*t.answered_on));
        if (!t.answered_by.empty()) parts.push_back(t.answered_by);
        head += " (" + Join(parts, ", ") + ")";
      }
      notes.push_back(head + ": " + t.answer);
    }
    if (!t.decline_reason.empty()) {
      notes.push_back("**Declined**: " + t.decline_reason);
    }
    if (t.merged_into) {
      auto title = titles_.find(*t.merged_into);
      notes.push_back(
          "**Merged into #" + std::to_string(*t.merged_into) + "**" +
          (title == titles_.end() ? "" : " " + Quoted(title->second)) +
          ": its votes are counted there.");
    }
    if (notes.empty()) return t.details;
    const std::string section = kRule + Join(notes, "\n\n");
    return t.details.empty() ? section : t.details + "\n\n" + section;
  }

  void AddActions(const Ticket& t, const Kept& kept,
                  std::vector<std::pair<std::string, OJson>>* actions) const {
    const std::string card_id = KeptCardId(t, kept);
    const OJson card = {{"id", card_id}, {"name", t.title}, {"idShort", t.id}};
    const OJson board = {{"id", board_id_}, {"name", board_name_}};
    auto add_at = [&](const std::string& kind, const std::string& date,
                      const std::string& type, const std::string& author,
                      OJson data) {
      data["card"] = card;
      data["board"] = board;
      OJson a;
      a["id"] = StableId("action:" + kind + ":" + std::to_string(t.id));
      a["idMemberCreator"] = StableId("member:" + author);
      a["type"] = type;
      a["date"] = date;
      a["data"] = std::move(data);
      a["memberCreator"] = {{"id", StableId("member:" + author)},
                            {"fullName", author}};
      actions->emplace_back(date, std::move(a));
    };
    auto add = [&](const std::string& kind, Date on, const std::string& type,
                   const std::string& author, OJson data) {
      add_at(kind, TrelloDate(on), type, author, std::move(data));
    };
    // A kept card id does not tell when the card was made.
    if (card_id != CardId(t)) {
      add("create", t.raised_on, "createCard", config_.series_name,
          {{"list", {{"id", ListId(t.state)}, {"name", ListName(t.state)}}}});
    }
    bool answer_written = false;
    bool reason_written = false;
    for (const Kept::Comment& c : kept.comments) {
      add_at("comment:" + std::to_string(c.entry), c.at, "commentCard",
             c.author, {{"text", c.text}});
      if (AfterPrefix(c.text, kAnswerPrefixes) == Trim(t.answer)) {
        answer_written = true;
      }
      if (AfterPrefix(c.text, kDeclinePrefixes) == Trim(t.decline_reason) ||
          AfterPrefix(c.text, kAnswerPrefixes) == Trim(t.decline_reason)) {
        reason_written = true;
      }
    }
    // The move out of "raised" records when the ticket was sent.
    if (t.sent_on) {
      add("sent", *t.sent_on, "updateCard", config_.series_name,
          {{"listBefore",
            {{"id", ListId(TicketState::kRaised)},
             {"name", ListName(TicketState::kRaised)}}},
           {"listAfter",
            {{"id", ListId(TicketState::kSentToTrust)},
             {"name", ListName(TicketState::kSentToTrust)}}},
           {"old", {{"idList", ListId(TicketState::kRaised)}}}});
    }
    const OJson list = {{"id", ListId(t.state)}, {"name", ListName(t.state)}};
    if (!t.answer.empty() && !answer_written) {
      const std::string author =
          t.answered_by.empty() ? config_.organisation : t.answered_by;
      add("answer", t.answered_on.value_or(LastActivity(t)), "commentCard",
          author, {{"text", kAnswerPrefix + t.answer}, {"list", list}});
    }
    if (!t.decline_reason.empty() && !reason_written) {
      add("decline", t.declined_on.value_or(LastActivity(t)), "commentCard",
          config_.organisation,
          {{"text", kDeclinePrefix + t.decline_reason}, {"list", list}});
    }
  }

  const Board& board_;
  const Config& config_;
  std::string board_id_;
  std::string board_name_;
  std::map<std::string, OJson> labels_;  // "theme:access" -> label.
  std::vector<std::string> label_order_;
  std::map<int64_t, std::string> titles_;
  // The forums of the repeats merged into each ticket (with theirs).
  std::map<int64_t, std::set<int64_t>> repeat_forums_;
};

std::string OptDate(const std::optional<Date>& d) {
  return d ? FormatIsoDate(*d) : "";
}

// Reads the board in `text`, but for its tickets (see Importer::Parse):
// the parse shared between two threads, and on invalid input again alone,
// so that the error is the first in the file.
std::unique_ptr<Importer> ParseBoard(const Config& config,
                                     const std::string& text,
                                     const std::string& source,
                                     const TrelloImportOptions& options,
                                     TrelloImportPlan* plan) {
  try {
    auto importer = std::make_unique<Importer>(config, source, options, true);
    importer->Parse(text, plan);
    return importer;
  } catch (const SharedParseFailed&) {
    *plan = TrelloImportPlan();
  }
  auto importer = std::make_unique<Importer>(config, source, options, false);
  importer->Parse(text, plan);
  return importer;
}

// Refuses the import when the plan has problems: the first, and how many
// more.
void RefuseProblems(const TrelloImportPlan& plan, const std::string& source) {
  if (plan.problems.empty()) return;
  const size_t more = plan.problems.size() - 1;
  if (more == 0) {
    throw Error(ErrorKind::kInvalidInput, source + ": " + plan.problems[0].text,
                "", plan.problems[0].remedy);
  }
  throw Error(ErrorKind::kInvalidInput,
              source + ": " + plan.problems[0].text + " (and " +
                  std::to_string(more) + " more " +
                  (more == 1 ? "problem" : "problems") + ")",
              "", Remedy::kDryRun);
}

// Runs `write`, naming the file in a refusal: the board names the card
// ("cards[3]: ...").
void Writing(const std::string& source, const std::function<void()>& write) {
  try {
    write();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kInvalidInput &&
        e.kind() != ErrorKind::kConflict) {
      throw;
    }
    throw Error(e.kind(), source + ": " + e.what(), e.field(), e.remedy());
  }
}

// Tickets on their way from the thread that makes them to the board that
// writes them.
class TicketQueue : public ImportFeed {
 public:
  void Push(ImportedTicket&& item) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      queue_.push_back(std::move(item));
    }
    ready_.notify_one();
  }
  // No more will come; `abandon`: the import is not to be written.
  void End(bool abandon) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ended_ = true;
      abandon_ = abandon;
    }
    ready_.notify_one();
  }
  std::optional<ImportedTicket> Next() override {
    if (next_ == taken_.size()) {
      // Every ticket made so far at once: a wait and a lock per batch, not
      // per ticket. The two vectors trade places, so neither thread frees
      // what the other allocated while both run.
      taken_.clear();
      next_ = 0;
      std::unique_lock<std::mutex> lock(mutex_);
      ready_.wait(lock, [&] { return !queue_.empty() || ended_; });
      if (queue_.empty()) {
        // What went wrong is told by the import, once the maker has ended.
        if (abandon_) throw Abandoned();
        return std::nullopt;
      }
      taken_.swap(queue_);
    }
    return std::move(taken_[next_++]);
  }

  struct Abandoned {};

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<ImportedTicket> queue_;
  bool ended_ = false;
  bool abandon_ = false;
  // Only Next's: the batch taken from queue_, and the next item in it.
  std::vector<ImportedTicket> taken_;
  size_t next_ = 0;
};

// Maps the cards on a second thread while the board writes each ticket as
// it is made: all or nothing still, as the board commits only once every
// card is mapped without a problem. Errors are told as ImportTrello tells
// them when it maps every card first: the mapping's, then the plan's
// problems, then the board's.
void MapWhileWriting(Importer& importer, Board& board,
                     const std::string& source, const std::string& actor,
                     TrelloImportPlan* plan) {
  TicketQueue queue;
  const size_t cards = importer.cards();
  const std::vector<ForumRecord>& forums = importer.forums();
  std::exception_ptr mapping_error;
  std::thread mapper([&] {
    try {
      importer.Map(plan,
                   [&](ImportedTicket&& item) { queue.Push(std::move(item)); });
      importer.Complete(plan);
      queue.End(!plan->problems.empty());
      importer.ReleaseBoard();
    } catch (...) {
      mapping_error = std::current_exception();
      queue.End(true);
    }
  });
  std::exception_ptr writing_error;
  try {
    Writing(source, [&] { board.ImportTickets(queue, cards, actor, forums); });
  } catch (const TicketQueue::Abandoned&) {
    // Told below.
  } catch (...) {
    writing_error = std::current_exception();
  }
  mapper.join();
  if (mapping_error != nullptr) std::rethrow_exception(mapping_error);
  RefuseProblems(*plan, source);
  if (writing_error != nullptr) std::rethrow_exception(writing_error);
}

}  // namespace

TrelloImportPlan PlanTrelloImport(const Config& config,
                                  const std::string& json_text,
                                  const std::string& source,
                                  const TrelloImportOptions& options) {
  TrelloImportPlan plan;
  std::vector<ImportedTicket> items;
  ParseBoard(config, json_text, source, options, &plan)->MapAll(&plan, &items);
  return plan;
}

TrelloImportResult ImportTrello(Board& board, const Config& config,
                                const std::string& json_text,
                                const std::string& source,
                                const TrelloImportOptions& options,
                                const std::string& actor) {
  // Every card is read, mapped and screened, with the board's today,
  // before anything is committed.
  TrelloImportOptions with_clock = options;
  if (with_clock.clock == nullptr) with_clock.clock = &board.clock();
  TrelloImportPlan plan;
  const std::unique_ptr<Importer> importer =
      ParseBoard(config, json_text, source, with_clock, &plan);
  if (importer->Streams()) {
    MapWhileWriting(*importer, board, source, actor, &plan);
  } else {
    std::vector<ImportedTicket> items;
    importer->MapAll(&plan, &items);
    RefuseProblems(plan, source);
    Writing(source,
            [&] { board.ImportTickets(items, actor, importer->forums()); });
  }
  TrelloImportResult result;
  result.cards = plan.tickets;
  result.archived = plan.archived;
  result.votes = plan.votes;
  result.comments = plan.comments;
  result.checklists = plan.checklists;
  result.due_dates = plan.due_dates;
  result.warnings = std::move(plan.warnings);
  return result;
}

namespace {

// Notes grouped by kind, kinds in order of first appearance.
std::vector<std::pair<std::string, std::vector<const TrelloNote*>>> ByKind(
    const std::vector<TrelloNote>& notes) {
  std::vector<std::pair<std::string, std::vector<const TrelloNote*>>> groups;
  for (const TrelloNote& n : notes) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.first == n.kind; });
    if (it == groups.end()) {
      groups.push_back({n.kind, {}});
      it = groups.end() - 1;
    }
    it->second.push_back(&n);
  }
  return groups;
}

OJson NotesJson(const std::vector<TrelloNote>& notes) {
  OJson out = OJson::array();
  for (const TrelloNote& n : notes) {
    out.push_back({{"kind", n.kind}, {"text", n.text}});
  }
  return out;
}

}  // namespace

// TrelloImportPlan::area_from's keys, in the order the import tries them.
constexpr const char* kAreaSources[] = {"label", "list", "title", "description",
                                        "none"};

std::string RenderTrelloWarnings(const std::vector<TrelloNote>& warnings,
                                 size_t examples, const std::string& see_all) {
  std::string out;
  for (const auto& [kind, notes] : ByKind(warnings)) {
    out += "warning: " + kind + ": " + std::to_string(notes.size()) +
           (notes.size() == 1 ? " card or list" : " cards or lists") + "\n";
    for (size_t i = 0; i < notes.size() && i < examples; ++i) {
      out += "  " + notes[i]->text + "\n";
    }
    if (notes.size() > examples) {
      out += "  ... and " + std::to_string(notes.size() - examples) + " more" +
             (see_all.empty() ? "" : " (" + see_all + ")") + "\n";
    }
  }
  return out;
}

std::string RenderTrelloPlanText(const TrelloImportPlan& plan) {
  std::string out = "Lists:\n";
  for (const TrelloImportPlan::List& l : plan.lists) {
    out += "  " + Quoted(l.name) + " (" + std::to_string(l.cards) +
           (l.cards == 1 ? " card" : " cards") + ") -> " +
           (l.state.empty() ? std::string("?") : l.state) + " (" + l.how +
           ")\n";
  }
  out += "Labels:\n";
  if (plan.labels.empty()) out += "  (none on any card)\n";
  for (const TrelloImportPlan::Label& l : plan.labels) {
    out += "  " + Quoted(l.name) + " (" + std::to_string(l.cards) +
           (l.cards == 1 ? " card" : " cards") + ") -> " + l.kind +
           (l.target.empty() ? "" : " " + Quoted(l.target)) + "\n";
  }
  out += "Areas found by:";
  for (const char* from : kAreaSources) {
    auto it = plan.area_from.find(from);
    out += std::string(" ") + from + " " +
           std::to_string(it == plan.area_from.end() ? 0 : it->second) +
           (std::string(from) == "none" ? "" : ",");
  }
  out += "\n";
  out += "Would import " + std::to_string(plan.tickets) + " of " +
         std::to_string(plan.cards) + " cards (" +
         std::to_string(plan.archived) + " archived, " +
         std::to_string(plan.votes) + " votes, " +
         std::to_string(plan.comments) + " comments, " +
         std::to_string(plan.checklists) + " checklists, " +
         std::to_string(plan.due_dates) + " due dates)\n";
  out += "Problems: " + std::to_string(plan.problems.size()) + "\n";
  for (const auto& [kind, notes] : ByKind(plan.problems)) {
    out += "  " + kind + " (" + std::to_string(notes.size()) + "):\n";
    for (const TrelloNote* n : notes) out += "    " + n->text + "\n";
  }
  out += "Warnings: " + std::to_string(plan.warnings.size()) + "\n";
  for (const auto& [kind, notes] : ByKind(plan.warnings)) {
    out += "  " + kind + " (" + std::to_string(notes.size()) + "):\n";
    for (const TrelloNote* n : notes) out += "    " + n->text + "\n";
  }
  out += "\n" + plan.yaml;
  return out;
}

std::string RenderTrelloPlanJson(const TrelloImportPlan& plan) {
  OJson out;
  out["lists"] = OJson::array();
  for (const TrelloImportPlan::List& l : plan.lists) {
    out["lists"].push_back(
        {{"path", l.path},
         {"name", l.name},
         {"cards", l.cards},
         {"state", l.state.empty() ? OJson() : OJson(l.state)},
         {"how", l.how}});
  }
  out["labels"] = OJson::array();
  for (const TrelloImportPlan::Label& l : plan.labels) {
    out["labels"].push_back(
        {{"name", l.name},
         {"kind", l.kind},
         {"target", l.target.empty() ? OJson() : OJson(l.target)},
         {"cards", l.cards}});
  }
  out["area_from"] = OJson::object();
  for (const char* from : kAreaSources) {
    auto it = plan.area_from.find(from);
    out["area_from"][from] = it == plan.area_from.end() ? 0 : it->second;
  }
  out["cards"] = plan.cards;
  out["tickets"] = plan.tickets;
  out["archived"] = plan.archived;
  out["votes"] = plan.votes;
  out["comments"] = plan.comments;
  out["checklists"] = plan.checklists;
  out["due_dates"] = plan.due_dates;
  out["problems"] = NotesJson(plan.problems);
  out["warnings"] = NotesJson(plan.warnings);
  out["yaml"] = plan.yaml;
  return out.dump(2) + "\n";
}

std::string ExportTrello(const Board& board, const Config& config) {
  return Exporter(board, config).Run();
}

std::string ExportCsv(const Board& board, const Config& config) {
  const std::vector<std::string> header = {
      "id",     "title",       "details",     "area",           "themes",
      "team",   "state",       "raised_on",   "votes",          "sent_on",
      "answer", "answered_by", "answered_on", "decline_reason", "merged_into"};
  std::vector<std::vector<std::string>> rows = {header};
  for (const Ticket& t : AllTicketsById(board)) {
    rows.push_back({std::to_string(t.id), t.title, t.details,
                    AreaName(config, t.area), Join(t.themes, "; "), t.team,
                    TicketStateName(t.state), FormatIsoDate(t.raised_on),
                    std::to_string(t.votes), OptDate(t.sent_on), t.answer,
                    t.answered_by, OptDate(t.answered_on), t.decline_reason,
                    t.merged_into ? std::to_string(*t.merged_into) : ""});
  }
  return RenderCsv(rows);
}

}  // namespace focus
