"""Story ids joined into sets (a disjoint-set forest), as story groups and
republished copies need: each set is named by its smallest id."""

from __future__ import annotations

from typing import Iterable


class Partition:
    """Sets of ids; ``join`` merges two sets, ``find`` names an id's set.

    >>> p = Partition(["c", "b", "a"])
    >>> p.join("c", "b"); p.join("b", "a")
    >>> p.find("c"), p.find("a")
    ('a', 'a')
    """

    def __init__(self, ids: Iterable[str]):
        self.parent = {i: i for i in ids}

    def find(self, x: str) -> str:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)
