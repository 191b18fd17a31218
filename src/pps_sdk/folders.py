"""Folders of results, written all or nothing.

A command that writes several files into one folder (`pps dedup --out`, `pps indicators
report --out`) writes them into a temporary folder beside it, which takes the folder's place
only once every file is written: a run that fails or is interrupted leaves an earlier folder
as it was, never half old and half new. Only an empty folder, or one written this way before,
is replaced: a folder of other files (`--out ~/Documents`) is refused.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path

from .errors import PPSError


MARKER = ".pps-output"  # left in every folder written here: such a folder may be replaced


class OutputFolderError(PPSError):
    """The results cannot be written where asked (the place is a file, or not writable)."""


def write_folder(folder: str | Path, write: Callable[[Path], list[Path]], results: Collection[str] = ()) -> list[Path]:
    """Call `write(staging)` to write the results into a new folder, then put that folder in
    place of `folder`; returns the paths written, as paths in `folder`.

    Files and folders in an earlier `folder` whose names are neither written now nor in
    `results` (notes, a decisions file) are carried over. Raises OutputFolderError when
    `folder` is a file, the current folder, a folder with files in it that this function did
    not write (no `MARKER` and none of `results`), or its parent cannot be written; whatever `write` raises is raised
    after the temporary folder is removed."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputFolderError(f"{folder} is a file; --out names the folder the results go into")
    if folder.name in ("", ".", "..") or folder.resolve() == Path.cwd().resolve():
        raise OutputFolderError(f"{folder} is the current folder or one above it; --out names a folder "
                                "the results go into, such as --out results")
    if folder.is_dir() and not _written_here(folder, results):
        raise OutputFolderError(f"{folder} is a folder of other files, not results written here; "
                                "--out names a new or empty folder, or one written here before")
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".writing", dir=folder.parent))
    except OSError as exc:
        raise OutputFolderError(f"cannot write into {folder.parent}: {exc.strerror or exc}") from None
    try:
        written = write(staging)
        (staging / MARKER).write_text("Results written by the pps command; it may replace this folder.\n", encoding="utf-8")
        _carry_over(folder, staging, {path.relative_to(staging).parts[0] for path in written} | set(results) | {MARKER})
        _swap(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return [folder / path.relative_to(staging) for path in written]


def _written_here(folder: Path, results: Collection[str]) -> bool:
    """True when `folder` is empty, has the marker `write_folder` leaves, or has results of the
    command by name (results written before the marker was)."""
    names = {item.name for item in folder.iterdir()}
    return not names or MARKER in names or bool(names & set(results))


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
