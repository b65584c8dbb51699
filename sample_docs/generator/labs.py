"""Laboratory table rows in US, SI and Chinese conventions, and the normalised facts they state."""

from __future__ import annotations

from typing import Any

from .model import Person

Row = tuple[str, ...]


def _flag(value: float, low: float | None, high: float | None, zh: bool = False) -> str:
    if low is not None and value < low:
        return "↓" if zh else "L"
    if high is not None and value > high:
        return "↑" if zh else "H"
    return ""


def _cbc(p: Person, si: bool, zh: bool, v: dict[str, Any], f: dict[str, Any]) -> list[Row]:
    anc = int(v.get("anc", 2400))
    plt = int(v.get("plt", 185000))
    hb = float(v.get("hb", 11.8 if p.sex == "female" else 12.9))
    wbc = float(v.get("wbc", round(anc / 1000 / 0.62, 1)))
    f["anc_per_uL"] = float(anc)
    f["platelets_per_uL"] = float(plt)
    hb_low, hb_high = (12.0, 15.5) if p.sex == "female" else (13.5, 17.5)
    if zh:
        hb_gl = round(hb * 10)
        f["hemoglobin_g_dL"] = hb_gl / 10
        return [
            ("白细胞计数 WBC", f"{wbc:.1f}", _flag(wbc, 3.5, 9.5, True), "×10^9/L", "3.5-9.5"),
            (
                "中性粒细胞绝对值 NEUT#",
                f"{anc / 1000:.2f}",
                _flag(anc, 1800, 6300, True),
                "×10^9/L",
                "1.8-6.3",
            ),
            ("血红蛋白 HGB", f"{hb_gl}", _flag(hb_gl, 130, 175, True), "g/L", "130-175"),
            (
                "血小板计数 PLT",
                f"{plt // 1000}",
                _flag(plt, 125000, 350000, True),
                "×10^9/L",
                "125-350",
            ),
        ]
    if si:
        hb_gl = round(hb * 10)
        f["hemoglobin_g_dL"] = hb_gl / 10
        return [
            ("White cell count", f"{wbc:.1f}", _flag(wbc, 4.0, 11.0), "x10^9/L", "4.0 - 11.0"),
            (
                "Haemoglobin",
                f"{hb_gl}",
                _flag(hb_gl, hb_low * 10, hb_high * 10),
                "g/L",
                f"{hb_low * 10:.0f} - {hb_high * 10:.0f}",
            ),
            ("Platelets", f"{plt // 1000}", _flag(plt, 150000, 400000), "x10^9/L", "150 - 400"),
            ("Neutrophils", f"{anc / 1000:.1f}", _flag(anc, 2000, 7500), "x10^9/L", "2.0 - 7.5"),
            ("Lymphocytes", "0.9", "L", "x10^9/L", "1.0 - 4.0"),
        ]
    f["hemoglobin_g_dL"] = hb
    anc_unit = v.get("anc_unit", "K/uL")
    plt_unit = v.get("plt_unit", "K/uL")
    anc_s = str(anc) if anc_unit == "/uL" else f"{anc / 1000:.1f}"
    anc_rng = "1800-7700" if anc_unit == "/uL" else "1.8-7.7"
    return [
        ("WBC", f"{wbc:.1f}", _flag(wbc, 4.0, 11.0), "K/uL", "4.0-11.0"),
        (
            "Hemoglobin",
            f"{hb:.1f}",
            _flag(hb, hb_low, hb_high),
            "g/dL",
            f"{hb_low:.1f}-{hb_high:.1f}",
        ),
        (
            "Hematocrit",
            f"{hb * 2.95:.1f}",
            _flag(hb * 2.95, hb_low * 3, hb_high * 3),
            "%",
            f"{hb_low * 3:.0f}-{hb_high * 3:.0f}",
        ),
        ("Platelet count", f"{plt // 1000}", _flag(plt, 150000, 400000), plt_unit, "150-400"),
        ("Absolute neutrophil count (ANC)", anc_s, _flag(anc, 1800, 7700), anc_unit, anc_rng),
        ("Absolute lymphocyte count", "0.8", "L", "K/uL", "1.0-4.8"),
    ]


def _cmp(p: Person, si: bool, zh: bool, v: dict[str, Any], f: dict[str, Any]) -> list[Row]:
    creat = float(v.get("creat", 0.86))
    bili = float(v.get("bili", 0.6))
    alt = int(v.get("alt", 24))
    ast = int(v.get("ast", 28))
    crcl = v.get("crcl", 88)
    f["alt_U_L"] = float(alt)
    if not si or zh:
        # UK biochemistry profiles here print ALT only.
        f["ast_U_L"] = float(ast)
    if si or zh:
        cr_um = round(creat * 88.4)
        bili_um = round(bili * 17.1, 1 if zh else 0)
        f["creatinine_mg_dL"] = round(cr_um / 88.4, 2)
        f["bilirubin_mg_dL"] = round(bili_um / 17.1, 2)
        if zh:
            return [
                ("谷丙转氨酶 ALT", str(alt), _flag(alt, 9, 50, True), "U/L", "9-50"),
                ("谷草转氨酶 AST", str(ast), _flag(ast, 15, 40, True), "U/L", "15-40"),
                ("总胆红素 TBIL", f"{bili_um:.1f}", _flag(bili_um, 0, 21, True), "μmol/L", "0-21"),
                ("肌酐 Cr", str(cr_um), _flag(cr_um, 57, 111, True), "μmol/L", "57-111"),
            ]
        return [
            ("Sodium", "139", "", "mmol/L", "133 - 146"),
            ("Potassium", "4.2", "", "mmol/L", "3.5 - 5.3"),
            ("Creatinine", str(cr_um), _flag(cr_um, 59, 104), "umol/L", "59 - 104"),
            ("eGFR (CKD-EPI)", ">90", "", "mL/min/1.73m2", ">90"),
            ("Bilirubin", f"{bili_um:.0f}", _flag(bili_um, 0, 21), "umol/L", "0 - 21"),
            ("ALT", str(alt), _flag(alt, 0, 41), "U/L", "0 - 41"),
            ("Alkaline phosphatase", "96", "", "U/L", "30 - 130"),
            ("Albumin", "38", "", "g/L", "35 - 50"),
        ]
    f["creatinine_mg_dL"] = creat
    f["bilirubin_mg_dL"] = bili
    rows: list[Row] = [
        ("Sodium", "138", "", "mmol/L", "135-145"),
        ("Potassium", "4.1", "", "mmol/L", "3.5-5.1"),
        ("BUN", "16", "", "mg/dL", "7-20"),
        (
            "Creatinine",
            f"{creat:.2f}",
            _flag(creat, 0.5, 1.1 if p.sex == "female" else 1.3),
            "mg/dL",
            "0.50-1.10" if p.sex == "female" else "0.70-1.30",
        ),
    ]
    if crcl is not None:
        f["crcl_mL_min"] = float(crcl)
        rows.append(("CrCl (Cockcroft-Gault)", str(crcl), _flag(crcl, 60, None), "mL/min", ">60"))
    rows += [
        ("Total bilirubin", f"{bili:.1f}", _flag(bili, 0.2, 1.2), "mg/dL", "0.2-1.2"),
        ("ALT (SGPT)", str(alt), _flag(alt, 7, 56), "U/L", "7-56"),
        ("AST (SGOT)", str(ast), _flag(ast, 10, 40), "U/L", "10-40"),
        ("Alkaline phosphatase", "88", "", "U/L", "44-147"),
        ("Albumin", "3.7", "", "g/dL", "3.5-5.0"),
    ]
    return rows


def _serology(si: bool, zh: bool, v: dict[str, Any], f: dict[str, Any]) -> list[Row]:
    f.update(hiv="negative", hbsag="negative", hcv_ab="negative")
    if zh:
        return [
            ("乙型肝炎表面抗原 HBsAg", "阴性", "", "", "阴性"),
            ("丙型肝炎抗体 抗-HCV", "阴性", "", "", "阴性"),
            ("人类免疫缺陷病毒抗体 抗-HIV", "阴性", "", "", "阴性"),
        ]
    if si:
        return [
            ("HIV 1+2 antibody / p24 antigen", "Not detected", "", "", "Not detected"),
            ("Hepatitis B surface antigen", "Not detected", "", "", "Not detected"),
            ("Hepatitis B core antibody", "Not detected", "", "", "Not detected"),
            ("Hepatitis C antibody", "Not detected", "", "", "Not detected"),
        ]
    return [
        ("HIV-1/2 Ag/Ab (4th generation)", "Non-reactive", "", "", "Non-reactive"),
        ("HBsAg", "Non-reactive", "", "", "Non-reactive"),
        ("Hepatitis B core Ab, total", "Non-reactive", "", "", "Non-reactive"),
        ("Hepatitis C virus Ab (anti-HCV)", "Non-reactive", "", "", "Non-reactive"),
        ("CMV IgG", "Reactive", "A", "", "Non-reactive"),
    ]


def _pregnancy(si: bool, f: dict[str, Any]) -> list[Row]:
    f["pregnancy"] = "negative"
    name = "Serum hCG (pregnancy test)" if si else "hCG, serum, qualitative"
    return [(name, "Negative", "", "", "Negative")]


def _myeloma() -> list[Row]:
    return [
        ("M-protein (SPEP)", "1.9", "H", "g/dL", "0.0"),
        ("Immunofixation", "IgG kappa", "A", "", "None detected"),
        ("Free kappa light chain", "412.0", "H", "mg/L", "3.3-19.4"),
        ("Free lambda light chain", "9.6", "", "mg/L", "5.7-26.3"),
        ("Kappa/lambda ratio", "42.92", "H", "", "0.26-1.65"),
        ("IgG", "2840", "H", "mg/dL", "700-1600"),
    ]


def lab_rows(
    panels: tuple[str, ...], p: Person, si: bool, zh: bool, v: dict[str, Any]
) -> tuple[list[Row], dict[str, Any], list[str]]:
    """Rows for the requested panels, the facts they state, and footnotes."""
    rows: list[Row] = []
    f: dict[str, Any] = {}
    notes: list[str] = []
    for panel in panels:
        if panel == "cbc":
            rows += _cbc(p, si, zh, v, f)
        elif panel == "cmp":
            rows += _cmp(p, si, zh, v, f)
        elif panel == "serology":
            rows += _serology(si, zh, v, f)
            notes.append(
                "Reactive screening results are confirmed by supplemental testing before reporting."
            )
        elif panel == "pregnancy":
            rows += _pregnancy(si, f)
        elif panel == "myeloma":
            rows += _myeloma()
            notes.append(
                "Serum protein electrophoresis interpreted by a pathologist; M-spike quantified by densitometry."
            )
        else:
            raise ValueError(f"unknown lab panel {panel}")
    if "hemolyzed" in v:
        notes.append("Specimen slightly hemolyzed; potassium may be falsely elevated.")
    return rows, f, notes
