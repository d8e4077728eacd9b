"""Every word a planner reads, in Bahasa Indonesia (``id``, default) and English (``en``)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "title": {
        "id": "Ringkasan simulasi pengamanan Pilkada",
        "en": "Election-day security simulation summary",
    },
    "response": {
        "id": "Waktu respons (menit, laporan → unit pertama tiba)",
        "en": "Response time (minutes, report → first unit on scene)",
    },
    "reserve_response": {
        "id": "Waktu respons insiden yang butuh cadangan (menit)",
        "en": "Response time of incidents needing the reserve (minutes)",
    },
    "statistic": {"id": "Ukuran", "en": "Statistic"},
    "value": {"id": "Nilai", "en": "Value"},
    "ci95": {"id": "SK 95%", "en": "95% CI"},
    "mean": {"id": "Rata-rata", "en": "Mean"},
    "within": {"id": "Dijangkau ≤ {t} menit", "en": "Reached within {t} min"},
    "incidents_per_day": {"id": "Insiden per hari", "en": "Incidents per day"},
    "utilization": {
        "id": "Utilisasi cadangan (rata-rata / maks)",
        "en": "Reserve utilisation (mean / max)",
    },
    "unserved": {"id": "Insiden tak terjangkau", "en": "Incidents never reached"},
    "not_reached": {"id": "tak terjangkau", "en": "not reached"},
    "proceeded_without_capability": {
        "id": "Ditangani tanpa kemampuan yang dibutuhkan",
        "en": "Handled without the needed capability",
    },
    "escalated": {"id": "Insiden yang memburuk (eskalasi)", "en": "Incidents that escalated"},
    "by_category": {"id": "Menurut kategori TPS", "en": "By TPS category"},
    "by_kecamatan": {"id": "Menurut kecamatan", "en": "By kecamatan"},
    "group": {"id": "Kelompok", "en": "Group"},
    "per_day": {"id": "Insiden/hari", "en": "Incidents/day"},
    "staffing": {"id": "Pembagian {n} personel", "en": "Split of the {n} personnel"},
    "tps_guards": {"id": "Pengamanan TPS", "en": "TPS guards"},
    "reserve": {"id": "Cadangan bergerak", "en": "Mobile reserve"},
    "command_and_support": {
        "id": "Posko, piket, lalu lintas",
        "en": "Command post, desks, traffic",
    },
    "over_budget": {
        "id": "Melebihi jumlah personel (butuh BKO)",
        "en": "Over the personnel total (needs reinforcement)",
    },
    "target_line": {"id": "Target {t} menit", "en": "Target {t} min"},
    "goal_line": {"id": "Sasaran {p}%", "en": "Goal {p}%"},
    "ax_response": {"id": "Waktu respons (menit)", "en": "Response time (minutes)"},
    "ax_share_reached": {
        "id": "Bagian insiden yang sudah dijangkau",
        "en": "Share of incidents reached",
    },
    "ecdf_title_one": {
        "id": "{p}% insiden dijangkau dalam {t} menit",
        "en": "{p}% of incidents reached within {t} minutes",
    },
    "ecdf_title_many": {
        "id": "Terbaik: {best} — {p}% dijangkau dalam {t} menit",
        "en": "Best: {best} — {p}% reached within {t} minutes",
    },
    "ax_p90": {"id": "Waktu respons p90 (menit)", "en": "p90 response time (minutes)"},
    "ax_within": {"id": "Dijangkau ≤ {t} menit (%)", "en": "Reached within {t} min (%)"},
    "curve_title_yes": {
        "id": "{n} tim cadangan cukup untuk target {t} menit (SK 95%)",
        "en": "{n} reserve teams meet the {t}-minute target (95% CI)",
    },
    "curve_title_no": {
        "id": "Tidak ada jumlah cadangan yang memenuhi target {t} menit",
        "en": "No reserve size in the sweep meets the {t}-minute target",
    },
    "map_no_incident": {"id": "TPS tanpa insiden", "en": "TPS without incidents"},
    "map_colour": {"id": "Waktu respons {v} (menit)", "en": "{v} response time (minutes)"},
    "map_title": {
        "id": "Waktu respons {v} per TPS — terlama di {k}",
        "en": "{v} response time per TPS — slowest in {k}",
    },
    "ax_lon": {"id": "Bujur (°BT)", "en": "Longitude (°E)"},
    "ax_lat": {"id": "Lintang (°)", "en": "Latitude (°)"},
    "base:polres": {"id": "Polres", "en": "Polres (HQ)"},
    "base:polsek": {"id": "Polsek", "en": "Polsek"},
    "base:pos": {"id": "Pos pengamanan", "en": "Staging post"},
    "base:kodim": {"id": "Kodim", "en": "Kodim (TNI)"},
    "base:koramil": {"id": "Koramil", "en": "Koramil (TNI)"},
    "ax_hour": {"id": "Jam (hari pemungutan suara)", "en": "Hour (election day)"},
    "ax_incidents_hour": {"id": "Insiden per jam (rata-rata)", "en": "Incidents per hour (mean)"},
    "busy_units": {"id": "Unit cadangan sibuk (rata-rata)", "en": "Reserve units busy (mean)"},
    "hourly_title": {"id": "Puncak insiden sekitar pukul {h}", "en": "Incidents peak around {h}"},
    "heat_title": {
        "id": "p90 terlama: {c} di {k} ({v} menit)",
        "en": "Slowest p90: {c} in {k} ({v} min)",
    },
    "factor:staffing.reserve_units": {
        "id": "Jumlah tim cadangan (Sabhara)",
        "en": "Reserve teams (Sabhara)",
    },
    "factor:staffing.guard_pattern": {"id": "Pola pengamanan TPS", "en": "TPS guard pattern"},
    "factor:staffing.placement": {"id": "Penempatan cadangan", "en": "Reserve placement"},
    "factor:dispatch": {"id": "Kebijakan pengerahan", "en": "Dispatch policy"},
    "factor:incidents.rate_scale": {
        "id": "Tingkat kerawanan (× insiden)",
        "en": "Tension level (× incidents)",
    },
    "this_run": {"id": "Skenario ini", "en": "This scenario"},
    "assumptions": {"id": "Asumsi dan sumber", "en": "Assumptions and sources"},
    "assumption": {"id": "Asumsi", "en": "Assumption"},
    "source": {"id": "Sumber", "en": "Source"},
    "assumptions_note": {
        "id": "[S] bersumber, [D] turunan, [E] perkiraan — rincian di FACTS.md dan README data wilayah.",
        "en": "[S] sourced, [D] derived, [E] estimate — details in FACTS.md and the region data README.",
    },
    "assume_personnel": {"id": "Jumlah personel", "en": "Personnel total"},
    "assume_pattern": {"id": "Pola pengamanan TPS", "en": "TPS guard pattern"},
    "assume_reserve": {"id": "Tim cadangan (Sabhara)", "en": "Reserve teams (Sabhara)"},
    "assume_placement": {"id": "Penempatan cadangan", "en": "Reserve placement"},
    "assume_voting": {
        "id": "TPS tutup (menit sejak 00:00)",
        "en": "Polls close (minutes since 00:00)",
    },
    "assume_late": {"id": "Peluang TPS buka terlambat", "en": "Probability a TPS opens late"},
    "assume_counting": {"id": "Lama penghitungan (menit)", "en": "Counting duration (minutes)"},
    "assume_rates": {
        "id": "Faktor insiden per kategori TPS",
        "en": "Incident factor by TPS category",
    },
    "assume_rate_scale": {"id": "Pengali tingkat insiden", "en": "Incident rate multiplier"},
    "assume_escalation": {
        "id": "Eskalasi insiden yang menunggu",
        "en": "Escalation of waiting incidents",
    },
    "assume_travel": {"id": "Kecepatan (km/jam)", "en": "Speeds (km/h)"},
    "assume_rain": {"id": "Peluang hujan sore", "en": "Probability of afternoon rain"},
    "assume_dispatch": {"id": "Kebijakan pengerahan", "en": "Dispatch policy"},
    "run_finding": {
        "id": "{p}% insiden (SK 95% {ci}%) dijangkau dalam {t} menit; p90 waktu respons {p90} menit (SK 95% {p90ci}), dari {n} hari simulasi.",
        "en": "{p}% of incidents (95% CI {ci}%) are reached within {t} minutes; p90 response time {p90} min (95% CI {p90ci}), over {n} simulated days.",
    },
    "key_table": {"id": "Tabel utama", "en": "Key table"},
    "all_incidents": {"id": "Semua insiden", "en": "All incidents"},
    "reserve_incidents": {"id": "Insiden untuk cadangan", "en": "Incidents for the reserve"},
    "figures": {"id": "Gambar", "en": "Figures"},
    "fig:ecdf": {
        "id": "Bagian insiden yang dijangkau menurut waktu, dengan garis target.",
        "en": "Share of incidents reached by time, with the target lines.",
    },
    "fig:map": {
        "id": "Peta Kabupaten: TPS diwarnai menurut waktu respons p90; markas dan pos.",
        "en": "Map of the regency: TPS coloured by p90 response time; bases and posts.",
    },
    "fig:hourly": {
        "id": "Insiden per jam menurut tahapan, dan unit cadangan yang sibuk.",
        "en": "Incidents per hour by stage, and reserve units busy.",
    },
    "fig:heatmap": {
        "id": "p90 waktu respons per kecamatan dan kategori TPS.",
        "en": "p90 response time by kecamatan and TPS category.",
    },
    "fig:curve": {
        "id": "p90 waktu respons dan bagian yang dijangkau dalam target, menurut jumlah cadangan (pita: SK 95%).",
        "en": "p90 response time and share reached within target by reserve size (bands: 95% CI).",
    },
    "reproduce": {"id": "Cara mengulang hasil ini", "en": "How to reproduce this"},
    "sweep_title": {"id": "Perbandingan skenario pengamanan", "en": "Comparison of security plans"},
    "paired_note": {
        "id": "Δ p90 dibanding skenario pertama, dihitung berpasangan pada hari simulasi yang sama (angka acak bersama), sehingga perbedaan berasal dari penempatan personel.",
        "en": "Δ p90 against the first scenario, computed pairwise on the same simulated days (common random numbers), so differences come from the staffing.",
    },
    "delta_p90": {"id": "Δ p90 (menit)", "en": "Δ p90 (min)"},
    "utilization_short": {"id": "Utilisasi", "en": "Utilisation"},
    "rec_value": {
        "id": "Rekomendasi: minimal {n} tim cadangan agar p90 waktu respons ≤ {t} menit dengan keyakinan 95% (p90 = {p90} menit, SK 95% {lo} – {hi}).",
        "en": "Recommendation: at least {n} reserve teams keep the p90 response time ≤ {t} minutes with 95% confidence (p90 = {p90} min, 95% CI {lo} – {hi}).",
    },
    "rec_plateau": {
        "id": "Menambah tim di atas {n} tidak memperbaiki p90 secara berarti (p90 pada {m} tim: {p90} menit): yang membatasi adalah jarak dari markas, bukan jumlah tim.",
        "en": "Adding teams beyond {n} does not improve p90 noticeably (p90 at {m} teams: {p90} min): distance from the bases limits it, not the number of teams.",
    },
    "rec_none": {
        "id": "Tidak ada titik dalam sapuan ini yang memenuhi p90 ≤ {t} menit dengan keyakinan 95%.",
        "en": "No point of this sweep keeps the p90 response time ≤ {t} minutes with 95% confidence.",
    },
    "sweep_best": {
        "id": "p90 terbaik pada job {job}: {p90} menit (SK 95% {lo} – {hi}).",
        "en": "Best p90 in job {job}: {p90} min (95% CI {lo} – {hi}).",
    },
    "short:staffing.reserve_units": {"id": "cadangan", "en": "reserve"},
    "short:staffing.guard_pattern": {"id": "pola", "en": "pattern"},
    "short:staffing.placement": {"id": "penempatan", "en": "placement"},
    "short:dispatch": {"id": "pengerahan", "en": "dispatch"},
    "short:incidents.rate_scale": {"id": "insiden ×", "en": "incidents ×"},
    "partner": {"id": "Mitra (TNI), di luar jumlah", "en": "Partners (TNI), not counted"},
    "replications": {
        "id": "{n} hari simulasi (replikasi), seed {seed}",
        "en": "{n} simulated days (replications), seed {seed}",
    },
    "outputs": {"id": "Hasil ditulis ke", "en": "Outputs written to"},
    "report_at": {"id": "Laporan", "en": "Report"},
    "kurang_rawan": {"id": "Kurang rawan", "en": "Less vulnerable"},
    "rawan": {"id": "Rawan", "en": "Vulnerable"},
    "sangat_rawan": {"id": "Sangat rawan", "en": "Highly vulnerable"},
    "khusus": {"id": "Khusus", "en": "Special"},
    "ppk": {"id": "Kantor PPK", "en": "PPK office"},
    "guard": {"id": "Penjaga TPS", "en": "TPS guard"},
    "tni": {"id": "TNI", "en": "TNI"},
    "preparation": {"id": "Persiapan", "en": "Preparation"},
    "voting": {"id": "Pemungutan", "en": "Voting"},
    "counting": {"id": "Penghitungan", "en": "Counting"},
    "transport": {"id": "Pengawalan kotak", "en": "Box transport"},
    "recap": {"id": "Rekap PPK", "en": "PPK recap"},
    "steady": {"id": "Tetap", "en": "Steady"},
}


def t(key: str, lang: str = "id", **fmt: object) -> str:
    """The label ``key`` in ``lang`` (falls back to the key itself)."""
    entry = LABELS.get(key)
    text = entry.get(lang, entry["en"]) if entry else key
    return text.format(**fmt) if fmt else text


def percentile_text(x: float | None, lang: str, digits: int = 1) -> str:
    """A percentile in minutes, or "not reached" when it lies among unreached incidents
    (``None`` in summary.json)."""
    return t("not_reached", lang) if x is None else f"{x:.{digits}f}"
