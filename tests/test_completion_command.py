"""`gitops completion SHELL`: a completion script bash accepts and that completes the real
subcommands and options; an unsupported shell is argparse's one clear error."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from gitops_tools.cli import main

from .conftest import REPO_ROOT

SUBCOMMANDS = ("check", "validate", "promote", "diff", "rules", "explain", "completion")


def script(shell: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["completion", shell]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return captured.out


def complete(script_file: Path, *words: str) -> list[str]:
    """What bash offers for the last of `words` after `gitops`, through the script's function."""
    line = " ".join(["gitops", *words])
    program = (
        f"source {script_file}\n"
        f"COMP_WORDS=(gitops {' '.join(repr(w) for w in words)}); COMP_CWORD={len(words)}\n"
        f"COMP_LINE={line!r}; COMP_POINT=${{#COMP_LINE}}\n"
        "_shtab_gitops\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    proc = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return proc.stdout.split()


def test_bash_script_parses_and_completes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = script("bash", capsys)
    path = tmp_path / "gitops.bash"
    path.write_text(text)
    subprocess.run(["bash", "-n", str(path)], check=True)
    subcommands = next(ln for ln in text.splitlines() if ln.startswith("_shtab_gitops_subparsers="))
    for name in SUBCOMMANDS:
        assert f" {name} " in subcommands.replace("(", " ").replace(")", " "), name
    assert complete(path, "pro") == ["promote"]
    assert complete(path, "check", "--col") == ["--color"]
    assert complete(path, "check", "--color", "") == ["auto", "always", "never"]
    assert "--verbose" in complete(path, "check", "--verb")
    assert complete(path, "completion", "") == ["bash", "zsh", "tcsh"]


@pytest.mark.parametrize(
    ("shell", "mentions"),
    [
        ("zsh", ["promote", "--changed-since", "(auto always never)"]),
        ("tcsh", ["promote", "check"]),
    ],
)
def test_zsh_and_tcsh_scripts(
    shell: str, mentions: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    text = script(shell, capsys)
    for word in mentions:
        assert word in text, word
    if shutil.which(shell):  # not installed here by default; its own parser when it is
        subprocess.run([shell, "-n", "-c", text], check=True)


def test_an_unsupported_shell_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["completion", "fish"])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "argument SHELL: invalid choice: 'fish' (choose from 'bash', 'zsh', 'tcsh')" in err


def test_help_documents_completion_colour_and_progress(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "gitops completion bash > ~/.local/share/bash-completion/completions/gitops" in out
    assert "NO_COLOR" in out and "--color auto|always|never" in out and "-v" in out


def test_readme_shows_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (REPO_ROOT / "README.md").read_text()
    assert "`gitops completion bash > ~/.local/share/bash-completion/completions/gitops`" in readme
    assert "complete -o bashdefault -F _shtab_gitops gitops" in script("bash", capsys)
