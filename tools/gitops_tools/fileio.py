"""The ground floor for files: the one atomic writer, the one way a path is shown to users,
the cache directory's name, and which files are manifests or kustomizations.

Nothing here imports another module of the package except `errors`.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import tempfile
from pathlib import Path

from gitops_tools.errors import FatalError

CACHE_DIR = ".cache"  # under the repository root unless --cache-dir says otherwise
MANIFEST_SUFFIXES = (".yaml", ".yml", ".json")
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
STDOUT_NAMES = frozenset({"-", "/dev/stdout"})


def display(path: Path, root: Path) -> str:
    """A path as users read it: relative to the repository, else to the working directory,
    else as given."""
    try:
        resolved = path.resolve()
    except (OSError, RuntimeError):
        return str(path)
    for base in (root, Path.cwd()):
        with contextlib.suppress(OSError, RuntimeError):
            base = base.resolve()
        if resolved.is_relative_to(base):
            return resolved.relative_to(base).as_posix() or "."
    return str(path)


def kustomization_file(directory: Path) -> Path | None:
    for name in KUSTOMIZATION_FILES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None


def manifest_files(root: Path, recurse: bool = True) -> list[Path]:
    """YAML/JSON files below `root` (or `root` itself), hidden directories skipped."""
    if root.is_file():
        return [root]
    found = root.rglob("*") if recurse else root.glob("*")
    return sorted(
        p
        for p in found
        if p.suffix in MANIFEST_SUFFIXES
        and p.is_file()
        and not any(part.startswith(".") for part in p.relative_to(root).parts)
    )


def cache_directory(repo_root: Path, given: Path | None = None) -> Path:
    """The cache directory (`--cache-dir`, else REPO/.cache), absolute. Refuses a path that
    exists and is not a directory (a file, a FIFO): one clear error, never a crash later."""
    path = (given if given is not None else repo_root / CACHE_DIR).absolute()
    shown = str(given) if given is not None else f"{CACHE_DIR} in {repo_root}"
    try:
        info = path.stat()
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise FatalError(f"--cache-dir {shown}: {exc.strerror}") from None
    if not stat.S_ISDIR(info.st_mode):
        raise FatalError(
            f"--cache-dir {shown}: exists and is not a directory",
            "give a directory (it is created when missing)",
        )
    return path.resolve()


def is_stdout(path: Path | str) -> bool:
    """`-`, `/dev/stdout`, or any path that is the very file standard output writes to (e.g.
    /proc/self/fd/1): the report goes to standard output, nothing is replaced."""
    if str(path) in STDOUT_NAMES:
        return True
    try:
        target = Path(path).stat()
        out = os.fstat(sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        return False
    return (target.st_dev, target.st_ino) == (out.st_dev, out.st_ino)


def write_output(path: str | Path | None, text: str) -> None:
    """A command's report: to standard output (no path, `-`, /dev/stdout), else to the file,
    atomically (see `write_atomically`): `--output` never replaces a device or a FIFO."""
    if path is not None and str(path) in ("", "."):
        raise FatalError(f"--output {str(path)!r}: not a file name", "name a file, or - for stdout")
    if path is None or is_stdout(path):
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    write_atomically(Path(path), text, shown=f"--output {path}")


def regular_target(path: Path, shown: str) -> Path:
    """The file a write to `path` replaces: `path` itself, or the regular file a symlink
    points at. Refuses directories, FIFOs, sockets, devices and dangling symlinks: a rename
    over them would replace the node, not write into it."""
    if str(path) in ("", "."):
        raise FatalError(f"{shown}: not a file name", "name a file to write")
    try:
        info = path.stat()  # follows symlinks
    except FileNotFoundError:
        if path.is_symlink():
            raise FatalError(
                f"{shown}: is a symlink to {path.readlink()}, which does not exist; "
                "nothing was written",
                "write to a regular file",
            ) from None
        return path
    except OSError as exc:
        raise FatalError(f"{shown}: cannot write: {exc.strerror}") from None
    if stat.S_ISREG(info.st_mode):
        return path.resolve() if path.is_symlink() else path
    what = (
        "a directory"
        if stat.S_ISDIR(info.st_mode)
        else "a FIFO"
        if stat.S_ISFIFO(info.st_mode)
        else "a socket"
        if stat.S_ISSOCK(info.st_mode)
        else "a device"
        if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode)
        else "not a regular file"
    )
    raise FatalError(
        f"{shown}: is {what}; nothing was written",
        "write to a regular file (or `-` for standard output)",
    )


def write_atomically(
    path: Path,
    text: str | bytes,
    shown: str | None = None,
    *,
    make_parents: bool = False,
    durable: bool = False,
) -> None:
    """Replace the regular file `path` (or the regular file a symlink at `path` points at)
    with `text` (str as UTF-8, bytes as they are) in one rename: readers see the old
    content or the new, never a torn file.
    The file keeps its permissions; a new one gets the usual 0666 less the umask. Never
    replaces a directory, FIFO, socket or device (FatalError). `durable`: fsync before the
    rename, for files that matter after a crash (an edited overlay)."""
    shown = shown if shown is not None else str(path)
    target = regular_target(path, shown)
    if make_parents:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FatalError(f"{shown}: cannot create its directory: {exc.strerror}") from None
    temp: Path | None = None
    try:
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_UMASK
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        temp = Path(name)
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        temp.chmod(mode)
        temp.replace(target)
        temp = None
    except OSError as exc:
        raise FatalError(
            f"{shown}: cannot write: {exc.strerror or exc}; the file is unchanged"
        ) from None
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                temp.unlink()


def _read_umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


_UMASK = _read_umask()  # read once, at import: os.umask cannot be read without setting it
