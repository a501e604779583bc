"""Graph algorithms the validator needs, iterative so that no graph is too deep for them.

Graphs are adjacency lists over the integers ``0..n-1``; every function here is
linear in nodes plus edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["reachable", "reverse", "strongly_connected"]


def reachable(adjacency: Sequence[Iterable[int]], sources: Iterable[int]) -> bytearray:
    """A flag per node: 1 when a source reaches it (sources included)."""
    seen = bytearray(len(adjacency))
    stack = []
    for source in sources:
        if 0 <= source < len(adjacency) and not seen[source]:
            seen[source] = 1
            stack.append(source)
    while stack:
        for target in adjacency[stack.pop()]:
            if not seen[target]:
                seen[target] = 1
                stack.append(target)
    return seen


def reverse(adjacency: Sequence[Iterable[int]]) -> list[list[int]]:
    """The graph with every edge turned round."""
    back: list[list[int]] = [[] for _ in adjacency]
    for source, targets in enumerate(adjacency):
        for target in targets:
            back[target].append(source)
    return back


def strongly_connected(
    adjacency: Sequence[Sequence[int]], nodes: Iterable[int] | None = None
) -> list[list[int]]:
    """The strongly connected components (Tarjan), sinks first: reverse topological order.

    With ``nodes``, only the part of the graph reachable from them is visited.
    """
    count = len(adjacency)
    index = [-1] * count
    low = [0] * count
    on_stack = bytearray(count)
    stack: list[int] = []
    components: list[list[int]] = []
    counter = 0
    for root in range(count) if nodes is None else nodes:
        if index[root] != -1:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = 1
        while work:
            node, position = work[-1]
            targets = adjacency[node]
            if position < len(targets):
                work[-1] = (node, position + 1)
                target = targets[position]
                if index[target] == -1:
                    index[target] = low[target] = counter
                    counter += 1
                    stack.append(target)
                    on_stack[target] = 1
                    work.append((target, 0))
                elif on_stack[target] and index[target] < low[node]:
                    low[node] = index[target]
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                if low[node] < low[parent]:
                    low[parent] = low[node]
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack[member] = 0
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
    return components
