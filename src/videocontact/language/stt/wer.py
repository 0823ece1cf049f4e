"""Word error rate: (substitutions + deletions + insertions) / words of the reference."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[\w']+", re.UNICODE)


def normalise(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    # Arabic: drop the short-vowel marks (tashkeel), so a vowelled hypothesis still matches.
    text = re.sub("[\u064b-\u0652\u0670]", "", text)
    return _WORD.findall(text)


def word_error_rate(reference: str, hypothesis: str) -> float:
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, word in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, other in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (word != other))
        previous = current
    return previous[-1] / len(ref)
