"""
An impaired point-to-point link between the host and a network namespace, in user space:
what `tc qdisc add dev <veth> root netem loss L delay D J` on both ends of a veth pair
would do, for kernels built without sch_netem (CONFIG_NET_SCH_NETEM is not set here).

Two TUN devices: `host_dev` in the current namespace and `ns_dev` inside `ns` (entered with
setns(2) after the first one is open; an open TUN file stays bound to its own namespace).
Every IP packet read from one is written to the other after an independent Bernoulli loss
draw and a uniformly distributed delay in [delay - jitter, delay + jitter] (netem's default
jitter distribution; packets may be reordered, as with netem).

Prints "ready" once both devices exist; exits when stdin closes (the parent died) or on
SIGTERM, printing the counters as one JSON line. Standard library only.

    python3 netem_link.py HOST_DEV NS NS_DEV LOSS DELAY_MS JITTER_MS SEED
"""

import ctypes
import fcntl
import heapq
import json
import os
import random
import select
import signal
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TUN = 0x0001
IFF_NO_PI = 0x1000
CLONE_NEWNET = 0x40000000


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    host_dev, ns, ns_dev = sys.argv[1], sys.argv[2], sys.argv[3]
    loss = float(sys.argv[4])
    delay = float(sys.argv[5]) / 1000
    jitter = float(sys.argv[6]) / 1000
    rng = random.Random(int(sys.argv[7]))

    host = open_tun(host_dev)
    libc = ctypes.CDLL("libc.so.6", use_errno=True)
    ns_fd = os.open(f"/var/run/netns/{ns}", os.O_RDONLY)
    if libc.setns(ns_fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), "setns")
    os.close(ns_fd)
    peer = open_tun(ns_dev)

    # "down": host → namespace; "up": namespace → host.
    stats = {d: {"packets": 0, "dropped": 0, "forwarded": 0} for d in ("down", "up")}
    routes = {host: (peer, "down"), peer: (host, "up")}
    queue = []
    seq = 0
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    print("ready", flush=True)
    stdin = sys.stdin.fileno()
    while not stopping:
        now = time.monotonic()
        while queue and queue[0][0] <= now:
            _, _, fd, packet, direction = heapq.heappop(queue)
            try:
                os.write(fd, packet)
                stats[direction]["forwarded"] += 1
            except OSError:
                stats[direction]["dropped"] += 1
        timeout = max(0.0, queue[0][0] - now) if queue else 0.5
        try:
            readable, _, _ = select.select([host, peer, stdin], [], [], timeout)
        except InterruptedError:
            continue
        for fd in readable:
            if fd == stdin:
                if os.read(stdin, 4096) == b"":
                    stopping = True
                continue
            target, direction = routes[fd]
            while True:
                try:
                    packet = os.read(fd, 65535)
                except BlockingIOError:
                    break
                except OSError:
                    break
                stats[direction]["packets"] += 1
                if rng.random() < loss:
                    stats[direction]["dropped"] += 1
                    continue
                due = time.monotonic() + max(0.0, rng.uniform(delay - jitter, delay + jitter))
                seq += 1
                heapq.heappush(queue, (due, seq, target, packet, direction))
    print(json.dumps(stats), flush=True)


if __name__ == "__main__":
    main()
