"""Memory and build time of the kept animations: builds all 36 (9 measures x log on/off x 2 languages) through
app_pages/anim.py in this process, with the real data, and reads the process's resident memory before and after.

    python -m bench.anim_memory
"""
from __future__ import annotations

import gc
import time

import i18n
import prep
from app_pages import anim, data


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    data.table_with_map_codes("troops_annual")
    anim.figure("army", False, "en", "warm-up")  # imports, the table, a first build
    anim.clear()
    gc.collect()
    before, t0, n = rss_mb(), time.perf_counter(), 0
    for lang in i18n.LANGS:
        for log in (False, True):
            for m in prep.MEASURES:
                anim.figure(m, log, lang, anim.title(lang, 1950, 2025))
                n += 1
    gc.collect()
    after, dt = rss_mb(), time.perf_counter() - t0
    print(f"{n} animations built in {dt:.1f} s ({dt / n * 1000:.0f} ms each); RSS {before:.0f} -> {after:.0f} MB: "
          f"{(after - before) / n:.2f} MB per kept animation; builds counted: {anim.BUILDS['count']}")


if __name__ == "__main__":
    main()
