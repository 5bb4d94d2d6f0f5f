#!/usr/bin/python3
# bench/ws_client.py — the WebSocket load client of bench/ws.sh (aiohttp, one connection).
#
#   ws_client.py URL MODE COUNT SIZE PREFIX
#
# MODE
#   seq       COUNT text messages of SIZE bytes, one at a time: send, wait for the reply, next
#   pipe      COUNT text messages sent back to back, then COUNT replies read
#   drive     like seq, but through `ladle ws URL` (the command in $LADLE) as a coprocess: each
#             message is a line on its stdin, each reply a line on its stdout
#   drive-cat like drive, with `cat` in place of `ladle ws` (no network): the cost of the pipes
#
# Every reply must be PREFIX + the message ("Message received: " for /ws). Prints one JSON object:
# seconds, messages per second, MiB/s (of messages sent), round-trip latency avg/p50/p99 in µs
# (seq and drive only). Connection set-up is not timed, except that `drive` starts timing once
# `ladle ws` answered a first message; 50 untimed messages warm up the connection in seq mode.

import asyncio
import io
import json
import os
import subprocess
import sys
import threading
import time

import aiohttp


def summary(seconds, count, size, rtts):
    out = {
        "seconds": seconds,
        "msgs_per_s": count / seconds,
        "mib_per_s": count * size / seconds / (1024 * 1024),
    }
    if rtts:
        rtts.sort()
        out["lat_avg_us"] = sum(rtts) / len(rtts) / 1000
        out["lat_p50_us"] = rtts[len(rtts) // 2] / 1000
        out["lat_p99_us"] = rtts[min(len(rtts) - 1, len(rtts) * 99 // 100)] / 1000
    return out


def payload(i, size):
    head = "m%d " % i
    return head + "x" * max(0, size - len(head))


async def run_aiohttp(url, mode, count, size, prefix):
    timeout = aiohttp.ClientTimeout(total=None)
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.ws_connect(url, max_msg_size=64 * 1024 * 1024,
                                      autoping=True) as ws:
            async def check(msg, expected):
                if msg.type != aiohttp.WSMsgType.TEXT or msg.data != expected:
                    got = msg.data[:60] if isinstance(msg.data, str) else msg.type
                    raise SystemExit("ws_client: unexpected reply %r" % (got,))

            if mode == "seq":
                for i in range(min(50, count)):
                    text = payload(i, size)
                    await ws.send_str(text)
                    await check(await ws.receive(), prefix + text)
                rtts = []
                texts = [payload(i, size) for i in range(count)]
                start = time.perf_counter()
                for text in texts:
                    t0 = time.perf_counter_ns()
                    await ws.send_str(text)
                    msg = await ws.receive()
                    rtts.append(time.perf_counter_ns() - t0)
                    await check(msg, prefix + text)
                seconds = time.perf_counter() - start
                return summary(seconds, count, size, rtts)

            texts = [payload(i, size) for i in range(count)]
            start = time.perf_counter()
            for text in texts:
                await ws.send_str(text)
            for text in texts:
                await check(await ws.receive(), prefix + text)
            seconds = time.perf_counter() - start
            return summary(seconds, count, size, [])


def run_drive(url, mode, count, size, prefix):
    if mode == "drive-cat":
        argv = ["cat"]
        prefix = ""
    else:
        argv = [os.environ.get("LADLE", "ladle"), "ws", url]
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
    # Unbuffered writes (each line goes out at once), buffered reads: readline() on a raw pipe
    # reads one byte per read() (half a second per 1 MiB line).
    out = io.BufferedReader(proc.stdout, 1024 * 1024)
    inp = proc.stdin

    def round_trip(text):
        # The write goes through a thread: a 1 MiB line fills the pipes both ways (with cat).
        writer = threading.Thread(target=inp.write, args=(text.encode() + b"\n",))
        writer.start()
        line = out.readline()
        writer.join()
        if line[:-1].decode() != prefix + text:
            raise SystemExit("ws_client: unexpected reply %r" % (line[:60],))

    round_trip("warm-up")   # `ladle ws` reads stdin only once connected
    texts = [payload(i, size) for i in range(count)]
    rtts = []
    start = time.perf_counter()
    for text in texts:
        t0 = time.perf_counter_ns()
        round_trip(text)
        rtts.append(time.perf_counter_ns() - t0)
    seconds = time.perf_counter() - start
    inp.close()
    if proc.wait(timeout=30) != 0:
        raise SystemExit("ws_client: %s exited with %d" % (argv[0], proc.returncode))
    return summary(seconds, count, size, rtts)


def main():
    if len(sys.argv) != 6:
        raise SystemExit(__doc__ if __doc__ else "usage: ws_client.py URL MODE COUNT SIZE PREFIX")
    url, mode, count, size, prefix = sys.argv[1:]
    count = int(count)
    size = int(size)
    if mode in ("drive", "drive-cat"):
        result = run_drive(url, mode, count, size, prefix)
    elif mode in ("seq", "pipe"):
        result = asyncio.run(run_aiohttp(url, mode, count, size, prefix))
    else:
        raise SystemExit("ws_client: unknown mode %r" % mode)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
