#!/usr/bin/env python3
"""A foreign client against the real inkroom-server: Python's `websockets`, written from docs/PROTOCOL.md alone and
sharing no code with Inkroom. It tries what a hostile room member would (take over another member's client id,
push its own cseq to the end of its range, reuse a cseq for different content, pre-claim another member's item ids) and checks that
each is refused while the victim goes on undisturbed.

Usage: foreign_identity.py PATH/TO/inkroom-server
Exit status 0 when every check holds; 1 with the failed check on stderr.
"""

import sys

from foreignclient import Peer, check, run_scenarios

ROOM = "foreign"
ALICE = "alice-python-0001"
ALICE_SECRET = "alice-secret-0123456789abcdef"
MALLORY = "mallory-python-01"
MALLORY_SECRET = "mallory-secret-0123456789abcd"


def hello(client, secret, name, resume=None):
    message = {"type": "hello", "protocol": 2, "client": client, "secret": secret, "name": name,
               "colour": "#336699", "room": ROOM}
    if resume:
        message["resume"] = resume
    return message


def stroke(cseq, item_id):
    return {"type": "op", "kind": "add", "cseq": cseq,
            "item": {"id": item_id, "kind": "stroke", "colour": "#1e88e5", "width": 3, "points": [1, 2, 3, 4]}}


def chat(cseq, text):
    return {"type": "op", "kind": "chat", "cseq": cseq, "text": text}


async def scenario(url):
    alice = Peer(url)
    await alice.join(hello(ALICE, ALICE_SECRET, "Alice"))
    await alice.send(stroke(1, f"{ALICE}:1"))
    check((await alice.answer(1))["type"] == "ack", "Alice's first stroke is acknowledged")
    bob = Peer(url)
    await bob.join(hello("bob-python-00001", "bob-secret-0123456789abcdefg", "Bob"))

    # 1. Taking over Alice's client id with another secret: bad_secret, close 4013, no welcome; Alice undisturbed.
    thief = Peer(url)
    await thief.open(hello(ALICE, MALLORY_SECRET, "Mallory"))
    error = await thief.expect(lambda m: m["type"] in ("error", "welcome"), "an answer to the stolen id")
    check(error["type"] == "error" and error["code"] == "bad_secret", "a stolen client id is refused (bad_secret)")
    check(await thief.closed_with() == 4013, "and closed with 4013")
    await alice.send(stroke(2, f"{ALICE}:2"))
    check((await alice.answer(2))["type"] == "ack", "Alice still draws after the attempt")
    seen = await bob.expect(lambda m: m["type"] == "op" and m.get("cseq") == 2, "Alice's second stroke at Bob")
    check(seen["client"] == ALICE and seen["author"] == "Alice", "Bob sees it as Alice's")
    check(not any(m["type"] == "presence" and m["member"]["client"] == ALICE for m in bob.seen),
          "Bob saw Alice neither leave nor join")

    # 2. A member of its own pushing its cseq to the top of the range: cseq_ahead, nothing applied; past the range
    #    (2^53, which a double cannot tell from 2^53 + 1): out_of_range, never rounded.
    mallory = Peer(url)
    await mallory.join(hello(MALLORY, MALLORY_SECRET, "Mallory"))
    top = 2 ** 53 - 1
    await mallory.send(chat(top, "far ahead"))
    answer = await mallory.answer(top)
    check(answer["type"] == "reject" and answer["code"] == "cseq_ahead" and not answer.get("retry", False),
          "cseq 2^53 - 1 is refused (cseq_ahead)")
    check(answer.get("acked") == 0, "and the reject says nothing of hers is committed")
    await mallory.send(chat(2 ** 53, "past the range"))
    error = await mallory.expect(lambda m: m["type"] in ("error", "ack", "reject"), "an answer to cseq 2^53")
    check(error["type"] == "error" and error["code"] == "out_of_range" and error.get("field") == "cseq",
          "cseq 2^53 is refused as out of range")

    # 3. Reusing a cseq for different content: cseq_reused; the same content again: a harmless duplicate ack.
    await mallory.send(chat(1, "first words"))
    first = await mallory.answer(1)
    check(first["type"] == "ack", "Mallory's chat is acknowledged")
    await mallory.send(chat(1, "rewritten history"))
    reused = await mallory.answer(1)
    check(reused["type"] == "reject" and reused["code"] == "cseq_reused" and reused.get("acked") == 1,
          "the same cseq with other content is refused (cseq_reused)")
    await mallory.send(chat(1, "first words"))
    again = await mallory.answer(1)
    check(again["type"] == "ack" and again.get("duplicate") and again["seq"] == first["seq"],
          "the same cseq with the same content is a duplicate of the committed op")

    # 4. Pre-claiming Alice's next item id: not_your_item; Alice's shape under that id then appears for everyone.
    await mallory.send(stroke(2, f"{ALICE}:3"))
    claimed = await mallory.answer(2)
    check(claimed["type"] == "reject" and claimed["code"] == "not_your_item", "another's item id is refused")
    await alice.send(stroke(3, f"{ALICE}:3"))
    check((await alice.answer(3))["type"] == "ack", "Alice's third stroke is acknowledged")
    seen = await bob.expect(lambda m: m["type"] == "op" and m.get("item", {}).get("id") == f"{ALICE}:3",
                            "Alice's third stroke at Bob")
    check(seen["client"] == ALICE, "and it is Alice's")

    # 5. Alice herself reconnecting: her welcome's acked is what she committed, not anything Mallory sent.
    await alice.ws.close()
    back = Peer(url)
    welcome = await back.join(hello(ALICE, ALICE_SECRET, "Alice"))
    check(welcome["acked"] == 3, "Alice's acked is still 3")
    for peer in (back, bob, mallory):
        await peer.ws.close()


if __name__ == "__main__":
    sys.exit(run_scenarios(__doc__, [((), scenario)]))
