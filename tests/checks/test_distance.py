"""Distance on the sphere, and what a distance with an accuracy says."""

from __future__ import annotations

import pytest

from videocontact.checks.distance import EARTH_RADIUS_M, distance_m, outcome

ONE_DEGREE = EARTH_RADIUS_M * 3.141592653589793 / 180  # 111,195 m


def test_same_point_is_zero() -> None:
    assert distance_m(51.9123, 4.5817, 51.9123, 4.5817) == 0


def test_one_degree_of_latitude_and_of_longitude_on_the_equator() -> None:
    assert distance_m(0, 0, 1, 0) == pytest.approx(ONE_DEGREE, rel=1e-9)
    assert distance_m(0, 0, 0, 1) == pytest.approx(ONE_DEGREE, rel=1e-9)


def test_longitude_shrinks_with_the_cosine_of_latitude() -> None:
    # At 60° north a degree of longitude is about half as long (small-angle check).
    assert distance_m(60, 0, 60, 0.001) == pytest.approx(ONE_DEGREE * 0.001 / 2, rel=1e-4)


def test_symmetric_and_antipodal() -> None:
    a = distance_m(51.9123468, 4.58170305, 52.08893, 5.11027)
    assert a == pytest.approx(distance_m(52.08893, 5.11027, 51.9123468, 4.58170305))
    assert 40_000 < a < 42_000  # Capelle aan den IJssel to Utrecht Centraal: about 41 km
    assert distance_m(0, 0, 0, 180) == pytest.approx(ONE_DEGREE * 180)


def test_about_ten_metres_north() -> None:
    # 0.0001° of latitude is 11.1 m.
    assert distance_m(51.9123468, 4.5817, 51.9124468, 4.5817) == pytest.approx(11.12, abs=0.01)


@pytest.mark.parametrize(
    ("distance", "accuracy", "expected"),
    [
        (20, 15, "at_address"),  # the whole circle inside 100 m
        (90, 20, "at_address"),  # overlaps the edge, accurate enough: judged by the distance
        (110, 20, "elsewhere"),
        (400, 100, "elsewhere"),  # even the nearest point of the circle is beyond 100 m
        (150, 500, "uncertain"),  # could be anywhere around
        (0, 0, "at_address"),
    ],
)
def test_outcome(distance: float, accuracy: float, expected: str) -> None:
    assert outcome(distance, accuracy, radius=100, max_accuracy=150) == expected
