"""A font with Hangul for chart labels: ORCH_CHART_FONT, else Nanum Gothic (fonts-nanum), else any CJK font.

Without one matplotlib draws Korean as empty boxes, so a missing font is logged loudly.
"""

import logging
from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager

logger = logging.getLogger("finscribe.orchestrator.charts")
PREFERRED = ("NanumGothic", "NanumBarunGothic", "NanumSquare", "Noto Sans CJK KR", "Noto Sans KR", "UnDotum")


@lru_cache(maxsize=4)
def korean_font(explicit: str | None = None) -> str | None:
    """The family name to use, or None (labels will lack Hangul glyphs)."""
    if explicit and Path(explicit).exists():
        font_manager.fontManager.addfont(explicit)
        return font_manager.FontProperties(fname=explicit).get_name()
    for folder in (Path("/usr/share/fonts/truetype/nanum"), Path("/usr/share/fonts/opentype/noto")):
        if folder.is_dir():
            for path in sorted(folder.glob("*.tt[fc]")) + sorted(folder.glob("*.otf")):
                try:
                    font_manager.fontManager.addfont(str(path))
                except (OSError, RuntimeError):
                    continue
    names = {f.name for f in font_manager.fontManager.ttflist}
    for wanted in PREFERRED:
        if wanted in names:
            return wanted
    logger.warning("no Korean font found (install fonts-nanum or set ORCH_CHART_FONT); chart labels lack Hangul")
    return None
