"""Blocking the network path inside the loopback-only namespace with `ip rule … prohibit` (the
kernel here has no iptables/nft/netem). Loopback traffic is routed by the `local` table at
priority 0, so that rule is first moved behind ours; the block lets through the TCP ports given
(the web server, Redis) so the room socket stays up while the media path is gone."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable

BLOCK_PREF = 60
ALLOW_PREF = 50


def _ip(*args: str, check: bool = True) -> None:
    subprocess.run(["ip", *args], check=check, capture_output=True)


def prepare() -> None:
    """Put the `local` lookup at priority 100 (once), so rules in front of it can block."""
    rules = subprocess.run(["ip", "rule"], check=True, capture_output=True, text=True).stdout
    if any(line.startswith("0:") and "lookup local" in line for line in rules.splitlines()):
        _ip("rule", "add", "pref", "100", "lookup", "local")
        _ip("rule", "del", "pref", "0")


def block(keep_tcp_ports: Iterable[int] = ()) -> None:
    """Everything (UDP media, ICE-TCP, TURN) stops, except TCP to/from the ports given."""
    prepare()
    for port in keep_tcp_ports:
        for side in ("dport", "sport"):
            _ip(
                "rule",
                "add",
                "pref",
                str(ALLOW_PREF),
                "ipproto",
                "tcp",
                side,
                str(port),
                "lookup",
                "local",
            )
    _ip("rule", "add", "pref", str(BLOCK_PREF), "prohibit")


def unblock() -> None:
    for pref in (BLOCK_PREF, ALLOW_PREF):
        while (
            subprocess.run(["ip", "rule", "del", "pref", str(pref)], capture_output=True).returncode
            == 0
        ):
            pass


def block_direct(keep_tcp_ports: Iterable[int] = ()) -> None:
    """The direct path goes (everything between 127.0.0.1 and 127.0.0.1 but the TCP ports given);
    a TURN server on 127.0.0.2 stays reachable: the second path."""
    prepare()
    for port in keep_tcp_ports:
        for side in ("dport", "sport"):
            _ip(
                "rule",
                "add",
                "pref",
                str(ALLOW_PREF),
                "ipproto",
                "tcp",
                side,
                str(port),
                "lookup",
                "local",
            )
    _ip("rule", "add", "pref", str(BLOCK_PREF), "from", "127.0.0.1", "to", "127.0.0.1", "prohibit")
