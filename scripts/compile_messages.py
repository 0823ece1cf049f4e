"""Compile every locale/*.po to .mo with polib (no gettext binaries needed on a fresh machine).

The project-wide catalog is src/videocontact/locale; each app may keep its own strings in
src/videocontact/<app>/locale (Django merges the catalogs of all installed apps)."""

from __future__ import annotations

from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent / "src" / "videocontact"


def main() -> None:
    for po_path in sorted(ROOT.glob("**/locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        print(f"compiled {po_path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
