"""The /progress chart: one bar per department, progress against its target,
as a PNG, in the official's language.

Drawn with Pillow using its Raqm layout (HarfBuzz text shaping: Devanagari
conjuncts and vowel signs come out right, which a plain FreeType layout or
matplotlib gets wrong) and Noto Sans Devanagari, which also has Latin
letters and digits, so one font serves Hindi and English.
"""
from __future__ import annotations

from functools import lru_cache
from io import BytesIO

import fontpkg_noto_sans_devanagari
from PIL import Image, ImageDraw, ImageFont, features

from bot.i18n import N_, translate
from bot.reports.pace import Status
from bot.reports.progress import Progress, count, department_name, percent_text, place_title

WIDTH, ROW, TOP, LEFT, RIGHT = 1200, 74, 150, 430, 60
COLOURS = {Status.MET: "#1b7f3b", Status.ON_TRACK: "#2e7d32", Status.BEHIND: "#c62828",
           Status.MISSED: "#8e0000", Status.NO_TARGET: "#546e7a"}
LEGEND = N_("Green: on track or met. Red: behind. Bar: registered, as a share of the target.")
BAR_LABEL = N_("{done} / {target} ({percent}%)")
NO_TARGET_LABEL = N_("{done} (no target)")


@lru_cache(maxsize=8)
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    path = next(fontpkg_noto_sans_devanagari.ROOT.glob("files/*.ttf"))
    layout = ImageFont.Layout.RAQM if features.check("raqm") else ImageFont.Layout.BASIC
    f = ImageFont.truetype(str(path), size, layout_engine=layout)
    try:
        weight = 700 if bold else 450
        f.set_variation_by_axes([float(weight if a["name"] == b"Weight" else a["maximum"] or 0)  # full width
                                 for a in f.get_variation_axes()])
    except OSError:   # a font without axes
        pass
    return f


def progress_chart(p: Progress, lang: str) -> bytes:
    """A PNG of progress against target per department."""
    lines = p.departments
    height = TOP + ROW * max(len(lines), 1) + 90
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    draw.text((LEFT // 12, 28), place_title(p, lang), fill="#111", font=font(34, bold=True))
    draw.text((LEFT // 12, 84), translate(lang, LEGEND), fill="#444", font=font(22))
    span = WIDTH - LEFT - RIGHT
    for i, line in enumerate(lines):
        y = TOP + i * ROW
        pc = line.pace
        draw.text((LEFT - 16, y + 24), department_name(line.code, lang), fill="#111",
                  font=font(23), anchor="rm")
        draw.rectangle((LEFT, y + 6, LEFT + span, y + 42), fill="#eceff1")
        share = min((pc.percent or 0) / 100, 1.0) if pc.status is not Status.NO_TARGET else 0
        if share > 0:
            draw.rectangle((LEFT, y + 6, LEFT + int(span * share), y + 42), fill=COLOURS[pc.status])
        if pc.status is Status.NO_TARGET:
            label = translate(lang, NO_TARGET_LABEL, done=count(pc.done, lang))
        else:
            label = translate(lang, BAR_LABEL, done=count(pc.done, lang), target=count(pc.target, lang),
                              percent=percent_text(pc.percent, lang))
        draw.text((LEFT + 8, y + 60), label, fill="#333", font=font(19), anchor="ls")
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
