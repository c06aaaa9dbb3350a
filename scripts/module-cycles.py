#!/usr/bin/env python3
"""Lists import cycles between the top-level modules of each crate.

A top-level module is a file or folder directly under a crate's src/. An
edge A -> B is any path to B written in A's files (`crate::B`, or the
`super::` chain that reaches the crate root, in a `use` or a full path). Prints each crate's edges and any cycle; exits 1 if there is one.

    python3 scripts/module-cycles.py
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CRATES = [ROOT / "src"] + sorted((ROOT / "crates").glob("*/src"))
PATH = re.compile(r"\bcrate::(?:\{([^}]*)\}|([a-z_][a-z0-9_]*))")


def top(src, path):
    rel = path.relative_to(src)
    return rel.parts[0].removesuffix(".rs")


def edges(src):
    graph = {}
    for path in src.rglob("*.rs"):
        me = top(src, path)
        if me in ("lib", "main"):
            continue
        text = re.sub(r"//.*", "", path.read_text())
        # How many `super::` reach the crate root from this file.
        rel = path.relative_to(src).parts
        depth = len(rel) - (2 if rel[-1] == "mod.rs" else 1)
        to_root = r"\b(?:super::){%d}" % (depth + 1)
        text = re.sub(to_root + r"(?!super::)", "crate::", text)
        for group, single in PATH.findall(text):
            names = [single] if single else [n.strip().split("::")[0] for n in group.split(",")]
            for n in names:
                if n and n != me and n != "self":
                    graph.setdefault(me, set()).add(n)
    return graph


def cycles(graph):
    found, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


bad = False
for src in CRATES:
    graph = edges(src)
    name = src.parent.name if src.parent != ROOT else "queuetop (root)"
    print(f"{name}:")
    for a in sorted(graph):
        print(f"  {a} -> {', '.join(sorted(graph[a]))}")
    for c in cycles(graph):
        bad = True
        print("  CYCLE: " + " -> ".join(c))
sys.exit(1 if bad else 0)
