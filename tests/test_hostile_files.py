"""Hostile files rather than hostile contents: FIFOs, devices, lines that never end.

Each input is given by path, as a person would on the command line. A FIFO that
nobody writes to reads as empty instead of blocking, ``/dev/zero`` (a line that
never ends) is refused after a bounded read, and a folder, device or FIFO given
as an output is refused instead of being replaced by a file. Every test runs
under an alarm, so a reader that blocks fails instead of hanging the suite.
"""

from __future__ import annotations

import os
import signal
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from fourresp._document import _lines
from fourresp._files import write_atomically
from fourresp.cli import main
from fourresp.errors import StorageError

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")


@pytest.fixture(autouse=True)
def _alarm() -> Iterator[None]:
    def expired(signum: int, frame: object) -> None:
        raise TimeoutError("blocked on a hostile file")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(20)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


SVG = '<svg xmlns="http://www.w3.org/2000/svg"/>'

# every command that reads a file named by the user: argv with "{f}" for the FIFO
READERS = {
    "validate": ["validate", "{f}"],
    "info": ["info", "--pack", "{f}"],
    "assess": ["assess", "--questionnaire", "{f}", "--answers", "{f}"],
    "assess-batch": ["assess-batch", "--questionnaire", "{f}", "{svg}"],
    "bake": ["bake", "{svg}", "{f}"],
    "unbake": ["unbake", "{f}"],
    "play": ["play", "{f}", "--choices", "x"],
    "play-resume": ["play", "--resume", "{f}"],
    "graph": ["graph", "{f}"],
    "export": ["export", "twee", "{f}"],
    "import-twee": ["import", "twee", "{f}"],
    "import-surveyjs": ["import", "surveyjs", "{f}"],
    "supporters-import": ["supporters", "import", "--db", "{db}", "{f}"],
    "serve-secret": ["serve", "--db", "{db}", "--secret-file", "{f}"],
}


@pytest.mark.parametrize("name", sorted(READERS))
def test_a_fifo_without_a_writer_reads_as_empty_and_is_refused(
    name: str, fifo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    svg = tmp_path / "badge.svg"
    svg.write_text(SVG, encoding="utf-8")
    places = {"{f}": str(fifo), "{svg}": str(svg), "{db}": str(tmp_path / "s.db")}
    argv = [places.get(part, part) for part in READERS[name]]
    code = main(argv)
    err = capsys.readouterr().err
    # an empty import adds no one (exit 0); every other command has nothing to use
    assert code in ((0,) if name == "supporters-import" else (1, 2)), err
    assert "Traceback" not in err
    assert "internal error" not in err


@pytest.mark.parametrize(
    ("argv", "suffix"),
    [
        (["supporters", "import", "--db", "{db}", "{f}"], ".jsonl"),
        (["supporters", "import", "--db", "{db}", "--format", "csv", "{f}"], ".csv"),
        (["assess-batch", "{f}"], ".jsonl"),
        (["assess-batch", "{f}"], ".csv"),
    ],
    ids=["supporters-jsonl", "supporters-csv", "batch-jsonl", "batch-csv"],
)
def test_a_line_that_never_ends_is_refused_after_a_bounded_read(
    argv: list[str],
    suffix: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # /dev/zero under a name with the format's suffix: bytes, and never a line feed
    endless = tmp_path / f"zero{suffix}"
    endless.symlink_to("/dev/zero")
    monkeypatch.setattr(_lines, "SKIP_LIMIT", 1 << 20)  # the same path, sooner
    places = {"{f}": str(endless), "{db}": str(tmp_path / "s.db")}
    assert main([places.get(part, part) for part in argv]) == 1
    err = capsys.readouterr().err
    assert "without ending" in err
    assert str(endless) in err


@pytest.mark.parametrize("kind", ["fifo", "folder", "device"])
def test_an_output_that_is_not_a_regular_file_is_never_replaced(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out.svg"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to("/dev/null")  # followed: the device itself is the target
    with pytest.raises(StorageError, match="not a regular file"):
        write_atomically(target, "x", replace=True)
    assert main(["badge", "a", "b", "-o", str(target), "--force"]) == 1
    assert "not a regular file" in capsys.readouterr().err
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_a_png_is_written_like_every_other_file(tmp_path: Path) -> None:
    from fourresp.badges import bake
    from test_openbadges import PNG  # a small PNG badge

    png = tmp_path / "in.png"
    png.write_bytes(PNG)
    out = tmp_path / "out.png"
    out.write_bytes(b"keep")
    assert main(["bake", str(png), "--verify", "h.p.s", "-o", str(out)]) == 1
    assert out.read_bytes() == b"keep"  # not replaced without --force
    assert main(["bake", str(png), "--verify", "h.p.s", "-o", str(out), "--force"]) == 0
    assert out.read_bytes() == bake(PNG, verify="h.p.s")


@pytest.mark.parametrize(
    ("body", "suffix", "says"),
    [
        (
            b'{"name": "A", "email": "a@example.org", "id": ' + b"9" * 5000 + b"}\n",
            ".jsonl",
            "5,000 digits",
        ),
        (b'{"name": "A", "email": "a@example.org", "public": NaN}\n', ".jsonl", "NaN"),
        (b"name,name,email\nA,B,a@example.org\n", ".csv", "already a column"),
    ],
    ids=["5000-digit-integer", "nan", "column-named-twice"],
)
def test_supporters_import_refuses_what_it_cannot_read_faithfully(
    body: bytes, suffix: str, says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / f"in{suffix}"
    source.write_bytes(body)
    assert main(["supporters", "import", "--db", str(tmp_path / "s.db"), str(source)]) == 1
    err = capsys.readouterr().err
    assert says in err
    assert f"{source}:" in err
    assert "internal error" not in err


@pytest.mark.parametrize("who", ["9" * 5000, "99999999999999999999", "\u00b2"])
def test_withdrawing_an_id_no_one_can_have_is_not_found(
    who: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["supporters", "withdraw", "--db", str(tmp_path / "s.db"), who]) == 1
    assert "no supporter" in capsys.readouterr().err
