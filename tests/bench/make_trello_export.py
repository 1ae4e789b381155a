#!/usr/bin/env python3
"""Writes a generated Trello board export for the import benchmark.

    make_trello_export.py OUT.json CARDS

The shape is that of tests/testdata/trello/board.json (a real export): lists
named as in config/focus.yaml's board.trello_lists, labels naming themes,
areas and teams, cards whose 24-hex-digit ids start with their creation time,
votes, archived cards, list moves and comments, among them the "Trust
answer:" and "Declined:" comments the import reads answers from. Cards are
created over the two years before 2027-01-01; run the import with
FOCUS_TODAY=2027-01-15. Deterministic: same arguments, same bytes.
"""
import calendar
import datetime
import hashlib
import json
import random
import sys

START = calendar.timegm(datetime.datetime(2025, 1, 1, 9, 0).timetuple())
SPAN = 2 * 365 * 86400 - 30 * 86400  # Last card a month before 2027.


def oid(when, key):
    return "%08x" % when + hashlib.sha1(key.encode()).hexdigest()[:16]


def iso(when):
    return datetime.datetime.utcfromtimestamp(when).strftime(
        "%Y-%m-%dT%H:%M:%S.000Z")


def main(out, count):
    rnd = random.Random(20270115)
    board_id = oid(START - 86400, "board")
    list_names = ["Raised at forums", "Sent to the Trust",
                  "You said, we are doing", "Waiting for the forum",
                  "Escalated to the Development Group", "Answered",
                  "You said, we did", "Declined"]
    lists = [{"id": oid(START - 86000 + i, "list:" + n), "name": n,
              "closed": False, "idBoard": board_id, "pos": 16384 * (i + 1)}
             for i, n in enumerate(list_names)]
    themes = ["access", "communication", "carers", "crisis care",
              "medication", "waiting times", "staff attitude", "discharge",
              "physical health"]
    areas = ["East Surrey", "Northwest Surrey", "Surrey Downs",
             "Guildford & Waverley", "Farnham & Northeast Hants"]
    teams = ["CMHRS East Surrey", "Crisis Line", "Home Treatment Teams",
             "Inpatient Services", "PALS", "Carers Support", "Pharmacy",
             "Estates and Facilities"]
    labels = []
    for colour, names in (("blue", themes), ("green", areas),
                          ("orange", teams), ("red", ["Urgent"])):
        for n in names:
            labels.append({"id": oid(START - 85000, "label:" + n),
                           "idBoard": board_id, "name": n, "color": colour})
    by_name = {l["name"]: l for l in labels}
    members = [{"id": oid(START - 90000, "m:jo"), "fullName": "Jo Facilitator",
                "username": "jofacilitator"},
               {"id": oid(START - 90000, "m:sam"),
                "fullName": "Sam Responder", "username": "samresponder"}]
    voters = [oid(START - 80000 + i, "voter%d" % i) for i in range(8)]

    cards, actions = [], []

    def action(kind, when, member, data, card):
        data = dict(data)
        data["card"] = {"id": card["id"], "name": card["name"],
                        "idShort": len(cards), "shortLink": card["id"][-8:]}
        data["board"] = {"id": board_id, "name": "FoCUS feedback",
                         "shortLink": "fcs1"}
        actions.append({
            "id": oid(when, "action:%s:%s:%d" % (kind, card["id"], when)),
            "idMemberCreator": member["id"], "type": kind, "date": iso(when),
            "data": data,
            "memberCreator": {"id": member["id"],
                              "fullName": member["fullName"],
                              "username": member["username"]}})

    for i in range(count):
        created = START + SPAN * i // count + rnd.randrange(3600)
        lst = lists[rnd.choices(range(8), [15, 20, 8, 5, 4, 10, 30, 8])[0]]
        names = rnd.sample(themes, rnd.choice([1, 1, 1, 2, 3]))
        names.append(rnd.choice(areas))
        if rnd.random() < 0.8:
            names.append(rnd.choice(teams))
        if rnd.random() < 0.05:
            names.append("Urgent")
        name = "Point %d: %s" % (i + 1, rnd.choice([
            "appointment letters arrive late", "no accessible parking",
            "crisis line rings out at night", "carers not told about discharge",
            "hearing loop does not work", "leaflets only in English"]))
        card = {"id": oid(created, "card:%d" % i), "name": name,
                "desc": "Raised by several people at the forum. They said it "
                        "has happened more than once this quarter.",
                "closed": rnd.random() < 0.1, "idBoard": board_id,
                "idList": lst["id"],
                "idLabels": [by_name[n]["id"] for n in names],
                "labels": [by_name[n] for n in names], "idMembers": [],
                "idMembersVoted": voters[:rnd.choice([0, 0, 0, 1, 2, 5])],
                "due": None, "dueComplete": False,
                "dateLastActivity": iso(created + 86400 * rnd.randrange(1, 20)),
                "pos": 16384 * (i + 1)}
        cards.append(card)
        action("createCard", created, members[0],
               {"list": {"id": lst["id"], "name": lst["name"]}}, card)
        if lst["name"] != "Raised at forums":
            action("updateCard", created + 86400 * rnd.randrange(1, 6),
                   members[0],
                   {"listBefore": {"id": lists[0]["id"],
                                   "name": lists[0]["name"]},
                    "listAfter": {"id": lst["id"], "name": lst["name"]},
                    "old": {"idList": lists[0]["id"]}}, card)
        if rnd.random() < 0.3:
            action("commentCard", created + 3600, members[0],
                   {"text": "Raised again at the evening forum.",
                    "list": {"id": lst["id"], "name": lst["name"]}}, card)
        answered = created + 86400 * rnd.randrange(5, 30)
        if lst["name"] in ("Answered", "You said, we did",
                           "You said, we are doing"):
            action("commentCard", answered, members[1],
                   {"text": "Trust answer: the team has changed how this "
                            "works and will report back at the next forum.",
                    "list": {"id": lst["id"], "name": lst["name"]}}, card)
        elif lst["name"] == "Declined":
            action("commentCard", answered, members[1],
                   {"text": "Declined: this is a service the Trust does not "
                            "run; the forum has been told who does.",
                    "list": {"id": lst["id"], "name": lst["name"]}}, card)

    actions.sort(key=lambda a: a["date"], reverse=True)  # Newest first.
    board = {"id": board_id, "name": "FoCUS feedback",
             "desc": "Points raised in part 2 of each forum.",
             "closed": False, "url": "https://trello.com/b/fcs1/focus-feedback",
             "labels": labels, "lists": lists, "cards": cards,
             "actions": actions, "members": members, "checklists": []}
    with open(out, "w") as f:
        # Compact, as Trello writes its exports.
        json.dump(board, f, separators=(",", ":"), ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: make_trello_export.py OUT.json CARDS")
    main(sys.argv[1], int(sys.argv[2]))
