#!/usr/bin/env python3
"""The abuse soak of issue 19: inkroom-server under the hostile mix for a few minutes, with a bystander.

Starts its own inkroom-server (plain ws://, loopback, a join token, a fresh data directory), then runs, each in a
process of its own and from a loopback address of its own (127.0.0.N, so per-address shares apply to each attacker
and not to the bystander):

  bystander  one member of room "bystander" adding a small stroke every 20 ms and timing each ack
  filler     fills room "big" with 10,000-point strokes (about 210 KB each) as fast as the rate limits allow,
             paced as Inkroom paces: 90 % of the welcome's message rate and of its byte rate of ops (opByteRate;
             a server that tells none is not paced by bytes), half of each burst; clears the board whenever it is
             refused as full, and fills it again (history far past the budget)
  slowloris  keeps up to 64 TCP connections in the handshake, one byte every few seconds
  hashes     hellos that create password rooms and wrong passwords for them, as fast as it is let
  tokens     hellos with wrong join tokens, as fast as it is let
  churn      connects, joins room "churn", leaves, again and again

Every --interval seconds it prints the server's RSS (and peak), the bystander's ack count, p50, p99 and max, the
filler's acks and refusals, and what the attackers achieved; at the end the worst interval. After the mix it restarts
the server on the same data directory and times a late join of the big room and the RSS after it.

Usage: soak.py PATH/TO/inkroom-server [--duration 180] [--interval 10] [--server-arg=--max-board-mib=64 ...]
Run it with the Python that has `websockets` (Debian: /usr/bin/python3 with python3-websockets).
"""

import argparse
import asyncio
import json
import multiprocessing
import os
import re
import socket
import subprocess
import sys
import tempfile
import time

import websockets

TOKEN = "soak-token-0123456789"
SECRET = "soak-secret-0123456789abcdef"


def hello(client, name, room, token=TOKEN, password=None, resume=None):
    message = {"type": "hello", "protocol": 2, "client": client, "secret": SECRET, "name": name,
               "colour": "#336699", "room": room, "token": token}
    if password is not None:
        message["password"] = password
    if resume:
        message["resume"] = resume
    return message


async def connect(url, address, **kwargs):
    return await websockets.connect(url, max_size=None, open_timeout=30, close_timeout=2,
                                    local_addr=(address, 0), ping_interval=None, compression=None, **kwargs)


async def join(ws, message):
    await ws.send(json.dumps(message))
    while True:
        answer = json.loads(await ws.recv())
        if answer["type"] == "error":
            raise RuntimeError(f"join refused: {answer}")
        if answer["type"] == "synced":
            return


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


# ------------------------------------------------------------------------------------------------ the actors

async def bystander(url, stop, report):
    ws = await connect(url, "127.0.0.2")
    await join(ws, hello("bystander-0001", "Bystander", "bystander"))
    sent = {}
    latencies = []

    async def reader():
        async for raw in ws:
            message = json.loads(raw)
            if message["type"] in ("ack", "reject") and message.get("cseq") in sent:
                latencies.append((time.monotonic() - sent.pop(message["cseq"])) * 1000)

    task = asyncio.create_task(reader())
    cseq = 0
    last = time.monotonic()
    while not stop.is_set():
        cseq += 1
        sent[cseq] = time.monotonic()
        await ws.send(json.dumps({"type": "op", "kind": "add", "cseq": cseq, "item": {
            "id": f"bystander-0001:{cseq}", "kind": "stroke", "colour": "#1e88e5", "width": 3,
            "points": [cseq % 500, 1, 2, 3, 4, 5]}}))
        if cseq % 200 == 0:  # keep the board small: the bystander measures latency, not its own board
            cseq += 1
            sent[cseq] = time.monotonic()
            await ws.send(json.dumps({"type": "op", "kind": "clear", "cseq": cseq}))
        await asyncio.sleep(0.02)
        if time.monotonic() - last >= 1:
            oldest = min(sent.values(), default=time.monotonic())
            report.put(("bystander", list(latencies), (time.monotonic() - oldest) * 1000))
            latencies.clear()
            last = time.monotonic()
    task.cancel()
    await ws.close()


def stroke_template(points):
    coordinates = []
    for i in range(points):
        coordinates += [round(100 + (i % 1000) * 1.37, 2), round(200 + (i // 1000) * 41.3 + (i % 7) * 0.91, 2)]
    item = json.dumps({"kind": "stroke", "colour": "#e53935", "width": 4, "points": coordinates})
    return "{\"type\":\"op\",\"kind\":\"add\",\"cseq\":%d,\"item\":{\"id\":\"filler-00001:%d\"," + item[1:] + "}"


class RawSocket:
    """A WebSocket client written by hand for the filler: its frames carry the mask key 0 (any key is allowed), so
    sending 200 strokes of 210 KB a second costs no Python masking, and the server sees what a fast client sends."""

    async def open(self, host, port, address):
        self.reader, self.writer = await asyncio.open_connection(host, port, local_addr=(address, 0))
        self.writer.write((f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        response = await self.reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in response.split(b"\r\n")[0]:
            raise RuntimeError(f"no upgrade: {response[:80]!r}")

    def send(self, text):
        payload = text.encode() if isinstance(text, str) else text
        size = len(payload)
        if size < 126:
            header = bytes([0x81, 0x80 | size])
        elif size < 65536:
            header = bytes([0x81, 0x80 | 126]) + size.to_bytes(2, "big")
        else:
            header = bytes([0x81, 0x80 | 127]) + size.to_bytes(8, "big")
        self.writer.write(header + b"\0\0\0\0" + payload)

    async def drain(self):
        await self.writer.drain()

    async def recv(self):
        while True:
            head = await self.reader.readexactly(2)
            size = head[1] & 0x7F
            if size == 126:
                size = int.from_bytes(await self.reader.readexactly(2), "big")
            elif size == 127:
                size = int.from_bytes(await self.reader.readexactly(8), "big")
            payload = await self.reader.readexactly(size)
            opcode = head[0] & 0x0F
            if opcode == 0x8:
                raise ConnectionError(f"closed {int.from_bytes(payload[:2], 'big') if payload else ''}")
            if opcode == 0x9:  # ping: answer it, or the heartbeat closes us
                self.writer.write(bytes([0x8A, 0x80 | size]) + b"\0\0\0\0" + payload)
                continue
            if opcode in (0x1, 0x2):
                return payload


async def filler(host, port, stop, report):
    ws = RawSocket()
    await ws.open(host, port, "127.0.0.3")
    ws.send(json.dumps(hello("filler-00001", "Filler", "big")))
    welcome = None
    while True:
        message = json.loads(await ws.recv())
        if message["type"] == "welcome":
            welcome = message
        if message["type"] == "synced":
            break
    template = stroke_template(10000)
    counts = {"acks": 0, "board_full": 0, "rate_limited": 0, "other": 0, "clears": 0, "bytes": 0}
    outstanding = set()
    full = asyncio.Event()
    clear_cseq = [None]

    async def reader():
        while True:
            message = json.loads(await ws.recv())
            if message["type"] == "ack":
                outstanding.discard(message["cseq"])
                if message["cseq"] == clear_cseq[0]:
                    clear_cseq[0] = None
                    full.clear()
                else:
                    counts["acks"] += 1
            elif message["type"] == "reject":
                outstanding.discard(message["cseq"])
                code = message["code"]
                counts[code if code in counts else "other"] += 1
                if code == "board_full":
                    full.set()

    task = asyncio.create_task(reader())
    cseq = 0
    # The rate limits of the welcome, kept like Inkroom keeps them (app/core/pacer.h): 90 % of each rate, half of each
    # burst; an op larger than half the byte burst goes once that half is full, and its debt is paid back first.
    rate, burst = 0.9 * welcome.get("rate", 200), 0.5 * welcome.get("burst", 400)
    byte_rate, byte_burst = 0.9 * welcome.get("opByteRate", 0), 0.5 * welcome.get("opByteBurst", 0)
    tokens, byte_tokens, last = burst, byte_burst, time.monotonic()
    stroke_bytes = len((template % (1, 1)).encode())
    last_report = time.monotonic()
    while not stop.is_set() and not task.done():
        now = time.monotonic()
        tokens = min(burst, tokens + (now - last) * rate)
        byte_tokens = min(byte_burst, byte_tokens + (now - last) * byte_rate)
        last = now
        if tokens < 1 or len(outstanding) > 400:
            await asyncio.sleep(0.002)
        elif full.is_set() and clear_cseq[0] is None and not outstanding:
            cseq += 1
            clear_cseq[0] = cseq
            outstanding.add(cseq)
            counts["clears"] += 1
            body = json.dumps({"type": "op", "kind": "clear", "cseq": cseq}).encode()
            ws.send(body)
            tokens -= 1
            byte_tokens -= len(body)
        elif full.is_set():
            await asyncio.sleep(0.002)
        elif byte_rate > 0 and byte_tokens < min(stroke_bytes, byte_burst):
            await asyncio.sleep(min(0.05, (min(stroke_bytes, byte_burst) - byte_tokens) / byte_rate))
        else:
            cseq += 1
            body = (template % (cseq, cseq)).encode()
            outstanding.add(cseq)
            ws.send(body)
            await ws.drain()
            counts["bytes"] += len(body)
            tokens -= 1
            byte_tokens -= len(body)
        if time.monotonic() - last_report >= 1:
            report.put(("filler", dict(counts)))
            for key in counts:
                counts[key] = 0
            last_report = time.monotonic()
    if task.done() and task.exception():
        raise task.exception()
    task.cancel()


async def slowloris(host, port, stop, report):
    held = []
    opened = 0
    request = (f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n").encode()
    last_report = time.monotonic()
    while not stop.is_set():
        alive = []
        for writer, sent in held:
            if writer.is_closing():
                continue
            if sent < len(request):
                try:
                    writer.write(request[sent:sent + 1])
                    await writer.drain()
                    sent += 1
                except (ConnectionError, OSError):
                    writer.close()
                    continue
            alive.append((writer, sent))
        held = alive
        while len(held) < 64:
            try:
                _, writer = await asyncio.open_connection(host, port, local_addr=("127.0.0.4", 0))
                held.append((writer, 0))
                opened += 1
            except OSError:
                break
        if time.monotonic() - last_report >= 1:
            report.put(("slowloris", {"opened": opened, "held": len(held)}))
            opened = 0
            last_report = time.monotonic()
        await asyncio.sleep(0.5)
    for writer, _ in held:
        writer.close()


async def hellos(url, address, kind, stop, report):
    """hashes: new password rooms and wrong passwords; tokens: wrong join tokens. Counts the answers."""
    answers = {}
    last_report = time.monotonic()
    n = 0

    async def one(i):
        try:
            await attempt(i)
        except Exception as error:  # whatever the server answered with, it answered
            key = f"closed {getattr(error, 'code', type(error).__name__)}"
            answers[key] = answers.get(key, 0) + 1

    async def attempt(i):
        try:
            ws = await connect(url, address)
        except Exception:  # refused at the door: counts as an answer too
            answers["no connection"] = answers.get("no connection", 0) + 1
            await asyncio.sleep(0.05)
            return
        try:
            if kind == "hashes":
                message = hello(f"hasher-{i:08d}", "Hasher", f"hash-room-{i % 40}", password=f"guess-{i}")
            else:
                message = hello(f"guesser-{i:08d}", "Guesser", "bystander", token=f"wrong-token-{i}")
            await ws.send(json.dumps(message))
            answer = json.loads(await asyncio.wait_for(ws.recv(), 30))
            key = answer.get("code", answer["type"])
            answers[key] = answers.get(key, 0) + 1
        except (websockets.ConnectionClosed, asyncio.TimeoutError, OSError) as error:
            key = f"closed {getattr(error, 'code', type(error).__name__)}"
            answers[key] = answers.get(key, 0) + 1
        finally:
            await ws.close()

    while not stop.is_set():
        await asyncio.gather(*(one(n + i) for i in range(8)))
        n += 8
        if time.monotonic() - last_report >= 1:
            report.put((kind, dict(answers)))
            answers.clear()
            last_report = time.monotonic()


async def churn(url, stop, report):
    joins = 0
    last_report = time.monotonic()
    i = 0
    while not stop.is_set():
        i += 1
        try:
            ws = await connect(url, "127.0.0.7")
            await join(ws, hello(f"churner-{i % 50:04d}", "Churner", "churn"))
            await ws.close()
            joins += 1
        except Exception:
            await asyncio.sleep(0.05)
        if time.monotonic() - last_report >= 1:
            report.put(("churn", {"joins": joins}))
            joins = 0
            last_report = time.monotonic()


def run_actor(name, url, host, port, stop, report):
    if name == "bystander":
        coroutine = bystander(url, stop, report)
    elif name == "filler":
        coroutine = filler(host, port, stop, report)
    elif name == "slowloris":
        coroutine = slowloris(host, port, stop, report)
    elif name == "hashes":
        coroutine = hellos(url, "127.0.0.5", "hashes", stop, report)
    elif name == "tokens":
        coroutine = hellos(url, "127.0.0.6", "tokens", stop, report)
    else:
        coroutine = churn(url, stop, report)
    try:
        asyncio.run(coroutine)
    except Exception as error:
        report.put(("died", f"{name}: {error!r}"))


# ------------------------------------------------------------------------------------------------ the server

def rss_mib(pid):
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                values[line.split(":")[0]] = int(line.split()[1]) / 1024
    return values.get("VmRSS", 0), values.get("VmHWM", 0)


def start_server(exe, data_dir, extra):
    process = subprocess.Popen([exe, "--insecure", "--bind", "127.0.0.1", "--port", "0", "--data-dir", data_dir,
                                "--token", TOKEN, "--no-announce", *extra],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    for line in process.stdout:
        found = re.search(r"Listening on port (\d+)", line)
        if found:
            # Keep reading its output so it never blocks on a full pipe.
            multiprocessing.Process(target=drain, args=(process.stdout.fileno(),), daemon=True).start()
            return process, int(found.group(1))
    raise SystemExit("the server did not say which port it listens on:\n" + process.stdout.read())


def drain(fd):
    with os.fdopen(fd, "rb", closefd=False) as stream:
        while stream.read(65536):
            pass


async def late_join(url):
    """Join the big room: seconds to the welcome (the server loads the room), to synced, and the bytes received."""
    start = time.monotonic()
    ws = await connect(url, "127.0.0.8")
    received = 0
    welcomed = None
    await ws.send(json.dumps(hello("latejoin-0001", "Late", "big")))
    while True:
        raw = await ws.recv()
        received += len(raw)
        if welcomed is None:
            welcomed = time.monotonic() - start
        if len(raw) < 65536:  # snapshot chunks are not parsed: the time is the server's, not Python's
            message = json.loads(raw)
            if message["type"] == "error":
                raise RuntimeError(message)
            if message["type"] == "synced":
                break
    took = time.monotonic() - start
    await ws.close()
    return welcomed, took, received


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("server")
    parser.add_argument("--duration", type=float, default=180)
    parser.add_argument("--interval", type=float, default=10)
    parser.add_argument("--actors", default="bystander,filler,slowloris,hashes,tokens,churn")
    parser.add_argument("--server-arg", action="append", default=[])
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as data_dir:
        os.chmod(data_dir, 0o700)
        process, port = start_server(args.server, data_dir, args.server_arg)
        url = f"ws://127.0.0.1:{port}"
        stop = multiprocessing.Event()
        report = multiprocessing.Queue()
        actors = [multiprocessing.Process(target=run_actor, args=(name, url, "127.0.0.1", port, stop, report))
                  for name in args.actors.split(",")]
        for actor in actors:
            actor.start()
        print(f"soak: {args.duration:.0f} s of {args.actors} against {args.server} {' '.join(args.server_arg)}")
        print(f"{'t(s)':>5} {'RSS':>7} {'peak':>7} {'acks':>5} {'p50':>6} {'p99':>6} {'max':>6} {'oldest':>6}  "
              "filler  attackers")
        start = time.monotonic()
        worst = {"p99": 0.0, "max": 0.0, "rss": 0.0}
        totals = {}
        latencies, oldest, window = [], 0.0, {}
        next_line = start + args.interval
        while time.monotonic() - start < args.duration:
            while not report.empty():
                kind, *payload = report.get()
                if kind == "bystander":
                    latencies += payload[0]
                    oldest = max(oldest, payload[1])
                elif kind == "died":
                    print("!!", payload[0])
                else:
                    bucket = window.setdefault(kind, {})
                    for key, value in payload[0].items():
                        bucket[key] = bucket.get(key, 0) + value if key != "held" else value
                        totals.setdefault(kind, {})
                        if key != "held":
                            totals[kind][key] = totals[kind].get(key, 0) + value
            if process.poll() is not None:
                print("!! the server exited with", process.returncode)
                break
            if time.monotonic() >= next_line:
                rss, peak = rss_mib(process.pid)
                latencies.sort()
                p50, p99 = percentile(latencies, 0.5), percentile(latencies, 0.99)
                high = latencies[-1] if latencies else float("nan")
                filled = window.get("filler", {})
                attackers = "; ".join(f"{k}: " + ", ".join(f"{a} {b}" for a, b in v.items())
                                      for k, v in window.items() if k != "filler")
                print(f"{time.monotonic() - start:5.0f} {rss:6.0f}M {peak:6.0f}M {len(latencies):5d} {p50:6.1f} "
                      f"{p99:6.1f} {high:6.1f} {oldest:6.0f}  acks {filled.get('acks', 0)} full "
                      f"{filled.get('board_full', 0)} clears {filled.get('clears', 0)} "
                      f"{filled.get('bytes', 0) / 1e6:.0f} MB rl {filled.get('rate_limited', 0)}  {attackers}",
                      flush=True)
                if latencies:
                    worst["p99"] = max(worst["p99"], p99)
                    worst["max"] = max(worst["max"], high)
                worst["rss"] = max(worst["rss"], rss)
                latencies, oldest, window = [], 0.0, {}
                next_line += args.interval
            time.sleep(0.05)
        stop.set()
        for actor in actors:
            actor.join(timeout=10)
            if actor.is_alive():
                actor.terminate()
        rss, peak = rss_mib(process.pid) if process.poll() is None else (0, 0)
        print(f"worst interval: bystander p99 {worst['p99']:.1f} ms, max {worst['max']:.1f} ms; RSS at most "
              f"{worst['rss']:.0f} MiB (peak {peak:.0f} MiB)")
        print("totals:", json.dumps(totals))
        started = time.monotonic()
        process.terminate()
        process.wait(timeout=30)
        print(f"SIGTERM to exit: {time.monotonic() - started:.2f} s")

        # The big room after a restart: how long a late join takes, and what it costs the server.
        process, port = start_server(args.server, data_dir, args.server_arg)
        try:
            rss_before, _ = rss_mib(process.pid)
            welcomed, took, received = asyncio.run(late_join(f"ws://127.0.0.1:{port}"))
            rss_after, peak = rss_mib(process.pid)
            size = sum(os.path.getsize(os.path.join(data_dir, f)) for f in os.listdir(data_dir)
                       if f.startswith("inkroom.sqlite"))
            print(f"after a restart: late join of 'big': welcome after {welcomed:.2f} s, synced after {took:.2f} s "
                  f"({received / 1e6:.1f} MB); RSS {rss_before:.0f} -> {rss_after:.0f} MiB (peak {peak:.0f} MiB); "
                  f"database {size / 1e6:.0f} MB")
        finally:
            process.terminate()
            process.wait(timeout=30)


if __name__ == "__main__":
    main()
