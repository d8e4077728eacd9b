"""The console summary a planner reads after a run (rich tables, id/en labels)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.table import Table

from pilkadasim.report.fmt import interval, minutes, num, pct
from pilkadasim.report.labels import t


def response_table(
    summary: Mapping[str, Any], lang: str, key: str = "response_min", title_key: str = "response"
) -> Table:
    block = summary[key]
    table = Table(title=t(title_key, lang), title_justify="left")
    table.add_column(t("statistic", lang))
    table.add_column(t("value", lang), justify="right")
    table.add_column(t("ci95", lang), justify="right")
    table.add_row(
        t("mean", lang), num(block["mean"], lang=lang), interval(block["ci95"]["mean"], lang=lang)
    )
    for stat in ("p50", "p90", "p95"):
        ci = interval(block["ci95"][stat], lang=lang)
        table.add_row(stat, minutes(block[stat], lang=lang), ci)
    within = summary["within_target" if key == "response_min" else "reserve_within_target"]
    for target, w in within.items():
        ci = interval(w["ci95"], lang=lang, scale=100)
        table.add_row(t("within", lang, t=target), pct(w["p"], 1, lang), f"{ci} %")
    return table


def breakdown_table(summary: Mapping[str, Any], lang: str, key: str) -> Table:
    rows = summary[key]
    within_key = next((k for r in rows.values() for k in r if k.startswith("within_")), None)
    table = Table(title=t(key, lang), title_justify="left")
    for col in (t("group", lang), t("per_day", lang), "p50", "p90"):
        table.add_column(col, justify="left" if col == t("group", lang) else "right")
    if within_key:
        table.add_column(t("within", lang, t=within_key.split("_", 1)[1]), justify="right")
    for name, r in rows.items():
        cells = [t(name, lang), num(r["incidents_per_day"], 2, lang)]
        cells += [minutes(r["p50"], lang=lang), minutes(r["p90"], lang=lang)]
        if within_key:
            cells.append(pct(r[within_key], 0, lang))
        table.add_row(*cells)
    return table


def overview_table(summary: Mapping[str, Any], lang: str) -> Table:
    table = Table(show_header=False, title=t("title", lang), title_justify="left")
    table.add_column()
    table.add_column(justify="right")
    ipd = summary["incidents_per_day"]
    table.add_row(
        t("incidents_per_day", lang),
        f"{num(ipd['mean'], 2, lang)}  ({interval(ipd['ci95'], 2, lang)})",
    )
    u = summary["utilization"]
    table.add_row(t("utilization", lang), f"{pct(u['mean'], 1, lang)} / {pct(u['max'], 1, lang)}")
    days = max(int(summary["replications"]), 1)
    for key in ("unserved", "escalated", "proceeded_without_capability"):
        if key in summary:  # totals over all simulated days, with the rate per day beside
            n = int(summary[key])
            rate = t("total_per_day", lang, n=days, r=num(n / days, 2, lang))
            table.add_row(t(key, lang), f"{n} {rate}")
    st = summary.get("staffing") or {}
    if st:
        table.add_row(
            t("staffing", lang, n=st["personnel_total"]),
            f"{t('tps_guards', lang)} {st['tps_guards']} · {t('reserve', lang)} "
            f"{st['reserve']} · {t('command_and_support', lang)} "
            f"{st['command_and_support']}",
        )
        if st.get("over_budget"):
            table.add_row(t("over_budget", lang), f"[bold red]+{st['over_budget']}[/]")
        partners = st.get("partners") or {}
        if partners or st.get("partners_missing"):
            shown = [f"{t(f'partner:{k}', lang)} {p['personnel']}" for k, p in partners.items()]
            table.add_row(t("partner", lang), " · ".join(shown + st.get("partners_missing", [])))
    return table


def print_summary(
    summary: Mapping[str, Any],
    lang: str,
    out_dir: str | None = None,
    report: str | None = None,
    console: Console | None = None,
) -> None:
    console = console or Console()
    console.print(t("replications", lang, n=summary["replications"], seed=summary["seed"]))
    console.print(overview_table(summary, lang))
    console.print(response_table(summary, lang))
    console.print(response_table(summary, lang, "reserve_response_min", "reserve_response"))
    console.print(breakdown_table(summary, lang, "by_category"))
    console.print(breakdown_table(summary, lang, "by_kecamatan"))
    if out_dir:
        console.print(f"{t('outputs', lang)}: {out_dir}")
    if report:
        console.print(f"{t('report_at', lang)}: {report}")


def job_line(summary: Mapping[str, Any], cfg: Any, hydra_cfg: Any) -> str:
    """One line for a finished sweep job: its number, its overrides, p90 and share within the
    decision target, in the report language."""
    from pilkadasim.report import fmt as F

    lang = str(cfg.report.lang)
    task = [str(o) for o in hydra_cfg.overrides.task]
    name = " ".join(
        o for o in task if not o.lstrip("+~").startswith(("experiment", "run.", "hydra", "report."))
    )
    target = f"{float(cfg.report.decision_target_min):g}"
    metric = str(cfg.report.decision_metric)  # the number the sweep decides on
    within = "reserve_within_target" if metric.startswith("reserve") else "within_target"
    share = summary[within].get(target, {}).get("p")
    return "  " + t(
        "sweep_job",
        lang,
        i=int(hydra_cfg.job.num) + 1,
        n=sweep_size(hydra_cfg),
        name=name or "–",
        who=t(f"who:{metric}", lang),
        p90=F.minutes(summary[metric]["p90"], lang=lang),
        w=F.pct(share, 0, lang),
        t=target,
    )


def sweep_size(hydra_cfg: Any) -> str:
    """Number of jobs of a basic-sweeper grid (comma lists), or "?" when it cannot be told."""
    try:
        sizes = [len(str(v).split(",")) for v in hydra_cfg.sweeper.params.values()]
    except AttributeError:
        return "?"
    n = 1
    for k in sizes:
        n *= k
    return str(n) if sizes else "?"


def print_sweep_end(sweep_dir: Any, table: Any) -> None:
    """After the last job: the recommendation (or the ranked options) in one sentence, and
    where the table, the report and the slides are."""
    import json
    from pathlib import Path

    from pilkadasim.report.recommendation import headline

    d = Path(sweep_dir)
    rec_path = d / "recommendation.json"
    rec = json.loads(rec_path.read_text(encoding="utf-8")) if rec_path.exists() else None
    lang = str(table.attrs.get("lang", "id")) if hasattr(table, "attrs") else "id"
    if rec:
        print(headline(rec, lang))
        print(f"→ {rec_path}")
    print(f"{t('outputs', lang)}: {d / 'sweep_summary.csv'} ({len(table)})")
    for name, key in (("report.html", "report_at"), ("slides.pptx", "slides_at")):
        if (d / name).exists():
            print(f"{t(key, lang)}: {d / name}")
