#!/usr/bin/python3
"""Draw the book's figures and cover from the data in manuscript/data/.

Reads:
    manuscript/data/timeline.csv   year,event
    manuscript/data/trade.csv      year,us_exports_to_mexico,
                                   us_imports_from_mexico
                                   (billions of US dollars, rounded)

Writes:
    manuscript/images/timeline.png  key events, 1821-2021 (RGB)
    manuscript/images/trade.png     US goods trade with Mexico (RGB)
    manuscript/images/balance.png   US goods trade balance with Mexico
                                    (transparent background)
    manuscript/images/cover.jpg     the cover, 1600 x 2400 px

The output is deterministic: fixed sizes, fixed fonts, no timestamps and no
software tag in the PNG metadata, so the same data always gives the same
bytes with the same matplotlib and Pillow.

Run from anywhere:  /usr/bin/python3 tools/figures.py
"""

import csv
import io
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Polygon, Rectangle  # noqa: E402
from PIL import Image  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "manuscript", "data")
IMAGES = os.path.join(ROOT, "manuscript", "images")

DPI = 200
FIGSIZE = (7.5, 4.0)  # inches: 1500 x 800 px at 200 dpi

INK = "#1f2a33"
GRID = "#c9ced3"
EXPORTS = "#1b5e8c"  # blue
IMPORTS = "#b5562b"  # terracotta
ACCENT = "#2f7d5b"  # green

PNG_META = {"Software": None}

plt.rcParams.update(
    {
        "font.family": "serif",
        "font.serif": ["DejaVu Serif"],
        "font.size": 9,
        "axes.edgecolor": INK,
        "axes.labelcolor": INK,
        "xtick.color": INK,
        "ytick.color": INK,
        "text.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "savefig.dpi": DPI,
        "path.simplify": False,
        "svg.hashsalt": "folio",
    }
)


def read_csv(name):
    with open(os.path.join(DATA, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def save_png(fig, name, transparent=False):
    """Save a figure as PNG: RGBA with a transparent background when asked,
    otherwise plain RGB on white (matplotlib always writes RGBA)."""
    path = os.path.join(IMAGES, name)
    if transparent:
        fig.savefig(path, dpi=DPI, format="png", metadata=PNG_META,
                    transparent=True)
    else:
        buf = io.BytesIO()
        fig.savefig(buf, dpi=DPI, format="png", metadata=PNG_META,
                    facecolor="white")
        buf.seek(0)
        with Image.open(buf) as im:
            im.convert("RGB").save(path, format="PNG", optimize=True,
                                   dpi=(DPI, DPI))
    plt.close(fig)
    return path


def timeline():
    rows = read_csv("timeline.csv")
    events = sorted((int(r["year"]), r["event"]) for r in rows)

    fig = plt.figure(figsize=FIGSIZE, dpi=DPI)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.axis("off")

    # Group the events into eras wherever two events lie more than thirty
    # years apart; each era gets its own column under the time axis.
    eras = [[events[0]]]
    for prev, ev in zip(events, events[1:]):
        if ev[0] - prev[0] > 30:
            eras.append([])
        eras[-1].append(ev)

    y0, y1 = 1810, 2030
    left, right, axis_y = 0.04, 0.96, 0.83

    def xpos(year):
        return left + (right - left) * (year - y0) / (y1 - y0)

    ax.plot([left, right], [axis_y, axis_y], color=INK, linewidth=1.4,
            zorder=2)
    for decade in range(1820, y1 + 1, 20):
        ax.plot([xpos(decade)] * 2, [axis_y - 0.012, axis_y + 0.012],
                color=INK, linewidth=0.8, zorder=2)
        ax.text(xpos(decade), axis_y + 0.03, str(decade), ha="center",
                va="bottom", fontsize=7, color="#56616b")

    ncol = len(eras)
    col_w = (right - left) / ncol
    top = 0.66
    tones = ("#e3eef5", "#f4e6dc", "#e4f1ea")
    edges = (EXPORTS, IMPORTS, ACCENT)
    for i, era in enumerate(eras):
        tone = tones[i % len(tones)]
        edge = edges[i % len(edges)]
        first, last = era[0][0], era[-1][0]
        c0 = left + i * col_w + 0.01
        c1 = left + (i + 1) * col_w - 0.01
        # A funnel from the era's span on the axis to its column.
        ax.add_patch(Polygon(
            [(xpos(first) - 0.004, axis_y), (xpos(last) + 0.004, axis_y),
             (c1, top + 0.02), (c0, top + 0.02)],
            closed=True, facecolor=tone, edgecolor="none", zorder=0))
        ax.add_patch(Rectangle((c0, 0.07), c1 - c0, top + 0.02 - 0.07,
                               facecolor=tone, edgecolor="none", zorder=0))
        ax.text((c0 + c1) / 2, top - 0.035, f"{first}–{last}", ha="center",
                va="center", fontsize=9, fontweight="bold", color=edge)
        step = min(0.085, (top - 0.16) / max(1, len(era)))
        for j, (year, text) in enumerate(era):
            ax.plot(xpos(year), axis_y, "o", markersize=4.5, color=edge,
                    markeredgecolor="white", markeredgewidth=0.6, zorder=3)
            y = top - 0.11 - j * step
            ax.plot(c0 + 0.018, y, "o", markersize=3.2, color=edge)
            ax.text(c0 + 0.035, y, str(year), ha="left", va="center",
                    fontsize=7.5, fontweight="bold")
            ax.text(c0 + 0.085, y, text, ha="left", va="center",
                    fontsize=7.5)

    ax.text(left, 0.025, "Key events named in chapters 1 and 12. The axis "
            "is to scale; the columns list each era’s events in order.",
            fontsize=6.5, color="#56616b", va="center")
    return save_png(fig, "timeline.png")


def trade_rows():
    rows = read_csv("trade.csv")
    years = [int(r["year"]) for r in rows]
    exports = [float(r["us_exports_to_mexico"]) for r in rows]
    imports = [float(r["us_imports_from_mexico"]) for r in rows]
    return years, exports, imports


def trade():
    years, exports, imports = trade_rows()

    fig = plt.figure(figsize=FIGSIZE, dpi=DPI)
    ax = fig.add_axes([0.10, 0.15, 0.86, 0.78])
    ax.plot(years, imports, color=IMPORTS, linewidth=2.0, marker="o",
            markersize=3.5, label="US imports from Mexico")
    ax.plot(years, exports, color=EXPORTS, linewidth=2.0, marker="s",
            markersize=3.2, label="US exports to Mexico")
    ax.set_xlim(1991, 2026)
    ax.set_ylim(0, 550)
    ax.set_ylabel("Billions of US dollars (nominal)")
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)

    for x, label in ((1994, "NAFTA\n1994"), (2020, "USMCA\n2020")):
        ax.axvline(x, color="#7a858f", linewidth=0.8, linestyle="--")
        ax.text(x - 0.5, 540, label, ha="right", va="top", fontsize=7,
                color="#56616b")

    last = years[-1]
    ax.annotate(f"{imports[-1]:.0f}", (last, imports[-1]),
                xytext=(5, 0), textcoords="offset points", va="center",
                fontsize=7.5, color=IMPORTS)
    ax.annotate(f"{exports[-1]:.0f}", (last, exports[-1]),
                xytext=(5, 0), textcoords="offset points", va="center",
                fontsize=7.5, color=EXPORTS)

    ax.legend(loc="upper left", bbox_to_anchor=(0.12, 1.0), frameon=False,
              fontsize=8)
    fig.text(0.10, 0.03,
             "Source: US Census Bureau, Trade in Goods with Mexico; "
             "selected years, rounded.",
             fontsize=6.5, color="#56616b")
    return save_png(fig, "trade.png")


def balance():
    years, exports, imports = trade_rows()
    net = [e - i for e, i in zip(exports, imports)]

    fig = plt.figure(figsize=FIGSIZE, dpi=DPI)
    ax = fig.add_axes([0.10, 0.15, 0.86, 0.78])
    colors = [EXPORTS if v >= 0 else IMPORTS for v in net]
    ax.bar(years, net, width=0.8, color=colors)
    ax.axhline(0, color=INK, linewidth=0.8)
    ax.set_xlim(1991, 2026)
    ax.set_ylim(-190, 20)
    ax.set_ylabel("Billions of US dollars (nominal)")
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    for x, v in zip(years, net):
        if x in (1993, 1994, 1995, 2023, 2024):
            offset = 4 if v >= 0 else -4
            label = f"{v:+.0f}".replace("-", "\u2212")  # true minus
            ax.text(x, v + offset, label, ha="center",
                    va="bottom" if v >= 0 else "top", fontsize=6.5)
    fig.text(0.10, 0.03,
             "US exports minus US imports, goods only. Source: US Census "
             "Bureau; selected years, rounded.",
             fontsize=6.5, color="#56616b")
    return save_png(fig, "balance.png", transparent=True)


def river(x):
    """A smooth, fixed meander standing in for the Rio Grande."""
    return (0.030 * math.sin(7.0 * x + 0.4)
            + 0.018 * math.sin(15.0 * x + 1.3)
            + 0.010 * math.sin(29.0 * x + 2.1))


def cover():
    width_px, height_px = 1600, 2400
    fig = plt.figure(figsize=(width_px / DPI, height_px / DPI), dpi=DPI)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.5)
    ax.axis("off")

    # Sky and land: two fields meeting at a meandering line.
    ax.add_patch(Rectangle((0, 0), 1, 1.5, color="#12324a", zorder=0))
    n = 240
    xs = [i / (n - 1) for i in range(n)]
    base = 0.62
    line = [(x, base + river(x)) for x in xs]
    north = [(0, 1.5)] + line + [(1, 1.5)]
    south = [(0, 0)] + line + [(1, 0)]
    ax.add_patch(Polygon(north, closed=True, color="#1b4a6b", zorder=1))
    ax.add_patch(Polygon(south, closed=True, color="#c4733f", zorder=1))
    # Bands of lighter tone in the south, following the river's course.
    for k, tone in enumerate(("#cf8552", "#d99766", "#e3aa7c")):
        off = 0.07 * (k + 1)
        band = ([(x, base + river(x) - off) for x in xs]
                + [(x, base + river(x) - off - 0.035) for x in reversed(xs)])
        ax.add_patch(Polygon(band, closed=True, color=tone, zorder=2))
    # The river itself.
    ax.plot([p[0] for p in line], [p[1] for p in line],
            color="#9fd3e6", linewidth=7, solid_capstyle="butt", zorder=3)

    # A rising sun over the line: a nod to the shared horizon.
    sun = plt.Circle((0.74, 0.86), 0.085, color="#f2c46d", zorder=1.5)
    ax.add_patch(sun)

    ax.text(0.5, 1.31, "US–Mexico", ha="center", va="center",
            fontsize=50, color="white", fontweight="bold", zorder=5)
    ax.text(0.5, 1.205, "Relations", ha="center", va="center",
            fontsize=50, color="white", fontweight="bold", zorder=5)
    ax.plot([0.3, 0.7], [1.125, 1.125], color="#f2c46d", linewidth=2.5,
            zorder=5)
    ax.text(0.5, 1.06, "Understanding United States", ha="center",
            va="center", fontsize=20, color="#e8eef2", style="italic",
            zorder=5)
    ax.text(0.5, 1.01, "Foreign Policy", ha="center", va="center",
            fontsize=20, color="#e8eef2", style="italic", zorder=5)
    ax.text(0.5, 0.09, "The folio Project", ha="center", va="center",
            fontsize=18, color="#2a1a10", zorder=5)

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata=PNG_META)
    plt.close(fig)
    buf.seek(0)
    img = Image.open(buf).convert("RGB")
    if img.size != (width_px, height_px):
        img = img.resize((width_px, height_px), Image.LANCZOS)
    path = os.path.join(IMAGES, "cover.jpg")
    img.save(path, format="JPEG", quality=85, optimize=True,
             progressive=False, subsampling="4:2:0", dpi=(DPI, DPI))
    return path


def main():
    os.makedirs(IMAGES, exist_ok=True)
    for make in (timeline, trade, balance, cover):
        path = make()
        with Image.open(path) as im:
            size = im.size
        print(f"{os.path.relpath(path, ROOT)}: {size[0]}x{size[1]} px, "
              f"{os.path.getsize(path)} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
