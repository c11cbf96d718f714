"""Mermaid diagram of the registration flow, generated from ``STEPS``.

    python -m bot.flow.diagram > docs/flow.mmd

A test checks that docs/flow.mmd is current. Conditions and exits are named
by the docstrings of the step's ``when`` and ``rule`` functions.
"""
from __future__ import annotations

from bot.flow.steps import STEPS, Kind


def _doc(fn) -> str:
    return (fn.__doc__ or fn.__name__).strip().splitlines()[0]


def _edges(i: int) -> list[tuple[str, str]]:
    """Where the flow goes after step i: the next step, and past conditional
    steps (each run of steps sharing one condition) when they do not apply."""
    edges: list[tuple[str, str]] = []
    prefix, j = "", i + 1
    while j < len(STEPS):
        nxt = STEPS[j]
        if nxt.when is None or nxt.when is STEPS[i].when:
            return edges + [(f"|{prefix}|" if prefix else "", nxt.key)]
        edges.append((f"|if {_doc(nxt.when)}|", nxt.key))
        while j < len(STEPS) and STEPS[j].when is nxt.when:
            j += 1
        prefix = "otherwise"
    return edges + [(f"|{prefix}|" if prefix else "", "review")]


def mermaid() -> str:
    lines = ["%% Generated from bot/flow/steps.py by `python -m bot.flow.diagram`; do not edit.",
             "flowchart TD"]
    section = None
    for step in STEPS:
        if step.section != section:
            if section is not None:
                lines.append("    end")
            section = step.section
            lines.append(f'    subgraph {section.replace(" ", "_").lower()}["{section}"]')
        shape = ("{{", "}}") if step.kind in (Kind.CHOICE, Kind.YES_NO) else ("[", "]")
        extra = " (optional)" if step.optional else ""
        lines.append(f'        {step.key}{shape[0]}"{step.label}{extra}"{shape[1]}')
    lines.append("    end")
    lines += ['    review[["Review: summary, change any answer"]]',
              '    submitted(["Submitted: reference + QR"])',
              '    stop(["Stopped: told why, nothing more collected"])']
    for i, step in enumerate(STEPS):
        lines += [f"    {step.key} -->{label} {target}" for label, target in _edges(i)]
        if step.rule is not None:
            lines.append(f"    {step.key} -.->|{_doc(step.rule)}| stop")
    lines += ["    review -->|change an answer| review",
              "    review -->|submit| submitted"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(mermaid(), end="")
