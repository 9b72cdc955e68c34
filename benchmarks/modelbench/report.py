"""The model benchmark's report for people: per rung and model, training time and scoring throughput."""

from __future__ import annotations

from typing import Any

from genbench.report import fixed_width_table, seconds_spread

_HEADERS = ("scale", "days", "orders", "model", "train s", "scored", "score s", "scored/s", "promoted")


def render(payload: dict[str, Any]) -> str:
    """The whole human-readable report."""
    params, machine = payload["parameters"], payload["machine"]
    rows = [_row(rung, model) for rung in payload["rungs"] for model in rung["models"]]
    skipped = [
        f"  {rung['scale']} {rung['days']} d, {model['model']}: {model['skipped']}"
        for rung in payload["rungs"]
        for model in rung["models"]
        if "skipped" in model
    ]
    return "\n".join(
        [
            f"ECAP model benchmark — {params['repeats']} repeat(s), median [min-max] seconds",
            f"machine: {machine['usable_cpus']} usable CPUs, load {machine['load_average_1_5_15']}",
            "",
            fixed_width_table(_HEADERS, rows),
            *(["", "skipped (the model cannot train or be judged on this rung):", *skipped] if skipped else []),
        ]
    )


def _row(rung: dict[str, Any], model: dict[str, Any]) -> list[str]:
    if "skipped" in model:
        blank = ["-"] * (len(_HEADERS) - 4)
        return [rung["scale"], str(rung["days"]), f"{rung['rows']['orders']:,}", model["model"], *blank[:-1], "skipped"]
    return [
        rung["scale"],
        str(rung["days"]),
        f"{rung['rows']['orders']:,}",
        model["model"],
        seconds_spread(model["train_seconds"]),
        f"{model['scored']:,} {model['unit']}",
        seconds_spread(model["score_seconds"]),
        f"{model['scored_per_second']:,.0f}",
        "yes" if model["promoted"] else "no",
    ]
