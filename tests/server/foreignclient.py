"""What the foreign-client tests share: a client in Python's `websockets`, written from docs/PROTOCOL.md alone and
sharing no code with Inkroom, the real inkroom-server started on loopback, and the checks' bookkeeping.

    from foreignclient import Peer, check, run_scenarios
    sys.exit(run_scenarios(__doc__, [((), scenario), (("--retain-ops", "0"), other)]))

Every scenario is a coroutine taking the server's ws:// URL; each runs against a server of its own, started with the
extra arguments given beside it.
"""

import asyncio
import json
import os
import re
import subprocess
import sys
import tempfile

import websockets

TIMEOUT = 10


class CheckFailed(Exception):
    pass


def check(condition, what):
    if not condition:
        raise CheckFailed(what)
    print("ok:", what)


class Peer:
    """One WebSocket connection and everything it has received: `raw` as text, `seen` decoded."""

    def __init__(self, url):
        self.url = url
        self.ws = None
        self.raw = []
        self.seen = []

    async def open(self, message=None):
        self.ws = await websockets.connect(self.url, max_size=None, open_timeout=TIMEOUT)
        if message is not None:
            await self.send(message)

    async def send(self, message):
        await self.ws.send(json.dumps(message))

    async def expect(self, predicate, what):
        """Reads messages until one satisfies predicate; fails after TIMEOUT seconds or when the server closes."""
        async def read():
            while True:
                raw = await self.ws.recv()
                self.raw.append(raw if isinstance(raw, str) else raw.decode())
                self.seen.append(json.loads(self.raw[-1]))
                if predicate(self.seen[-1]):
                    return self.seen[-1]
        try:
            return await asyncio.wait_for(read(), TIMEOUT)
        except (asyncio.TimeoutError, websockets.ConnectionClosed) as error:
            raise CheckFailed(f"{what}: none came ({type(error).__name__}); saw {self.raw[-5:]}")

    async def join(self, message):
        """Sends hello and waits for its welcome and synced; returns the welcome."""
        await self.open(message)
        welcome = await self.expect(lambda m: m["type"] in ("welcome", "error"), "a welcome")
        check(welcome["type"] == "welcome", f"{message['name']} joins {message['room']}")
        await self.expect(lambda m: m["type"] == "synced", "synced")
        return welcome

    async def answer(self, cseq):
        """The ack or reject of the op with this cseq."""
        return await self.expect(lambda m: m["type"] in ("ack", "reject") and m.get("cseq") == cseq,
                                 f"an answer to cseq {cseq}")

    async def closed_with(self):
        """The close code, once the server has closed the connection."""
        try:
            await asyncio.wait_for(self.ws.wait_closed(), TIMEOUT)
        except asyncio.TimeoutError:
            raise CheckFailed("the server did not close the connection")
        return self.ws.close_code


def start_server(exe, data_dir, *extra):
    """inkroom-server over plain ws:// on loopback, on a port of the kernel's choosing; returns (process, port)."""
    process = subprocess.Popen([exe, "--insecure", "--bind", "localhost", "--port", "0", "--data-dir", data_dir,
                                *extra], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:
        found = re.search(r"Listening on port (\d+)", line)
        if found:
            return process, int(found.group(1))
    raise CheckFailed("the server did not say which port it listens on")


def run_scenarios(usage, scenarios):
    """The tests' main: argv[1] is the server; each (extra arguments, scenario) against a fresh server and data
    directory. Returns the exit status: 0 when every check holds, 1 with the failed check on stderr, 2 for usage."""
    if len(sys.argv) != 2:
        print(usage, file=sys.stderr)
        return 2
    for extra, scenario in scenarios:
        with tempfile.TemporaryDirectory() as data_dir:
            os.chmod(data_dir, 0o700)
            process, port = start_server(sys.argv[1], data_dir, *extra)
            try:
                asyncio.run(scenario(f"ws://127.0.0.1:{port}"))
            except CheckFailed as failed:
                print("FAILED:", failed, file=sys.stderr)
                return 1
            finally:
                process.terminate()
                process.wait(timeout=10)
    print("all checks passed")
    return 0
