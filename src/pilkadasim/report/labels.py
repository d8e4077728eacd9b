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
