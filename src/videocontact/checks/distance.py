"""Distance between two WGS84 points (haversine on a sphere of the mean earth radius) and what it
tells: at the address, elsewhere, or too inaccurate to say."""

from __future__ import annotations

import math

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def outcome(distance: float, accuracy: float, *, radius: float, max_accuracy: float) -> str:
    """`at_address` when the position (with its accuracy circle) lies within `radius` of the
    address, `elsewhere` when even the nearest point of the circle is beyond it, `uncertain`
    when the browser's accuracy is worse than `max_accuracy` and the answer depends on it."""
    if distance + accuracy <= radius:
        return "at_address"
    if distance - accuracy > radius:
        return "elsewhere"
    if accuracy > max_accuracy:
        return "uncertain"
    return "at_address" if distance <= radius else "elsewhere"
