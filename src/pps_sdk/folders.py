"""Folders of results, written all or nothing.

A command that writes several files into one folder (`pps dedup --out`, `pps indicators
report --out`) writes them into a temporary folder beside it, which takes the folder's place
only once every file is written: a run that fails or is interrupted leaves an earlier folder
as it was, never half old and half new.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path

from .errors import PPSError


class OutputFolderError(PPSError):
    """The results cannot be written where asked (the place is a file, or not writable)."""


def write_folder(folder: str | Path, write: Callable[[Path], list[Path]], results: Collection[str] = ()) -> list[Path]:
    """Call `write(staging)` to write the results into a new folder, then put that folder in
    place of `folder`; returns the paths written, as paths in `folder`.

    Files and folders in an earlier `folder` whose names are neither written now nor in
    `results` (notes, a decisions file) are carried over. Raises OutputFolderError when
    `folder` is a file or its parent cannot be written; whatever `write` raises is raised
    after the temporary folder is removed."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"{folder} is a file; --out names the folder the results go into")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".writing", dir=folder.parent))
    except OSError as exc:
        raise OutputFolderError(f"cannot write into {folder.parent}: {exc.strerror or exc}") from None
    try:
        written = write(staging)
        _carry_over(folder, staging, {path.relative_to(staging).parts[0] for path in written} | set(results))
        _swap(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / path.relative_to(staging) for path in written]


def _carry_over(folder: Path, staging: Path, results: set[str]) -> None:
    """Copy what a person keeps in the results folder, other than results, into the new one."""
    if not folder.is_dir():
        return
    for item in folder.iterdir():
        if item.name in results:
            continue
        if item.is_dir():
            shutil.copytree(item, staging / item.name, symlinks=True)
        else:
            shutil.copy2(item, staging / item.name, follow_symlinks=False)


def _swap(staging: Path, folder: Path) -> None:
    """`staging` becomes `folder`; the old `folder` is moved aside first and removed last."""
    if not folder.exists():
        staging.rename(folder)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".old", dir=folder.parent))
    old.rmdir()
    folder.rename(old)
    try:
        staging.rename(folder)
    except BaseException:
        old.rename(folder)  # put the earlier results back
        raise
    shutil.rmtree(old, ignore_errors=True)
