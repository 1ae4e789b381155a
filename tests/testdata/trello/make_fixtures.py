#!/usr/bin/env python3
"""Writes the Trello fixtures beside this script: python3 make_fixtures.py

They follow the shape of a real Trello board export. Ids are 24 hex digits
whose first 8 are the creation time in Unix seconds, as Trello's are: the
import reads a ticket's raised-on date from its card id.
"""
import calendar
import copy
import datetime
import hashlib
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def ts(s):  # "2026-11-03T10:15:00"
    return calendar.timegm(datetime.datetime.fromisoformat(s).timetuple())

def oid(when, key):
    return "%08x" % ts(when) + hashlib.sha1(key.encode()).hexdigest()[:16]

def date(s):
    return s + ".000Z"

BOARD = oid("2026-10-01T09:00:00", "board")
def lst(name, when, pos, closed=False):
    return {"id": oid(when, "list:" + name), "name": name, "closed": closed,
            "idBoard": BOARD, "pos": pos}

lists = [lst("Raised at forum", "2026-10-01T09:01:00", 16384),
         lst("Sent to Trust", "2026-10-01T09:02:00", 32768),
         lst("Trust working on it", "2026-10-01T09:03:00", 49152),
         lst("Asked the forum", "2026-10-01T09:04:00", 65536),
         lst("Answered", "2026-10-01T09:05:00", 81920),
         lst("Declined", "2026-10-01T09:06:00", 98304),
         lst("Ideas", "2026-10-01T09:07:00", 114688)]
L = {l["name"]: l for l in lists}

def label(name, color):
    return {"id": oid("2026-10-01T09:10:00", "label:" + name + color),
            "idBoard": BOARD, "name": name, "color": color}

labels = [label(n, c) for n, c in [
    ("access", "blue"), ("Communication", "blue"), ("carers", "blue"),
    ("crisis care", "blue"), ("discharge", "blue"), ("waiting times", "blue"),
    ("East Surrey", "green"), ("Northwest Surrey", "green"),
    ("Surrey Downs", "green"), ("surrey-downs", "lime"),
    ("guildford-waverley", "green"), ("Farnham & Northeast Hants", "green"),
    ("Surrey-wide evening forum", "green"),
    ("Crisis Line", "orange"), ("Estates", "orange"),
    ("Community Mental Health Team", "orange"),
    ("Patient Experience", "orange"), ("Urgent", "red"), ("", "purple")]]
LB = {(l["name"] or "#" + l["color"]): l for l in labels}

members = [{"id": oid("2026-01-05T09:00:00", "m:jo"), "fullName": "Jo Facilitator",
            "username": "jofacilitator"},
           {"id": oid("2026-01-06T09:00:00", "m:sam"), "fullName": "Sam Responder",
            "username": "samresponder"}]
VOTERS = [oid("2026-02-0%dT09:00:00" % (i + 1), "voter%d" % i) for i in range(6)]

cards = []
def card(name, created, lst_name, label_names, votes, last, desc="", closed=False, pos=None):
    c = {"id": oid(created, "card:" + name), "name": name, "desc": desc,
         "closed": closed, "idBoard": BOARD, "idList": L[lst_name]["id"],
         "idLabels": [LB[n]["id"] for n in label_names],
         "labels": [LB[n] for n in label_names],
         "idMembers": [], "idMembersVoted": VOTERS[:votes],
         "due": None, "dueComplete": False,
         "dateLastActivity": date(last), "pos": pos or 16384 * (len(cards) + 1)}
    cards.append(c)
    return c

c0 = card("Crisis line rings out at night", "2026-11-03T19:40:00", "Raised at forum",
          ["crisis care", "Northwest Surrey", "Crisis Line"], 3, "2026-11-20T10:00:00",
          "Several people said calls after 2am ring out.")
c1 = card("Appointment letters arrive late", "2026-11-04T11:05:00", "Sent to Trust",
          ["Communication", "East Surrey"], 0, "2027-01-10T16:00:00",
          "Letters arrive after the appointment date.")
c2 = card("Parking at Farnham Road", "2026-11-05T10:30:00", "Answered",
          ["access", "Farnham & Northeast Hants", "Estates"], 5, "2026-12-12T09:00:00",
          "Too few disabled bays at Farnham Road.\n\nPeople with mobility problems miss appointments.")
c3 = card("Carers not told about discharge", "2026-11-06T14:00:00", "Trust working on it",
          ["carers", "discharge", "guildford-waverley", "Community Mental Health Team"],
          2, "2027-01-08T12:00:00", "Carers found out after the person was home.")
c4 = card("Hearing loop at the venue", "2026-11-07T10:45:00", "Declined",
          ["access", "Surrey Downs", "Estates"], 1, "2027-01-05T15:00:00",
          "The hearing loop did not work.")
c5 = card("Leaflets in other languages", "2026-08-04T10:00:00", "Answered",
          ["East Surrey", "Patient Experience"], 0, "2026-12-01T11:00:00",
          "", closed=True)
c6 = card("Waiting list letters", "2026-12-02T10:30:00", "Raised at forum",
          ["Urgent", "waiting times", "surrey-downs", "#purple"], 1, "2026-12-02T10:30:00",
          "No letter while on the waiting list – people feel forgotten.")
c7 = card("Which evening suits carers?", "2026-12-03T18:45:00", "Asked the forum",
          ["carers", "Surrey-wide evening forum", "Patient Experience"], 0,
          "2027-01-12T10:00:00", "The Trust wants to move the carers' drop-in.")

def brief(c):
    return {"id": c["id"], "name": c["name"], "idShort": cards.index(c) + 1,
            "shortLink": c["id"][-8:]}

actions = []
def action(kind, when, who, data, c):
    data = dict(data)
    data["card"] = brief(c)
    data["board"] = {"id": BOARD, "name": "FoCUS feedback", "shortLink": "fcs1"}
    m = members[0] if who == "Jo Facilitator" else members[1]
    actions.append({"id": oid(when, "action:" + kind + c["name"] + when),
                    "idMemberCreator": m["id"], "type": kind, "date": date(when),
                    "data": data,
                    "memberCreator": {"id": m["id"], "fullName": m["fullName"],
                                      "username": m["username"]}})

def comment(c, when, who, text):
    action("commentCard", when, who,
           {"text": text, "list": {"id": c["idList"], "name": "x"}}, c)

for c in cards:
    action("createCard", c["dateLastActivity"][:19] if c is c6 else
           datetime.datetime.utcfromtimestamp(int(c["id"][:8], 16)).isoformat(),
           "Jo Facilitator", {"list": {"id": c["idList"], "name": "x"}}, c)
comment(c0, "2026-11-20T10:00:00", "Jo Facilitator", "Raised again at the evening forum.")
action("updateCard", "2026-11-20T09:30:00", "Jo Facilitator",
       {"listBefore": {"id": L["Raised at forum"]["id"], "name": "Raised at forum"},
        "listAfter": {"id": L["Sent to Trust"]["id"], "name": "Sent to Trust"},
        "old": {"idList": L["Raised at forum"]["id"]}}, c1)
comment(c2, "2026-11-15T13:00:00", "Jo Facilitator", "Asked Estates for an update.")
comment(c2, "2026-12-10T16:20:00", "Sam Responder",
        "Trust answer: Six more disabled bays open at Farnham Road in March.")
comment(c2, "2026-12-12T09:00:00", "Jo Facilitator", "Thanks, shared with the forum.")
comment(c3, "2027-01-08T12:00:00", "Sam Responder",
        "Answer: A carers' checklist is being added to discharge planning.")
comment(c4, "2027-01-05T15:00:00", "Sam Responder",
        "Declined: The venue is not Trust property; the forum has moved to a venue with a working loop.")
comment(c5, "2026-12-01T11:00:00", "Sam Responder",
        "Trust answer: Leaflets are now in 12 languages.")
comment(c7, "2027-01-12T10:00:00", "Sam Responder",
        "The Trust asks: would Tuesday or Thursday evenings suit carers better?")
action("addMemberToCard", "2026-11-21T10:00:00", "Jo Facilitator",
       {"idMember": members[1]["id"]}, c0)
# A comment on a card since deleted from the board.
gone = {"id": oid("2026-11-09T10:00:00", "gone"), "name": "Deleted card"}
actions.append({"id": oid("2026-11-10T10:00:00", "action:gone"),
                "idMemberCreator": members[0]["id"], "type": "commentCard",
                "date": date("2026-11-10T10:00:00"),
                "data": {"text": "Duplicate, deleting.", "card": gone},
                "memberCreator": {"id": members[0]["id"], "fullName": "Jo Facilitator"}})
actions.sort(key=lambda a: a["date"], reverse=True)  # Trello: newest first.

board = {"id": BOARD, "name": "FoCUS feedback", "desc": "Points raised in part 2 of each forum.",
         "closed": False, "url": "https://trello.com/b/fcs1/focus-feedback",
         "labels": labels, "lists": lists, "cards": cards, "actions": actions,
         "members": members, "checklists": []}

def write(name, doc):
    name = os.path.join(HERE, name)
    with open(name, "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")

write("board.json", board)
text = open(os.path.join(HERE, "board.json")).read()
open(os.path.join(HERE, "truncated.json"), "w").write(text[:text.index('"cards"') + 400])

# Small boards for the error cases: two lists, three cards.
def small(mutate):
    b = {"id": BOARD, "name": "FoCUS feedback", "lists": copy.deepcopy(lists[:2]),
         "labels": copy.deepcopy([LB[n] for n in ["access", "East Surrey", "Surrey Downs"]]),
         "cards": [], "actions": []}
    for i, (name, created) in enumerate([("Bus timetable at the hospital", "2026-11-03T10:00:00"),
                                         ("Signs to the clinic", "2026-11-04T10:00:00"),
                                         ("Parking at Farnham", "2026-11-05T10:00:00")]):
        b["cards"].append({"id": oid(created, "small:" + name), "name": name,
                           "desc": "", "closed": False,
                           "idList": lists[i % 2]["id"],
                           "idLabels": [LB["access"]["id"], LB["East Surrey"]["id"]],
                           "idMembersVoted": [], "due": None,
                           "dateLastActivity": date(created), "pos": 16384 * (i + 1)})
    mutate(b)
    return b

write("not_object.json", [{"id": BOARD, "name": "FoCUS feedback"}])
write("cards_not_array.json", small(lambda b: b.update(cards={"0": b["cards"][0]})))
write("missing_name.json", small(lambda b: b["cards"][1].pop("name")))
write("wrong_type.json", small(lambda b: b["cards"][2].update(name=42)))
def bad_list(b):
    b["cards"][2]["idList"] = oid("2026-10-02T09:00:00", "no such list")
write("bad_list.json", small(bad_list))
def unmapped(b):
    b["lists"].append(copy.deepcopy(L["Ideas"]))
    b["cards"][2]["idList"] = L["Ideas"]["id"]
write("unmapped_list.json", small(unmapped))
def no_area(b):
    b["cards"][2]["idLabels"] = [LB["access"]["id"]]
write("no_area.json", small(no_area))
def identifier(b):
    b["cards"][1]["desc"] = "Mr Smith, NHS number 943 476 5919, waited 3 hours."
write("identifier.json", small(identifier))
def identifier_comment(b):
    c = b["cards"][0]
    b["actions"].append({"id": oid("2026-11-05T10:00:00", "ic"), "type": "commentCard",
                         "date": date("2026-11-05T10:00:00"),
                         "data": {"text": "Call her back on 07700 900123.",
                                  "card": {"id": c["id"], "name": c["name"]}},
                         "memberCreator": {"fullName": "Jo Facilitator"}})
write("identifier_comment.json", small(identifier_comment))
