// The quarterly roundup newsletter: Markdown, HTML and plain-text drafts,
// and an Easy Read variant, from editable templates.
//
// The engine builds one view (JSON) from the board, the plan and the
// configuration; templates/newsletter*.mustache turn it into words.
// docs/templates.md lists every name a template can use.
//
// "Since the last newsletter" is the window (previous copy deadline, as_of]:
// after the copy deadline of the round before, up to and including this
// round's copy deadline (or today, if that comes first: a draft pulled early
// shows what is known so far). Answers published after as_of wait for the
// next newsletter, so every answer appears in exactly one newsletter.
//
// Nothing in it identifies a person: no raiser details, no ticket details,
// no history, no internal notes; only titles, areas, forums, themes, votes
// and the Trust's published answers and reasons.
#ifndef FOCUS_NEWSLETTER_H_
#define FOCUS_NEWSLETTER_H_

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "focus/board.h"
#include "focus/config.h"
#include "focus/plan.h"
#include "focus/templates.h"

namespace focus {

// A quarter is a round of the plan: "2027-Q2" is round 2 of plan year 2027
// (April to June with rounds starting in January).
struct Quarter {
  int plan_year = 0;
  int round = 0;  // 1..4.
};
// Parses "2027-Q2" (also "2027-q2"). Throws Error(kInvalidInput) naming
// `text` and the expected form.
Quarter ParseQuarter(const std::string& text);
// "2027-Q2".
std::string QuarterId(const Quarter& q);

struct NewsletterOptions {
  // Where the templates come from (TemplateOptions::dir = --templates).
  TemplateOptions templates;
  // How many of the most-voted concerns to list.
  int most_voted = 5;
};

// The newsletter's view. REQUIRES: plan is PlanYear(config, q.plan_year, ..)
// (its look-ahead supplies the next rounds across the year end). `today`
// limits the window (a draft pulled before the copy deadline).
nlohmann::json BuildNewsletterView(const Config& config, const Board& board,
                                   const Plan& plan, const Quarter& q,
                                   Date today,
                                   const NewsletterOptions& options = {});

// The shape of every newsletter view (each list with one example item),
// built by the same code from example data: templates are checked against
// it, so a bad name is caught even in a quarter where its section is empty.
nlohmann::json NewsletterViewShape(const Config& config);

// Renders every draft: file name -> content, for
// newsletter.md, newsletter.html, newsletter.txt and
// newsletter-easy-read.md, newsletter-easy-read.html,
// newsletter-easy-read.txt. Throws Error(kInvalidInput) naming
// template:line for a template error; nothing is rendered partly.
std::map<std::string, std::string> RenderNewsletter(
    const Config& config, const nlohmann::json& view,
    const NewsletterOptions& options = {});

}  // namespace focus

#endif  // FOCUS_NEWSLETTER_H_
