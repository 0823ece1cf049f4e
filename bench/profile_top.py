"""The hottest functions of a py-spy raw profile (collapsed stacks), own and inclusive time.

.venv/bin/python bench/profile_top.py var/profile/rooms-200.txt [--top 25] [--grep videocontact]
"""

from __future__ import annotations

import argparse
import collections
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("profile")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--grep", default="", help="only frames whose text contains this")
    args = parser.parse_args()
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = 0
    for line in Path(args.profile).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack:
            continue
        n = int(count)
        frames = stack.split(";")
        total += n
        own[frames[-1]] += n
        for frame in set(frames):
            inclusive[frame] += n
    for title, counter in (("own", own), ("inclusive", inclusive)):
        print(f"== {title} (of {total} samples)")
        shown = [(f, c) for f, c in counter.most_common() if args.grep in f][: args.top]
        for frame, count in shown:
            print(f"{100 * count / total:6.1f}%  {frame}")


if __name__ == "__main__":
    main()
