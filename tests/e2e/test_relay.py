"""Media through TURN only: the path a resident behind a strict firewall or mobile NAT takes."""

from __future__ import annotations

from .helpers import (
    admit,
    assert_video_flowing,
    resident_reaches_waiting_room,
    selected_pairs,
    wait_in_call,
    wait_remote_videos,
)

# The peer connections' configuration has no role or name: read through the test hook.
POLICIES_JS = "() => [...window.vcDebug.peers().values()].map(pc => pc.getConfiguration())"


def test_relay_through_coturn(browsers, make_visit, coturn, settings):
    # Read by the room consumer when a socket connects (same process as the live server).
    settings.TURN_URLS = [coturn.url]
    settings.TURN_SECRET = coturn.secret
    settings.ICE_TRANSPORT_POLICY = "relay"

    setup = make_visit(resident_name="Relay Bewoner")
    resident = browsers.resident()
    resident_reaches_waiting_room(resident, setup.resident)

    staff = browsers.staff(setup.caseworker)
    staff.goto(setup.staff_call_path)
    wait_in_call(staff)
    admit(staff, setup.resident.participant)
    wait_in_call(resident)

    # Both were told to relay, with TURN credentials (coturn's REST-API form) for this coturn.
    usernames = []
    for label in ("resident", "staff"):
        welcome = browsers.wait_for_frame(label, lambda f: f.get("type") == "welcome")
        assert welcome["iceTransportPolicy"] == "relay"
        turn = [s for s in welcome["iceServers"] if coturn.url in s.get("urls", [])]
        assert turn and turn[0]["credential"], welcome["iceServers"]
        assert turn[0]["username"].endswith(":" + welcome["self"]["peerId"]), turn[0]
        usernames.append(turn[0]["username"])

    for page in (resident, staff):
        wait_remote_videos(page, 1)
    for page in (resident, staff):
        assert_video_flowing(page, peers=1)

    for page in (resident, staff):
        configs = page.evaluate(POLICIES_JS)
        assert [c["iceTransportPolicy"] for c in configs] == ["relay"], configs
        pairs = selected_pairs(page)
        assert len(pairs) == 1, pairs
        for pair in pairs:
            assert pair["state"] == "succeeded" and pair["nominated"], pairs
            assert pair["local"] == "relay", f"media does not go through TURN: {pairs}"
            # ... and through this coturn: its relay address and port range.
            address, port = pair["localAddress"].split("/")[0].rsplit(":", 1)
            low, high = coturn.relay_ports
            assert address == "127.0.0.1" and low <= int(port) <= high, pairs
    # coturn accepted both people's time-limited credentials.
    log = coturn.log()
    for username in usernames:
        assert f"user <{username}>: incoming packet ALLOCATE processed, success" in log, log[-4000:]
