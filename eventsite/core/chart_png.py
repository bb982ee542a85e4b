"""PNG copies of the SVG charts, rasterised by Typst (already here for PDFs) in a child process.

Typst draws SVG through usvg/resvg, which shapes Arabic and Chinese with the fonts shipped in
`eventsite/fonts/`, so no system library (libcairo, librsvg) is needed; the child process keeps
Typst out of the web worker, as `core/pdf.py` does.
"""
import subprocess
import sys
from pathlib import Path

FONTS = Path(__file__).resolve().parent.parent / "fonts"
SECONDS = 30
MEMORY = 1024 ** 3
LAYOUT = b'#set page(width: auto, height: auto, margin: 0pt)\n#image(bytes(sys.inputs.svg), format: "svg")\n'


class PngFailed(RuntimeError):
    """Typst did not draw the chart."""


def png(svg: str) -> bytes:
    """The PNG of a standalone SVG, at twice its size for sharp print."""
    try:
        # -P: the folder of this file (which has a time.py) must not shadow the standard library
        done = subprocess.run([sys.executable, "-P", __file__], input=svg.encode(), capture_output=True,
                              timeout=SECONDS)
    except subprocess.TimeoutExpired:
        raise PngFailed(f"drawing the PNG took more than {SECONDS} s") from None
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG"):
        raise PngFailed(done.stderr.decode(errors="replace")[-1000:] or f"exit status {done.returncode}")
    return done.stdout


if __name__ == "__main__":  # the child: SVG in, PNG out
    import resource
    resource.setrlimit(resource.RLIMIT_DATA, (MEMORY, MEMORY))
    import typst
    sys.stdout.buffer.write(typst.compile(LAYOUT, format="png", ppi=144, font_paths=[str(FONTS)],
                                          ignore_system_fonts=True, sys_inputs={"svg": sys.stdin.read()}))
