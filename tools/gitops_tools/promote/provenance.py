"""Provenance in git: the commit message of a promotion (a readable subject, then trailers)
and the records `gitops history` reads back from those trailers.

    Promote qr-generator to prod: qr-backend 1.5.0 (from staging)

    App: qr-generator
    Promoted-From: staging
    Promoted-To: prod
    Image: 333333333333.dkr.ecr.us-east-1.amazonaws.com/qr-generator/backend:1.5.0
    Image-Digest: sha256:...
    Registry-Copy: 2222...amazonaws.com/qr-generator/backend -> 3333...; 3 manifest(s), ...
    Source-Commit: 0123abc...
    Reason: ...            (when an environment or the soak time was skipped, or rolling back)

`Image`, `Image-Digest` and `Registry-Copy` repeat once per image, in the same order."""

from __future__ import annotations

from dataclasses import dataclass

from gitops_tools.promote.gitrepo import Git

BUILD = "build"  # Promoted-From of `gitops image set`: the image came from a CI build


@dataclass(frozen=True)
class ImageChange:
    """One image a commit sets in the target overlay."""

    entry: str  # the images: entry's name
    reference: str  # newName:tag of the target
    digest: str
    copy: str  # what the registry copy did, or why there was none


@dataclass(frozen=True)
class Record:
    """One promotion (or image set) commit, read back from its trailers."""

    commit: str
    time: int
    subject: str
    app: str
    source_env: str
    target_env: str
    images: tuple[tuple[str, str], ...]  # (reference, digest)
    reason: str | None
    source_commit: str | None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def commit_message(
    subject: str,
    app: str,
    source_env: str,
    target_env: str,
    changes: list[ImageChange],
    source_commit: str | None,
    reason: str | None,
) -> str:
    trailers = [("App", app), ("Promoted-From", source_env), ("Promoted-To", target_env)]
    for change in changes:
        trailers += [
            ("Image", change.reference),
            ("Image-Digest", change.digest),
            ("Registry-Copy", change.copy),
        ]
    if source_commit:
        trailers.append(("Source-Commit", source_commit))
    if reason:
        trailers.append(("Reason", reason))
    lines = [f"{key}: {_one_line(value)}" for key, value in trailers]
    return f"{_one_line(subject)}\n\n" + "\n".join(lines) + "\n"


def records(git: Git, app: str) -> list[Record]:
    """The app's promotion and image-set commits reachable from HEAD, newest first."""
    out = git.run(
        "log", "--format=%H%x1f%ct%x1f%s%x1f%(trailers:unfold,only)%x1e", "HEAD", check=False
    )
    found = []
    for chunk in out.split("\x1e"):
        parts = chunk.strip("\n").split("\x1f")
        if len(parts) != 4:
            continue
        commit, when, subject, block = parts
        trailers = [line.partition(": ") for line in block.splitlines() if ": " in line]
        values: dict[str, list[str]] = {}
        for key, _, value in trailers:
            values.setdefault(key, []).append(value.strip())
        if values.get("App") != [app] or "Promoted-To" not in values:
            continue
        found.append(
            Record(
                commit=commit,
                time=int(when),
                subject=subject,
                app=app,
                source_env=values.get("Promoted-From", ["?"])[0],
                target_env=values["Promoted-To"][0],
                images=tuple(
                    zip(values.get("Image", []), values.get("Image-Digest", []), strict=False)
                ),
                reason=values.get("Reason", [None])[0],
                source_commit=values.get("Source-Commit", [None])[0],
            )
        )
    return found
