// Large-print A4 posters (`focus poster 2027-Q2`), for people without a
// computer: one PDF per forum with the next two rounds from the plan (the
// rounds the quarter's newsletter advertises): date, time, venue, access,
// how to join by link or by phone, and whom to ring.
//
// Drawn with cairo and laid out with pango. The text is at least 16 point
// (24 point when it fits on one page) in a plain sans-serif font, black on
// white. The PDF's creation date comes from SOURCE_DATE_EPOCH, the
// configuration's calendar.dtstamp, or the plan year, never the clock, so
// the same plan gives byte-identical files.
#ifndef FOCUS_POSTER_H_
#define FOCUS_POSTER_H_

#include <ctime>
#include <map>
#include <string>
#include <vector>

#include "focus/config.h"
#include "focus/newsletter.h"
#include "focus/plan.h"

namespace focus {

struct PosterLine {
  // kLink: a web address, on a line of its own and never broken across
  // lines (a break at a hyphen would change it); smaller print if need be.
  enum class Style { kSeries, kTitle, kHeading, kBody, kLink };
  Style style = Style::kBody;
  std::string text;
};

// The words of one forum's poster, in order. REQUIRES: plan is
// PlanYear(config, q.plan_year, ...) (its look-ahead has next year's
// rounds). Throws Error(kInvalidInput) if organisation.contact is not set.
std::vector<PosterLine> PosterText(const Config& config, const Plan& plan,
                                   const Quarter& q, const Area& forum);

// Every poster: "poster-east-surrey.pdf" -> the PDF's bytes, one per forum
// (the areas and the evening forum). `created` is the PDF creation date.
std::map<std::string, std::string> RenderPosters(const Config& config,
                                                 const Plan& plan,
                                                 const Quarter& q,
                                                 std::time_t created);

}  // namespace focus

#endif  // FOCUS_POSTER_H_
