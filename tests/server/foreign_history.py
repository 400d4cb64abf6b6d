#!/usr/bin/env python3
"""A foreign client reads a room's history from the real inkroom-server: Python's `websockets`, written from
docs/PROTOCOL.md ("History") alone, sharing no code with Inkroom. A third member, and a member of another room, try
to read a direct message between two others through `history`; a connection that never joined tries to read at all.
The history a member pages through must be the log exactly: the same ops, in seq order, with author and time.

Usage: foreign_history.py PATH/TO/inkroom-server
Exit status 0 when every check holds; 1 with the failed check on stderr.
"""

import sys

import foreignclient
from foreignclient import check, run_scenarios

ROOM = "history"
SECRET_TEXT = "the vault code is 4711"


def hello(client, name, room=ROOM):
    return {"type": "hello", "protocol": 2, "client": client, "secret": f"{client}-secret-0123456789abcdef",
            "name": name, "colour": "#336699", "room": room}


def stroke(cseq, item_id, x):
    return {"type": "op", "kind": "add", "cseq": cseq,
            "item": {"id": item_id, "kind": "stroke", "colour": "#1e88e5", "width": 3, "points": [x, 2, x + 3, 4]}}


class Peer(foreignclient.Peer):
    """A member that reads the room's history."""

    async def ack(self, cseq):
        answer = await self.answer(cseq)
        check(answer["type"] == "ack", f"cseq {cseq} is acknowledged")
        return answer

    async def page(self, request):
        await self.send(dict(request, type="history"))
        return await self.expect(lambda m: m["type"] == "history_page", "a history_page")

    async def history(self):
        """The whole history as the protocol pages it: the starting board (every part) and every op after it."""
        first = await self.page({})
        check("code" not in first, f"the first page is not refused ({first.get('message')})")
        base, parts = first["base"], first.get("parts", 0)
        items = list(first.get("items", []))
        for part in range(1, parts):
            page = await self.page({"part": part})
            check(page["base"] == base and page.get("part") == part, f"part {part} of the board at {base}")
            items += page.get("items", [])
        ops, after = [], base
        while True:
            # Small pages, so that paging itself is tested.
            page = await self.page({"after": after, "limit": 3})
            check("code" not in page, f"the page after {after} is not refused ({page.get('message')})")
            check(len(page.get("ops", [])) <= 3, "a page holds at most its limit")
            ops += page.get("ops", [])
            last = page.get("last", 0)
            check(last > after or last == page["head"], "every page moves on")
            after = last
            if after == page["head"]:
                return base, items, ops


async def scenario(url):
    # Before joining, the history is nobody's: a page with not_joined, nothing of the room.
    stranger = Peer(url)
    await stranger.open()
    refused = await stranger.page({"after": 0})
    check(refused.get("code") == "not_joined" and not refused.get("ops"), "a connection that never joined reads nothing")
    await stranger.ws.close()

    alice, bob, carol = Peer(url), Peer(url), Peer(url)
    await alice.join(hello("alice-history-01", "Alice"))
    await bob.join(hello("bob-history-0001", "Bob"))
    await carol.join(hello("carol-history-01", "Carol"))
    await alice.send(stroke(1, "alice-history-01:1", 10))
    await alice.ack(1)
    await alice.send({"type": "op", "kind": "dm", "cseq": 2, "target": "bob-history-0001", "text": SECRET_TEXT})
    dm = await alice.ack(2)
    await bob.expect(lambda m: m["type"] == "op" and m.get("kind") == "dm", "the direct message at Bob")
    await carol.send({"type": "op", "kind": "chat", "cseq": 1, "text": "hello all"})
    await carol.ack(1)
    for cseq in range(2, 8):
        await carol.send(stroke(cseq, f"carol-history-01:{cseq}", cseq * 10))
        await carol.ack(cseq)

    # Carol pages through everything: the direct message between Alice and Bob is not there, by any field.
    base, items, ops = await carol.history()
    seqs = [op["seq"] for op in ops]
    check(seqs == sorted(seqs) and len(set(seqs)) == len(seqs), "Carol's history is in seq order")
    check(dm["seq"] not in seqs, "the direct message's seq is not in Carol's history")
    check(not any(SECRET_TEXT in raw for raw in carol.raw), "no byte Carol received holds the direct message")
    check(all(op.get("author") and op.get("time") and op.get("client") for op in ops),
          "every op carries its author, client and time")

    # Bob and Alice, its two parties, read it in its place.
    for peer, name in ((bob, "Bob"), (alice, "Alice")):
        _, _, theirs = await peer.history()
        found = [op for op in theirs if op["seq"] == dm["seq"]]
        check(len(found) == 1 and found[0]["text"] == SECRET_TEXT and found[0]["author"] == "Alice",
              f"{name} reads the direct message in the history")
        check([op["seq"] for op in theirs if op["seq"] != dm["seq"]] == seqs,
              f"and otherwise the same history as Carol")

    # A member of another room on the same server reads that room only.
    eve = Peer(url)
    await eve.join(hello("eve-history-0001", "Eve", room="elsewhere"))
    base, items, ops = await eve.history()
    check(ops == [] and items == [], "a member of another room reads nothing of this one")
    check(not any(SECRET_TEXT in raw for raw in eve.raw), "nor its direct message")

    # Validated: after beyond the head, a part that does not exist, a limit out of range.
    page = await carol.page({"after": 10 ** 9})
    check(page.get("code") == "bad_value", "after beyond the head is refused (bad_value)")
    page = await carol.page({"part": 5})
    check(page.get("code") == "bad_value", "a part that does not exist is refused (bad_value)")
    await carol.send({"type": "history", "after": 0, "limit": 0})
    error = await carol.expect(lambda m: m["type"] == "error", "an error for limit 0")
    check(error["code"] == "out_of_range" and error.get("field") == "limit", "limit 0 is refused (out_of_range)")

    # Rate-limited per connection: 30 requests at once get 30 answers, in order; those past the burst are refused
    # with retry, and the connection stays.
    for _ in range(30):
        await carol.send({"type": "history", "after": 0, "limit": 1})
    answers = [await carol.expect(lambda m: m["type"] == "history_page", "a page") for _ in range(30)]
    limited = [a for a in answers if a.get("code") == "rate_limited"]
    check(limited and all(a.get("retry") for a in limited), "requests past the burst are refused with retry")
    check(all(a.get("code") in (None, "rate_limited") for a in answers), "every request gets its one answer")
    check("code" not in answers[0] and answers[0]["ops"][0]["seq"] == 1, "the first of them is answered")
    for peer in (alice, bob, carol, eve):
        await peer.ws.close()
    return dm["seq"]


async def compacted(url):
    """The server compacts every 4 ops and keeps none behind: the history starts at the snapshot."""
    alice, bob, dave = Peer(url), Peer(url), Peer(url)
    await alice.join(hello("alice-history-01", "Alice"))
    await bob.join(hello("bob-history-0001", "Bob"))
    await dave.join(hello("dave-history-001", "Dave"))
    cseq = 1
    for x in range(5):
        await alice.send(stroke(cseq, f"alice-history-01:{cseq}", x * 10))
        await alice.ack(cseq)
        cseq += 1
    await alice.send({"type": "op", "kind": "dm", "cseq": cseq, "target": "bob-history-0001", "text": SECRET_TEXT})
    await alice.ack(cseq)
    cseq += 1
    await alice.send(stroke(cseq, f"alice-history-01:{cseq}", 99))
    last = await alice.ack(cseq)
    base, items, ops = await dave.history()
    check(base > 0, f"the history starts at the room's snapshot ({base})")
    check(sorted(item["id"] for item in items) == [f"alice-history-01:{n}" for n in range(1, 6)][:len(items)]
          and len(items) >= 4, "the starting board holds the strokes before the snapshot")
    check(all(op["seq"] > base for op in ops) and ops[-1]["seq"] == last["seq"], "the ops after it reach the head")
    check(not any(SECRET_TEXT in raw for raw in dave.raw), "Dave never receives the direct message")
    page = await dave.page({"after": 0})
    check(page.get("code") == "history_gone", "ops before the log's start are gone (history_gone)")
    for peer in (alice, bob, dave):
        await peer.ws.close()


if __name__ == "__main__":
    sys.exit(run_scenarios(__doc__, [((), scenario), (("--compact-every", "4", "--retain-ops", "0"), compacted)]))
